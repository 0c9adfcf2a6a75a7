// SPDX-License-Identifier: Apache-2.0
//
// AdminCommandsTest.cpp
//
// Every xqueue-admin command against a live server's store (SQLite, and MariaDB in the
// MySQL pass): help and bad arguments, an empty database, and its effect on real
// traffic — the LMS told through the delivery path, graders no longer served, rows gone.
//


#include "ServerFixture.h"
#include "store/Database.h"
#include "Poco/FileStream.h"
#include "Poco/JSON/Array.h"
#include <fstream>
#include <regex>
#include <thread>


using namespace XQueueTest;
using namespace Poco::Data::Keywords;
using namespace std::chrono_literals;


namespace {


const std::string FAILURE_NOTICE = "{\"correct\": null, \"score\": 0, \"msg\": \"<div class=\\\"capa_alert\\\">Your submission could not be graded."
	" Please recheck your submission and try again. If the problem persists, please notify the course staff.</div>\"}";


class AdminCommandsTest: public ServerFixture
{
protected:
	TestServer::Properties properties() override
	{
		return {
			{"xqueue.processing_delay", "1"},
			{"xqueue.max_number_of_failures", "1"},
			{"xqueue.delivery.retry.initial_delay", "0.05"},
			{"xqueue.delivery.retry.max_delay", "0.1"},
			{"xqueue.delivery.retry.horizon", "1"},
			{"xqueue.delivery.poll_interval", "0.1"},
			{"xqueue.files.orphan_grace", "0"},
		};
	}

	struct Run
	{
		int code = -1;
		std::string output;
	};

	Run admin(const std::string& arguments, const std::string& input = "")
	{
		Run run;
		run.code = server().admin(arguments, input, &run.output);
		return run;
	}

	long long rows(const std::string& sql)
	{
		std::unique_ptr<XQueue::Database> pDatabase = XQueue::Database::open(server().databaseOptions());
		XQueue::Database& database = *pDatabase;
		Poco::Int64 n = 0;
		auto s = database.session();
		s << sql, into(n), now;
		return n;
	}

	std::string queueLength(TestClient& c, const std::string& queue = "tmp")
	{
		return c.get("/xqueue/get_queuelen/?queue_name=" + queue).body;
	}
};


TEST_F(AdminCommandsTest, EveryCommandHasHelpAndRefusesBadArgumentsWithUsage)
{
	for (std::string command: {"user", "count-queued", "retire-failed", "retire-old", "delete-old", "deliveries", "queue", "files", "migrate", "check-config", "import-xqueue"})
	{
		Run help = admin(command + " --help");
		EXPECT_EQ(help.code, 0) << command;
		EXPECT_NE(help.output.find("usage: xqueue-admin --config-file=FILE " + command), std::string::npos) << help.output;
	}
	struct Bad { std::string arguments; std::string message; };
	for (const Bad& bad: std::vector<Bad>{
		{"", "no command given"},
		{"frobnicate", "unknown command 'frobnicate'"},
		{"count-queued extra", "count-queued takes no arguments"},
		{"count-queued --jsno", "unknown option --jsno"},
		{"retire-old", "retire-old takes exactly one queue name"},
		{"retire-old tmp --before 2018-14-03", "--before: '2018-14-03' is not a date and time; expected YYYY-MM-DD, YYYY-MM-DDTHH:MM"},
		{"retire-old tmp --before yesterday", "--before: 'yesterday' is not a date and time"},
		{"retire-old tmp --before 99999", "--before: '99999' is not a date and time"},
		{"retire-old tmp --before 2026-02-30", "--before: '2026-02-30' is not a date and time"},
		{"retire-old tmp --before 2026-11-01T25:00", "--before: '2026-11-01T25:00' is not a date and time"},
		{"retire-old tmp --before 2026-11-01T12:00:00+2", "--before: '2026-11-01T12:00:00+2' is not a date and time"},
		{"retire-old tmp --before", "--before needs a value"},
		{"delete-old --chunk-size 0", "--chunk-size: expected a whole number from 1 to 100000, found '0'"},
		{"delete-old --sleep -1", "--sleep: expected a number from 0 to 3600, found '-1'"},
		{"delete-old --days -1", "--days: expected a whole number from 0 to 36500, found '-1'"},
		{"deliveries", "deliveries: expected list, resend or drop"},
		{"deliveries resend", "give the delivery ids (see 'deliveries list') or --all"},
		{"deliveries drop x1", "not a delivery id: x1"},
		{"queue pause", "queue pause: wrong arguments"},
		{"user import-django", "user import-django: wrong arguments"},
		{"files", "files: expected sweep"},
	})
	{
		Run run = admin(bad.arguments);
		EXPECT_EQ(run.code, 64) << bad.arguments << "\n" << run.output;
		EXPECT_NE(run.output.find(bad.message), std::string::npos) << bad.arguments << "\n" << run.output;
		EXPECT_NE(run.output.find("usage: xqueue-admin"), std::string::npos) << bad.arguments;
	}
	Run missingQueue = admin("queue pause nope");
	EXPECT_EQ(missingQueue.code, 1);
	EXPECT_NE(missingQueue.output.find("no queue named 'nope' is configured (valid: other, tmp)"), std::string::npos) << missingQueue.output;
}


TEST_F(AdminCommandsTest, CheckConfigFindsWhatTheServerWouldRefuseAndBothSayTheirVersion)
{
	Run ok = admin("check-config");
	EXPECT_EQ(ok.code, 0) << ok.output;
	EXPECT_NE(ok.output.find("queue tmp: plugin pull_rest 1.0.0, pulled by graders\n"), std::string::npos) << ok.output;
	EXPECT_NE(ok.output.find(", schema version " + std::to_string(XQueue::Database::latestSchemaVersion())), std::string::npos) << ok.output;
	EXPECT_NE(ok.output.find("configuration OK\n"), std::string::npos) << ok.output;
	Run noPlugin = admin("--define=xqueue.queues.tmp.plugin=absent check-config");
	EXPECT_EQ(noPlugin.code, 78) << noPlugin.output;
	EXPECT_NE(noPlugin.output.find("plugin 'absent' ("), std::string::npos) << noPlugin.output;
	Run badKey = admin("--define=xqueue.http.bogus=1 check-config");
	EXPECT_EQ(badKey.code, 78) << "EX_CONFIG, as the server: " << badKey.output;
	EXPECT_NE(badKey.output.find("unknown configuration key: xqueue.http.bogus"), std::string::npos) << badKey.output;
	Run pluginKey = admin("--define=xqueue.queues.tmp.colour=red check-config");
	EXPECT_EQ(pluginKey.code, 78);
	EXPECT_NE(pluginKey.output.find("unknown configuration key: xqueue.queues.tmp.colour"), std::string::npos) << pluginKey.output;
	const std::string expected = " " + std::string(XQUEUE_VERSION_TEXT) + " (plugin ABI 1.";
	for (const std::string& binary: {std::string(XQUEUE_ADMIN_PATH), std::string(XQUEUE_SERVER_PATH)})
	{
		std::string out = server().dir().file("version.out");
		EXPECT_EQ(std::system(("'" + binary + "' --version >'" + out + "' 2>&1").c_str()), 0) << binary;
		std::ifstream in(out);
		std::string line;
		std::getline(in, line);
		EXPECT_NE(line.find(expected), std::string::npos) << line;
		EXPECT_EQ(line.rfind(binary.substr(binary.rfind('/') + 1), 0), 0u) << line;
	}
}


TEST_F(AdminCommandsTest, AnEmptyDatabaseIsFineForEveryCommand)
{
	Run count = admin("count-queued");
	EXPECT_EQ(count.code, 0);
	EXPECT_NE(count.output.find("other                                    0          0         -       0"), std::string::npos) << count.output;
	EXPECT_EQ(admin("count-queued --json").output,
		"{\"queues\": [{\"queue\": \"other\", \"pending\": 0, \"in_flight\": 0, \"oldest_pending_seconds\": null, \"parked_deliveries\": 0, "
		"\"deliveries_waiting\": 0, \"deliveries_retrying\": 0, \"oldest_delivery_seconds\": null}, "
		"{\"queue\": \"tmp\", \"pending\": 0, \"in_flight\": 0, \"oldest_pending_seconds\": null, \"parked_deliveries\": 0, "
		"\"deliveries_waiting\": 0, \"deliveries_retrying\": 0, \"oldest_delivery_seconds\": null}]}\n");
	EXPECT_NE(admin("retire-failed").output.find("retired 0 submissions"), std::string::npos);
	EXPECT_NE(admin("retire-old tmp --yes").output.find("retired 0 submissions of queue tmp"), std::string::npos);
	EXPECT_NE(admin("delete-old").output.find("deleted 0 submissions older than 7 days"), std::string::npos);
	EXPECT_NE(admin("deliveries list").output.find("0 parked deliveries"), std::string::npos);
	EXPECT_EQ(admin("deliveries resend --all").code, 0);
	EXPECT_EQ(admin("deliveries drop 42").code, 1) << "nothing to drop";
	EXPECT_EQ(admin("files sweep").code, 0);
	EXPECT_EQ(admin("queue list").output, "other running\ntmp running\n");
}


TEST_F(AdminCommandsTest, GradesADownLmsHasNotTakenShowInCountQueuedAndMetrics)
{
	lms().answerWith(503); // the LMS is down
	TestClient c = loggedIn();
	submit(c, lms().callbackUrl("down/1"));
	TestClient g = loggedIn("grader", "graderpass");
	auto p = pull(g);
	ASSERT_TRUE(p);
	ASSERT_EQ(putResult(g, p->header, gradeWith("waiting")).body, envelope(0, ""));
	ASSERT_TRUE(lms().waitForCount(1, 10s)); // tried, refused
	std::string metrics;
	for (int i = 0; i < 50; ++i)
	{
		metrics = anonymous().get("/metrics").body;
		if (metricValue(metrics, "xqueue_queue_deliveries_retrying{queue=\"tmp\"}") == 1) break;
		std::this_thread::sleep_for(100ms);
	}
	EXPECT_EQ(metricValue(metrics, "xqueue_queue_deliveries_retrying{queue=\"tmp\"}"), 1) << metrics;
	EXPECT_GE(metricValue(metrics, "xqueue_queue_oldest_delivery_age_seconds{queue=\"tmp\"}"), 0);
	Run table = admin("count-queued");
	EXPECT_NE(table.output.find("TO_LMS  RETRYING  TO_LMS_S"), std::string::npos) << table.output;
	EXPECT_TRUE(std::regex_search(table.output, std::regex("\ntmp +0 +0 +- +0 +1 +1 +[0-9]+\n"))) << table.output;
	lms().answerWith(200);
}


TEST_F(AdminCommandsTest, CountQueuedShowsPendingInFlightAndAge)
{
	TestClient c = loggedIn();
	for (int i = 0; i < 3; ++i) submit(c, lms().callbackUrl("count/" + std::to_string(i)));
	TestClient g = loggedIn("grader", "graderpass");
	ASSERT_TRUE(pull(g));
	std::this_thread::sleep_for(1100ms);
	Run json = admin("count-queued --json");
	ASSERT_EQ(json.code, 0) << json.output;
	Poco::JSON::Parser parser;
	auto pQueues = parser.parse(json.output).extract<Poco::JSON::Object::Ptr>()->getArray("queues");
	auto pTmp = pQueues->getObject(1);
	EXPECT_EQ(pTmp->getValue<std::string>("queue"), "tmp");
	// The lease (1 s) ended: the pulled one is pending again, nothing in flight.
	EXPECT_EQ(pTmp->getValue<int>("pending"), 3);
	EXPECT_EQ(pTmp->getValue<int>("in_flight"), 0);
	EXPECT_GE(pTmp->getValue<int>("oldest_pending_seconds"), 1);
	ASSERT_TRUE(pull(g));
	Run table = admin("count-queued");
	EXPECT_NE(table.output.find("tmp                                      2          1"), std::string::npos) << table.output;
}


TEST_F(AdminCommandsTest, RetireOldTellsTheLmsThroughTheDeliveryPath)
{
	TestClient c = loggedIn();
	submit(c, lms().callbackUrl("old/1"));
	submit(c, lms().callbackUrl("old/2"));
	EXPECT_NE(admin("retire-old tmp --before 2001-01-01").output.find("retired 0 submissions"), std::string::npos);
	EXPECT_NE(admin("retire-old tmp --before '2001-01-01 10:00:00.5Z'").output.find("retired 0 submissions"), std::string::npos);
	// The one a grader holds: its put_result after the retirement is refused, as the help says.
	TestClient g = loggedIn("grader", "graderpass");
	auto held = pull(g);
	ASSERT_TRUE(held);
	Run run = admin("retire-old tmp --before=2100-01-01T00:00:00+01:00");
	EXPECT_EQ(run.code, 0) << run.output;
	EXPECT_NE(run.output.find("retired 2 submissions of queue tmp"), std::string::npos) << run.output;
	ASSERT_TRUE(lms().waitForCount(2, 10s));
	for (const auto& callback: lms().callbacks()) EXPECT_EQ(callback.form.at("xqueue_body"), FAILURE_NOTICE);
	EXPECT_EQ(queueLength(c), "{\"return_code\": 0, \"content\": 0}");
	EXPECT_EQ(putResult(g, held->header, gradeWith("late")).body, envelope(1, "Incorrect key for submission"));
	EXPECT_NE(admin("retire-old --help").output.find("gets \"Incorrect key\" for its put_result"), std::string::npos);
}


TEST_F(AdminCommandsTest, DestructiveCommandsHaveADryRunAndWholeTableOnesAskFirst)
{
	TestClient c = loggedIn();
	submit(c, lms().callbackUrl("dry/1"));
	submit(c, lms().callbackUrl("dry/2"));
	EXPECT_EQ(admin("retire-old tmp --dry-run").output, "would retire 2 submissions of queue tmp (dry run: nothing changed)\n");
	EXPECT_EQ(admin("retire-failed --dry-run").output, "would retire 0 submissions (dry run: nothing changed)\n");
	EXPECT_EQ(admin("delete-old --days 0 --dry-run").output, "would delete 0 submissions older than 0 days (dry run: nothing changed)\n");
	EXPECT_EQ(admin("deliveries drop --all --dry-run").output, "would drop 0 deliveries (dry run: nothing changed)\n");
	// The whole queue, not at a terminal and without --yes: refused, nothing changed.
	Run refused = admin("retire-old tmp");
	EXPECT_EQ(refused.code, 64);
	EXPECT_NE(refused.output.find("Retire every unfinished submission of queue tmp (2 now)? Add --yes to confirm (--dry-run shows what it would do)."),
		std::string::npos) << refused.output;
	EXPECT_EQ(queueLength(c), "{\"return_code\": 0, \"content\": 2}");
	EXPECT_EQ(admin("delete-old --days 0").code, 64);
	EXPECT_EQ(admin("deliveries drop --all").code, 64);
	// With a limit there is no question; with --yes the whole queue goes.
	EXPECT_NE(admin("retire-old tmp --before 2001-01-01").output.find("retired 0"), std::string::npos);
	EXPECT_NE(admin("retire-old tmp --yes").output.find("retired 2 submissions of queue tmp"), std::string::npos);
}


TEST_F(AdminCommandsTest, RetireFailedRetiresWhatGradersKeepFailingOn)
{
	TestClient c = loggedIn();
	submit(c, lms().callbackUrl("failing/1"));
	submit(c, lms().callbackUrl("failing/2"), "{}", "other");
	submit(c, lms().callbackUrl("fresh/3"));
	TestClient g = loggedIn("grader", "graderpass");
	ASSERT_TRUE(pull(g, "tmp"));
	ASSERT_TRUE(pull(g, "other"));
	std::this_thread::sleep_for(1100ms); // both leases end without a result
	Run forced = admin("retire-failed --force other");
	EXPECT_NE(forced.output.find("retired 1 submissions (the LMS was not told)"), std::string::npos) << forced.output;
	Run run = admin("retire-failed");
	EXPECT_NE(run.output.find("retired 1 submissions"), std::string::npos) << run.output;
	ASSERT_TRUE(lms().waitForCount(1, 10s));
	std::this_thread::sleep_for(300ms);
	auto calls = lms().callbacks();
	ASSERT_EQ(calls.size(), 1u) << "only the one not forced";
	EXPECT_NE(calls[0].path.find("failing/1"), std::string::npos);
	EXPECT_EQ(calls[0].form.at("xqueue_body"), FAILURE_NOTICE);
	EXPECT_EQ(queueLength(c), "{\"return_code\": 0, \"content\": 1}") << "the never-pulled one stays";
}


TEST_F(AdminCommandsTest, DeleteOldDeletesFinishedSubmissionsWithTheirFilesOnly)
{
	TestClient c = loggedIn();
	c.postMultipart("/xqueue/submit/", {{"xqueue_header", header(lms().callbackUrl("del/1"))}, {"xqueue_body", "{}"}},
		{{"a.py", "a.py", "finished with a file"}});
	TestClient g = loggedIn("grader", "graderpass");
	auto p = pull(g);
	ASSERT_TRUE(p);
	ASSERT_EQ(putResult(g, p->header, "{\"correct\": true, \"score\": 1, \"msg\": \"\"}").body, envelope(0, ""));
	ASSERT_TRUE(lms().waitForCount(1, 10s));
	std::this_thread::sleep_for(300ms); // the delivery is recorded
	submit(c, lms().callbackUrl("del/2")); // pending: never deleted
	EXPECT_NE(admin("delete-old").output.find("deleted 0 submissions older than 7 days"), std::string::npos);
	Run run = admin("delete-old --days 0 --chunk-size 1 --sleep 0.01 --yes");
	EXPECT_EQ(run.code, 0) << run.output;
	EXPECT_NE(run.output.find("deleted 1 so far"), std::string::npos) << run.output;
	EXPECT_NE(run.output.find("deleted 1 submissions older than 0 days; removed 1 file contents"), std::string::npos) << run.output;
	EXPECT_EQ(rows("SELECT COUNT(*) FROM submissions"), 1);
	EXPECT_EQ(rows("SELECT COUNT(*) FROM deliveries"), 0);
	EXPECT_EQ(rows("SELECT COUNT(*) FROM submission_files"), 0);
	EXPECT_EQ(rows("SELECT COUNT(*) FROM file_contents"), 0);
	EXPECT_EQ(queueLength(c), "{\"return_code\": 0, \"content\": 1}");
}


TEST_F(AdminCommandsTest, ParkedDeliveriesAreListedResentAndDropped)
{
	lms().answerWith(500); // the LMS is down past the retry horizon (1 s)
	TestClient c = loggedIn();
	TestClient g = loggedIn("grader", "graderpass");
	for (int i = 0; i < 2; ++i)
	{
		submit(c, lms().callbackUrl("parked/" + std::to_string(i)));
		auto p = pull(g);
		ASSERT_TRUE(p);
		putResult(g, p->header, "{\"correct\": true, \"score\": 1, \"msg\": \"grade " + std::to_string(i) + "\"}");
	}
	Run list;
	for (int i = 0; i < 100; ++i)
	{
		list = admin("deliveries list");
		if (list.output.find("2 parked deliveries") != std::string::npos) break;
		std::this_thread::sleep_for(100ms);
	}
	ASSERT_NE(list.output.find("2 parked deliveries"), std::string::npos) << list.output;
	EXPECT_NE(list.output.find("tmp                     grade"), std::string::npos) << list.output;
	EXPECT_NE(list.output.find("LMS answered HTTP 500"), std::string::npos) << list.output;
	EXPECT_NE(admin("count-queued").output.find("       2       0         0         -\n"), std::string::npos) << admin("count-queued").output;

	std::string firstId = list.output.substr(list.output.find('\n') + 1, list.output.find(' ', list.output.find('\n') + 1) - list.output.find('\n') - 1);
	EXPECT_NE(admin("deliveries drop " + firstId).output.find("dropped 1 deliveries"), std::string::npos);
	lms().answerWith(200); // the LMS is back
	std::size_t before = lms().count();
	const long long created = rows("SELECT MIN(created_at) FROM deliveries WHERE state = 2");
	std::this_thread::sleep_for(20ms);
	Run resend = admin("deliveries resend --all");
	EXPECT_NE(resend.output.find("resending 1 deliveries"), std::string::npos) << resend.output;
	EXPECT_EQ(rows("SELECT COUNT(*) FROM deliveries WHERE created_at = " + std::to_string(created)), 1) << "a resend keeps when the result was first due";
	EXPECT_GT(rows("SELECT MAX(resent_at) FROM deliveries"), created);
	ASSERT_TRUE(lms().waitForCount(before + 1, 10s));
	EXPECT_NE(lms().callbacks().back().form.at("xqueue_body").find("grade 1"), std::string::npos);
	std::this_thread::sleep_for(300ms);
	EXPECT_NE(admin("deliveries list").output.find("0 parked deliveries"), std::string::npos);
	EXPECT_EQ(rows("SELECT COUNT(*) FROM submissions WHERE state = 3"), 1) << "the resent grade's submission is delivered";
}


TEST_F(AdminCommandsTest, APausedQueueKeepsItsWorkAndHandsOutNothing)
{
	TestClient c = loggedIn();
	submit(c, lms().callbackUrl("pause/1"));
	EXPECT_EQ(admin("queue pause tmp").output, "paused queue tmp\n");
	EXPECT_EQ(admin("queue list").output, "other running\ntmp paused\n");
	std::this_thread::sleep_for(1200ms); // every host re-reads the switch within a second
	TestClient g = loggedIn("grader", "graderpass");
	EXPECT_FALSE(pull(g));
	EXPECT_EQ(submit(c, lms().callbackUrl("pause/2")).body, envelope(0, "2")) << "submissions are still accepted";
	EXPECT_EQ(queueLength(c), "{\"return_code\": 0, \"content\": 2}");
	EXPECT_EQ(admin("queue resume tmp").output, "resumed queue tmp\n");
	std::this_thread::sleep_for(1200ms);
	EXPECT_TRUE(pull(g));
	EXPECT_TRUE(pull(g));
}


TEST_F(AdminCommandsTest, RolesAndQueuesAreSetListedAndKeptAcrossPasswordChanges)
{
	auto line = [&](const std::string& user) {
		std::string list = admin("user list").output;
		auto at = list.find("\n" + user + " ");
		return at == std::string::npos ? std::string() : list.substr(at + 1, list.find('\n', at + 1) - at - 1);
	};
	EXPECT_EQ(admin("user set newbie", "pw\n").code, 0);
	EXPECT_NE(line("newbie").find("legacy  "), std::string::npos) << line("newbie");
	EXPECT_NE(line("newbie").find("(all)"), std::string::npos);
	EXPECT_EQ(admin("user set g --role=grader --queues=tmp,other", "pw1\n").code, 0);
	EXPECT_NE(line("g").find("grader  "), std::string::npos) << line("g");
	EXPECT_NE(line("g").find("other,tmp"), std::string::npos) << line("g");
	EXPECT_EQ(admin("user set g", "pw2\n").code, 0);
	EXPECT_NE(line("g").find("other,tmp"), std::string::npos) << "a password change keeps role and queues";
	EXPECT_EQ(admin("user set op --role admin", "pw\n").code, 0);
	EXPECT_NE(line("op").find("admin   "), std::string::npos) << line("op");
	struct Bad { std::string arguments; std::string message; };
	for (const Bad& bad: std::vector<Bad>{
		{"user set x --role=boss", "--role: expected lms, grader, admin or legacy, found 'boss'"},
		{"user set x --role=lms", "--role=lms needs --queues=Q,... (or --queues='*' for all)"},
		{"user set x --role=admin --queues=tmp", "--queues applies to the lms and grader roles only"},
		{"user set x --queues=tmp", "--queues needs --role"},
	})
	{
		Run run = admin(bad.arguments, "pw\n");
		EXPECT_EQ(run.code, 64) << bad.arguments;
		EXPECT_NE(run.output.find(bad.message), std::string::npos) << run.output;
	}
	EXPECT_EQ(line("x"), "") << "a refused role creates nothing";
}


TEST_F(AdminCommandsTest, RoleQueuesAndStateChangeWithoutAPasswordOrALogout)
{
	TestClient g = loggedIn("grader", "graderpass");
	EXPECT_EQ(g.get("/xqueue/get_queuelen/?queue_name=tmp").status, 200);
	// No password on stdin, and none needed: the grader keeps its password and its session.
	Run narrowed = admin("user set grader --role=grader --queues=other");
	EXPECT_EQ(narrowed.code, 0) << narrowed.output;
	EXPECT_EQ(narrowed.output, "updated user grader (password unchanged)\n");
	TestServer::waitOutSessionCache();
	EXPECT_EQ(parseEnvelope(g.get("/xqueue/get_queuelen/?queue_name=other").body).returnCode, 0) << "the same session, the new grant";
	EXPECT_NE(parseEnvelope(g.get("/xqueue/get_queuelen/?queue_name=tmp").body).returnCode, 0) << "tmp is no longer granted";
	EXPECT_TRUE(TestClient(server().port()).login("grader", "graderpass")) << "the password is unchanged";
	// Deactivation ends its sessions and refuses logins; reactivation restores the old password.
	EXPECT_EQ(admin("user set grader --inactive").code, 0);
	TestServer::waitOutSessionCache();
	EXPECT_FALSE(TestClient(server().port()).login("grader", "graderpass"));
	EXPECT_NE(g.get("/xqueue/get_queuelen/?queue_name=other").status, 200);
	EXPECT_EQ(admin("user set grader --active").code, 0);
	EXPECT_TRUE(TestClient(server().port()).login("grader", "graderpass"));
	// A password still goes with --password-stdin (or --password-file) when asked for.
	EXPECT_EQ(admin("user set grader --role=grader --queues=tmp --password-stdin", "newpass\n").code, 0);
	EXPECT_TRUE(TestClient(server().port()).login("grader", "newpass"));
	EXPECT_EQ(admin("user set grader --active --inactive").code, 64);
	// A new user still needs one.
	Run created = admin("user set fresh --role=lms --queues=tmp");
	EXPECT_EQ(created.code, 64);
	EXPECT_NE(created.output.find("no password given"), std::string::npos) << created.output;
}


TEST_F(AdminCommandsTest, ImportDjangoKeepsTheLmsCredentials)
{
	// pbkdf2_sha256 of "imported-pass" with salt s4ltS4lt, 1000 iterations (Django's format,
	// computed with Python's hashlib).
	const std::string hash = "pbkdf2_sha256$1000$s4ltS4lt$eRG0sOCUqfon5/WheCIzPOeqIHMZSd+s06hZf1lbhSs=";
	std::string json = server().dir().file("users.json");
	Poco::FileOutputStream(json) << "[{\"model\": \"auth.user\", \"pk\": 1, \"fields\": {\"username\": \"edx-lms\", \"password\": \"" + hash +
		"\", \"is_active\": true}}, {\"model\": \"auth.user\", \"pk\": 2, \"fields\": {\"username\": \"nopass\", \"password\": \"!xyz\","
		" \"is_active\": true}}, {\"model\": \"auth.group\", \"pk\": 1, \"fields\": {\"name\": \"g\"}}]";
	Run run = admin("user import-django " + json);
	EXPECT_EQ(run.code, 1) << "not everything came over: " << run.output;
	EXPECT_NE(run.output.find("imported 1 users (1 created, 0 updated), skipped 1"), std::string::npos) << run.output;
	EXPECT_NE(run.output.find("skipped nopass: not a pbkdf2_sha256 hash"), std::string::npos) << run.output;
	TestClient lmsClient(server().port());
	EXPECT_TRUE(lmsClient.login("edx-lms", "imported-pass"));

	std::string csv = server().dir().file("users.csv");
	Poco::FileOutputStream(csv) << "id,username,password,is_active\r\n7,\"watcher\",\"" + hash + "\",f\r\n8,edx-lms,\"" + hash + "\",t\r\n";
	Run fromCsv = admin("user import-django " + csv);
	EXPECT_NE(fromCsv.output.find("imported 2 users (1 created, 1 updated), skipped 0"), std::string::npos) << fromCsv.output;
	TestClient inactive(server().port());
	EXPECT_FALSE(inactive.login("watcher", "imported-pass")) << "is_active false is kept";

	std::string bad = server().dir().file("bad.csv");
	Poco::FileOutputStream(bad) << "name,hash\nx,y\n";
	EXPECT_EQ(fromCsv.code, 0) << fromCsv.output;
	Run refused = admin("user import-django " + bad);
	EXPECT_EQ(refused.code, 65);
	EXPECT_NE(refused.output.find("not a Django user export (CSV): the CSV header must name the columns username and password"), std::string::npos) << refused.output;
	std::string broken = server().dir().file("broken.json");
	Poco::FileOutputStream(broken) << "[{\"model\": \"auth.user\", \"fields\": {\"username\": ";
	Run malformed = admin("user import-django " + broken);
	EXPECT_EQ(malformed.code, 65);
	EXPECT_NE(malformed.output.find("not a Django user export (JSON): "), std::string::npos) << malformed.output;
	std::string object = server().dir().file("object.json");
	Poco::FileOutputStream(object) << "{\"username\": \"x\"}";
	EXPECT_NE(admin("user import-django " + object).output.find("(JSON): expected an array of users"), std::string::npos);
	Run missing = admin("user import-django /nonexistent.json");
	EXPECT_EQ(missing.code, 66);
	EXPECT_NE(missing.output.find("cannot read /nonexistent.json"), std::string::npos) << missing.output;
}


} // namespace

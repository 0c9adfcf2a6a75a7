// SPDX-License-Identifier: Apache-2.0
//
// CutOverTest.cpp
//
// xqueue-admin import-xqueue against databases the real Python xqueue made
// (tests/fixtures/python-xqueue, made by its make-fixture): a submission waiting, one a
// grader holds, one graded that the LMS refused, one with files, one superseded and one
// delivered (not imported), accounts with Django hashes, an inactive one, one without a
// password. After the import the LMS and the grader go on against this server without
// loss: the grader's held key still works, the refused grade is delivered, nothing is
// graded twice, and a second import adds nothing.
//


#include "ServerFixture.h"
#include "MySqlTestDatabase.h"
#include "Poco/Data/SQLite/Connector.h"
#include "Poco/File.h"
#include "Poco/FileStream.h"
#include "Poco/JSON/Parser.h"
#include "Poco/Process.h"
#include "Poco/StreamCopier.h"
#include "Poco/StringTokenizer.h"
#include "Poco/String.h"
#include "Poco/URI.h"


using namespace XQueueTest;
using namespace Poco::Data::Keywords;
using namespace std::chrono_literals;


namespace {


const std::string FIXTURES = std::string(XQUEUE_SOURCE_DIR) + "/tests/fixtures/python-xqueue/";
const std::string OLD_LMS = "http://127.0.0.1:18141/"; // the stub LMS the fixture was made with


class CutOverTest: public ServerFixture
{
protected:
	TestServer::Properties properties() override
	{
		return {
			{"xqueue.queues.test-pull.plugin", "pull_rest"},
			{"xqueue.queues.test-push.plugin", "pull_rest"},
			{"xqueue.delivery.retry.initial_delay", "0.05"},
			{"xqueue.delivery.poll_interval", "0.1"},
		};
	}

	std::string lmsBase()
	{
		// The fake LMS's address: the fixture's callbacks are rewritten to reach it.
		std::string url = lms().callbackUrl("x");
		return url.substr(0, url.find('/', 7) + 1);
	}

	std::string sqliteSource()
	{
		std::string copy = server().dir().file("python-xqueue.sqlite");
		Poco::File(FIXTURES + "xqueue.sqlite").copyTo(copy);
		Poco::Data::SQLite::Connector::registerConnector();
		Poco::Data::Session s("SQLite", copy);
		std::string from = OLD_LMS, to = lmsBase();
		s << "UPDATE queue_submission SET lms_callback_url = replace(lms_callback_url, ?, ?), xqueue_header = replace(xqueue_header, ?, ?)",
			use(from), use(to), use(from), use(to), now;
		return "sqlite:" + copy;
	}

	Poco::JSON::Object::Ptr facts(const std::string& engine)
	{
		Poco::FileInputStream in(FIXTURES + "facts-" + engine + ".json");
		std::string text;
		Poco::StreamCopier::copyToString(in, text);
		return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
	}

	struct Run
	{
		int code = -1;
		std::string output;
	};

	Run admin(const std::string& arguments)
	{
		Run run;
		run.code = server().admin(arguments, "", &run.output);
		return run;
	}

	const Callback* callbackFor(const std::string& pathPart)
	{
		for (const auto& callback: _seen)
		{
			if (callback.path.find(pathPart) != std::string::npos) return &callback;
		}
		return nullptr;
	}

	void waitForCallbacks(std::size_t n)
	{
		EXPECT_TRUE(lms().waitForCount(n, 10s)) << lms().callbacks().size() << " callbacks";
		_seen = lms().callbacks();
	}

	void goesOnWithoutLoss(const std::string& engine, const std::string& from, const std::string& importOptions);

	std::vector<Callback> _seen;
};


void CutOverTest::goesOnWithoutLoss(const std::string& engine, const std::string& from, const std::string& importOptions)
{
	Run dry = admin("import-xqueue --from=" + from + " --lms-user=lms --dry-run");
	ASSERT_EQ(dry.code, 0) << dry.output;
	EXPECT_NE(dry.output.find("(dry run: nothing changed)"), std::string::npos) << dry.output;
	EXPECT_NE(dry.output.find("submissions: 5 imported (3 waiting, 1 held by a grader, 1 graded"), std::string::npos) << dry.output;
	TestClient before = anonymous();
	EXPECT_TRUE(before.login("lms", "lmspass")) << "a dry run changes no account";

	Run run = admin("import-xqueue --from=" + from + " --lms-user=lms " + importOptions);
	ASSERT_EQ(run.code, 0) << run.output;
	EXPECT_NE(run.output.find("accounts: 1 created, 2 updated, 0 already here; skipped 1 without a usable password, 0 with another hash kind"),
		std::string::npos) << run.output;
	EXPECT_NE(run.output.find("submissions: 5 imported (3 waiting, 1 held by a grader, 1 graded with the result to deliver to the LMS),"
		" 0 already here, 0 skipped for an id conflict"), std::string::npos) << run.output;
	Run again = admin("import-xqueue --from=" + from + " --lms-user=lms " + importOptions);
	EXPECT_EQ(again.code, 0) << again.output;
	EXPECT_NE(again.output.find("accounts: 0 created, 0 updated, 3 already here"), std::string::npos) << again.output;
	EXPECT_NE(again.output.find("submissions: 0 imported (0 waiting, 0 held by a grader, 0 graded with the result to deliver to the LMS),"
		" 5 already here"), std::string::npos) << again.output;

	// The accounts keep their Django passwords; the inactive one stays shut out.
	TestClient lmsClient = loggedIn("lms", "lms-pass");
	TestClient grader = loggedIn("grader", "grader-pass");
	TestClient retired = anonymous();
	EXPECT_FALSE(retired.login("retired-grader", "retired-pass"));

	// The grade the LMS refused on the old server is delivered from here, once.
	waitForCallbacks(1);
	const Callback* undelivered = callbackFor("/status500/cb/user2/undelivered");
	ASSERT_NE(undelivered, nullptr);
	EXPECT_EQ(undelivered->form.at("xqueue_body").find("{\"correct\": true, \"score\": 1"), 0u) << undelivered->form.at("xqueue_body");
	EXPECT_NE(undelivered->form.at("xqueue_header").find("\"lms_key\": \"key-d\""), std::string::npos);

	// The grader that held submission 1 on the old server posts its result with the old key.
	auto pLeased = facts(engine)->getObject("leased");
	std::string heldHeader = "{\"submission_id\": " + std::to_string(pLeased->getValue<Poco::Int64>("submission_id"))
		+ ", \"submission_key\": \"" + pLeased->getValue<std::string>("submission_key") + "\"}";
	EXPECT_EQ(parseEnvelope(putResult(grader, heldHeader, gradeWith("held")).body).returnCode, 0);
	waitForCallbacks(2);
	const Callback* held = callbackFor("/cb/user1/leased");
	ASSERT_NE(held, nullptr);
	EXPECT_EQ(held->form.at("xqueue_body"), gradeWith("held"));

	// The LMS's next submission of a problem supersedes the imported one (--lms-user).
	Reply newer = lmsClient.post("/xqueue/submit/", {{"xqueue_header", "{\"lms_callback_url\": \"" + lmsBase() + "cb/user4/twice\", \"lms_key\": \"key-3\","
		" \"queue_name\": \"test-pull\"}"}, {"xqueue_body", "{\"student_response\": \"third\"}"}});
	EXPECT_EQ(parseEnvelope(newer.body).returnCode, 0) << newer.body;

	// What waited is handed out here, in order, with its files; nothing graded before comes again.
	auto files = pull(grader, "test-pull");
	ASSERT_TRUE(files);
	EXPECT_EQ(files->body, "{\"student_response\": \"files\"}");
	Poco::JSON::Object::Ptr pLinks = Poco::JSON::Parser().parse(files->files).extract<Poco::JSON::Object::Ptr>();
	ASSERT_EQ(pLinks->size(), 2u) << files->files;
	std::string answerUrl = pLinks->getValue<std::string>("answer.py");
	if (importOptions.find("--files=copy") != std::string::npos)
	{
		Poco::URI link(answerUrl);
		EXPECT_EQ(link.getPort(), server().port()) << "served from here: " << answerUrl;
		Reply file = grader.get(link.getPathAndQuery());
		EXPECT_EQ(file.status, 200);
		EXPECT_EQ(file.body, "print('hello')\n");
	}
	else EXPECT_EQ(answerUrl.find("http://127.0.0.1:18143/test-pull/"), 0u) << "the old server's URL: " << answerUrl;
	auto third = pull(grader, "test-pull");
	ASSERT_TRUE(third);
	EXPECT_EQ(third->body, "{\"student_response\": \"third\"}") << "the imported 'second' was superseded";
	EXPECT_FALSE(pull(grader, "test-pull")) << "nothing else waits in test-pull: no re-grading";
	auto push = pull(grader, "test-push");
	ASSERT_TRUE(push);
	EXPECT_EQ(push->body, "{\"student_response\": \"push\"}");
	for (const auto* p: {&*files, &*third, &*push})
		EXPECT_EQ(parseEnvelope(putResult(grader, p->header, gradeWith("after")).body).returnCode, 0);
	waitForCallbacks(5);
	EXPECT_NE(callbackFor("/cb/user5/files"), nullptr);
	EXPECT_NE(callbackFor("/cb/user6/push"), nullptr);
	EXPECT_EQ(callbackFor("/cb/user3/delivered"), nullptr) << "retired on the old server: not imported";
	std::this_thread::sleep_for(300ms);
	EXPECT_EQ(lms().callbacks().size(), 5u) << "each result delivered once";
}


TEST_F(CutOverTest, ASqliteDatabaseOfThePythonXqueueComesOverWithFilesCopied)
{
	goesOnWithoutLoss("sqlite", sqliteSource(), "--files=copy --media-root=" + FIXTURES + "media --media-url=http://127.0.0.1:18143/");
}


TEST_F(CutOverTest, FilesMayStayWhereTheOldServerKeptThem)
{
	goesOnWithoutLoss("sqlite", sqliteSource(), "");
}


TEST_F(CutOverTest, AMySqlDatabaseOfThePythonXqueueComesOver)
{
	if (!testingMySql()) GTEST_SKIP() << "the MySQL source runs in the MariaDB pass";
	MySqlTestDatabase source;
	// The dump the real Python xqueue's MariaDB gave, loaded with the mariadb client as an operator would.
	std::string server = std::getenv("XQUEUE_TEST_MYSQL");
	std::map<std::string, std::string> keys;
	for (const auto& part: Poco::StringTokenizer(server, ";", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY))
		keys[part.substr(0, part.find('='))] = part.substr(part.find('=') + 1);
	std::string dump = this->server().dir().file("dump.sql");
	{
		Poco::FileInputStream in(FIXTURES + "xqueue-mysql.sql");
		std::string text;
		Poco::StreamCopier::copyToString(in, text);
		Poco::replaceInPlace(text, OLD_LMS, lmsBase());
		Poco::FileOutputStream(dump) << text;
	}
	std::string db = source.connection().substr(source.connection().rfind("db=") + 3);
	std::string command = "mariadb --no-defaults -h" + keys["host"] + " -P" + keys["port"] + " -u" + keys["user"]
		+ (keys.count("password") ? " -p" + keys["password"] : "") + " " + db + " < " + dump;
	ASSERT_EQ(std::system(command.c_str()), 0) << command;
	std::string passwordFile = this->server().dir().file("source-password");
	Poco::FileOutputStream(passwordFile) << keys["password"] << "\n";
	goesOnWithoutLoss("mysql", "'mysql:host=" + keys["host"] + ";port=" + keys["port"] + ";user=" + keys["user"] + ";db=" + db + "' --from-password-file="
		+ passwordFile, "--files=copy --media-root=" + FIXTURES + "media --media-url=http://127.0.0.1:18143/");
}


TEST_F(CutOverTest, ASourceThatCannotBeReadIsNamed)
{
	Run missing = admin("import-xqueue --from=sqlite:/nonexistent/xqueue.sqlite");
	EXPECT_EQ(missing.code, 66) << missing.output;
	EXPECT_NE(missing.output.find("cannot open sqlite:/nonexistent/xqueue.sqlite: "), std::string::npos) << missing.output;
	std::string notXqueue = server().dir().file("other.sqlite");
	{
		Poco::Data::SQLite::Connector::registerConnector();
		Poco::Data::Session s("SQLite", notXqueue);
		s << "CREATE TABLE t (x INTEGER)", now;
	}
	Run other = admin("import-xqueue --from=sqlite:" + notXqueue);
	EXPECT_EQ(other.code, 65) << other.output;
	EXPECT_NE(other.output.find("not a Python xqueue database"), std::string::npos) << other.output;
	for (const auto& [arguments, message]: std::vector<std::pair<std::string, std::string>>{
		{"import-xqueue", "--from is required"},
		{"import-xqueue --from=postgres:x", "--from: expected sqlite:PATH or mysql:"},
		{"import-xqueue --from='mysql:host=h;password=p'", "not in --from"},
		{"import-xqueue --from=sqlite:x --files=move", "--files: expected urls or copy"},
		{"import-xqueue --from=sqlite:x --media-url=http://m/", "--media-url needs --media-root"},
	})
	{
		Run run = admin(arguments);
		EXPECT_EQ(run.code, 64) << arguments << "\n" << run.output;
		EXPECT_NE(run.output.find(message), std::string::npos) << arguments << "\n" << run.output;
	}
}


TEST_F(CutOverTest, AnIdTakenHereIsReportedNotOverwritten)
{
	TestClient lmsClient = loggedIn();
	for (int i = 0; i < 2; ++i)
		EXPECT_EQ(parseEnvelope(submit(lmsClient, lms().callbackUrl("here" + std::to_string(i)), "{}", "test-pull").body).returnCode, 0);
	Run run = admin("import-xqueue --from=" + sqliteSource());
	EXPECT_EQ(run.code, 1) << run.output;
	EXPECT_NE(run.output.find("skipped submission 1 (queue test-pull): another submission here has that id"), std::string::npos) << run.output;
	EXPECT_NE(run.output.find("submissions: 3 imported (3 waiting, 0 held by a grader, 0 graded with the result to deliver to the LMS), 0 already here,"
		" 2 skipped for an id conflict"), std::string::npos) << run.output;
	TestClient grader = loggedIn("grader", "grader-pass");
	auto first = pull(grader, "test-pull");
	ASSERT_TRUE(first);
	EXPECT_EQ(first->id, 1);
	EXPECT_EQ(first->body, "{}") << "this server's own submission 1 is untouched";
}


} // namespace

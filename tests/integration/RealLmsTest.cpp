// SPDX-License-Identifier: Apache-2.0
//
// RealLmsTest.cpp
//
// The server as the real Open edX LMS meets it (clients.md 3): a fresh session per
// submission that is never closed, a login per submission, 10 s read timeouts, the key
// saved only after the LMS's own request ended, grades judged as CodeResponse judges them
// (RealisticLms). Each test is a row of the real-LMS issue's table.
//


#include "Sanitizers.h"
#include "ServerFixture.h"
#include "FakeGrader.h"
#include "RealisticLms.h"
#include "Poco/Net/SocketImpl.h"
#include "Poco/Net/StreamSocket.h"
#include <fstream>
#include <sys/resource.h>
#include <thread>


using namespace XQueueTest;
using namespace std::chrono_literals;


namespace {


class RealLmsTest: public ServerFixture
{
protected:
	TestServer::Properties properties() override
	{
		return {
			{"xqueue.delivery.min_submission_age", ""}, // the default: the point of these tests
			{"xqueue.queues.push.plugin", "http_push"},
			{"xqueue.queues.push.url", _grader.url()},
			{"xqueue.dispatch.poll_interval", "0.05"},
		};
	}

	void SetUp() override
	{
		ServerFixture::SetUp();
		if (IsSkipped()) return;
		_pLms = std::make_unique<RealisticLms>(server().port(), "lms", "lmspass");
	}

	RealisticLms& realLms() { return *_pLms; }
	FakeGrader& grader() { return _grader; }

	// A pull grader as xqueue-watcher runs it: it polls and answers each submission at once.
	void gradePulled(std::size_t n, std::chrono::seconds within)
	{
		TestClient g = loggedIn("grader", "graderpass");
		auto deadline = std::chrono::steady_clock::now() + within;
		for (std::size_t done = 0; done < n && std::chrono::steady_clock::now() < deadline; )
		{
			auto p = pull(g);
			if (!p)
			{
				std::this_thread::sleep_for(10ms);
				continue;
			}
			EXPECT_EQ(putResult(g, p->header, gradeWith("pulled")).body, envelope(0, ""));
			++done;
		}
	}

private:
	FakeGrader _grader;
	std::unique_ptr<RealisticLms> _pLms;
};


TEST_F(RealLmsTest, NoGradeArrivesBeforeTheLmsSavedItsKey)
{
	// The LMS saves its key 20-150 ms after xqueue's reply (it saves at the end of its own
	// request); a push grader answers in a few ms. Nothing may be dropped as a key mismatch.
	std::size_t submitted = 0;
	for (int delayMs: {0, 20, 150, 1000})
	{
		realLms().setSaveDelay(std::chrono::milliseconds(delayMs));
		for (int i = 0; i < 3; ++i)
		{
			ASSERT_TRUE(realLms().submit("push").queued);
			ASSERT_TRUE(realLms().submit("tmp").queued);
			submitted += 2;
		}
		gradePulled(3, 10s);
	}
	ASSERT_TRUE(realLms().view().waitForCount(submitted, 20s)) << realLms().view().count();
	EXPECT_EQ(realLms().view().outcomes("applied"), submitted);
	EXPECT_EQ(realLms().view().outcomes("key mismatch"), 0u);
}


class RealLmsWithoutMinimumAgeTest: public RealLmsTest
{
protected:
	TestServer::Properties properties() override
	{
		auto p = RealLmsTest::properties();
		p["xqueue.delivery.min_submission_age"] = "0";
		return p;
	}
};


TEST_F(RealLmsWithoutMinimumAgeTest, GradesDeliveredAtOnceAreDroppedByTheLms)
{
	// The control: what the LMS did with this server's grades before the minimum age.
	realLms().setSaveDelay(1000ms);
	for (int i = 0; i < 3; ++i) ASSERT_TRUE(realLms().submit("push").queued);
	ASSERT_TRUE(realLms().view().waitForCount(3, 10s));
	EXPECT_GE(realLms().view().outcomes("key mismatch"), 1u) << "the fake LMS reproduces the real one's drop";
}


// Raw sockets from a chosen loopback address (127.0.0.0/8 is all this machine's).
Poco::Net::StreamSocket connectFrom(const std::string& source, int port)
{
	Poco::Net::StreamSocket socket(Poco::Net::SocketAddress::IPv4);
	socket.impl()->bind(Poco::Net::SocketAddress(source, 0), true);
	socket.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)), Poco::Timespan(5, 0));
	socket.setReceiveTimeout(Poco::Timespan(10, 0));
	return socket;
}


std::string readReply(Poco::Net::StreamSocket& socket)
	/// One reply with a Content-Length body (enough for the server's envelopes).
{
	std::string text;
	char buffer[4096];
	while (true)
	{
		auto end = text.find("\r\n\r\n");
		if (end != std::string::npos)
		{
			auto at = text.find("Content-Length: ");
			std::size_t length = at == std::string::npos ? 0 : std::stoul(text.substr(at + 16));
			if (text.size() >= end + 4 + length) return text;
		}
		int n = socket.receiveBytes(buffer, sizeof(buffer));
		if (n <= 0) return text;
		text.append(buffer, static_cast<std::size_t>(n));
	}
}


void raiseDescriptorLimit(rlim_t wanted)
{
	rlimit files{};
	ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &files), 0);
	if (files.rlim_cur < wanted && files.rlim_max >= wanted)
	{
		files.rlim_cur = wanted;
		ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &files), 0);
	}
	ASSERT_GE(files.rlim_cur, wanted) << "this test needs " << wanted << " descriptors";
}


TEST_F(RealLmsTest, IdleConnectionsDelayNobody)
{
	// The LMS leaves every session open; graders keep theirs between polls. 2,000 idle
	// keep-alive connections, each after one request, must not hold a request thread.
	raiseDescriptorLimit(4500);
	std::vector<Poco::Net::StreamSocket> idle;
	idle.reserve(2000);
	for (int i = 0; i < 2000; ++i)
	{
		idle.push_back(connectFrom("127.0.0.1", server().port()));
		std::string request = "GET /xqueue/status/ HTTP/1.1\r\nHost: xqueue\r\n\r\n";
		idle.back().sendBytes(request.data(), static_cast<int>(request.size()));
	}
	for (auto& socket: idle) ASSERT_NE(readReply(socket).find("200 OK"), std::string::npos);

	auto started = std::chrono::steady_clock::now();
	QueueReply first = realLms().submit("tmp");
	double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
	EXPECT_TRUE(first.queued) << first.content;
	EXPECT_LT(seconds, 1.0) << "a new client is answered at once (four requests, one login)";

	// 100 LMS requests at once, each with its own never-closed session.
	std::vector<std::thread> students;
	std::atomic<int> queued{0};
	std::mutex mutex;
	std::vector<std::string> errors;
	for (int i = 0; i < 100; ++i)
	{
		students.emplace_back([&]() {
			QueueReply reply = realLms().submit("tmp");
			if (reply.queued) ++queued;
			else
			{
				std::lock_guard<std::mutex> lock(mutex);
				errors.push_back(reply.content);
			}
		});
	}
	for (auto& t: students) t.join();
	EXPECT_EQ(queued.load(), 100) << (errors.empty() ? std::string() : errors.front());
	EXPECT_EQ(realLms().xqueue().openSessions(), 101u);

	// The idle connections still work.
	std::string request = "GET /xqueue/status/ HTTP/1.1\r\nHost: xqueue\r\n\r\n";
	idle[7].sendBytes(request.data(), static_cast<int>(request.size()));
	EXPECT_NE(readReply(idle[7]).find("200 OK"), std::string::npos);
}


TEST_F(RealLmsTest, ALoginPerSubmissionIsRememberedAndPasswordChangesApplyAtOnce)
{
	for (int i = 0; i < 5; ++i) ASSERT_TRUE(realLms().submit("tmp").queued);
	std::string m = anonymous().get("/metrics").body;
	EXPECT_EQ(metricValue(m, "xqueue_logins_total{outcome=\"verified\"}"), 1) << m;
	EXPECT_GE(metricValue(m, "xqueue_logins_total{outcome=\"remembered\"}"), 4) << "no PBKDF2 for a pair verified before";

	ASSERT_EQ(server().admin("user set lms", "newpass\n"), 0);
	QueueReply stale = realLms().submit("tmp");
	EXPECT_FALSE(stale.queued);
	EXPECT_EQ(stale.content, "Incorrect login credentials") << "the old password fails at once";
	RealisticLms renewed(server().port(), "lms", "newpass");
	EXPECT_TRUE(renewed.submit("tmp").queued);

	ASSERT_EQ(server().admin("user set lms --inactive", "newpass\n"), 0);
	EXPECT_EQ(renewed.submit("tmp").content, "Incorrect login credentials") << "deactivation applies at once";
	ASSERT_EQ(server().admin("user remove lms"), 0);
	EXPECT_EQ(renewed.submit("tmp").content, "Incorrect login credentials");
}


TEST_F(RealLmsTest, NobodyCanLockTheLmsOut)
{
	// 1,000 wrong passwords for the LMS's account, from one address and from many.
	auto wrongLogin = [&](const std::string& source) {
		Poco::Net::StreamSocket socket = connectFrom(source, server().port());
		std::string form = "username=lms&password=guess";
		std::string request = "POST /xqueue/login/ HTTP/1.1\r\nHost: xqueue\r\nContent-Type: application/x-www-form-urlencoded\r\n"
			"Content-Length: " + std::to_string(form.size()) + "\r\nConnection: close\r\n\r\n" + form;
		socket.sendBytes(request.data(), static_cast<int>(request.size()));
		return readReply(socket);
	};
	int refused = 0;
	for (int i = 0; i < 500; ++i)
	{
		if (wrongLogin("127.0.0.2").find("429") != std::string::npos) ++refused;
	}
	for (int i = 0; i < 500; ++i)
	{
		if (wrongLogin("127.0.1." + std::to_string(1 + i % 250)).find("429") != std::string::npos) ++refused;
	}
	EXPECT_GE(refused, 700) << "the guessers are throttled";
	QueueReply reply = realLms().submit("tmp");
	EXPECT_TRUE(reply.queued) << reply.content << ": the LMS logs in and submits at once";
}


long long peakRssKiB(int pid)
{
	std::ifstream status("/proc/" + std::to_string(pid) + "/status");
	std::string line;
	while (std::getline(status, line))
	{
		if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6));
	}
	return -1;
}


TEST_F(RealLmsTest, TheLmsUploadLimitsFitAndMemoryStaysFlat)
{
	// The LMS accepts 20 files of 4 MB per input: 9 of them in one submission.
	std::vector<FilePart> files;
	for (int i = 0; i < 9; ++i)
		files.push_back({"part" + std::to_string(i) + ".bin", "part" + std::to_string(i) + ".bin", std::string(4000000, static_cast<char>('a' + i))});
	long long before = peakRssKiB(server().pid());
	QueueReply reply = realLms().submit("tmp", "", files);
	EXPECT_TRUE(reply.queued) << reply.content;
	long long grown = peakRssKiB(server().pid()) - before;
#if XQUEUE_UNDER_ASAN
	(void) grown; // ASan keeps freed memory in quarantine: the figure means nothing there
#else
	EXPECT_LT(grown, 24 * 1024) << "a 36 MB body streams to disk, it is not held in memory (grew " << grown << " KiB)";
#endif

	// A declared length over the limit is answered at once, before the body, and the
	// connection is then closed cleanly (end of stream after the reply, not a reset).
	Poco::Net::StreamSocket socket = connectFrom("127.0.0.1", server().port());
	std::string request = "POST /xqueue/submit/ HTTP/1.1\r\nHost: xqueue\r\nContent-Type: application/x-www-form-urlencoded\r\n"
		"Content-Length: 10000000000\r\n\r\nxqueue_body=";
	socket.sendBytes(request.data(), static_cast<int>(request.size()));
	auto started = std::chrono::steady_clock::now();
	std::string answer = readReply(socket);
	EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
	EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer;
	EXPECT_NE(answer.find("Request body exceeds the limit of 134217728 bytes"), std::string::npos) << answer;
	char byte;
	EXPECT_EQ(socket.receiveBytes(&byte, 1), 0) << "end of stream";
}


TEST_F(RealLmsTest, EnvelopesEscapeDeleteAsJsonDumpsDoes)
{
	QueueReply reply = realLms().submit("q\x7f");
	EXPECT_FALSE(reply.queued);
	TestClient c = loggedIn();
	std::string header = "{\"lms_callback_url\": \"" + lms().callbackUrl("1/b") + "\", \"lms_key\": \"k\", \"queue_name\": \"q\x7f\"}";
	EXPECT_EQ(c.post("/xqueue/submit/", {{"xqueue_header", header}, {"xqueue_body", "{}"}}).body,
		"{\"return_code\": 1, \"content\": \"Queue 'q\\u007f' not found\"}");
}


class RealLmsOnAPrivateAddressTest: public RealLmsTest
{
protected:
	TestServer::Properties properties() override
	{
		auto p = RealLmsTest::properties();
		p["xqueue.outbound.allow_addresses"] = ""; // as in production
		return p;
	}
};


TEST_F(RealLmsOnAPrivateAddressTest, IsRefusedAtSubmitUntilTheOperatorRegistersIt)
{
	QueueReply refused = realLms().submit("push");
	EXPECT_FALSE(refused.queued);
	EXPECT_EQ(refused.content.rfind("lms_callback_url is refused: 127.0.0.1 is a special-purpose address", 0), 0u) << refused.content;
	ASSERT_EQ(server().admin("user callbacks lms " + realLms().callbackPrefix()), 0);
	ASSERT_TRUE(realLms().submit("push").queued);
	ASSERT_TRUE(realLms().view().waitForCount(1, 10s));
	EXPECT_EQ(realLms().view().outcomes("applied"), 1u) << "delivered to the registered LMS on loopback";
}


} // namespace

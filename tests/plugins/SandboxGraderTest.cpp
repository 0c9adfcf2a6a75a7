// SPDX-License-Identifier: Apache-2.0
//
// SandboxGraderTest.cpp
//
// The sandbox plugin's grading with real bubblewrap runs: graders in Python and in shell
// (xqueue-watcher's container contract), the watcher's result page, and hostile student
// code - each case contained and graded as an error.
//


#include "GraderPath.h"
#include "ResultPage.h"
#include "SandboxGrader.h"
#include "TempDir.h"
#include "xqueue/sdk/PythonJson.hpp"
#include "Poco/JSON/Object.h"
#include "Poco/JSON/Parser.h"
#include "Poco/Net/ServerSocket.h"
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <mutex>
#include <sys/stat.h>
#include <thread>


using namespace XQueuePlugin;
using namespace std::chrono_literals;


namespace {


const std::string ERROR_PAGE_PART = "There was a problem running your code (Staff debug). Please contact the course staff for assistance.";


std::string body(const std::string& code, const std::string& payload)
{
	return "{\"student_response\": " + xqueue::sdk::jsonString(code) + ", \"grader_payload\": " + xqueue::sdk::jsonString(payload) +
		", \"student_info\": \"{}\"}";
}


struct Grade
{
	bool correct = false;
	std::string score;
	std::string msg;
};


Grade parse(const std::string& json)
{
	Poco::JSON::Parser parser;
	auto object = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
	// The score as written (Poco would print 1.0 as 1).
	auto at = json.find("\"score\": ") + 9;
	return Grade{object->getValue<bool>("correct"), json.substr(at, json.find(',', at) - at), object->getValue<std::string>("msg")};
}


class SandboxGraderTest: public ::testing::Test
{
protected:
	void SetUp() override
	{
		// The runs are another user: the graders must be readable by anyone, wherever the
		// tree was checked out.
		::chmod(_root.path().c_str(), 0755);
		std::filesystem::copy(XQUEUE_SANDBOX_FIXTURES, _root.path(),
			std::filesystem::copy_options::recursive | std::filesystem::copy_options::copy_symlinks);
		_limits.timeoutSeconds = 3;
		_limits.cpuSeconds = 3;
	}

	SandboxGrader grader(const std::string& command)
	{
		SandboxSetup setup;
		setup.graderRoot = _root.path();
		setup.command = {command};
		return SandboxGrader(setup, _limits, [this](const std::string& line) {
			std::lock_guard<std::mutex> lock(_mutex);
			_warnings += line + "\n";
		});
	}

	Grade python(const std::string& code, std::int64_t submission = 1)
	{
		return parse(grader("/usr/bin/python3").grade(submission, body(code, "{\"grader\": \"week1/square.py\"}")));
	}

	std::string warnings()
	{
		std::lock_guard<std::mutex> lock(_mutex);
		return _warnings;
	}

	void expectError(const Grade& grade)
	{
		EXPECT_FALSE(grade.correct);
		EXPECT_EQ(grade.score, "0");
		EXPECT_NE(grade.msg.find("<div class=\"shortform\">\n    ERROR\n"), std::string::npos) << grade.msg;
		EXPECT_NE(grade.msg.find(ERROR_PAGE_PART), std::string::npos) << grade.msg;
	}

	SandboxLimits _limits;
	XQueueTest::TempDir _root;

private:
	std::mutex _mutex;
	std::string _warnings;
};


TEST_F(SandboxGraderTest, APythonGraderGradesTheStudentsCode)
{
	Grade right = python("def square(x):\n    return x * x\n");
	EXPECT_TRUE(right.correct);
	EXPECT_EQ(right.score, "1.0");
	EXPECT_NE(right.msg.find("CORRECT"), std::string::npos) << right.msg;
	EXPECT_NE(right.msg.find("<h4>square(3)</h4>"), std::string::npos) << right.msg;
	Grade wrong = python("def square(x):\n    return x + x\n");
	EXPECT_FALSE(wrong.correct);
	EXPECT_EQ(wrong.score, "0.0");
	EXPECT_NE(wrong.msg.find("INCORRECT"), std::string::npos);
	EXPECT_NE(wrong.msg.find("<dt>Your output:</dt>\n    <dd class=\"result-actual-output\"><pre>6</pre></dd>"), std::string::npos) << wrong.msg;
	EXPECT_EQ(warnings(), "");
}


TEST_F(SandboxGraderTest, AShellGraderAndTheWatchersPageByteForByte)
{
	std::string right = grader("/bin/sh").grade(1, body("42", "{\"grader\": \"answer.sh\"}"));
	// grader.py's render_results for {"correct": true, "score": 1, "errors": [], "tests":
	// [["answer", "the answer", true, "42", "42"]]}, json.dumps'd.
	EXPECT_EQ(right,
		"{\"correct\": true, \"score\": 1, \"msg\": \"\\n<div class=\\\"test\\\">\\n<header>Test results</header>\\n  <section>\\n"
		"    <div class=\\\"shortform\\\">\\n    CORRECT\\n    </div>\\n    <div class=\\\"longform\\\">\\n      \\n      \\n"
		"  <div class=\\\"result-output result-correct\\\">\\n    <h4>answer</h4>\\n    <pre><p>the answer</p></pre>\\n    <dl>\\n"
		"    <dt>Output:</dt>\\n    <dd class=\\\"result-actual-output\\\">\\n       <pre>42</pre>\\n       </dd>\\n    </dl>\\n  </div>\\n"
		"\\n    </div>\\n  </section>\\n</div>\\n\"}");
	Grade wrong = parse(grader("/bin/sh").grade(2, body("<b>41</b>", "{\"grader\": \"answer.sh\"}")));
	EXPECT_FALSE(wrong.correct);
	EXPECT_NE(wrong.msg.find("<pre>&lt;&lt;b&gt;41&lt;/b&gt;&gt;</pre>"), std::string::npos) << "the student's text is escaped: " << wrong.msg;
}


TEST_F(SandboxGraderTest, TheRunSeesTheContractAndNothingOfTheHost)
{
	::setenv("XQUEUE_STORE_PASSWORD", "host-secret", 1);
	Grade seen = parse(grader("/bin/sh").grade(1, body("x", "{\"grader\": \"environment.sh\", \"lang\": \"fr\", \"hide_output\": true}")));
	::unsetenv("XQUEUE_STORE_PASSWORD");
	EXPECT_EQ(seen.msg.find("host-secret"), std::string::npos);
	EXPECT_NE(seen.msg.find(" 1 fr 1 "), std::string::npos) << "the seed after the script, GRADER_LANGUAGE, HIDE_OUTPUT: " << seen.msg;
	EXPECT_NE(seen.msg.find("SUBMISSION_CODE=x"), std::string::npos) << seen.msg;
	EXPECT_NE(seen.msg.find("HOME=/tmp"), std::string::npos) << seen.msg;
	if (::geteuid() == 0)
	{
		EXPECT_NE(seen.msg.find("<pre>2000000001 "), std::string::npos) << "never root: " << seen.msg;
	}
}


TEST_F(SandboxGraderTest, GraderPathsStayUnderTheRoot)
{
	EXPECT_EQ(GraderPath::resolve(_root.path(), "week1/square.py"), "week1/square.py");
	EXPECT_EQ(GraderPath::resolve(_root.path(), "./week1//square.py"), "week1/square.py");
	for (const char* bad: {"../etc/passwd", "week1/../../x", "/etc/passwd", "outside_link.sh", "week1", "missing.py", ""})
		EXPECT_THROW(GraderPath::resolve(_root.path(), bad), std::invalid_argument) << bad;
	// A payload naming no usable grader is the course's mistake: not a grade, an error.
	EXPECT_THROW(grader("/bin/sh").grade(1, body("42", "{\"grader\": \"../answer.sh\"}")), std::invalid_argument);
	EXPECT_THROW(grader("/bin/sh").grade(1, "not json"), std::invalid_argument);
}


TEST_F(SandboxGraderTest, SkipGraderAndRunFailuresAreGrades)
{
	Grade skipped = parse(grader("/bin/sh").grade(1, body("", "{\"grader\": \"answer.sh\", \"skip_grader\": true}")));
	EXPECT_TRUE(skipped.correct);
	EXPECT_NE(skipped.msg.find("CORRECT"), std::string::npos);
	expectError(parse(grader("/bin/sh").grade(1, body("42", "{\"grader\": \"not_json.sh\"}"))));
	EXPECT_NE(warnings().find("the grader's last line is not a JSON object (it begins: this grader prints no results)"), std::string::npos) << warnings();
	expectError(python("this is not python"));
	EXPECT_NE(warnings().find("the run exited with code 1; stderr: Traceback"), std::string::npos) << warnings();
	expectError(python(std::string(200000, '#')));
	EXPECT_NE(warnings().find("more than the 131055 an environment variable can hold; not run"), std::string::npos) << warnings();
	EXPECT_EQ(warnings().find("this is not python"), std::string::npos) << "the student's code is never logged";
}


TEST_F(SandboxGraderTest, HostileCodeCannotReadTheServersFiles)
{
	XQueueTest::TempDir server;
	std::ofstream(server.file("xqueue.properties")) << "xqueue.store.password = server-secret\n";
	std::ofstream(server.file("xqueue.sqlite")) << "server-secret rows";
	for (const std::string& file: {server.file("xqueue.properties"), server.file("xqueue.sqlite"), std::string("/etc/shadow"), std::string("/proc/1/environ")})
	{
		Grade grade = python("print(open(" + xqueue::sdk::jsonString(file) + ").read())\n");
		expectError(grade);
		EXPECT_EQ(grade.msg.find("server-secret"), std::string::npos);
	}
}


TEST_F(SandboxGraderTest, HostileCodeCannotReachTheNetwork)
{
	Poco::Net::ServerSocket listener(Poco::Net::SocketAddress("127.0.0.1", 0));
	const std::string port = std::to_string(listener.address().port());
	expectError(python("import socket\nsocket.create_connection(('127.0.0.1', " + port + "), timeout=1)\n"));
	expectError(python("import socket\nsocket.create_connection(('deb.debian.org', 80), timeout=1)\n"));
	EXPECT_FALSE(listener.poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ)) << "nothing connected to the host";
}


struct HostileCode
{
	const char* what;
	std::string code;
	const char* stoppedBy; /// what the log says ended the run
};


void PrintTo(const HostileCode& c, std::ostream* out)
{
	*out << c.what;
}


class HostileCodeTest: public SandboxGraderTest, public ::testing::WithParamInterface<HostileCode>
{
};


TEST_P(HostileCodeTest, IsStoppedGradedAsAnErrorAndLeavesNothingBehind)
{
	const HostileCode& c = GetParam();
	// Each case its own run user, so that cases running at once (ctest -j) keep apart.
	const std::int64_t submission = 100 + static_cast<std::int64_t>(std::hash<std::string>()(c.what) % 1000);
	auto started = std::chrono::steady_clock::now();
	expectError(python(c.code, submission));
	EXPECT_LT(std::chrono::steady_clock::now() - started, 8s);
	EXPECT_NE(warnings().find(c.stoppedBy), std::string::npos) << warnings();
	EXPECT_FALSE(std::filesystem::exists(_root.file("planted")));
	EXPECT_FALSE(std::filesystem::exists("/usr/planted"));
	// Nothing of the run is left: no live process of its user (the kernel tears a PID
	// namespace down after its first process died, which takes a moment; a zombie
	// waiting for the machine's init to reap it runs nothing).
	const uid_t runUser = static_cast<uid_t>(2000000000 + submission);
	std::vector<std::string> survivors;
	for (auto until = std::chrono::steady_clock::now() + 5s; std::chrono::steady_clock::now() < until; std::this_thread::sleep_for(100ms))
	{
		survivors.clear();
		for (const auto& entry: std::filesystem::directory_iterator("/proc"))
		{
			const std::string name = entry.path().filename().string();
			struct stat owner{};
			if (name.find_first_not_of("0123456789") != std::string::npos || ::stat(entry.path().c_str(), &owner) != 0) continue;
			if (owner.st_uid != runUser) continue;
			std::ifstream stat(entry.path() / "stat");
			std::string line;
			std::getline(stat, line);
			auto close = line.rfind(") ");
			if (close != std::string::npos && line.compare(close + 2, 1, "Z") != 0) survivors.push_back(name);
		}
		if (survivors.empty()) break;
	}
	EXPECT_TRUE(survivors.empty()) << survivors.size() << " processes of the run survived, e.g. " << survivors.front();
}


INSTANTIATE_TEST_SUITE_P(Sandbox, HostileCodeTest, ::testing::Values(
	HostileCode{"ForkBomb", "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n", "ran past its time limit"},
	HostileCode{"MemoryBomb", "blocks = []\nwhile True:\n    blocks.append(bytearray(64 * 1024 * 1024))\n", "MemoryError"},
	HostileCode{"LoopIgnoringSigterm", "import signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nwhile True:\n    pass\n", "ran past its time limit"},
	HostileCode{"SetsidEscape", "import os, time\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n        time.sleep(600)\n    os._exit(0)\ntime.sleep(600)\n",
		"ran past its time limit"},
	HostileCode{"OutputFlood", "while True:\n    print('x' * 4096)\n", "wrote more output than its cap"},
	HostileCode{"WritingTheGraders", "open('/grader/planted', 'w').write('x')\n", "Read-only file system"},
	HostileCode{"WritingTheSystem", "open('/usr/planted', 'w').write('x')\n", "Read-only file system"},
	HostileCode{"HugeFile", "open('/tmp/big', 'wb').write(b'x' * (64 * 1024 * 1024))\n", "File too large"}),
	[](const ::testing::TestParamInfo<HostileCode>& param) { return std::string(param.param.what); });


TEST_F(SandboxGraderTest, FiftyRunsAtOnce)
{
	std::vector<std::thread> threads;
	std::atomic<int> correct{0};
	for (int i = 0; i < 50; ++i)
	{
		threads.emplace_back([&, i]() {
			Grade grade = parse(grader("/bin/sh").grade(1000 + i, body("42", "{\"grader\": \"answer.sh\"}")));
			if (grade.correct) ++correct;
		});
	}
	for (auto& t: threads) t.join();
	EXPECT_EQ(correct.load(), 50) << warnings();
}


} // namespace

// SPDX-License-Identifier: Apache-2.0
//
// SandboxQueueTest.cpp
//
// The sandbox plugin end to end: the LMS submits student code to a queue whose grader
// is a course team's Python script, the host grades it in bubblewrap (in a worker
// process) and the LMS gets the watcher-style page - ERROR for hostile code, as a grade.
//


#include "ServerFixture.h"
#include "xqueue/sdk/PythonJson.hpp"
#include <filesystem>
#include <sys/stat.h>


using namespace XQueueTest;
using namespace std::chrono_literals;


namespace {


class SandboxQueueTest: public ServerFixture
{
protected:
	TestServer::Properties properties() override
	{
		::chmod(_graders.path().c_str(), 0755); // the runs are another user
		std::filesystem::copy(std::string(XQUEUE_SOURCE_DIR) + "/tests/fixtures/sandbox", _graders.path(),
			std::filesystem::copy_options::recursive | std::filesystem::copy_options::copy_symlinks);
		return {
			{"xqueue.queues.python.plugin", "sandbox"},
			{"xqueue.queues.python.grader_root", _graders.path()},
			{"xqueue.queues.python.command", "/usr/bin/python3"},
			{"xqueue.queues.python.timeout", "2"},
			{"xqueue.queues.python.time_budget", "10"},
		};
	}

	std::string submitCode(const std::string& id, const std::string& code)
	{
		TestClient c = loggedIn();
		std::string body = "{\"student_response\": " + xqueue::sdk::jsonString(code) +
			", \"grader_payload\": \"{\\\"grader\\\": \\\"week1/square.py\\\"}\", \"student_info\": \"{}\"}";
		submit(c, lms().callbackUrl(id), body, "python");
		auto until = std::chrono::steady_clock::now() + 20s;
		for (; std::chrono::steady_clock::now() < until; std::this_thread::sleep_for(20ms))
		{
			for (const auto& call: lms().callbacks())
			{
				if (call.path.find("/" + id + "/") != std::string::npos) return call.form.at("xqueue_body");
			}
		}
		return "";
	}

private:
	TempDir _graders;
};


TEST_F(SandboxQueueTest, StudentCodeIsGradedInTheSandbox)
{
	std::string right = submitCode("right", "def square(x):\n    return x * x\n");
	EXPECT_EQ(right.rfind("{\"correct\": true, \"score\": 1.0, \"msg\": \"\\n<div class=\\\"test\\\">", 0), 0u) << right;
	EXPECT_NE(right.find("CORRECT"), std::string::npos);
	std::string bomb = submitCode("bomb", "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n");
	EXPECT_EQ(bomb.rfind("{\"correct\": false, \"score\": 0, \"msg\": ", 0), 0u) << bomb;
	EXPECT_NE(bomb.find("ERROR"), std::string::npos) << "a grade saying ERROR, not the failure notice: " << bomb;
	EXPECT_NE(server().log().find("(grader week1/square.py): the run ran past its time limit"), std::string::npos) << server().log();
	EXPECT_EQ(server().log().find("os.fork"), std::string::npos) << "the student's code is not logged";
}


} // namespace

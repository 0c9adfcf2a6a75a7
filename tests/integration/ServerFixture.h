// SPDX-License-Identifier: Apache-2.0
//
// ServerFixture.h
//
// Starts a real xqueue-server with users "lms" and "grader", a fake LMS, and helpers
// that speak the protocol as the LMS and a pull grader do.
//


#ifndef XQueueTest_ServerFixture_INCLUDED
#define XQueueTest_ServerFixture_INCLUDED


#include "FakeLms.h"
#include "TestClient.h"
#include "TestServer.h"
#include "Poco/JSON/Object.h"
#include "Poco/JSON/Parser.h"
#include <gtest/gtest.h>
#include <memory>
#include <optional>


namespace XQueueTest {


struct Envelope
{
	int returnCode = -1;
	Poco::Dynamic::Var content;

	std::string text() const { return content.isString() ? content.extract<std::string>() : content.toString(); }
};


struct Pulled
{
	Poco::Int64 id = 0;
	std::string key;
	std::string header; /// the xqueue_header string to echo
	std::string body;
	std::string files;
};


inline Envelope parseEnvelope(const std::string& body)
{
	Envelope e;
	Poco::JSON::Parser parser;
	auto pObject = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
	e.returnCode = pObject->getValue<int>("return_code");
	e.content = pObject->get("content");
	return e;
}


inline double metricValue(const std::string& metrics, const std::string& series)
	/// The value of one exact series line ("name{labels}"), or -1 if absent.
{
	std::string prefix = series + " ";
	std::size_t at = 0;
	while ((at = metrics.find(prefix, at)) != std::string::npos)
	{
		if (at == 0 || metrics[at - 1] == '\n')
			return std::stod(metrics.substr(at + prefix.size(), metrics.find('\n', at) - at - prefix.size()));
		at += prefix.size();
	}
	return -1;
}


inline std::string gradeWith(const std::string& msg)
	/// A grade the LMS accepts (GradeCheck), told apart by its message (plain text).
{
	return "{\"correct\": true, \"score\": 1, \"msg\": \"" + msg + "\"}";
}


inline std::string envelope(int rc, const std::string& content)
{
	return "{\"return_code\": " + std::to_string(rc) + ", \"content\": \"" + content + "\"}";
}


class ServerFixture: public ::testing::Test
{
protected:
	virtual TestServer::Properties properties() { return {}; }

	void SetUp() override
	{
		if (testingMySql() && !MySqlTestDatabase().available()) GTEST_SKIP() << NO_MYSQL;
		_pServer = std::make_unique<TestServer>(properties());
		_pServer->createUser("lms", "lmspass");
		_pServer->createUser("grader", "graderpass");
		_pServer->start();
	}

	void TearDown() override
	{
		if (_pServer && HasFailure()) std::cerr << "---- server log ----\n" << _pServer->log() << "--------------------\n";
	}

	TestServer& server() { return *_pServer; }
	FakeLms& lms() { return _lms; }

	TestClient anonymous() { return TestClient(_pServer->port()); }

	TestClient loggedIn(const std::string& user = "lms", const std::string& password = "lmspass")
	{
		TestClient client(_pServer->port());
		EXPECT_TRUE(client.login(user, password));
		return client;
	}

	std::string header(const std::string& callback, const std::string& queue = "tmp", const std::string& key = "k1")
	{
		return "{\"lms_callback_url\": \"" + callback + "\", \"lms_key\": \"" + key + "\", \"queue_name\": \"" + queue + "\"}";
	}

	Reply submit(TestClient& client, const std::string& callback, const std::string& body = "{\"student_response\": \"x\"}",
		const std::string& queue = "tmp")
	{
		return client.post("/xqueue/submit/", {{"xqueue_header", header(callback, queue)}, {"xqueue_body", body}});
	}

	std::optional<Pulled> pull(TestClient& client, const std::string& queue = "tmp")
	{
		Reply reply = client.get("/xqueue/get_submission/?queue_name=" + queue);
		EXPECT_EQ(reply.status, 200);
		Envelope e = parseEnvelope(reply.body);
		if (e.returnCode != 0) return std::nullopt;
		Poco::JSON::Parser parser;
		auto pContent = parser.parse(e.content.extract<std::string>()).extract<Poco::JSON::Object::Ptr>();
		Pulled p;
		p.header = pContent->getValue<std::string>("xqueue_header");
		p.body = pContent->getValue<std::string>("xqueue_body");
		p.files = pContent->getValue<std::string>("xqueue_files");
		Poco::JSON::Parser headerParser;
		auto pHeader = headerParser.parse(p.header).extract<Poco::JSON::Object::Ptr>();
		p.id = pHeader->getValue<Poco::Int64>("submission_id");
		p.key = pHeader->getValue<std::string>("submission_key");
		return p;
	}

	Reply putResult(TestClient& client, const std::string& xqueueHeader, const std::string& grade)
	{
		// xqueue-watcher's field order: body, then header.
		return client.post("/xqueue/put_result/", {{"xqueue_body", grade}, {"xqueue_header", xqueueHeader}});
	}

private:
	FakeLms _lms;
	std::unique_ptr<TestServer> _pServer;
};


} // namespace XQueueTest


#endif // XQueueTest_ServerFixture_INCLUDED

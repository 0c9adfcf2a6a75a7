// SPDX-License-Identifier: Apache-2.0
//
// ProtocolTest.cpp
//
// Every branch and message of the wire contract (protocol doc sections 1, 2 and 8),
// byte for byte where clients depend on bytes.
//


#include "ServerFixture.h"
#include "Poco/Net/HTTPClientSession.h"
#include "Poco/Net/HTTPRequest.h"
#include "Poco/Net/HTTPResponse.h"
#include "Poco/StreamCopier.h"
#include <regex>


using namespace XQueueTest;


namespace {


class ProtocolTest: public ServerFixture
{
};


const std::string NOT_FOUND_PAGE =
	"\n<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n"
	"  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n";


// ---- section 1: conventions ------------------------------------------------------

TEST_F(ProtocolTest, StatusIsTheExactEnvelope)
{
	TestClient c = anonymous();
	Reply r = c.get("/xqueue/status/");
	EXPECT_EQ(r.status, 200);
	EXPECT_EQ(r.body, "{\"return_code\": 0, \"content\": \"OK\"}");
	EXPECT_EQ(r.body.size(), 35u);
	EXPECT_EQ(r.header("Content-Type"), "text/html; charset=utf-8");
	EXPECT_EQ(r.header("Content-Length"), "35");
	Reply head = c.request("HEAD", "/xqueue/status/");
	EXPECT_EQ(head.status, 200);
	EXPECT_EQ(head.header("Content-Length"), "35");
}


TEST_F(ProtocolTest, UnsafeMethodsOnCsrfProtectedViewsAre403)
{
	TestClient c = loggedIn();
	for (const std::string path: {"/xqueue/status/", "/xqueue/get_queuelen/?queue_name=tmp", "/xqueue/get_submission/?queue_name=tmp"})
	{
		for (const std::string method: {"POST", "PUT", "PATCH", "DELETE"})
		{
			Reply r = c.request(method, path, "x=1", "application/x-www-form-urlencoded");
			EXPECT_EQ(r.status, 403) << method << " " << path;
		}
	}
	TestClient a = anonymous();
	EXPECT_EQ(a.request("POST", "/xqueue/get_submission/?queue_name=tmp").status, 403) << "CSRF comes before login";
}


TEST_F(ProtocolTest, MissingTrailingSlashIs301BeforeAuthenticationForEveryMethod)
{
	TestClient c = anonymous();
	for (const std::string name: {"login", "logout", "status", "submit", "get_queuelen", "get_submission", "put_result"})
	{
		for (const std::string method: {"GET", "POST"})
		{
			Reply r = c.request(method, "/xqueue/" + name);
			EXPECT_EQ(r.status, 301) << method << " " << name;
			EXPECT_EQ(r.header("Location"), "/xqueue/" + name + "/");
			EXPECT_EQ(r.body, "");
		}
	}
	Reply withQuery = c.get("/xqueue/get_queuelen?queue_name=tmp");
	EXPECT_EQ(withQuery.status, 301);
	EXPECT_EQ(withQuery.header("Location"), "/xqueue/get_queuelen/?queue_name=tmp");
}


TEST_F(ProtocolTest, UnknownPathsAreDjangos404Page)
{
	TestClient c = loggedIn();
	for (const std::string path: {"/", "/xqueue/", "/xqueue//submit/", "/XQUEUE/status/", "/xqueue/status/x/", "/xqueue/Status/", "/%zz"})
	{
		Reply r = c.get(path);
		EXPECT_EQ(r.status, 404) << path;
		EXPECT_EQ(r.body, NOT_FOUND_PAGE) << path;
		EXPECT_EQ(r.header("Content-Length"), "179");
		EXPECT_EQ(r.header("Content-Type"), "text/html; charset=utf-8");
	}
	EXPECT_EQ(c.get("/xqueue/st%61tus/").status, 200) << "routes match the decoded path, as Django's do";
}


TEST_F(ProtocolTest, AnUnauthenticatedUploadGetsItsRedirectNotAConnectionReset)
{
	// The LMS's first submit of a file problem is unauthenticated and carries the files:
	// the 302 must reach it after its whole upload, not a reset in the middle of it.
	std::string boundary = "b";
	std::string body = "--b\r\nContent-Disposition: form-data; name=\"xqueue_header\"\r\n\r\n{}\r\n"
		"--b\r\nContent-Disposition: form-data; name=\"big.bin\"; filename=\"big.bin\"\r\n\r\n" + std::string(24 * 1024 * 1024, 'z') + "\r\n--b--\r\n";
	for (int attempt = 0; attempt < 3; ++attempt)
	{
		Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(server().port()));
		session.setTimeout(Poco::Timespan(20, 0));
		Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/xqueue/submit/", Poco::Net::HTTPMessage::HTTP_1_1);
		request.setContentType("multipart/form-data; boundary=" + boundary);
		request.setContentLength(static_cast<std::streamsize>(body.size()));
		Poco::Net::HTTPResponse response;
		try
		{
			session.sendRequest(request) << body << std::flush;
			std::string ignored;
			Poco::StreamCopier::copyToString(session.receiveResponse(response), ignored);
		}
		catch (Poco::Exception& exc)
		{
			FAIL() << "attempt " << attempt << ": " << exc.displayText();
		}
		EXPECT_EQ(response.getStatus(), Poco::Net::HTTPResponse::HTTP_FOUND);
		EXPECT_EQ(response.get("Location"), "/xqueue/login/?next=/xqueue/submit/");
	}
}


TEST_F(ProtocolTest, UnauthenticatedProtectedRequestsRedirectToLogin)
{
	TestClient c = anonymous();
	Reply r = c.get("/xqueue/get_queuelen/?queue_name=tmp");
	EXPECT_EQ(r.status, 302);
	EXPECT_EQ(r.header("Location"), "/xqueue/login/?next=/xqueue/get_queuelen/%3Fqueue_name%3Dtmp");
	EXPECT_EQ(r.header("Vary"), "Cookie");
	EXPECT_EQ(r.header("Content-Length"), "0");
	EXPECT_EQ(r.header("Content-Type"), "text/html; charset=utf-8");
	EXPECT_FALSE(r.hasHeader("Set-Cookie"));

	for (const std::string path: {"/xqueue/submit/", "/xqueue/get_submission/?queue_name=tmp", "/xqueue/put_result/"})
		EXPECT_EQ(c.get(path).status, 302) << path;
	for (const std::string path: {"/xqueue/submit/", "/xqueue/put_result/"})
		EXPECT_EQ(c.post(path, {{"a", "b"}}).status, 302) << path;
	// Following the redirect with GET, as python-requests does, yields the LMS's trigger.
	Reply follow = c.get(r.header("Location"));
	EXPECT_EQ(follow.body, "{\"return_code\": 1, \"content\": \"login_required\"}");
}


TEST_F(ProtocolTest, StaleSessionCookieIsDeletedWithTheRedirect)
{
	TestClient c = anonymous();
	c.setSessionCookie("abcdefghijklmnopqrstuvwxyz012345");
	Reply r = c.get("/xqueue/get_submission/?queue_name=tmp");
	EXPECT_EQ(r.status, 302);
	EXPECT_EQ(r.header("Set-Cookie"), "sessionid=\"\"; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax");
}


// ---- 2.1 login ------------------------------------------------------------------

TEST_F(ProtocolTest, LoginBranches)
{
	TestClient c = anonymous();
	EXPECT_EQ(c.get("/xqueue/login/").body, envelope(1, "login_required"));
	EXPECT_EQ(c.get("/xqueue/login/?next=/xqueue/submit/").body, envelope(1, "login_required"));
	EXPECT_EQ(c.request("PUT", "/xqueue/login/").body, envelope(1, "login_required"));
	EXPECT_EQ(c.post("/xqueue/login/", {}).body, envelope(1, "Insufficient login info"));
	EXPECT_EQ(c.post("/xqueue/login/", {{"username", "lms"}}).body, envelope(1, "Insufficient login info"));
	// The old server answered 500 here (its guard only tested the password).
	Reply passwordOnly = c.post("/xqueue/login/", {{"password", "lmspass"}});
	EXPECT_EQ(passwordOnly.status, 200);
	EXPECT_EQ(passwordOnly.body, envelope(1, "Insufficient login info"));
	EXPECT_EQ(c.post("/xqueue/login/", {{"username", "lms"}, {"password", "wrong"}}).body, envelope(1, "Incorrect login credentials"));
	EXPECT_EQ(c.post("/xqueue/login/", {{"username", "nobody"}, {"password", "lmspass"}}).body, envelope(1, "Incorrect login credentials"));
	EXPECT_EQ(c.post("/xqueue/login/", {{"username", ""}, {"password", ""}}).body, envelope(1, "Incorrect login credentials"));
	EXPECT_FALSE(c.hasSessionCookie());

	Reply ok = c.post("/xqueue/login/", {{"username", "lms"}, {"password", "lmspass"}});
	EXPECT_EQ(ok.status, 200);
	EXPECT_EQ(ok.body, "{\"return_code\": 0, \"content\": \"Logged in\"}");
	EXPECT_EQ(ok.header("Content-Length"), "42");
	EXPECT_EQ(ok.header("Vary"), "Cookie");
	std::regex cookie("sessionid=[a-z0-9]{32}; expires=[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT; "
		"HttpOnly; Max-Age=1209600; Path=/; SameSite=Lax");
	EXPECT_TRUE(std::regex_match(ok.header("Set-Cookie"), cookie)) << ok.header("Set-Cookie");
	EXPECT_EQ(c.get("/xqueue/get_queuelen/?queue_name=tmp").status, 200);
}


TEST_F(ProtocolTest, LoginAcceptsMultipartAndToleratesClientHeaders)
{
	TestClient c = anonymous();
	// xqueue-watcher's dance: GET login (CSRF prefetch), then POST with Referer/X-CSRFToken.
	EXPECT_EQ(c.get("/xqueue/login/").status, 200);
	Reply r = c.request("POST", "/xqueue/login/", TestClient::urlEncode({{"username", "lms"}, {"password", "lmspass"}}),
		"application/x-www-form-urlencoded", {{"Referer", "http://127.0.0.1/xqueue/login/"}, {"X-CSRFToken", "abc"},
		{"Authorization", "Basic dXNlcjpwdw=="}});
	EXPECT_EQ(r.body, envelope(0, "Logged in"));
	TestClient m = anonymous();
	EXPECT_EQ(m.postMultipart("/xqueue/login/", {{"username", "grader"}, {"password", "graderpass"}}).body, envelope(0, "Logged in"));
}


TEST_F(ProtocolTest, LoginReplacesThePreviousSession)
{
	TestClient c = loggedIn();
	std::string first = c.sessionCookie();
	ASSERT_TRUE(c.login("lms", "lmspass"));
	EXPECT_NE(c.sessionCookie(), first);
	TestClient old = anonymous();
	old.setSessionCookie(first);
	EXPECT_EQ(old.get("/xqueue/get_queuelen/?queue_name=tmp").status, 302);
}


// ---- 2.2 logout -----------------------------------------------------------------

TEST_F(ProtocolTest, LogoutEndsTheSession)
{
	TestClient c = loggedIn();
	std::string token = c.sessionCookie();
	Reply r = c.get("/xqueue/logout/");
	EXPECT_EQ(r.body, envelope(0, "Goodbye"));
	EXPECT_EQ(r.header("Set-Cookie"), "sessionid=\"\"; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax");
	EXPECT_EQ(r.header("Vary"), "Cookie");
	TestClient replay = anonymous();
	replay.setSessionCookie(token);
	EXPECT_EQ(replay.get("/xqueue/get_queuelen/?queue_name=tmp").status, 302);

	TestClient none = anonymous();
	Reply plain = none.post("/xqueue/logout/", {});
	EXPECT_EQ(plain.body, envelope(0, "Goodbye"));
	EXPECT_FALSE(plain.hasHeader("Set-Cookie"));
}


// ---- 2.4 submit -----------------------------------------------------------------

TEST_F(ProtocolTest, ANewerSubmissionSupersedesOnlyItsOwnAccounts)
{
	// The same student resubmitting replaces the pending answer; another LMS account that
	// names the same callback URL (by mistake or on purpose) used to cancel it too.
	server().createUser("lms2", "lms2pass");
	TestClient first = loggedIn();
	TestClient second = loggedIn("lms2", "lms2pass");
	const std::string callback = lms().callbackUrl("7/b");
	EXPECT_EQ(submit(first, callback).body, envelope(0, "1"));
	EXPECT_EQ(submit(second, callback).body, envelope(0, "2")) << "lms's submission is still pending";
	EXPECT_EQ(submit(first, callback).body, envelope(0, "2")) << "lms's own resubmission replaced its first";
}


TEST_F(ProtocolTest, SubmitRequiresPost)
{
	TestClient c = loggedIn();
	EXPECT_EQ(c.get("/xqueue/submit/").body, envelope(1, "Queue requests should use HTTP POST"));
	EXPECT_EQ(c.request("PUT", "/xqueue/submit/").body, envelope(1, "Queue requests should use HTTP POST"));
}


TEST_F(ProtocolTest, SubmitValidation)
{
	TestClient c = loggedIn();
	const std::string invalid = envelope(1, "Queue request has invalid format");
	std::string good = header(lms().callbackUrl("1/b1"));
	EXPECT_EQ(c.post("/xqueue/submit/", {{"xqueue_body", "b"}}).body, invalid);
	EXPECT_EQ(c.post("/xqueue/submit/", {{"xqueue_header", good}}).body, invalid);
	EXPECT_EQ(c.post("/xqueue/submit/", {{"xqueue_header", "not json"}, {"xqueue_body", "b"}}).body, invalid);
	EXPECT_EQ(c.post("/xqueue/submit/", {{"xqueue_header", "[\"tmp\"]"}, {"xqueue_body", "b"}}).body, invalid);
	EXPECT_EQ(c.post("/xqueue/submit/", {{"xqueue_header", "\"string\""}, {"xqueue_body", "b"}}).body, invalid);
	EXPECT_EQ(c.post("/xqueue/submit/", {{"xqueue_header", "{\"lms_key\": \"k\", \"queue_name\": \"tmp\"}"}, {"xqueue_body", "b"}}).body, invalid);
	EXPECT_EQ(c.post("/xqueue/submit/", {{"xqueue_header", "{\"lms_callback_url\": \"http://x/\", \"queue_name\": \"tmp\"}"}, {"xqueue_body", "b"}}).body, invalid);
	EXPECT_EQ(c.post("/xqueue/submit/", {{"xqueue_header", "{\"lms_callback_url\": \"http://x/\", \"lms_key\": \"k\"}"}, {"xqueue_body", "b"}}).body, invalid);
	// A JSON body is not a form (Django ignores it).
	EXPECT_EQ(c.request("POST", "/xqueue/submit/", "{\"xqueue_header\": \"{}\", \"xqueue_body\": \"b\"}", "application/json").body, invalid);
	// Old server: 500 for a non-string callback URL.
	Reply numeric = c.post("/xqueue/submit/", {{"xqueue_header", "{\"lms_callback_url\": 5, \"lms_key\": \"k\", \"queue_name\": \"tmp\"}"}, {"xqueue_body", "b"}});
	EXPECT_EQ(numeric.status, 200);
	EXPECT_EQ(numeric.body, invalid);
	EXPECT_EQ(c.post("/xqueue/submit/", {{"xqueue_header", "{\"lms_callback_url\": {}, \"lms_key\": \"k\", \"queue_name\": \"tmp\"}"}, {"xqueue_body", "b"}}).body, invalid);
}


TEST_F(ProtocolTest, SubmitToUnknownQueue)
{
	TestClient c = loggedIn();
	auto post = [&](const std::string& queueJson) {
		return c.post("/xqueue/submit/", {{"xqueue_header", "{\"lms_callback_url\": \"http://x/\", \"lms_key\": \"k\", \"queue_name\": " + queueJson + "}"},
			{"xqueue_body", "b"}}).body;
	};
	EXPECT_EQ(post("\"nope\""), envelope(1, "Queue 'nope' not found"));
	EXPECT_EQ(post("\"t\\u00e9st\""), "{\"return_code\": 1, \"content\": \"Queue 't\\u00e9st' not found\"}");
	EXPECT_EQ(post("[\"tmp\"]"), envelope(1, "Queue '['tmp']' not found"));
	EXPECT_EQ(post("5"), envelope(1, "Queue '5' not found"));
	EXPECT_EQ(post("null"), envelope(1, "Queue 'None' not found"));
	EXPECT_EQ(post("\"\""), envelope(1, "Queue '' not found"));
}


TEST_F(ProtocolTest, SubmitAnswersTheQueueLengthAsAString)
{
	TestClient c = loggedIn();
	EXPECT_EQ(submit(c, lms().callbackUrl("1/b1")).body, "{\"return_code\": 0, \"content\": \"1\"}");
	EXPECT_EQ(submit(c, lms().callbackUrl("2/b1")).body, "{\"return_code\": 0, \"content\": \"2\"}");
	EXPECT_EQ(submit(c, lms().callbackUrl("3/b1"), "x", "other").body, envelope(0, "1"));
	// Extra header keys are kept; lms_key's value is not type-checked.
	Reply extra = c.post("/xqueue/submit/", {{"xqueue_header", "{\"lms_callback_url\": \"http://x/4\", \"lms_key\": null, \"queue_name\": \"tmp\", \"extra\": [1]}"},
		{"xqueue_body", ""}});
	EXPECT_EQ(extra.body, envelope(0, "3"));
	// Last value of a repeated field wins, as in Django.
	Reply repeated = c.post("/xqueue/submit/", {{"xqueue_header", "junk"}, {"xqueue_header", header("http://x/5")}, {"xqueue_body", "b"}});
	EXPECT_EQ(repeated.body, envelope(0, "4"));
}


TEST_F(ProtocolTest, MultipartSubmitWithoutFilesIsAccepted)
{
	TestClient c = loggedIn();
	Reply r = c.postMultipart("/xqueue/submit/", {{"xqueue_header", header(lms().callbackUrl("1/b1"))}, {"xqueue_body", "multi\r\npart"}});
	EXPECT_EQ(r.body, envelope(0, "1"));
	TestClient g = loggedIn("grader", "graderpass");
	auto p = pull(g);
	ASSERT_TRUE(p);
	EXPECT_EQ(p->body, "multi\r\npart");
}


TEST_F(ProtocolTest, MultipartSubmitWithAFileAsTheLmsSendsIt)
{
	// The LMS names each file part after the file (field name = filename) and sends no
	// part Content-Type; graders get {name: absolute URL} as a JSON string (FileUploadTest
	// covers the rest).
	TestClient c = loggedIn();
	Reply r = c.postMultipart("/xqueue/submit/", {{"xqueue_header", header(lms().callbackUrl("1/b1"))}, {"xqueue_body", "{}"}},
		{{"answer.py", "answer.py", "print(1)\n"}});
	EXPECT_EQ(r.body, envelope(0, "1"));
	TestClient g = loggedIn("grader", "graderpass");
	auto p = pull(g);
	ASSERT_TRUE(p);
	std::string prefix = "{\"answer.py\": \"http://127.0.0.1:" + std::to_string(server().port()) + "/xqueue/files/";
	EXPECT_EQ(p->files.rfind(prefix, 0), 0u) << p->files;
}


// ---- 2.5 get_queuelen -------------------------------------------------------------

TEST_F(ProtocolTest, GetQueueLenBranches)
{
	TestClient c = loggedIn();
	EXPECT_EQ(c.get("/xqueue/get_queuelen/").body, envelope(1, "'get_queuelen' must provide parameter 'queue_name'"));
	EXPECT_EQ(c.get("/xqueue/get_queuelen/?queue_name=MIA").body, envelope(1, "Valid queue names are: other, tmp"));
	EXPECT_EQ(c.get("/xqueue/get_queuelen/?queue_name=").body, envelope(1, "Valid queue names are: other, tmp"));
	EXPECT_EQ(c.get("/xqueue/get_queuelen/?queue_name=tmp").body, "{\"return_code\": 0, \"content\": 0}");
	submit(c, lms().callbackUrl("1/b1"));
	submit(c, lms().callbackUrl("2/b1"));
	EXPECT_EQ(c.get("/xqueue/get_queuelen/?queue_name=tmp").body, "{\"return_code\": 0, \"content\": 2}");
	EXPECT_EQ(c.get("/xqueue/get_queuelen/?queue_name=nope&queue_name=tmp").body, "{\"return_code\": 0, \"content\": 2}");
	TestClient g = loggedIn("grader", "graderpass");
	ASSERT_TRUE(pull(g));
	EXPECT_EQ(c.get("/xqueue/get_queuelen/?queue_name=tmp").body, "{\"return_code\": 0, \"content\": 1}") << "pulled items are hidden";
	EXPECT_EQ(c.request("HEAD", "/xqueue/get_queuelen/?queue_name=tmp").status, 200);
}


// ---- 2.6 get_submission -----------------------------------------------------------

TEST_F(ProtocolTest, GetSubmissionBranches)
{
	TestClient g = loggedIn("grader", "graderpass");
	EXPECT_EQ(g.get("/xqueue/get_submission/").body, envelope(1, "'get_submission' must provide parameter 'queue_name'"));
	EXPECT_EQ(g.get("/xqueue/get_submission/?queue_name=nope").body, envelope(1, "Queue 'nope' not found"));
	EXPECT_EQ(g.get("/xqueue/get_submission/?queue_name=t%C3%A9st").body, "{\"return_code\": 1, \"content\": \"Queue 't\\u00e9st' not found\"}");
	EXPECT_EQ(g.get("/xqueue/get_submission/?queue_name=tmp").body, envelope(1, "Queue 'tmp' is empty"));
}


TEST_F(ProtocolTest, GetSubmissionIsTripleEncoded)
{
	TestClient c = loggedIn();
	submit(c, lms().callbackUrl("1/b1"), "second");
	TestClient g = loggedIn("grader", "graderpass");
	Reply r = g.get("/xqueue/get_submission/?queue_name=tmp");
	std::regex exact("\\{\"return_code\": 0, \"content\": \"\\{\\\\\"xqueue_header\\\\\": \\\\\"\\{\\\\\\\\\\\\\"submission_id\\\\\\\\\\\\\": 1, "
		"\\\\\\\\\\\\\"submission_key\\\\\\\\\\\\\": \\\\\\\\\\\\\"[0-9a-f]{32}\\\\\\\\\\\\\"\\}\\\\\", \\\\\"xqueue_body\\\\\": \\\\\"second\\\\\", "
		"\\\\\"xqueue_files\\\\\": \\\\\"\\{\\}\\\\\"\\}\"\\}");
	EXPECT_TRUE(std::regex_match(r.body, exact)) << r.body;
}


TEST_F(ProtocolTest, GetSubmissionPassesTheBodyThroughUntouched)
{
	TestClient c = loggedIn();
	std::string body = "{\"grader_payload\": \"\\u00e9\", \"student_response\": \"d\xc3\xa9" "f f(x):\\n\\treturn x  # \xf0\x9f\x98\x80 \\\\ / \"}";
	submit(c, lms().callbackUrl("1/b1"), body);
	TestClient g = loggedIn("grader", "graderpass");
	auto p = pull(g);
	ASSERT_TRUE(p);
	EXPECT_EQ(p->body, body);
	EXPECT_EQ(p->files, "{}");
	EXPECT_EQ(p->header, "{\"submission_id\": " + std::to_string(p->id) + ", \"submission_key\": \"" + p->key + "\"}");
}


TEST_F(ProtocolTest, HeadAndOptionsNeverDequeue)
{
	TestClient c = loggedIn();
	submit(c, lms().callbackUrl("1/b1"));
	TestClient g = loggedIn("grader", "graderpass");
	for (int i = 0; i < 3; ++i)
	{
		EXPECT_EQ(g.request("HEAD", "/xqueue/get_submission/?queue_name=tmp").status, 200);
		EXPECT_EQ(g.request("OPTIONS", "/xqueue/get_submission/?queue_name=tmp").body, envelope(1, "'get_submission' must use HTTP GET"));
	}
	EXPECT_EQ(c.get("/xqueue/get_queuelen/?queue_name=tmp").body, "{\"return_code\": 0, \"content\": 1}");
	EXPECT_TRUE(pull(g));
}


// ---- 2.7 put_result ---------------------------------------------------------------

TEST_F(ProtocolTest, PutResultRequiresPost)
{
	TestClient g = loggedIn("grader", "graderpass");
	EXPECT_EQ(g.get("/xqueue/put_result/").body, envelope(1, "'put_result' must use HTTP POST"));
}


TEST_F(ProtocolTest, PutResultValidation)
{
	TestClient g = loggedIn("grader", "graderpass");
	const std::string bad = envelope(1, "Incorrect reply format");
	EXPECT_EQ(g.post("/xqueue/put_result/", {{"xqueue_body", "b"}}).body, bad);
	EXPECT_EQ(g.post("/xqueue/put_result/", {{"xqueue_header", "{\"submission_id\": 1, \"submission_key\": \"k\"}"}}).body, bad);
	EXPECT_EQ(g.post("/xqueue/put_result/", {{"xqueue_header", "not json"}, {"xqueue_body", "b"}}).body, bad);
	EXPECT_EQ(g.post("/xqueue/put_result/", {{"xqueue_header", "[1, 2]"}, {"xqueue_body", "b"}}).body, bad);
	EXPECT_EQ(g.post("/xqueue/put_result/", {{"xqueue_header", "\"bare\""}, {"xqueue_body", "b"}}).body, bad);
	EXPECT_EQ(g.post("/xqueue/put_result/", {{"xqueue_header", "{\"submission_id\": 1}"}, {"xqueue_body", "b"}}).body, bad);
	EXPECT_EQ(g.post("/xqueue/put_result/", {{"xqueue_header", "{\"submission_key\": \"k\"}"}, {"xqueue_body", "b"}}).body, bad);
	// JSON-encoded request bodies are ignored, as in Django.
	EXPECT_EQ(g.request("POST", "/xqueue/put_result/", "{\"xqueue_header\": \"{}\", \"xqueue_body\": \"b\"}", "application/json").body, bad);
	// The old server answered 500 to these ids.
	for (const std::string id: {"\"abc\"", "null", "[1]", "{}", "true", "\"\""})
	{
		Reply r = g.post("/xqueue/put_result/", {{"xqueue_header", "{\"submission_id\": " + id + ", \"submission_key\": \"k\"}"}, {"xqueue_body", "b"}});
		EXPECT_EQ(r.status, 200) << id;
		EXPECT_EQ(r.body, bad) << id;
	}
}


TEST_F(ProtocolTest, PutResultForUnknownSubmissionOrWrongKey)
{
	TestClient c = loggedIn();
	submit(c, lms().callbackUrl("1/b1"));
	TestClient g = loggedIn("grader", "graderpass");
	EXPECT_EQ(putResult(g, "{\"submission_id\": 3, \"submission_key\": \"qwerty\"}", "{}").body, envelope(1, "Submission does not exist"));
	EXPECT_EQ(putResult(g, "{\"submission_id\": 1, \"submission_key\": \"qwerty\"}", "{}").body, envelope(1, "Incorrect key for submission"))
		<< "never pulled";
	auto p = pull(g);
	ASSERT_TRUE(p);
	EXPECT_EQ(putResult(g, "{\"submission_id\": 1, \"submission_key\": \"qwerty\"}", "{}").body, envelope(1, "Incorrect key for submission"));
	EXPECT_EQ(putResult(g, "{\"submission_id\": 1, \"submission_key\": 12}", "{}").body, envelope(1, "Incorrect key for submission"));
	std::string upper = p->key;
	for (auto& ch: upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
	EXPECT_EQ(putResult(g, "{\"submission_id\": 1, \"submission_key\": \"" + upper + "\"}", "{}").body, envelope(1, "Incorrect key for submission"));
	EXPECT_EQ(lms().count(), 0u);
}


TEST_F(ProtocolTest, PutResultDeliversTheGradeToTheLms)
{
	TestClient c = loggedIn();
	std::string callback = lms().callbackUrl("42/block-v1:Org+C101+2024+type@problem+block@ab12");
	std::string lmsHeader = "{\"lms_callback_url\": \"" + callback + "\", \"lms_key\": \"7f\\u00e9\", \"queue_name\": \"tmp\", \"x\": 1}";
	c.post("/xqueue/submit/", {{"xqueue_header", lmsHeader}, {"xqueue_body", "{}"}});
	TestClient g = loggedIn("grader", "graderpass");
	auto p = pull(g);
	ASSERT_TRUE(p);
	std::string grade = "{\"correct\": true, \"score\": 1.0, \"msg\": \"<div class=\\\"test\\\">CORRECT \xc3\xa9 &amp;</div>\"}";
	Reply r = putResult(g, p->header, grade);
	EXPECT_EQ(r.body, "{\"return_code\": 0, \"content\": \"\"}");
	ASSERT_TRUE(lms().waitForCount(1, std::chrono::seconds(5)));
	auto cb = lms().callbacks()[0];
	EXPECT_EQ(cb.path, "/courses/c1/xqueue/42/block-v1:Org+C101+2024+type@problem+block@ab12/score_update");
	EXPECT_EQ(cb.contentType, "application/x-www-form-urlencoded");
	EXPECT_EQ(cb.form["xqueue_header"], lmsHeader) << "the LMS's original header, byte for byte";
	EXPECT_EQ(cb.form["xqueue_body"], grade) << "the grade, byte for byte";
	EXPECT_EQ(cb.rawBody, "xqueue_header=" + std::string() +
		"%7B%22lms_callback_url%22%3A+%22http%3A%2F%2F127.0.0.1%3A" + std::to_string(lms().port()) +
		"%2Fcourses%2Fc1%2Fxqueue%2F42%2Fblock-v1%3AOrg%2BC101%2B2024%2Btype%40problem%2Bblock%40ab12%2Fscore_update%22%2C+"
		"%22lms_key%22%3A+%227f%5Cu00e9%22%2C+%22queue_name%22%3A+%22tmp%22%2C+%22x%22%3A+1%7D"
		"&xqueue_body=%7B%22correct%22%3A+true%2C+%22score%22%3A+1.0%2C+%22msg%22%3A+%22%3Cdiv+class%3D%5C%22test%5C%22%3E"
		"CORRECT+%C3%A9+%26amp%3B%3C%2Fdiv%3E%22%7D");
	EXPECT_EQ(c.get("/xqueue/get_queuelen/?queue_name=tmp").body, "{\"return_code\": 0, \"content\": 0}");
}


TEST_F(ProtocolTest, PutResultAcceptsClientHabits)
{
	// bux re-serializes the header, the Stanford reference adds keys, tutor sends the
	// id as a string, compilation-course appends ?queue_name= to the URL.
	TestClient c = loggedIn();
	for (int i = 0; i < 4; ++i) submit(c, lms().callbackUrl(std::to_string(i) + "/b"));
	TestClient g = loggedIn("grader", "graderpass");
	auto a = pull(g);
	auto b = pull(g);
	auto d = pull(g);
	auto e = pull(g);
	EXPECT_EQ(putResult(g, "{\"submission_key\":\"" + a->key + "\",\"submission_id\":" + std::to_string(a->id) + "}", gradeWith("a")).body, envelope(0, ""));
	EXPECT_EQ(putResult(g, "{\"submission_id\": " + std::to_string(b->id) + ", \"submission_key\": \"" + b->key + "\", \"queue_name\": \"tmp\"}", gradeWith("b")).body, envelope(0, ""));
	EXPECT_EQ(putResult(g, "{\"submission_id\": \"" + std::to_string(d->id) + "\", \"submission_key\": \"" + d->key + "\"}", gradeWith("d")).body, envelope(0, ""));
	EXPECT_EQ(g.post("/xqueue/put_result/?queue_name=tmp", {{"xqueue_header", e->header}, {"xqueue_body", gradeWith("e")}}).body, envelope(0, ""));
	EXPECT_TRUE(lms().waitForCount(4, std::chrono::seconds(5)));
}


TEST_F(ProtocolTest, PutResultRefusesGradesTheLmsCannotUse)
{
	// CodeResponse shows "Invalid grader reply" without correct/score/msg or with a msg
	// that is not text, and answers 500 to a score that is not a number: the grader hears
	// it here, and may send a proper grade with the same key.
	TestClient c = loggedIn();
	submit(c, lms().callbackUrl("1/b"));
	TestClient g = loggedIn("grader", "graderpass");
	auto p = pull(g);
	ASSERT_TRUE(p);
	const std::string expected = "; xqueue_body must be a JSON object with \"correct\", a numeric \"score\" and a string \"msg\"";
	const std::vector<std::pair<std::string, std::string>> cases = {
		{"graded", "the grade is not a JSON object"},
		{"[1, 2]", "the grade is not a JSON object"},
		{"{\"score\": 1, \"msg\": \"\"}", "the grade has no \"correct\""},
		{"{\"correct\": true, \"msg\": \"\"}", "the grade has no \"score\""},
		{"{\"correct\": true, \"score\": 1}", "the grade has no \"msg\""},
		{"{\"correct\": true, \"score\": \"1\", \"msg\": \"\"}", "the grade's \"score\" is not a number"},
		{"{\"correct\": true, \"score\": null, \"msg\": \"\"}", "the grade's \"score\" is not a number"},
		{"{\"correct\": true, \"score\": 1, \"msg\": 5}", "the grade's \"msg\" is not a string"},
	};
	for (const auto& [grade, problem]: cases)
	{
		Envelope reply = parseEnvelope(putResult(g, p->header, grade).body);
		EXPECT_EQ(reply.returnCode, 1) << grade;
		EXPECT_EQ(reply.text(), "Invalid grade: " + problem + expected) << grade;
	}
	EXPECT_EQ(lms().count(), 0u);
	EXPECT_EQ(putResult(g, p->header, "{\"correct\": false, \"score\": 0, \"msg\": \"<p>try again</p>\"}").body, envelope(0, ""))
		<< "the lease still holds";
	EXPECT_EQ(putResult(g, p->header, "{\"correct\": true, \"score\": 0.5, \"msg\": \"\"}").body, envelope(0, ""));
	EXPECT_TRUE(lms().waitForCount(1, std::chrono::seconds(5)));
}


// ---- 1.5 / bad input: never a 5xx ---------------------------------------------------

TEST_F(ProtocolTest, OversizeRequestsAre413WithAnEnvelope)
{
	TestClient c = loggedIn();
	{
		// Declared over the limit: answered at once, with most of the body never sent.
		Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(server().port()));
		session.setTimeout(Poco::Timespan(5, 0));
		Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/xqueue/submit/", Poco::Net::HTTPMessage::HTTP_1_1);
		request.setContentType("application/x-www-form-urlencoded");
		request.setContentLength64(129LL * 1024 * 1024);
		session.sendRequest(request) << "xqueue_body=" << std::string(1000, 'a') << std::flush;
		Poco::Net::HTTPResponse response;
		std::string body;
		Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
		EXPECT_EQ(response.getStatus(), 413);
		EXPECT_EQ(parseEnvelope(body).returnCode, 1);
		EXPECT_EQ(parseEnvelope(body).text(), "Request body exceeds the limit of 134217728 bytes (xqueue.http.max_body_bytes)");
	}
	Reply field = c.post("/xqueue/submit/", {{"xqueue_header", header("http://x/")}, {"xqueue_body", std::string(2621441, 'b')}});
	EXPECT_EQ(field.status, 413);
	EXPECT_EQ(parseEnvelope(field.body).text(), "A form field exceeds the limit of 2621440 bytes (xqueue.http.max_field_bytes)");
	Fields many;
	for (int i = 0; i < 1001; ++i) many.emplace_back("f" + std::to_string(i), "v");
	Reply fields = c.post("/xqueue/submit/", many);
	EXPECT_EQ(fields.status, 400);
	EXPECT_EQ(parseEnvelope(fields.body).text(), "Too many form fields (the limit is 1000, xqueue.http.max_form_fields)");
	EXPECT_EQ(c.get("/xqueue/status/").status, 200) << "the server is still fine";
	EXPECT_EQ(c.get("/xqueue/get_queuelen/?queue_name=tmp").body, "{\"return_code\": 0, \"content\": 0}");
}


TEST_F(ProtocolTest, MalformedBodiesAre4xxNeverServerErrors)
{
	TestClient c = loggedIn();
	Reply badMultipart = c.request("POST", "/xqueue/submit/", "--nope\r\ngarbage", "multipart/form-data; boundary=xyz");
	EXPECT_GE(badMultipart.status, 200);
	EXPECT_LT(badMultipart.status, 500);
	Reply badEscapes = c.request("POST", "/xqueue/put_result/", "xqueue_header=%zz&xqueue_body=%", "application/x-www-form-urlencoded");
	EXPECT_LT(badEscapes.status, 500);
	Reply nul = c.post("/xqueue/submit/", {{"xqueue_header", std::string("{\"a\0\": 1}", 9)}, {"xqueue_body", std::string("\0", 1)}});
	EXPECT_EQ(nul.body, envelope(1, "Queue request has invalid format"));
	EXPECT_EQ(c.get("/xqueue/status/").status, 200);
}


} // namespace

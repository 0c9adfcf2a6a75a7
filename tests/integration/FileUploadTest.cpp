// SPDX-License-Identifier: Apache-2.0
//
// FileUploadTest.cpp
//
// Submissions with files end to end, on both file storages (database, directory):
// multipart uploads as the LMS sends them, links that pull and push graders fetch,
// limits that store nothing, restarts, and links that must be refused.
//


#include "FakeGrader.h"
#include "Sanitizers.h"
#include "ServerFixture.h"
#include "store/Database.h"
#include "util/Digest.h"
#include "Poco/DirectoryIterator.h"
#include "Poco/File.h"
#include "Poco/FileStream.h"
#include "Poco/JSON/ParseHandler.h"
#include "Poco/URI.h"
#include <thread>


using namespace XQueueTest;
using namespace Poco::Data::Keywords;
using namespace std::chrono_literals;


namespace {


using FileMap = std::vector<std::pair<std::string, std::string>>; /// name, URL in order


FileMap parseFileMap(const std::string& json)
{
	Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
	auto pMap = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
	FileMap map;
	for (const auto& name: pMap->getNames()) map.emplace_back(name, pMap->getValue<std::string>(name));
	return map;
}


Reply fetch(const std::string& url, const std::string& method = "GET")
{
	Poco::URI uri(url);
	TestClient client(uri.getPort(), uri.getHost());
	return client.request(method, uri.getPathEtc());
}


std::string binary(std::size_t size, unsigned seed)
{
	std::string s(size, '\0');
	for (std::size_t i = 0; i < size; ++i)
	{
		seed = seed * 1664525u + 1013904223u;
		s[i] = static_cast<char>(seed >> 24);
	}
	return s;
}


class FileUploadTest: public ServerFixture, public ::testing::WithParamInterface<std::string>
{
protected:
	TestServer::Properties properties() override
	{
		TestServer::Properties p = {
			{"xqueue.files.storage", GetParam()},
			{"xqueue.files.max_file_bytes", "1048576"},
			{"xqueue.http.max_body_bytes", "8388608"},
			{"xqueue.queues.push.plugin", "http_push"},
			{"xqueue.queues.push.url", _grader.url()},
			{"xqueue.queues.push.concurrency", "2"},
			{"xqueue.queues.push.time_budget", "5"},
			{"xqueue.dispatch.poll_interval", "0.1"},
		};
		if (GetParam() == "directory")
			p["xqueue.files.directory"] = _files.file("files");
		else
			p["xqueue.files.spool_directory"] = _files.file("spool");
		return p;
	}

	FakeGrader& grader() { return _grader; }

	Reply submitFiles(TestClient& client, const std::string& callback, const std::vector<FilePart>& files, const std::string& queue = "tmp")
	{
		return client.postMultipart("/xqueue/submit/", {{"xqueue_header", header(lms().callbackUrl(callback), queue)}, {"xqueue_body", "{}"}}, files);
	}

	long long rows(const std::string& table)
	{
		std::unique_ptr<XQueue::Database> pDatabase = XQueue::Database::open(server().databaseOptions());
		XQueue::Database& database = *pDatabase;
		Poco::Int64 n = 0;
		auto s = database.session();
		s << "SELECT COUNT(*) FROM " + table, into(n), now;
		return n;
	}

	std::size_t filesOnDisk()
		/// Every file under the storage and spool directories.
	{
		std::size_t n = 0;
		std::function<void(const std::string&)> walk = [&](const std::string& path) {
			Poco::File dir(path);
			if (!dir.exists()) return;
			for (Poco::DirectoryIterator it(dir), end; it != end; ++it)
			{
				if (it->isDirectory()) walk(it->path());
				else ++n;
			}
		};
		walk(_files.path());
		return n;
	}

	void expectNothingStored()
	{
		EXPECT_EQ(rows("submissions"), 0);
		EXPECT_EQ(rows("submission_files"), 0);
		EXPECT_EQ(rows("file_contents"), 0);
		EXPECT_EQ(rows("file_chunks"), 0);
		EXPECT_EQ(filesOnDisk(), 0u) << "no spool file or content left behind";
	}

	void expectFetchedExactly(const FileMap& map, const std::vector<FilePart>& sent)
	{
		ASSERT_EQ(map.size(), sent.size());
		for (std::size_t i = 0; i < sent.size(); ++i)
		{
			EXPECT_EQ(map[i].first, sent[i].fieldName);
			Reply r = fetch(map[i].second);
			EXPECT_EQ(r.status, 200) << map[i].second << " " << r.body;
			EXPECT_TRUE(r.body == sent[i].content) << "file " << i << ": " << r.body.size() << " bytes fetched, " << sent[i].content.size() << " sent";
			EXPECT_EQ(r.header("Content-Type"), "application/octet-stream");
		}
	}

	TempDir _files;
	FakeGrader _grader;
};


TEST_P(FileUploadTest, ZeroOneTwelveAndTwoHundredFilesReachAPullGraderByteForByte)
{
	TestClient c = loggedIn();
	TestClient g = loggedIn("grader", "graderpass");
	for (int n: {0, 1, 12, 200})
	{
		std::vector<FilePart> files;
		for (int i = 0; i < n; ++i)
		{
			std::string name = "file" + std::to_string(i) + (i % 3 ? ".py" : ".bin");
			files.push_back({name, name, binary(static_cast<std::size_t>((i * 7919) % 70000), static_cast<unsigned>(i + n))});
		}
		Reply r = submitFiles(c, "n" + std::to_string(n), files);
		ASSERT_EQ(r.body, envelope(0, "1")) << n;
		auto p = pull(g);
		ASSERT_TRUE(p);
		if (n == 0)
		{
			EXPECT_EQ(p->files, "{}");
			continue;
		}
		expectFetchedExactly(parseFileMap(p->files), files);
		ASSERT_EQ(putResult(g, p->header, gradeWith("ok")).body, envelope(0, ""));
	}
	EXPECT_EQ(rows("submission_files"), 213);
}


TEST_P(FileUploadTest, LinksUseTheAddressTheGraderReachedUs)
{
	TestClient c = loggedIn();
	submitFiles(c, "addr", {{"a.py", "a.py", "print(1)\n"}});
	TestClient g(server().port(), "localhost");
	ASSERT_TRUE(g.login("grader", "graderpass"));
	auto p = pull(g);
	ASSERT_TRUE(p);
	FileMap map = parseFileMap(p->files);
	ASSERT_EQ(map.size(), 1u);
	EXPECT_EQ(map[0].second.rfind("http://localhost:" + std::to_string(server().port()) + "/xqueue/files/", 0), 0u) << map[0].second;
	EXPECT_EQ(fetch(map[0].second).body, "print(1)\n");
}


TEST_P(FileUploadTest, NamesAreKeptExactlyAndNeverBecomePaths)
{
	std::vector<FilePart> files = {
		{"../../etc/passwd", "../../etc/passwd", "not a password file"},
		{"r\xC3\xA9sum\xC3\xA9.py", "r\xC3\xA9sum\xC3\xA9.py", "accents"},
		{"\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E \xF0\x9F\x98\x80.txt", "x.txt", "CJK and an emoji"},
		{"a b&c=d%20.py", "a b&c=d%20.py", "reserved characters"},
		{"/absolute/path", "/absolute/path", "absolute"},
		{"URL_FOR_EXTERNAL_DICTS", "URL_FOR_EXTERNAL_DICTS", "just a name here"},
		{std::string(255, 'n'), "long", "the longest allowed name"},
	};
	TestClient c = loggedIn();
	ASSERT_EQ(submitFiles(c, "names", files).body, envelope(0, "1"));
	TestClient g = loggedIn("grader", "graderpass");
	auto p = pull(g);
	ASSERT_TRUE(p);
	EXPECT_NE(p->files.find("\"r\\u00e9sum\\u00e9.py\": "), std::string::npos) << "names are escaped as json.dumps does: " << p->files;
	expectFetchedExactly(parseFileMap(p->files), files);
	Reply head = fetch(parseFileMap(p->files)[1].second, "HEAD");
	EXPECT_EQ(head.status, 200);
	EXPECT_EQ(head.header("Content-Length"), "7");
	EXPECT_EQ(head.header("Content-Disposition"), "attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.py");
	EXPECT_EQ(head.body, "");
	if (GetParam() == "directory")
	{
		// Only content hashes (and the spool) under the storage directory.
		for (Poco::DirectoryIterator it(_files.file("files")), end; it != end; ++it)
		{
			ASSERT_TRUE(it->isDirectory()) << it->path();
			if (it.name() == "tmp") continue;
			EXPECT_EQ(it.name().size(), 2u);
			for (Poco::DirectoryIterator content(it->path()); content != end; ++content) EXPECT_EQ(content.name().size(), 64u);
		}
	}
}


TEST_P(FileUploadTest, EmptyFilesEmptyInputsAndRepeatedNames)
{
	TestClient c = loggedIn();
	Reply r = submitFiles(c, "empty", {
		{"empty.txt", "empty.txt", ""},
		{"unused_input", "", "ignored: an empty file input (filename=\"\")"},
		{"twice.py", "twice.py", "first"},
		{"other.py", "other.py", "other"},
		{"twice.py", "twice.py", "second"},
	});
	ASSERT_EQ(r.body, envelope(0, "1"));
	TestClient g = loggedIn("grader", "graderpass");
	auto p = pull(g);
	ASSERT_TRUE(p);
	expectFetchedExactly(parseFileMap(p->files), {{"empty.txt", "", ""}, {"twice.py", "", "second"}, {"other.py", "", "other"}});
}


TEST_P(FileUploadTest, HostileNamesAreRefusedAndNothingIsStored)
{
	TestClient c = loggedIn();
	const std::string badName = "A file name is empty, is not valid UTF-8 or contains control characters";
	EXPECT_EQ(submitFiles(c, "h1", {{"ok.py", "ok.py", "fine"}, {std::string("nul\0.py", 7), "x", "x"}}).body, envelope(1, badName));
	EXPECT_EQ(submitFiles(c, "h2", {{"bell\x07.py", "x", "x"}}).body, envelope(1, badName));
	EXPECT_EQ(submitFiles(c, "h3", {{"\xFF\xFE", "x", "x"}}).body, envelope(1, badName));
	EXPECT_EQ(submitFiles(c, "h4", {{"ok.py", "ok.py", "fine"}, {std::string(4096, 'n'), "x", "x"}}).body,
		envelope(1, "A file name is longer than the limit of 255 bytes (xqueue.files.max_name_bytes)"));
	EXPECT_EQ(c.get("/xqueue/get_queuelen/?queue_name=tmp").body, "{\"return_code\": 0, \"content\": 0}");
	expectNothingStored();
}


TEST_P(FileUploadTest, OverLimitRequestsAreRefusedNamingTheLimitAndLeaveNothingBehind)
{
	TestClient c = loggedIn();
	Reply big = submitFiles(c, "l1", {{"small", "small", "x"}, {"big.bin", "big.bin", binary(1048577, 1)}, {"after", "after", "y"}});
	EXPECT_EQ(big.status, 200);
	EXPECT_EQ(big.body, envelope(1, "File 'big.bin' is larger than the limit of 1048576 bytes (xqueue.files.max_file_bytes)"));

	std::vector<FilePart> many;
	for (int i = 0; i < 257; ++i) many.push_back({"f" + std::to_string(i), "f", "x"});
	EXPECT_EQ(submitFiles(c, "l2", many).body, envelope(1, "Too many files: the limit is 256 per submission (xqueue.files.max_files)"));

	std::vector<FilePart> heavy;
	for (int i = 0; i < 9; ++i) heavy.push_back({"part" + std::to_string(i), "p", binary(1000000, static_cast<unsigned>(i))});
	Reply tooLarge = submitFiles(c, "l3", heavy);
	EXPECT_EQ(tooLarge.status, 413);
	EXPECT_EQ(parseEnvelope(tooLarge.body).text(), "Request body exceeds the limit of 8388608 bytes (xqueue.http.max_body_bytes)");

	// Chunked, so the server learns the size only while reading it.
	std::string boundary = "b0undary";
	std::string body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"xqueue_header\"\r\n\r\n" + header(lms().callbackUrl("l4")) +
		"\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"xqueue_body\"\r\n\r\n{}\r\n";
	for (int i = 0; i < 9; ++i)
		body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"c" + std::to_string(i) + "\"; filename=\"c\"\r\n\r\n" + binary(1000000, 9) + "\r\n";
	body += "--" + boundary + "--\r\n";
	TestClient chunked = loggedIn();
	Reply streamed = chunked.request("POST", "/xqueue/submit/", body, "multipart/form-data; boundary=" + boundary, {{"Transfer-Encoding", "chunked"}});
	EXPECT_EQ(streamed.status, 413) << streamed.body;

	EXPECT_EQ(c.get("/xqueue/status/").status, 200) << "the server is fine";
	expectNothingStored();
}


TEST_P(FileUploadTest, PushGradersReceiveTheSameLinks)
{
	TestClient c = loggedIn();
	std::vector<FilePart> files = {{"solution.py", "solution.py", "def f():\n    return 42\n"}, {"data.bin", "data.bin", binary(100000, 3)}};
	ASSERT_EQ(submitFiles(c, "push", files, "push").body, envelope(0, "1"));
	ASSERT_TRUE(grader().waitForCount(1, 10s));
	auto request = grader().requests().front();
	Poco::JSON::Parser parser;
	auto pBody = parser.parse(request.body).extract<Poco::JSON::Object::Ptr>();
	FileMap map = parseFileMap(pBody->getValue<std::string>("xqueue_files"));
	EXPECT_EQ(map[0].second.rfind("http://127.0.0.1:" + std::to_string(server().port()) + "/xqueue/files/", 0), 0u) << map[0].second;
	expectFetchedExactly(map, files);
	EXPECT_TRUE(lms().waitForCount(1, 10s));
}


TEST_P(FileUploadTest, FilesSurviveAHostRestart)
{
	TestClient c = loggedIn();
	std::vector<FilePart> files = {{"kept.bin", "kept.bin", binary(300000, 5)}, {"small.txt", "small.txt", "small"}};
	ASSERT_EQ(submitFiles(c, "restart", files).body, envelope(0, "1"));
	server().kill(); // acknowledged, then the host dies at once
	server().start();
	TestClient g = loggedIn("grader", "graderpass");
	auto p = pull(g);
	ASSERT_TRUE(p);
	expectFetchedExactly(parseFileMap(p->files), files);
}


TEST_P(FileUploadTest, LinksToOtherFilesOrTamperedLinksAreRefused)
{
	TestClient c = loggedIn();
	submitFiles(c, "t1", {{"mine.py", "mine.py", "mine"}});
	submitFiles(c, "t2", {{"theirs.py", "theirs.py", "theirs"}});
	TestClient g = loggedIn("grader", "graderpass");
	auto mine = pull(g);
	auto theirs = pull(g);
	ASSERT_TRUE(mine && theirs);
	Poco::URI myLink(parseFileMap(mine->files)[0].second);
	Poco::URI theirLink(parseFileMap(theirs->files)[0].second);
	EXPECT_EQ(fetch(myLink.toString()).body, "mine");

	// Their key with my signature and expiry: another submission's file.
	Poco::URI crossed(myLink);
	crossed.setPath(theirLink.getPath());
	Reply r = fetch(crossed.toString());
	EXPECT_EQ(r.status, 403);
	EXPECT_EQ(r.body, envelope(1, "This file link is not valid"));
	// A later expiry, no signature, a random key.
	std::string query = myLink.getQuery();
	std::string stretched = myLink.toString();
	stretched.replace(stretched.find("expires=") + 8, 10, "9999999999");
	EXPECT_EQ(fetch(stretched).status, 403);
	EXPECT_EQ(fetch("http://127.0.0.1:" + std::to_string(server().port()) + myLink.getPath()).status, 403);
	EXPECT_EQ(fetch("http://127.0.0.1:" + std::to_string(server().port()) + "/xqueue/files/0123456789abcdef0123456789abcdef?" + query).status, 403);
	// Not a key at all: the ordinary 404 page.
	EXPECT_EQ(fetch("http://127.0.0.1:" + std::to_string(server().port()) + "/xqueue/files/../submit/").status, 404);
	EXPECT_EQ(fetch("http://127.0.0.1:" + std::to_string(server().port()) + "/xqueue/files/").status, 404);
	// Only GET and HEAD.
	Reply post = fetch(myLink.toString(), "POST");
	EXPECT_EQ(post.status, 405);
	EXPECT_EQ(post.header("Allow"), "GET, HEAD");
	// A valid link to a file that is gone (its submission deleted).
	{
		std::unique_ptr<XQueue::Database> pDatabase = XQueue::Database::open(server().databaseOptions());
		XQueue::Database& database = *pDatabase;
		database.transaction([&](Poco::Data::Session& s) { s << "DELETE FROM submissions WHERE id = ?", use(mine->id), now; });
	}
	Reply gone = fetch(myLink.toString());
	EXPECT_EQ(gone.status, 404);
	EXPECT_EQ(gone.body, envelope(1, "This file no longer exists"));
}


TEST_P(FileUploadTest, ExpiredLinksAreRefused)
{
	TestServer shortLived({{"xqueue.files.storage", GetParam()}, {"xqueue.files.directory", _files.file("short")},
		{"xqueue.files.url_lifetime", "1"}});
	shortLived.createUser("lms", "lmspass");
	shortLived.createUser("grader", "graderpass");
	shortLived.start();
	TestClient c(shortLived.port());
	ASSERT_TRUE(c.login("lms", "lmspass"));
	submitFiles(c, "exp", {{"a.py", "a.py", "soon gone"}});
	TestClient g(shortLived.port());
	ASSERT_TRUE(g.login("grader", "graderpass"));
	auto p = pull(g);
	ASSERT_TRUE(p);
	std::string link = parseFileMap(p->files)[0].second;
	std::this_thread::sleep_for(2100ms);
	Reply r = fetch(link);
	EXPECT_EQ(r.status, 403);
	EXPECT_EQ(r.body, envelope(1, "This file link has expired"));
}


TEST_P(FileUploadTest, LargeUploadsStreamInsteadOfFillingMemory)
{
#if XQUEUE_UNDER_ASAN
	GTEST_SKIP() << "AddressSanitizer keeps freed memory in quarantine: peak RSS says nothing here";
#endif
	// 40 MiB in one file: parsed as it arrives and spooled, so the host's peak memory
	// grows by far less than the upload (it would grow by at least twice its size
	// if the body were held and then copied).
	TestServer big({{"xqueue.files.storage", GetParam()}, {"xqueue.files.directory", _files.file("big")},
		{"xqueue.files.spool_directory", GetParam() == "database" ? _files.file("bigspool") : ""},
		{"xqueue.files.max_file_bytes", "50000000"}, {"xqueue.http.max_body_bytes", "50000000"}});
	big.createUser("lms", "lmspass");
	big.createUser("grader", "graderpass");
	big.start();
	auto peakKb = [&]() {
		Poco::FileInputStream status("/proc/" + std::to_string(big.pid()) + "/status");
		std::string line;
		while (std::getline(status, line))
		{
			if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
		}
		return -1L;
	};
	TestClient c(big.port());
	ASSERT_TRUE(c.login("lms", "lmspass"));
	submitFiles(c, "warm", {{"warm", "warm", binary(100000, 1)}}); // first-use allocations
	long before = peakKb();
	std::string content = binary(40 * 1024 * 1024, 2);
	ASSERT_EQ(submitFiles(c, "big", {{"big.bin", "big.bin", content}}).body, envelope(0, "2"));
	long grown = peakKb() - before;
	// Bound: the SQLite writer's page cache (16 MiB) fills with the chunks written; a
	// directory store grows by almost nothing (measured: 17 MiB and 32 KiB).
	EXPECT_LT(grown, 28 * 1024) << "peak memory grew by " << grown << " KiB for a 40 MiB upload";
	TestClient g(big.port());
	ASSERT_TRUE(g.login("grader", "graderpass"));
	pull(g);
	auto p = pull(g);
	ASSERT_TRUE(p);
	EXPECT_TRUE(fetch(parseFileMap(p->files)[0].second).body == content);
}


TEST_P(FileUploadTest, TwoHostsServeEachOthersFiles)
{
	// Several hosts share the database (and, for directory storage, the directory), and
	// so the link key: a file uploaded through one host is served by any of them.
	if (!testingMySql()) GTEST_SKIP() << "runs in the MySQL pass (several hosts need a shared database)";
	MySqlTestDatabase shared;
	std::vector<std::unique_ptr<TestServer>> hosts;
	for (int i = 0; i < 2; ++i)
	{
		hosts.push_back(std::make_unique<TestServer>(TestServer::Properties{
			{"xqueue.store.connector", "mysql"},
			{"xqueue.store.connection", shared.connection()},
			{"xqueue.store.sqlite.synchronous", ""},
			{"xqueue.files.storage", GetParam()},
			{"xqueue.files.directory", _files.file("shared")},
		}));
		if (i == 0)
		{
			hosts[0]->createUser("lms", "lmspass");
			hosts[0]->createUser("grader", "graderpass");
		}
		hosts.back()->start();
	}
	TestClient c(hosts[0]->port());
	ASSERT_TRUE(c.login("lms", "lmspass"));
	std::vector<FilePart> files = {{"a.py", "a.py", "from host one"}, {"b.bin", "b.bin", binary(150000, 8)}};
	ASSERT_EQ(submitFiles(c, "hosts", files).body, envelope(0, "1"));
	TestClient g(hosts[1]->port());
	ASSERT_TRUE(g.login("grader", "graderpass"));
	auto p = pull(g);
	ASSERT_TRUE(p);
	FileMap map = parseFileMap(p->files);
	EXPECT_NE(map[0].second.find(":" + std::to_string(hosts[1]->port()) + "/"), std::string::npos);
	expectFetchedExactly(map, files);
	// The same link, signed by host two, through host one.
	Poco::URI viaOne(map[1].second);
	viaOne.setPort(static_cast<Poco::UInt16>(hosts[0]->port()));
	EXPECT_TRUE(fetch(viaOne.toString()).body == files[1].content);
}


TEST_P(FileUploadTest, AnUnwritableStoreFailsTheSubmitCleanly)
{
	// F19: where the content would go cannot be created (a file stands where its directory
	// should be; permissions do not stop root). The submit gets a 503 envelope, and nothing
	// is recorded.
	if (GetParam() != "directory") GTEST_SKIP() << "database storage fails with the store itself (StoreOutageTest)";
	const std::string content = "cannot be stored";
	std::string hash = XQueue::Digest::sha256Hex(content);
	Poco::File(_files.file("files")).createDirectories();
	Poco::FileOutputStream(_files.file("files/" + hash.substr(0, 2))) << "in the way";
	TestClient c = loggedIn();
	Reply r = submitFiles(c, "f19", {{"a.txt", "a.txt", content}});
	EXPECT_EQ(r.status, 503);
	EXPECT_EQ(r.body, "{\"return_code\": 1, \"content\": \"The queue is temporarily unavailable. Please try again.\"}");
	EXPECT_EQ(rows("submissions"), 0);
	EXPECT_EQ(rows("submission_files"), 0);
	EXPECT_EQ(rows("file_contents"), 0);
	EXPECT_EQ(submitFiles(c, "f19b", {{"b.txt", "b.txt", "other content"}}).body, envelope(0, "1")) << "other files still work";
}


INSTANTIATE_TEST_SUITE_P(Storage, FileUploadTest, ::testing::Values("database", "directory"),
	[](const ::testing::TestParamInfo<std::string>& param) { return param.param; });


} // namespace

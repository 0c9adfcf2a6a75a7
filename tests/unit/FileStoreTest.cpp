// SPDX-License-Identifier: Apache-2.0
//
// FileStoreTest.cpp
//
// Submission files on both content stores (database chunks, a directory) and both
// databases: exact bytes, content stored once, atomicity with the submission, and
// retention (age, deleted submissions, unreferenced contents, crash leftovers).
//


#include "StoreFixture.h"
#include "files/DatabaseContentStore.h"
#include "files/DirectoryContentStore.h"
#include "files/FileRetention.h"
#include "files/FileStore.h"
#include "store/SubmissionStore.h"
#include "Poco/File.h"
#include "Poco/FileStream.h"
#include "Poco/JSON/ParseHandler.h"
#include "Poco/JSON/Parser.h"
#include "Poco/Path.h"
#include <sstream>


using namespace XQueue;
using namespace Poco::Data::Keywords;


namespace {


constexpr Micros DAY = 86400 * MICROS_PER_SECOND;


class FileStoreTest: public XQueueTest::StoreFixture, public ::testing::WithParamInterface<std::string>
{
protected:
	void SetUp() override
	{
		StoreFixture::SetUp();
		if (IsSkipped()) return;
		if (GetParam() == "directory")
			_pContents = std::make_unique<DirectoryContentStore>(dir().file("files"));
		else
			_pContents = std::make_unique<DatabaseContentStore>(database());
		_pFiles = std::make_unique<FileStore>(database(), *_pContents);
		_pSubmissions = std::make_unique<SubmissionStore>(database(), LeasePolicy{60, 4, 0});
	}

	bool directory() const { return GetParam() == "directory"; }

	std::unique_ptr<UploadedFile> upload(const std::string& name, const std::string& content)
	{
		auto f = std::make_unique<UploadedFile>(name, directory() ? 0 : 64 * 1024, dir().file("spool"));
		f->append(content.data(), content.size());
		f->finish();
		return f;
	}

	struct Submitted
	{
		Poco::Int64 id = 0;
		std::vector<std::string> keys;
	};

	NewSubmission submissionWith(const FileAttachment& attachment)
	{
		NewSubmission s;
		s.queueName = "tmp";
		s.requesterId = "test";
		s.callbackUrl = "http://lms/cb" + std::to_string(++_callbacks);
		s.header = "{}";
		s.body = "b";
		s.files = attachment.keyMap;
		return s;
	}

	Submitted submit(const std::vector<std::unique_ptr<UploadedFile>>& uploads, Micros now)
	{
		FileAttachment attachment = _pFiles->prepare(uploads);
		NewSubmission s = submissionWith(attachment);
		Submitted out;
		out.id = _pSubmissions->submit(s, now, [&](Poco::Data::Session& session, Poco::Int64 id) { _pFiles->attach(session, id, attachment, now); }).id;
		_pFiles->confirm(attachment);
		for (const auto& entry: attachment.files) out.keys.push_back(entry.second);
		return out;
	}

	std::string read(const std::string& key)
	{
		auto file = _pFiles->find(key);
		if (!file) return "<missing>";
		std::ostringstream out;
		_pFiles->copyTo(*file, out);
		return out.str();
	}

	long long count(const std::string& table)
	{
		Poco::Int64 n = 0;
		auto s = database().session();
		s << "SELECT COUNT(*) FROM " + table, into(n), now;
		return n;
	}

	void execute(const std::string& sql)
	{
		database().transaction([&](Poco::Data::Session& s) { s << sql, now; });
	}

	SweepReport sweep(Micros at, int retentionDays = 30, int graceSeconds = 3600)
	{
		FileRetention retention(database(), *_pContents, RetentionPolicy{retentionDays, graceSeconds});
		return retention.sweep(at);
	}

	std::unique_ptr<FileContentStore> _pContents;
	std::unique_ptr<FileStore> _pFiles;
	std::unique_ptr<SubmissionStore> _pSubmissions;
	int _callbacks = 0;
};


std::string allBytes()
{
	std::string s;
	for (int i = 0; i < 256; ++i) s += static_cast<char>(i);
	return s;
}


std::string pseudoRandom(std::size_t size, unsigned seed)
{
	std::string s(size, '\0');
	for (std::size_t i = 0; i < size; ++i)
	{
		seed = seed * 1103515245u + 12345u;
		s[i] = static_cast<char>(seed >> 16);
	}
	return s;
}


TEST_P(FileStoreTest, FilesRoundTripExactlyAndIdenticalContentIsStoredOnce)
{
	std::vector<std::unique_ptr<UploadedFile>> uploads;
	std::string large = pseudoRandom(200000, 7); // several chunks, spooled
	uploads.push_back(upload("bytes.bin", allBytes()));
	uploads.push_back(upload("large.bin", large));
	uploads.push_back(upload("copy.bin", allBytes()));
	uploads.push_back(upload("empty", ""));
	Submitted s = submit(uploads, Clock::now());
	ASSERT_EQ(s.keys.size(), 4u);
	EXPECT_EQ(read(s.keys[0]), allBytes());
	EXPECT_EQ(read(s.keys[1]), large);
	EXPECT_EQ(read(s.keys[2]), allBytes());
	EXPECT_EQ(read(s.keys[3]), "");
	EXPECT_EQ(count("submission_files"), 4);
	EXPECT_EQ(count("file_contents"), 3) << "the copy shares its content";
	EXPECT_EQ(count("file_chunks"), directory() ? 0 : 1 + 4) << "200000 bytes = 4 chunks of at most 65535";
	auto file = _pFiles->find(s.keys[1]);
	ASSERT_TRUE(file);
	EXPECT_EQ(file->submissionId, s.id);
	EXPECT_EQ(file->fieldName, "large.bin");
	EXPECT_EQ(file->size, 200000u);
	EXPECT_FALSE(_pFiles->find("0123456789abcdef0123456789abcdef"));

	// The submission's xqueue_files: {name: key} in upload order.
	auto record = _pSubmissions->find(s.id);
	ASSERT_TRUE(record);
	Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
	auto pMap = parser.parse(record->files).extract<Poco::JSON::Object::Ptr>();
	EXPECT_EQ(pMap->getNames(), (std::vector<std::string>{"bytes.bin", "large.bin", "copy.bin", "empty"}));
	EXPECT_EQ(pMap->getValue<std::string>("copy.bin"), s.keys[2]);
}


TEST_P(FileStoreTest, KeysAreRandomPerFileEvenForTheSameNameAndContent)
{
	std::vector<std::unique_ptr<UploadedFile>> a, b;
	a.push_back(upload("same.py", "x"));
	b.push_back(upload("same.py", "x"));
	Submitted first = submit(a, Clock::now());
	Submitted second = submit(b, Clock::now());
	EXPECT_NE(first.keys[0], second.keys[0]);
	EXPECT_EQ(first.keys[0].size(), 32u);
	EXPECT_EQ(count("file_contents"), 1);
}


TEST_P(FileStoreTest, AFailedSubmitLeavesNoRowsAndItsBytesAreSweptAsStrays)
{
	std::vector<std::unique_ptr<UploadedFile>> uploads;
	uploads.push_back(upload("a", pseudoRandom(100000, 1)));
	FileAttachment attachment = _pFiles->prepare(uploads);
	NewSubmission s = submissionWith(attachment);
	Micros now = Clock::now();
	EXPECT_THROW(_pSubmissions->submit(s, now, [&](Poco::Data::Session& session, Poco::Int64 id) {
		_pFiles->attach(session, id, attachment, now);
		throw Poco::IOException("the transaction fails after the files were recorded");
	}), Poco::IOException);
	EXPECT_EQ(count("submissions"), 0);
	EXPECT_EQ(count("submission_files"), 0);
	EXPECT_EQ(count("file_contents"), 0);
	EXPECT_EQ(count("file_chunks"), 0);
	std::string path = directory() ? static_cast<DirectoryContentStore&>(*_pContents).pathOf(uploads[0]->contentHash()) : "";
	if (directory())
	{
		EXPECT_TRUE(Poco::File(path).exists()) << "staged before the transaction";
	}
	EXPECT_EQ(sweep(Clock::now()).removedStrays, 0u) << "within the grace period";
	SweepReport late = sweep(Clock::now(), 30, 0);
	if (directory())
	{
		EXPECT_EQ(late.removedStrays, 1u);
		EXPECT_FALSE(Poco::File(path).exists());
	}
}


TEST_P(FileStoreTest, RetentionRemovesOldFilesOfFinishedSubmissionsOnly)
{
	Micros old = Clock::now() - 31 * DAY;
	std::vector<std::unique_ptr<UploadedFile>> a, b, c;
	a.push_back(upload("finished", "finished content"));
	b.push_back(upload("pending", "pending content"));
	c.push_back(upload("recent", "recent content"));
	Submitted finished = submit(a, old);
	Submitted pending = submit(b, old);
	Submitted recent = submit(c, Clock::now());
	execute("UPDATE submissions SET state = 3 WHERE id IN (" + std::to_string(finished.id) + ", " + std::to_string(recent.id) + ")");

	EXPECT_EQ(sweep(Clock::now(), 0).expiredFiles, 0u) << "retention_days = 0 keeps files";
	SweepReport report = sweep(Clock::now());
	EXPECT_EQ(report.expiredFiles, 1u);
	EXPECT_EQ(report.removedContents, 1u) << "unused since its upload 31 days ago";
	EXPECT_EQ(read(finished.keys[0]), "<missing>");
	EXPECT_EQ(read(pending.keys[0]), "pending content") << "a grader may still need it";
	EXPECT_EQ(read(recent.keys[0]), "recent content");
	EXPECT_EQ(count("file_contents"), 2);
}


TEST_P(FileStoreTest, FilesGoWithTheirSubmissionAndContentsAfterTheGracePeriod)
{
	std::vector<std::unique_ptr<UploadedFile>> a, b;
	a.push_back(upload("mine", "only mine"));
	a.push_back(upload("shared", "shared content"));
	b.push_back(upload("shared", "shared content"));
	Submitted deleted = submit(a, Clock::now());
	Submitted kept = submit(b, Clock::now());
	execute("DELETE FROM submissions WHERE id = " + std::to_string(deleted.id));
	EXPECT_EQ(count("submission_files"), 1) << "deleting a submission deletes its files";
	EXPECT_EQ(sweep(Clock::now()).removedContents, 0u) << "used a moment ago: within the grace period";
	EXPECT_EQ(sweep(Clock::now() + 2 * 3600 * MICROS_PER_SECOND).removedContents, 1u) << "only the unshared content";
	EXPECT_EQ(read(kept.keys[0]), "shared content");
	EXPECT_EQ(count("file_contents"), 1);
	EXPECT_EQ(count("file_chunks"), directory() ? 0 : 1);
}


TEST_P(FileStoreTest, AContentReusedAfterItsLastReferenceWentIsKept)
{
	Micros old = Clock::now() - 2 * DAY;
	std::vector<std::unique_ptr<UploadedFile>> a, b;
	a.push_back(upload("f", "reused content"));
	Submitted first = submit(a, old);
	execute("DELETE FROM submissions WHERE id = " + std::to_string(first.id));
	// Unreferenced and old: a sweep would remove it, but a new upload of the same bytes
	// comes first and touches it.
	b.push_back(upload("g", "reused content"));
	Submitted second = submit(b, Clock::now());
	EXPECT_EQ(sweep(Clock::now()).removedContents, 0u);
	EXPECT_EQ(read(second.keys[0]), "reused content");
}


TEST_P(FileStoreTest, ContentRemovedBetweenStageAndCommitIsPutBack)
{
	if (!directory()) GTEST_SKIP() << "database contents are written inside the transaction";
	auto& store = static_cast<DirectoryContentStore&>(*_pContents);
	std::vector<std::unique_ptr<UploadedFile>> uploads;
	uploads.push_back(upload("f", "raced content"));
	FileAttachment attachment = _pFiles->prepare(uploads);
	Poco::File(store.pathOf(uploads[0]->contentHash())).remove(); // a concurrent sweep
	NewSubmission s = submissionWith(attachment);
	Micros now = Clock::now();
	_pSubmissions->submit(s, now, [&](Poco::Data::Session& session, Poco::Int64 id) { _pFiles->attach(session, id, attachment, now); });
	_pFiles->confirm(attachment);
	EXPECT_EQ(read(attachment.files[0].second), "raced content");
}


TEST_P(FileStoreTest, StraysAndSpoolLeftoversAreRemovedOnceOld)
{
	if (!directory()) GTEST_SKIP() << "only a directory can hold bytes without a row";
	auto& store = static_cast<DirectoryContentStore&>(*_pContents);
	std::vector<std::unique_ptr<UploadedFile>> uploads;
	uploads.push_back(upload("registered", "registered content"));
	Submitted s = submit(uploads, Clock::now() - 2 * DAY);
	std::string stray = store.pathOf(std::string(64, 'a'));
	std::string freshStray = store.pathOf(std::string(64, 'b'));
	std::string spoolLeftover = store.spoolDirectory() + "upload-leftover";
	for (const auto& path: {stray, freshStray, spoolLeftover})
	{
		Poco::File(Poco::Path(path).parent()).createDirectories();
		Poco::FileOutputStream(path) << "x";
	}
	Poco::Timestamp old(Clock::now() - 2 * 3600 * MICROS_PER_SECOND);
	Poco::File(stray).setLastModified(old);
	Poco::File(spoolLeftover).setLastModified(old);
	Poco::File(store.pathOf(uploads[0]->contentHash())).setLastModified(old);
	EXPECT_EQ(sweep(Clock::now()).removedStrays, 2u);
	EXPECT_FALSE(Poco::File(stray).exists());
	EXPECT_FALSE(Poco::File(spoolLeftover).exists());
	EXPECT_TRUE(Poco::File(freshStray).exists());
	EXPECT_EQ(read(s.keys[0]), "registered content");
}


INSTANTIATE_TEST_SUITE_P(Storage, FileStoreTest, ::testing::Values("database", "directory"),
	[](const ::testing::TestParamInfo<std::string>& param) { return param.param; });


} // namespace

// SPDX-License-Identifier: Apache-2.0
//
// UploadCollectorTest.cpp
//
// File parts as the multipart parser hands them over: names, limits, spooling,
// Django's repeated-name and empty-input rules.
//


#include "files/UploadCollector.h"
#include "TempDir.h"
#include "Poco/DirectoryIterator.h"
#include "Poco/File.h"
#include "Poco/FileStream.h"
#include "Poco/Net/MessageHeader.h"
#include "Poco/StreamCopier.h"
#include <gtest/gtest.h>
#include <sstream>


using namespace XQueue;
using namespace XQueueTest;


namespace {


class UploadCollectorTest: public ::testing::Test
{
protected:
	UploadLimits limits()
	{
		UploadLimits l;
		l.maxFileBytes = 1000;
		l.maxFiles = 3;
		l.maxNameBytes = 20;
		l.memoryBytes = 100;
		l.spoolDirectory = _dir.path() + "/spool";
		return l;
	}

	static void part(UploadCollector& collector, const std::string& disposition, const std::string& content)
	{
		Poco::Net::MessageHeader header;
		header.set("Content-Disposition", disposition);
		std::istringstream stream(content);
		collector.handlePart(header, stream);
	}

	static void file(UploadCollector& collector, const std::string& name, const std::string& content)
	{
		part(collector, "form-data; name=\"" + name + "\"; filename=\"" + name + "\"", content);
	}

	std::size_t spooled() const
	{
		Poco::File spool(_dir.path() + "/spool");
		if (!spool.exists()) return 0;
		std::size_t n = 0;
		for (Poco::DirectoryIterator it(spool), end; it != end; ++it) ++n;
		return n;
	}

	static std::string content(const UploadedFile& f)
	{
		std::ostringstream out;
		f.copyTo(out);
		return out.str();
	}

	TempDir _dir;
};


TEST_F(UploadCollectorTest, KeepsFormOrderAndLastContentOfARepeatedName)
{
	UploadCollector c(limits());
	file(c, "b.py", "one");
	file(c, "a.py", "two");
	file(c, "b.py", "three");
	ASSERT_FALSE(c.refusal());
	ASSERT_EQ(c.files().size(), 2u);
	EXPECT_EQ(c.files()[0]->fieldName(), "b.py");
	EXPECT_EQ(content(*c.files()[0]), "three");
	EXPECT_EQ(c.files()[1]->fieldName(), "a.py");
	EXPECT_EQ(c.files()[0]->contentHash(), "8b5b9db0c13db24256c829aa364aa90c6d2eba318b9232a4ab9313b954d3555f"); // sha256("three")
}


TEST_F(UploadCollectorTest, SkipsEmptyFileInputsAndPartsWithoutName)
{
	UploadCollector c(limits());
	part(c, "form-data; name=\"empty_input\"; filename=\"\"", "");
	part(c, "form-data; filename=\"x\"", "no name");
	file(c, "zero", "");
	ASSERT_FALSE(c.refusal());
	ASSERT_EQ(c.files().size(), 1u);
	EXPECT_EQ(c.files()[0]->fieldName(), "zero");
	EXPECT_EQ(c.files()[0]->size(), 0u);
	EXPECT_EQ(c.files()[0]->contentHash(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}


TEST_F(UploadCollectorTest, SpoolsLargeFilesToDiskAndRemovesThem)
{
	std::string large(900, '\0');
	for (std::size_t i = 0; i < large.size(); ++i) large[i] = static_cast<char>(i * 7);
	{
		UploadCollector c(limits());
		file(c, "small", "tiny");
		file(c, "large", large);
		ASSERT_FALSE(c.refusal());
		EXPECT_TRUE(c.files()[0]->inMemory());
		EXPECT_FALSE(c.files()[1]->inMemory());
		EXPECT_EQ(content(*c.files()[1]), large);
		EXPECT_EQ(spooled(), 1u);
	}
	EXPECT_EQ(spooled(), 0u) << "the spool file goes with the collector";
}


TEST_F(UploadCollectorTest, RefusesNamesThatAreEmptyInvalidOrContainControls)
{
	EXPECT_TRUE(UploadCollector::acceptableName("../../etc/passwd"));
	EXPECT_TRUE(UploadCollector::acceptableName("r\xC3\xA9sum\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC.py"));
	EXPECT_TRUE(UploadCollector::acceptableName("\xF0\x9F\x98\x80.txt"));
	EXPECT_FALSE(UploadCollector::acceptableName(""));
	EXPECT_FALSE(UploadCollector::acceptableName(std::string("a\0b", 3)));
	EXPECT_FALSE(UploadCollector::acceptableName("a\nb"));
	EXPECT_FALSE(UploadCollector::acceptableName("a\x7F"));
	EXPECT_FALSE(UploadCollector::acceptableName("\xC2\x85"));      // C1 control
	EXPECT_FALSE(UploadCollector::acceptableName("\xFF\xFE"));      // not UTF-8
	EXPECT_FALSE(UploadCollector::acceptableName("\xC3"));          // truncated sequence
	EXPECT_FALSE(UploadCollector::acceptableName("\xED\xA0\x80"));  // a surrogate

	UploadCollector c(limits());
	file(c, "ok", "1");
	file(c, std::string("bad\0name", 8), "2");
	ASSERT_TRUE(c.refusal());
	EXPECT_EQ(*c.refusal(), "A file name is empty, is not valid UTF-8 or contains control characters");
	EXPECT_TRUE(c.files().empty()) << "nothing of a refused upload is kept";
}


TEST_F(UploadCollectorTest, EnforcesEachLimitNamingIt)
{
	{
		UploadCollector c(limits());
		file(c, "big", std::string(1001, 'x'));
		ASSERT_TRUE(c.refusal());
		EXPECT_EQ(*c.refusal(), "File 'big' is larger than the limit of 1000 bytes (xqueue.files.max_file_bytes)");
	}
	{
		UploadCollector c(limits());
		file(c, "exact", std::string(1000, 'x'));
		EXPECT_FALSE(c.refusal());
	}
	{
		UploadCollector c(limits());
		for (int i = 0; i < 4; ++i) file(c, "f" + std::to_string(i), "x");
		ASSERT_TRUE(c.refusal());
		EXPECT_EQ(*c.refusal(), "Too many files: the limit is 3 per submission (xqueue.files.max_files)");
		EXPECT_TRUE(c.files().empty());
	}
	{
		UploadCollector c(limits());
		file(c, std::string(21, 'n'), "x");
		ASSERT_TRUE(c.refusal());
		EXPECT_EQ(*c.refusal(), "A file name is longer than the limit of 20 bytes (xqueue.files.max_name_bytes)");
	}
	EXPECT_EQ(spooled(), 0u);
}


TEST_F(UploadCollectorTest, ARefusalDrainsTheRestAndKeepsTheFirstReason)
{
	UploadCollector c(limits());
	file(c, std::string(30, 'n'), "x");
	file(c, "big", std::string(5000, 'x'));
	file(c, "fine", "x");
	ASSERT_TRUE(c.refusal());
	EXPECT_EQ(*c.refusal(), "A file name is longer than the limit of 20 bytes (xqueue.files.max_name_bytes)");
	EXPECT_TRUE(c.files().empty());
	EXPECT_EQ(spooled(), 0u);
}


} // namespace

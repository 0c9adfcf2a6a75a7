// SPDX-License-Identifier: Apache-2.0
//
// TempDir.h
//
// A private scratch directory, removed with everything in it on destruction, and
// readFile() for what the tests write there (logs, generated files).
//


#ifndef XQueueTest_TempDir_INCLUDED
#define XQueueTest_TempDir_INCLUDED


#include "Poco/File.h"
#include "Poco/FileStream.h"
#include "Poco/Exception.h"
#include "Poco/StreamCopier.h"
#include <cstdlib>
#include <string>


namespace XQueueTest {


class TempDir
{
public:
	TempDir()
	{
		char pattern[] = "/tmp/xqueue-test-XXXXXX";
		if (!mkdtemp(pattern)) throw Poco::SystemException("mkdtemp failed");
		_path = pattern;
	}

	~TempDir()
	{
		try
		{
			Poco::File(_path).remove(true);
		}
		catch (...)
		{
		}
	}

	TempDir(const TempDir&) = delete;
	TempDir& operator=(const TempDir&) = delete;

	const std::string& path() const { return _path; }
	std::string file(const std::string& name) const { return _path + "/" + name; }

private:
	std::string _path;
};


inline std::string readFile(const std::string& path)
	/// The file's text; empty if it does not exist (yet) or cannot be read.
{
	std::string text;
	try
	{
		Poco::FileInputStream in(path);
		Poco::StreamCopier::copyToString(in, text);
	}
	catch (...)
	{
	}
	return text;
}


} // namespace XQueueTest


#endif // XQueueTest_TempDir_INCLUDED

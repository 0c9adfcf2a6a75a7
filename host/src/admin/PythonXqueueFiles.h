// SPDX-License-Identifier: Apache-2.0
//
// PythonXqueueFiles.h
//
// The files a Python xqueue's submissions name, read for a cut-over: a URL under its
// MEDIA_URL (or a relative path, Django's FileSystemStorage without one) from its
// MEDIA_ROOT, any other http(s) URL (S3's signed ones) over the network.
//


#ifndef XQueue_PythonXqueueFiles_INCLUDED
#define XQueue_PythonXqueueFiles_INCLUDED


#include "files/UploadedFile.h"
#include "Poco/Types.h"
#include <memory>
#include <string>


namespace XQueue {


class PythonXqueueFiles
{
public:
	PythonXqueueFiles(std::string mediaRoot, std::string mediaUrl, Poco::UInt64 maxBytes, std::string spoolDirectory);
		/// mediaRoot "" reads everything over the network.

	std::unique_ptr<UploadedFile> read(const std::string& fieldName, const std::string& url) const;
		/// The file's content, finished. Throws Poco::Exception saying why it cannot be had
		/// (missing, HTTP status, larger than maxBytes, timeout).

	std::string readText(const std::string& url) const;
		/// A small document (a file map the old server kept beside the submission).

private:
	std::string localPath(const std::string& url) const;
	void fetch(const std::string& url, UploadedFile& file) const;

	std::string _mediaRoot;
	std::string _mediaUrl;
	Poco::UInt64 _maxBytes;
	std::string _spoolDirectory;
};


} // namespace XQueue


#endif // XQueue_PythonXqueueFiles_INCLUDED

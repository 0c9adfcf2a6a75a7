// SPDX-License-Identifier: Apache-2.0
//
// UploadedFile.h
//
// One file part of a submit request, spooled while it arrives: kept in memory up to a
// threshold, in a temporary file beyond it (so a large upload is never held in memory).
// Knows its size and SHA-256, which addresses its content in storage.
//


#ifndef XQueue_UploadedFile_INCLUDED
#define XQueue_UploadedFile_INCLUDED


#include "Poco/FileStream.h"
#include "Poco/SHA2Engine.h"
#include "Poco/Types.h"
#include <memory>
#include <string>


namespace XQueue {


class UploadedFile
{
public:
	UploadedFile(std::string fieldName, std::size_t memoryLimit, std::string spoolDirectory);
		/// Contents up to memoryLimit bytes stay in memory; beyond, they move to a new
		/// file in spoolDirectory (0 = always a file).
	~UploadedFile();
		/// Removes the spool file, if any.

	UploadedFile(const UploadedFile&) = delete;
	UploadedFile& operator=(const UploadedFile&) = delete;

	void append(const char* data, std::size_t length);
	void finish();
		/// No more data: closes the spool file and computes the hash.

	const std::string& fieldName() const;
	Poco::UInt64 size() const;
	const std::string& contentHash() const;
		/// Lowercase hex SHA-256 of the content (after finish()).

	bool inMemory() const;
	const std::string& memoryContent() const;
	const std::string& spoolPath() const;
		/// The spool file, when not inMemory().

	void copyTo(std::ostream& out) const;

private:
	void spill();

	std::string _fieldName;
	std::size_t _memoryLimit;
	std::string _spoolDirectory;
	std::string _memory;
	std::string _spoolPath;
	std::unique_ptr<Poco::FileOutputStream> _pSpool;
	Poco::UInt64 _size = 0;
	Poco::SHA2Engine _sha256;
	std::string _contentHash;
};


} // namespace XQueue


#endif // XQueue_UploadedFile_INCLUDED

// SPDX-License-Identifier: Apache-2.0
//
// FileContentStore.h
//
// Where the bytes of uploaded files live. Contents are addressed by their SHA-256, so
// identical uploads are stored once; the file_contents table registers every content
// whichever store holds the bytes (see FileStore). Two implementations: in the database
// (nothing else to set up or share between hosts) and in a directory (large files;
// shared storage when several hosts serve it).
//


#ifndef XQueue_FileContentStore_INCLUDED
#define XQueue_FileContentStore_INCLUDED


#include "config/FilesSettings.h"
#include "files/UploadedFile.h"
#include "store/Database.h"
#include "Poco/Data/Session.h"
#include "Poco/Timestamp.h"
#include <functional>
#include <memory>
#include <ostream>
#include <string>


namespace XQueue {


class FileContentStore
{
public:
	static std::unique_ptr<FileContentStore> open(const FilesSettings& settings, Database& database);
		/// The store xqueue.files.storage names (the server's and xqueue-admin's).

	virtual ~FileContentStore() = default;

	virtual std::string description() const = 0;

	virtual std::string spoolDirectory() const = 0;
	virtual std::size_t memorySpoolBytes() const = 0;
		/// Where uploads are spooled, and how much of one may stay in memory.

	virtual void stage(const UploadedFile& file) = 0;
		/// Before the transaction that registers the content: makes its bytes durable
		/// where they will live, if that is outside the database.

	virtual void write(Poco::Data::Session& session, const UploadedFile& file) = 0;
		/// Inside the transaction that registers a content not known before.

	virtual void confirm(const UploadedFile& file) = 0;
		/// After that transaction committed: puts the bytes back if a retention sweep
		/// removed a same-content copy between stage() and the commit.

	virtual void copyTo(const std::string& contentHash, Poco::UInt64 size, std::ostream& out) = 0;
		/// Writes the content's bytes. Throws Poco::FileNotFoundException if missing.

	virtual void erase(Poco::Data::Session& session, const std::string& contentHash) = 0;
		/// Inside the retention transaction that unregisters the content.

	virtual std::size_t removeStrays(const std::function<bool(const std::string& contentHash)>& isRegistered, Poco::Timestamp olderThan) = 0;
		/// Removes bytes last modified before olderThan that no registered content owns
		/// (left by a crash between stage() and the commit). Returns how many.
};


} // namespace XQueue


#endif // XQueue_FileContentStore_INCLUDED

// SPDX-License-Identifier: Apache-2.0
//
// DatabaseContentStore.h
//
// File contents in the database, in chunks (file_chunks): written in the same
// transaction as the submission, so a file exists exactly when its submission does,
// and every host sharing the database serves it with nothing else to set up.
//


#ifndef XQueue_DatabaseContentStore_INCLUDED
#define XQueue_DatabaseContentStore_INCLUDED


#include "files/FileContentStore.h"
#include "store/Database.h"
#include "store/FileRecordStore.h"


namespace XQueue {


class DatabaseContentStore: public FileContentStore
{
public:
	static constexpr std::size_t CHUNK_BYTES = 65535; /// a MySQL BLOB
	static constexpr int CHUNKS_PER_READ = 16;

	DatabaseContentStore(Database& database, const std::string& spoolDirectory = "");
		/// Uploads over 64 KiB are spooled in spoolDirectory (default: the system's temp).

	std::string description() const override;
	std::string spoolDirectory() const override;
	std::size_t memorySpoolBytes() const override;
	void stage(const UploadedFile& file) override;
	void write(Poco::Data::Session& session, const UploadedFile& file) override;
	void confirm(const UploadedFile& file) override;
	void copyTo(const std::string& contentHash, Poco::UInt64 size, std::ostream& out) override;
	void erase(Poco::Data::Session& session, const std::string& contentHash) override;
	std::size_t removeStrays(const std::function<bool(const std::string&)>& isRegistered, Poco::Timestamp olderThan) override;

private:
	FileRecordStore _records;
	std::string _spoolDirectory;
};


} // namespace XQueue


#endif // XQueue_DatabaseContentStore_INCLUDED

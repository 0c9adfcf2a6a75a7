// SPDX-License-Identifier: Apache-2.0
//
// FileRecordStore.h
//
// The tables of uploaded files: contents (one row per SHA-256, and their chunks when
// kept in the database) and the files of each submission. files/ decides what to keep
// and where the bytes live; this is its SQL.
//


#ifndef XQueue_FileRecordStore_INCLUDED
#define XQueue_FileRecordStore_INCLUDED


#include "store/Database.h"
#include "util/Clock.h"
#include "Poco/Data/LOB.h"
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>


namespace XQueue {


struct FileRecord
{
	std::string key;
	Poco::Int64 submissionId = 0;
	std::string fieldName;
	std::string contentHash;
	Poco::UInt64 size = 0;
};


class FileRecordStore
{
public:
	explicit FileRecordStore(Database& database);

	// Inside a submission's transaction.

	bool addContent(Poco::Data::Session& session, const std::string& contentHash, Poco::UInt64 size, Micros now);
		/// Registers a content: true if it is new (its bytes must be written), false if
		/// it was there already (it is marked used now, so retention keeps it).

	void addFile(Poco::Data::Session& session, const FileRecord& file, int position, Micros now);

	void addChunk(Poco::Data::Session& session, const std::string& contentHash, int seq, std::string_view data);

	// Reads.

	std::optional<FileRecord> find(const std::string& key);

	std::vector<Poco::Data::CLOB> chunks(const std::string& contentHash, int first, int last);
		/// Chunks first..last-1 in order (fewer at the end).

	bool contentExists(const std::string& contentHash);

	// Retention: short transactions, batches of at most `batch` rows.

	std::vector<std::string> expiredFileKeys(Micros createdBefore, int batch);
		/// Files of finished submissions (delivered, superseded, failed) older than that.

	void deleteFiles(const std::vector<std::string>& keys);

	std::vector<std::string> unreferencedContents(Micros unusedSince, int batch);

	bool removeContentIfUnreferenced(const std::string& contentHash, Micros unusedSince,
		const std::function<void(Poco::Data::Session&)>& eraseBytes);
		/// Locks the content and checks again (a submit may have reused it meanwhile):
		/// if still unused and unreferenced, erases its bytes and its row. True if removed.

	void deleteChunks(Poco::Data::Session& session, const std::string& contentHash);

private:
	Database& _database;
};


} // namespace XQueue


#endif // XQueue_FileRecordStore_INCLUDED

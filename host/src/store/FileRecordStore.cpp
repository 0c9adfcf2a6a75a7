// SPDX-License-Identifier: Apache-2.0
//
// FileRecordStore.cpp
//


#include "store/FileRecordStore.h"
#include "store/BlobText.h"
#include "store/SubmissionState.h"
#include "Poco/Data/Statement.h"


using namespace Poco::Data::Keywords;


namespace XQueue {


FileRecordStore::FileRecordStore(Database& database):
	_database(database)
{
}


bool FileRecordStore::addContent(Poco::Data::Session& s, const std::string& contentHash, Poco::UInt64 size, Micros at)
{
	Poco::Int64 bytes = static_cast<Poco::Int64>(size);
	Poco::Data::Statement insert(s);
	insert << _database.sql().insertOrIgnore() + " file_contents (content_hash, size, touched_at) VALUES (?, ?, ?)",
		useRef(contentHash), use(bytes), use(at);
	if (insert.execute() == 1) return true;
	s << "UPDATE file_contents SET touched_at = ? WHERE content_hash = ?", use(at), useRef(contentHash), now;
	return false;
}


void FileRecordStore::addFile(Poco::Data::Session& s, const FileRecord& file, int position, Micros at)
{
	auto name = toClob(file.fieldName);
	Poco::Int64 size = static_cast<Poco::Int64>(file.size);
	Poco::Int64 submissionId = file.submissionId;
	s << "INSERT INTO submission_files (file_key, submission_id, position, field_name, content_hash, size, created_at)"
		" VALUES (?, ?, ?, COALESCE(?, X''), ?, ?, ?)",
		useRef(file.key), use(submissionId), use(position), use(name), useRef(file.contentHash), use(size), use(at), now;
}


void FileRecordStore::addChunk(Poco::Data::Session& s, const std::string& contentHash, int seq, std::string_view data)
{
	auto chunk = toClob(data);
	s << "INSERT INTO file_chunks (content_hash, seq, data) VALUES (?, ?, ?)", useRef(contentHash), use(seq), use(chunk), now;
}


std::optional<FileRecord> FileRecordStore::find(const std::string& key)
{
	std::optional<FileRecord> found;
	_database.read([&](Poco::Data::Session& s) {
		found.reset();
		std::vector<Poco::Int64> submissionIds, sizes;
		std::vector<Poco::Data::CLOB> names;
		std::vector<std::string> hashes;
		s << "SELECT submission_id, field_name, content_hash, size FROM submission_files WHERE file_key = ?",
			useRef(key), into(submissionIds), into(names), into(hashes), into(sizes), now;
		if (submissionIds.empty()) return;
		found = FileRecord{key, submissionIds[0], fromClob(names[0]), hashes[0], static_cast<Poco::UInt64>(sizes[0])};
	});
	return found;
}


std::vector<Poco::Data::CLOB> FileRecordStore::chunks(const std::string& contentHash, int first, int last)
{
	std::vector<Poco::Data::CLOB> out;
	_database.read([&](Poco::Data::Session& s) {
		out.clear();
		s << "SELECT data FROM file_chunks WHERE content_hash = ? AND seq >= ? AND seq < ? ORDER BY seq",
			useRef(contentHash), use(first), use(last), into(out), now;
	});
	return out;
}


bool FileRecordStore::contentExists(const std::string& contentHash)
{
	Poco::Int64 registered = 0;
	_database.read([&](Poco::Data::Session& s) {
		s << "SELECT COUNT(*) FROM file_contents WHERE content_hash = ?", useRef(contentHash), into(registered), now;
	});
	return registered > 0;
}


std::vector<std::string> FileRecordStore::expiredFileKeys(Micros createdBefore, int batch)
{
	int delivered = static_cast<int>(SubmissionState::DELIVERED);
	int superseded = static_cast<int>(SubmissionState::SUPERSEDED);
	int failed = static_cast<int>(SubmissionState::FAILED);
	std::vector<std::string> keys;
	_database.read([&](Poco::Data::Session& s) {
		keys.clear();
		s << "SELECT f.file_key FROM submission_files f JOIN submissions s ON s.id = f.submission_id"
			" WHERE f.created_at < ? AND s.state IN (?, ?, ?) LIMIT " + std::to_string(batch),
			use(createdBefore), use(delivered), use(superseded), use(failed), into(keys), now;
	});
	return keys;
}


void FileRecordStore::deleteFiles(const std::vector<std::string>& keys)
{
	_database.transaction([&](Poco::Data::Session& s) {
		for (const auto& key: keys) s << "DELETE FROM submission_files WHERE file_key = ?", useRef(key), now;
	});
}


std::vector<std::string> FileRecordStore::unreferencedContents(Micros unusedSince, int batch)
{
	std::vector<std::string> hashes;
	_database.read([&](Poco::Data::Session& s) {
		hashes.clear();
		s << "SELECT c.content_hash FROM file_contents c WHERE c.touched_at < ?"
			" AND NOT EXISTS (SELECT 1 FROM submission_files f WHERE f.content_hash = c.content_hash)"
			" LIMIT " + std::to_string(batch),
			use(unusedSince), into(hashes), now;
	});
	return hashes;
}


bool FileRecordStore::removeContentIfUnreferenced(const std::string& contentHash, Micros unusedSince,
	const std::function<void(Poco::Data::Session&)>& eraseBytes)
{
	bool removed = false;
	_database.transaction([&](Poco::Data::Session& s) {
		removed = false;
		// Locked and checked again: a submit may have reused the content meanwhile
		// (it touches the row, and on MySQL waits for this transaction).
		std::vector<Poco::Int64> touched;
		s << "SELECT touched_at FROM file_contents WHERE content_hash = ?" + _database.sql().forUpdate(),
			useRef(contentHash), into(touched), now;
		if (touched.empty() || touched[0] >= unusedSince) return;
		Poco::Int64 references = 0;
		s << "SELECT COUNT(*) FROM submission_files WHERE content_hash = ?", useRef(contentHash), into(references), now;
		if (references > 0) return;
		eraseBytes(s);
		s << "DELETE FROM file_contents WHERE content_hash = ?", useRef(contentHash), now;
		removed = true;
	});
	return removed;
}


void FileRecordStore::deleteChunks(Poco::Data::Session& s, const std::string& contentHash)
{
	s << "DELETE FROM file_chunks WHERE content_hash = ?", useRef(contentHash), now;
}


} // namespace XQueue

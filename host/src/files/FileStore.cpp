// SPDX-License-Identifier: Apache-2.0
//
// FileStore.cpp
//


#include "files/FileStore.h"
#include "protocol/PythonJson.h"
#include "store/BlobText.h"
#include "store/StoreUnavailableException.h"
#include "util/SecureRandom.h"
#include "Poco/Data/Statement.h"


using namespace Poco::Data::Keywords;


namespace XQueue {


FileStore::FileStore(Database& database, FileContentStore& contents):
	_database(database),
	_contents(contents)
{
}


FileContentStore& FileStore::contents()
{
	return _contents;
}


FileAttachment FileStore::prepare(const std::vector<std::unique_ptr<UploadedFile>>& uploads)
{
	FileAttachment attachment;
	if (uploads.empty()) return attachment;
	attachment.keyMap = "{";
	for (const auto& pUpload: uploads)
	{
		std::string key = SecureRandom::hexToken(16);
		try
		{
			_contents.stage(*pUpload);
		}
		catch (Poco::FileException& exc)
		{
			// Storage full or unwritable: the submit fails cleanly (503, nothing recorded).
			throw StoreUnavailableException("cannot store an uploaded file: " + exc.displayText());
		}
		if (attachment.keyMap.size() > 1) attachment.keyMap += ", ";
		PythonJson::appendQuoted(attachment.keyMap, pUpload->fieldName());
		attachment.keyMap += ": ";
		PythonJson::appendQuoted(attachment.keyMap, key);
		attachment.files.emplace_back(pUpload.get(), std::move(key));
	}
	attachment.keyMap += '}';
	return attachment;
}


void FileStore::attach(Poco::Data::Session& s, Poco::Int64 submissionId, const FileAttachment& attachment, Micros now)
{
	const bool mysql = _database.dialect() == Dialect::MYSQL;
	int position = 0;
	for (const auto& [pUpload, key]: attachment.files)
	{
		const std::string& hash = pUpload->contentHash();
		Poco::Int64 size = static_cast<Poco::Int64>(pUpload->size());
		Poco::Data::Statement insert(s);
		insert << (mysql ? "INSERT IGNORE INTO file_contents (content_hash, size, touched_at) VALUES (?, ?, ?)"
				: "INSERT OR IGNORE INTO file_contents (content_hash, size, touched_at) VALUES (?, ?, ?)"),
			useRef(hash), use(size), use(now);
		if (insert.execute() == 1)
			_contents.write(s, *pUpload);
		else
			s << "UPDATE file_contents SET touched_at = ? WHERE content_hash = ?", use(now), useRef(hash), Poco::Data::Keywords::now;

		auto name = toClob(pUpload->fieldName());
		s << "INSERT INTO submission_files (file_key, submission_id, position, field_name, content_hash, size, created_at)"
			" VALUES (?, ?, ?, COALESCE(?, X''), ?, ?, ?)",
			useRef(key), use(submissionId), use(position), use(name), useRef(hash), use(size), use(now), Poco::Data::Keywords::now;
		++position;
	}
}


void FileStore::confirm(const FileAttachment& attachment)
{
	try
	{
		for (const auto& entry: attachment.files) _contents.confirm(*entry.first);
	}
	catch (Poco::FileException& exc)
	{
		throw StoreUnavailableException("cannot store an uploaded file: " + exc.displayText());
	}
}


std::optional<StoredFile> FileStore::find(const std::string& key)
{
	std::optional<StoredFile> found;
	_database.read([&](Poco::Data::Session& s) {
		found.reset();
		std::vector<Poco::Int64> submissionIds, sizes;
		std::vector<Poco::Data::CLOB> names;
		std::vector<std::string> hashes;
		s << "SELECT submission_id, field_name, content_hash, size FROM submission_files WHERE file_key = ?",
			useRef(key), into(submissionIds), into(names), into(hashes), into(sizes), Poco::Data::Keywords::now;
		if (submissionIds.empty()) return;
		found = StoredFile{key, submissionIds[0], fromClob(names[0]), hashes[0], static_cast<Poco::UInt64>(sizes[0])};
	});
	return found;
}


void FileStore::copyTo(const StoredFile& file, std::ostream& out)
{
	_contents.copyTo(file.contentHash, file.size, out);
}


} // namespace XQueue

// SPDX-License-Identifier: Apache-2.0
//
// FileStore.cpp
//


#include "files/FileStore.h"
#include "protocol/PythonJson.h"
#include "store/StoreUnavailableException.h"
#include "util/SecureRandom.h"



namespace XQueue {


FileStore::FileStore(Database& database, FileContentStore& contents):
	_records(database),
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
	int position = 0;
	for (const auto& [pUpload, key]: attachment.files)
	{
		FileRecord file{key, submissionId, pUpload->fieldName(), pUpload->contentHash(), pUpload->size()};
		if (_records.addContent(s, file.contentHash, file.size, now)) _contents.write(s, *pUpload);
		_records.addFile(s, file, position, now);
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
	return _records.find(key);
}


void FileStore::copyTo(const StoredFile& file, std::ostream& out)
{
	_contents.copyTo(file.contentHash, file.size, out);
}


} // namespace XQueue

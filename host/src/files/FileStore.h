// SPDX-License-Identifier: Apache-2.0
//
// FileStore.h
//
// The files of submissions: each gets an unguessable key (what a link names) and a
// row in submission_files; its content is registered in file_contents and its bytes
// kept by a FileContentStore. A submission's files are recorded in the submission's
// own transaction, so a file exists exactly when its submission does.
//


#ifndef XQueue_FileStore_INCLUDED
#define XQueue_FileStore_INCLUDED


#include "files/FileContentStore.h"
#include "files/UploadedFile.h"
#include "store/Database.h"
#include "store/FileRecordStore.h"
#include "util/Clock.h"
#include <memory>
#include <optional>
#include <string>
#include <vector>


namespace XQueue {


using StoredFile = FileRecord;


struct FileAttachment
	/// A submission's uploads with their keys, between prepare() and confirm().
{
	std::vector<std::pair<const UploadedFile*, std::string>> files; /// upload, key
	std::string keyMap = "{}"; /// JSON {field name: key}, in upload order (xqueue_files)
};


class FileStore
{
public:
	FileStore(Database& database, FileContentStore& contents);

	FileAttachment prepare(const std::vector<std::unique_ptr<UploadedFile>>& uploads);
		/// Before the submission's transaction: gives each upload a key (128 random
		/// bits) and stages its content.

	void attach(Poco::Data::Session& session, Poco::Int64 submissionId, const FileAttachment& attachment, Micros now);
		/// Inside the submission's transaction: registers contents and files.

	void confirm(const FileAttachment& attachment);
		/// After the commit.

	std::optional<StoredFile> find(const std::string& key);

	void copyTo(const StoredFile& file, std::ostream& out);

	FileContentStore& contents();

private:
	FileRecordStore _records;
	FileContentStore& _contents;
};


} // namespace XQueue


#endif // XQueue_FileStore_INCLUDED

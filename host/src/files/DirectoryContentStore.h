// SPDX-License-Identifier: Apache-2.0
//
// DirectoryContentStore.h
//
// File contents as files in a directory: <dir>/<first 2 hex of the hash>/<hash>, with
// uploads spooled in <dir>/tmp so that placing one is a hard link on one file system.
// Every content is fsynced before its submission commits. For several hosts the
// directory must be shared storage (NFS, a cluster file system) mounted on each.
//


#ifndef XQueue_DirectoryContentStore_INCLUDED
#define XQueue_DirectoryContentStore_INCLUDED


#include "files/FileContentStore.h"


namespace XQueue {


class DirectoryContentStore: public FileContentStore
{
public:
	explicit DirectoryContentStore(const std::string& directory);
		/// Creates the directory (and its tmp) if missing.

	std::string description() const override;
	std::string spoolDirectory() const override;
	std::size_t memorySpoolBytes() const override;
		/// 0: spooled beside the contents, so that storing one is a hard link.
	void stage(const UploadedFile& file) override;
	void write(Poco::Data::Session& session, const UploadedFile& file) override;
	void confirm(const UploadedFile& file) override;
	void copyTo(const std::string& contentHash, Poco::UInt64 size, std::ostream& out) override;
	void erase(Poco::Data::Session& session, const std::string& contentHash) override;
	std::size_t removeStrays(const std::function<bool(const std::string&)>& isRegistered, Poco::Timestamp olderThan) override;

	std::string pathOf(const std::string& contentHash) const;

private:
	void place(const UploadedFile& file, const std::string& target);

	std::string _directory;
};


} // namespace XQueue


#endif // XQueue_DirectoryContentStore_INCLUDED

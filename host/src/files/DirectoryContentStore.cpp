// SPDX-License-Identifier: Apache-2.0
//
// DirectoryContentStore.cpp
//


#include "files/DirectoryContentStore.h"
#include "util/SecureRandom.h"
#include "Poco/DirectoryIterator.h"
#include "Poco/Exception.h"
#include "Poco/File.h"
#include "Poco/FileStream.h"
#include "Poco/Path.h"
#include "Poco/StreamCopier.h"
#include <cerrno>
#include <fcntl.h>
#include <unistd.h>


namespace XQueue {


namespace
{
	void syncPath(const std::string& path)
		/// fsync: Poco has no call for it, and a content must be on disk before the
		/// submission that refers to it is acknowledged.
	{
		int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
		if (fd < 0) throw Poco::OpenFileException("cannot open for fsync", path);
		int rc = ::fsync(fd);
		::close(fd);
		if (rc != 0) throw Poco::WriteFileException("fsync failed", path);
	}

	bool isContentHash(const std::string& name)
	{
		if (name.size() != 64) return false;
		for (char c: name)
		{
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
		}
		return true;
	}
}


DirectoryContentStore::DirectoryContentStore(const std::string& directory):
	_directory(Poco::Path(directory).makeAbsolute().makeDirectory().toString())
{
	Poco::File(spoolDirectory()).createDirectories();
}


std::string DirectoryContentStore::description() const
{
	return "directory " + _directory;
}


std::string DirectoryContentStore::spoolDirectory() const
{
	return _directory + "tmp/";
}


std::size_t DirectoryContentStore::memorySpoolBytes() const
{
	return 0;
}


std::string DirectoryContentStore::pathOf(const std::string& contentHash) const
{
	return _directory + contentHash.substr(0, 2) + "/" + contentHash;
}


void DirectoryContentStore::place(const UploadedFile& file, const std::string& target)
{
	Poco::File(Poco::Path(target).parent()).createDirectories();
	std::string source = file.inMemory() ? std::string() : file.spoolPath();
	std::string copy;
	if (!source.empty())
	{
		syncPath(source);
		if (::link(source.c_str(), target.c_str()) == 0 || errno == EEXIST)
		{
			syncPath(Poco::Path(target).parent().toString());
			return;
		}
		if (errno != EXDEV) throw Poco::CreateFileException("cannot link the upload into place", target);
	}
	// In memory, or spooled on another file system: write a copy beside the target.
	copy = spoolDirectory() + "place-" + SecureRandom::hexToken(16);
	try
	{
		{
			Poco::FileOutputStream out(copy, std::ios::out | std::ios::binary | std::ios::trunc);
			file.copyTo(out);
			out.close();
			if (!out.good()) throw Poco::WriteFileException("cannot write", copy);
		}
		syncPath(copy);
		if (::link(copy.c_str(), target.c_str()) != 0 && errno != EEXIST)
			throw Poco::CreateFileException("cannot link the upload into place", target);
		syncPath(Poco::Path(target).parent().toString());
	}
	catch (...)
	{
		Poco::File(copy).remove();
		throw;
	}
	Poco::File(copy).remove();
}


void DirectoryContentStore::stage(const UploadedFile& file)
{
	std::string target = pathOf(file.contentHash());
	try
	{
		// Same content already stored: mark it used, so retention leaves it alone.
		Poco::File(target).setLastModified(Poco::Timestamp());
	}
	catch (Poco::FileNotFoundException&)
	{
		place(file, target);
	}
}


void DirectoryContentStore::write(Poco::Data::Session&, const UploadedFile&)
{
}


void DirectoryContentStore::confirm(const UploadedFile& file)
{
	std::string target = pathOf(file.contentHash());
	if (!Poco::File(target).exists()) place(file, target);
}


void DirectoryContentStore::copyTo(const std::string& contentHash, Poco::UInt64, std::ostream& out)
{
	std::string path = pathOf(contentHash);
	if (!Poco::File(path).exists()) throw Poco::FileNotFoundException("file content missing", path);
	Poco::FileInputStream in(path, std::ios::in | std::ios::binary);
	Poco::StreamCopier::copyStream64(in, out);
}


void DirectoryContentStore::erase(Poco::Data::Session&, const std::string& contentHash)
{
	if (::unlink(pathOf(contentHash).c_str()) != 0 && errno != ENOENT)
		throw Poco::FileAccessDeniedException("cannot remove a file content", pathOf(contentHash));
}


std::size_t DirectoryContentStore::removeStrays(const std::function<bool(const std::string&)>& isRegistered, Poco::Timestamp olderThan)
{
	std::size_t removed = 0;
	auto removeIfOld = [&](Poco::File& file) {
		if (file.isFile() && file.getLastModified() < olderThan)
		{
			file.remove();
			++removed;
		}
	};
	for (Poco::DirectoryIterator it(_directory), end; it != end; ++it)
	{
		if (!it->isDirectory()) continue;
		if (it.name() == "tmp")
		{
			// Spool files of requests that never finished (the process died).
			for (Poco::DirectoryIterator spool(it->path()); spool != end; ++spool) removeIfOld(*spool);
			continue;
		}
		if (it.name().size() != 2) continue;
		for (Poco::DirectoryIterator content(it->path()); content != end; ++content)
		{
			if (isContentHash(content.name()) && !isRegistered(content.name())) removeIfOld(*content);
		}
	}
	return removed;
}


} // namespace XQueue

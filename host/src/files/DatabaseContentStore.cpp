// SPDX-License-Identifier: Apache-2.0
//
// DatabaseContentStore.cpp
//


#include "files/DatabaseContentStore.h"
#include "Poco/Exception.h"
#include "Poco/FileStream.h"
#include "Poco/Path.h"
#include <vector>



namespace XQueue {


DatabaseContentStore::DatabaseContentStore(Database& database, const std::string& spoolDirectory):
	_records(database),
	_spoolDirectory(spoolDirectory.empty() ? Poco::Path::temp() : spoolDirectory)
{
}


std::string DatabaseContentStore::spoolDirectory() const
{
	return _spoolDirectory;
}


std::size_t DatabaseContentStore::memorySpoolBytes() const
{
	return 64 * 1024;
}


std::string DatabaseContentStore::description() const
{
	return "database";
}


void DatabaseContentStore::stage(const UploadedFile&)
{
}


void DatabaseContentStore::write(Poco::Data::Session& s, const UploadedFile& file)
{
	const std::string& hash = file.contentHash();
	int seq = 0;
	auto insert = [&](const char* data, std::size_t length) { _records.addChunk(s, hash, seq++, std::string_view(data, length)); };
	if (file.inMemory())
	{
		const std::string& content = file.memoryContent();
		for (std::size_t offset = 0; offset < content.size(); offset += CHUNK_BYTES)
			insert(content.data() + offset, std::min(CHUNK_BYTES, content.size() - offset));
		return;
	}
	Poco::FileInputStream in(file.spoolPath(), std::ios::in | std::ios::binary);
	std::vector<char> buffer(CHUNK_BYTES);
	while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0)
		insert(buffer.data(), static_cast<std::size_t>(in.gcount()));
}


void DatabaseContentStore::confirm(const UploadedFile&)
{
}


void DatabaseContentStore::copyTo(const std::string& contentHash, Poco::UInt64 size, std::ostream& out)
{
	// A few chunks per statement: memory stays small for any file size.
	Poco::UInt64 written = 0;
	for (int first = 0; written < size; first += CHUNKS_PER_READ)
	{
		std::vector<Poco::Data::CLOB> chunks = _records.chunks(contentHash, first, first + CHUNKS_PER_READ);
		if (chunks.empty()) throw Poco::FileNotFoundException("file content " + contentHash + " is incomplete in the database");
		for (const auto& chunk: chunks)
		{
			out.write(chunk.rawContent(), static_cast<std::streamsize>(chunk.size()));
			written += chunk.size();
		}
		if (!out.good()) return; // the client went away
	}
}


void DatabaseContentStore::erase(Poco::Data::Session& s, const std::string& contentHash)
{
	_records.deleteChunks(s, contentHash);
}


std::size_t DatabaseContentStore::removeStrays(const std::function<bool(const std::string&)>&, Poco::Timestamp)
{
	return 0; // chunks are written and erased in the transactions that (un)register them
}


} // namespace XQueue

// SPDX-License-Identifier: Apache-2.0
//
// UploadedFile.cpp
//


#include "files/UploadedFile.h"
#include "util/SecureRandom.h"
#include "Poco/DigestEngine.h"
#include "Poco/Exception.h"
#include "Poco/File.h"
#include "Poco/Path.h"
#include "Poco/StreamCopier.h"


namespace XQueue {


UploadedFile::UploadedFile(std::string fieldName, std::size_t memoryLimit, std::string spoolDirectory):
	_fieldName(std::move(fieldName)),
	_memoryLimit(memoryLimit),
	_spoolDirectory(std::move(spoolDirectory)),
	_sha256(Poco::SHA2Engine::SHA_256)
{
}


UploadedFile::~UploadedFile()
{
	try
	{
		_pSpool.reset();
		if (!_spoolPath.empty()) Poco::File(_spoolPath).remove();
	}
	catch (...)
	{
		// A spool file that cannot be removed is left to the orphan sweep.
	}
}


void UploadedFile::spill()
{
	Poco::File(_spoolDirectory).createDirectories();
	// A random name, created exclusively: never a name a client chose.
	_spoolPath = Poco::Path(Poco::Path::forDirectory(_spoolDirectory), "upload-" + SecureRandom::hexToken(16)).toString();
	_pSpool = std::make_unique<Poco::FileOutputStream>(_spoolPath, std::ios::out | std::ios::binary | std::ios::trunc);
	_pSpool->write(_memory.data(), static_cast<std::streamsize>(_memory.size()));
	_memory.clear();
	_memory.shrink_to_fit();
}


void UploadedFile::append(const char* data, std::size_t length)
{
	if (length == 0) return;
	_sha256.update(data, static_cast<unsigned>(length));
	_size += length;
	if (!_pSpool && _memory.size() + length > _memoryLimit) spill();
	if (_pSpool)
	{
		_pSpool->write(data, static_cast<std::streamsize>(length));
		if (!_pSpool->good()) throw Poco::WriteFileException("cannot write the upload spool file", _spoolPath);
	}
	else
	{
		_memory.append(data, length);
	}
}


void UploadedFile::finish()
{
	if (_memoryLimit == 0 && !_pSpool) spill();
	if (_pSpool)
	{
		_pSpool->close();
		if (!_pSpool->good()) throw Poco::WriteFileException("cannot write the upload spool file", _spoolPath);
		_pSpool.reset();
	}
	_contentHash = Poco::DigestEngine::digestToHex(_sha256.digest());
}


const std::string& UploadedFile::fieldName() const
{
	return _fieldName;
}


Poco::UInt64 UploadedFile::size() const
{
	return _size;
}


const std::string& UploadedFile::contentHash() const
{
	return _contentHash;
}


bool UploadedFile::inMemory() const
{
	return _spoolPath.empty();
}


const std::string& UploadedFile::memoryContent() const
{
	return _memory;
}


const std::string& UploadedFile::spoolPath() const
{
	return _spoolPath;
}


void UploadedFile::copyTo(std::ostream& out) const
{
	if (inMemory())
	{
		out.write(_memory.data(), static_cast<std::streamsize>(_memory.size()));
		return;
	}
	Poco::FileInputStream in(_spoolPath, std::ios::in | std::ios::binary);
	Poco::StreamCopier::copyStream64(in, out);
}


} // namespace XQueue

// SPDX-License-Identifier: Apache-2.0
//
// UploadCollector.cpp
//


#include "files/UploadCollector.h"
#include "Poco/Net/MessageHeader.h"
#include "Poco/Net/NameValueCollection.h"
#include "Poco/String.h"
#include "Poco/UTF8Encoding.h"


namespace XQueue {


UploadCollector::UploadCollector(const UploadLimits& limits):
	_limits(limits)
{
}


void UploadCollector::refuse(const std::string& reason)
{
	if (!_refusal) _refusal = reason;
	_files.clear(); // nothing of a refused request is kept, spool files included
}


void UploadCollector::drain(std::istream& stream)
{
	char buffer[16384];
	while (stream.read(buffer, sizeof(buffer)) || stream.gcount() > 0) {}
}


bool UploadCollector::acceptableName(const std::string& name)
{
	if (name.empty()) return false;
	Poco::UTF8Encoding utf8;
	const auto* p = reinterpret_cast<const unsigned char*>(name.data());
	const auto* end = p + name.size();
	while (p < end)
	{
		int length = utf8.sequenceLength(p, static_cast<int>(end - p));
		if (length <= 0 || length > end - p || !Poco::UTF8Encoding::isLegal(p, length)) return false;
		int ch = utf8.queryConvert(p, length);
		if (ch < 0x20 || ch == 0x7F || (ch >= 0x80 && ch < 0xA0)) return false;
		p += length;
	}
	return true;
}


void UploadCollector::handlePart(const Poco::Net::MessageHeader& header, std::istream& stream)
{
	if (_refusal)
	{
		drain(stream);
		return;
	}
	std::string disposition;
	Poco::Net::NameValueCollection params;
	if (header.has("Content-Disposition"))
		Poco::Net::MessageHeader::splitParameters(header.get("Content-Disposition"), disposition, params);
	if (params.get("filename", "").empty() || !params.has("name"))
	{
		// Django skips a file input left empty (filename="") and a part without a name.
		drain(stream);
		return;
	}
	if (++_parts > _limits.maxFiles)
	{
		refuse("Too many files: the limit is " + std::to_string(_limits.maxFiles) + " per submission (xqueue.files.max_files)");
		drain(stream);
		return;
	}
	std::string name = Poco::trim(params.get("name"));
	if (name.size() > _limits.maxNameBytes)
	{
		refuse("A file name is longer than the limit of " + std::to_string(_limits.maxNameBytes) + " bytes (xqueue.files.max_name_bytes)");
		drain(stream);
		return;
	}
	if (!acceptableName(name))
	{
		refuse("A file name is empty, is not valid UTF-8 or contains control characters");
		drain(stream);
		return;
	}

	auto pFile = std::make_unique<UploadedFile>(name, _limits.memoryBytes, _limits.spoolDirectory);
	char buffer[65536];
	while (stream.read(buffer, sizeof(buffer)) || stream.gcount() > 0)
	{
		auto length = static_cast<std::size_t>(stream.gcount());
		if (pFile->size() + length > _limits.maxFileBytes)
		{
			refuse("File '" + name + "' is larger than the limit of " + std::to_string(_limits.maxFileBytes) +
				" bytes (xqueue.files.max_file_bytes)");
			drain(stream);
			return;
		}
		pFile->append(buffer, length);
	}
	pFile->finish();

	for (auto& pExisting: _files)
	{
		if (pExisting->fieldName() == name)
		{
			pExisting = std::move(pFile); // last content, first position
			return;
		}
	}
	_files.push_back(std::move(pFile));
}


const std::vector<std::unique_ptr<UploadedFile>>& UploadCollector::files() const
{
	return _files;
}


const std::optional<std::string>& UploadCollector::refusal() const
{
	return _refusal;
}


} // namespace XQueue

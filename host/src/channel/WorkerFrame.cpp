// SPDX-License-Identifier: Apache-2.0
//
// WorkerFrame.cpp
//


#include "channel/WorkerFrame.h"
#include <cstring>


namespace XQueue {


FrameWriter& FrameWriter::integer(std::uint64_t value)
{
	_payload.append(reinterpret_cast<const char*>(&value), sizeof(value));
	return *this;
}


FrameWriter& FrameWriter::text(std::string_view value)
{
	integer(value.size());
	_payload.append(value.data(), value.size());
	return *this;
}


const std::string& FrameWriter::payload() const
{
	return _payload;
}


FrameReader::FrameReader(std::string_view payload):
	_rest(payload)
{
}


std::uint64_t FrameReader::integer()
{
	std::uint64_t value;
	std::memcpy(&value, take(sizeof(value)).data(), sizeof(value));
	return value;
}


std::int64_t FrameReader::signedInteger()
{
	return static_cast<std::int64_t>(integer());
}


std::string FrameReader::text()
{
	std::uint64_t size = integer();
	return std::string(take(size));
}


std::string_view FrameReader::take(std::size_t size)
{
	if (size > _rest.size()) throw FrameFormatException("frame payload ends early");
	std::string_view taken = _rest.substr(0, size);
	_rest.remove_prefix(size);
	return taken;
}


} // namespace XQueue

// SPDX-License-Identifier: Apache-2.0
//
// BoundedInputStream.cpp
//


#include "http/BoundedInputStream.h"


namespace XQueue {


BoundedStreamBuf::BoundedStreamBuf(std::istream& source, Poco::UInt64 limit):
	Poco::BufferedStreamBuf(65536, std::ios::in),
	_source(source),
	_limit(limit)
{
}


bool BoundedStreamBuf::exceeded() const
{
	return _exceeded;
}


int BoundedStreamBuf::readFromDevice(char* buffer, std::streamsize length)
{
	if (_exceeded) return 0;
	_source.read(buffer, length);
	std::streamsize got = _source.gcount();
	_count += static_cast<Poco::UInt64>(got);
	if (_count > _limit)
	{
		_exceeded = true;
		return 0;
	}
	return static_cast<int>(got);
}


BoundedInputStream::BoundedInputStream(std::istream& source, Poco::UInt64 limit):
	std::istream(nullptr),
	_buffer(source, limit)
{
	init(&_buffer);
}


bool BoundedInputStream::exceeded() const
{
	return _buffer.exceeded();
}


} // namespace XQueue

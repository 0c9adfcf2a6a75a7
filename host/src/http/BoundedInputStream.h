// SPDX-License-Identifier: Apache-2.0
//
// BoundedInputStream.h
//
// Reads at most a limit of bytes from another stream, so that a body without a
// Content-Length (chunked) cannot grow past the request limit while it is parsed as
// it arrives. Past the limit it ends as if at end of input and remembers why: stream
// errors are not exceptions in std::istream, so the caller asks exceeded().
//


#ifndef XQueue_BoundedInputStream_INCLUDED
#define XQueue_BoundedInputStream_INCLUDED


#include "Poco/BufferedStreamBuf.h"
#include "Poco/Types.h"
#include <istream>


namespace XQueue {


class BoundedStreamBuf: public Poco::BufferedStreamBuf
{
public:
	BoundedStreamBuf(std::istream& source, Poco::UInt64 limit);

	bool exceeded() const;

protected:
	int readFromDevice(char* buffer, std::streamsize length) override;

private:
	std::istream& _source;
	Poco::UInt64 _limit;
	Poco::UInt64 _count = 0;
	bool _exceeded = false;
};


class BoundedInputStream: public std::istream
{
public:
	BoundedInputStream(std::istream& source, Poco::UInt64 limit);

	bool exceeded() const;

private:
	BoundedStreamBuf _buffer;
};


} // namespace XQueue


#endif // XQueue_BoundedInputStream_INCLUDED

// SPDX-License-Identifier: Apache-2.0
//
// WorkerChannel.cpp
//


#include "channel/WorkerChannel.h"
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>


namespace XQueue {


WorkerChannel::WorkerChannel(int fd):
	_fd(fd)
{
}


WorkerChannel::~WorkerChannel()
{
	::close(_fd);
}


bool WorkerChannel::send(FrameType type, const std::string& payload)
{
	if (payload.size() + 1 > MAX_FRAME_BYTES) return false;
	std::uint32_t size = static_cast<std::uint32_t>(payload.size() + 1);
	char header[5];
	std::memcpy(header, &size, sizeof(size));
	header[4] = static_cast<char>(type);
	std::lock_guard<std::mutex> lock(_sendMutex);
	struct iovec parts[2] = {{header, sizeof(header)}, {const_cast<char*>(payload.data()), payload.size()}};
	std::size_t total = sizeof(header) + payload.size();
	std::size_t sent = 0;
	while (sent < total)
	{
		// MSG_NOSIGNAL: a peer that died is a false return, not SIGPIPE.
		struct msghdr message{};
		struct iovec rest[2];
		int count = 0;
		std::size_t skip = sent;
		for (auto& part: parts)
		{
			if (skip >= part.iov_len) { skip -= part.iov_len; continue; }
			rest[count].iov_base = static_cast<char*>(part.iov_base) + skip;
			rest[count].iov_len = part.iov_len - skip;
			skip = 0;
			++count;
		}
		message.msg_iov = rest;
		message.msg_iovlen = static_cast<std::size_t>(count);
		ssize_t n = ::sendmsg(_fd, &message, MSG_NOSIGNAL);
		if (n < 0)
		{
			if (errno == EINTR) continue;
			return false;
		}
		sent += static_cast<std::size_t>(n);
	}
	return true;
}


std::optional<WorkerFrame> WorkerChannel::receive()
{
	char header[5];
	if (!readFully(header, sizeof(header))) return std::nullopt;
	std::uint32_t size;
	std::memcpy(&size, header, sizeof(size));
	if (size < 1 || size > MAX_FRAME_BYTES) return std::nullopt;
	WorkerFrame frame;
	frame.type = static_cast<FrameType>(static_cast<std::uint8_t>(header[4]));
	frame.payload.resize(size - 1);
	if (size > 1 && !readFully(frame.payload.data(), frame.payload.size())) return std::nullopt;
	return frame;
}


bool WorkerChannel::readable(int timeoutMillis) const
{
	struct pollfd p{_fd, POLLIN, 0};
	int n;
	do n = ::poll(&p, 1, timeoutMillis); while (n < 0 && errno == EINTR);
	return n > 0;
}


void WorkerChannel::shutdown()
{
	::shutdown(_fd, SHUT_RDWR);
}


int WorkerChannel::fd() const
{
	return _fd;
}


bool WorkerChannel::readFully(char* data, std::size_t size)
{
	std::size_t got = 0;
	while (got < size)
	{
		ssize_t n = ::recv(_fd, data + got, size - got, 0);
		if (n == 0) return false;
		if (n < 0)
		{
			if (errno == EINTR) continue;
			return false;
		}
		got += static_cast<std::size_t>(n);
	}
	return true;
}


} // namespace XQueue

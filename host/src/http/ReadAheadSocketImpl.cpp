// SPDX-License-Identifier: Apache-2.0
//
// ReadAheadSocketImpl.cpp
//


#include "http/ReadAheadSocketImpl.h"
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/socket.h>


namespace XQueue {


namespace
{
	constexpr std::size_t IDLE_CAPACITY = 16 * 1024;
}


ReadAheadSocketImpl::ReadAheadSocketImpl(poco_socket_t sockfd):
	Poco::Net::StreamSocketImpl(sockfd)
{
}


ReadAheadSocketImpl::~ReadAheadSocketImpl() = default;


ReadAheadSocketImpl::ReadResult ReadAheadSocketImpl::readAvailable(std::size_t maxBuffered)
{
	if (_consumed > 0)
	{
		_buffer.erase(0, _consumed);
		_consumed = 0;
	}
	char chunk[16384];
	while (_buffer.size() < maxBuffered)
	{
		std::size_t wanted = std::min(sizeof(chunk), maxBuffered - _buffer.size());
		// MSG_DONTWAIT: this socket stays blocking for the request thread's reads.
		ssize_t n = ::recv(sockfd(), chunk, wanted, MSG_DONTWAIT);
		if (n > 0)
		{
			_buffer.append(chunk, static_cast<std::size_t>(n));
			// Less than asked for: nothing more has arrived (saves the EAGAIN call).
			if (static_cast<std::size_t>(n) < wanted) return ReadResult::MORE_LATER;
			continue;
		}
		if (n < 0 && errno == EINTR) continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return ReadResult::MORE_LATER;
		return ReadResult::PEER_CLOSED;
	}
	return ReadResult::MORE_LATER;
}


void ReadAheadSocketImpl::discardBuffered()
{
	std::string().swap(_buffer);
	_consumed = 0;
}


ReadAheadSocketImpl::ReadResult ReadAheadSocketImpl::discardAvailable(std::size_t& budget)
{
	char chunk[16384];
	while (budget > 0)
	{
		ssize_t n = ::recv(sockfd(), chunk, std::min(sizeof(chunk), budget), MSG_DONTWAIT);
		if (n > 0)
		{
			budget -= static_cast<std::size_t>(n);
			continue;
		}
		if (n < 0 && errno == EINTR) continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return ReadResult::MORE_LATER;
		return ReadResult::PEER_CLOSED;
	}
	return ReadResult::PEER_CLOSED;
}


std::string_view ReadAheadSocketImpl::buffered() const
{
	return std::string_view(_buffer).substr(_consumed);
}


void ReadAheadSocketImpl::unread(std::string_view bytes)
{
	_buffer.erase(0, _consumed);
	_consumed = 0;
	_buffer.insert(0, bytes);
}


int ReadAheadSocketImpl::receiveBytes(void* buffer, int length, int flags)
{
	std::string_view held = buffered();
	if (held.empty() || length <= 0) return Poco::Net::StreamSocketImpl::receiveBytes(buffer, length, flags);
	std::size_t n = std::min(held.size(), static_cast<std::size_t>(length));
	std::memcpy(buffer, held.data(), n);
	if (!(flags & MSG_PEEK)) _consumed += n;
	if (_consumed == _buffer.size())
	{
		// An idle connection keeps no large buffer (the LMS leaves thousands idle).
		if (_buffer.capacity() > IDLE_CAPACITY) std::string().swap(_buffer);
		else _buffer.clear();
		_consumed = 0;
	}
	return static_cast<int>(n);
}


int ReadAheadSocketImpl::available()
{
	return static_cast<int>(buffered().size()) + Poco::Net::StreamSocketImpl::available();
}


bool ReadAheadSocketImpl::poll(const Poco::Timespan& timeout, int mode)
{
	if ((mode & SELECT_READ) && !buffered().empty()) return true;
	return Poco::Net::StreamSocketImpl::poll(timeout, mode);
}


} // namespace XQueue

// SPDX-License-Identifier: Apache-2.0
//
// ReplyDeadline.cpp
//


#include "ReplyDeadline.h"
#include <sys/socket.h>


namespace XQueuePlugin {


ReplyDeadline::ReplyDeadline(int fd, std::chrono::steady_clock::time_point deadline):
	_watchdog([this, fd, deadline]() {
		std::unique_lock<std::mutex> lock(_mutex);
		if (_done.wait_until(lock, deadline, [this]() { return _finished; })) return;
		// The owner still reads: the descriptor stays open until it returns, so it is ours.
		_expired = true;
		::shutdown(fd, SHUT_RDWR);
	})
{
}


ReplyDeadline::~ReplyDeadline()
{
	{
		std::lock_guard<std::mutex> lock(_mutex);
		_finished = true;
	}
	_done.notify_all();
	_watchdog.join();
}


bool ReplyDeadline::expired() const
{
	std::lock_guard<std::mutex> lock(_mutex);
	return _expired;
}


} // namespace XQueuePlugin

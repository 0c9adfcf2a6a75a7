// SPDX-License-Identifier: Apache-2.0
//
// SocketDeadlines.cpp
//


#include "util/SocketDeadlines.h"
#include <sys/socket.h>
#include <fcntl.h>
#include <unistd.h>


namespace XQueue {


SocketDeadlines::SocketDeadlines(std::function<void()> onExpiry):
	_onExpiry(std::move(onExpiry))
{
}


SocketDeadlines::~SocketDeadlines()
{
	stop();
	for (auto& entry: _entries) ::close(entry.second.fd);
}


void SocketDeadlines::start()
{
	std::lock_guard<std::mutex> lock(_mutex);
	if (_thread.joinable()) return;
	_stopping = false;
	_thread = std::thread([this]() { run(); });
}


void SocketDeadlines::stop()
{
	{
		std::lock_guard<std::mutex> lock(_mutex);
		_stopping = true;
	}
	_wake.notify_all();
	if (_thread.joinable()) _thread.join();
}


SocketDeadlines::Id SocketDeadlines::add(int fd, Micros deadline)
{
	int watched = fd < 0 ? -1 : ::fcntl(fd, F_DUPFD_CLOEXEC, 0); // never inherited by a child
	if (watched < 0) return 0;
	std::lock_guard<std::mutex> lock(_mutex);
	Id id = _next++;
	_entries.emplace(id, Entry{watched, deadline, false});
	return id;
}


void SocketDeadlines::set(Id id, Micros deadline)
{
	std::lock_guard<std::mutex> lock(_mutex);
	auto it = _entries.find(id);
	if (it != _entries.end()) it->second.deadline = deadline;
}


void SocketDeadlines::remove(Id id)
{
	std::lock_guard<std::mutex> lock(_mutex);
	auto it = _entries.find(id);
	if (it == _entries.end()) return;
	::close(it->second.fd);
	_entries.erase(it);
}


void SocketDeadlines::run()
{
	std::unique_lock<std::mutex> lock(_mutex);
	while (!_stopping)
	{
		Micros now = Clock::now();
		for (auto& entry: _entries)
		{
			Entry& e = entry.second;
			if (e.expired || e.deadline > now) continue;
			::shutdown(e.fd, SHUT_RDWR);
			e.expired = true;
			if (_onExpiry) _onExpiry();
		}
		_wake.wait_for(lock, std::chrono::milliseconds(100));
	}
}


} // namespace XQueue

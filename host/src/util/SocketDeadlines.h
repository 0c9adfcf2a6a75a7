// SPDX-License-Identifier: Apache-2.0
//
// SocketDeadlines.h
//
// Deadlines for blocking socket I/O that the library doing the I/O cannot bound itself
// (Poco's HTTP server bounds each read, not a request; libmariadb as Poco 1.11 sets it
// up waits for an answer for ever). A socket is registered with a deadline; a watchdog
// thread shuts down (both directions) the socket of an entry past its deadline, so that
// the thread blocked on it sees the end of the stream and fails cleanly. The watchdog
// works on a dup() of the descriptor: a socket closed and its number reused meanwhile is
// never touched.
//


#ifndef XQueue_SocketDeadlines_INCLUDED
#define XQueue_SocketDeadlines_INCLUDED


#include "util/Clock.h"
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>


namespace XQueue {


class SocketDeadlines
{
public:
	using Id = std::uint64_t;

	explicit SocketDeadlines(std::function<void()> onExpiry = {});
		/// onExpiry runs (on the watchdog thread) for every socket it shuts down.

	~SocketDeadlines();

	Id add(int fd, Micros deadline);
		/// Watches the socket from now on; 0 if it cannot be watched (dup failed).

	void set(Id id, Micros deadline);

	void remove(Id id);

	void start();
	void stop();

private:
	struct Entry
	{
		int fd = -1;
		Micros deadline = 0;
		bool expired = false;
	};

	void run();

	std::function<void()> _onExpiry;
	std::mutex _mutex;
	std::condition_variable _wake;
	std::map<Id, Entry> _entries;
	Id _next = 1;
	bool _stopping = false;
	std::thread _thread;
};


} // namespace XQueue


#endif // XQueue_SocketDeadlines_INCLUDED

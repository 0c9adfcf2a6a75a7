// SPDX-License-Identifier: Apache-2.0
//
// ReplyDeadline.h
//
// While it lives, shuts down a connected socket (at the TCP level, so that a TLS read in
// progress sees the end of the stream) once the deadline passes: a grader that drips its
// status line and headers a byte at a time never trips a per-read timeout, and would hold
// the push slot for ever. One watchdog thread per push in flight (pushes are bounded by
// the queue's concurrency).
//


#ifndef XQueuePlugin_ReplyDeadline_INCLUDED
#define XQueuePlugin_ReplyDeadline_INCLUDED


#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>


namespace XQueuePlugin {


class ReplyDeadline
{
public:
	ReplyDeadline(int fd, std::chrono::steady_clock::time_point deadline);
	~ReplyDeadline();

	ReplyDeadline(const ReplyDeadline&) = delete;
	ReplyDeadline& operator=(const ReplyDeadline&) = delete;

	bool expired() const;

private:
	mutable std::mutex _mutex;
	std::condition_variable _done;
	bool _finished = false;
	bool _expired = false;
	std::thread _watchdog;
};


} // namespace XQueuePlugin


#endif // XQueuePlugin_ReplyDeadline_INCLUDED

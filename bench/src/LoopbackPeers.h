// SPDX-License-Identifier: Apache-2.0
//
// LoopbackPeers.h
//
// The server's outbound peers for the benchmark, on one loopback HTTP server:
// /grade answers as an instant push grader; /lms/<n> records the arrival time of the
// result of submission number n, as an LMS callback receiver.
//


#ifndef XQueueBench_LoopbackPeers_INCLUDED
#define XQueueBench_LoopbackPeers_INCLUDED


#include "Poco/Net/HTTPServer.h"
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <vector>


namespace XQueueBench {


using Clock = std::chrono::steady_clock;


class LoopbackPeers
{
public:
	explicit LoopbackPeers(std::size_t capacity);
	~LoopbackPeers();

	int port() const;
	std::string callbackUrl(std::size_t n) const;
	std::string graderUrl() const;

	void arrived(std::size_t n);
	std::size_t callbacks() const;
	Clock::time_point arrivalOf(std::size_t n) const;
	bool waitFor(std::size_t callbacks, std::chrono::seconds timeout) const;

private:
	std::unique_ptr<Poco::Net::HTTPServer> _pServer;
	int _port = 0;
	std::vector<std::atomic<std::int64_t>> _arrivals;
	std::atomic<std::size_t> _count{0};
};


} // namespace XQueueBench


#endif // XQueueBench_LoopbackPeers_INCLUDED

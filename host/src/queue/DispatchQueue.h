// SPDX-License-Identifier: Apache-2.0
//
// DispatchQueue.h
//
// Serves one dispatch-mode queue: `concurrency` slots, each leasing the oldest pending
// submission in the store, handing it to the plugin, and waiting for its result within
// the time budget. A submit on this host wakes a slot at once; slots also look every
// poll interval (retries, work submitted through other hosts).
//


#ifndef XQueue_DispatchQueue_INCLUDED
#define XQueue_DispatchQueue_INCLUDED


#include "delivery/DeliveryWorker.h"
#include "files/FileLinks.h"
#include "queue/PausedQueues.h"
#include "loader/QueueAdapter.h"
#include "store/SubmissionStore.h"
#include "util/WorkerGroup.h"
#include "Poco/Logger.h"
#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>


namespace XQueue {


struct DispatchOptions
{
	int concurrency = 4;
	Micros timeBudget = 60 * MICROS_PER_SECOND;
	double pollIntervalSeconds = 1.0;
	Micros retryDelay = 60 * MICROS_PER_SECOND; /// a failed grading is retried after this
	std::string hostId = "localhost";           /// leases are held as <plugin>@<hostId>
	std::size_t maxGradeBytes = 2621440;        /// a longer grade is refused (GradeCheck)
};


class DispatchQueue
{
public:
	DispatchQueue(QueueAdapter& adapter, SubmissionStore& store, DeliveryWorker& delivery, const FileLinks& fileLinks, PausedQueues& paused,
		const DispatchOptions& options);
	~DispatchQueue();

	void start();
	void stop();
		/// Lets gradings in flight finish (up to their time budget), then joins the slots.

	void notify();
		/// A submission arrived in this queue.

private:
	struct Grading
	{
		std::mutex mutex;
		std::condition_variable finished;
		bool done = false;
		Micros completedAt = 0; /// a result after the deadline is dropped, even one grade() returned
		int32_t outcome = XQ_FAILED;
		std::string body;
	};

	bool dispatchOne();
	void dispatch(const ClaimedSubmission& submission);
	void complete(std::uint64_t jobId, int32_t outcome, std::string_view body);
	void finish(const ClaimedSubmission& submission, int32_t outcome, const std::string& body);

	QueueAdapter& _adapter;
	SubmissionStore& _store;
	DeliveryWorker& _delivery;
	const FileLinks& _fileLinks;
	PausedQueues& _paused;
	DispatchOptions _options;
	Poco::Logger& _logger;
	std::string _graderId;

	std::atomic<std::uint64_t> _nextJobId{1};
	std::mutex _gradingsMutex;
	std::map<std::uint64_t, std::shared_ptr<Grading>> _gradings;
	WorkerGroup _slots; // last: its threads stop before the members they use go
};


} // namespace XQueue


#endif // XQueue_DispatchQueue_INCLUDED

// SPDX-License-Identifier: Apache-2.0
//
// DispatchQueue.h
//
// Serves one dispatch-mode queue: `concurrency` slots, each leasing the oldest pending
// submission in the store, handing it to the plugin, and waiting for its result within
// the time budget. A submit on this host wakes a slot at once; slots also look every
// poll interval (retries, work submitted through other hosts).
//
// At the budget the slot records a timeout, tells the adapter to abandon the job, and
// moves on. An isolated adapter kills the worker doing it. A plugin in the host's own
// process cannot be stopped: its grade() runs on a thread of its own, so that a call
// that never returns costs that thread, not the slot, and is abandoned (counted in
// xqueue_stuck_gradings until it returns). A submission whose call has not returned is
// not graded again on this host meanwhile: a slot that leases it gives the lease back
// as a failed attempt, so its hand-outs run out and the LMS gets the failure notice.
//


#ifndef XQueue_DispatchQueue_INCLUDED
#define XQueue_DispatchQueue_INCLUDED


#include "delivery/DeliveryWorker.h"
#include "files/FileLinks.h"
#include "queue/PausedQueues.h"
#include "loader/GraderAdapter.h"
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
	DispatchQueue(GraderAdapter& adapter, SubmissionStore& store, DeliveryWorker& delivery, const FileLinks& fileLinks, PausedQueues& paused,
		const DispatchOptions& options);
	~DispatchQueue();

	void start();
	void stop();
		/// Lets gradings in flight finish (up to their time budget), then joins the slots.

	void notify();
		/// A submission arrived in this queue.

	std::size_t abandonedCalls() const;
		/// grade() calls that overran their budget and have not returned. While any
		/// remain, the plugin's instance and library must outlive this queue (the call
		/// still runs their code): QueueRuntime then never destroys them.

private:
	struct Grading
		/// One grade() call and its result; shared with the call's thread.
	{
		Poco::Int64 submissionId = 0;
		std::string body;  /// what the job's strings point into
		std::string files;
		xq_job job{};
		std::mutex mutex;
		std::condition_variable finished;
		bool returned = false;  /// grade() came back...
		bool started = false;   /// ...accepting the job (otherwise with `error`)
		std::string error;
		bool abandoned = false; /// the slot gave up on it at the deadline
		bool done = false;      /// the plugin completed the job
		Micros completedAt = 0; /// a result after the deadline is dropped, even one grade() returned
		int32_t outcome = XQ_FAILED;
		std::string result;
	};

	struct Calls
		/// grade() calls not yet returned, by submission; shared with their threads.
	{
		std::mutex mutex;
		std::map<Poco::Int64, int> running;
		std::size_t abandoned = 0;
	};

	bool dispatchOne();
	void dispatch(const ClaimedSubmission& submission);
	void call(const std::shared_ptr<Grading>& grading);
	static void returned(GraderAdapter& adapter, Calls& calls, Grading& grading, bool started, const std::string& error);
	void complete(std::uint64_t jobId, int32_t outcome, std::string_view body);
	void finish(const ClaimedSubmission& submission, int32_t outcome, const std::string& body);

	GraderAdapter& _adapter;
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
	std::shared_ptr<Calls> _calls = std::make_shared<Calls>();
	WorkerGroup _slots; // last: its threads stop before the members they use go
};


} // namespace XQueue


#endif // XQueue_DispatchQueue_INCLUDED

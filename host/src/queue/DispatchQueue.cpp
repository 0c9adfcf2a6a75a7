// SPDX-License-Identifier: Apache-2.0
//
// DispatchQueue.cpp
//


#include "queue/DispatchQueue.h"
#include "delivery/ResultRecorder.h"
#include "metrics/Metrics.h"
#include "queue/GradeCheck.h"
#include <chrono>


namespace XQueue {


namespace
{
	// The lease outlives the time budget a little, so that a slot that gave up on a
	// grading always records that before anyone else can lease the submission.
	constexpr Micros LEASE_MARGIN = 5 * MICROS_PER_SECOND;
}


DispatchQueue::DispatchQueue(QueueAdapter& adapter, SubmissionStore& store, DeliveryWorker& delivery, const FileLinks& fileLinks, PausedQueues& paused,
	const DispatchOptions& options):
	_adapter(adapter),
	_store(store),
	_delivery(delivery),
	_fileLinks(fileLinks),
	_paused(paused),
	_options(options),
	_logger(Poco::Logger::get("xqueue.dispatch")),
	_graderId(adapter.pluginId() + "@" + options.hostId),
	_slots(options.concurrency, options.pollIntervalSeconds, [this]() { return dispatchOne(); })
{
	_adapter.onCompletion([this](std::uint64_t jobId, int32_t outcome, std::string_view body) { complete(jobId, outcome, body); });
}


DispatchQueue::~DispatchQueue()
{
	stop();
	_adapter.onCompletion(nullptr);
}


void DispatchQueue::start()
{
	// Gradings this host's previous run had in flight when it stopped or died can be
	// dispatched again at once (each keeps the lease it used).
	try
	{
		std::size_t released = _store.releaseLeasesOf(_adapter.queueName(), _graderId, _store.currentTime());
		if (released) _logger.information("%z gradings in %s leased by this host's previous run are due again", released, _adapter.queueName());
	}
	catch (Poco::Exception& exc)
	{
		_logger.warning("cannot release the leases of this host's previous run in %s (they will expire): %s", _adapter.queueName(), exc.displayText());
	}
	_slots.start();
}


void DispatchQueue::stop()
{
	_slots.stop();
}


void DispatchQueue::notify()
{
	_slots.notify();
}


bool DispatchQueue::dispatchOne()
{
	if (_paused.isPaused(_adapter.queueName())) return false; // an operator paused it: wait
	std::optional<ClaimedSubmission> submission;
	try
	{
		ClaimResult claim = _store.claim(_adapter.queueName(), _graderId, _store.currentTime(), _options.timeBudget + LEASE_MARGIN);
		if (claim.retired > 0) _delivery.notify();
		submission = claim.submission;
	}
	catch (Poco::Exception& exc)
	{
		_logger.error("queue %s: cannot lease work: %s", _adapter.queueName(), exc.displayText());
	}
	if (!submission) return false;
	dispatch(*submission);
	return true;
}


void DispatchQueue::dispatch(const ClaimedSubmission& submission)
{
	auto grading = std::make_shared<Grading>();
	std::uint64_t jobId = _nextJobId++;
	{
		std::lock_guard<std::mutex> lock(_gradingsMutex);
		_gradings[jobId] = grading;
	}
	Micros deadline = Clock::now() + _options.timeBudget;
	xq_job job;
	job.struct_size = sizeof(xq_job);
	job.job_id = jobId;
	job.submission_id = submission.id;
	job.body = xq_str{submission.body.data(), submission.body.size()};
	std::string files = _fileLinks.urlMap(submission.files, _fileLinks.baseUrlFor(""), _store.currentTime());
	job.files = xq_str{files.data(), files.size()};
	job.deadline_micros = deadline;

	std::string error;
	bool started = false;
	try
	{
		started = _adapter.grade(job, error);
	}
	catch (...)
	{
		error = "the plugin's grade function threw across the ABI";
	}

	int32_t outcome = XQ_FAILED;
	std::string body = error;
	std::string kind = started ? "" : "error";
	if (started)
	{
		std::unique_lock<std::mutex> lock(grading->mutex);
		auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(deadline - Clock::now());
		bool finished = grading->finished.wait_until(lock, until, [&]() { return grading->done; });
		// A plugin that grades inside grade() and overruns is as late as one that never
		// answers: its grade is dropped, whatever it says.
		if (finished && grading->completedAt <= deadline)
		{
			outcome = grading->outcome;
			body = grading->body;
		}
		else
		{
			body = "time budget of " + std::to_string(static_cast<double>(_options.timeBudget) / MICROS_PER_SECOND) + " s exceeded";
			kind = "timeout";
			_logger.warning("queue %s: submission %Ld: %s (plugin %s)", _adapter.queueName(), submission.id, body, _adapter.pluginId());
		}
	}
	{
		std::lock_guard<std::mutex> lock(_gradingsMutex);
		_gradings.erase(jobId); // a result arriving later is dropped
	}
	Metrics& metrics = Metrics::instance();
	const std::string& queue = _adapter.queueName();
	if (kind.empty() && outcome != XQ_GRADED) kind = "failed";
	metrics.add("xqueue_gradings_total", {{"queue", queue}, {"plugin", _adapter.pluginId()}, {"outcome", kind.empty() ? "graded" : kind}});
	if (kind == "error" || kind == "timeout") metrics.add("xqueue_plugin_errors_total", {{"plugin", _adapter.pluginId()}, {"kind", kind}});
	metrics.observe("xqueue_grading_duration_seconds", {{"queue", queue}},
		static_cast<double>(Clock::now() - (deadline - _options.timeBudget)) / MICROS_PER_SECOND);
	finish(submission, outcome, body);
}


void DispatchQueue::complete(std::uint64_t jobId, int32_t outcome, std::string_view body)
{
	std::shared_ptr<Grading> grading;
	{
		std::lock_guard<std::mutex> lock(_gradingsMutex);
		auto it = _gradings.find(jobId);
		if (it != _gradings.end()) grading = it->second;
	}
	if (!grading)
	{
		_logger.warning("queue %s: result for job %Lu arrived after its time budget (or twice); dropped", _adapter.queueName(), jobId);
		return;
	}
	{
		std::lock_guard<std::mutex> lock(grading->mutex);
		if (grading->done) return;
		grading->done = true;
		grading->completedAt = Clock::now();
		grading->outcome = outcome;
		grading->body.assign(body.data(), body.size());
	}
	grading->finished.notify_all();
}


void DispatchQueue::finish(const ClaimedSubmission& submission, int32_t outcome, const std::string& reply)
{
	std::string body = reply;
	if (outcome == XQ_GRADED)
	{
		if (auto problem = GradeCheck::problem(body, _options.maxGradeBytes))
		{
			// A failed attempt like any other: retried, then the failure notice.
			Metrics::instance().add("xqueue_plugin_errors_total", {{"plugin", _adapter.pluginId()}, {"kind", "invalid_grade"}});
			_logger.warning("queue %s: plugin %s returned a grade the LMS cannot use for submission %Ld: %s",
				_adapter.queueName(), _adapter.pluginId(), submission.id, *problem);
			outcome = XQ_FAILED;
			body = "invalid grade: " + *problem;
		}
	}
	try
	{
		if (outcome == XQ_GRADED)
		{
			ResultRecorder(_store, _delivery).record(submission.id, submission.key, body);
			return;
		}
		Micros now = _store.currentTime();
		auto release = _store.releaseAfterFailure(submission.id, submission.key, now + _options.retryDelay, body, now);
		if (release == SubmissionStore::Release::RETIRED)
		{
			_logger.error("queue %s: submission %Ld could not be graded, the LMS gets the failure notice: %s",
				_adapter.queueName(), submission.id, body);
			_delivery.notify();
		}
		else
		{
			_logger.warning("queue %s: grading submission %Ld failed, retrying later: %s", _adapter.queueName(), submission.id, body);
		}
	}
	catch (Poco::Exception& exc)
	{
		// The lease ends by itself and the submission is graded again.
		_logger.error("queue %s: cannot record the grading of submission %Ld: %s", _adapter.queueName(), submission.id, exc.displayText());
	}
}


} // namespace XQueue

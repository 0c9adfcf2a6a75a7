// SPDX-License-Identifier: Apache-2.0
//
// DispatchQueue.cpp
//


#include "queue/DispatchQueue.h"
#include "delivery/ResultRecorder.h"
#include "metrics/Metrics.h"
#include "queue/GradeCheck.h"
#include <chrono>
#include <thread>


namespace XQueue {


namespace
{
	// The lease outlives the time budget a little, so that a slot that gave up on a
	// grading always records that before anyone else can lease the submission.
	constexpr Micros LEASE_MARGIN = 5 * MICROS_PER_SECOND;
}


DispatchQueue::DispatchQueue(GraderAdapter& adapter, SubmissionStore& store, DeliveryWorker& delivery, const FileLinks& fileLinks, PausedQueues& paused,
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


std::size_t DispatchQueue::abandonedCalls() const
{
	std::lock_guard<std::mutex> lock(_calls->mutex);
	return _calls->abandoned;
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
	bool stillRunning = false;
	{
		std::lock_guard<std::mutex> lock(_calls->mutex);
		stillRunning = _calls->running.count(submission->id) > 0;
	}
	if (stillRunning)
	{
		// Never two gradings of one submission at once: this lease is a failed attempt.
		Metrics::instance().add("xqueue_gradings_total", {{"queue", _adapter.queueName()}, {"plugin", _adapter.pluginId()}, {"outcome", "stuck"}});
		finish(*submission, XQ_FAILED, "its previous grading on this host has not returned (plugin " + _adapter.pluginId() + " stuck)");
		return true;
	}
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
	grading->submissionId = submission.id;
	grading->body = submission.body;
	grading->files = _fileLinks.urlMap(submission.files, _fileLinks.baseUrlFor(""), _store.currentTime());
	xq_job& job = grading->job;
	job.struct_size = sizeof(xq_job);
	job.job_id = jobId;
	job.submission_id = submission.id;
	job.body = xq_str{grading->body.data(), grading->body.size()};
	job.files = xq_str{grading->files.data(), grading->files.size()};
	job.deadline_micros = deadline;
	call(grading);

	int32_t outcome = XQ_FAILED;
	std::string body;
	std::string kind;
	{
		std::unique_lock<std::mutex> lock(grading->mutex);
		auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(deadline - Clock::now());
		grading->finished.wait_until(lock, until, [&]() { return grading->done || (grading->returned && !grading->started); });
		if (grading->returned && !grading->started)
		{
			body = grading->error;
			kind = "error";
		}
		else if (grading->done && grading->completedAt <= deadline)
		{
			// A plugin that grades inside grade() and overruns is as late as one that
			// never answers: only a result within the budget counts.
			outcome = grading->outcome;
			body = grading->result;
		}
		else
		{
			body = "time budget of " + std::to_string(static_cast<double>(_options.timeBudget) / MICROS_PER_SECOND) + " s exceeded";
			kind = "timeout";
			if (!grading->returned)
			{
				// Counted before the call can see it was abandoned (it looks under this
				// lock), so that its return always finds the count it takes back.
				grading->abandoned = true;
				std::lock_guard<std::mutex> callsLock(_calls->mutex);
				++_calls->abandoned;
				Metrics::instance().add("xqueue_stuck_gradings", {{"queue", _adapter.queueName()}, {"plugin", _adapter.pluginId()}});
			}
		}
	}
	if (kind == "timeout")
	{
		_adapter.abandon(jobId);
		_logger.warning("queue %s: submission %Ld: %s (plugin %s)%s", _adapter.queueName(), submission.id, body, _adapter.pluginId(),
			std::string(grading->abandoned ? "; its grade() call has not returned and is abandoned" : ""));
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


void DispatchQueue::call(const std::shared_ptr<Grading>& grading)
{
	if (!_adapter.gradesOnCaller())
	{
		// It only hands the job over (to a worker process): no thread of its own needed.
		std::string error;
		bool started = _adapter.grade(grading->job, error);
		std::lock_guard<std::mutex> lock(grading->mutex);
		grading->returned = true;
		grading->started = started;
		grading->error = error;
		return;
	}
	{
		std::lock_guard<std::mutex> lock(_calls->mutex);
		++_calls->running[grading->submissionId];
	}
	// The thread holds only what outlives this queue: the grading, the registry of calls,
	// and the adapter (never destroyed while a call is abandoned, see abandonedCalls()).
	std::thread([grading, calls = _calls, &adapter = _adapter]() {
		std::string error;
		bool started = false;
		try
		{
			started = adapter.grade(grading->job, error);
		}
		catch (...)
		{
			error = "the plugin's grade function threw across the ABI";
		}
		returned(adapter, *calls, *grading, started, error);
	}).detach();
}


void DispatchQueue::returned(GraderAdapter& adapter, Calls& calls, Grading& grading, bool started, const std::string& error)
{
	// The adapter is certain to exist only until the slot learns the call returned (not
	// abandoned) or the abandoned count goes down (abandoned): its names are taken now.
	const std::string queue = adapter.queueName();
	const std::string plugin = adapter.pluginId();
	// Not running any more before the slot can learn it returned: a slot that goes on to
	// lease the same submission again must not take it for a call still running.
	{
		std::lock_guard<std::mutex> lock(calls.mutex);
		auto it = calls.running.find(grading.submissionId);
		if (it != calls.running.end() && --it->second == 0) calls.running.erase(it);
	}
	bool abandoned = false;
	{
		std::lock_guard<std::mutex> lock(grading.mutex);
		grading.returned = true;
		grading.started = started;
		grading.error = error;
		abandoned = grading.abandoned;
	}
	if (abandoned)
	{
		Metrics::instance().add("xqueue_stuck_gradings", {{"queue", queue}, {"plugin", plugin}}, -1);
		Poco::Logger::get("xqueue.dispatch").warning("queue %s: the abandoned grade() call for submission %Ld returned (plugin %s)",
			queue, grading.submissionId, plugin);
		std::lock_guard<std::mutex> lock(calls.mutex);
		--calls.abandoned; // last: from here on nothing keeps the adapter for this call
	}
	grading.finished.notify_all();
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
		grading->result.assign(body.data(), body.size());
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
		const bool permanent = outcome == XQ_FAILED_PERMANENTLY;
		auto release = _store.releaseAfterFailure(submission.id, submission.key, now + _options.retryDelay, body, now, permanent);
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

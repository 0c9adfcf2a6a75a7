// SPDX-License-Identifier: Apache-2.0
//
// QueueHistory.cpp
//


#include "dashboard/QueueHistory.h"
#include "metrics/Metrics.h"
#include "Poco/Logger.h"


namespace XQueue {


QueueHistory::QueueHistory(SubmissionStore& submissions, std::vector<std::string> queues, double intervalSeconds, Micros span):
	_submissions(submissions),
	_queues(std::move(queues)),
	_intervalSeconds(intervalSeconds),
	_span(span)
{
}


QueueHistory::~QueueHistory()
{
	stop();
}


void QueueHistory::sample()
{
	Micros now = _submissions.currentTime();
	std::vector<QueueSample> taken;
	for (const auto& queue: _queues)
	{
		QueueStatus status = _submissions.queueStatus(queue, now);
		QueueSample s;
		s.at = now;
		s.pending = status.pending;
		s.inFlight = status.inFlight;
		s.oldestPendingSeconds = status.oldestPending ? (now - status.oldestPending) / MICROS_PER_SECOND : 0;
		taken.push_back(s);
	}
	std::lock_guard<std::mutex> lock(_mutex);
	for (std::size_t i = 0; i < _queues.size(); ++i)
	{
		double submitted = Metrics::instance().value("xqueue_submissions_total", {{"queue", _queues[i]}, {"outcome", "accepted"}});
		if (_lastAt > 0 && now > _lastAt)
			taken[i].submittedPerMinute = (submitted - _lastSubmitted[_queues[i]]) * 60.0 * MICROS_PER_SECOND / static_cast<double>(now - _lastAt);
		_lastSubmitted[_queues[i]] = submitted;
		auto& series = _samples[_queues[i]];
		series.push_back(taken[i]);
		while (!series.empty() && series.front().at < now - _span) series.pop_front();
	}
	_lastAt = now;
}


std::map<std::string, std::vector<QueueSample>> QueueHistory::samples() const
{
	std::lock_guard<std::mutex> lock(_mutex);
	std::map<std::string, std::vector<QueueSample>> copy;
	for (const auto& [queue, series]: _samples) copy[queue] = std::vector<QueueSample>(series.begin(), series.end());
	return copy;
}


void QueueHistory::start()
{
	_pSampler = std::make_unique<WorkerGroup>(1, _intervalSeconds, [this]() {
		try
		{
			sample();
		}
		catch (Poco::Exception& exc)
		{
			Poco::Logger::get("xqueue.dashboard").warning("cannot sample the queues: %s", exc.displayText());
		}
		return false;
	});
	_pSampler->start();
}


void QueueHistory::stop()
{
	if (_pSampler)
	{
		_pSampler->stop();
		_pSampler.reset();
	}
}


} // namespace XQueue

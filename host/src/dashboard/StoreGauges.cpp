// SPDX-License-Identifier: Apache-2.0
//
// StoreGauges.cpp
//


#include "dashboard/StoreGauges.h"
#include <algorithm>


namespace XQueue {


StoreGauges::StoreGauges(Database& database, SubmissionStore& submissions, QueueControlStore& controls, std::vector<std::string> queues,
	double intervalSeconds):
	_database(database),
	_submissions(submissions),
	_controls(controls),
	_queues(std::move(queues)),
	_intervalSeconds(intervalSeconds)
{
}


StoreGauges::~StoreGauges()
{
	stop();
}


void StoreGauges::start()
{
	refresh();
	// The step always "finds nothing to do", so the thread reads once per interval.
	_pReader = std::make_unique<WorkerGroup>(1, _intervalSeconds, [this]() {
		refresh();
		return false;
	});
	_pReader->start();
}


void StoreGauges::stop()
{
	if (_pReader) _pReader->stop();
}


void StoreGauges::refresh()
{
	std::vector<QueueStatus> statuses;
	std::set<std::string> paused;
	std::string problem;
	Micros now = 0;
	try
	{
		_database.probe();
		now = _submissions.currentTime();
		for (const auto& queue: _queues) statuses.push_back(_submissions.queueStatus(queue, now));
		paused = _controls.pausedQueues();
	}
	catch (Poco::Exception& exc)
	{
		problem = exc.displayText();
	}
	std::lock_guard<std::mutex> lock(_mutex);
	_reading.attemptedAt = Clock::now();
	_reading.up = problem.empty();
	_reading.problem = problem;
	if (problem.empty())
	{
		_reading.answeredAt = _reading.attemptedAt;
		_reading.storeTimeAtAnswer = now;
		_reading.queues = std::move(statuses);
		_reading.paused = std::move(paused);
	}
}


StoreReading StoreGauges::reading() const
{
	std::lock_guard<std::mutex> lock(_mutex);
	return _reading;
}


Micros StoreGauges::storeNow(const StoreReading& reading, Micros localNow)
{
	return reading.answeredAt ? reading.storeTimeAtAnswer + (localNow - reading.answeredAt) : 0;
}


bool StoreGauges::fresh(Micros now) const
{
	const Micros window = static_cast<Micros>(std::max(3 * _intervalSeconds, 5.0) * MICROS_PER_SECOND);
	std::lock_guard<std::mutex> lock(_mutex);
	return _reading.up && now - _reading.answeredAt <= window;
}


} // namespace XQueue

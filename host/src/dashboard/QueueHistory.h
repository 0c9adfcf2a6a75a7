// SPDX-License-Identifier: Apache-2.0
//
// QueueHistory.h
//
// The last hour of each queue for the dashboard's charts: depth, in-flight leases, age of
// the oldest pending submission (from the store, so every host draws the same) and
// submissions accepted per minute (this host's). Sampled every interval by a thread.
//


#ifndef XQueue_QueueHistory_INCLUDED
#define XQueue_QueueHistory_INCLUDED


#include "store/SubmissionStore.h"
#include "util/WorkerGroup.h"
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>


namespace XQueue {


struct QueueSample
{
	Micros at = 0;
	long long pending = 0;
	long long inFlight = 0;
	long long oldestPendingSeconds = 0;
	double submittedPerMinute = 0;
};


class QueueHistory
{
public:
	QueueHistory(SubmissionStore& submissions, std::vector<std::string> queues, double intervalSeconds, Micros span = 3600 * MICROS_PER_SECOND);
	~QueueHistory();

	void start();
	void stop();

	void sample();
		/// Takes one sample of every queue now.

	std::map<std::string, std::vector<QueueSample>> samples() const;

private:
	SubmissionStore& _submissions;
	std::vector<std::string> _queues;
	double _intervalSeconds;
	Micros _span;
	mutable std::mutex _mutex;
	std::map<std::string, std::deque<QueueSample>> _samples;
	std::map<std::string, double> _lastSubmitted;
	Micros _lastAt = 0;
	std::unique_ptr<WorkerGroup> _pSampler;
};


} // namespace XQueue


#endif // XQueue_QueueHistory_INCLUDED

// SPDX-License-Identifier: Apache-2.0
//
// StoreGauges.h
//
// What the store says about every queue (depth, leases, oldest pending, the delivery
// backlog) and whether it answers, read by a thread of its own every interval: /metrics
// and /readyz answer from the last reading at once, whatever the database does (a hung
// one used to hold /metrics for ~40 s, then 503: every counter vanished just when the
// store-error alert should fire). The reading carries its time, so a stale one shows.
//


#ifndef XQueue_StoreGauges_INCLUDED
#define XQueue_StoreGauges_INCLUDED


#include "store/Database.h"
#include "store/QueueControlStore.h"
#include "store/SubmissionStore.h"
#include "util/WorkerGroup.h"
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>


namespace XQueue {


struct StoreReading
{
	bool up = false;             /// the last attempt answered in full
	Micros attemptedAt = 0;      /// when the last attempt ended (0: none yet)
	Micros answeredAt = 0;       /// when the store last answered in full (0: never)
	Micros storeTimeAtAnswer = 0; /// the store's clock then (ages are on the store's clock)
	std::string problem;         /// why the last attempt failed
	std::vector<QueueStatus> queues; /// from the last full answer
	std::set<std::string> paused;    /// likewise
};


class StoreGauges
{
public:
	StoreGauges(Database& database, SubmissionStore& submissions, QueueControlStore& controls, std::vector<std::string> queues,
		double intervalSeconds);
	~StoreGauges();

	void start();
		/// Reads once (so the first /readyz has an answer), then every interval.
	void stop();

	void refresh();
		/// One reading now.

	StoreReading reading() const;

	static Micros storeNow(const StoreReading& reading, Micros localNow);
		/// The store's clock now, from the reading's (0 without an answer).

	bool fresh(Micros now) const;
		/// The store answered within the last 3 intervals (at least 5 s).

private:
	Database& _database;
	SubmissionStore& _submissions;
	QueueControlStore& _controls;
	std::vector<std::string> _queues;
	double _intervalSeconds;
	mutable std::mutex _mutex;
	StoreReading _reading;
	std::unique_ptr<WorkerGroup> _pReader;
};


} // namespace XQueue


#endif // XQueue_StoreGauges_INCLUDED

// SPDX-License-Identifier: Apache-2.0
//
// SubmissionMaintenance.h
//
// Operator work on submissions (xqueue-admin): retiring what graders keep failing on or
// what is too old, deleting finished submissions. Each call is one short transaction of
// at most `batch` rows; call again until it returns 0.
//


#ifndef XQueue_SubmissionMaintenance_INCLUDED
#define XQueue_SubmissionMaintenance_INCLUDED


#include "store/Database.h"
#include "store/QueueCounters.h"
#include "store/SubmissionStore.h"
#include <optional>
#include <string>
#include <vector>


namespace XQueue {


class SubmissionMaintenance
{
public:
	SubmissionMaintenance(Database& database, const LeasePolicy& policy);

	std::vector<std::string> knownQueues();
		/// Every queue name that ever had a submission.

	std::size_t retireFailed(const std::vector<std::string>& queueNames, int minFailedLeases, bool notify, Micros now, int batch = 500);
		/// Pending submissions (queued, or whose lease expired) that were handed out at least
		/// minFailedLeases times without a result, in queueNames (all queues if empty): retired
		/// as failed, with the failure notice queued for the LMS unless !notify.

	std::size_t retireOld(const std::string& queueName, std::optional<Micros> arrivedBefore, Micros now, int batch = 500);
		/// Unfinished submissions of the queue (queued or handed out) that arrived at or
		/// before arrivedBefore (all if unset): retired as failed, failure notice queued.

	std::size_t countRetireFailed(const std::vector<std::string>& queueNames, int minFailedLeases, Micros now);
	std::size_t countRetireOld(const std::string& queueName, std::optional<Micros> arrivedBefore);
	std::size_t countFinished(Micros arrivedBefore);
		/// What retireFailed, retireOld and deleteFinished would act on now (--dry-run).

	std::size_t deleteFinished(Micros arrivedBefore, int batch);
		/// Deletes finished submissions (delivered, superseded, failed) that arrived at or
		/// before arrivedBefore, with their deliveries and file rows; unfinished ones never.

private:
	void retire(Poco::Data::Session& session, const std::vector<Poco::Int64>& ids, const std::vector<int>& states,
		const std::vector<std::string>& queues, const std::string& reason, bool notify, Micros now);

	Database& _database;
	QueueCounters _counters;
	LeasePolicy _policy;
};


} // namespace XQueue


#endif // XQueue_SubmissionMaintenance_INCLUDED

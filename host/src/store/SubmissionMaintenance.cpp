// SPDX-License-Identifier: Apache-2.0
//
// SubmissionMaintenance.cpp
//


#include "store/SubmissionMaintenance.h"
#include "store/DeliveryStore.h"
#include "store/SubmissionState.h"
#include "protocol/FailureNotice.h"
#include "Poco/Data/Statement.h"
#include <algorithm>
#include <limits>
#include <vector>


using namespace Poco::Data::Keywords;


namespace XQueue {


namespace
{
	constexpr int QUEUED = static_cast<int>(SubmissionState::QUEUED);
	constexpr int LEASED = static_cast<int>(SubmissionState::LEASED);
	constexpr int DELIVERED = static_cast<int>(SubmissionState::DELIVERED);
	constexpr int SUPERSEDED = static_cast<int>(SubmissionState::SUPERSEDED);
	constexpr int FAILED = static_cast<int>(SubmissionState::FAILED);
}


SubmissionMaintenance::SubmissionMaintenance(Database& database, const LeasePolicy& policy):
	_database(database),
	_counters(database),
	_policy(policy)
{
}


std::vector<std::string> SubmissionMaintenance::knownQueues()
{
	std::vector<std::string> names;
	_database.read([&](Poco::Data::Session& s) {
		names.clear();
		s << "SELECT DISTINCT queue_name FROM queue_counters ORDER BY queue_name", into(names), Poco::Data::Keywords::now;
	});
	return names;
}


std::size_t SubmissionMaintenance::retireFailed(const std::vector<std::string>& queueNames, int minFailedLeases, bool notify, Micros now, int batch)
{
	// Candidates: pending (queued, or leased with the lease over) after at least one hand-out.
	std::string queueFilter;
	for (std::size_t i = 0; i < queueNames.size(); ++i) queueFilter += (i ? ", ?" : "?");
	std::size_t retired = 0;
	int threshold = std::max(1, minFailedLeases);
	_database.transaction([&](Poco::Data::Session& s) {
		retired = 0;
		int queued = QUEUED;
		int leased = LEASED;
		std::vector<Poco::Int64> ids;
		std::vector<int> states;
		std::vector<std::string> queues;
		Poco::Data::Statement select(s);
		select << "SELECT id, state, queue_name FROM submissions WHERE lease_count >= ?"
			" AND (state = ? OR (state = ? AND lease_expires_at <= ?))" +
			(queueNames.empty() ? std::string() : " AND queue_name IN (" + queueFilter + ")") +
			" ORDER BY id LIMIT " + std::to_string(batch) + _database.sql().forUpdate(),
			use(threshold), use(queued), use(leased), use(now);
		for (const auto& name: queueNames) select, useRef(name);
		select, into(ids), into(states), into(queues);
		select.execute();
		retire(s, ids, states, queues, "retired by an operator (retire-failed)", notify, now);
		retired = ids.size();
	});
	return retired;
}


std::size_t SubmissionMaintenance::retireOld(const std::string& queueName, std::optional<Micros> arrivedBefore, Micros now, int batch)
{
	std::size_t retired = 0;
	Micros before = arrivedBefore.value_or(std::numeric_limits<Micros>::max());
	_database.transaction([&](Poco::Data::Session& s) {
		retired = 0;
		int queued = QUEUED;
		int leased = LEASED;
		std::vector<Poco::Int64> ids;
		std::vector<int> states;
		std::vector<std::string> queues;
		s << "SELECT id, state, queue_name FROM submissions WHERE queue_name = ? AND state IN (?, ?) AND arrival_time <= ?"
			" ORDER BY id LIMIT " + std::to_string(batch) + _database.sql().forUpdate(),
			useRef(queueName), use(queued), use(leased), use(before), into(ids), into(states), into(queues), Poco::Data::Keywords::now;
		retire(s, ids, states, queues, "retired by an operator (retire-old)", true, now);
		retired = ids.size();
	});
	return retired;
}


void SubmissionMaintenance::retire(Poco::Data::Session& s, const std::vector<Poco::Int64>& ids, const std::vector<int>& states,
	const std::vector<std::string>& queues, const std::string& reason, bool notify, Micros now)
{
	int failed = FAILED;
	for (std::size_t i = 0; i < ids.size(); ++i)
	{
		Poco::Int64 id = ids[i];
		s << "UPDATE submissions SET state = ?, retire_reason = ?, lease_key = NULL WHERE id = ?",
			use(failed), useRef(reason), use(id), Poco::Data::Keywords::now;
		if (states[i] == QUEUED) _counters.adjust(s, queues[i], -1);
		if (notify) DeliveryStore::enqueue(s, id, DeliveryKind::FAILURE_NOTICE, FAILURE_NOTICE_BODY, now, _policy.minDeliveryAge);
	}
}


std::size_t SubmissionMaintenance::countRetireFailed(const std::vector<std::string>& queueNames, int minFailedLeases, Micros now)
{
	std::string queueFilter;
	for (std::size_t i = 0; i < queueNames.size(); ++i) queueFilter += (i ? ", ?" : "?");
	Poco::Int64 count = 0;
	int threshold = std::max(1, minFailedLeases);
	_database.read([&](Poco::Data::Session& s) {
		int queued = QUEUED;
		int leased = LEASED;
		Poco::Data::Statement select(s);
		select << "SELECT COUNT(*) FROM submissions WHERE lease_count >= ? AND (state = ? OR (state = ? AND lease_expires_at <= ?))" +
			(queueNames.empty() ? std::string() : " AND queue_name IN (" + queueFilter + ")"),
			use(threshold), use(queued), use(leased), use(now);
		for (const auto& name: queueNames) select, useRef(name);
		select, into(count);
		select.execute();
	});
	return static_cast<std::size_t>(count);
}


std::size_t SubmissionMaintenance::countRetireOld(const std::string& queueName, std::optional<Micros> arrivedBefore)
{
	Micros before = arrivedBefore.value_or(std::numeric_limits<Micros>::max());
	Poco::Int64 count = 0;
	_database.read([&](Poco::Data::Session& s) {
		int queued = QUEUED;
		int leased = LEASED;
		s << "SELECT COUNT(*) FROM submissions WHERE queue_name = ? AND state IN (?, ?) AND arrival_time <= ?",
			useRef(queueName), use(queued), use(leased), use(before), into(count), Poco::Data::Keywords::now;
	});
	return static_cast<std::size_t>(count);
}


std::size_t SubmissionMaintenance::countFinished(Micros arrivedBefore)
{
	Poco::Int64 count = 0;
	_database.read([&](Poco::Data::Session& s) {
		int delivered = DELIVERED;
		int superseded = SUPERSEDED;
		int failed = FAILED;
		s << "SELECT COUNT(*) FROM submissions WHERE arrival_time <= ? AND state IN (?, ?, ?)",
			use(arrivedBefore), use(delivered), use(superseded), use(failed), into(count), Poco::Data::Keywords::now;
	});
	return static_cast<std::size_t>(count);
}


std::size_t SubmissionMaintenance::deleteFinished(Micros arrivedBefore, int batch)
{
	// The ids first, outside any write transaction (the oldest rows come first in id
	// order); then one short transaction deletes them (deliveries and file rows cascade).
	int delivered = DELIVERED;
	int superseded = SUPERSEDED;
	int failed = FAILED;
	std::vector<Poco::Int64> ids;
	_database.read([&](Poco::Data::Session& s) {
		ids.clear();
		s << "SELECT id FROM submissions WHERE arrival_time <= ? AND state IN (?, ?, ?) ORDER BY id LIMIT " + std::to_string(batch),
			use(arrivedBefore), use(delivered), use(superseded), use(failed), into(ids), Poco::Data::Keywords::now;
	});
	if (ids.empty()) return 0;
	std::size_t deleted = 0;
	_database.transaction([&](Poco::Data::Session& s) {
		deleted = 0;
		std::string list;
		for (auto id: ids) list += (list.empty() ? "" : ",") + std::to_string(id);
		// The state again: a row is never deleted unless it is still finished.
		Poco::Data::Statement remove(s);
		remove << "DELETE FROM submissions WHERE id IN (" + list + ") AND state IN (?, ?, ?)", use(delivered), use(superseded), use(failed);
		deleted = remove.execute();
	});
	return deleted;
}


} // namespace XQueue

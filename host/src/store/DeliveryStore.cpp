// SPDX-License-Identifier: Apache-2.0
//
// DeliveryStore.cpp
//


#include "store/DeliveryStore.h"
#include "store/BlobText.h"
#include "store/SubmissionState.h"
#include "util/SecureRandom.h"
#include <algorithm>


using namespace Poco::Data::Keywords;


namespace XQueue {


namespace
{
	constexpr int PENDING = static_cast<int>(DeliveryState::PENDING);
	constexpr int DELIVERED = static_cast<int>(DeliveryState::DELIVERED);
	constexpr int PARKED = static_cast<int>(DeliveryState::PARKED);
}


DeliveryStore::DeliveryStore(Database& database):
	_database(database)
{
}


Micros DeliveryStore::dueTime(Micros arrival, Micros now, Micros minSubmissionAge)
{
	return std::max(now, arrival + minSubmissionAge);
}


void DeliveryStore::enqueue(Poco::Data::Session& s, Poco::Int64 submissionId, DeliveryKind kind, std::string_view body, Micros now,
	Micros minSubmissionAge, const DeliveryLease* pLease)
{
	int kindValue = static_cast<int>(kind);
	int pending = PENDING;
	auto bodyClob = toClob(body);
	if (pLease)
	{
		Micros nextAttempt = pLease->expiresAt;
		s << "INSERT INTO deliveries (submission_id, kind, body, state, created_at, next_attempt_at, lease_key, lease_owner)"
			" VALUES (?, ?, COALESCE(?, X''), ?, ?, ?, ?, ?)",
			use(submissionId), use(kindValue), use(bodyClob), use(pending), use(now), use(nextAttempt), useRef(pLease->key),
			useRef(pLease->owner), Poco::Data::Keywords::now;
		return;
	}
	// Not leased: due when the submission is old enough (dueTime, written in SQL so that
	// no caller needs to read arrival_time first).
	s << "INSERT INTO deliveries (submission_id, kind, body, state, created_at, next_attempt_at)"
		" SELECT ?, ?, COALESCE(?, X''), ?, ?, CASE WHEN arrival_time + ? > ? THEN arrival_time + ? ELSE ? END"
		" FROM submissions WHERE id = ?",
		use(submissionId), use(kindValue), use(bodyClob), use(pending), use(now), use(minSubmissionAge), use(now),
		use(minSubmissionAge), use(now), use(submissionId), Poco::Data::Keywords::now;
}


std::optional<DeliveryJob> DeliveryStore::claimDue(Micros now, Micros leaseDuration, const std::string& owner)
{
	std::optional<DeliveryJob> job;
	int pending = PENDING;
	// Workers ask after every delivery and mostly find nothing due (results are handed to
	// them directly): a plain read says so without taking the single writer's turn.
	std::vector<Poco::Int64> due;
	_database.read([&](Poco::Data::Session& s) {
		s << "SELECT id FROM deliveries" + _database.sql().forceIndex("deliveries_due") + " WHERE state = ? AND next_attempt_at <= ? LIMIT 1",
			use(pending), use(now), into(due), Poco::Data::Keywords::now;
	});
	if (due.empty()) return job;
	const std::string lockingRead = _database.sql().lockingRead();
	// Relaxed: a delivery lease lost with the machine only means another attempt.
	_database.transaction([&](Poco::Data::Session& s) {
		job.reset(); // the work may run again after a deadlock
		std::vector<Poco::Int64> ids;
		std::vector<Poco::Int64> submissionIds;
		std::vector<int> kinds;
		std::vector<Poco::Data::CLOB> bodies, callbacks, headers;
		std::vector<Poco::Int64> bodyLengths, callbackLengths, headerLengths;
		std::vector<int> attempts;
		std::vector<Poco::Int64> created, arrived;
		s << "SELECT d.id, d.submission_id, d.kind, " + _database.sql().blobColumn("d.body") + ", d.attempts, COALESCE(d.resent_at, d.created_at), s.arrival_time, " +
			_database.sql().blobColumn("s.lms_callback_url") + ", " + _database.sql().blobColumn("s.xqueue_header") +
			" FROM deliveries d" + _database.sql().forceIndex("deliveries_due") + " JOIN submissions s ON s.id = d.submission_id"
			" WHERE d.state = ? AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at, d.id LIMIT 1" + lockingRead,
			use(pending), use(now), into(ids), into(submissionIds), into(kinds), into(bodies), into(bodyLengths), into(attempts),
			into(created), into(arrived), into(callbacks), into(callbackLengths), into(headers), into(headerLengths), Poco::Data::Keywords::now;
		if (ids.empty()) return;
		DeliveryJob j;
		j.id = ids[0];
		j.submissionId = submissionIds[0];
		j.kind = static_cast<DeliveryKind>(kinds[0]);
		j.body = _database.blobValue(s, bodies[0], bodyLengths[0], "deliveries", "body", j.id);
		j.attempts = attempts[0];
		j.retryingSince = created[0];
		j.submittedAt = arrived[0];
		j.callbackUrl = _database.blobValue(s, callbacks[0], callbackLengths[0], "submissions", "lms_callback_url", j.submissionId);
		j.header = _database.blobValue(s, headers[0], headerLengths[0], "submissions", "xqueue_header", j.submissionId);
		j.leaseKey = SecureRandom::hexToken(16);
		Micros leaseEnd = now + leaseDuration;
		j.leaseExpiresAt = leaseEnd;
		s << "UPDATE deliveries SET lease_key = ?, lease_owner = ?, next_attempt_at = ? WHERE id = ?",
			use(j.leaseKey), useRef(owner), use(leaseEnd), use(j.id), Poco::Data::Keywords::now;
		job = j;
	}, Commit::RELAXED);
	return job;
}


std::size_t DeliveryStore::releaseLeasesOf(const std::string& owner, Micros now)
{
	std::size_t released = 0;
	_database.transaction([&](Poco::Data::Session& s) {
		int pending = PENDING;
		Poco::Data::Statement update(s);
		update << "UPDATE deliveries SET lease_key = NULL, lease_owner = NULL, next_attempt_at = ?"
			" WHERE state = ? AND lease_owner = ? AND lease_key IS NOT NULL",
			use(now), use(pending), useRef(owner);
		released = update.execute();
	});
	return released;
}


bool DeliveryStore::markDelivered(const DeliveryJob& job, Micros now)
{
	bool ok = false;
	// Relaxed: a delivered mark lost with the machine means the LMS gets the grade again, which it ignores (at least once).
	_database.transaction([&](Poco::Data::Session& s) {
		int delivered = DELIVERED;
		int pending = PENDING;
		Poco::Int64 id = job.id;
		std::string leaseKey = job.leaseKey;
		Poco::Data::Statement update(s);
		update << "UPDATE deliveries SET state = ?, attempts = attempts + 1, delivered_at = ?, lease_key = NULL, last_error = NULL"
			" WHERE id = ? AND state = ? AND lease_key = ?",
			use(delivered), use(now), use(id), use(pending), use(leaseKey);
		ok = update.execute() == 1;
		if (!ok) return;
		Poco::Int64 submissionId = job.submissionId;
		if (job.kind == DeliveryKind::GRADE)
		{
			int submissionDelivered = static_cast<int>(SubmissionState::DELIVERED);
			int graded = static_cast<int>(SubmissionState::GRADED);
			s << "UPDATE submissions SET state = ?, lms_ack = 1 WHERE id = ? AND state = ?",
				use(submissionDelivered), use(submissionId), use(graded), Poco::Data::Keywords::now;
		}
		else
		{
			s << "UPDATE submissions SET lms_ack = 1 WHERE id = ?", use(submissionId), Poco::Data::Keywords::now;
		}
	}, Commit::RELAXED);
	return ok;
}


bool DeliveryStore::markRetry(const DeliveryJob& job, Micros retryAt, const std::string& error)
{
	bool ok = false;
	// Relaxed: a failed attempt lost with the machine means an earlier retry.
	_database.transaction([&](Poco::Data::Session& s) {
		int pending = PENDING;
		Poco::Int64 id = job.id;
		std::string leaseKey = job.leaseKey;
		std::string message = error;
		Poco::Data::Statement update(s);
		update << "UPDATE deliveries SET attempts = attempts + 1, next_attempt_at = ?, lease_key = NULL, last_error = ?"
			" WHERE id = ? AND state = ? AND lease_key = ?",
			use(retryAt), use(message), use(id), use(pending), use(leaseKey);
		ok = update.execute() == 1;
	}, Commit::RELAXED);
	return ok;
}


bool DeliveryStore::markParked(const DeliveryJob& job, const std::string& error)
{
	bool ok = false;
	_database.transaction([&](Poco::Data::Session& s) {
		int parked = PARKED;
		int pending = PENDING;
		Poco::Int64 id = job.id;
		std::string leaseKey = job.leaseKey;
		std::string message = error;
		Poco::Data::Statement update(s);
		update << "UPDATE deliveries SET state = ?, attempts = attempts + 1, lease_key = NULL, last_error = ?"
			" WHERE id = ? AND state = ? AND lease_key = ?",
			use(parked), use(message), use(id), use(pending), use(leaseKey);
		ok = update.execute() == 1;
		if (!ok) return;
		int failed = static_cast<int>(SubmissionState::FAILED);
		int graded = static_cast<int>(SubmissionState::GRADED);
		Poco::Int64 submissionId = job.submissionId;
		std::string reason = "delivery to the LMS parked: " + error;
		s << "UPDATE submissions SET state = ?, lms_ack = 0, retire_reason = ? WHERE id = ? AND state = ?",
			use(failed), use(reason), use(submissionId), use(graded), Poco::Data::Keywords::now;
	});
	return ok;
}


Micros DeliveryStore::currentTime()
{
	return _database.currentTime();
}


std::optional<Micros> DeliveryStore::nextDueTime()
{
	int pending = PENDING;
	std::vector<Poco::Int64> due;
	_database.read([&](Poco::Data::Session& s) {
		s << "SELECT MIN(next_attempt_at) FROM deliveries WHERE state = ? HAVING COUNT(*) > 0", use(pending), into(due), now;
	});
	if (due.empty()) return std::nullopt;
	return due[0];
}


std::vector<DeliveryRecord> DeliveryStore::forSubmission(Poco::Int64 submissionId)
{
	std::vector<Poco::Int64> ids;
	std::vector<int> kinds;
	std::vector<int> states;
	std::vector<int> attempts;
	std::vector<std::string> errors;
	_database.read([&](Poco::Data::Session& s) {
		s << "SELECT id, kind, state, attempts, COALESCE(last_error, '') FROM deliveries WHERE submission_id = ? ORDER BY id",
			use(submissionId), into(ids), into(kinds), into(states), into(attempts), into(errors), now;
	});
	std::vector<DeliveryRecord> out;
	for (std::size_t i = 0; i < ids.size(); ++i)
	{
		DeliveryRecord r;
		r.id = ids[i];
		r.submissionId = submissionId;
		r.kind = static_cast<DeliveryKind>(kinds[i]);
		r.state = static_cast<DeliveryState>(states[i]);
		r.attempts = attempts[i];
		r.lastError = errors[i];
		out.push_back(r);
	}
	return out;
}


std::vector<ParkedDelivery> DeliveryStore::listParked(std::size_t limit)
{
	std::vector<ParkedDelivery> parkedDeliveries;
	_database.read([&](Poco::Data::Session& s) {
		int parked = PARKED;
		std::vector<Poco::Int64> ids, submissionIds, createdAt;
		std::vector<std::string> queues;
		std::vector<int> kinds, attempts;
		std::vector<std::string> errors;
		s << "SELECT d.id, d.submission_id, s.queue_name, d.kind, d.attempts, d.created_at, COALESCE(d.last_error, '')"
			" FROM deliveries d JOIN submissions s ON s.id = d.submission_id WHERE d.state = ? ORDER BY d.id LIMIT " + std::to_string(limit),
			use(parked), into(ids), into(submissionIds), into(queues), into(kinds), into(attempts), into(createdAt), into(errors),
			Poco::Data::Keywords::now;
		parkedDeliveries.clear();
		for (std::size_t i = 0; i < ids.size(); ++i)
		{
			parkedDeliveries.push_back(ParkedDelivery{ids[i], submissionIds[i], queues[i], static_cast<DeliveryKind>(kinds[i]),
				attempts[i], createdAt[i], errors[i]});
		}
	});
	return parkedDeliveries;
}


namespace
{
	std::string idFilter(const std::vector<Poco::Int64>& ids)
	{
		if (ids.empty()) return std::string();
		std::string list;
		for (auto id: ids) list += (list.empty() ? "" : ",") + std::to_string(id);
		return " AND id IN (" + list + ")";
	}
}


std::size_t DeliveryStore::resend(const std::vector<Poco::Int64>& ids, Micros now)
{
	std::size_t resent = 0;
	_database.transaction([&](Poco::Data::Session& s) {
		int parked = PARKED;
		int pending = PENDING;
		int grade = static_cast<int>(DeliveryKind::GRADE);
		int graded = static_cast<int>(SubmissionState::GRADED);
		int failed = static_cast<int>(SubmissionState::FAILED);
		// A grade's submission was retired as failed when its delivery parked: it is a
		// graded submission waiting for its delivery again.
		s << "UPDATE submissions SET state = ?, retire_reason = NULL WHERE state = ? AND id IN"
			" (SELECT submission_id FROM deliveries WHERE state = ? AND kind = ?" + idFilter(ids) + ")",
			use(graded), use(failed), use(parked), use(grade), Poco::Data::Keywords::now;
		Poco::Data::Statement update(s);
		// created_at stays (when the result was first due); the retry horizon starts again.
		update << "UPDATE deliveries SET state = ?, attempts = 0, resent_at = ?, next_attempt_at = ?, lease_key = NULL, lease_owner = NULL"
			" WHERE state = ?" + idFilter(ids),
			use(pending), use(now), use(now), use(parked);
		resent = update.execute();
	});
	return resent;
}


std::size_t DeliveryStore::drop(const std::vector<Poco::Int64>& ids)
{
	std::size_t dropped = 0;
	_database.transaction([&](Poco::Data::Session& s) {
		int parked = PARKED;
		Poco::Data::Statement remove(s);
		remove << "DELETE FROM deliveries WHERE state = ?" + idFilter(ids), use(parked);
		dropped = remove.execute();
	});
	return dropped;
}


} // namespace XQueue

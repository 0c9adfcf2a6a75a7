// SPDX-License-Identifier: Apache-2.0
//
// SubmissionStore.cpp
//


#include "store/SubmissionStore.h"
#include "store/BlobText.h"
#include "store/DeliveryStore.h"
#include "protocol/FailureNotice.h"
#include "util/Digest.h"
#include "util/SecureRandom.h"
#include "Poco/Logger.h"
#include <algorithm>
#include <limits>
#include <vector>


using namespace Poco::Data::Keywords;


namespace XQueue {


namespace
{
	constexpr int QUEUED = static_cast<int>(SubmissionState::QUEUED);
	constexpr int LEASED = static_cast<int>(SubmissionState::LEASED);
	constexpr int GRADED = static_cast<int>(SubmissionState::GRADED);
	constexpr int DELIVERED = static_cast<int>(SubmissionState::DELIVERED);
	constexpr int SUPERSEDED = static_cast<int>(SubmissionState::SUPERSEDED);
	constexpr int FAILED = static_cast<int>(SubmissionState::FAILED);

	// Exhausted submissions retired by one claim at most; the rest wait for the next.
	constexpr int MAX_RETIREMENTS_PER_CLAIM = 100;
	constexpr int MAX_LOST_RACES = 10; /// candidates another node's claim took first (Galera)


	struct Candidates
		/// Rows of a claim's read (at most one).
	{
		std::vector<Poco::Int64> ids;
		std::vector<int> leaseCounts;
		std::vector<Poco::Data::CLOB> bodies, files;
		std::vector<Poco::Int64> bodyLengths, filesLengths;
	};
}


SubmissionStore::SubmissionStore(Database& database, const LeasePolicy& policy):
	_database(database),
	_counters(database),
	_policy(policy)
{
}


Micros SubmissionStore::currentTime()
{
	return _database.currentTime();
}


long long SubmissionStore::countPending(Poco::Data::Session& s, const std::string& queueName, Micros now)
{
	// The counter, plus the leases that ended (those submissions are pending again).
	Poco::Int64 pending = 0;
	int maxLeases = _policy.maxLeases;
	int leased = LEASED;
	// CAST: MySQL's SUM of integers is a DECIMAL.
	s << "SELECT CAST(COALESCE((SELECT SUM(queued) FROM queue_counters WHERE queue_name = ?), 0)"
		" + (SELECT COUNT(*) FROM submissions WHERE queue_name = ? AND state = ? AND lease_expires_at <= ? AND lease_count < ?) AS SIGNED)",
		useRef(queueName), useRef(queueName), use(leased), use(now), use(maxLeases), into(pending), Poco::Data::Keywords::now;
	return pending;
}


SubmitResult SubmissionStore::submit(const NewSubmission& submission, Micros now, const SubmitExtension& alsoInTransaction)
{
	SubmitResult result;
	std::string callbackKey = Digest::sha256Hex(submission.callbackUrl);
	auto callbackUrl = toClob(submission.callbackUrl);
	auto header = toClob(submission.header);
	auto body = toClob(submission.body);
	auto files = toClob(submission.files);
	int queued = QUEUED;
	int leased = LEASED;
	int superseded = SUPERSEDED;
	auto work = [&](Poco::Data::Session& s) {
		Poco::Int64 submitter = submission.submitterId;
		s << "INSERT INTO submissions (queue_name, state, requester_id, lms_callback_url, callback_key,"
			" xqueue_header, xqueue_body, xqueue_files, arrival_time, submitter_id)"
			" VALUES (?, ?, ?, COALESCE(?, X''), ?, COALESCE(?, X''), COALESCE(?, X''), COALESCE(?, X''), ?, ?)",
			useRef(submission.queueName), use(queued), useRef(submission.requesterId), use(callbackUrl),
			use(callbackKey), use(header), use(body), use(files), use(now), use(submitter), Poco::Data::Keywords::now;
		result.id = _database.lastInsertId(s);
		if (alsoInTransaction) alsoInTransaction(s, result.id);

		// Older unfinished submissions of the same account for the same callback are
		// superseded (another account naming the same URL must not cancel them). Usually
		// there is none, so one indexed read decides whether an UPDATE is needed at all;
		// MySQL locks what it found (and waits for a claim in progress) so that the count holds.
		std::vector<int> olderStates;
		s << std::string("SELECT state FROM submissions WHERE callback_key = ? AND queue_name = ? AND state IN (?, ?) AND id <> ?"
			" AND submitter_id = ?") + _database.sql().forUpdate(),
			use(callbackKey), useRef(submission.queueName), use(queued), use(leased), use(result.id), use(submitter), into(olderStates),
			Poco::Data::Keywords::now;
		Poco::Int64 supersededQueued = std::count(olderStates.begin(), olderStates.end(), QUEUED);
		if (!olderStates.empty())
		{
			std::string reason = "superseded by submission " + std::to_string(result.id);
			s << "UPDATE submissions SET state = ?, retire_reason = ?"
				" WHERE callback_key = ? AND queue_name = ? AND state IN (?, ?) AND id <> ? AND submitter_id = ?",
				use(superseded), use(reason), use(callbackKey), useRef(submission.queueName), use(queued), use(leased), use(result.id),
				use(submitter), Poco::Data::Keywords::now;
			result.superseded = olderStates.size();
		}

		_counters.adjust(s, submission.queueName, 1 - supersededQueued);
		result.queueLength = countPending(s, submission.queueName, now);
	};
	for (int attempt = 1; ; ++attempt)
	{
		_database.transaction(work);
		// The submission is acknowledged once this returns: where a commit may vanish
		// (Galera), it is read back first and stored again if it is not there (should the
		// read miss a row that is there, the copy supersedes it: nothing is graded twice).
		if (!_database.commitsMayVanish() || attempt == 3) break;
		Poco::Int64 found = 0;
		_database.read([&](Poco::Data::Session& s) {
			s << "SELECT COUNT(*) FROM submissions WHERE id = ?", use(result.id), into(found), Poco::Data::Keywords::now;
		});
		if (found == 1) break;
		Poco::Logger::get("xqueue.store").warning("submission %?d was not stored (a Galera node aborted its transaction): storing it again", result.id);
	}
	return result;
}


long long SubmissionStore::queueLength(const std::string& queueName, Micros now)
{
	long long pending = 0;
	_database.read([&](Poco::Data::Session& s) { pending = countPending(s, queueName, now); });
	return pending;
}


ClaimResult SubmissionStore::claim(const std::string& queueName, const std::string& graderId, Micros now, Micros leaseDuration)
{
	if (leaseDuration < 0) leaseDuration = static_cast<Micros>(_policy.processingDelaySeconds) * MICROS_PER_SECOND;
	ClaimResult result;
	const std::string lockingRead = _database.sql().lockingRead();
	const std::string queuedIndex = _database.sql().forceIndex("submissions_queued");
	const std::string leasesIndex = _database.sql().forceIndex("submissions_leases");
	// Relaxed: a lease lost with the machine only means the submission is handed out again (docs/compatibility.md).
	_database.transaction([&](Poco::Data::Session& s) {
		result = ClaimResult(); // the work may run again after a deadlock
		int queued = QUEUED;
		int leased = LEASED;
		int failed = FAILED;
		int lostRaces = 0;
		for (int retirements = 0; retirements <= MAX_RETIREMENTS_PER_CLAIM; )
		{
			// The oldest queued and the oldest expired lease, each read with its body and
			// files (so that the one taken needs no further read).
			const std::string columns = "SELECT id, lease_count, " + _database.sql().blobColumn("xqueue_body") + ", " +
				_database.sql().blobColumn("xqueue_files") + " FROM submissions";
			Candidates fresh, expired;
			s << columns + queuedIndex + " WHERE queue_name = ? AND state = ? ORDER BY id LIMIT 1" + lockingRead,
				useRef(queueName), use(queued), into(fresh.ids), into(fresh.leaseCounts), into(fresh.bodies), into(fresh.bodyLengths),
				into(fresh.files), into(fresh.filesLengths), Poco::Data::Keywords::now;
			s << columns + leasesIndex + " WHERE queue_name = ? AND state = ? AND lease_expires_at <= ? ORDER BY id LIMIT 1" + lockingRead,
				useRef(queueName), use(leased), use(now), into(expired.ids), into(expired.leaseCounts), into(expired.bodies),
				into(expired.bodyLengths), into(expired.files), into(expired.filesLengths), Poco::Data::Keywords::now;

			bool takeExpired = !expired.ids.empty() && (fresh.ids.empty() || expired.ids[0] < fresh.ids[0]);
			if (!takeExpired && fresh.ids.empty()) return;
			const Candidates& taken = takeExpired ? expired : fresh;
			Poco::Int64 id = taken.ids[0];

			if (takeExpired && taken.leaseCounts[0] >= _policy.maxLeases)
			{
				std::string reason = "no result after " + std::to_string(taken.leaseCounts[0]) + " leases";
				s << "UPDATE submissions SET state = ?, retire_reason = ?, lease_key = NULL WHERE id = ?",
					use(failed), use(reason), use(id), Poco::Data::Keywords::now;
				DeliveryStore::enqueue(s, id, DeliveryKind::FAILURE_NOTICE, FAILURE_NOTICE_BODY, now, _policy.minDeliveryAge);
				++result.retired;
				++retirements;
				continue;
			}

			ClaimedSubmission claimed;
			claimed.id = id;
			claimed.key = SecureRandom::hexToken(16);
			Micros expiresAt = now + leaseDuration;
			// Only the version read (its state and lease count): the row lock makes that
			// certain on one server, but on a Galera cluster a claim on another node is
			// invisible to the lock and may have been applied meanwhile — then the row is
			// no longer ours and the next candidate is read.
			int readState = takeExpired ? leased : queued;
			int readLeaseCount = taken.leaseCounts[0];
			Poco::Data::Statement update(s);
			update << "UPDATE submissions SET state = ?, lease_key = ?, lease_expires_at = ?, lease_count = lease_count + 1,"
				" pull_time = ?, grader_id = ? WHERE id = ? AND state = ? AND lease_count = ?",
				use(leased), use(claimed.key), use(expiresAt), use(now), useRef(graderId), use(id), use(readState), use(readLeaseCount);
			if (update.execute() != 1)
			{
				if (++lostRaces > MAX_LOST_RACES) return;
				continue;
			}
			if (!takeExpired)
			{
				_counters.adjust(s, queueName, -1);
			}
			claimed.body = _database.blobValue(s, taken.bodies[0], taken.bodyLengths[0], "submissions", "xqueue_body", id);
			claimed.files = _database.blobValue(s, taken.files[0], taken.filesLengths[0], "submissions", "xqueue_files", id);
			result.submission = claimed;
			return;
		}
	}, Commit::RELAXED);
	return result;
}


std::size_t SubmissionStore::releaseLeasesOf(const std::string& queueName, const std::string& graderId, Micros now)
{
	std::size_t released = 0;
	_database.transaction([&](Poco::Data::Session& s) {
		int leased = LEASED;
		Poco::Data::Statement update(s);
		update << "UPDATE submissions SET lease_expires_at = ? WHERE queue_name = ? AND state = ? AND lease_expires_at > ? AND grader_id = ?",
			use(now), useRef(queueName), use(leased), use(now), useRef(graderId);
		released = update.execute();
	});
	return released;
}


PutResultOutcome SubmissionStore::putResult(Poco::Int64 id, const std::string& key, const std::string& reply, Micros now,
	const DeliveryLease* pLease, std::optional<DeliveryJob>* pLeasedDelivery, const std::function<bool(const std::string&)>& mayGrade)
{
	PutResultOutcome outcome = PutResultOutcome::NOT_FOUND;
	auto replyClob = toClob(reply);
	auto work = [&](Poco::Data::Session& s) {
		if (pLeasedDelivery) pLeasedDelivery->reset(); // the work may run again after a deadlock
		std::vector<int> states;
		std::vector<std::string> keys, queues;
		// A delivery leased to the caller needs the callback and header too.
		std::vector<Poco::Data::CLOB> callbacks, headers;
		std::vector<Poco::Int64> callbackLengths, headerLengths, arrivals;
		Poco::Data::Statement select(s);
		select << "SELECT state, COALESCE(lease_key, ''), queue_name" +
			(pLease ? ", " + _database.sql().blobColumn("lms_callback_url") + ", " + _database.sql().blobColumn("xqueue_header") + ", arrival_time" : std::string()) +
			" FROM submissions WHERE id = ?" + _database.sql().forUpdate(),
			use(id), into(states), into(keys), into(queues);
		if (pLease) select, into(callbacks), into(callbackLengths), into(headers), into(headerLengths), into(arrivals);
		select.execute();
		if (states.empty())
		{
			outcome = PutResultOutcome::NOT_FOUND;
			return;
		}
		if (mayGrade && !mayGrade(queues[0]))
		{
			outcome = PutResultOutcome::FORBIDDEN;
			return;
		}
		if (keys[0].empty() || !Digest::constantTimeEquals(keys[0], key))
		{
			outcome = PutResultOutcome::WRONG_KEY;
			return;
		}
		switch (states[0])
		{
		case LEASED:
		{
			int graded = GRADED;
			int leased = LEASED;
			Poco::Data::Statement update(s);
			update << "UPDATE submissions SET state = ?, grader_reply = COALESCE(?, X''), return_time = ? WHERE id = ? AND state = ? AND lease_key = ?",
				use(graded), use(replyClob), use(now), use(id), use(leased), useRef(key);
			if (update.execute() != 1)
			{
				outcome = PutResultOutcome::WRONG_KEY;
				return;
			}
			if (!pLease)
			{
				DeliveryStore::enqueue(s, id, DeliveryKind::GRADE, reply, now, _policy.minDeliveryAge);
				outcome = PutResultOutcome::ACCEPTED;
				return;
			}
			// Leased to this host: the lease starts when the delivery may first be attempted.
			Micros notBefore = DeliveryStore::dueTime(arrivals[0], now, _policy.minDeliveryAge);
			DeliveryLease lease = *pLease;
			lease.expiresAt += notBefore - now;
			DeliveryStore::enqueue(s, id, DeliveryKind::GRADE, reply, now, _policy.minDeliveryAge, &lease);
			if (pLeasedDelivery)
			{
				DeliveryJob job;
				job.id = _database.lastInsertId(s);
				job.submissionId = id;
				job.kind = DeliveryKind::GRADE;
				job.body = reply;
				job.retryingSince = now;
				job.submittedAt = arrivals[0];
				job.notBefore = notBefore;
				job.leaseKey = lease.key;
				job.leaseExpiresAt = lease.expiresAt;
				job.callbackUrl = _database.blobValue(s, callbacks[0], callbackLengths[0], "submissions", "lms_callback_url", id);
				job.header = _database.blobValue(s, headers[0], headerLengths[0], "submissions", "xqueue_header", id);
				*pLeasedDelivery = std::move(job);
			}
			outcome = PutResultOutcome::ACCEPTED;
			return;
		}
		case GRADED:
		case DELIVERED:
			outcome = PutResultOutcome::DUPLICATE;
			return;
		case SUPERSEDED:
		case FAILED:
			s << "UPDATE submissions SET grader_reply = COALESCE(?, X''), return_time = ? WHERE id = ? AND grader_reply IS NULL",
				use(replyClob), use(now), use(id), Poco::Data::Keywords::now;
			outcome = PutResultOutcome::IGNORED;
			return;
		default:
			outcome = PutResultOutcome::WRONG_KEY;
			return;
		}
	};
	for (int attempt = 1; ; ++attempt)
	{
		_database.transaction(work);
		// As submit(): an accepted result is read back where a commit may vanish, and
		// stored again if the submission is still leased under this key.
		if (outcome != PutResultOutcome::ACCEPTED || !_database.commitsMayVanish() || attempt == 3) break;
		Poco::Int64 stillLeased = 0;
		int leased = LEASED;
		_database.read([&](Poco::Data::Session& s) {
			s << "SELECT COUNT(*) FROM submissions WHERE id = ? AND state = ? AND lease_key = ?", use(id), use(leased), useRef(key),
				into(stillLeased), Poco::Data::Keywords::now;
		});
		if (stillLeased == 0) break;
		Poco::Logger::get("xqueue.store").warning("the result of submission %?d was not stored (a Galera node aborted its transaction): storing it again", id);
	}
	return outcome;
}


SubmissionStore::Release SubmissionStore::releaseAfterFailure(Poco::Int64 id, const std::string& key, Micros retryAt,
	const std::string& reason, Micros now, bool permanent)
{
	Release outcome = Release::LOST;
	_database.transaction([&](Poco::Data::Session& s) {
		std::vector<int> states;
		std::vector<std::string> keys;
		std::vector<int> leaseCounts;
		s << std::string("SELECT state, COALESCE(lease_key, ''), lease_count FROM submissions WHERE id = ?") +
			_database.sql().forUpdate(),
			use(id), into(states), into(keys), into(leaseCounts), Poco::Data::Keywords::now;
		if (states.empty() || states[0] != LEASED || !Digest::constantTimeEquals(keys[0], key)) return;
		if (permanent || leaseCounts[0] >= _policy.maxLeases)
		{
			int failed = FAILED;
			std::string why = permanent ? "grading failed for good: " + reason
				: "grading failed " + std::to_string(leaseCounts[0]) + " times, last: " + reason;
			s << "UPDATE submissions SET state = ?, retire_reason = ?, lease_key = NULL WHERE id = ?",
				use(failed), use(why), use(id), Poco::Data::Keywords::now;
			DeliveryStore::enqueue(s, id, DeliveryKind::FAILURE_NOTICE, FAILURE_NOTICE_BODY, now, _policy.minDeliveryAge);
			outcome = Release::RETIRED;
			return;
		}
		std::string keyCopy = key;
		s << "UPDATE submissions SET lease_expires_at = ? WHERE id = ? AND lease_key = ?",
			use(retryAt), use(id), use(keyCopy), Poco::Data::Keywords::now;
		outcome = Release::RETRY;
	});
	return outcome;
}


std::optional<SubmissionRecord> SubmissionStore::find(Poco::Int64 id)
{
	std::optional<SubmissionRecord> found;
	_database.read([&](Poco::Data::Session& s) {
		Poco::Data::Statement select(s);
		std::vector<std::string> queueNames;
		std::vector<int> states;
		std::vector<std::string> requesters;
		std::vector<Poco::Data::CLOB> callbacks, headers, bodies, files, replies;
		std::vector<Poco::Int64> callbackLengths, headerLengths, bodyLengths, fileLengths, replyLengths;
		std::vector<Poco::Int64> arrivals;
		std::vector<std::string> leaseKeys;
		std::vector<Poco::Int64> leaseExpiries;
		std::vector<int> leaseCounts;
		std::vector<std::string> graderIds;
		std::vector<int> acks;
		std::vector<std::string> reasons;
		const std::string reply = "COALESCE(grader_reply, X'')";
		select << "SELECT queue_name, state, requester_id, " + _database.sql().blobColumn("lms_callback_url") + ", " +
			_database.sql().blobColumn("xqueue_header") + ", " + _database.sql().blobColumn("xqueue_body") + ", " + _database.sql().blobColumn("xqueue_files") + ","
			" arrival_time, COALESCE(lease_key, ''), COALESCE(lease_expires_at, 0), lease_count, grader_id, " +
			_database.sql().blobColumn(reply) + ", lms_ack, COALESCE(retire_reason, '') FROM submissions WHERE id = ?",
			use(id), into(queueNames), into(states), into(requesters), into(callbacks), into(callbackLengths), into(headers), into(headerLengths),
			into(bodies), into(bodyLengths), into(files), into(fileLengths), into(arrivals), into(leaseKeys), into(leaseExpiries),
			into(leaseCounts), into(graderIds), into(replies), into(replyLengths), into(acks), into(reasons);
		select.execute();
		if (queueNames.empty()) return;
		SubmissionRecord r;
		r.id = id;
		r.queueName = queueNames[0];
		r.state = static_cast<SubmissionState>(states[0]);
		r.requesterId = requesters[0];
		r.callbackUrl = _database.blobValue(s, callbacks[0], callbackLengths[0], "submissions", "lms_callback_url", id);
		r.header = _database.blobValue(s, headers[0], headerLengths[0], "submissions", "xqueue_header", id);
		r.body = _database.blobValue(s, bodies[0], bodyLengths[0], "submissions", "xqueue_body", id);
		r.files = _database.blobValue(s, files[0], fileLengths[0], "submissions", "xqueue_files", id);
		r.arrivalTime = arrivals[0];
		r.leaseKey = leaseKeys[0];
		r.leaseExpiresAt = leaseExpiries[0];
		r.leaseCount = leaseCounts[0];
		r.graderId = graderIds[0];
		r.graderReply = _database.blobValue(s, replies[0], replyLengths[0], "submissions", reply, id);
		r.lmsAck = acks[0] != 0;
		r.retireReason = reasons[0];
		found = std::move(r);
	});
	return found;
}


QueueStatus SubmissionStore::queueStatus(const std::string& queueName, Micros now)
{
	QueueStatus status;
	status.queueName = queueName;
	_database.read([&](Poco::Data::Session& s) {
		status.pending = countPending(s, queueName, now);
		int leased = LEASED;
		int queued = QUEUED;
		int maxLeases = _policy.maxLeases;
		Poco::Int64 inFlight = 0;
		s << "SELECT COUNT(*) FROM submissions WHERE queue_name = ? AND state = ? AND lease_expires_at > ?",
			useRef(queueName), use(leased), use(now), into(inFlight), Poco::Data::Keywords::now;
		status.inFlight = inFlight;
		// The oldest pending one is the first queued, or the first expired lease, by id.
		std::vector<Poco::Int64> fresh, expired;
		s << "SELECT arrival_time FROM submissions WHERE queue_name = ? AND state = ? ORDER BY id LIMIT 1",
			useRef(queueName), use(queued), into(fresh), Poco::Data::Keywords::now;
		s << "SELECT arrival_time FROM submissions WHERE queue_name = ? AND state = ? AND lease_expires_at <= ? AND lease_count < ?"
			" ORDER BY id LIMIT 1",
			useRef(queueName), use(leased), use(now), use(maxLeases), into(expired), Poco::Data::Keywords::now;
		if (!fresh.empty()) status.oldestPending = fresh[0];
		if (!expired.empty() && (status.oldestPending == 0 || expired[0] < status.oldestPending)) status.oldestPending = expired[0];
		int parked = static_cast<int>(DeliveryState::PARKED);
		Poco::Int64 parkedCount = 0;
		s << "SELECT COUNT(*) FROM deliveries d JOIN submissions s ON s.id = d.submission_id WHERE d.state = ? AND s.queue_name = ?",
			use(parked), useRef(queueName), into(parkedCount), Poco::Data::Keywords::now;
		status.parkedDeliveries = parkedCount;
		// Results the LMS has not taken yet: a down LMS shows here first.
		int pendingDelivery = static_cast<int>(DeliveryState::PENDING);
		Poco::Int64 waiting = 0, retrying = 0, oldest = 0;
		s << "SELECT COUNT(*), COALESCE(SUM(CASE WHEN d.attempts > 0 THEN 1 ELSE 0 END), 0), COALESCE(MIN(d.created_at), 0)"
			" FROM deliveries d JOIN submissions s ON s.id = d.submission_id WHERE d.state = ? AND s.queue_name = ?",
			use(pendingDelivery), useRef(queueName), into(waiting), into(retrying), into(oldest), Poco::Data::Keywords::now;
		status.deliveriesRetrying = retrying;
		status.deliveriesWaiting = waiting - retrying;
		status.oldestDelivery = oldest;
	});
	return status;
}


} // namespace XQueue

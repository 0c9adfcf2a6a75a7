// SPDX-License-Identifier: Apache-2.0
//
// SubmissionStore.h
//
// Submissions and their leases: the xqueue semantics of submit, get_queuelen,
// get_submission and put_result as single store transactions.
//


#ifndef XQueue_SubmissionStore_INCLUDED
#define XQueue_SubmissionStore_INCLUDED


#include "store/Database.h"
#include "store/QueueCounters.h"
#include "store/DeliveryStore.h"
#include "store/SubmissionState.h"
#include "util/Clock.h"
#include <functional>
#include <optional>
#include <string>
#include <vector>


namespace XQueue {


struct LeasePolicy
{
	int processingDelaySeconds = 60; /// visibility timeout of a lease
	int maxLeases = 4;               /// a submission is handed out at most this often
	Micros minDeliveryAge = 2 * MICROS_PER_SECOND; /// no grade or notice leaves before the submission is this old
};


struct NewSubmission
{
	std::string queueName;
	std::string requesterId;
	Poco::Int64 submitterId = 0; /// the account: a submission supersedes only the same account's
	std::string callbackUrl; /// full lms_callback_url (invalidation compares all of it)
	std::string header;      /// the LMS's xqueue_header, byte for byte
	std::string body;        /// xqueue_body, byte for byte
	std::string files = "{}"; /// JSON {field name: file key} (see FileStore)
};


struct SubmitResult
{
	Poco::Int64 id = 0;
	long long queueLength = 0;   /// pending in the queue, the new submission included
	std::size_t superseded = 0;  /// older submissions this one replaced
};


struct ClaimedSubmission
{
	Poco::Int64 id = 0;
	std::string key;   /// the pull key (128 random bits, hex) the grader must echo
	std::string body;
	std::string files; /// JSON {field name: file key}; FileLinks makes the graders' URLs
};


struct ClaimResult
{
	std::optional<ClaimedSubmission> submission;
	std::size_t retired = 0; /// exhausted submissions retired (failure notices queued)
};


enum class PutResultOutcome
{
	ACCEPTED,    /// stored; a delivery to the LMS was queued
	DUPLICATE,   /// already has a result (replay): nothing changed, nothing re-delivered
	IGNORED,     /// superseded or failed meanwhile: stored for the record, not delivered
	NOT_FOUND,   /// no such submission
	WRONG_KEY,   /// never handed out, or the key is not the current one
	FORBIDDEN    /// the submission's queue is not one the caller may grade: nothing changed
};


struct SubmissionRecord
{
	Poco::Int64 id = 0;
	std::string queueName;
	SubmissionState state = SubmissionState::QUEUED;
	std::string requesterId;
	Poco::Int64 submitterId = 0; /// the account: a submission supersedes only the same account's
	std::string callbackUrl;
	std::string header;
	std::string body;
	std::string files;
	Micros arrivalTime = 0;
	std::string leaseKey;
	Micros leaseExpiresAt = 0;
	int leaseCount = 0;
	std::string graderId;
	std::string graderReply;
	bool lmsAck = false;
	std::string retireReason;
};


struct QueueStatus
{
	std::string queueName;
	long long pending = 0;      /// waiting for a grader (as get_queuelen counts)
	long long inFlight = 0;     /// handed out under a live lease
	Micros oldestPending = 0;   /// arrival of the oldest pending submission, 0 if none
	long long parkedDeliveries = 0;
	long long deliveriesWaiting = 0;  /// results and notices not yet tried (or waiting for the minimum age)
	long long deliveriesRetrying = 0; /// ... tried and failed at least once, to be tried again
	Micros oldestDelivery = 0;        /// when the oldest of those became due, 0 if none
};


class SubmissionStore
{
public:
	SubmissionStore(Database& database, const LeasePolicy& policy);

	using SubmitExtension = std::function<void(Poco::Data::Session& session, Poco::Int64 submissionId)>;

	SubmitResult submit(const NewSubmission& submission, Micros now, const SubmitExtension& alsoInTransaction = {});
		/// Inserts the submission and, in the same transaction, supersedes every older
		/// pending (queued or leased) submission of the same queue with the same full
		/// callback URL, and runs alsoInTransaction (which records the files).

	long long queueLength(const std::string& queueName, Micros now);
		/// Pending submissions: queued ones (a maintained counter) plus leased ones whose
		/// lease expired and which may still be handed out.

	ClaimResult claim(const std::string& queueName, const std::string& graderId, Micros now, Micros leaseDuration = -1);
		/// Hands out the oldest pending submission under a new lease and key. Atomic:
		/// two callers never get the same submission under a live lease. Submissions
		/// whose leases are exhausted are retired on the way, with a failure notice queued.
		/// The lease lasts leaseDuration, or the processing delay if negative.

	enum class Release
	{
		RETRY,   /// pending again from retryAt on
		RETIRED, /// leases exhausted: retired as failed, failure notice queued
		LOST     /// the lease was no longer ours (expired and re-issued, or superseded)
	};

	Release releaseAfterFailure(Poco::Int64 id, const std::string& key, Micros retryAt, const std::string& reason, Micros now,
		bool permanent = false);
		/// A dispatched grading failed: makes the submission pending again at retryAt,
		/// or, if it has had all its leases or permanent (retrying cannot help), retires
		/// it and queues the failure notice.

	std::size_t releaseLeasesOf(const std::string& queueName, const std::string& graderId, Micros now);
		/// Ends now the leases graderId holds in the queue (they count as used): called
		/// when a host starts, for the gradings its dispatcher had in flight when it
		/// stopped or died. Never used for pull graders, which may still post results.

	PutResultOutcome putResult(Poco::Int64 id, const std::string& key, const std::string& reply, Micros now,
		const DeliveryLease* pLease = nullptr, std::optional<DeliveryJob>* pLeasedDelivery = nullptr,
		const std::function<bool(const std::string& queue)>& mayGrade = {});
		/// Stores a grader's result if key is the submission's current key, and queues
		/// its delivery in the same transaction. With pLease, that delivery is created
		/// leased so and returned in *pLeasedDelivery, for the caller to attempt at once.
		/// With mayGrade, a submission of a queue it refuses is FORBIDDEN (checked before
		/// the key, so a key reveals nothing to a grader of another queue).

	std::optional<SubmissionRecord> find(Poco::Int64 id);

	// For monitoring (/metrics, the dashboard, xqueue-admin count-queued).

	QueueStatus queueStatus(const std::string& queueName, Micros now);
		/// Index searches and counters only: cheap at any table size.

	Micros currentTime();
		/// The store's clock, which every lease and timestamp uses (see Database).

private:
	long long countPending(Poco::Data::Session& session, const std::string& queueName, Micros now);

	Database& _database;
	QueueCounters _counters;
	LeasePolicy _policy;
};


} // namespace XQueue


#endif // XQueue_SubmissionStore_INCLUDED

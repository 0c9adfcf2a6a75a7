// SPDX-License-Identifier: Apache-2.0
//
// DeliveryStore.h
//
// The outbox of messages to LMS callback URLs. A row is written in the same transaction
// as the result it carries, and is leased by one delivery attempt at a time.
//


#ifndef XQueue_DeliveryStore_INCLUDED
#define XQueue_DeliveryStore_INCLUDED


#include "store/Database.h"
#include "util/Clock.h"
#include <optional>
#include <string>
#include <string_view>
#include <vector>


namespace XQueue {


enum class DeliveryKind: int
{
	GRADE = 0,          /// the grader's result
	FAILURE_NOTICE = 1  /// the fixed failure notice (submission could not be graded)
};


enum class DeliveryState: int
{
	PENDING = 0,
	DELIVERED = 1,
	PARKED = 2  /// gave up; the submission is retired as failed; an operator may resend
};


struct DeliveryJob
{
	Poco::Int64 id = 0;
	Poco::Int64 submissionId = 0;
	DeliveryKind kind = DeliveryKind::GRADE;
	std::string body;
	int attempts = 0;       /// attempts made before this one
	Micros retryingSince = 0; /// the retry horizon counts from here: creation, or the last resend
	Micros notBefore = 0;   /// not attempted before (the submission's minimum age)
	std::string leaseKey;
	Micros leaseExpiresAt = 0;
	std::string callbackUrl;
	std::string header;     /// the LMS's original xqueue_header
	Micros submittedAt = 0; /// the submission's arrival (for the end-to-end latency)
};


struct DeliveryLease
	/// A lease taken by the transaction that creates a delivery, for a host that will
	/// attempt it at once: no claim transaction is needed before the attempt.
{
	std::string key;
	std::string owner;
	Micros expiresAt = 0;
};


struct DeliveryRecord
{
	Poco::Int64 id = 0;
	Poco::Int64 submissionId = 0;
	DeliveryKind kind = DeliveryKind::GRADE;
	DeliveryState state = DeliveryState::PENDING;
	int attempts = 0;
	std::string lastError;
};


struct ParkedDelivery
{
	Poco::Int64 id = 0;
	Poco::Int64 submissionId = 0;
	std::string queueName;
	DeliveryKind kind = DeliveryKind::GRADE;
	int attempts = 0;
	Micros createdAt = 0;
	std::string lastError;
};


class DeliveryStore
{
public:
	explicit DeliveryStore(Database& database);

	static void enqueue(Poco::Data::Session& session, Poco::Int64 submissionId, DeliveryKind kind, std::string_view body, Micros now,
		Micros minSubmissionAge, const DeliveryLease* pLease = nullptr);
		/// Adds a pending delivery inside the caller's transaction: due once the submission
		/// is minSubmissionAge old (at once if it is already), or leased with *pLease
		/// (whose expiry the caller has moved by the same wait; see dueTime).

	static Micros dueTime(Micros arrival, Micros now, Micros minSubmissionAge);
		/// When a delivery for a submission that arrived at arrival may first be attempted:
		/// the LMS saves the submission's key only when its own request ends, and drops a
		/// grade that arrives before that (clients.md 3.2).

	std::optional<DeliveryJob> claimDue(Micros now, Micros leaseDuration, const std::string& owner);
		/// Leases the oldest due delivery to owner (a host id): no other attempt takes it
		/// until the lease ends.

	std::size_t releaseLeasesOf(const std::string& owner, Micros now);
		/// Makes the deliveries leased to owner due now: called when a host starts, for
		/// the attempts its previous run was making when it stopped or died.

	bool markDelivered(const DeliveryJob& job, Micros now);
		/// Records success (the LMS answered 200). False if the lease was lost meanwhile.

	bool markRetry(const DeliveryJob& job, Micros retryAt, const std::string& error);
		/// Records a failed attempt and when to try again.

	bool markParked(const DeliveryJob& job, const std::string& error);
		/// Gives up: parks the delivery and retires its submission as failed.

	std::optional<Micros> nextDueTime();
		/// When the earliest pending delivery becomes due (or its lease ends).

	std::vector<DeliveryRecord> forSubmission(Poco::Int64 submissionId);

	std::vector<ParkedDelivery> listParked(std::size_t limit);
		/// Parked deliveries, oldest first.

	std::size_t resend(const std::vector<Poco::Int64>& ids, Micros now);
		/// Makes these parked deliveries (every parked one if ids is empty) pending and due
		/// now, with a fresh retry horizon; a grade's submission is graded again (pending
		/// delivery) instead of failed. Returns how many.

	std::size_t drop(const std::vector<Poco::Int64>& ids);
		/// Deletes these parked deliveries (every parked one if ids is empty): the LMS will
		/// never receive them. Returns how many.

	Micros currentTime();
		/// The store's clock (see Database).

private:
	Database& _database;
};


} // namespace XQueue


#endif // XQueue_DeliveryStore_INCLUDED

// SPDX-License-Identifier: Apache-2.0
//
// SubmissionImport.cpp
//


#include "store/SubmissionImport.h"
#include "store/BlobText.h"
#include "store/DeliveryStore.h"
#include "util/Digest.h"
#include "Poco/Nullable.h"


using namespace Poco::Data::Keywords;


namespace XQueue {


SubmissionImport::SubmissionImport(Database& database, const LeasePolicy& policy):
	_database(database),
	_counters(database),
	_policy(policy)
{
}


SubmissionImport::Outcome SubmissionImport::presence(const ImportedSubmission& submission)
{
	Outcome outcome = Outcome::IMPORTED;
	_database.read([&](Poco::Data::Session& s) { outcome = presence(s, submission); });
	return outcome;
}


SubmissionImport::Outcome SubmissionImport::presence(Poco::Data::Session& s, const ImportedSubmission& submission)
{
	std::vector<std::string> queues, callbackKeys;
	std::vector<Poco::Int64> arrivals;
	Poco::Int64 id = submission.id;
	s << "SELECT queue_name, callback_key, arrival_time FROM submissions WHERE id = ?", use(id), into(queues), into(callbackKeys),
		into(arrivals), now;
	if (queues.empty()) return Outcome::IMPORTED;
	bool same = queues[0] == submission.queueName && callbackKeys[0] == Digest::sha256Hex(submission.callbackUrl)
		&& arrivals[0] == submission.arrivalTime;
	return same ? Outcome::ALREADY_THERE : Outcome::CONFLICT;
}


SubmissionImport::Outcome SubmissionImport::import(const ImportedSubmission& submission, Micros now,
	const SubmissionStore::SubmitExtension& alsoInTransaction)
{
	std::string callbackKey = Digest::sha256Hex(submission.callbackUrl);
	auto callbackUrl = toClob(submission.callbackUrl);
	auto header = toClob(submission.header);
	auto body = toClob(submission.body);
	auto files = toClob(submission.files);
	auto reply = toClob(submission.graderReply);
	int state = static_cast<int>(submission.state);
	const bool leased = submission.state == SubmissionState::LEASED;
	Poco::Nullable<std::string> leaseKey;
	Poco::Nullable<Poco::Int64> leaseExpiresAt, pullTime, returnTime, submitter;
	if (leased) leaseKey = submission.leaseKey, leaseExpiresAt = submission.leaseExpiresAt;
	if (submission.pullTime != 0) pullTime = submission.pullTime;
	if (submission.returnTime != 0) returnTime = submission.returnTime;
	if (submission.submitterId != 0) submitter = submission.submitterId;
	int leaseCount = leased ? 1 : 0;
	Poco::Int64 id = submission.id;
	Poco::Int64 arrival = submission.arrivalTime;
	Outcome outcome = Outcome::IMPORTED;
	_database.transaction([&](Poco::Data::Session& s) {
		outcome = presence(s, submission);
		if (outcome != Outcome::IMPORTED) return;
		s << "INSERT INTO submissions (id, queue_name, state, requester_id, lms_callback_url, callback_key, xqueue_header, xqueue_body,"
			" xqueue_files, arrival_time, lease_key, lease_expires_at, lease_count, pull_time, grader_id, return_time, grader_reply, submitter_id)"
			" VALUES (?, ?, ?, ?, COALESCE(?, X''), ?, COALESCE(?, X''), COALESCE(?, X''), COALESCE(?, X''), ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			use(id), useRef(submission.queueName), use(state), useRef(submission.requesterId), use(callbackUrl), use(callbackKey),
			use(header), use(body), use(files), use(arrival), use(leaseKey), use(leaseExpiresAt), use(leaseCount),
			use(pullTime), useRef(submission.graderId), use(returnTime), use(reply), use(submitter), Poco::Data::Keywords::now;
		if (alsoInTransaction) alsoInTransaction(s, submission.id);
		if (submission.state == SubmissionState::QUEUED) _counters.adjust(s, submission.queueName, 1);
		if (submission.state == SubmissionState::GRADED)
			DeliveryStore::enqueue(s, submission.id, DeliveryKind::GRADE, submission.graderReply, now, _policy.minDeliveryAge);
	});
	return outcome;
}


} // namespace XQueue

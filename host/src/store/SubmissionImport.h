// SPDX-License-Identifier: Apache-2.0
//
// SubmissionImport.h
//
// Writes submissions that another xqueue accepted, under their own ids (a grader holding
// one posts its result by that id and its pull key), each in one transaction with what
// its state needs: the queued count, or the delivery of a result the LMS has not had.
//


#ifndef XQueue_SubmissionImport_INCLUDED
#define XQueue_SubmissionImport_INCLUDED


#include "store/Database.h"
#include "store/QueueCounters.h"
#include "store/SubmissionState.h"
#include "store/SubmissionStore.h"
#include "util/Clock.h"
#include <string>


namespace XQueue {


struct ImportedSubmission
{
	Poco::Int64 id = 0;
	std::string queueName;
	SubmissionState state = SubmissionState::QUEUED; /// QUEUED, LEASED or GRADED
	std::string requesterId;
	Poco::Int64 submitterId = 0; /// the LMS account here (0: none, never superseded by a newer submission)
	std::string callbackUrl;     /// the full lms_callback_url of the header
	std::string header;
	std::string body;
	std::string files = "{}";    /// JSON {field name: file key or URL}
	Micros arrivalTime = 0;
	std::string leaseKey;        /// LEASED: the pull key the grader holds
	Micros leaseExpiresAt = 0;
	Micros pullTime = 0;
	std::string graderId;
	std::string graderReply;     /// GRADED: the result, delivered to the LMS from here
	Micros returnTime = 0;
};


class SubmissionImport
{
public:
	enum class Outcome
	{
		IMPORTED,
		ALREADY_THERE, /// a submission with this id, queue, callback and arrival: imported before
		CONFLICT       /// another submission has this id: nothing written
	};

	SubmissionImport(Database& database, const LeasePolicy& policy);

	Outcome presence(const ImportedSubmission& submission);
		/// What import() would find (IMPORTED meaning: nothing there yet).

	Outcome import(const ImportedSubmission& submission, Micros now, const SubmissionStore::SubmitExtension& alsoInTransaction = {});
		/// alsoInTransaction records the submission's files.

private:
	Outcome presence(Poco::Data::Session& session, const ImportedSubmission& submission);

	Database& _database;
	QueueCounters _counters;
	LeasePolicy _policy;
};


} // namespace XQueue


#endif // XQueue_SubmissionImport_INCLUDED

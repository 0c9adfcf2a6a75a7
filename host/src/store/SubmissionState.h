// SPDX-License-Identifier: Apache-2.0
//
// SubmissionState.h
//


#ifndef XQueue_SubmissionState_INCLUDED
#define XQueue_SubmissionState_INCLUDED


namespace XQueue {


enum class SubmissionState: int
	/// Stored as an integer in submissions.state. "Retired" in the old server's sense
	/// is every state from Delivered on.
{
	QUEUED = 0,     /// waiting for a grader
	LEASED = 1,     /// handed out; pullable again once lease_expires_at has passed
	GRADED = 2,     /// result stored, delivery to the LMS pending
	DELIVERED = 3,  /// the LMS answered 200 to the result
	SUPERSEDED = 4, /// a newer submission with the same callback URL arrived in this queue
	FAILED = 5      /// retired unsuccessfully (leases exhausted, or delivery parked)
};


} // namespace XQueue


#endif // XQueue_SubmissionState_INCLUDED

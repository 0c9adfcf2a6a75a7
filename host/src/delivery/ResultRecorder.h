// SPDX-License-Identifier: Apache-2.0
//
// ResultRecorder.h
//
// A grader's result, recorded and on its way to the LMS: stored with its delivery in one
// transaction, the delivery leased to this host when a delivery thread is free so that it
// is attempted at once (no claim transaction), otherwise left for the delivery threads.
// One hand-off for both ways a result comes in: put_result (pull graders) and dispatch
// (push and in-process graders).
//


#ifndef XQueue_ResultRecorder_INCLUDED
#define XQueue_ResultRecorder_INCLUDED


#include "delivery/DeliveryWorker.h"
#include "store/SubmissionStore.h"
#include <functional>
#include <string>


namespace XQueue {


class ResultRecorder
{
public:
	ResultRecorder(SubmissionStore& store, DeliveryWorker& delivery);

	PutResultOutcome record(Poco::Int64 id, const std::string& key, const std::string& grade,
		const std::function<bool(const std::string& queue)>& mayGrade = {});
		/// As SubmissionStore::putResult; an ACCEPTED result's delivery is under way.

private:
	SubmissionStore& _store;
	DeliveryWorker& _delivery;
};


} // namespace XQueue


#endif // XQueue_ResultRecorder_INCLUDED

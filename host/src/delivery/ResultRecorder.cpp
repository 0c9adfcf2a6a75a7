// SPDX-License-Identifier: Apache-2.0
//
// ResultRecorder.cpp
//


#include "delivery/ResultRecorder.h"
#include <optional>


namespace XQueue {


ResultRecorder::ResultRecorder(SubmissionStore& store, DeliveryWorker& delivery):
	_store(store),
	_delivery(delivery)
{
}


PutResultOutcome ResultRecorder::record(Poco::Int64 id, const std::string& key, const std::string& grade,
	const std::function<bool(const std::string& queue)>& mayGrade)
{
	Micros now = _store.currentTime();
	std::optional<DeliveryLease> lease = _delivery.offerLease(now);
	std::optional<DeliveryJob> leased;
	PutResultOutcome outcome = _store.putResult(id, key, grade, now, lease ? &*lease : nullptr, &leased, mayGrade);
	if (outcome == PutResultOutcome::ACCEPTED)
	{
		if (leased) _delivery.deliver(std::move(*leased));
		else _delivery.notify();
	}
	return outcome;
}


} // namespace XQueue

// SPDX-License-Identifier: Apache-2.0
//
// DeliveryWorker.cpp
//


#include "delivery/DeliveryWorker.h"
#include "metrics/Metrics.h"
#include "util/SecureRandom.h"
#include "Poco/Format.h"


namespace XQueue {


namespace
{
	constexpr Micros MAX_HANDOVER_WAIT = 2 * MICROS_PER_SECOND;
}


DeliveryWorker::DeliveryWorker(DeliveryStore& store, const LmsClient& client, const RetryPolicy& policy, const DeliveryWorkerOptions& options):
	_store(store),
	_client(client),
	_policy(policy),
	_options(options),
	_logger(Poco::Logger::get("xqueue.delivery")),
	_workers(options.threads, options.pollIntervalSeconds, [this]() { return deliverOne(); })
{
}


DeliveryWorker::~DeliveryWorker()
{
	stop();
}


void DeliveryWorker::start()
{
	// Attempts this host's previous run was making when it stopped or died are due now,
	// not when their leases end.
	try
	{
		std::size_t released = _store.releaseLeasesOf(_options.hostId, _store.currentTime());
		if (released) _logger.information("%z deliveries leased by this host's previous run are due again", released);
	}
	catch (Poco::Exception& exc)
	{
		_logger.warning("cannot release the delivery leases of this host's previous run (they will expire): %s", exc.displayText());
	}
	_workers.start();
}


void DeliveryWorker::stop()
{
	_workers.stop();
}


void DeliveryWorker::notify()
{
	_workers.notify();
}


std::optional<DeliveryLease> DeliveryWorker::offerLease(Micros now)
{
	std::lock_guard<std::mutex> lock(_handedOverMutex);
	if (_handedOver.size() >= static_cast<std::size_t>(2 * _options.threads)) return std::nullopt;
	return DeliveryLease{SecureRandom::hexToken(16), _options.hostId, now + _options.leaseDuration};
}


void DeliveryWorker::deliver(DeliveryJob job)
{
	Micros wait = job.notBefore - _store.currentTime();
	{
		std::lock_guard<std::mutex> lock(_handedOverMutex);
		_handedOver.push_back(std::move(job));
	}
	if (wait > 0) _workers.notifyAt(std::chrono::steady_clock::now() + std::chrono::microseconds(wait));
	else _workers.notify();
}


std::optional<DeliveryJob> DeliveryWorker::takeHandedOver()
{
	{
		std::lock_guard<std::mutex> lock(_handedOverMutex);
		if (_handedOver.empty()) return std::nullopt;
	}
	Micros now = _store.currentTime();
	std::lock_guard<std::mutex> lock(_handedOverMutex);
	Micros earliest = 0;
	for (auto it = _handedOver.begin(); it != _handedOver.end(); )
	{
		if (it->notBefore > now)
		{
			// Its submission is too young (the LMS may not have saved its key yet).
			if (earliest == 0 || it->notBefore < earliest) earliest = it->notBefore;
			++it;
			continue;
		}
		DeliveryJob job = std::move(*it);
		it = _handedOver.erase(it);
		// The lease was sized for one attempt from notBefore: a job that waited too long
		// is left to the outbox, which hands it out again once the lease has ended.
		Micros waited = now - (job.leaseExpiresAt - _options.leaseDuration);
		if (waited <= MAX_HANDOVER_WAIT) return job;
		_logger.warning("delivery %Ld waited %Ld ms for a worker; it is attempted again when its lease ends", job.id, waited / 1000);
	}
	if (earliest) _workers.notifyAt(std::chrono::steady_clock::now() + std::chrono::microseconds(earliest - now));
	return std::nullopt;
}


bool DeliveryWorker::deliverOne()
{
	std::optional<DeliveryJob> job = takeHandedOver();
	try
	{
		if (!job) job = _store.claimDue(_store.currentTime(), _options.leaseDuration, _options.hostId);
	}
	catch (Poco::Exception& exc)
	{
		_logger.error("cannot read the delivery outbox: %s", exc.displayText());
	}
	if (!job)
	{
		_client.closeIdleConnections();
		return false;
	}
	attempt(*job);
	return true;
}


namespace
{
	const char* kindLabel(const DeliveryJob& job)
	{
		return job.kind == DeliveryKind::GRADE ? "grade" : "failure_notice";
	}
}


void DeliveryWorker::attempt(const DeliveryJob& job)
{
	DeliveryAttempt result = _client.post(job.callbackUrl, job.header, job.body, "xqueue-delivery-" + std::to_string(job.id));
	const char* kind = job.kind == DeliveryKind::GRADE ? "grade" : "failure notice";
	try
	{
		Micros now = _store.currentTime();
		Metrics& metrics = Metrics::instance();
		if (result.delivered)
		{
			metrics.add("xqueue_deliveries_total", {{"kind", kindLabel(job)}, {"outcome", "delivered"}});
			if (job.submittedAt > 0)
				metrics.observe("xqueue_end_to_end_seconds", {}, static_cast<double>(Clock::now() - job.submittedAt) / MICROS_PER_SECOND);
			if (_store.markDelivered(job, now))
				_logger.information("delivered %s of submission %Ld (attempt %d)", std::string(kind), job.submissionId, job.attempts + 1);
			else
				_logger.warning("delivered %s of submission %Ld, but its lease had ended; another attempt may repeat it", std::string(kind), job.submissionId);
			return;
		}
		int failures = job.attempts + 1;
		if (result.permanent)
		{
			metrics.add("xqueue_deliveries_total", {{"kind", kindLabel(job)}, {"outcome", "parked"}});
			_store.markParked(job, result.error);
			_logger.error("parked %s of submission %Ld: %s", std::string(kind), job.submissionId, result.error);
			return;
		}
		Micros retryAt = now + _policy.delayAfter(failures, SecureRandom::uniform());
		if (!_policy.withinHorizon(job.retryingSince, retryAt))
		{
			std::string reason = Poco::format("gave up after %d attempts: %s", failures, result.error);
			metrics.add("xqueue_deliveries_total", {{"kind", kindLabel(job)}, {"outcome", "parked"}});
			_store.markParked(job, reason);
			_logger.error("parked %s of submission %Ld: %s", std::string(kind), job.submissionId, reason);
			return;
		}
		metrics.add("xqueue_deliveries_total", {{"kind", kindLabel(job)}, {"outcome", "retry"}});
		_store.markRetry(job, retryAt, result.error);
		_logger.warning("delivery of %s of submission %Ld failed (attempt %d): %s; retrying in %.1f s",
			std::string(kind), job.submissionId, failures, result.error, static_cast<double>(retryAt - now) / MICROS_PER_SECOND);
	}
	catch (Poco::Exception& exc)
	{
		// The lease ends on its own and the delivery is retried then.
		_logger.error("cannot record the delivery of submission %Ld: %s", job.submissionId, exc.displayText());
	}
}


} // namespace XQueue

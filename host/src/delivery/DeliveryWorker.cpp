//
// DeliveryWorker.cpp
//


#include "delivery/DeliveryWorker.h"
#include "util/SecureRandom.h"
#include "Poco/Format.h"


namespace XQueue {


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


bool DeliveryWorker::deliverOne()
{
	std::optional<DeliveryJob> job;
	try
	{
		job = _store.claimDue(_store.currentTime(), _options.leaseDuration, _options.hostId);
	}
	catch (Poco::Exception& exc)
	{
		_logger.error("cannot read the delivery outbox: %s", exc.displayText());
	}
	if (!job) return false;
	attempt(*job);
	return true;
}


void DeliveryWorker::attempt(const DeliveryJob& job)
{
	DeliveryAttempt result = _client.post(job.callbackUrl, job.header, job.body);
	const char* kind = job.kind == DeliveryKind::GRADE ? "grade" : "failure notice";
	try
	{
		Micros now = _store.currentTime();
		if (result.delivered)
		{
			if (_store.markDelivered(job, now))
				_logger.information("delivered %s of submission %Ld (attempt %d)", std::string(kind), job.submissionId, job.attempts + 1);
			else
				_logger.warning("delivered %s of submission %Ld, but its lease had ended; another attempt may repeat it", std::string(kind), job.submissionId);
			return;
		}
		int failures = job.attempts + 1;
		if (result.permanent)
		{
			_store.markParked(job, result.error);
			_logger.error("parked %s of submission %Ld: %s", std::string(kind), job.submissionId, result.error);
			return;
		}
		Micros retryAt = now + _policy.delayAfter(failures, SecureRandom::uniform());
		if (!_policy.withinHorizon(job.createdAt, retryAt))
		{
			std::string reason = Poco::format("gave up after %d attempts: %s", failures, result.error);
			_store.markParked(job, reason);
			_logger.error("parked %s of submission %Ld: %s", std::string(kind), job.submissionId, reason);
			return;
		}
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

// SPDX-License-Identifier: Apache-2.0
//
// DeliveryWorker.h
//
// Threads that drain the delivery outbox: post each result to its LMS callback URL,
// retry with backoff, park what cannot be delivered within the horizon.
//


#ifndef XQueue_DeliveryWorker_INCLUDED
#define XQueue_DeliveryWorker_INCLUDED


#include "delivery/LmsClient.h"
#include "delivery/RetryPolicy.h"
#include "store/DeliveryStore.h"
#include "util/WorkerGroup.h"
#include "Poco/Logger.h"
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>


namespace XQueue {


struct DeliveryWorkerOptions
{
	int threads = 2;
	double pollIntervalSeconds = 1.0;
	Micros leaseDuration = 15 * MICROS_PER_SECOND; /// longer than one attempt can take
	std::string hostId = "localhost";               /// owner of this host's delivery leases
};


class DeliveryWorker
	/// Wakes immediately when notify() is called (a result was just committed), and
	/// otherwise looks for due work every poll interval, which also picks up deliveries
	/// left behind by a host that died mid-attempt once their lease has ended.
{
public:
	DeliveryWorker(DeliveryStore& store, const LmsClient& client, const RetryPolicy& policy, const DeliveryWorkerOptions& options);
	~DeliveryWorker();

	void start();
	void stop();
		/// Lets attempts in flight finish, then joins the threads.

	void notify();
		/// A delivery became due: a worker looks for it in the outbox.

	std::optional<DeliveryLease> offerLease(Micros now);
		/// A lease for a delivery about to be created, when this host can attempt it at
		/// once (nullopt while enough handed-over deliveries wait already). Creating the
		/// delivery leased saves the claim transaction before its first attempt.

	void deliver(DeliveryJob job);
		/// Attempts a delivery created with a lease from offerLease() next, once its
		/// notBefore has come.

private:
	std::optional<DeliveryJob> takeHandedOver();
	bool deliverOne();
	void attempt(const DeliveryJob& job);

	DeliveryStore& _store;
	const LmsClient& _client;
	RetryPolicy _policy;
	DeliveryWorkerOptions _options;
	Poco::Logger& _logger;
	std::mutex _handedOverMutex;
	std::deque<DeliveryJob> _handedOver;
	WorkerGroup _workers;
};


} // namespace XQueue


#endif // XQueue_DeliveryWorker_INCLUDED

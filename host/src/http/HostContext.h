// SPDX-License-Identifier: Apache-2.0
//
// HostContext.h
//
// What request handlers may use: settings and the services built from them, declared
// only, so that a handler includes what it uses. Owned by ServerComponents; outlives
// the HTTP server.
//


#ifndef XQueue_HostContext_INCLUDED
#define XQueue_HostContext_INCLUDED


#include <atomic>


namespace XQueue {


struct ServerSettings;
struct UploadLimits;
class Database;
class DeliveryStore;
class DeliveryWorker;
class FileLinks;
class FileStore;
class LoginThrottle;
class OutboundConnector;
class PausedQueues;
class QueueHistory;
class StoreGauges;
class QueueRuntime;
class SessionManager;
class SubmissionStore;
class UserStore;


struct HostContext
{
	const ServerSettings& settings;
	SessionManager& sessions;
	SubmissionStore& submissions;
	DeliveryWorker& delivery;
	QueueRuntime& queues;
	FileStore& files;
	FileLinks& fileLinks;
	const UploadLimits& uploadLimits;
	PausedQueues& pausedQueues;
	Database& database;
	std::atomic<bool>& draining; /// set on SIGTERM: /readyz answers 503
	UserStore& users;
	DeliveryStore& deliveries;
	QueueHistory& queueHistory;
	StoreGauges& storeGauges;
	LoginThrottle& loginThrottle;
	const OutboundConnector& outbound;
};


} // namespace XQueue


#endif // XQueue_HostContext_INCLUDED

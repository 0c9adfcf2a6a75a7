// SPDX-License-Identifier: Apache-2.0
//
// HostContext.h
//
// What request handlers may use: settings and the services built from them.
// Owned by XQueueServer; outlives the HTTP server.
//


#ifndef XQueue_HostContext_INCLUDED
#define XQueue_HostContext_INCLUDED


#include "auth/LoginThrottle.h"
#include "auth/SessionManager.h"
#include "config/ServerSettings.h"
#include "dashboard/QueueHistory.h"
#include "delivery/DeliveryWorker.h"
#include "delivery/OutboundConnector.h"
#include "files/FileLinks.h"
#include "files/FileStore.h"
#include "files/UploadLimits.h"
#include "util/AddressPrefixList.h"
#include "queue/PausedQueues.h"
#include "queue/QueueRuntime.h"
#include "store/Database.h"
#include "store/DeliveryStore.h"
#include "store/SubmissionStore.h"
#include "store/UserStore.h"
#include <atomic>


namespace XQueue {


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
	const AddressPrefixList& metricsAccess;
	std::atomic<bool>& draining; /// set on SIGTERM: /readyz answers 503
	UserStore& users;
	DeliveryStore& deliveries;
	QueueHistory& queueHistory;
	LoginThrottle& loginThrottle;
	const OutboundConnector& outbound;
};


} // namespace XQueue


#endif // XQueue_HostContext_INCLUDED

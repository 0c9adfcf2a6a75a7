//
// HostContext.h
//
// What request handlers may use: settings and the services built from them.
// Owned by XQueueServer; outlives the HTTP server.
//


#ifndef XQueue_HostContext_INCLUDED
#define XQueue_HostContext_INCLUDED


#include "auth/SessionManager.h"
#include "config/ServerSettings.h"
#include "delivery/DeliveryWorker.h"
#include "files/FileLinks.h"
#include "files/FileStore.h"
#include "files/UploadLimits.h"
#include "queue/PausedQueues.h"
#include "queue/QueueRuntime.h"
#include "store/SubmissionStore.h"


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
};


} // namespace XQueue


#endif // XQueue_HostContext_INCLUDED

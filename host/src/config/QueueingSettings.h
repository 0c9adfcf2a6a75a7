// SPDX-License-Identifier: Apache-2.0
//
// QueueingSettings.h
//
// Leases and dispatch, shared by every queue (xqueue.processing_delay,
// xqueue.max_number_of_failures, xqueue.dispatch.*).
//


#ifndef XQueue_QueueingSettings_INCLUDED
#define XQueue_QueueingSettings_INCLUDED


namespace XQueue {


struct QueueingSettings
{
	int processingDelay = 60;
	int maxNumberOfFailures = 3;
	double dispatchPollInterval = 1.0;
};


} // namespace XQueue


#endif // XQueue_QueueingSettings_INCLUDED

// SPDX-License-Identifier: Apache-2.0
//
// MetricsHandler.h
//
// GET /metrics: Prometheus text format. Per queue, from the store (index searches and
// counters only, cheap at any size): depth, in-flight leases, oldest pending age, parked
// deliveries, paused; then this process's counters and histograms (metrics/Metrics).
// Only for addresses in xqueue.metrics.allow_from (loopback by default).
//


#ifndef XQueue_MetricsHandler_INCLUDED
#define XQueue_MetricsHandler_INCLUDED


#include "http/XQueueHandler.h"


namespace XQueue {


class MetricsHandler: public XQueueHandler
{
public:
	using XQueueHandler::XQueueHandler;

protected:
	void handle(HttpExchange& exchange) override;
};


} // namespace XQueue


#endif // XQueue_MetricsHandler_INCLUDED

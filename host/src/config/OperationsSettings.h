// SPDX-License-Identifier: Apache-2.0
//
// OperationsSettings.h
//
// Metrics, dashboard and shutdown (xqueue.metrics.*, xqueue.dashboard.*, xqueue.shutdown.*).
//


#ifndef XQueue_OperationsSettings_INCLUDED
#define XQueue_OperationsSettings_INCLUDED


#include "util/AddressPrefixList.h"
#include <string>


namespace XQueue {


struct OperationsSettings
{
	AddressPrefixList metricsAllowFrom{"127.0.0.0/8, ::1"};
	double drainDelay = 0.0;
	std::string dashboardDir; /// default: ${application.dir}../share/xqueue/dashboard
	double dashboardSampleInterval = 15.0;
	double storeReadInterval = 5.0; /// /metrics' queue gauges and /readyz come from a reading this often
};


} // namespace XQueue


#endif // XQueue_OperationsSettings_INCLUDED

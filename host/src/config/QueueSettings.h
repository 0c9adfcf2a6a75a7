// SPDX-License-Identifier: Apache-2.0
//
// QueueSettings.h
//
// One queue's declaration (xqueue.queues.<id>.*).
//


#ifndef XQueue_QueueSettings_INCLUDED
#define XQueue_QueueSettings_INCLUDED


#include <map>
#include <string>


namespace XQueue {


struct QueueSettings
{
	std::string id;     /// the key segment in xqueue.queues.<id>.*
	std::string name;   /// the wire name (xqueue.queues.<id>.name, default: id)
	std::string plugin; /// grader adapter id, e.g. pull_rest
	int concurrency = 4;         /// dispatch mode: gradings in parallel
	double timeBudget = 60.0;    /// dispatch mode: seconds a grading may take
	std::string isolation = "process"; /// dispatch mode: process (worker processes) or in_process
	int maxMemoryMb = 512;       /// isolation = process: a worker's resident memory limit (0 = none)
	double maxCpuSeconds = 0;    /// isolation = process: CPU seconds one grading may use (0 = no limit)
	bool dispatchKeysSet = false; /// a key for dispatch-mode plugins only was configured
	std::map<std::string, std::string> pluginConfig; /// every other key: the plugin's
};


} // namespace XQueue


#endif // XQueue_QueueSettings_INCLUDED

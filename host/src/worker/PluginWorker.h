// SPDX-License-Identifier: Apache-2.0
//
// PluginWorker.h
//
// The worker side of process isolation: loads one plugin (the host's private copy,
// passed as a descriptor), creates its instance for one queue from the configuration
// the host sends, and calls grade() for each job the host sends, relaying complete(),
// the plugin's log lines and counters back as frames. A heartbeat thread tells the host
// it lives and ends the worker when the host is gone, whatever grade() is doing.
//
// Only the C ABI is used: the worker runs exactly what an in-process host would call.
//


#ifndef XQueue_PluginWorker_INCLUDED
#define XQueue_PluginWorker_INCLUDED


#include "channel/WorkerChannel.h"
#include "xqueue/sdk/PluginAbi.h"
#include <map>
#include <string>


namespace XQueue {


class PluginWorker
{
public:
	PluginWorker(int channelFd, int imageFd);

	int run();
		/// Serves the host until it says STOP or goes away; returns the exit code.

private:
	bool configure(const WorkerFrame& frame);
	void grade(const WorkerFrame& frame);
	void heartbeat();
	void refuse(const std::string& reason);

	static void log(void* host, int32_t level, xq_str message);
	static int64_t nowMicros(void* host);
	static void count(void* host, xq_str counter, int64_t delta);
	static int32_t configGet(void* queue, xq_str key, xq_str* value);
	static void complete(void* queue, uint64_t jobId, int32_t outcome, xq_str body);

	WorkerChannel _channel;
	int _imageFd;
	xq_host_api _hostApi{};
	xq_queue_host _queueHost{};
	const xq_plugin_descriptor* _descriptor = nullptr;
	void* _instance = nullptr;
	std::string _queueName;
	std::map<std::string, std::string> _config;
	std::uint64_t _cpuSecondsPerJob = 0;
};


} // namespace XQueue


#endif // XQueue_PluginWorker_INCLUDED

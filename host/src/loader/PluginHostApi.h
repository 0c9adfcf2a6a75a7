// SPDX-License-Identifier: Apache-2.0
//
// PluginHostApi.h
//
// The xq_host_api table the host hands every plugin: logging into Poco loggers named
// xqueue.plugin.<id>, the clock, and named counters.
//


#ifndef XQueue_PluginHostApi_INCLUDED
#define XQueue_PluginHostApi_INCLUDED


#include "xqueue/sdk/PluginAbi.h"
#include <cstdint>
#include <map>
#include <mutex>
#include <string>


namespace XQueue {


class PluginHostApi
	/// One per plugin id (so that log lines name their plugin). Thread-safe.
{
public:
	explicit PluginHostApi(const std::string& pluginId);

	PluginHostApi(const PluginHostApi&) = delete;
	PluginHostApi& operator=(const PluginHostApi&) = delete;

	const xq_host_api* table() const;

	std::map<std::string, std::int64_t> counters() const;

	void log(int32_t level, const std::string& text);
	void count(const std::string& counter, int64_t delta);
		/// What the table's functions do, for calls relayed from a worker process.

private:
	static void logThrough(void* host, int32_t level, xq_str message);
	static int64_t nowMicros(void* host);
	static void countThrough(void* host, xq_str counter, int64_t delta);

	std::string _pluginId;
	std::string _loggerName;
	xq_host_api _table;
	mutable std::mutex _mutex;
	std::map<std::string, std::int64_t> _counters;
	bool _tooManyCounters = false;

	static constexpr std::size_t MAX_COUNTERS = 100;
};


} // namespace XQueue


#endif // XQueue_PluginHostApi_INCLUDED

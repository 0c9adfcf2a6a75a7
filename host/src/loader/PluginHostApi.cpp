// SPDX-License-Identifier: Apache-2.0
//
// PluginHostApi.cpp
//


#include "loader/PluginHostApi.h"
#include "metrics/Metrics.h"
#include "util/Clock.h"
#include "Poco/Logger.h"


namespace XQueue {


PluginHostApi::PluginHostApi(const std::string& pluginId):
	_pluginId(pluginId),
	_loggerName("xqueue.plugin." + pluginId)
{
	_table.struct_size = sizeof(xq_host_api);
	_table.abi_major = XQ_ABI_MAJOR;
	_table.abi_minor = XQ_ABI_MINOR;
	_table.host = this;
	_table.log = &PluginHostApi::logThrough;
	_table.now_micros = &PluginHostApi::nowMicros;
	_table.count = &PluginHostApi::countThrough;
}


const xq_host_api* PluginHostApi::table() const
{
	return &_table;
}


std::map<std::string, std::int64_t> PluginHostApi::counters() const
{
	std::lock_guard<std::mutex> lock(_mutex);
	return _counters;
}


void PluginHostApi::logThrough(void* host, int32_t level, xq_str message)
{
	static_cast<PluginHostApi*>(host)->log(level, std::string(message.data ? message.data : "", message.data ? message.size : 0));
}


void PluginHostApi::log(int32_t level, const std::string& text)
{
	Poco::Logger& logger = Poco::Logger::get(_loggerName);
	switch (level)
	{
	case XQ_LOG_ERROR: logger.error(text); break;
	case XQ_LOG_WARNING: logger.warning(text); break;
	case XQ_LOG_INFO: logger.information(text); break;
	default: logger.debug(text); break;
	}
}


int64_t PluginHostApi::nowMicros(void*)
{
	return Clock::now();
}


void PluginHostApi::countThrough(void* host, xq_str counter, int64_t delta)
{
	static_cast<PluginHostApi*>(host)->count(std::string(counter.data ? counter.data : "", counter.data ? counter.size : 0), delta);
}


void PluginHostApi::count(const std::string& counter, int64_t delta)
{
	std::string name = counter.substr(0, 64);
	{
		std::lock_guard<std::mutex> lock(_mutex);
		// A bounded set of names per plugin: each is a series in /metrics.
		if (!_counters.count(name) && _counters.size() >= MAX_COUNTERS)
		{
			if (!_tooManyCounters)
				Poco::Logger::get(_loggerName).warning("more than %z counter names: '%s' and later new names are not counted", MAX_COUNTERS, name);
			_tooManyCounters = true;
			return;
		}
		_counters[name] += delta;
	}
	Metrics::instance().add("xqueue_plugin_counts_total", {{"plugin", _pluginId}, {"counter", name}}, static_cast<double>(delta));
}


} // namespace XQueue

// SPDX-License-Identifier: Apache-2.0
//
// PluginHostApi.cpp
//


#include "loader/PluginHostApi.h"
#include "metrics/Metrics.h"
#include "util/Clock.h"
#include <algorithm>
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
	_table.log = &PluginHostApi::log;
	_table.now_micros = &PluginHostApi::nowMicros;
	_table.count = &PluginHostApi::count;
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


void PluginHostApi::log(void* host, int32_t level, xq_str message)
{
	auto* self = static_cast<PluginHostApi*>(host);
	Poco::Logger& logger = Poco::Logger::get(self->_loggerName);
	std::string text(message.data ? message.data : "", message.data ? message.size : 0);
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


void PluginHostApi::count(void* host, xq_str counter, int64_t delta)
{
	auto* self = static_cast<PluginHostApi*>(host);
	std::string name(counter.data ? counter.data : "", counter.data ? std::min<std::size_t>(counter.size, 64) : 0);
	{
		std::lock_guard<std::mutex> lock(self->_mutex);
		// A bounded set of names per plugin: each is a series in /metrics.
		if (!self->_counters.count(name) && self->_counters.size() >= MAX_COUNTERS)
		{
			if (!self->_tooManyCounters)
				Poco::Logger::get(self->_loggerName).warning("more than %z counter names: '%s' and later new names are not counted", MAX_COUNTERS, name);
			self->_tooManyCounters = true;
			return;
		}
		self->_counters[name] += delta;
	}
	Metrics::instance().add("xqueue_plugin_counts_total", {{"plugin", self->_pluginId}, {"counter", name}}, static_cast<double>(delta));
}


} // namespace XQueue

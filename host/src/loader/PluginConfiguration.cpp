// SPDX-License-Identifier: Apache-2.0
//
// PluginConfiguration.cpp
//


#include "loader/PluginConfiguration.h"
#include "Poco/NumberParser.h"
#include "Poco/String.h"


namespace XQueue {


namespace
{
	const char* typeName(int32_t type)
	{
		switch (type)
		{
		case XQ_CONFIG_INT: return "an integer";
		case XQ_CONFIG_BOOL: return "true or false";
		case XQ_CONFIG_SECONDS: return "a number of seconds";
		default: return "text";
		}
	}

	bool valid(int32_t type, const std::string& raw)
	{
		std::string v = Poco::trim(raw);
		switch (type)
		{
		case XQ_CONFIG_INT:
		{
			Poco::Int64 n;
			return Poco::NumberParser::tryParse64(v, n);
		}
		case XQ_CONFIG_BOOL:
		{
			std::string b = Poco::toLower(v);
			return b == "true" || b == "false" || b == "yes" || b == "no" || b == "on" || b == "off" || b == "1" || b == "0";
		}
		case XQ_CONFIG_SECONDS:
		{
			double d;
			return Poco::NumberParser::tryParseFloat(v, d) && d >= 0;
		}
		default:
			return true;
		}
	}
}


PluginConfiguration::PluginConfiguration(const QueueSettings& queue, const PluginLibrary& library)
{
	const xq_plugin_descriptor& d = library.descriptor();
	const std::string prefix = "xqueue.queues." + queue.id + ".";
	std::string accepted;
	for (uint32_t i = 0; i < d.config_key_count; ++i)
		accepted += std::string(accepted.empty() ? "" : ", ") + d.config_keys[i].key;
	for (const auto& entry: queue.pluginConfig)
	{
		bool declared = false;
		for (uint32_t i = 0; i < d.config_key_count; ++i) declared = declared || entry.first == d.config_keys[i].key;
		if (!declared)
			throw PluginLoadException("unknown configuration key: " + prefix + entry.first + " (plugin '" + library.id() +
				"' accepts: " + (accepted.empty() ? "no keys" : accepted) + ")");
	}
	for (uint32_t i = 0; i < d.config_key_count; ++i)
	{
		const xq_config_key& key = d.config_keys[i];
		auto configured = queue.pluginConfig.find(key.key);
		if (configured == queue.pluginConfig.end())
		{
			if (!key.default_value)
				throw PluginLoadException(prefix + key.key + ": missing (required by plugin '" + library.id() + "')");
			_values[key.key] = key.default_value;
			continue;
		}
		if (!valid(key.type, configured->second))
			throw PluginLoadException(prefix + key.key + ": expected " + typeName(key.type) + ", found '" + configured->second + "'");
		_values[key.key] = Poco::trim(configured->second);
	}
}


const std::map<std::string, std::string>& PluginConfiguration::values() const
{
	return _values;
}


} // namespace XQueue

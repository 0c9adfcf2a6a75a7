// SPDX-License-Identifier: Apache-2.0
//
// QueueAdapter.cpp
//


#include "loader/QueueAdapter.h"
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


QueueAdapter::QueueAdapter(const QueueSettings& queue, std::shared_ptr<PluginLibrary> library):
	_library(std::move(library)),
	_queueName(queue.name)
{
	const xq_plugin_descriptor& d = _library->descriptor();
	const std::string prefix = "xqueue.queues." + queue.id + ".";
	std::string accepted;
	for (uint32_t i = 0; i < d.config_key_count; ++i)
		accepted += std::string(accepted.empty() ? "" : ", ") + d.config_keys[i].key;
	for (const auto& entry: queue.pluginConfig)
	{
		bool declared = false;
		for (uint32_t i = 0; i < d.config_key_count; ++i) declared = declared || entry.first == d.config_keys[i].key;
		if (!declared)
			throw PluginLoadException("unknown configuration key: " + prefix + entry.first + " (plugin '" + _library->id() +
				"' accepts: " + (accepted.empty() ? "no keys" : accepted) + ")");
	}
	for (uint32_t i = 0; i < d.config_key_count; ++i)
	{
		const xq_config_key& key = d.config_keys[i];
		auto configured = queue.pluginConfig.find(key.key);
		if (configured == queue.pluginConfig.end())
		{
			if (!key.default_value)
				throw PluginLoadException(prefix + key.key + ": missing (required by plugin '" + _library->id() + "')");
			_config[key.key] = key.default_value;
			continue;
		}
		if (!valid(key.type, configured->second))
			throw PluginLoadException(prefix + key.key + ": expected " + typeName(key.type) + ", found '" + configured->second + "'");
		_config[key.key] = Poco::trim(configured->second);
	}

	_host.struct_size = sizeof(xq_queue_host);
	_host.queue = this;
	_host.queue_name = xq_str{_queueName.data(), _queueName.size()};
	_host.config_get = &QueueAdapter::configGet;
	_host.complete = &QueueAdapter::complete;

	char error[1024] = {0};
	if (d.api->create(&_host, &_instance, error, sizeof(error)) != XQ_OK)
	{
		error[sizeof(error) - 1] = '\0';
		throw PluginLoadException("queue '" + _queueName + "': plugin '" + _library->id() + "' failed to start: " +
			(error[0] ? std::string(error) : std::string("no reason given")));
	}
}


QueueAdapter::~QueueAdapter()
{
	if (_instance) _library->descriptor().api->destroy(_instance);
}


bool QueueAdapter::dispatches() const
{
	return _library->descriptor().mode == XQ_MODE_DISPATCH;
}


const std::string& QueueAdapter::queueName() const
{
	return _queueName;
}


std::string QueueAdapter::pluginId() const
{
	return _library->id();
}


void QueueAdapter::onCompletion(CompletionHandler handler)
{
	std::lock_guard<std::mutex> lock(_handlerMutex);
	_handler = std::move(handler);
}


bool QueueAdapter::grade(const xq_job& job, std::string& error)
{
	char buffer[1024] = {0};
	if (_library->descriptor().api->grade(_instance, &job, buffer, sizeof(buffer)) == XQ_OK) return true;
	buffer[sizeof(buffer) - 1] = '\0';
	error = buffer[0] ? buffer : "the plugin refused the job without a reason";
	return false;
}


int32_t QueueAdapter::configGet(void* queue, xq_str key, xq_str* value)
{
	auto* self = static_cast<QueueAdapter*>(queue);
	auto it = self->_config.find(std::string(key.data ? key.data : "", key.data ? key.size : 0));
	if (it == self->_config.end()) return 0;
	if (value) *value = xq_str{it->second.data(), it->second.size()};
	return 1;
}


void QueueAdapter::complete(void* queue, std::uint64_t jobId, int32_t outcome, xq_str body)
{
	auto* self = static_cast<QueueAdapter*>(queue);
	CompletionHandler handler;
	{
		std::lock_guard<std::mutex> lock(self->_handlerMutex);
		handler = self->_handler;
	}
	if (handler) handler(jobId, outcome, std::string_view(body.data ? body.data : "", body.data ? body.size : 0));
}


} // namespace XQueue

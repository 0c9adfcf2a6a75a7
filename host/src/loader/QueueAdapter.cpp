// SPDX-License-Identifier: Apache-2.0
//
// QueueAdapter.cpp
//


#include "loader/QueueAdapter.h"


namespace XQueue {


QueueAdapter::QueueAdapter(const QueueSettings& queue, std::shared_ptr<PluginLibrary> library):
	_library(std::move(library)),
	_queueName(queue.name),
	_config(queue, *_library)
{
	const xq_plugin_descriptor& d = _library->descriptor();
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


bool QueueAdapter::gradesOnCaller() const
{
	return true;
}


void QueueAdapter::abandon(std::uint64_t)
{
	// The call runs in this process: it cannot be stopped, only left (see DispatchQueue).
}


int32_t QueueAdapter::configGet(void* queue, xq_str key, xq_str* value)
{
	auto* self = static_cast<QueueAdapter*>(queue);
	const auto& values = self->_config.values();
	auto it = values.find(std::string(key.data ? key.data : "", key.data ? key.size : 0));
	if (it == values.end()) return 0;
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

// SPDX-License-Identifier: Apache-2.0
//
// QueueAdapter.h
//
// A plugin instance serving one queue: the queue's validated plugin configuration, the
// xq_queue_host table the instance talks back through, and the instance itself.
// Holds its library, so the library outlives the instance.
//


#ifndef XQueue_QueueAdapter_INCLUDED
#define XQueue_QueueAdapter_INCLUDED


#include "config/QueueSettings.h"
#include "loader/PluginLibrary.h"
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>


namespace XQueue {


class QueueAdapter
{
public:
	using CompletionHandler = std::function<void(std::uint64_t jobId, int32_t outcome, std::string_view body)>;

	QueueAdapter(const QueueSettings& queue, std::shared_ptr<PluginLibrary> library);
		/// Validates the queue's plugin keys against the plugin's declared keys and types,
		/// then creates the instance. Throws PluginLoadException naming the key or the
		/// plugin's own error message.

	~QueueAdapter();
		/// Destroys the instance (by the plugin's own destroy function).

	QueueAdapter(const QueueAdapter&) = delete;
	QueueAdapter& operator=(const QueueAdapter&) = delete;

	bool dispatches() const;
	const std::string& queueName() const;
	std::string pluginId() const;

	void onCompletion(CompletionHandler handler);
		/// Where complete() calls from the plugin go. Set before the first grade().

	bool grade(const xq_job& job, std::string& error);
		/// Starts grading; false (with the plugin's message) if the job was not started.

private:
	static int32_t configGet(void* queue, xq_str key, xq_str* value);
	static void complete(void* queue, std::uint64_t jobId, int32_t outcome, xq_str body);

	std::shared_ptr<PluginLibrary> _library;
	std::string _queueName;
	std::map<std::string, std::string> _config;
	xq_queue_host _host;
	void* _instance = nullptr;
	std::mutex _handlerMutex;
	CompletionHandler _handler;
};


} // namespace XQueue


#endif // XQueue_QueueAdapter_INCLUDED

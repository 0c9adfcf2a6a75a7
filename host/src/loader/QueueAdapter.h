// SPDX-License-Identifier: Apache-2.0
//
// QueueAdapter.h
//
// A plugin instance serving one queue in the host's own process: the queue's validated
// plugin configuration, the xq_queue_host table the instance talks back through, and the
// instance itself (isolation = in_process, and every pull-mode plugin). Holds its
// library, so the library outlives the instance.
//


#ifndef XQueue_QueueAdapter_INCLUDED
#define XQueue_QueueAdapter_INCLUDED


#include "config/QueueSettings.h"
#include "loader/GraderAdapter.h"
#include "loader/PluginConfiguration.h"
#include "loader/PluginLibrary.h"
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>


namespace XQueue {


class QueueAdapter: public GraderAdapter
{
public:
	QueueAdapter(const QueueSettings& queue, std::shared_ptr<PluginLibrary> library);
		/// Validates the queue's plugin keys against the plugin's declared keys and types,
		/// then creates the instance. Throws PluginLoadException naming the key or the
		/// plugin's own error message.

	~QueueAdapter() override;
		/// Destroys the instance (by the plugin's own destroy function).

	QueueAdapter(const QueueAdapter&) = delete;
	QueueAdapter& operator=(const QueueAdapter&) = delete;

	bool dispatches() const;
	const std::string& queueName() const override;
	std::string pluginId() const override;
	void onCompletion(CompletionHandler handler) override;
	bool grade(const xq_job& job, std::string& error) override;
	bool gradesOnCaller() const override;
	void abandon(std::uint64_t jobId) override;

private:
	static int32_t configGet(void* queue, xq_str key, xq_str* value);
	static void complete(void* queue, std::uint64_t jobId, int32_t outcome, xq_str body);

	std::shared_ptr<PluginLibrary> _library;
	std::string _queueName;
	PluginConfiguration _config;
	xq_queue_host _host;
	void* _instance = nullptr;
	std::mutex _handlerMutex;
	CompletionHandler _handler;
};


} // namespace XQueue


#endif // XQueue_QueueAdapter_INCLUDED

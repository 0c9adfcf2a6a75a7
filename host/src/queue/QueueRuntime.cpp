// SPDX-License-Identifier: Apache-2.0
//
// QueueRuntime.cpp
//


#include "queue/QueueRuntime.h"
#include "loader/IsolatedGrader.h"
#include "loader/QueueAdapter.h"
#include "metrics/Metrics.h"
#include "Poco/Logger.h"


namespace XQueue {


QueueRuntime::QueueRuntime(const ServerSettings& settings, PluginRegistry& plugins, SubmissionStore& store, DeliveryWorker& delivery, const FileLinks& fileLinks,
	PausedQueues& paused)
{
	for (const auto& queue: settings.queues)
	{
		auto library = plugins.library(queue.plugin);
		const bool dispatches = library->descriptor().mode == XQ_MODE_DISPATCH;
		std::unique_ptr<GraderAdapter> adapter;
		if (dispatches && queue.isolation == "process")
			adapter = std::make_unique<IsolatedGrader>(queue, library, settings.plugins.worker);
		else
			adapter = std::make_unique<QueueAdapter>(queue, library);
		if (dispatches)
		{
			DispatchOptions options;
			options.concurrency = queue.concurrency;
			options.timeBudget = static_cast<Micros>(queue.timeBudget * MICROS_PER_SECOND);
			options.pollIntervalSeconds = settings.queueing.dispatchPollInterval;
			options.retryDelay = static_cast<Micros>(settings.queueing.processingDelay) * MICROS_PER_SECOND;
			options.hostId = settings.hostId;
			options.maxGradeBytes = settings.http.maxFieldBytes;
			_dispatchers[queue.name] = std::make_unique<DispatchQueue>(*adapter, store, delivery, fileLinks, paused, options);
			startCountersAtZero(queue);
		}
		else if (queue.dispatchKeysSet)
		{
			throw PluginLoadException("xqueue.queues." + queue.id + ": concurrency, time_budget, isolation, max_memory_mb and max_cpu_seconds apply to dispatch-mode plugins; '" +
				queue.plugin + "' is a pull-mode plugin");
		}
		_adapters.push_back(std::move(adapter));
	}
}


void QueueRuntime::startCountersAtZero(const QueueSettings& queue)
{
	// Every series a dispatch queue can count, at 0 from the start (so rate() sees the first).
	Metrics& m = Metrics::instance();
	for (const char* outcome: {"graded", "failed", "error", "timeout", "stuck"})
		m.add("xqueue_gradings_total", {{"queue", queue.name}, {"plugin", queue.plugin}, {"outcome", outcome}}, 0);
	for (const char* kind: {"error", "timeout", "invalid_grade"}) m.add("xqueue_plugin_errors_total", {{"plugin", queue.plugin}, {"kind", kind}}, 0);
	if (queue.isolation == "process")
	{
		for (const char* reason: {"crash", "timeout", "memory", "silent", "protocol", "replaced"})
			m.add("xqueue_plugin_worker_exits_total", {{"queue", queue.name}, {"plugin", queue.plugin}, {"reason", reason}}, 0);
	}
	else
	{
		m.add("xqueue_stuck_gradings", {{"queue", queue.name}, {"plugin", queue.plugin}}, 0);
	}
}


QueueRuntime::~QueueRuntime()
{
	stop();
	for (auto& pAdapter: _adapters)
	{
		auto it = _dispatchers.find(pAdapter->queueName());
		std::size_t abandoned = it == _dispatchers.end() ? 0 : it->second->abandonedCalls();
		if (abandoned == 0) continue;
		// Those calls still run the plugin's code: its instance and library stay, for
		// good (the process is ending), rather than be destroyed under them.
		Poco::Logger::get("xqueue.dispatch").error("queue %s: %z grade() calls of plugin %s never returned; left running at exit",
			pAdapter->queueName(), abandoned, pAdapter->pluginId());
		(void) pAdapter.release();
	}
	_dispatchers.clear();
	_adapters.clear();
}


void QueueRuntime::start()
{
	for (auto& dispatcher: _dispatchers) dispatcher.second->start();
}


void QueueRuntime::stop()
{
	for (auto& dispatcher: _dispatchers) dispatcher.second->stop();
}


void QueueRuntime::submitted(const std::string& queueName)
{
	auto it = _dispatchers.find(queueName);
	if (it != _dispatchers.end()) it->second->notify();
}


} // namespace XQueue

// SPDX-License-Identifier: Apache-2.0
//
// QueueRuntime.h
//
// Every configured queue with its adapter, and a dispatcher for each queue whose
// adapter grades (dispatch mode): in worker processes (IsolatedGrader) unless the queue
// says isolation = in_process (QueueAdapter). Pull-mode queues are served by the host's
// get_submission / put_result routes; their instances live in the host's process.
//


#ifndef XQueue_QueueRuntime_INCLUDED
#define XQueue_QueueRuntime_INCLUDED


#include "config/ServerSettings.h"
#include "loader/GraderAdapter.h"
#include "loader/PluginRegistry.h"
#include "queue/DispatchQueue.h"
#include <map>
#include <memory>
#include <string>
#include <vector>


namespace XQueue {


class QueueRuntime
{
public:
	QueueRuntime(const ServerSettings& settings, PluginRegistry& plugins, SubmissionStore& store, DeliveryWorker& delivery, const FileLinks& fileLinks,
		PausedQueues& paused);
		/// Loads each queue's plugin and creates its instance. Throws PluginLoadException
		/// (or Poco::InvalidArgumentException for host keys misused) naming the problem.

	~QueueRuntime();
		/// Stops dispatching, then destroys the instances (their libraries unload after),
		/// but never one that an abandoned grade() call still runs in.

	void start();
	void stop();

	void submitted(const std::string& queueName);
		/// Wakes the queue's dispatcher, if it has one.

private:
	static void startCountersAtZero(const QueueSettings& queue);

	std::vector<std::unique_ptr<GraderAdapter>> _adapters;
	std::map<std::string, std::unique_ptr<DispatchQueue>> _dispatchers;
};


} // namespace XQueue


#endif // XQueue_QueueRuntime_INCLUDED

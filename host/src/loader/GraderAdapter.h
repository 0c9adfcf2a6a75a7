// SPDX-License-Identifier: Apache-2.0
//
// GraderAdapter.h
//
// What a dispatch queue grades through: a dispatch-mode plugin's instance, run in the
// host's process (QueueAdapter) or in supervised worker processes (IsolatedGrader).
//


#ifndef XQueue_GraderAdapter_INCLUDED
#define XQueue_GraderAdapter_INCLUDED


#include "xqueue/sdk/PluginAbi.h"
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>


namespace XQueue {


class GraderAdapter
{
public:
	using CompletionHandler = std::function<void(std::uint64_t jobId, int32_t outcome, std::string_view body)>;

	virtual ~GraderAdapter() = default;

	virtual const std::string& queueName() const = 0;
	virtual std::string pluginId() const = 0;

	virtual void onCompletion(CompletionHandler handler) = 0;
		/// Where results go (from any thread). Set before the first grade().

	virtual bool grade(const xq_job& job, std::string& error) = 0;
		/// Starts grading; false (with the reason) if the job was not started.

	virtual bool gradesOnCaller() const = 0;
		/// grade() runs the plugin's code on the calling thread (and may never return);
		/// otherwise it only hands the job over and returns at once.

	virtual void abandon(std::uint64_t jobId) = 0;
		/// The job's time budget is over and its result will be dropped: stop it if that
		/// can be done (a worker process is killed; code in the host's process cannot be).
};


} // namespace XQueue


#endif // XQueue_GraderAdapter_INCLUDED

// SPDX-License-Identifier: Apache-2.0
//
// IsolatedGrader.h
//
// A dispatch-mode plugin run in supervised worker processes (isolation = process): the
// same .so and C ABI, loaded by xqueue-plugin-worker, one job at a time per worker, as
// many workers as the queue grades at once (started when needed). What a plugin does
// wrong then costs its worker, not the host:
//   - a worker that dies (crash, abort, stack overflow, its memory or CPU limit) fails
//     only the job it held, logged with plugin, queue, cause and submission; the next
//     start waits a backoff that doubles with each crash in a row; a submission that
//     took a worker down twice gets the failure notice (XQ_FAILED_PERMANENTLY);
//   - a job past its time budget (abandon()) gets its worker killed, with its group;
//   - a worker over max_memory_mb is killed mid-job (watched every 100 ms), or replaced
//     after a job that left it over the limit (a leak);
//   - a worker silent for 10 s (no heartbeat) is killed.
//


#ifndef XQueue_IsolatedGrader_INCLUDED
#define XQueue_IsolatedGrader_INCLUDED


#include "config/QueueSettings.h"
#include "loader/GraderAdapter.h"
#include "loader/PluginConfiguration.h"
#include "loader/PluginLibrary.h"
#include "loader/WorkerProcess.h"
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>


namespace XQueue {


class IsolatedGrader: public GraderAdapter
{
public:
	IsolatedGrader(const QueueSettings& queue, std::shared_ptr<PluginLibrary> library, const std::string& workerExecutable);
		/// Validates the plugin keys and starts the first worker, so that a plugin that
		/// cannot start stops the server at start-up with its message (PluginLoadException).

	~IsolatedGrader() override;
		/// Asks every worker to destroy its instance and exit; kills those still there
		/// after 2 s.

	IsolatedGrader(const IsolatedGrader&) = delete;
	IsolatedGrader& operator=(const IsolatedGrader&) = delete;

	const std::string& queueName() const override;
	std::string pluginId() const override;
	void onCompletion(CompletionHandler handler) override;
	bool grade(const xq_job& job, std::string& error) override;
	bool gradesOnCaller() const override;
	void abandon(std::uint64_t jobId) override;

private:
	struct Worker
		/// One worker slot: its process (replaced when it ends) and its reader thread.
	{
		std::unique_ptr<WorkerProcess> process;
		std::thread reader;
		bool running = false;   /// the reader serves the process
		bool busy = false;      /// holds a job (or is being started for one)
		bool retiring = false;  /// asked to exit after its job (over its memory limit)
		bool abandoned = false; /// its job's budget ran out: killed, no result owed
		std::uint64_t jobId = 0;
		std::int64_t submissionId = 0;
		std::string killedFor;  /// why the host killed it ("" = it ended by itself)
		std::string killedKind; /// the metric's reason label for that
	};

	Worker* reserveWorker(const xq_job& job, std::string& error);
	bool launch(Worker& worker, std::string& error);
	void serve(Worker* worker, WorkerProcess* process);
	void handle(Worker& worker, WorkerProcess& process, const WorkerFrame& frame);
	void jobEnded(Worker& worker, std::uint64_t jobId, int32_t outcome, const std::string& body);
	void ended(Worker& worker, WorkerProcess& process, int status);
	void killWorker(Worker& worker, WorkerProcess& process, const std::string& why, const std::string& kind);
	void relay(const WorkerFrame& frame);
	void deliver(std::uint64_t jobId, int32_t outcome, const std::string& body);

	std::shared_ptr<PluginLibrary> _library;
	std::string _queueName;
	PluginConfiguration _config;
	WorkerLaunch _launch;
	std::uint64_t _memoryLimit;

	std::mutex _mutex;
	std::vector<std::unique_ptr<Worker>> _workers;
	std::map<std::int64_t, int> _crashesBySubmission;
	int _crashesInARow = 0;
	std::chrono::steady_clock::time_point _nextStart;
	bool _stopping = false;

	std::mutex _handlerMutex; // held while a result is handed over, so that clearing the handler waits for it
	CompletionHandler _handler;
};


} // namespace XQueue


#endif // XQueue_IsolatedGrader_INCLUDED

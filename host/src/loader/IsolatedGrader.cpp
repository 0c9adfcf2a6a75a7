// SPDX-License-Identifier: Apache-2.0
//
// IsolatedGrader.cpp
//


#include "loader/IsolatedGrader.h"
#include "metrics/Metrics.h"
#include "util/Clock.h"
#include "Poco/Logger.h"
#include <algorithm>
#include <cmath>


namespace XQueue {


namespace
{
	constexpr int WATCH_INTERVAL_MILLIS = 100;
	constexpr auto SILENCE_LIMIT = std::chrono::seconds(10); // heartbeats come every second
	constexpr auto STOP_GRACE = std::chrono::seconds(2);
	constexpr std::size_t REMEMBERED_CRASHES = 10000;
	constexpr int CRASHES_BEFORE_GIVING_UP = 2; // per submission

	std::chrono::milliseconds backoffAfter(int crashesInARow)
		/// 100 ms after the first crash, doubling, at most 10 s.
	{
		int doublings = std::min(crashesInARow - 1, 7);
		return std::min(std::chrono::milliseconds(100 << std::max(doublings, 0)), std::chrono::milliseconds(10000));
	}

	std::string configurationPayload(const QueueSettings& queue, const PluginConfiguration& config)
	{
		FrameWriter out;
		out.text(queue.name);
		out.integer(static_cast<std::uint64_t>(queue.maxMemoryMb) << 20);
		out.integer(static_cast<std::uint64_t>(std::ceil(queue.maxCpuSeconds)));
		out.integer(config.values().size());
		for (const auto& entry: config.values()) out.text(entry.first).text(entry.second);
		return out.payload();
	}
}


IsolatedGrader::IsolatedGrader(const QueueSettings& queue, std::shared_ptr<PluginLibrary> library, const std::string& workerExecutable):
	_library(std::move(library)),
	_queueName(queue.name),
	_config(queue, *_library),
	_memoryLimit(static_cast<std::uint64_t>(queue.maxMemoryMb) << 20)
{
	_launch.executable = workerExecutable;
	_launch.pluginId = _library->id();
	_launch.queueName = _queueName;
	_launch.imageFd = _library->imageDescriptor();
	_launch.configuration = configurationPayload(queue, _config);

	auto first = std::make_unique<Worker>();
	first->busy = true;
	std::string error;
	if (!launch(*first, error)) throw PluginLoadException(error);
	std::lock_guard<std::mutex> lock(_mutex);
	first->busy = false;
	_workers.push_back(std::move(first));
}


IsolatedGrader::~IsolatedGrader()
{
	{
		std::lock_guard<std::mutex> lock(_mutex);
		_stopping = true;
		for (auto& worker: _workers)
		{
			if (worker->running) worker->process->channel().send(FrameType::STOP);
		}
	}
	const auto until = std::chrono::steady_clock::now() + STOP_GRACE;
	for (;;)
	{
		bool anyRunning = false;
		{
			std::lock_guard<std::mutex> lock(_mutex);
			for (auto& worker: _workers) anyRunning = anyRunning || worker->running;
		}
		if (!anyRunning || std::chrono::steady_clock::now() >= until) break;
		std::this_thread::sleep_for(std::chrono::milliseconds(10));
	}
	std::vector<std::unique_ptr<Worker>> workers;
	{
		std::lock_guard<std::mutex> lock(_mutex);
		for (auto& worker: _workers)
		{
			if (worker->running) worker->process->kill();
		}
		workers.swap(_workers);
	}
	for (auto& worker: workers)
	{
		if (worker->reader.joinable()) worker->reader.join();
	}
}


const std::string& IsolatedGrader::queueName() const
{
	return _queueName;
}


std::string IsolatedGrader::pluginId() const
{
	return _library->id();
}


void IsolatedGrader::onCompletion(CompletionHandler handler)
{
	std::lock_guard<std::mutex> lock(_handlerMutex);
	_handler = std::move(handler);
}


bool IsolatedGrader::gradesOnCaller() const
{
	return false;
}


bool IsolatedGrader::grade(const xq_job& job, std::string& error)
{
	Worker* worker = reserveWorker(job, error);
	if (!worker) return false;
	WorkerProcess* process = nullptr;
	{
		std::lock_guard<std::mutex> lock(_mutex);
		process = worker->process.get();
	}
	FrameWriter out;
	out.integer(job.job_id).integer(static_cast<std::uint64_t>(job.submission_id)).integer(static_cast<std::uint64_t>(job.deadline_micros));
	out.text(std::string_view(job.body.data ? job.body.data : "", job.body.data ? job.body.size : 0));
	out.text(std::string_view(job.files.data ? job.files.data : "", job.files.data ? job.files.size : 0));
	// A worker that died meanwhile fails this job through its reader, as a crash would.
	process->channel().send(FrameType::JOB, out.payload());
	return true;
}


void IsolatedGrader::abandon(std::uint64_t jobId)
{
	std::lock_guard<std::mutex> lock(_mutex);
	for (auto& worker: _workers)
	{
		if (worker->busy && worker->jobId == jobId && worker->running)
		{
			worker->abandoned = true;
			worker->killedFor = "was killed: its job's time budget ran out";
			worker->killedKind = "timeout";
			worker->process->kill();
		}
	}
}


IsolatedGrader::Worker* IsolatedGrader::reserveWorker(const xq_job& job, std::string& error)
{
	std::unique_lock<std::mutex> lock(_mutex);
	if (_stopping)
	{
		error = "the server is stopping";
		return nullptr;
	}
	auto take = [&](Worker& worker) {
		// The job is the worker's from here: if it dies before the job reaches it, its
		// reader fails the job.
		worker.busy = true;
		worker.abandoned = false;
		worker.jobId = job.job_id;
		worker.submissionId = job.submission_id;
	};
	for (auto& worker: _workers)
	{
		if (worker->running && !worker->busy && !worker->retiring)
		{
			take(*worker);
			return worker.get();
		}
	}
	// None idle: a slot whose worker ended is started again (or a new slot, while one
	// killed at its budget is still being reaped).
	Worker* slot = nullptr;
	for (auto& worker: _workers)
	{
		if (!worker->running && !worker->busy) slot = worker.get();
	}
	if (!slot)
	{
		_workers.push_back(std::make_unique<Worker>());
		slot = _workers.back().get();
	}
	take(*slot);
	auto wait = _nextStart - std::chrono::steady_clock::now();
	const int crashesInARow = _crashesInARow;
	lock.unlock();
	if (wait > std::chrono::steady_clock::duration::zero())
	{
		// After crashes in a row, starts are spaced out; a job whose budget ends first
		// is not started at all (a failed attempt, retried later).
		if (Clock::now() + std::chrono::duration_cast<std::chrono::microseconds>(wait).count() >= job.deadline_micros)
		{
			error = "the plugin's worker process is restarting after " + std::to_string(crashesInARow) + " crashes in a row";
			std::lock_guard<std::mutex> relock(_mutex);
			slot->busy = false;
			return nullptr;
		}
		std::this_thread::sleep_for(wait);
	}
	if (!launch(*slot, error))
	{
		std::lock_guard<std::mutex> relock(_mutex);
		slot->busy = false;
		++_crashesInARow;
		_nextStart = std::chrono::steady_clock::now() + backoffAfter(_crashesInARow);
		Poco::Logger::get("xqueue.dispatch").error("queue %s: %s", _queueName, error);
		return nullptr;
	}
	return slot;
}


bool IsolatedGrader::launch(Worker& worker, std::string& error)
	/// Starts a process for a reserved slot whose previous one (if any) has ended.
{
	if (worker.reader.joinable()) worker.reader.join();
	std::unique_ptr<WorkerProcess> process;
	try
	{
		process = WorkerProcess::start(_launch, [this](const WorkerFrame& frame) { relay(frame); });
	}
	catch (PluginLoadException& exc)
	{
		error = exc.message();
		return false;
	}
	Metrics::instance().add("xqueue_plugin_workers_started_total", {{"queue", _queueName}, {"plugin", _library->id()}});
	std::lock_guard<std::mutex> lock(_mutex);
	worker.process = std::move(process);
	worker.running = true;
	worker.retiring = false;
	worker.abandoned = false;
	worker.killedFor.clear();
	worker.killedKind.clear();
	worker.reader = std::thread(&IsolatedGrader::serve, this, &worker, worker.process.get());
	return true;
}


void IsolatedGrader::serve(Worker* worker, WorkerProcess* process)
{
	auto lastHeard = std::chrono::steady_clock::now();
	for (;;)
	{
		if (!process->channel().readable(WATCH_INTERVAL_MILLIS))
		{
			bool busy;
			{
				std::lock_guard<std::mutex> lock(_mutex);
				busy = worker->busy && !worker->abandoned;
			}
			std::uint64_t resident = busy && _memoryLimit ? process->residentBytes() : 0;
			if (resident > _memoryLimit)
				killWorker(*worker, *process, "was killed: it used " + std::to_string(resident >> 20) + " MiB, over its limit of " +
					std::to_string(_memoryLimit >> 20) + " MiB (max_memory_mb)", "memory");
			else if (std::chrono::steady_clock::now() - lastHeard > SILENCE_LIMIT)
				killWorker(*worker, *process, "was killed: it sent no heartbeat for 10 s", "silent");
			continue;
		}
		auto frame = process->channel().receive();
		if (!frame) break;
		lastHeard = std::chrono::steady_clock::now();
		try
		{
			handle(*worker, *process, *frame);
		}
		catch (const FrameFormatException&)
		{
			killWorker(*worker, *process, "was killed: it sent a malformed message", "protocol");
		}
	}
	// The channel ended: the worker exited, or closed it (and is then made to exit).
	process->kill();
	ended(*worker, *process, process->wait());
}


void IsolatedGrader::handle(Worker& worker, WorkerProcess& process, const WorkerFrame& frame)
{
	switch (frame.type)
	{
	case FrameType::LOG:
	case FrameType::COUNT:
		relay(frame);
		break;
	case FrameType::NOT_STARTED:
	{
		FrameReader in(frame.payload);
		std::uint64_t jobId = in.integer();
		std::string error = in.text();
		jobEnded(worker, jobId, XQ_FAILED, error.empty() ? "the plugin refused the job without a reason" : error);
		break;
	}
	case FrameType::COMPLETED:
	{
		FrameReader in(frame.payload);
		std::uint64_t jobId = in.integer();
		auto outcome = static_cast<int32_t>(in.signedInteger());
		std::string body = in.text();
		jobEnded(worker, jobId, outcome, body);
		// A leak shows between jobs: the worker is replaced rather than left to grow.
		std::uint64_t resident = _memoryLimit ? process.residentBytes() : 0;
		if (resident > _memoryLimit)
		{
			{
				std::lock_guard<std::mutex> lock(_mutex);
				worker.retiring = true;
			}
			Poco::Logger::get("xqueue.dispatch").warning("queue %s: the worker of plugin %s (pid %d) uses %Lu MiB after a job, over max_memory_mb %Lu: replaced",
				_queueName, _library->id(), static_cast<int>(process.pid()), static_cast<Poco::UInt64>(resident >> 20),
				static_cast<Poco::UInt64>(_memoryLimit >> 20));
			Metrics::instance().add("xqueue_plugin_worker_exits_total", {{"queue", _queueName}, {"plugin", _library->id()}, {"reason", "replaced"}});
			process.channel().send(FrameType::STOP);
		}
		break;
	}
	default:
		break; // HEARTBEAT: heard from
	}
}


void IsolatedGrader::jobEnded(Worker& worker, std::uint64_t jobId, int32_t outcome, const std::string& body)
{
	{
		std::lock_guard<std::mutex> lock(_mutex);
		if (!worker.busy || worker.jobId != jobId || worker.abandoned) return; // late, or given up on
		worker.busy = false;
		_crashesInARow = 0;
		_crashesBySubmission.erase(worker.submissionId);
	}
	deliver(jobId, outcome, body);
}


void IsolatedGrader::ended(Worker& worker, WorkerProcess& process, int status)
{
	bool heldJob = false;
	std::uint64_t jobId = 0;
	std::int64_t submissionId = 0;
	int crashesOfSubmission = 0;
	std::string cause;
	std::string kind;
	bool expected = false;
	{
		std::lock_guard<std::mutex> lock(_mutex);
		heldJob = worker.busy && !worker.abandoned && worker.jobId != 0;
		jobId = worker.jobId;
		submissionId = worker.submissionId;
		expected = _stopping || (worker.retiring && !heldJob) || worker.abandoned;
		cause = worker.killedFor.empty() ? WorkerProcess::describe(status) : worker.killedFor;
		kind = worker.killedKind.empty() ? "crash" : worker.killedKind;
		if (heldJob && !_stopping)
		{
			if (_crashesBySubmission.size() >= REMEMBERED_CRASHES) _crashesBySubmission.clear();
			crashesOfSubmission = ++_crashesBySubmission[submissionId];
		}
		if (!expected)
		{
			++_crashesInARow;
			_nextStart = std::chrono::steady_clock::now() + backoffAfter(_crashesInARow);
		}
		worker.running = false;
		worker.busy = false;
		worker.retiring = false;
		worker.jobId = 0;
	}
	if (expected && kind != "timeout") return;
	Poco::Logger& logger = Poco::Logger::get("xqueue.dispatch");
	const std::string plugin = _library->id();
	Metrics::instance().add("xqueue_plugin_worker_exits_total", {{"queue", _queueName}, {"plugin", plugin}, {"reason", kind}});
	if (kind == "timeout")
	{
		logger.warning("queue %s: the worker of plugin %s (pid %d) grading submission %Ld %s", _queueName, plugin, static_cast<int>(process.pid()),
			static_cast<Poco::Int64>(submissionId), cause);
		return;
	}
	if (!heldJob || _stopping)
	{
		logger.error("queue %s: the idle worker of plugin %s (pid %d) %s", _queueName, plugin, static_cast<int>(process.pid()), cause);
		return;
	}
	const bool givingUp = crashesOfSubmission >= CRASHES_BEFORE_GIVING_UP;
	logger.error("queue %s: the worker of plugin %s (pid %d) %s while grading submission %Ld (%d time%s for it)%s", _queueName, plugin,
		static_cast<int>(process.pid()), cause, static_cast<Poco::Int64>(submissionId), crashesOfSubmission,
		std::string(crashesOfSubmission == 1 ? "" : "s"), std::string(givingUp ? ": not graded again" : ""));
	deliver(jobId, givingUp ? XQ_FAILED_PERMANENTLY : XQ_FAILED,
		"the plugin's worker process " + cause + (givingUp ? "; it did so " + std::to_string(crashesOfSubmission) + " times on this submission" : ""));
}


void IsolatedGrader::killWorker(Worker& worker, WorkerProcess& process, const std::string& why, const std::string& kind)
{
	{
		std::lock_guard<std::mutex> lock(_mutex);
		if (!worker.killedFor.empty()) return;
		worker.killedFor = why;
		worker.killedKind = kind;
	}
	process.kill();
}


void IsolatedGrader::relay(const WorkerFrame& frame)
{
	try
	{
		FrameReader in(frame.payload);
		if (frame.type == FrameType::LOG)
		{
			auto level = static_cast<int32_t>(in.signedInteger());
			_library->hostApi().log(level, in.text());
		}
		else if (frame.type == FrameType::COUNT)
		{
			std::string name = in.text();
			_library->hostApi().count(name, in.signedInteger());
		}
	}
	catch (const FrameFormatException&)
	{
		// A garbled log line or count is dropped; the worker's jobs are unaffected.
	}
}


void IsolatedGrader::deliver(std::uint64_t jobId, int32_t outcome, const std::string& body)
{
	std::lock_guard<std::mutex> lock(_handlerMutex);
	if (_handler) _handler(jobId, outcome, body);
}


} // namespace XQueue

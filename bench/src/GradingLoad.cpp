// SPDX-License-Identifier: Apache-2.0
//
// GradingLoad.cpp
//


#include "GradingLoad.h"
#include "util/Clock.h"
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>


namespace XQueueBench {


namespace
{
	class Completions
		/// The adapter's results, waited for by job id.
	{
	public:
		void completed(std::uint64_t jobId)
		{
			std::lock_guard<std::mutex> lock(_mutex);
			_done[jobId] = true;
			_changed.notify_all();
		}

		bool waitFor(std::uint64_t jobId)
		{
			std::unique_lock<std::mutex> lock(_mutex);
			bool done = _changed.wait_for(lock, std::chrono::seconds(60), [&]() { return _done.count(jobId) > 0; });
			_done.erase(jobId);
			return done;
		}

	private:
		std::mutex _mutex;
		std::condition_variable _changed;
		std::map<std::uint64_t, bool> _done;
	};

	bool gradeOne(XQueue::GraderAdapter& adapter, Completions& completions, const std::string& body, std::uint64_t jobId)
	{
		xq_job job{};
		job.struct_size = sizeof(xq_job);
		job.job_id = jobId;
		job.submission_id = static_cast<std::int64_t>(jobId);
		job.body = xq_str{body.data(), body.size()};
		job.files = xq_str{"{}", 2};
		job.deadline_micros = XQueue::Clock::now() + 60 * XQueue::MICROS_PER_SECOND;
		std::string error;
		return adapter.grade(job, error) && completions.waitFor(jobId);
	}

	double percentile(std::vector<double> values, double p)
	{
		if (values.empty()) return 0;
		std::sort(values.begin(), values.end());
		return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
	}
}


GradingFigures measureGradings(XQueue::GraderAdapter& adapter, const std::string& body, int oneAtATime, int callers, double seconds)
{
	Completions completions;
	adapter.onCompletion([&](std::uint64_t jobId, int32_t, std::string_view) { completions.completed(jobId); });
	std::atomic<std::uint64_t> nextJob{1};
	GradingFigures figures;

	std::vector<double> micros;
	for (int i = 0; i < oneAtATime; ++i)
	{
		auto started = std::chrono::steady_clock::now();
		if (!gradeOne(adapter, completions, body, nextJob++)) break;
		micros.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - started).count());
	}
	figures.p50Micros = percentile(micros, 0.50);
	figures.p99Micros = percentile(micros, 0.99);

	std::atomic<long> graded{0};
	const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
	std::vector<std::thread> threads;
	std::mutex concurrentMutex;
	std::vector<double> concurrent;
	auto started = std::chrono::steady_clock::now();
	for (int t = 0; t < callers; ++t)
	{
		threads.emplace_back([&]() {
			while (std::chrono::steady_clock::now() < until)
			{
				auto one = std::chrono::steady_clock::now();
				if (!gradeOne(adapter, completions, body, nextJob++)) break;
				++graded;
				std::lock_guard<std::mutex> lock(concurrentMutex);
				concurrent.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - one).count());
			}
		});
	}
	for (auto& t: threads) t.join();
	figures.perSecond = static_cast<double>(graded) / std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
	figures.concurrentP50Micros = percentile(concurrent, 0.50);
	adapter.onCompletion(nullptr);
	return figures;
}


} // namespace XQueueBench

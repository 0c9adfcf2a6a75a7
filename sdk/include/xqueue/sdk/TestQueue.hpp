// SPDX-License-Identifier: Apache-2.0
//
// TestQueue.hpp
//
// A plugin's own unit tests without a server: TestQueue drives a plugin through its C
// ABI the way the host does - xq_plugin_entry, the declared keys checked and their
// defaults filled in, create(), grade(), complete(), destroy() - and collects its grades,
// log lines and counters.
//
//     #include "xqueue/sdk/TestQueue.hpp"
//     extern "C" const xq_plugin_descriptor* xq_plugin_entry(const xq_host_api*);
//
//     xqueue::sdk::TestQueue queue(&xq_plugin_entry, {{"min_words", "3"}});
//     auto result = queue.grade(R"({"student_response": "one two three"})");
//     assert(result.outcome == XQ_GRADED);
//
// Link the plugin's sources (not its .so) into the test executable. Header-only.
//

#ifndef XQUEUE_SDK_TEST_QUEUE_HPP
#define XQUEUE_SDK_TEST_QUEUE_HPP

#include "xqueue/sdk/PluginAbi.h"
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace xqueue::sdk {

class TestQueue
{
public:
	struct Result
	{
		int32_t outcome = XQ_FAILED; // XQ_GRADED, XQ_FAILED, XQ_FAILED_PERMANENTLY
		std::string body;            // the grade, or the reason
		bool started = true;         // false: grade() refused the job (body is its message)
	};

	TestQueue(xq_plugin_entry_fn entry, std::map<std::string, std::string> config, std::string queueName = "test"):
		_queueName(std::move(queueName))
	{
		_hostApi.struct_size = sizeof(xq_host_api);
		_hostApi.abi_major = XQ_ABI_MAJOR;
		_hostApi.abi_minor = XQ_ABI_MINOR;
		_hostApi.host = this;
		_hostApi.log = &TestQueue::log;
		_hostApi.now_micros = &TestQueue::now;
		_hostApi.count = &TestQueue::count;
		_descriptor = entry(&_hostApi);
		if (!_descriptor) throw std::runtime_error("xq_plugin_entry returned no descriptor");
		if (_descriptor->abi_major != XQ_ABI_MAJOR) throw std::runtime_error("the plugin was built for another ABI major");
		for (const auto& entryPair: config)
		{
			if (!declared(entryPair.first)) throw std::invalid_argument("unknown configuration key: " + entryPair.first);
		}
		for (uint32_t i = 0; i < _descriptor->config_key_count; ++i)
		{
			const xq_config_key& key = _descriptor->config_keys[i];
			auto given = config.find(key.key);
			if (given == config.end())
			{
				if (!key.default_value) throw std::invalid_argument(std::string(key.key) + ": missing (required by the plugin)");
				_config[key.key] = key.default_value;
			}
			else
			{
				checkType(key, given->second);
				_config[key.key] = given->second;
			}
		}
		_queue.struct_size = sizeof(xq_queue_host);
		_queue.queue = this;
		_queue.queue_name = xq_str{_queueName.data(), _queueName.size()};
		_queue.config_get = &TestQueue::configGet;
		_queue.complete = &TestQueue::complete;
		char error[1024] = {0};
		if (_descriptor->api->create(&_queue, &_instance, error, sizeof(error)) != XQ_OK)
			throw std::runtime_error(std::string("the plugin failed to start: ") + error);
	}

	~TestQueue()
	{
		if (_instance) _descriptor->api->destroy(_instance);
	}

	TestQueue(const TestQueue&) = delete;
	TestQueue& operator=(const TestQueue&) = delete;

	Result grade(const std::string& body, const std::string& files = "{}", std::chrono::milliseconds within = std::chrono::seconds(10))
		/// One job, waited for; throws std::runtime_error if no result comes within the time.
	{
		if (!_descriptor->api->grade) throw std::logic_error("a pull-mode plugin does not grade");
		xq_job job{};
		job.struct_size = sizeof(xq_job);
		{
			std::lock_guard<std::mutex> lock(_mutex);
			job.job_id = ++_lastJob;
		}
		job.submission_id = static_cast<int64_t>(job.job_id);
		job.body = xq_str{body.data(), body.size()};
		job.files = xq_str{files.data(), files.size()};
		job.deadline_micros = now(nullptr) + std::chrono::duration_cast<std::chrono::microseconds>(within).count();
		char error[1024] = {0};
		if (_descriptor->api->grade(_instance, &job, error, sizeof(error)) != XQ_OK) return Result{XQ_FAILED, error, false};
		std::unique_lock<std::mutex> lock(_mutex);
		if (!_completed.wait_for(lock, within, [&]() { return _results.count(job.job_id) > 0; }))
			throw std::runtime_error("no result within the time given");
		Result result = _results[job.job_id];
		_results.erase(job.job_id);
		return result;
	}

	std::vector<std::string> logs() const
		/// "LEVEL message" lines, oldest first (levels: ERROR, WARNING, INFO, DEBUG).
	{
		std::lock_guard<std::mutex> lock(_mutex);
		return _logs;
	}

	int64_t counter(const std::string& name) const
	{
		std::lock_guard<std::mutex> lock(_mutex);
		auto it = _counts.find(name);
		return it == _counts.end() ? 0 : it->second;
	}

private:
	bool declared(const std::string& name) const
	{
		for (uint32_t i = 0; i < _descriptor->config_key_count; ++i)
		{
			if (name == _descriptor->config_keys[i].key) return true;
		}
		return false;
	}

	static void checkType(const xq_config_key& key, const std::string& value)
	{
		bool ok = true;
		try
		{
			std::size_t used = 0;
			if (key.type == XQ_CONFIG_INT) ok = (std::stoll(value, &used), used == value.size());
			else if (key.type == XQ_CONFIG_SECONDS) ok = std::stod(value, &used) >= 0 && used == value.size();
			else if (key.type == XQ_CONFIG_BOOL)
				ok = value == "true" || value == "false" || value == "yes" || value == "no" || value == "on" || value == "off" || value == "1" || value == "0";
		}
		catch (const std::exception&)
		{
			ok = false;
		}
		if (!ok) throw std::invalid_argument(std::string(key.key) + ": '" + value + "' is not of the declared type");
	}

	static void log(void* host, int32_t level, xq_str message)
	{
		auto* self = static_cast<TestQueue*>(host);
		const char* name = level <= XQ_LOG_ERROR ? "ERROR" : level == XQ_LOG_WARNING ? "WARNING" : level == XQ_LOG_INFO ? "INFO" : "DEBUG";
		std::lock_guard<std::mutex> lock(self->_mutex);
		self->_logs.push_back(std::string(name) + " " + std::string(message.data ? message.data : "", message.data ? message.size : 0));
	}

	static int64_t now(void*)
	{
		return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
	}

	static void count(void* host, xq_str counter, int64_t delta)
	{
		auto* self = static_cast<TestQueue*>(host);
		std::lock_guard<std::mutex> lock(self->_mutex);
		self->_counts[std::string(counter.data ? counter.data : "", counter.data ? counter.size : 0)] += delta;
	}

	static int32_t configGet(void* queue, xq_str key, xq_str* value)
	{
		auto* self = static_cast<TestQueue*>(queue);
		auto it = self->_config.find(std::string(key.data ? key.data : "", key.data ? key.size : 0));
		if (it == self->_config.end()) return 0;
		if (value) *value = xq_str{it->second.data(), it->second.size()};
		return 1;
	}

	static void complete(void* queue, uint64_t jobId, int32_t outcome, xq_str body)
	{
		auto* self = static_cast<TestQueue*>(queue);
		std::lock_guard<std::mutex> lock(self->_mutex);
		if (self->_results.count(jobId)) throw std::logic_error("complete() called twice for one job");
		self->_results[jobId] = Result{outcome, std::string(body.data ? body.data : "", body.data ? body.size : 0), true};
		self->_completed.notify_all();
	}

	std::string _queueName;
	xq_host_api _hostApi{};
	xq_queue_host _queue{};
	const xq_plugin_descriptor* _descriptor = nullptr;
	void* _instance = nullptr;
	std::map<std::string, std::string> _config;
	mutable std::mutex _mutex;
	std::condition_variable _completed;
	std::map<uint64_t, Result> _results;
	uint64_t _lastJob = 0;
	std::vector<std::string> _logs;
	std::map<std::string, int64_t> _counts;
};

} // namespace xqueue::sdk

#endif // XQUEUE_SDK_TEST_QUEUE_HPP

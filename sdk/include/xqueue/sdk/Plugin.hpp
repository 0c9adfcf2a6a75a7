// SPDX-License-Identifier: Apache-2.0
//
// Plugin.hpp
//
// The C++ layer for writing a grader adapter. It is compiled into the plugin and never
// crosses the binary boundary: the host only ever sees PluginAbi.h. Write a class
// derived from GraderAdapter, then declare it once:
//
//     static const xq_config_key KEYS[] = {
//         {"answer_field", XQ_CONFIG_STRING, "answer", "Key of the answer in grader_payload."},
//     };
//
//     class MyGrader: public xqueue::sdk::GraderAdapter
//     {
//     public:
//         explicit MyGrader(const xqueue::sdk::QueueHost& queue): GraderAdapter(queue) {}
//         void grade(const xqueue::sdk::Job& job, xqueue::sdk::Completion done) override
//         {
//             done.graded(xqueue::sdk::gradeJson(true, 1.0, "<p>Correct.</p>"));
//         }
//     };
//
//     XQ_DECLARE_PLUGIN(MyGrader, "my_grader", "1.0.0", XQ_MODE_DISPATCH, "What it does.", XQ_PLUGIN_KEYS(KEYS))
//
// Rules (see docs/plugin-abi.md):
// - The constructor runs once per queue on the host's main thread: read and check the
//   configuration there, and throw (any std::exception) to refuse to start.
// - grade() runs on host worker threads, concurrently for different jobs. Call the
//   Completion exactly once, now or later from any thread (move it there), before the
//   instance is destroyed.
// - An exception escaping grade() is caught by the SDK and fails the job.
// - Do no work in static initializers; do not keep threads running past the destructor.
//

#ifndef XQUEUE_SDK_PLUGIN_HPP
#define XQUEUE_SDK_PLUGIN_HPP

#include "xqueue/sdk/PluginAbi.h"
#include <cstdlib>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>

namespace xqueue::sdk {

inline xq_str toXq(std::string_view s)
{
	return xq_str{s.data(), s.size()};
}

inline std::string_view fromXq(xq_str s)
{
	return s.data ? std::string_view(s.data, s.size) : std::string_view();
}

// The process-wide services of the host: logging, clock, counters.
class Host
{
public:
	static void attach(const xq_host_api* api) { slot() = api; }

	static void log(int32_t level, std::string_view message)
	{
		const xq_host_api* api = slot();
		if (api && api->log) api->log(api->host, level, toXq(message));
	}
	static void error(std::string_view message) { log(XQ_LOG_ERROR, message); }
	static void warning(std::string_view message) { log(XQ_LOG_WARNING, message); }
	static void info(std::string_view message) { log(XQ_LOG_INFO, message); }
	static void debug(std::string_view message) { log(XQ_LOG_DEBUG, message); }

	static int64_t nowMicros()
	{
		const xq_host_api* api = slot();
		return api && api->now_micros ? api->now_micros(api->host) : 0;
	}

	static void count(std::string_view counter, int64_t delta = 1)
	{
		const xq_host_api* api = slot();
		if (api && api->count) api->count(api->host, toXq(counter), delta);
	}

private:
	// The plugin's own, even in a plugin built with every symbol visible: GCC makes the
	// static of a visible inline function one object for the whole process (STB_GNU_UNIQUE,
	// RTLD_LOCAL or not), and the last plugin loaded would take every plugin's logs and counts.
	__attribute__((visibility("hidden"))) static const xq_host_api*& slot()
	{
		static const xq_host_api* api = nullptr;
		return api;
	}
};

// One queue's view of the host: its name and its validated configuration.
class QueueHost
{
public:
	explicit QueueHost(const xq_queue_host* queue): _queue(queue) {}

	std::string name() const { return std::string(fromXq(_queue->queue_name)); }

	// The value of a key the plugin declared (its default when not configured).
	std::string config(std::string_view key) const
	{
		xq_str value{nullptr, 0};
		if (!_queue->config_get || !_queue->config_get(_queue->queue, toXq(key), &value))
			throw std::invalid_argument("configuration key not declared by the plugin: " + std::string(key));
		return std::string(fromXq(value));
	}

	long long configInt(std::string_view key) const { return std::stoll(config(key)); }

	double configSeconds(std::string_view key) const { return std::stod(config(key)); }

	bool configBool(std::string_view key) const
	{
		std::string v = config(key);
		for (auto& c: v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
		return v == "true" || v == "yes" || v == "on" || v == "1";
	}

	const xq_queue_host* raw() const { return _queue; }

private:
	const xq_queue_host* _queue;
};

// One submission to grade, copied out of the host's buffers.
struct Job
{
	uint64_t id = 0;
	int64_t submissionId = 0;
	std::string body;  // the LMS's xqueue_body
	std::string files; // JSON text of {field name: URL}
	int64_t deadlineMicros = 0;
};

// Hands back the result of one job, exactly once: move-only, and spent by its first
// use (a second use throws std::logic_error). Move it to wherever the result will come
// from (a thread, a callback). One destroyed unused - grade() returned, nothing kept it -
// fails the job at once ("... without completing the job") instead of leaving the host
// to wait for the time budget; not while an exception leaves grade(), which the host
// reports itself.
class Completion
{
public:
	Completion(const xq_queue_host* queue, uint64_t jobId): _queue(queue), _jobId(jobId), _exceptions(std::uncaught_exceptions()) {}

	Completion(Completion&& other) noexcept: _queue(other._queue), _jobId(other._jobId), _exceptions(other._exceptions)
	{
		other._queue = nullptr;
	}
	Completion& operator=(Completion&&) = delete;
	Completion(const Completion&) = delete;
	Completion& operator=(const Completion&) = delete;

	~Completion()
	{
		if (_queue && std::uncaught_exceptions() <= _exceptions)
			complete(XQ_FAILED, "the plugin's grade() returned without completing the job or keeping its Completion");
	}

	void graded(std::string_view grade) { complete(XQ_GRADED, grade); }
	void failed(std::string_view reason) { complete(XQ_FAILED, reason); }
	void failedPermanently(std::string_view reason) { complete(XQ_FAILED_PERMANENTLY, reason); }
		/// Retrying cannot help: the LMS gets the failure notice now (ABI 1.1).
	uint64_t jobId() const { return _jobId; }
	bool pending() const { return _queue != nullptr; }

private:
	void complete(int32_t outcome, std::string_view body)
	{
		if (!_queue) throw std::logic_error("this job's Completion was already used (or moved from)");
		const xq_queue_host* queue = _queue;
		_queue = nullptr;
		queue->complete(queue->queue, _jobId, outcome, toXq(body));
	}

	const xq_queue_host* _queue;
	uint64_t _jobId;
	int _exceptions;
};

// Base class of every adapter.
class GraderAdapter
{
public:
	explicit GraderAdapter(const QueueHost& queue): _queue(queue) {}
	virtual ~GraderAdapter() = default;

	GraderAdapter(const GraderAdapter&) = delete;
	GraderAdapter& operator=(const GraderAdapter&) = delete;

	// Dispatch mode: grade job and call done exactly once. Pull-mode adapters keep this.
	virtual void grade(const Job& job, Completion done) { (void) job; done.failed("this adapter does not grade"); }

	const QueueHost& queue() const { return _queue; }

private:
	QueueHost _queue;
};

namespace detail {

inline void writeError(char* buffer, std::size_t size, std::string_view message)
{
	if (!buffer || size == 0) return;
	std::size_t n = message.size() < size - 1 ? message.size() : size - 1;
	std::memcpy(buffer, message.data(), n);
	buffer[n] = '\0';
}

// Runs work, turning any exception into XQ_ERROR and a message: nothing thrown by
// plugin code may cross the C boundary.
template <class Work>
int32_t guarded(char* error, std::size_t errorSize, Work&& work) noexcept
{
	try
	{
		work();
		return XQ_OK;
	}
	catch (const std::exception& exc)
	{
		writeError(error, errorSize, exc.what());
	}
	catch (...)
	{
		writeError(error, errorSize, "unknown exception");
	}
	return XQ_ERROR;
}

template <class Adapter>
int32_t create(const xq_queue_host* queue, void** instance, char* error, std::size_t errorSize) noexcept
{
	return guarded(error, errorSize, [&]() { *instance = static_cast<GraderAdapter*>(new Adapter(QueueHost(queue))); });
}

inline void destroy(void* instance) noexcept
{
	try
	{
		delete static_cast<GraderAdapter*>(instance);
	}
	catch (...)
	{
		std::abort(); // a throwing destructor is a plugin bug that must not go unnoticed
	}
}

inline int32_t grade(void* instance, const xq_job* raw, char* error, std::size_t errorSize) noexcept
{
	auto* adapter = static_cast<GraderAdapter*>(instance);
	return guarded(error, errorSize, [&]() {
		Job job;
		job.id = raw->job_id;
		job.submissionId = raw->submission_id;
		job.body = std::string(fromXq(raw->body));
		job.files = std::string(fromXq(raw->files));
		job.deadlineMicros = raw->deadline_micros;
		adapter->grade(job, Completion(adapter->queue().raw(), raw->job_id));
	});
}

} // namespace detail

} // namespace xqueue::sdk

#define XQ_PLUGIN_KEYS(array) array, static_cast<uint32_t>(sizeof(array) / sizeof((array)[0]))
#define XQ_NO_KEYS nullptr, 0u

// Declares the plugin: exports the single entry symbol returning the descriptor.
#define XQ_DECLARE_PLUGIN(AdapterClass, ID, VERSION, MODE, DESCRIPTION, KEYS) \
	extern "C" XQ_EXPORT const xq_plugin_descriptor* xq_plugin_entry(const xq_host_api* host) \
	{ \
		static const xq_plugin_api api = { \
			sizeof(xq_plugin_api), \
			&::xqueue::sdk::detail::create<AdapterClass>, \
			&::xqueue::sdk::detail::destroy, \
			(MODE) == XQ_MODE_DISPATCH ? &::xqueue::sdk::detail::grade : nullptr}; \
		static const xq_plugin_descriptor descriptor = { \
			sizeof(xq_plugin_descriptor), XQ_ABI_MAJOR, XQ_ABI_MINOR, ID, VERSION, DESCRIPTION, (MODE), KEYS, &api}; \
		::xqueue::sdk::Host::attach(host); \
		return &descriptor; \
	}

#endif // XQUEUE_SDK_PLUGIN_HPP

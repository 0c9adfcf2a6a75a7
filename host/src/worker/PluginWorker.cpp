// SPDX-License-Identifier: Apache-2.0
//
// PluginWorker.cpp
//


#include "worker/PluginWorker.h"
#include <chrono>
#include <ctime>
#include <dlfcn.h>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>


namespace XQueue {


namespace
{
	std::string view(xq_str s)
	{
		return std::string(s.data ? s.data : "", s.data ? s.size : 0);
	}

	bool sanitized()
	{
#if defined(__SANITIZE_ADDRESS__)
		return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
		return true;
#else
		return false;
#endif
#else
		return false;
#endif
	}
}


PluginWorker::PluginWorker(int channelFd, int imageFd):
	_channel(channelFd),
	_imageFd(imageFd)
{
	_hostApi.struct_size = sizeof(xq_host_api);
	_hostApi.abi_major = XQ_ABI_MAJOR;
	_hostApi.abi_minor = XQ_ABI_MINOR;
	_hostApi.host = this;
	_hostApi.log = &PluginWorker::log;
	_hostApi.now_micros = &PluginWorker::nowMicros;
	_hostApi.count = &PluginWorker::count;
}


int PluginWorker::run()
{
	std::thread(&PluginWorker::heartbeat, this).detach();
	auto first = _channel.receive();
	if (!first || first->type != FrameType::CONFIGURE) return 2;
	if (!configure(*first)) return 1;
	for (;;)
	{
		auto frame = _channel.receive();
		if (!frame) ::_exit(0); // the host is gone: nothing to hand results to
		if (frame->type == FrameType::JOB) grade(*frame);
		else if (frame->type == FrameType::STOP) break;
	}
	_descriptor->api->destroy(_instance);
	return 0;
}


bool PluginWorker::configure(const WorkerFrame& frame)
{
	std::uint64_t memoryLimit = 0;
	try
	{
		FrameReader in(frame.payload);
		_queueName = in.text();
		memoryLimit = in.integer();
		_cpuSecondsPerJob = in.integer();
		for (std::uint64_t n = in.integer(); n > 0; --n)
		{
			std::string key = in.text();
			_config[key] = in.text();
		}
	}
	catch (const FrameFormatException& exc)
	{
		refuse(std::string("malformed configuration: ") + exc.what());
		return false;
	}
	// A crash is reported by the host; a core file per crash would fill the disk.
	struct rlimit noCore{0, 0};
	::setrlimit(RLIMIT_CORE, &noCore);
	// The host watches the worker's resident memory; the address-space limit is only a
	// backstop against an allocation too fast to watch (generous: address space is not
	// memory). AddressSanitizer reserves terabytes of address space, so not under it.
	if (memoryLimit > 0 && !sanitized())
	{
		rlim_t space = static_cast<rlim_t>(memoryLimit) * 4 + (rlim_t(1) << 30);
		struct rlimit limit{space, space};
		::setrlimit(RLIMIT_AS, &limit);
	}

	const std::string image = "/proc/self/fd/" + std::to_string(_imageFd);
	void* library = ::dlopen(image.c_str(), RTLD_NOW | RTLD_LOCAL);
	if (!library)
	{
		const char* error = ::dlerror();
		refuse(std::string("cannot load the plugin: ") + (error ? error : "unknown error"));
		return false;
	}
	::close(_imageFd);
	auto entry = reinterpret_cast<xq_plugin_entry_fn>(::dlsym(library, XQ_ENTRY_SYMBOL));
	_descriptor = entry ? entry(&_hostApi) : nullptr;
	// The host checked this file's descriptor before starting workers; only what the
	// worker relies on is checked again.
	if (!_descriptor || _descriptor->abi_major != XQ_ABI_MAJOR || !_descriptor->api || !_descriptor->api->create || !_descriptor->api->grade)
	{
		refuse("the plugin has no usable descriptor");
		return false;
	}

	_queueHost.struct_size = sizeof(xq_queue_host);
	_queueHost.queue = this;
	_queueHost.queue_name = xq_str{_queueName.data(), _queueName.size()};
	_queueHost.config_get = &PluginWorker::configGet;
	_queueHost.complete = &PluginWorker::complete;
	char error[1024] = {0};
	if (_descriptor->api->create(&_queueHost, &_instance, error, sizeof(error)) != XQ_OK)
	{
		error[sizeof(error) - 1] = '\0';
		refuse(error[0] ? error : "no reason given");
		return false;
	}
	_channel.send(FrameType::READY);
	return true;
}


void PluginWorker::grade(const WorkerFrame& frame)
{
	xq_job job{};
	std::string body;
	std::string files;
	try
	{
		FrameReader in(frame.payload);
		job.job_id = in.integer();
		job.submission_id = in.signedInteger();
		job.deadline_micros = in.signedInteger();
		body = in.text();
		files = in.text();
	}
	catch (const FrameFormatException&)
	{
		return; // the host times the job out
	}
	job.struct_size = sizeof(xq_job);
	job.body = xq_str{body.data(), body.size()};
	job.files = xq_str{files.data(), files.size()};
	if (_cpuSecondsPerJob > 0)
	{
		// The limit counts from now: SIGXCPU ends the worker when this job has used it.
		struct rusage usage{};
		::getrusage(RUSAGE_SELF, &usage);
		rlim_t used = static_cast<rlim_t>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + 1);
		struct rlimit limit{};
		::getrlimit(RLIMIT_CPU, &limit);
		limit.rlim_cur = used + static_cast<rlim_t>(_cpuSecondsPerJob);
		if (limit.rlim_max != RLIM_INFINITY && limit.rlim_cur > limit.rlim_max) limit.rlim_cur = limit.rlim_max;
		::setrlimit(RLIMIT_CPU, &limit);
	}
	char error[1024] = {0};
	int32_t status = XQ_ERROR;
	try
	{
		status = _descriptor->api->grade(_instance, &job, error, sizeof(error));
	}
	catch (...)
	{
		std::snprintf(error, sizeof(error), "%s", "the plugin's grade function threw across the ABI");
	}
	error[sizeof(error) - 1] = '\0';
	// A started job says nothing more until complete(): one message per grading.
	if (status != XQ_OK) _channel.send(FrameType::NOT_STARTED, FrameWriter().integer(job.job_id).text(error).payload());
}


void PluginWorker::heartbeat()
{
	const pid_t parent = ::getppid();
	for (;;)
	{
		std::this_thread::sleep_for(std::chrono::seconds(1));
		// The host died (its end of the socket closed, or this worker was re-parented):
		// end now, even while grade() hangs, instead of outliving it.
		if (::getppid() != parent || !_channel.send(FrameType::HEARTBEAT)) ::_exit(0);
	}
}


void PluginWorker::refuse(const std::string& reason)
{
	_channel.send(FrameType::REFUSED, FrameWriter().text(reason).payload());
}


void PluginWorker::log(void* host, int32_t level, xq_str message)
{
	auto* self = static_cast<PluginWorker*>(host);
	self->_channel.send(FrameType::LOG, FrameWriter().integer(static_cast<std::uint64_t>(static_cast<std::int64_t>(level))).text(view(message)).payload());
}


int64_t PluginWorker::nowMicros(void*)
{
	struct timespec now{};
	::clock_gettime(CLOCK_REALTIME, &now);
	return static_cast<int64_t>(now.tv_sec) * 1000000 + now.tv_nsec / 1000;
}


void PluginWorker::count(void* host, xq_str counter, int64_t delta)
{
	auto* self = static_cast<PluginWorker*>(host);
	self->_channel.send(FrameType::COUNT, FrameWriter().text(view(counter)).integer(static_cast<std::uint64_t>(delta)).payload());
}


int32_t PluginWorker::configGet(void* queue, xq_str key, xq_str* value)
{
	auto* self = static_cast<PluginWorker*>(queue);
	auto it = self->_config.find(view(key));
	if (it == self->_config.end()) return 0;
	if (value) *value = xq_str{it->second.data(), it->second.size()};
	return 1;
}


void PluginWorker::complete(void* queue, uint64_t jobId, int32_t outcome, xq_str body)
{
	auto* self = static_cast<PluginWorker*>(queue);
	self->_channel.send(FrameType::COMPLETED,
		FrameWriter().integer(jobId).integer(static_cast<std::uint64_t>(static_cast<std::int64_t>(outcome))).text(view(body)).payload());
}


} // namespace XQueue

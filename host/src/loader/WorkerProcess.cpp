// SPDX-License-Identifier: Apache-2.0
//
// WorkerProcess.cpp
//


#include "loader/WorkerProcess.h"
#include "loader/PluginLibrary.h"
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>


extern char** environ;


namespace XQueue {


namespace
{
	// Secrets of the host a plugin has no business reading.
	const char* const WITHHELD_VARIABLES[] = {"XQUEUE_STORE_PASSWORD="};

	std::vector<std::string> workerEnvironment()
	{
		std::vector<std::string> variables;
		for (char** entry = environ; *entry; ++entry)
		{
			bool withheld = false;
			for (const char* prefix: WITHHELD_VARIABLES) withheld = withheld || std::strncmp(*entry, prefix, std::strlen(prefix)) == 0;
			if (!withheld) variables.emplace_back(*entry);
		}
		return variables;
	}

	int aboveTargets(int fd)
		/// A descriptor numbered above the ones the worker gets (dup2 of a descriptor onto
		/// its own number would keep its close-on-exec flag).
	{
		if (fd > 4) return fd;
		int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 10);
		if (moved < 0) throw PluginLoadException("cannot prepare a worker's descriptors: " + std::string(std::strerror(errno)));
		return moved;
	}

	class SpawnSettings
		/// posix_spawn's attribute and file-action objects, destroyed on every path.
	{
	public:
		SpawnSettings()
		{
			::posix_spawnattr_init(&attributes);
			::posix_spawn_file_actions_init(&actions);
		}
		~SpawnSettings()
		{
			::posix_spawnattr_destroy(&attributes);
			::posix_spawn_file_actions_destroy(&actions);
		}
		SpawnSettings(const SpawnSettings&) = delete;
		SpawnSettings& operator=(const SpawnSettings&) = delete;

		posix_spawnattr_t attributes;
		posix_spawn_file_actions_t actions;
	};
}


WorkerProcess::WorkerProcess(pid_t pid, int channelFd):
	_pid(pid),
	_channel(channelFd)
{
}


std::unique_ptr<WorkerProcess> WorkerProcess::start(const WorkerLaunch& launch, const Relay& relay)
{
	const std::string what = "queue '" + launch.queueName + "': plugin '" + launch.pluginId + "' worker (" + launch.executable + "): ";
	int ends[2];
	if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0)
		throw PluginLoadException(what + "cannot make its channel: " + std::strerror(errno));
	int hostEnd = ends[0];
	int workerEnd = -1;
	int image = -1;
	try
	{
		workerEnd = aboveTargets(ends[1]);
		if (workerEnd != ends[1]) ::close(ends[1]);
		image = aboveTargets(launch.imageFd);
	}
	catch (...)
	{
		::close(hostEnd);
		::close(workerEnd >= 0 ? workerEnd : ends[1]);
		throw;
	}

	SpawnSettings spawn;
	sigset_t none;
	sigset_t all;
	::sigemptyset(&none);
	::sigfillset(&all);
	::posix_spawnattr_setflags(&spawn.attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	::posix_spawnattr_setpgroup(&spawn.attributes, 0);
	::posix_spawnattr_setsigmask(&spawn.attributes, &none);
	::posix_spawnattr_setsigdefault(&spawn.attributes, &all);
	::posix_spawn_file_actions_addopen(&spawn.actions, 0, "/dev/null", O_RDONLY, 0);
	::posix_spawn_file_actions_adddup2(&spawn.actions, workerEnd, 3);
	::posix_spawn_file_actions_adddup2(&spawn.actions, image, 4);

	std::vector<std::string> arguments = {launch.executable, launch.pluginId, launch.queueName};
	std::vector<char*> argv;
	for (auto& a: arguments) argv.push_back(a.data());
	argv.push_back(nullptr);
	std::vector<std::string> variables = workerEnvironment();
	std::vector<char*> envp;
	for (auto& v: variables) envp.push_back(v.data());
	envp.push_back(nullptr);

	pid_t pid = -1;
	int error = ::posix_spawn(&pid, launch.executable.c_str(), &spawn.actions, &spawn.attributes, argv.data(), envp.data());
	::close(workerEnd);
	if (image != launch.imageFd) ::close(image);
	if (error != 0)
	{
		::close(hostEnd);
		throw PluginLoadException(what + "cannot be started: " + std::strerror(error));
	}
	std::unique_ptr<WorkerProcess> worker(new WorkerProcess(pid, hostEnd));

	worker->_channel.send(FrameType::CONFIGURE, launch.configuration);
	const auto deadline = std::chrono::steady_clock::now() + launch.startTimeout;
	for (;;)
	{
		auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
		if (left <= 0 || !worker->_channel.readable(static_cast<int>(left)))
			throw PluginLoadException(what + "did not start within " + std::to_string(launch.startTimeout.count() / 1000) + " s");
		auto frame = worker->_channel.receive();
		if (!frame)
		{
			worker->kill();
			throw PluginLoadException(what + "ended while starting: " + describe(worker->wait()));
		}
		if (frame->type == FrameType::READY) return worker;
		if (frame->type == FrameType::REFUSED)
		{
			std::string reason;
			try { reason = FrameReader(frame->payload).text(); } catch (const FrameFormatException&) {}
			throw PluginLoadException("queue '" + launch.queueName + "': plugin '" + launch.pluginId + "' failed to start: " +
				(reason.empty() ? "no reason given" : reason));
		}
		if (frame->type == FrameType::LOG || frame->type == FrameType::COUNT) relay(*frame);
	}
}


WorkerProcess::~WorkerProcess()
{
	kill();
	wait();
}


pid_t WorkerProcess::pid() const
{
	return _pid;
}


WorkerChannel& WorkerProcess::channel()
{
	return _channel;
}


void WorkerProcess::kill()
{
	std::lock_guard<std::mutex> lock(_waitMutex);
	// Once reaped, the group id may belong to another process.
	if (!_reaped) ::kill(-_pid, SIGKILL);
}


std::uint64_t WorkerProcess::residentBytes() const
{
	std::ifstream statm("/proc/" + std::to_string(_pid) + "/statm");
	std::uint64_t size = 0;
	std::uint64_t resident = 0;
	if (!(statm >> size >> resident)) return 0;
	return resident * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}


int WorkerProcess::wait()
{
	// Waited for without reaping: until it is reaped, its pid (and so its group id) can
	// name no other process, and a kill() meanwhile is safe.
	siginfo_t info{};
	while (::waitid(P_PID, static_cast<id_t>(_pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR) {}
	std::lock_guard<std::mutex> lock(_waitMutex);
	if (_reaped) return _status;
	::kill(-_pid, SIGKILL); // what it started and left behind goes with it
	int status = 0;
	pid_t r;
	do r = ::waitpid(_pid, &status, 0); while (r < 0 && errno == EINTR);
	_status = r == _pid ? status : 0;
	_reaped = true;
	return _status;
}


std::string WorkerProcess::describe(int status)
{
	if (WIFEXITED(status)) return "exited with code " + std::to_string(WEXITSTATUS(status));
	if (WIFSIGNALED(status))
	{
		int signal = WTERMSIG(status);
		const char* name = ::sigabbrev_np(signal);
		const char* text = ::sigdescr_np(signal);
		return "died of signal " + (name ? "SIG" + std::string(name) : std::to_string(signal)) + (text ? " (" + std::string(text) + ")" : "");
	}
	return "ended (status " + std::to_string(status) + ")";
}


} // namespace XQueue

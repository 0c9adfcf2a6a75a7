// SPDX-License-Identifier: Apache-2.0
//
// ChildProcess.hpp
//
// Starting a program from a plugin safely: posix_spawn with an empty signal mask and
// default signal actions (the host blocks SIGTERM and friends in its threads, and a
// child would inherit that), only stdin (/dev/null), stdout and stderr (pipes) and the
// descriptors asked for, a process group of its own (so that killing it kills what it
// started), and exactly the environment given. Then its output is collected under a
// wall-clock limit and a size cap; past either, the whole group is killed.
//
// popen() and system() do none of this. Header-only, POSIX, glibc >= 2.34.
//

#ifndef XQUEUE_SDK_CHILD_PROCESS_HPP
#define XQUEUE_SDK_CHILD_PROCESS_HPP

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace xqueue::sdk {

struct ChildResult
{
	int status = 0;              // as waitpid() reports it
	bool timedOut = false;       // killed at the wall-clock limit
	bool outputTruncated = false; // killed for writing more than the cap
	std::string output;          // stdout, at most the cap
	std::string errors;          // stderr, at most the cap

	bool exitedCleanly() const { return !timedOut && !outputTruncated && WIFEXITED(status) && WEXITSTATUS(status) == 0; }
};

class ChildProcess
{
public:
	struct Options
	{
		std::vector<std::string> arguments;   // arguments[0]: the program's path
		std::vector<std::string> environment; // "NAME=value", the child's whole environment
		std::string workingDirectory;         // empty: the caller's
	};

	static ChildProcess start(const Options& options)
		/// Throws std::runtime_error if the program cannot be started.
	{
		if (options.arguments.empty()) throw std::runtime_error("no program to start");
		int out[2];
		int err[2];
		if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
		if (::pipe2(err, O_CLOEXEC) != 0)
		{
			::close(out[0]);
			::close(out[1]);
			throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
		}
		posix_spawn_file_actions_t actions;
		posix_spawnattr_t attributes;
		::posix_spawn_file_actions_init(&actions);
		::posix_spawnattr_init(&attributes);
		::posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
		::posix_spawn_file_actions_adddup2(&actions, out[1], 1);
		::posix_spawn_file_actions_adddup2(&actions, err[1], 2);
		::posix_spawn_file_actions_addclosefrom_np(&actions, 3);
		if (!options.workingDirectory.empty()) ::posix_spawn_file_actions_addchdir_np(&actions, options.workingDirectory.c_str());
		sigset_t none;
		sigset_t all;
		::sigemptyset(&none);
		::sigfillset(&all);
		::posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
		::posix_spawnattr_setpgroup(&attributes, 0);
		::posix_spawnattr_setsigmask(&attributes, &none);
		::posix_spawnattr_setsigdefault(&attributes, &all);

		std::vector<std::string> arguments = options.arguments;
		std::vector<std::string> environment = options.environment;
		std::vector<char*> argv;
		std::vector<char*> envp;
		for (auto& a: arguments) argv.push_back(a.data());
		for (auto& e: environment) envp.push_back(e.data());
		argv.push_back(nullptr);
		envp.push_back(nullptr);
		pid_t pid = -1;
		int error = ::posix_spawn(&pid, argv[0], &actions, &attributes, argv.data(), envp.data());
		::posix_spawn_file_actions_destroy(&actions);
		::posix_spawnattr_destroy(&attributes);
		::close(out[1]);
		::close(err[1]);
		if (error != 0)
		{
			::close(out[0]);
			::close(err[0]);
			throw std::runtime_error("cannot start " + options.arguments[0] + ": " + std::strerror(error));
		}
		return ChildProcess(pid, out[0], err[0]);
	}

	ChildProcess(ChildProcess&& other) noexcept: _pid(other._pid), _out(other._out), _err(other._err)
	{
		other._pid = -1;
		other._out = other._err = -1;
	}
	ChildProcess& operator=(ChildProcess&&) = delete;
	ChildProcess(const ChildProcess&) = delete;
	ChildProcess& operator=(const ChildProcess&) = delete;

	~ChildProcess()
		/// A child never waited for is killed (with its group) and reaped.
	{
		if (_pid > 0)
		{
			killGroup();
			reap();
		}
		closePipes();
	}

	pid_t pid() const { return _pid; }

	void killGroup() const
	{
		if (_pid > 0) ::kill(-_pid, SIGKILL);
	}

	ChildResult wait(std::chrono::milliseconds limit, std::size_t outputCap)
		/// Collects stdout and stderr until both end, then reaps the child. Past the limit,
		/// or once either stream exceeds outputCap bytes, kills the group first.
	{
		ChildResult result;
		const auto deadline = std::chrono::steady_clock::now() + limit;
		bool killed = false;
		while (_out >= 0 || _err >= 0)
		{
			auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
			if (left <= 0 && !killed)
			{
				result.timedOut = true;
				killGroup();
				killed = true;
			}
			struct pollfd fds[2] = {{_out, POLLIN, 0}, {_err, POLLIN, 0}};
			int ready = ::poll(fds, 2, killed ? 1000 : static_cast<int>(std::max<long long>(left, 1)));
			if (ready < 0 && errno != EINTR) break;
			if (killed && ready == 0) break; // a grandchild outside the group holds a pipe: give up on it
			drain(_out, fds[0].revents, result.output, outputCap, result.outputTruncated, killed);
			drain(_err, fds[1].revents, result.errors, outputCap, result.outputTruncated, killed);
		}
		closePipes();
		result.status = reap();
		return result;
	}

private:
	ChildProcess(pid_t pid, int out, int err): _pid(pid), _out(out), _err(err) {}

	void drain(int& fd, short revents, std::string& into, std::size_t cap, bool& truncated, bool& killed)
	{
		if (fd < 0 || !(revents & (POLLIN | POLLHUP | POLLERR))) return;
		char buffer[65536];
		ssize_t n = ::read(fd, buffer, sizeof(buffer));
		if (n <= 0)
		{
			if (n < 0 && errno == EINTR) return;
			::close(fd);
			fd = -1;
			return;
		}
		std::size_t room = cap > into.size() ? cap - into.size() : 0;
		into.append(buffer, std::min(room, static_cast<std::size_t>(n)));
		if (static_cast<std::size_t>(n) > room && !killed)
		{
			truncated = true;
			killGroup();
			killed = true;
		}
	}

	int reap()
	{
		int status = 0;
		pid_t r;
		do r = ::waitpid(_pid, &status, 0); while (r < 0 && errno == EINTR);
		_pid = -1;
		return status;
	}

	void closePipes()
	{
		if (_out >= 0) ::close(_out);
		if (_err >= 0) ::close(_err);
		_out = _err = -1;
	}

	pid_t _pid;
	int _out;
	int _err;
};

} // namespace xqueue::sdk

#endif // XQUEUE_SDK_CHILD_PROCESS_HPP

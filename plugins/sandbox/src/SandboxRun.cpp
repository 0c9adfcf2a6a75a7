// SPDX-License-Identifier: Apache-2.0
//
// SandboxRun.cpp
//


#include "SandboxRun.h"
#include <chrono>
#include <cmath>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>


namespace XQueuePlugin {


namespace
{
	constexpr long SHARED_RUNS = 16;

	long tasksOfThisUser()
		/// Threads of every process of this user: what RLIMIT_NPROC counts.
	{
		namespace fs = std::filesystem;
		const uid_t me = ::geteuid();
		long tasks = 0;
		std::error_code error;
		for (fs::directory_iterator it("/proc", error), end; !error && it != end; it.increment(error))
		{
			const std::string name = it->path().filename().string();
			struct stat owner{};
			if (name.find_first_not_of("0123456789") != std::string::npos || ::stat(it->path().c_str(), &owner) != 0 || owner.st_uid != me) continue;
			std::error_code taskError;
			for (fs::directory_iterator task(it->path() / "task", taskError), last; !taskError && task != last; task.increment(taskError)) ++tasks;
		}
		return tasks;
	}

	void systemDirectories(std::vector<std::string>& args)
		/// /usr read-only, and the top-level links into it (merged /usr), or the
		/// directories themselves where they are not links.
	{
		namespace fs = std::filesystem;
		args.insert(args.end(), {"--ro-bind", "/usr", "/usr"});
		for (const char* name: {"bin", "sbin", "lib", "lib32", "lib64", "libx32"})
		{
			const fs::path path = fs::path("/") / name;
			std::error_code error;
			auto status = fs::symlink_status(path, error);
			if (error || !fs::exists(status)) continue;
			if (fs::is_symlink(status))
				args.insert(args.end(), {"--symlink", fs::read_symlink(path, error).string(), path.string()});
			else if (fs::is_directory(status))
				args.insert(args.end(), {"--ro-bind", path.string(), path.string()});
		}
	}
}


std::vector<std::string> SandboxRun::arguments(const SandboxSetup& setup, const SandboxLimits& limits, const SandboxJob& job)
{
	const long long mib = 1 << 20;
	const bool root = ::geteuid() == 0;
	// RLIMIT_NPROC counts every thread of the run's user. As root each run has a user of
	// its own. Otherwise runs share the host's user, whose threads count too, and so do
	// other runs started meanwhile: the limit is then the user's threads now plus room
	// for SHARED_RUNS runs - looser, but a fork bomb still ends there.
	const long processes = root ? limits.processes : tasksOfThisUser() + limits.processes * SHARED_RUNS;
	std::vector<std::string> args = {PRLIMIT,
		"--cpu=" + std::to_string(limits.cpuSeconds),
		"--as=" + std::to_string(limits.memoryMb * mib),
		"--nproc=" + std::to_string(processes),
		"--fsize=" + std::to_string(limits.fileMb * mib),
		"--nofile=" + std::to_string(limits.openFiles),
		"--core=0",
		"--"};
	if (root)
	{
		// Never as root; and each run its own user, which the process limit counts.
		const std::string id = std::to_string(setup.uidBase + (job.submissionId & 0xffff));
		args.insert(args.end(), {SETPRIV, "--reuid=" + id, "--regid=" + id, "--clear-groups", "--"});
	}
	args.insert(args.end(), {BWRAP, "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL"});
	systemDirectories(args);
	args.insert(args.end(), {"--proc", "/proc", "--dev", "/dev", "--size", std::to_string(limits.tmpMb * mib), "--tmpfs", "/tmp"});
	for (const auto& path: setup.readOnlyPaths) args.insert(args.end(), {"--ro-bind", path, path});
	args.insert(args.end(), {"--ro-bind", setup.graderRoot, "/grader", "--chdir", "/grader", "--"});
	args.insert(args.end(), setup.command.begin(), setup.command.end());
	args.push_back("/grader/" + job.graderPath);
	args.push_back(std::to_string(job.seed));
	return args;
}


xqueue::sdk::ChildResult SandboxRun::run(const SandboxSetup& setup, const SandboxLimits& limits, const SandboxJob& job)
{
	xqueue::sdk::ChildProcess::Options options;
	options.arguments = arguments(setup, limits, job);
	options.environment = {"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/tmp", "LANG=C.UTF-8", "SUBMISSION_CODE=" + job.code,
		"GRADER_LANGUAGE=" + job.language, std::string("HIDE_OUTPUT=") + (job.hideOutput ? "1" : "0")};
	options.workingDirectory = "/";
	auto child = xqueue::sdk::ChildProcess::start(options);
	auto limit = std::chrono::milliseconds(static_cast<long long>(std::ceil(limits.timeoutSeconds * 1000)));
	return child.wait(limit, limits.outputBytes);
}


} // namespace XQueuePlugin

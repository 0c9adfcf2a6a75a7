// SPDX-License-Identifier: Apache-2.0
//
// SandboxPlugin.cpp
//
// sandbox: runs a course team's grader on student code inside bubblewrap, one run per
// submission, compatible with xqueue-watcher's container grader (see README.md).
//


#include "SandboxGrader.h"
#include "xqueue/sdk/Plugin.hpp"
#include "Poco/StringTokenizer.h"


namespace {


const xq_config_key KEYS[] = {
	{"grader_root", XQ_CONFIG_STRING, nullptr, "Directory of the course's graders; grader_payload's \"grader\" is resolved under it. Read-only at /grader in the sandbox."},
	{"command", XQ_CONFIG_STRING, "/usr/bin/python3 -m grader_support.entrypoint", "Program and arguments run for each submission (split at spaces), followed by GRADER_PATH SEED; run in /grader."},
	{"timeout", XQ_CONFIG_SECONDS, "20", "Wall-clock seconds a run may take; then everything it started is killed."},
	{"cpu_seconds", XQ_CONFIG_INT, "20", "CPU seconds per process (RLIMIT_CPU)."},
	{"memory_mb", XQ_CONFIG_INT, "256", "Address space per process in MiB (RLIMIT_AS)."},
	{"processes", XQ_CONFIG_INT, "64", "Processes a run may have at once (RLIMIT_NPROC; per run when the host runs as root)."},
	{"file_mb", XQ_CONFIG_INT, "16", "Largest file a run may write, in MiB (RLIMIT_FSIZE)."},
	{"open_files", XQ_CONFIG_INT, "256", "Open descriptors per process (RLIMIT_NOFILE)."},
	{"tmp_mb", XQ_CONFIG_INT, "50", "Size of the run's private /tmp in MiB."},
	{"output_kb", XQ_CONFIG_INT, "1024", "Most output (stdout, and stderr) a run may write, in KiB; more ends it."},
	{"read_only_paths", XQ_CONFIG_STRING, "", "More host paths the run may read, comma-separated (e.g. /etc/alternatives). Only /usr and the grader root are there otherwise."},
	{"uid_base", XQ_CONFIG_INT, "2000000000", "When the host runs as root, each run has the user id uid_base + (submission id mod 65536): never root, and a process limit of its own."},
};


class SandboxAdapter: public xqueue::sdk::GraderAdapter
{
public:
	explicit SandboxAdapter(const xqueue::sdk::QueueHost& queue):
		GraderAdapter(queue),
		_grader(setup(queue), limits(queue), [](const std::string& line) { xqueue::sdk::Host::warning(line); })
	{
	}

	void grade(const xqueue::sdk::Job& job, xqueue::sdk::Completion done) override
	{
		try
		{
			done.graded(_grader.grade(job.submissionId, job.body));
		}
		catch (const std::invalid_argument& exc)
		{
			// A problem the course team must fix (a payload naming no grader, say):
			// retrying cannot help.
			done.failedPermanently(exc.what());
		}
	}

private:
	static std::vector<std::string> words(const std::string& text, const char* separators)
	{
		Poco::StringTokenizer tokens(text, separators, Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
		return std::vector<std::string>(tokens.begin(), tokens.end());
	}

	static XQueuePlugin::SandboxSetup setup(const xqueue::sdk::QueueHost& queue)
	{
		XQueuePlugin::SandboxSetup setup;
		setup.graderRoot = queue.config("grader_root");
		setup.command = words(queue.config("command"), " ");
		setup.readOnlyPaths = words(queue.config("read_only_paths"), ",");
		setup.uidBase = queue.configInt("uid_base");
		return setup;
	}

	static XQueuePlugin::SandboxLimits limits(const xqueue::sdk::QueueHost& queue)
	{
		XQueuePlugin::SandboxLimits limits;
		limits.timeoutSeconds = queue.configSeconds("timeout");
		limits.cpuSeconds = queue.configInt("cpu_seconds");
		limits.memoryMb = queue.configInt("memory_mb");
		limits.processes = queue.configInt("processes");
		limits.fileMb = queue.configInt("file_mb");
		limits.openFiles = queue.configInt("open_files");
		limits.tmpMb = queue.configInt("tmp_mb");
		limits.outputBytes = static_cast<std::size_t>(queue.configInt("output_kb")) * 1024;
		return limits;
	}

	XQueuePlugin::SandboxGrader _grader;
};


} // namespace


XQ_DECLARE_PLUGIN(SandboxAdapter, "sandbox", "1.0.0", XQ_MODE_DISPATCH,
	"Runs a course team's grader on student code inside bubblewrap (xqueue-watcher's container contract).", XQ_PLUGIN_KEYS(KEYS))

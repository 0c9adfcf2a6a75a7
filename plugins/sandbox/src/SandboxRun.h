// SPDX-License-Identifier: Apache-2.0
//
// SandboxRun.h
//
// One run of a course team's grader command on one submission, inside Debian's
// bubblewrap: no network (its own network namespace, loopback only), nothing of the host
// but /usr (read-only) and the grader root (read-only, at /grader), a private tmpfs
// /tmp, its own PID namespace (when its first process ends, or the run is killed, every
// process it started dies with it, setsid() or not), its own session, and rlimits set
// by prlimit before bubblewrap starts. As root, setpriv first drops to a user of the
// run's own (so the process limit counts this run only, and nothing runs as root).
//
// The student's code is in SUBMISSION_CODE; the arguments are GRADER_PATH SEED; the
// environment holds nothing of the host's: xqueue-watcher's container contract.
//


#ifndef XQueuePlugin_SandboxRun_INCLUDED
#define XQueuePlugin_SandboxRun_INCLUDED


#include "SandboxLimits.h"
#include "xqueue/sdk/ChildProcess.hpp"
#include <cstdint>
#include <string>
#include <vector>


namespace XQueuePlugin {


struct SandboxJob
{
	std::int64_t submissionId = 0;
	std::string graderPath; /// relative to the grader root (GraderPath::resolve)
	std::string code;       /// SUBMISSION_CODE
	std::string language = "en";
	bool hideOutput = false;
	int seed = 0;
};


class SandboxRun
{
public:
	static constexpr const char* BWRAP = "/usr/bin/bwrap";
	static constexpr const char* PRLIMIT = "/usr/bin/prlimit";
	static constexpr const char* SETPRIV = "/usr/bin/setpriv";
	static constexpr std::size_t MAX_CODE_BYTES = 131072 - sizeof("SUBMISSION_CODE="); /// one environment string (MAX_ARG_STRLEN)

	static std::vector<std::string> arguments(const SandboxSetup& setup, const SandboxLimits& limits, const SandboxJob& job);
		/// prlimit [setpriv] bwrap ... command GRADER_PATH SEED

	static xqueue::sdk::ChildResult run(const SandboxSetup& setup, const SandboxLimits& limits, const SandboxJob& job);
		/// Throws std::runtime_error if the sandbox cannot be started at all.
};


} // namespace XQueuePlugin


#endif // XQueuePlugin_SandboxRun_INCLUDED

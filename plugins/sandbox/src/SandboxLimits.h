// SPDX-License-Identifier: Apache-2.0
//
// SandboxLimits.h
//
// What one grader run may use (the queue's configuration keys).
//


#ifndef XQueuePlugin_SandboxLimits_INCLUDED
#define XQueuePlugin_SandboxLimits_INCLUDED


#include <cstddef>
#include <string>
#include <vector>


namespace XQueuePlugin {


struct SandboxLimits
{
	double timeoutSeconds = 20;     /// wall clock
	long cpuSeconds = 20;           /// RLIMIT_CPU
	long memoryMb = 256;            /// RLIMIT_AS, per process
	long processes = 64;            /// RLIMIT_NPROC (per run: each run has its own user when the host is root)
	long fileMb = 16;               /// RLIMIT_FSIZE
	long openFiles = 256;           /// RLIMIT_NOFILE
	long tmpMb = 50;                /// the private /tmp (tmpfs)
	std::size_t outputBytes = 1 << 20; /// stdout (and stderr) cap
};


struct SandboxSetup
	/// Where things are and who runs them.
{
	std::string graderRoot;                /// the course team's graders, read-only at /grader
	std::vector<std::string> command;      /// run as command... GRADER_PATH SEED
	std::vector<std::string> readOnlyPaths; /// more host paths visible (read-only), e.g. /etc/alternatives
	long uidBase = 2000000000;             /// as root: each run under uidBase + (submission id mod 65536)
};


} // namespace XQueuePlugin


#endif // XQueuePlugin_SandboxLimits_INCLUDED

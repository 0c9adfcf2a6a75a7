// SPDX-License-Identifier: Apache-2.0
//
// WorkerProcess.h
//
// One plugin worker process (xqueue-plugin-worker) as the host sees it: started with
// posix_spawn in a process group of its own, with a reset signal mask and default
// signal actions, only its channel (fd 3) and the plugin image (fd 4) beyond stdio, and
// the host's environment without its secrets; then configured and waited for until its
// instance exists. Killing it kills its group (what the plugin started with popen, say).
//


#ifndef XQueue_WorkerProcess_INCLUDED
#define XQueue_WorkerProcess_INCLUDED


#include "channel/WorkerChannel.h"
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <sys/types.h>


namespace XQueue {


struct WorkerLaunch
	/// Everything needed to start a worker for one queue.
{
	std::string executable;    /// xqueue-plugin-worker
	std::string pluginId;
	std::string queueName;
	int imageFd = -1;          /// the plugin's private copy (PluginLibrary::imageDescriptor)
	std::string configuration; /// the CONFIGURE frame's payload
	std::chrono::milliseconds startTimeout{30000};
};


class WorkerProcess
{
public:
	using Relay = std::function<void(const WorkerFrame& frame)>;
		/// Receives the LOG and COUNT frames the plugin sends while it starts.

	static std::unique_ptr<WorkerProcess> start(const WorkerLaunch& launch, const Relay& relay);
		/// Throws PluginLoadException: the executable cannot be started, the plugin's
		/// create() failed (its message), or the worker died or did not answer in time.

	~WorkerProcess();
		/// Kills the group and reaps the worker if it still runs.

	WorkerProcess(const WorkerProcess&) = delete;
	WorkerProcess& operator=(const WorkerProcess&) = delete;

	pid_t pid() const;
	WorkerChannel& channel();

	void kill();
		/// SIGKILL to the worker's process group.

	std::uint64_t residentBytes() const;
		/// The worker's resident memory (0 once it is gone).

	int wait();
		/// Blocks until the worker has ended; its wait status (reaped once, then kept).

	static std::string describe(int status);
		/// "exited with code 3", "died of signal SIGSEGV (Segmentation fault)".

private:
	WorkerProcess(pid_t pid, int channelFd);

	pid_t _pid;
	WorkerChannel _channel;
	std::mutex _waitMutex;
	bool _reaped = false;
	int _status = 0;
};


} // namespace XQueue


#endif // XQueue_WorkerProcess_INCLUDED

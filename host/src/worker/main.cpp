// SPDX-License-Identifier: Apache-2.0
//
// main.cpp
//
// xqueue-plugin-worker: started by xqueue-server (never by hand) for a queue with
// isolation = process. Descriptor 3 is its end of the host's socketpair, 4 the plugin
// file; everything else above stderr is closed first.
//


#include "worker/PluginWorker.h"
#include <cstdio>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>


int main(int, char**)
{
	constexpr int CHANNEL_FD = 3;
	constexpr int IMAGE_FD = 4;
	struct stat channel{};
	if (::fstat(CHANNEL_FD, &channel) != 0 || !S_ISSOCK(channel.st_mode))
	{
		std::fprintf(stderr, "xqueue-plugin-worker is started by xqueue-server for queues with isolation = process; it is not run by hand.\n");
		return 2;
	}
	::close_range(IMAGE_FD + 1, ~0U, 0);
	XQueue::PluginWorker worker(CHANNEL_FD, IMAGE_FD);
	int code = worker.run();
	// Without static destructors or exit handlers: the heartbeat thread still runs, and a
	// plugin's globals are its own business once its instance is destroyed.
	std::fflush(nullptr);
	::_exit(code);
}

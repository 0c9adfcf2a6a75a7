// SPDX-License-Identifier: Apache-2.0
//
// main.cpp
//
// Entry point of xqueue-server.
//


#include "XQueueServer.h"
#include <csignal>
#include <pthread.h>
#include <sys/resource.h>


int main(int argc, char** argv)
{
	// Block the termination signals before any thread exists, so that every thread
	// inherits the mask and only the main thread's sigwait() receives them
	// (Poco 1.11 threads leave SIGINT unblocked, and std::threads block nothing).
	sigset_t signals = XQueue::XQueueServer::handledSignals();
	pthread_sigmask(SIG_BLOCK, &signals, nullptr);
	// A peer closing its socket must not kill the process.
	std::signal(SIGPIPE, SIG_IGN);
	// Idle keep-alive connections cost a descriptor each and no thread: allow as many as
	// the hard limit does (Debian's soft default is 1024).
	rlimit files{};
	if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max)
	{
		files.rlim_cur = files.rlim_max;
		setrlimit(RLIMIT_NOFILE, &files);
	}

	XQueue::XQueueServer app;
	return app.run(argc, argv);
}

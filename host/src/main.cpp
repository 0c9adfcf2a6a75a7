//
// main.cpp
//
// Entry point of xqueue-server.
//


#include "XQueueServer.h"
#include <csignal>
#include <pthread.h>


int main(int argc, char** argv)
{
	// Block the termination signals before any thread exists, so that every thread
	// inherits the mask and only the main thread's sigwait() receives them
	// (Poco 1.11 threads leave SIGINT unblocked, and std::threads block nothing).
	sigset_t signals = XQueue::XQueueServer::handledSignals();
	pthread_sigmask(SIG_BLOCK, &signals, nullptr);
	// A peer closing its socket must not kill the process.
	std::signal(SIGPIPE, SIG_IGN);

	XQueue::XQueueServer app;
	return app.run(argc, argv);
}

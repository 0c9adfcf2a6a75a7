// SPDX-License-Identifier: Apache-2.0
//
// LoopbackLatency.cpp
//
// Plain POSIX sockets and fork(): the point is the kernel's and the machine's cost of a
// message and a wake-up, without any library in between.
//


#include "LoopbackLatency.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <chrono>


namespace XQueueBench {


double loopbackRoundTripMicros(int roundTrips)
{
	int listener = ::socket(AF_INET, SOCK_STREAM, 0);
	sockaddr_in address{};
	address.sin_family = AF_INET;
	address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t length = sizeof(address);
	if (listener < 0 || ::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
		::listen(listener, 1) != 0 || ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0)
	{
		if (listener >= 0) ::close(listener);
		return -1;
	}
	int one = 1;
	pid_t echo = ::fork();
	if (echo == 0)
	{
		int peer = ::accept(listener, nullptr, nullptr);
		::setsockopt(peer, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		char byte;
		while (::read(peer, &byte, 1) == 1)
		{
			if (::write(peer, &byte, 1) != 1) break;
		}
		::_exit(0);
	}
	::close(listener);
	if (echo < 0) return -1;
	int client = ::socket(AF_INET, SOCK_STREAM, 0);
	double result = -1;
	if (client >= 0 && ::connect(client, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0)
	{
		::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		char byte = 'x';
		auto started = std::chrono::steady_clock::now();
		int done = 0;
		for (; done < roundTrips; ++done)
		{
			if (::write(client, &byte, 1) != 1 || ::read(client, &byte, 1) != 1) break;
		}
		if (done == roundTrips)
			result = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - started).count() / roundTrips;
	}
	if (client >= 0) ::close(client);
	::waitpid(echo, nullptr, 0);
	return result;
}


} // namespace XQueueBench

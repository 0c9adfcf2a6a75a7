// SPDX-License-Identifier: Apache-2.0
//
// CloseOnExec.h
//
// Descriptors a program started from the host (by a plugin's popen or system) must not
// inherit: the listening socket would keep the port bound after the host exits, and a
// child could read the store or talk on a client's connection. Poco opens sockets and
// epoll sets without O_CLOEXEC and offers no flag for it, so the host sets it itself.
//


#ifndef XQueue_CloseOnExec_INCLUDED
#define XQueue_CloseOnExec_INCLUDED


#include <cstddef>


namespace XQueue {


class CloseOnExec
{
public:
	static void set(int fd);
		/// Marks one descriptor (a socket just created, say).

	static std::size_t sweep();
		/// Marks every open descriptor above stderr that lacks the flag; returns how many.
		/// After start-up, when every long-lived descriptor exists.
};


} // namespace XQueue


#endif // XQueue_CloseOnExec_INCLUDED

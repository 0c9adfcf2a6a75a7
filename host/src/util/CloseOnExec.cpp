// SPDX-License-Identifier: Apache-2.0
//
// CloseOnExec.cpp
//


#include "util/CloseOnExec.h"
#include <dirent.h>
#include <fcntl.h>
#include <cstdlib>
#include <vector>


namespace XQueue {


void CloseOnExec::set(int fd)
{
	if (fd < 0) return;
	int flags = ::fcntl(fd, F_GETFD);
	if (flags >= 0 && !(flags & FD_CLOEXEC)) ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}


std::size_t CloseOnExec::sweep()
{
	std::vector<int> descriptors;
	if (DIR* pDir = ::opendir("/proc/self/fd"))
	{
		int own = ::dirfd(pDir);
		while (dirent* pEntry = ::readdir(pDir))
		{
			if (pEntry->d_name[0] < '0' || pEntry->d_name[0] > '9') continue;
			int fd = std::atoi(pEntry->d_name);
			if (fd > 2 && fd != own) descriptors.push_back(fd);
		}
		::closedir(pDir);
	}
	std::size_t marked = 0;
	for (int fd: descriptors)
	{
		int flags = ::fcntl(fd, F_GETFD);
		if (flags < 0 || (flags & FD_CLOEXEC)) continue;
		if (::fcntl(fd, F_SETFD, flags | FD_CLOEXEC) == 0) ++marked;
	}
	return marked;
}


} // namespace XQueue

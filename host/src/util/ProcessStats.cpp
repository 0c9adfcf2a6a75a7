// SPDX-License-Identifier: Apache-2.0
//
// ProcessStats.cpp
//


#include "util/ProcessStats.h"
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <unistd.h>


namespace XQueue {


ProcessStats ProcessStats::current()
{
	ProcessStats stats;
	const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
	{
		std::ifstream statm("/proc/self/statm");
		std::uint64_t size = 0;
		std::uint64_t resident = 0;
		if (statm >> size >> resident) stats.residentBytes = resident * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
	}
	{
		// Fields after the command name (which may hold spaces): state is field 3,
		// utime 14, stime 15, starttime 22 (in clock ticks since boot).
		std::ifstream stat("/proc/self/stat");
		std::string line;
		std::getline(stat, line);
		auto close = line.rfind(')');
		if (close != std::string::npos)
		{
			std::istringstream fields(line.substr(close + 2));
			std::string field;
			double utime = 0, stime = 0, started = 0;
			for (int n = 3; fields >> field; ++n)
			{
				if (n == 14) utime = std::stod(field);
				else if (n == 15) stime = std::stod(field);
				else if (n == 22)
				{
					started = std::stod(field);
					break;
				}
			}
			stats.cpuSeconds = (utime + stime) / ticks;
			std::ifstream procStat("/proc/stat");
			for (std::string procLine; std::getline(procStat, procLine); )
			{
				if (procLine.rfind("btime ", 0) == 0)
				{
					stats.startTimeSeconds = std::stod(procLine.substr(6)) + started / ticks;
					break;
				}
			}
		}
	}
	std::error_code error;
	for (std::filesystem::directory_iterator it("/proc/self/fd", error), end; !error && it != end; it.increment(error)) ++stats.openDescriptors;
	struct rlimit limit{};
	if (::getrlimit(RLIMIT_NOFILE, &limit) == 0) stats.maxDescriptors = limit.rlim_cur;
	return stats;
}


} // namespace XQueue

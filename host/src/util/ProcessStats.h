// SPDX-License-Identifier: Apache-2.0
//
// ProcessStats.h
//
// This process's resources as /proc reports them, for the Prometheus process_* families
// every exporter offers (so the usual dashboards and alerts apply): resident memory, CPU
// time, open descriptors, start time.
//


#ifndef XQueue_ProcessStats_INCLUDED
#define XQueue_ProcessStats_INCLUDED


#include <cstdint>


namespace XQueue {


struct ProcessStats
{
	std::uint64_t residentBytes = 0;
	double cpuSeconds = 0;        /// user + system
	std::uint64_t openDescriptors = 0;
	std::uint64_t maxDescriptors = 0;
	double startTimeSeconds = 0;  /// since the Unix epoch

	static ProcessStats current();
		/// Fields /proc cannot give stay 0.
};


} // namespace XQueue


#endif // XQueue_ProcessStats_INCLUDED

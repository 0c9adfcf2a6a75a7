// SPDX-License-Identifier: Apache-2.0
//
// GradingLoad.h
//
// Gradings driven straight through an adapter (no HTTP, no store): what isolation =
// process adds to a grading (exact_match in process and in worker processes), and what a
// sandbox run costs. One caller for latency, then several at once for throughput.
//


#ifndef XQueueBench_GradingLoad_INCLUDED
#define XQueueBench_GradingLoad_INCLUDED


#include "loader/GraderAdapter.h"
#include <string>


namespace XQueueBench {


struct GradingFigures
{
	double p50Micros = 0;
	double p99Micros = 0;
	double perSecond = 0;           /// with `callers` gradings in flight
	double concurrentP50Micros = 0; /// a grading's latency meanwhile
};


GradingFigures measureGradings(XQueue::GraderAdapter& adapter, const std::string& body, int oneAtATime, int callers, double seconds);
	/// Grades jobs of this LMS body through adapter: oneAtATime in a row (latency), then
	/// `callers` threads for `seconds` (throughput).


} // namespace XQueueBench


#endif // XQueueBench_GradingLoad_INCLUDED

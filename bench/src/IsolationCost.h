// SPDX-License-Identifier: Apache-2.0
//
// IsolationCost.h
//
// What isolation = process costs: the same plugin (exact_match) graded through its
// in-process adapter and through worker processes, directly (no HTTP, no store), so the
// difference is the worker round trip alone. One caller for latency, as many callers as
// slots for throughput.
//


#ifndef XQueueBench_IsolationCost_INCLUDED
#define XQueueBench_IsolationCost_INCLUDED


#include "loader/GraderAdapter.h"


namespace XQueueBench {


struct GradingFigures
{
	double p50Micros = 0;
	double p99Micros = 0;
	double perSecond = 0; /// with `callers` gradings in flight
};


GradingFigures measureGradings(XQueue::GraderAdapter& adapter, int callers, double seconds);
	/// Grades exact_match jobs through adapter: 2,000 one at a time (latency), then
	/// `callers` threads for `seconds` (throughput).


} // namespace XQueueBench


#endif // XQueueBench_IsolationCost_INCLUDED

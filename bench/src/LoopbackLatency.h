// SPDX-License-Identifier: Apache-2.0
//
// LoopbackLatency.h
//
// Calibration printed before the figures: the round trip of one byte over loopback TCP
// between two processes. Every request, and every MySQL statement, pays it at least once,
// and it varies by a factor of ten between machines (a VM whose idle vCPUs halt pays for
// a wake-up on each message).
//


#ifndef XQueueBench_LoopbackLatency_INCLUDED
#define XQueueBench_LoopbackLatency_INCLUDED


namespace XQueueBench {


double loopbackRoundTripMicros(int roundTrips);
	/// Mean microseconds per round trip; -1 if the measurement could not be made.


} // namespace XQueueBench


#endif // XQueueBench_LoopbackLatency_INCLUDED

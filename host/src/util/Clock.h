// SPDX-License-Identifier: Apache-2.0
//
// Clock.h
//
// Wall-clock time as integer microseconds since the Unix epoch (UTC), the unit every
// stored timestamp uses.
//


#ifndef XQueue_Clock_INCLUDED
#define XQueue_Clock_INCLUDED


#include <cstdint>


namespace XQueue {


using Micros = std::int64_t;

constexpr Micros MICROS_PER_SECOND = 1000000;


class Clock
{
public:
	static Micros now();
};


} // namespace XQueue


#endif // XQueue_Clock_INCLUDED

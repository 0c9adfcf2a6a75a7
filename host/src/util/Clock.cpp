// SPDX-License-Identifier: Apache-2.0
//
// Clock.cpp
//


#include "util/Clock.h"
#include <chrono>


namespace XQueue {


Micros Clock::now()
{
	using namespace std::chrono;
	return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}


} // namespace XQueue

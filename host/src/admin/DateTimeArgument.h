// SPDX-License-Identifier: Apache-2.0
//
// DateTimeArgument.h
//
// A date and time given on xqueue-admin's command line, read strictly: ISO 8601 only
// (Poco's DateTimeParser alone took "yesterday" for year 0 and "99999" for year 9999,
// which made retire-old --before retire everything).
//


#ifndef XQueue_DateTimeArgument_INCLUDED
#define XQueue_DateTimeArgument_INCLUDED


#include "util/Clock.h"
#include <string>


namespace XQueue {


class DateTimeArgument
{
public:
	static constexpr const char* FORMAT = "YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS[.ffffff]][Z|+HH:MM] (a space may replace T; no zone: UTC)";

	static Micros parse(const std::string& option, const std::string& text);
		/// Microseconds since the epoch. Throws AdminUsageException naming the option, the
		/// text and FORMAT for anything else, or for a date that does not exist (2026-02-30).
};


} // namespace XQueue


#endif // XQueue_DateTimeArgument_INCLUDED

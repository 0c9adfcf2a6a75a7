// SPDX-License-Identifier: Apache-2.0
//
// LogText.h
//
// Client-supplied text as it may appear in a log line: control characters (CR and LF
// would forge lines of their own, ESC drives terminals) and DEL become \xNN, and a
// backslash is doubled so that an escape in the log is never the client's own.
//


#ifndef XQueue_LogText_INCLUDED
#define XQueue_LogText_INCLUDED


#include <string>
#include <string_view>


namespace XQueue {


class LogText
{
public:
	static std::string escape(std::string_view text);
};


} // namespace XQueue


#endif // XQueue_LogText_INCLUDED

// SPDX-License-Identifier: Apache-2.0
//
// LogChannels.h
//
// What the server needs to know about the Poco channels logging was configured with,
// looking through the wrappers the configuration puts around them (a channel with a
// formatter is registered as the FormattingChannel around it; an async one likewise).
//


#ifndef XQueue_LogChannels_INCLUDED
#define XQueue_LogChannels_INCLUDED


#include "Poco/Channel.h"


namespace XQueue {


class LogChannels
{
public:
	static void closeFile(Poco::Channel* pChannel);
		/// Closes the file channel (it reopens at the next message): after logrotate.

	static bool writesToConsole(Poco::Channel* pChannel);
		/// The channel ends in the console (stderr/stdout).
};


} // namespace XQueue


#endif // XQueue_LogChannels_INCLUDED

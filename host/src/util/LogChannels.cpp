// SPDX-License-Identifier: Apache-2.0
//
// LogChannels.cpp
//


#include "util/LogChannels.h"
#include "Poco/AsyncChannel.h"
#include "Poco/ConsoleChannel.h"
#include "Poco/FileChannel.h"
#include "Poco/FormattingChannel.h"
#include "Poco/SimpleFileChannel.h"


namespace XQueue {


namespace
{
	Poco::Channel* inner(Poco::Channel* pChannel)
		/// The channel a wrapper passes messages to, or nullptr.
	{
		if (auto* pFormatting = dynamic_cast<Poco::FormattingChannel*>(pChannel)) return pFormatting->getChannel().get();
		if (auto* pAsync = dynamic_cast<Poco::AsyncChannel*>(pChannel)) return pAsync->getChannel().get();
		return nullptr;
	}
}


void LogChannels::closeFile(Poco::Channel* pChannel)
{
	for (int depth = 0; pChannel && depth < 8; ++depth, pChannel = inner(pChannel))
	{
		if (auto* pFile = dynamic_cast<Poco::FileChannel*>(pChannel)) return pFile->close();
		if (auto* pSimple = dynamic_cast<Poco::SimpleFileChannel*>(pChannel)) return pSimple->close();
	}
}


bool LogChannels::writesToConsole(Poco::Channel* pChannel)
{
	for (int depth = 0; pChannel && depth < 8; ++depth, pChannel = inner(pChannel))
	{
		if (dynamic_cast<Poco::ConsoleChannel*>(pChannel) || dynamic_cast<Poco::ColorConsoleChannel*>(pChannel)) return true;
	}
	return false;
}


} // namespace XQueue

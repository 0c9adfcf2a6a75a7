// SPDX-License-Identifier: Apache-2.0
//
// JsonLogFormatter.cpp
//


#include "util/JsonLogFormatter.h"
#include "xqueue/sdk/PythonJson.hpp"
#include "Poco/DateTimeFormatter.h"
#include "Poco/Instantiator.h"
#include "Poco/LoggingFactory.h"
#include "Poco/Message.h"


namespace XQueue {


namespace
{
	const char* levelName(Poco::Message::Priority priority)
	{
		switch (priority)
		{
		case Poco::Message::PRIO_FATAL: return "fatal";
		case Poco::Message::PRIO_CRITICAL: return "critical";
		case Poco::Message::PRIO_ERROR: return "error";
		case Poco::Message::PRIO_WARNING: return "warning";
		case Poco::Message::PRIO_NOTICE: return "notice";
		case Poco::Message::PRIO_INFORMATION: return "information";
		case Poco::Message::PRIO_DEBUG: return "debug";
		default: return "trace";
		}
	}
}


void JsonLogFormatter::registerClass()
{
	Poco::LoggingFactory::defaultFactory().registerFormatterClass("JsonFormatter", new Poco::Instantiator<JsonLogFormatter, Poco::Formatter>);
}


void JsonLogFormatter::format(const Poco::Message& message, std::string& text)
{
	text += "{\"time\": ";
	xqueue::sdk::appendJsonString(text, Poco::DateTimeFormatter::format(message.getTime(), "%Y-%m-%dT%H:%M:%S.%FZ"));
	text += ", \"level\": \"";
	text += levelName(message.getPriority());
	text += "\", \"logger\": ";
	xqueue::sdk::appendJsonString(text, message.getSource());
	text += ", \"message\": ";
	xqueue::sdk::appendJsonString(text, message.getText());
	text += ", \"pid\": " + std::to_string(message.getPid()) + ", \"thread\": " + std::to_string(message.getTid()) + "}";
}


} // namespace XQueue

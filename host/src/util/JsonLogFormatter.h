// SPDX-License-Identifier: Apache-2.0
//
// JsonLogFormatter.h
//
// One JSON object per log line, for log shippers (Loki, Elasticsearch, Cloud Logging):
//   {"time": "2026-12-07T04:45:14.123456Z", "level": "information",
//    "logger": "xqueue.http.requests", "message": "...", "pid": 12, "thread": 3}
// Configured like any Poco formatter, by its registered class name:
//   logging.formatters.json.class = JsonFormatter
//   logging.channels.console.formatter = json
//


#ifndef XQueue_JsonLogFormatter_INCLUDED
#define XQueue_JsonLogFormatter_INCLUDED


#include "Poco/Formatter.h"


namespace XQueue {


class JsonLogFormatter: public Poco::Formatter
{
public:
	static void registerClass();
		/// Makes "JsonFormatter" known to the logging configuration (before it is read).

	void format(const Poco::Message& message, std::string& text) override;
};


} // namespace XQueue


#endif // XQueue_JsonLogFormatter_INCLUDED

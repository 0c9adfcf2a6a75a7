// SPDX-License-Identifier: Apache-2.0
//
// SettingDeclaration.h
//
// One configuration key, declared once (SettingsCatalog.cpp): the same record validates
// and reads the key and writes its line of docs/configuration.md and of the sample
// configuration.
//


#ifndef XQueue_SettingDeclaration_INCLUDED
#define XQueue_SettingDeclaration_INCLUDED


#include <functional>
#include <string>


namespace XQueue {


template <class Target>
struct SettingDeclaration
{
	using Assign = std::function<void(const std::string& key, const std::string& value, Target& target)>;
		/// Parses, checks and stores a configured value; throws Poco::InvalidArgumentException
		/// naming the key.

	std::string key;         /// the full key; for a queue's keys the part after xqueue.queues.<id>.
	std::string section;     /// the table of docs/configuration.md it is listed in
	std::string type;        /// int, seconds (decimal), bool or string
	std::string range;       /// the values accepted, for the reader ("" = any)
	std::string defaultText; /// as written in a .properties file ("" = none)
	std::string help;        /// Markdown
	Assign assign;           /// empty: a documented key pattern, read elsewhere
};


} // namespace XQueue


#endif // XQueue_SettingDeclaration_INCLUDED

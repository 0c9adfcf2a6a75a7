// SPDX-License-Identifier: Apache-2.0
//
// SettingValue.h
//
// How configured values are read: one format per type, one error wording per mistake,
// each naming the key.
//


#ifndef XQueue_SettingValue_INCLUDED
#define XQueue_SettingValue_INCLUDED


#include "util/AddressPrefixList.h"
#include <string>
#include <vector>


namespace XQueue {


class SettingValue
{
public:
	static long long integer(const std::string& key, const std::string& value, long long minimum, long long maximum);
	static double seconds(const std::string& key, const std::string& value, double minimum, double maximum);
	static bool boolean(const std::string& key, const std::string& value);
		/// true/yes/on/1 or false/no/off/0, any case.
	static AddressPrefixList prefixes(const std::string& key, const std::string& value);
	static std::string choice(const std::string& key, const std::string& value, const std::vector<std::string>& values);
		/// The declared spelling of value (compared case-insensitively, trimmed).

	static std::string range(long long minimum, long long maximum);
	static std::string range(double minimum, double maximum);
	static std::string alternatives(const std::vector<std::string>& values);
		/// "a or b", "a, b or c".
	static std::string format(double value);
		/// The shortest form that reads back the same ("1", "0.5", "600").
};


} // namespace XQueue


#endif // XQueue_SettingValue_INCLUDED

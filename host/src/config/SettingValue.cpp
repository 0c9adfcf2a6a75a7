// SPDX-License-Identifier: Apache-2.0
//
// SettingValue.cpp
//


#include "config/SettingValue.h"
#include "Poco/Exception.h"
#include "Poco/NumberParser.h"
#include "Poco/String.h"
#include <sstream>


namespace XQueue {


namespace
{
	template <class Number>
	std::string outOfRange(const std::string& key, const std::string& raw, Number minimum, Number maximum)
	{
		return key + ": " + raw + " is out of range [" + std::to_string(minimum) + ", " + std::to_string(maximum) + "]";
	}
}


long long SettingValue::integer(const std::string& key, const std::string& value, long long minimum, long long maximum)
{
	std::string raw = Poco::trim(value);
	Poco::Int64 parsed = 0;
	if (!Poco::NumberParser::tryParse64(raw, parsed))
		throw Poco::InvalidArgumentException(key + ": expected an integer, found '" + raw + "'");
	if (parsed < minimum || parsed > maximum) throw Poco::InvalidArgumentException(outOfRange(key, raw, minimum, maximum));
	return parsed;
}


double SettingValue::seconds(const std::string& key, const std::string& value, double minimum, double maximum)
{
	std::string raw = Poco::trim(value);
	double parsed = 0;
	if (!Poco::NumberParser::tryParseFloat(raw, parsed))
		throw Poco::InvalidArgumentException(key + ": expected a number of seconds, found '" + raw + "'");
	if (!(parsed >= minimum && parsed <= maximum)) throw Poco::InvalidArgumentException(outOfRange(key, raw, minimum, maximum));
	return parsed;
}


bool SettingValue::boolean(const std::string& key, const std::string& value)
{
	std::string raw = Poco::toLower(Poco::trim(value));
	if (raw == "true" || raw == "yes" || raw == "on" || raw == "1") return true;
	if (raw == "false" || raw == "no" || raw == "off" || raw == "0") return false;
	throw Poco::InvalidArgumentException(key + ": expected true or false, found '" + raw + "'");
}


AddressPrefixList SettingValue::prefixes(const std::string& key, const std::string& value)
{
	try
	{
		return AddressPrefixList(value);
	}
	catch (Poco::Exception& exc)
	{
		throw Poco::InvalidArgumentException(key + ": " + exc.message());
	}
}


std::string SettingValue::choice(const std::string& key, const std::string& value, const std::vector<std::string>& values)
{
	std::string raw = Poco::trim(value);
	for (const auto& candidate: values)
	{
		if (Poco::icompare(raw, candidate) == 0) return candidate;
	}
	throw Poco::InvalidArgumentException(key + ": expected " + alternatives(values) + ", found '" + raw + "'");
}


std::string SettingValue::range(long long minimum, long long maximum)
{
	return std::to_string(minimum) + "–" + std::to_string(maximum);
}


std::string SettingValue::range(double minimum, double maximum)
{
	return format(minimum) + "–" + format(maximum);
}


std::string SettingValue::alternatives(const std::vector<std::string>& values)
{
	std::string out;
	for (std::size_t i = 0; i < values.size(); ++i)
	{
		if (i > 0) out += i + 1 == values.size() ? " or " : ", ";
		out += values[i];
	}
	return out;
}


std::string SettingValue::format(double value)
{
	std::ostringstream out;
	out.precision(15);
	out << value;
	return out.str();
}


} // namespace XQueue

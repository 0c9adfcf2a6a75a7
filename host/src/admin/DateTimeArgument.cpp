// SPDX-License-Identifier: Apache-2.0
//
// DateTimeArgument.cpp
//


#include "admin/DateTimeArgument.h"
#include "admin/CommandArguments.h"
#include "Poco/DateTime.h"
#include "Poco/RegularExpression.h"
#include <string>


namespace XQueue {


Micros DateTimeArgument::parse(const std::string& option, const std::string& text)
{
	static const Poco::RegularExpression ISO8601(
		"^([0-9]{4})-([0-9]{2})-([0-9]{2})"
		"(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\\.([0-9]{1,6}))?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?$");
	Poco::RegularExpression::MatchVec parts;
	auto refuse = [&]() {
		return AdminUsageException("--" + option + ": '" + text + "' is not a date and time; expected " + FORMAT);
	};
	if (ISO8601.match(text, 0, parts) == 0) throw refuse();
	auto part = [&](std::size_t i) {
		return i < parts.size() && parts[i].offset != std::string::npos ? text.substr(parts[i].offset, parts[i].length) : std::string();
	};
	auto number = [&](std::size_t i) {
		std::string p = part(i);
		return p.empty() ? 0 : std::stoi(p);
	};
	int year = number(1), month = number(2), day = number(3), hour = number(4), minute = number(5), second = number(6);
	if (!Poco::DateTime::isValid(year, month, day, hour, minute, second) || year < 1970) throw refuse();
	std::string fraction = part(7);
	int micros = fraction.empty() ? 0 : std::stoi(fraction + std::string(6 - fraction.size(), '0'));
	int zoneSeconds = 0;
	std::string zone = part(8);
	if (!zone.empty() && zone != "Z")
	{
		std::string digits = zone.substr(1);
		if (digits.size() == 5) digits.erase(2, 1);
		int hours = std::stoi(digits.substr(0, 2));
		int minutes = std::stoi(digits.substr(2, 2));
		if (hours > 14 || minutes > 59) throw refuse();
		zoneSeconds = (hours * 3600 + minutes * 60) * (zone[0] == '-' ? -1 : 1);
	}
	Poco::DateTime utc(year, month, day, hour, minute, second, micros / 1000, micros % 1000);
	return utc.timestamp().epochMicroseconds() - static_cast<Micros>(zoneSeconds) * MICROS_PER_SECOND;
}


} // namespace XQueue

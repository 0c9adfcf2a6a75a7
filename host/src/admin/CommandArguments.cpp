// SPDX-License-Identifier: Apache-2.0
//
// CommandArguments.cpp
//


#include "admin/CommandArguments.h"
#include "Poco/NumberFormatter.h"
#include "Poco/NumberParser.h"


namespace XQueue {


POCO_IMPLEMENT_EXCEPTION(AdminUsageException, Poco::InvalidArgumentException, "Usage error")


CommandArguments::CommandArguments(const std::vector<std::string>& words, const std::set<std::string>& flags, const std::set<std::string>& valued)
{
	for (std::size_t i = 0; i < words.size(); ++i)
	{
		const std::string& word = words[i];
		if (word.size() < 3 || word.compare(0, 2, "--") != 0)
		{
			_positional.push_back(word);
			continue;
		}
		std::string name = word.substr(2);
		std::optional<std::string> value;
		auto equals = name.find('=');
		if (equals != std::string::npos)
		{
			value = name.substr(equals + 1);
			name = name.substr(0, equals);
		}
		if (name == "help" || flags.count(name))
		{
			if (value) throw AdminUsageException("--" + name + " takes no value");
			_options[name] = "";
		}
		else if (valued.count(name))
		{
			if (!value)
			{
				if (i + 1 >= words.size()) throw AdminUsageException("--" + name + " needs a value");
				value = words[++i];
			}
			_options[name] = *value;
		}
		else
		{
			throw AdminUsageException("unknown option --" + name);
		}
	}
}


const std::vector<std::string>& CommandArguments::positional() const
{
	return _positional;
}


bool CommandArguments::has(const std::string& option) const
{
	return _options.count(option) > 0;
}


std::optional<std::string> CommandArguments::value(const std::string& option) const
{
	auto it = _options.find(option);
	if (it == _options.end()) return std::nullopt;
	return it->second;
}


long long CommandArguments::integer(const std::string& option, long long fallback, long long minimum, long long maximum) const
{
	auto text = value(option);
	if (!text) return fallback;
	Poco::Int64 parsed = 0;
	if (!Poco::NumberParser::tryParse64(*text, parsed) || parsed < minimum || parsed > maximum)
		throw AdminUsageException("--" + option + ": expected a whole number from " + std::to_string(minimum) + " to " +
			std::to_string(maximum) + ", found '" + *text + "'");
	return parsed;
}


double CommandArguments::number(const std::string& option, double fallback, double minimum, double maximum) const
{
	auto text = value(option);
	if (!text) return fallback;
	double parsed = 0;
	if (!Poco::NumberParser::tryParseFloat(*text, parsed) || !(parsed >= minimum && parsed <= maximum))
		throw AdminUsageException("--" + option + ": expected a number from " + Poco::NumberFormatter::format(minimum) + " to " +
			Poco::NumberFormatter::format(maximum) + ", found '" + *text + "'");
	return parsed;
}


} // namespace XQueue

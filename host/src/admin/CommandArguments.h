// SPDX-License-Identifier: Apache-2.0
//
// CommandArguments.h
//
// The words after an xqueue-admin command's name: positional arguments and the
// command's own options, as --name=value, --name value or --flag. A command declares
// which options it takes; anything else is a usage error naming the option.
//


#ifndef XQueue_CommandArguments_INCLUDED
#define XQueue_CommandArguments_INCLUDED


#include "Poco/Exception.h"
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>


namespace XQueue {


POCO_DECLARE_EXCEPTION(, AdminUsageException, Poco::InvalidArgumentException)
	/// Bad command-line input: the message is shown with the command's usage, exit 64.


class CommandArguments
{
public:
	CommandArguments(const std::vector<std::string>& words, const std::set<std::string>& flags, const std::set<std::string>& valued);
		/// flags take no value (--force); valued options need one (--days=7, --days 7).
		/// --help is always a flag. Throws AdminUsageException.

	const std::vector<std::string>& positional() const;
	bool has(const std::string& option) const;
	std::optional<std::string> value(const std::string& option) const;

	long long integer(const std::string& option, long long fallback, long long minimum, long long maximum) const;
	double number(const std::string& option, double fallback, double minimum, double maximum) const;
		/// The option's value, checked; throws AdminUsageException naming the option.

private:
	std::vector<std::string> _positional;
	std::map<std::string, std::string> _options;
};


} // namespace XQueue


#endif // XQueue_CommandArguments_INCLUDED

// SPDX-License-Identifier: Apache-2.0
//
// SettingDeclarations.h
//
// Builds the declarations of one settings target: each typed helper takes the key, the
// member it fills (its type gives the key's type, a default-constructed target its
// default), the accepted range and the help, and derives the reading from them.
//


#ifndef XQueue_SettingDeclarations_INCLUDED
#define XQueue_SettingDeclarations_INCLUDED


#include "config/SettingDeclaration.h"
#include "config/SettingValue.h"
#include "util/AddressPrefixList.h"
#include <functional>
#include <string>
#include <vector>


namespace XQueue {


template <class Target>
class SettingDeclarations
{
public:
	using Declaration = SettingDeclaration<Target>;
	using Check = std::function<void(const std::string& key, const std::string& value)>;

	void section(const std::string& name)
		/// The declarations that follow belong to this table of docs/configuration.md.
	{
		_section = name;
	}

	template <class Group, class T>
	Declaration& integer(const std::string& key, Group Target::* group, T Group::* member, long long minimum, long long maximum, const std::string& help)
	{
		return integer(key, field(group, member), minimum, maximum, help);
	}

	template <class T>
	Declaration& integer(const std::string& key, T Target::* member, long long minimum, long long maximum, const std::string& help)
	{
		return integer(key, field(member), minimum, maximum, help);
	}

	template <class Group>
	Declaration& seconds(const std::string& key, Group Target::* group, double Group::* member, double minimum, double maximum, const std::string& help)
	{
		return seconds(key, field(group, member), minimum, maximum, help);
	}

	Declaration& seconds(const std::string& key, double Target::* member, double minimum, double maximum, const std::string& help)
	{
		return seconds(key, field(member), minimum, maximum, help);
	}

	template <class Group>
	Declaration& flag(const std::string& key, Group Target::* group, bool Group::* member, const std::string& help)
	{
		auto access = field(group, member);
		return add(key, "bool", "true or false", access(_defaults) ? "true" : "false", help,
			[access](const std::string& k, const std::string& value, Target& target) { access(target) = SettingValue::boolean(k, value); });
	}

	template <class Group>
	Declaration& text(const std::string& key, Group Target::* group, std::string Group::* member, const std::string& help, Check check = Check())
		/// A string, optionally checked (check throws naming the key).
	{
		auto access = field(group, member);
		return add(key, "string", "", access(_defaults), help,
			[access, check](const std::string& k, const std::string& value, Target& target) {
				if (check) check(k, value);
				access(target) = value;
			});
	}

	template <class Group>
	Declaration& choice(const std::string& key, Group Target::* group, std::string Group::* member, const std::vector<std::string>& values, const std::string& help)
		/// One of a few words, compared case-insensitively and stored as declared.
	{
		return choice(key, field(group, member), values, help);
	}

	Declaration& choice(const std::string& key, std::string Target::* member, const std::vector<std::string>& values, const std::string& help)
	{
		return choice(key, field(member), values, help);
	}

	template <class Group>
	Declaration& prefixes(const std::string& key, Group Target::* group, AddressPrefixList Group::* member, const std::string& help)
		/// Addresses and CIDR prefixes, comma-separated, * for any.
	{
		auto access = field(group, member);
		return add(key, "string", "addresses or CIDR prefixes, comma-separated; * for any", access(_defaults).text(), help,
			[access](const std::string& k, const std::string& value, Target& target) { access(target) = SettingValue::prefixes(k, value); });
	}

	Declaration& custom(const std::string& key, const std::string& type, const std::string& range, const std::string& defaultText, const std::string& help,
		typename Declaration::Assign assign)
		/// A key read by its own function (empty: documented here, read elsewhere).
	{
		return add(key, type, range, defaultText, help, std::move(assign));
	}

	std::vector<Declaration> take()
	{
		return std::move(_declarations);
	}

private:
	template <class T>
	using Access = std::function<T&(Target&)>;

	template <class Group, class T>
	static Access<T> field(Group Target::* group, T Group::* member)
	{
		return [group, member](Target& target) -> T& { return (target.*group).*member; };
	}

	template <class T>
	static Access<T> field(T Target::* member)
	{
		return [member](Target& target) -> T& { return target.*member; };
	}

	template <class T>
	Declaration& integer(const std::string& key, Access<T> access, long long minimum, long long maximum, const std::string& help)
	{
		return add(key, "int", SettingValue::range(minimum, maximum), std::to_string(static_cast<long long>(access(_defaults))), help,
			[access, minimum, maximum](const std::string& k, const std::string& value, Target& target) {
				access(target) = static_cast<T>(SettingValue::integer(k, value, minimum, maximum));
			});
	}

	Declaration& choice(const std::string& key, Access<std::string> access, const std::vector<std::string>& values, const std::string& help)
	{
		return add(key, "string", SettingValue::alternatives(values), access(_defaults), help,
			[access, values](const std::string& k, const std::string& value, Target& target) { access(target) = SettingValue::choice(k, value, values); });
	}

	Declaration& seconds(const std::string& key, Access<double> access, double minimum, double maximum, const std::string& help)
	{
		return add(key, "seconds", SettingValue::range(minimum, maximum), SettingValue::format(access(_defaults)), help,
			[access, minimum, maximum](const std::string& k, const std::string& value, Target& target) {
				access(target) = SettingValue::seconds(k, value, minimum, maximum);
			});
	}

	Declaration& add(const std::string& key, const std::string& type, const std::string& range, const std::string& defaultText, const std::string& help,
		typename Declaration::Assign assign)
	{
		_declarations.push_back(Declaration{key, _section, type, range, defaultText, help, std::move(assign)});
		return _declarations.back();
	}

	Target _defaults;
	std::string _section;
	std::vector<Declaration> _declarations;
};


} // namespace XQueue


#endif // XQueue_SettingDeclarations_INCLUDED

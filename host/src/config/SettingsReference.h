// SPDX-License-Identifier: Apache-2.0
//
// SettingsReference.h
//
// The catalog written out for people: the key tables of docs/configuration.md and a
// complete sample configuration (xqueue-server --settings-reference=markdown|properties).
//


#ifndef XQueue_SettingsReference_INCLUDED
#define XQueue_SettingsReference_INCLUDED


#include <ostream>
#include <string>


namespace XQueue {


class SettingsReference
{
public:
	static void writeMarkdown(std::ostream& out);
		/// Every section's table, each between <!-- settings:NAME --> and
		/// <!-- /settings:NAME --> (scripts/update-configuration-doc puts them in the doc).

	static std::string markdownTable(const std::string& section);
		/// One section's table, header included.

	static void writeProperties(std::ostream& out);
		/// Every key with its default (commented out when there is none) and its help.
};


} // namespace XQueue


#endif // XQueue_SettingsReference_INCLUDED

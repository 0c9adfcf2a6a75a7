// SPDX-License-Identifier: Apache-2.0
//
// SettingsReference.cpp
//


#include "config/SettingsReference.h"
#include "config/ServerSettings.h"
#include "config/SettingsCatalog.h"
#include "Poco/StringTokenizer.h"
#include <vector>


namespace XQueue {


namespace
{
	struct Row
	{
		std::string key, section, type, range, defaultText, help;
	};

	std::vector<Row> rows()
	{
		std::vector<Row> out;
		bool queuesDone = false;
		for (const auto& d: SettingsCatalog::serverKeys())
		{
			// The queue keys' table sits between the plugins and the leases, as in the doc.
			if (d.section == "leases" && !queuesDone)
			{
				for (const auto& q: SettingsCatalog::queueKeys())
					out.push_back(Row{"xqueue.queues.<id>." + q.key, q.section, q.type, q.range, q.defaultText, q.help});
				queuesDone = true;
			}
			out.push_back(Row{d.key, d.section, d.type, d.range, d.defaultText, d.help});
		}
		return out;
	}

	std::string typeCell(const Row& row)
	{
		return row.range.empty() ? row.type : row.type + " (" + row.range + ")";
	}

	std::string defaultCell(const Row& row)
	{
		if (row.defaultText.empty()) return "(none)";
		if (row.defaultText.front() == '(') return row.defaultText;
		return "`" + row.defaultText + "`";
	}

	std::string plain(const std::string& markdown)
		/// Markdown help as comment text: without the code marks.
	{
		std::string out;
		for (char c: markdown)
		{
			if (c != '`') out += c;
		}
		return out;
	}

	void writeComment(std::ostream& out, const std::string& text)
	{
		Poco::StringTokenizer words(text, " ", Poco::StringTokenizer::TOK_IGNORE_EMPTY);
		std::string line = "#";
		for (const auto& word: words)
		{
			if (line.size() + 1 + word.size() > 88 && line != "#")
			{
				out << line << "\n";
				line = "#";
			}
			line += " " + word;
		}
		if (line != "#") out << line << "\n";
	}
}


std::string SettingsReference::markdownTable(const std::string& section)
{
	std::string out = "| key | type | default | meaning |\n|---|---|---|---|\n";
	for (const auto& row: rows())
	{
		if (row.section == section)
			out += "| `" + row.key + "` | " + typeCell(row) + " | " + defaultCell(row) + " | " + row.help + " |\n";
	}
	return out;
}


void SettingsReference::writeMarkdown(std::ostream& out)
{
	std::string previous;
	for (const auto& row: rows())
	{
		if (row.section == previous) continue;
		previous = row.section;
		out << "<!-- settings:" << row.section << " -->\n" << markdownTable(row.section) << "<!-- /settings:" << row.section << " -->\n";
	}
}


void SettingsReference::writeProperties(std::ostream& out)
{
	out << "#\n# Every xqueue key with its default (xqueue-server --settings-reference=properties).\n"
		<< "# Keys whose default depends on the machine, or is empty, are commented out.\n#\n";
	std::string previous;
	for (const auto& row: rows())
	{
		if (row.section != previous)
		{
			previous = row.section;
			out << "\n# ---- " << SettingsCatalog::sectionTitle(row.section) << " ----\n";
		}
		out << "\n";
		writeComment(out, plain(row.help));
		bool literal = !row.defaultText.empty() && row.defaultText.front() != '(' && row.defaultText.front() != '<'
			&& row.key.find('<') == std::string::npos && row.defaultText.find('<') == std::string::npos;
		out << (literal ? "" : "#") << row.key << " = " << (literal ? row.defaultText : "") << "\n";
	}
}


} // namespace XQueue

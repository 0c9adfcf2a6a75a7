// SPDX-License-Identifier: Apache-2.0
//
// PythonJson.h
//
// Writes JSON exactly as Python's json.dumps does with its defaults, because the xqueue
// wire contract is defined by that output: ", " and ": " separators, ensure_ascii
// (\uXXXX with lowercase hex, DEL included, surrogate pairs above U+FFFF), '/' not escaped.
// Also renders a parsed JSON value the way Python's str() would, which the old server
// used for the queue name in "Queue '<name>' not found".
//


#ifndef XQueue_PythonJson_INCLUDED
#define XQueue_PythonJson_INCLUDED


#include "Poco/Dynamic/Var.h"
#include <cstdint>
#include <string>
#include <string_view>


namespace XQueue {


class PythonJson
{
public:
	static std::string quote(std::string_view utf8);
		/// Returns the JSON string literal (with the quotes) for utf8.
		/// Invalid UTF-8 bytes become \ufffd, as Django's 'replace' decoding would.

	static void appendQuoted(std::string& out, std::string_view utf8);
		/// Appends quote(utf8) to out.

	static std::string pythonStr(const Poco::Dynamic::Var& value);
		/// Python's str() of a value produced by Poco::JSON::Parser:
		/// strings as they are, None/True/False, ints in decimal, floats as repr(),
		/// lists and dicts in repr() form with single-quoted strings.
};


} // namespace XQueue


#endif // XQueue_PythonJson_INCLUDED

// SPDX-License-Identifier: Apache-2.0
//
// HeaderFields.h
//
// Reading the JSON objects clients put in the xqueue_header form field, with the
// leniency the old server had (Python's json.loads and int()) but without its 500s.
//


#ifndef XQueue_HeaderFields_INCLUDED
#define XQueue_HeaderFields_INCLUDED


#include "Poco/JSON/Object.h"
#include <optional>
#include <string>


namespace XQueue {


class HeaderFields
{
public:
	static Poco::JSON::Object::Ptr parseObject(const std::string& text);
		/// The JSON object in text, or null if text is not JSON or not an object.

	static std::optional<Poco::Int64> pythonInt(const Poco::Dynamic::Var& value);
		/// Python int() of a submission_id as clients send it: a JSON integer, a
		/// string of digits (surrounding white space, a sign and single underscores
		/// between digits allowed), or a finite number (truncated). Booleans, null,
		/// lists, objects and anything out of 64-bit range give nothing.
};


} // namespace XQueue


#endif // XQueue_HeaderFields_INCLUDED

// SPDX-License-Identifier: Apache-2.0
//
// FormData.h
//
// A parsed request form with Django's QueryDict semantics: the last value of a
// repeated field wins; multipart parts with a filename are files, not fields.
//


#ifndef XQueue_FormData_INCLUDED
#define XQueue_FormData_INCLUDED


#include <map>
#include <optional>
#include <string>


namespace XQueue {


struct FormData
{
	std::map<std::string, std::string> fields;

	std::optional<std::string> field(const std::string& name) const
	{
		auto it = fields.find(name);
		if (it == fields.end()) return std::nullopt;
		return it->second;
	}
};


} // namespace XQueue


#endif // XQueue_FormData_INCLUDED

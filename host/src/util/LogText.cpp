// SPDX-License-Identifier: Apache-2.0
//
// LogText.cpp
//


#include "util/LogText.h"


namespace XQueue {


std::string LogText::escape(std::string_view text)
{
	static const char HEX[] = "0123456789abcdef";
	std::string out;
	out.reserve(text.size());
	for (char ch: text)
	{
		unsigned char c = static_cast<unsigned char>(ch);
		if (c == '\\') out += "\\\\";
		else if (c < 0x20 || c == 0x7f)
		{
			out += "\\x";
			out += HEX[c >> 4];
			out += HEX[c & 0xf];
		}
		else out += ch;
	}
	return out;
}


} // namespace XQueue

// SPDX-License-Identifier: Apache-2.0
//
// UriText.hpp
//
// Whether a URL consists only of what RFC 3986 allows: unreserved and reserved characters,
// and '%' followed by two hex digits. Anything else — controls, CR/LF, space, quotes,
// braces, non-ASCII — has no place in a request line, where CR/LF would split one request
// into two (Poco writes a URI's query as it was given). The host checks LMS callback URLs
// with it, and http_push its grader URL. Header-only.
//

#ifndef XQUEUE_SDK_URI_TEXT_HPP
#define XQUEUE_SDK_URI_TEXT_HPP

#include <string_view>

namespace xqueue {
namespace sdk {

inline bool isUriText(std::string_view url)
{
	constexpr std::string_view ALLOWED = "-._~:/?#[]@!$&'()*+,;=";
	auto isHex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); };
	for (std::size_t i = 0; i < url.size(); ++i)
	{
		const char c = url[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) continue;
		if (c == '%')
		{
			if (i + 2 >= url.size() || !isHex(url[i + 1]) || !isHex(url[i + 2])) return false;
			continue;
		}
		if (ALLOWED.find(c) == std::string_view::npos) return false;
	}
	return true;
}

} // namespace sdk
} // namespace xqueue

#endif // XQUEUE_SDK_URI_TEXT_HPP

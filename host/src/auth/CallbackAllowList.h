// SPDX-License-Identifier: Apache-2.0
//
// CallbackAllowList.h
//
// The callback URLs an LMS account may name in its submissions: a list of URL prefixes
// such as "https://lms.example.com/courses/". A callback matches a prefix when scheme,
// host and port are the same and its path (dot segments removed first) continues the
// prefix's path at a segment boundary. Compared as parsed URLs, never as strings, so
// "https://lms.example.com.evil.net/" or "https://lms.example.com@evil.net/" do not
// match "https://lms.example.com". An empty list permits every callback (the old
// server's behaviour; the address checks at delivery still apply).
//


#ifndef XQueue_CallbackAllowList_INCLUDED
#define XQueue_CallbackAllowList_INCLUDED


#include "Poco/URI.h"
#include <string>
#include <vector>


namespace XQueue {


class CallbackAllowList
{
public:
	explicit CallbackAllowList(const std::vector<std::string>& prefixes);
		/// Prefixes as stored (normalize()). One that does not parse matches nothing: a
		/// damaged entry narrows the list, it never opens it.

	static std::string normalize(const std::string& prefix);
		/// The prefix as it is stored: lowercase scheme and host, explicit path. Throws
		/// Poco::InvalidArgumentException naming a prefix that is not an absolute http(s)
		/// URL with a DNS name or IP address as host and without user information, query
		/// or fragment.

	bool permits(const std::string& callbackUrl) const;

	bool empty() const;

private:
	struct Prefix
	{
		std::string scheme;
		std::string host;
		unsigned short port = 0;
		std::string path;
	};

	static Prefix parse(const std::string& prefix);

	bool _restricted;
	std::vector<Prefix> _prefixes;
};


} // namespace XQueue


#endif // XQueue_CallbackAllowList_INCLUDED

// SPDX-License-Identifier: Apache-2.0
//
// CallbackAllowList.cpp
//


#include "auth/CallbackAllowList.h"
#include "Poco/Exception.h"
#include "Poco/Net/IPAddress.h"
#include "Poco/String.h"
#include <algorithm>


namespace XQueue {


namespace
{
	// A DNS name or an IP address. Poco::URI takes far more as a host ("[" from
	// "http://[[]..."), and such a host would not survive being written out and parsed
	// again: stored, it would make the account's list unreadable.
	bool isHostName(const std::string& host)
	{
		Poco::Net::IPAddress address;
		if (Poco::Net::IPAddress::tryParse(host, address)) return true;
		return !host.empty() && host.size() <= 253 && std::all_of(host.begin(), host.end(), [](char c) {
			return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
		});
	}
}


CallbackAllowList::Prefix CallbackAllowList::parse(const std::string& text)
{
	Poco::URI uri;
	try
	{
		uri = Poco::URI(Poco::trim(text));
	}
	catch (Poco::Exception&)
	{
		throw Poco::InvalidArgumentException("not a URL: " + text);
	}
	if ((uri.getScheme() != "http" && uri.getScheme() != "https") || !isHostName(uri.getHost()) || !uri.getUserInfo().empty()
		|| !uri.getRawQuery().empty() || !uri.getFragment().empty())
		throw Poco::InvalidArgumentException("expected http(s)://host[:port][/path], found " + text);
	uri.normalize();
	Prefix prefix;
	prefix.scheme = uri.getScheme();
	prefix.host = Poco::toLower(uri.getHost());
	prefix.port = uri.getPort();
	prefix.path = uri.getPath().empty() ? "/" : uri.getPath();
	return prefix;
}


std::string CallbackAllowList::normalize(const std::string& text)
{
	Prefix prefix = parse(text);
	Poco::URI uri;
	uri.setScheme(prefix.scheme);
	uri.setHost(prefix.host);
	uri.setPort(prefix.port);
	// Not setPath: it decodes, and the path is decoded already ("%25" would become a
	// broken escape, "%2541" an "A").
	std::string path;
	Poco::URI::encode(prefix.path, "?#", path);
	return uri.toString() + path;
}


CallbackAllowList::CallbackAllowList(const std::vector<std::string>& prefixes):
	_restricted(!prefixes.empty())
{
	for (const auto& text: prefixes)
	{
		try
		{
			_prefixes.push_back(parse(text));
		}
		catch (Poco::InvalidArgumentException&)
		{
			// Stored before this check existed, or written into the database by hand:
			// it matches nothing, and the list still restricts (fails closed).
		}
	}
}


bool CallbackAllowList::empty() const
{
	return !_restricted;
}


bool CallbackAllowList::permits(const std::string& callbackUrl) const
{
	if (!_restricted) return true;
	Poco::URI uri;
	try
	{
		uri = Poco::URI(callbackUrl);
	}
	catch (Poco::Exception&)
	{
		return false;
	}
	if (!uri.getUserInfo().empty()) return false;
	// "/courses/../admin" must not pass as "/courses/".
	uri.normalize();
	const std::string host = Poco::toLower(uri.getHost());
	const std::string path = uri.getPath().empty() ? "/" : uri.getPath();
	for (const auto& prefix: _prefixes)
	{
		if (uri.getScheme() != prefix.scheme || host != prefix.host || uri.getPort() != prefix.port) continue;
		if (path.compare(0, prefix.path.size(), prefix.path) != 0) continue;
		if (prefix.path.back() == '/' || path.size() == prefix.path.size() || path[prefix.path.size()] == '/') return true;
	}
	return false;
}


} // namespace XQueue

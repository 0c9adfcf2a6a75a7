//
// CallbackAllowList.cpp
//


#include "auth/CallbackAllowList.h"
#include "Poco/Exception.h"
#include "Poco/String.h"


namespace XQueue {


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
	if ((uri.getScheme() != "http" && uri.getScheme() != "https") || uri.getHost().empty() || !uri.getUserInfo().empty()
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
	uri.setPath(prefix.path);
	return uri.toString();
}


CallbackAllowList::CallbackAllowList(const std::vector<std::string>& prefixes)
{
	for (const auto& text: prefixes) _prefixes.push_back(parse(text));
}


bool CallbackAllowList::empty() const
{
	return _prefixes.empty();
}


bool CallbackAllowList::permits(const std::string& callbackUrl) const
{
	if (_prefixes.empty()) return true;
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

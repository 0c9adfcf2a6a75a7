// SPDX-License-Identifier: Apache-2.0
//
// Origin.cpp
//


#include "util/Origin.h"
#include "Poco/Exception.h"
#include "Poco/String.h"


namespace XQueue {


std::string Origin::of(const Poco::URI& uri)
{
	return Poco::toLower(uri.getScheme()) + "://" + Poco::toLower(uri.getHost()) + ":" + std::to_string(uri.getPort());
}


std::string Origin::parse(const std::string& entry)
{
	const std::string text = Poco::trim(entry);
	const bool bareHost = text.find("://") == std::string::npos;
	Poco::URI uri;
	try
	{
		uri = Poco::URI(bareHost ? "https://" + text : text);
	}
	catch (Poco::Exception&)
	{
		throw Poco::InvalidArgumentException("'" + entry + "' is not a host name or an http(s) origin");
	}
	const std::string scheme = Poco::toLower(uri.getScheme());
	if ((scheme != "http" && scheme != "https") || uri.getHost().empty() || !uri.getUserInfo().empty() ||
		(uri.getPath() != "" && uri.getPath() != "/") || !uri.getRawQuery().empty() || !uri.getFragment().empty())
		throw Poco::InvalidArgumentException("'" + entry + "' is not a host name or an http(s) origin (scheme://host[:port])");
	return of(uri);
}


} // namespace XQueue

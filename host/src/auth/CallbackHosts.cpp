//
// CallbackHosts.cpp
//


#include "auth/CallbackHosts.h"
#include "Poco/String.h"
#include "Poco/URI.h"


namespace XQueue {


CallbackHosts::CallbackHosts(UserStore& users):
	_users(users)
{
}


std::set<std::string> CallbackHosts::hostsOf(const std::vector<std::string>& prefixes)
{
	std::set<std::string> hosts;
	for (const auto& prefix: prefixes)
	{
		try
		{
			std::string host = Poco::toLower(Poco::URI(prefix).getHost());
			if (!host.empty()) hosts.insert(host);
		}
		catch (Poco::Exception&)
		{
			// A damaged prefix names no host.
		}
	}
	return hosts;
}


bool CallbackHosts::contains(const std::string& host)
{
	std::lock_guard<std::mutex> lock(_mutex);
	Micros now = Clock::now();
	if (_loadedAt == 0 || now - _loadedAt >= REFRESH)
	{
		try
		{
			_hosts = hostsOf(_users.activeCallbackPrefixes());
			_loadedAt = now;
		}
		catch (Poco::Exception&)
		{
			// The store is down: keep what we knew (deliveries wait for the store anyway).
		}
	}
	return _hosts.count(Poco::toLower(host)) > 0;
}


} // namespace XQueue

// SPDX-License-Identifier: Apache-2.0
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
	const std::string name = Poco::toLower(host);
	std::lock_guard<std::mutex> lock(_mutex);
	Micros now = Clock::now();
	bool found = _hosts.count(name) > 0;
	// A miss reloads unless the set is very fresh: a prefix registered a moment ago must
	// not make a delivery fail for good (misses are rare: only refused destinations).
	Micros age = now - _loadedAt;
	if (_loadedAt == 0 || age >= REFRESH || (!found && age >= MISS_REFRESH))
	{
		try
		{
			_hosts = hostsOf(_users.activeCallbackPrefixes());
			_loadedAt = now;
			found = _hosts.count(name) > 0;
		}
		catch (Poco::Exception&)
		{
			// The store is down: keep what we knew (deliveries wait for the store anyway).
		}
	}
	return found;
}


} // namespace XQueue

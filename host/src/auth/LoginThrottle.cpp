// SPDX-License-Identifier: Apache-2.0
//
// LoginThrottle.cpp
//


#include "auth/LoginThrottle.h"


namespace XQueue {


LoginThrottle::LoginThrottle(const Limits& limits):
	_limits(limits)
{
}


Micros LoginThrottle::wait(Failures& failures, const std::string& key, int limit, Micros now)
{
	if (limit <= 0) return 0;
	auto it = failures.find(key);
	if (it == failures.end()) return 0;
	auto& times = it->second;
	while (!times.empty() && times.front() <= now - _limits.window) times.pop_front();
	if (times.empty())
	{
		failures.erase(it);
		return 0;
	}
	if (static_cast<int>(times.size()) < limit) return 0;
	// Allowed again once enough of the oldest failures have left the window.
	return times[times.size() - static_cast<std::size_t>(limit)] + _limits.window - now;
}


void LoginThrottle::record(Failures& failures, const std::string& key, int limit, Micros now)
{
	if (limit <= 0) return;
	if (failures.size() >= MAX_TRACKED && !failures.count(key))
	{
		// Full: forget what left the window; if that is not enough, start over (the limit
		// then protects less for one window, but memory stays bounded).
		for (auto it = failures.begin(); it != failures.end(); )
		{
			if (it->second.empty() || it->second.back() <= now - _limits.window) it = failures.erase(it);
			else ++it;
		}
		if (failures.size() >= MAX_TRACKED) failures.clear();
	}
	auto& times = failures[key];
	times.push_back(now);
	while (static_cast<int>(times.size()) > limit) times.pop_front(); // only the newest matter
}


std::string LoginThrottle::pairKey(const std::string& username, const std::string& address)
{
	return username + '\n' + address;
}


Micros LoginThrottle::retryAfter(const std::string& username, const std::string& address, Micros now)
{
	std::lock_guard<std::mutex> lock(_mutex);
	Micros addressWait = wait(_addresses, address, _limits.perAddress, now);
	// The user's limit applies only to addresses that have guessed wrong for it.
	bool guessedHere = wait(_userAddresses, pairKey(username, address), 1, now) > 0;
	Micros userWait = guessedHere ? wait(_users, username, _limits.perUser, now) : 0;
	return std::max(userWait, addressWait);
}


void LoginThrottle::failed(const std::string& username, const std::string& address, Micros now)
{
	std::lock_guard<std::mutex> lock(_mutex);
	record(_users, username, _limits.perUser, now);
	record(_addresses, address, _limits.perAddress, now);
	if (_limits.perUser > 0) record(_userAddresses, pairKey(username, address), 1, now);
}


void LoginThrottle::succeeded(const std::string& username, const std::string& address)
{
	std::lock_guard<std::mutex> lock(_mutex);
	_userAddresses.erase(pairKey(username, address));
}


} // namespace XQueue

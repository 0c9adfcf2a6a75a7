// SPDX-License-Identifier: Apache-2.0
//
// SessionCache.cpp
//


#include "auth/SessionCache.h"
#include <algorithm>


namespace XQueue {


SessionCache::SessionCache(Micros lifetime):
	_lifetime(lifetime),
	// Poco's expiry (milliseconds, above 25) only frees memory; find() applies the exact
	// lifetime and the session's end.
	_entries(CAPACITY, static_cast<Poco::Timestamp::TimeDiff>(lifetime / 1000) + 1000)
{
}


std::optional<SessionUser> SessionCache::find(const std::string& tokenHash, Micros now)
{
	if (_lifetime <= 0) return std::nullopt;
	Poco::SharedPtr<Entry> entry = _entries.get(tokenHash);
	if (!entry) return std::nullopt;
	if (entry->until <= now)
	{
		_entries.remove(tokenHash);
		return std::nullopt;
	}
	return entry->user;
}


void SessionCache::remember(const std::string& tokenHash, const SessionUser& user, Micros now)
{
	if (_lifetime <= 0) return;
	Micros until = now + _lifetime;
	if (user.expiresAt > 0) until = std::min(until, user.expiresAt);
	_entries.update(tokenHash, Entry{user, until});
}


void SessionCache::forget(const std::string& tokenHash)
{
	_entries.remove(tokenHash);
}


std::size_t SessionCache::size()
{
	return _entries.size();
}


} // namespace XQueue

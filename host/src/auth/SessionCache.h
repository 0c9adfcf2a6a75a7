// SPDX-License-Identifier: Apache-2.0
//
// SessionCache.h
//
// The users of sessions seen in the last seconds, so that the requests of a session cost
// no store read each (a grader's get_submission / put_result, the LMS's submits).
//


#ifndef XQueue_SessionCache_INCLUDED
#define XQueue_SessionCache_INCLUDED


#include "store/SessionUser.h"
#include "util/Clock.h"
#include "Poco/ExpireLRUCache.h"
#include <cstddef>
#include <optional>
#include <string>


namespace XQueue {


class SessionCache
	/// Keyed by the token's hash, as the store is. An entry lasts `lifetime` from its read
	/// and never past its session's end; a logout through this host forgets it at once.
	/// What another host or xqueue-admin changes (a logout there, a deactivation, a new
	/// password, other grants) reaches this host within `lifetime`: the price of the read
	/// saved, bounded by the setting (0: every request reads the store). Thread-safe
	/// (Poco's caches lock). Entries past their time are dropped at every insertion, so
	/// the LMS's one-use sessions cost memory for a few seconds only.
{
public:
	static constexpr long CAPACITY = 100000;

	explicit SessionCache(Micros lifetime);

	std::optional<SessionUser> find(const std::string& tokenHash, Micros now);

	void remember(const std::string& tokenHash, const SessionUser& user, Micros now);

	void forget(const std::string& tokenHash);

	std::size_t size();
		/// Entries held, expired ones not yet dropped included (for the tests).

private:
	struct Entry
	{
		SessionUser user;
		Micros until = 0;
	};

	Micros _lifetime;
	Poco::ExpireLRUCache<std::string, Entry> _entries;
};


} // namespace XQueue


#endif // XQueue_SessionCache_INCLUDED

// SPDX-License-Identifier: Apache-2.0
//
// VerifiedCredentials.h
//
// Remembers, for a bounded time, that a (user, password) pair verified against the
// user's stored hash, so that a later login with the same pair skips the PBKDF2 (the
// LMS logs in once per submission: clients.md 3.1). Modelled on Apache's
// mod_authn_socache: an entry is a keyed hash (HMAC-SHA256 under a random key of this
// process) of the user name, the stored hash and the password, never the password. The
// stored hash is part of the entry, and every login reads the user's row, so a password
// change, deactivation or removal takes effect at the next login on every host. Only
// successes are remembered: a failed login always pays the full cost.
//


#ifndef XQueue_VerifiedCredentials_INCLUDED
#define XQueue_VerifiedCredentials_INCLUDED


#include "util/Clock.h"
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>


namespace XQueue {


class VerifiedCredentials
{
public:
	static constexpr std::size_t MAX_ENTRIES = 10000;

	explicit VerifiedCredentials(Micros lifetime);
		/// lifetime 0 disables the cache (every login verifies).

	bool contains(std::string_view username, std::string_view storedHash, std::string_view password, Micros now);
		/// True if this pair verified against this stored hash within the lifetime.

	void remember(std::string_view username, std::string_view storedHash, std::string_view password, Micros now);

private:
	std::string entryKey(std::string_view username, std::string_view storedHash, std::string_view password) const;

	Micros _lifetime;
	std::string _key;
	std::mutex _mutex;
	std::unordered_map<std::string, Micros> _expiries;
};


} // namespace XQueue


#endif // XQueue_VerifiedCredentials_INCLUDED

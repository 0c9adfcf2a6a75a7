// SPDX-License-Identifier: Apache-2.0
//
// SessionManager.h
//
// xqueue's login protocol: a form login that yields a random session token (the
// "sessionid" cookie), kept hashed in the store so that any host can check it.
//


#ifndef XQueue_SessionManager_INCLUDED
#define XQueue_SessionManager_INCLUDED


#include "auth/PasswordHasher.h"
#include "auth/SessionCache.h"
#include "auth/VerifiedCredentials.h"
#include "store/UserStore.h"
#include <optional>
#include <string>


namespace XQueue {


struct LoginSession
{
	std::string token;    /// goes into the cookie; only its SHA-256 is stored
	Micros expiresAt = 0;
};


class SessionManager
{
public:
	SessionManager(UserStore& users, const PasswordHasher& hasher, VerifiedCredentials& verified, int lifetimeSeconds,
		Micros cacheLifetime = 0);
		/// cacheLifetime: how long a session's user is remembered (SessionCache); 0: never.

	std::optional<LoginSession> login(const std::string& username, const std::string& password);
		/// A new session if the user exists, is active and the password verifies. Takes
		/// the same time for an unknown user as for a wrong password. Upgrades a hash
		/// with too few iterations. A pair that verified recently skips the PBKDF2
		/// (VerifiedCredentials); a failure always pays it.

	std::optional<SessionUser> authenticate(const std::string& token);
		/// The user of a live session, with what it may do, or nothing. Read from the store,
		/// or from the cache when the session was read within the cache's lifetime.

	void logout(const std::string& token);

	int lifetimeSeconds() const;

private:
	UserStore& _users;
	const PasswordHasher& _hasher;
	VerifiedCredentials& _verified;
	int _lifetimeSeconds;
	SessionCache _cache;
};


} // namespace XQueue


#endif // XQueue_SessionManager_INCLUDED

// SPDX-License-Identifier: Apache-2.0
//
// SessionManager.cpp
//


#include "auth/SessionManager.h"
#include "metrics/Metrics.h"
#include "util/Digest.h"
#include "util/SecureRandom.h"


namespace XQueue {


namespace
{
	constexpr std::size_t TOKEN_LENGTH = 32; // [a-z0-9]^32: 165 bits, Django's shape
}


SessionManager::SessionManager(UserStore& users, const PasswordHasher& hasher, VerifiedCredentials& verified, int lifetimeSeconds,
	Micros cacheLifetime):
	_users(users),
	_hasher(hasher),
	_verified(verified),
	_lifetimeSeconds(lifetimeSeconds),
	_cache(cacheLifetime)
{
}


std::optional<LoginSession> SessionManager::login(const std::string& username, const std::string& password)
{
	auto user = _users.find(username);
	if (!user)
	{
		_hasher.burn(password);
		Metrics::instance().add("xqueue_logins_total", {{"outcome", "failed"}});
		return std::nullopt;
	}
	_hasher.coverCostOf(user->passwordHash); // an unknown name must cost as much as this one
	Micros now = Clock::now();
	Metrics& metrics = Metrics::instance();
	bool remembered = _verified.contains(username, user->passwordHash, password, now);
	bool verified = remembered || _hasher.verify(password, user->passwordHash);
	if (!verified || !user->active)
	{
		if (remembered) _hasher.burn(password); // a failure always costs a verification
		metrics.add("xqueue_logins_total", {{"outcome", "failed"}});
		return std::nullopt;
	}
	metrics.add("xqueue_logins_total", {{"outcome", remembered ? "remembered" : "verified"}});
	if (!remembered)
	{
		if (_hasher.needsRehash(user->passwordHash))
		{
			user->passwordHash = _hasher.hash(password);
			_users.upgradeHash(user->id, user->passwordHash);
		}
		_verified.remember(username, user->passwordHash, password, now);
	}

	LoginSession session;
	session.token = SecureRandom::alphanumericToken(TOKEN_LENGTH);
	session.expiresAt = now + static_cast<Micros>(_lifetimeSeconds) * MICROS_PER_SECOND;
	_users.createSession(Digest::sha256Hex(session.token), user->id, now, session.expiresAt);
	return session;
}


std::optional<SessionUser> SessionManager::authenticate(const std::string& token)
{
	if (token.empty() || token.size() > 256) return std::nullopt;
	const std::string tokenHash = Digest::sha256Hex(token);
	const Micros now = Clock::now();
	if (auto cached = _cache.find(tokenHash, now)) return cached;
	auto user = _users.sessionUser(tokenHash, now);
	if (user) _cache.remember(tokenHash, *user, now);
	return user;
}


void SessionManager::logout(const std::string& token)
{
	if (token.empty() || token.size() > 256) return;
	const std::string tokenHash = Digest::sha256Hex(token);
	_cache.forget(tokenHash);
	_users.removeSession(tokenHash);
}


int SessionManager::lifetimeSeconds() const
{
	return _lifetimeSeconds;
}


} // namespace XQueue

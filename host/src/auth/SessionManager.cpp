//
// SessionManager.cpp
//


#include "auth/SessionManager.h"
#include "util/Digest.h"
#include "util/SecureRandom.h"


namespace XQueue {


namespace
{
	constexpr std::size_t TOKEN_LENGTH = 32; // [a-z0-9]^32: 165 bits, Django's shape
}


SessionManager::SessionManager(UserStore& users, const PasswordHasher& hasher, VerifiedCredentials& verified, int lifetimeSeconds):
	_users(users),
	_hasher(hasher),
	_verified(verified),
	_lifetimeSeconds(lifetimeSeconds)
{
}


std::optional<LoginSession> SessionManager::login(const std::string& username, const std::string& password)
{
	auto user = _users.find(username);
	if (!user)
	{
		_hasher.burn(password);
		return std::nullopt;
	}
	Micros now = Clock::now();
	if (!_verified.contains(username, user->passwordHash, password, now))
	{
		if (!_hasher.verify(password, user->passwordHash) || !user->active) return std::nullopt;
		if (_hasher.needsRehash(user->passwordHash))
		{
			user->passwordHash = _hasher.hash(password);
			_users.upgradeHash(user->id, user->passwordHash);
		}
		_verified.remember(username, user->passwordHash, password, now);
	}
	if (!user->active)
	{
		_hasher.burn(password); // a failure always costs a verification
		return std::nullopt;
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
	return _users.sessionUser(Digest::sha256Hex(token), Clock::now());
}


void SessionManager::logout(const std::string& token)
{
	if (token.empty() || token.size() > 256) return;
	_users.removeSession(Digest::sha256Hex(token));
}


int SessionManager::lifetimeSeconds() const
{
	return _lifetimeSeconds;
}


} // namespace XQueue

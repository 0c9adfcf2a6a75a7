// SPDX-License-Identifier: Apache-2.0
//
// VerifiedCredentials.cpp
//


#include "auth/VerifiedCredentials.h"
#include "util/Digest.h"
#include "util/SecureRandom.h"


namespace XQueue {


VerifiedCredentials::VerifiedCredentials(Micros lifetime):
	_lifetime(lifetime),
	_key(SecureRandom::hexToken(32))
{
}


std::string VerifiedCredentials::entryKey(std::string_view username, std::string_view storedHash, std::string_view password) const
{
	// Length-prefixed fields: no two different triples give the same message.
	std::string message;
	message.reserve(username.size() + storedHash.size() + password.size() + 24);
	for (std::string_view field: {username, storedHash, password})
	{
		message += std::to_string(field.size());
		message += ':';
		message += field;
	}
	return Digest::hmacSha256Base64Url(_key, message);
}


bool VerifiedCredentials::contains(std::string_view username, std::string_view storedHash, std::string_view password, Micros now)
{
	if (_lifetime <= 0) return false;
	std::string key = entryKey(username, storedHash, password);
	std::lock_guard<std::mutex> lock(_mutex);
	auto it = _expiries.find(key);
	if (it == _expiries.end()) return false;
	if (it->second > now) return true;
	_expiries.erase(it);
	return false;
}


void VerifiedCredentials::remember(std::string_view username, std::string_view storedHash, std::string_view password, Micros now)
{
	if (_lifetime <= 0) return;
	std::string key = entryKey(username, storedHash, password);
	std::lock_guard<std::mutex> lock(_mutex);
	if (_expiries.size() >= MAX_ENTRIES && !_expiries.count(key))
	{
		// Full: forget what expired; if that is not enough, start over (a few logins
		// then pay the PBKDF2 again, memory stays bounded).
		for (auto it = _expiries.begin(); it != _expiries.end(); )
		{
			if (it->second <= now) it = _expiries.erase(it);
			else ++it;
		}
		if (_expiries.size() >= MAX_ENTRIES) _expiries.clear();
	}
	_expiries[key] = now + _lifetime;
}


} // namespace XQueue

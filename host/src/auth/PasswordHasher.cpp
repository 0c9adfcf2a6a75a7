// SPDX-License-Identifier: Apache-2.0
//
// PasswordHasher.cpp
//


#include "auth/PasswordHasher.h"
#include "util/Digest.h"
#include "util/SecureRandom.h"
#include "Poco/Base64Encoder.h"
#include "Poco/Exception.h"
#include "Poco/NumberParser.h"
#include "Poco/StringTokenizer.h"
#include <openssl/evp.h>
#include <sstream>
#include <vector>


namespace XQueue {


namespace
{
	const std::string ALGORITHM = "pbkdf2_sha256";

	struct Parsed
	{
		int iterations = 0;
		std::string salt;
		std::string hash;
	};

	bool parse(std::string_view encoded, Parsed& out)
	{
		std::vector<std::string> parts;
		std::string s(encoded);
		std::size_t start = 0;
		while (true)
		{
			auto pos = s.find('$', start);
			parts.push_back(s.substr(start, pos == std::string::npos ? std::string::npos : pos - start));
			if (pos == std::string::npos) break;
			start = pos + 1;
		}
		if (parts.size() != 4 || parts[0] != ALGORITHM || parts[2].empty() || parts[3].empty()) return false;
		// Django's shape exactly: the hash is base64 (anything else could never verify).
		if (parts[3].find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") != std::string::npos) return false;
		int iterations = 0;
		if (!Poco::NumberParser::tryParse(parts[1], iterations) || iterations < 1) return false;
		out.iterations = iterations;
		out.salt = parts[2];
		out.hash = parts[3];
		return true;
	}
}


PasswordHasher::PasswordHasher(int iterations):
	_iterations(iterations),
	_burnIterations(iterations)
{
}


std::string PasswordHasher::derive(std::string_view password, std::string_view salt, int iterations)
{
	unsigned char key[32];
	if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
			reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()),
			iterations, EVP_sha256(), sizeof(key), key) != 1)
		throw Poco::SystemException("OpenSSL PBKDF2 failed");
	std::ostringstream ostr;
	Poco::Base64Encoder encoder(ostr);
	encoder.rdbuf()->setLineLength(0);
	encoder.write(reinterpret_cast<const char*>(key), sizeof(key));
	encoder.close();
	return ostr.str();
}


std::string PasswordHasher::hash(std::string_view password) const
{
	if (password.size() > MAX_PASSWORD_BYTES)
		throw Poco::InvalidArgumentException("password longer than 4096 bytes");
	std::string salt = SecureRandom::alphanumericToken(22);
	return ALGORITHM + "$" + std::to_string(_iterations) + "$" + salt + "$" + derive(password, salt, _iterations);
}


bool PasswordHasher::verify(std::string_view password, std::string_view encoded) const
{
	Parsed parsed;
	if (password.size() > MAX_PASSWORD_BYTES || !parse(encoded, parsed))
	{
		burn(password);
		return false;
	}
	return Digest::constantTimeEquals(derive(password, parsed.salt, parsed.iterations), parsed.hash);
}


bool PasswordHasher::needsRehash(std::string_view encoded) const
{
	Parsed parsed;
	return parse(encoded, parsed) && parsed.iterations != _iterations;
}


void PasswordHasher::coverCostOf(std::string_view encoded) const
{
	Parsed parsed;
	if (!parse(encoded, parsed)) return;
	int current = _burnIterations.load();
	while (parsed.iterations > current && !_burnIterations.compare_exchange_weak(current, parsed.iterations))
	{
	}
}


void PasswordHasher::burn(std::string_view password) const
{
	derive(password.substr(0, MAX_PASSWORD_BYTES), "xqueue-dummy-salt", _burnIterations.load());
}


bool PasswordHasher::isWellFormed(std::string_view encoded)
{
	Parsed parsed;
	return parse(encoded, parsed);
}


} // namespace XQueue

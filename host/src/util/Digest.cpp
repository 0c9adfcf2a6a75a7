// SPDX-License-Identifier: Apache-2.0
//
// Digest.cpp
//


#include "util/Digest.h"
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include "Poco/Base64Encoder.h"
#include "Poco/Exception.h"
#include <sstream>


namespace XQueue {


std::string Digest::sha256Hex(std::string_view data)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int length = 0;
	if (EVP_Digest(data.data(), data.size(), md, &length, EVP_sha256(), nullptr) != 1)
		throw Poco::SystemException("OpenSSL SHA-256 failed");
	static const char HEX[] = "0123456789abcdef";
	std::string out;
	out.reserve(length * 2);
	for (unsigned int i = 0; i < length; ++i)
	{
		out += HEX[md[i] >> 4];
		out += HEX[md[i] & 0x0F];
	}
	return out;
}


std::string Digest::hmacSha256Base64Url(std::string_view key, std::string_view message)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int length = 0;
	if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
			reinterpret_cast<const unsigned char*>(message.data()), message.size(), md, &length))
		throw Poco::SystemException("OpenSSL HMAC-SHA256 failed");
	std::ostringstream out;
	Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
	encoder.write(reinterpret_cast<const char*>(md), length);
	encoder.close();
	return out.str();
}


bool Digest::constantTimeEquals(std::string_view a, std::string_view b)
{
	if (a.size() != b.size()) return false;
	if (a.empty()) return true;
	return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}


} // namespace XQueue

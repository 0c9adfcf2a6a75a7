//
// Digest.cpp
//


#include "util/Digest.h"
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include "Poco/Exception.h"


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


bool Digest::constantTimeEquals(std::string_view a, std::string_view b)
{
	if (a.size() != b.size()) return false;
	if (a.empty()) return true;
	return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}


} // namespace XQueue

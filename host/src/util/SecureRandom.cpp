// SPDX-License-Identifier: Apache-2.0
//
// SecureRandom.cpp
//


#include "util/SecureRandom.h"
#include "Poco/Exception.h"
#include <openssl/rand.h>
#include <cstdint>
#include <vector>


namespace XQueue {


namespace
{
	void fill(unsigned char* pBuffer, std::size_t length)
	{
		if (RAND_bytes(pBuffer, static_cast<int>(length)) != 1)
			throw Poco::SystemException("OpenSSL RAND_bytes failed");
	}
}


std::string SecureRandom::hexToken(std::size_t bytes)
{
	static const char HEX[] = "0123456789abcdef";
	std::vector<unsigned char> raw(bytes);
	fill(raw.data(), raw.size());
	std::string out;
	out.reserve(bytes * 2);
	for (unsigned char c: raw)
	{
		out += HEX[c >> 4];
		out += HEX[c & 0x0F];
	}
	return out;
}


std::string SecureRandom::alphanumericToken(std::size_t length)
{
	static const char ALPHABET[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	constexpr unsigned ALPHABET_SIZE = 36;
	constexpr unsigned LIMIT = 256 - (256 % ALPHABET_SIZE); // reject bytes >= 252: no modulo bias
	std::string out;
	out.reserve(length);
	unsigned char buffer[64];
	while (out.size() < length)
	{
		fill(buffer, sizeof(buffer));
		for (unsigned char c: buffer)
		{
			if (c < LIMIT && out.size() < length) out += ALPHABET[c % ALPHABET_SIZE];
		}
	}
	return out;
}


double SecureRandom::uniform()
{
	std::uint64_t value = 0;
	fill(reinterpret_cast<unsigned char*>(&value), sizeof(value));
	return static_cast<double>(value >> 11) * (1.0 / 9007199254740992.0); // 53 random bits
}


} // namespace XQueue

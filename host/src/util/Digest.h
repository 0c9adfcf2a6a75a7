// SPDX-License-Identifier: Apache-2.0
//
// Digest.h
//
// SHA-256 and HMAC-SHA256 helpers and constant-time comparison.
//


#ifndef XQueue_Digest_INCLUDED
#define XQueue_Digest_INCLUDED


#include <string>
#include <string_view>


namespace XQueue {


class Digest
{
public:
	static std::string sha256Hex(std::string_view data);
		/// Lowercase hex SHA-256 of data. Used to store session tokens hashed and to
		/// index full callback URLs with a fixed-width key.

	static std::string hmacSha256Base64Url(std::string_view key, std::string_view message);
		/// HMAC-SHA256 of message, base64url without padding (43 characters): the
		/// signature of file links.

	static bool constantTimeEquals(std::string_view a, std::string_view b);
		/// Compares without an early exit on the first differing byte (length is not secret).
};


} // namespace XQueue


#endif // XQueue_Digest_INCLUDED

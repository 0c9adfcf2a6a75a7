//
// Digest.h
//
// SHA-256 helpers and constant-time comparison.
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

	static bool constantTimeEquals(std::string_view a, std::string_view b);
		/// Compares without an early exit on the first differing byte (length is not secret).
};


} // namespace XQueue


#endif // XQueue_Digest_INCLUDED

// SPDX-License-Identifier: Apache-2.0
//
// SecureRandom.h
//
// Unguessable tokens for sessions, pull keys and delivery leases (OpenSSL's CSPRNG).
//


#ifndef XQueue_SecureRandom_INCLUDED
#define XQueue_SecureRandom_INCLUDED


#include <string>


namespace XQueue {


class SecureRandom
	/// Thin wrapper over OpenSSL RAND_bytes. Throws Poco::SystemException if the
	/// CSPRNG cannot deliver (never falls back to a weak generator).
{
public:
	static std::string hexToken(std::size_t bytes);
		/// Returns 2*bytes lowercase hex characters from `bytes` random bytes.

	static std::string alphanumericToken(std::size_t length);
		/// Returns `length` characters from [a-z0-9], without modulo bias
		/// (the shape of Django's session keys).

	static double uniform();
		/// Returns a uniformly distributed double in [0, 1).
};


} // namespace XQueue


#endif // XQueue_SecureRandom_INCLUDED

// SPDX-License-Identifier: Apache-2.0
//
// PasswordHasher.h
//
// Django-compatible password hashes: pbkdf2_sha256$<iterations>$<salt>$<base64 hash>,
// so that hashes exported from a Django xqueue (auth_user.password) verify unchanged.
//


#ifndef XQueue_PasswordHasher_INCLUDED
#define XQueue_PasswordHasher_INCLUDED


#include <atomic>
#include <string>
#include <string_view>


namespace XQueue {


class PasswordHasher
{
public:
	static constexpr std::size_t MAX_PASSWORD_BYTES = 4096;
		/// Longer passwords are refused before hashing (Django's cap, against hashing DoS).

	explicit PasswordHasher(int iterations);

	std::string hash(std::string_view password) const;
		/// A new hash with a random 22-character salt and the configured iteration count.

	bool verify(std::string_view password, std::string_view encoded) const;
		/// True if encoded is a well-formed pbkdf2_sha256 hash of password. Malformed,
		/// unusable ("!..."), or unsupported hashes never verify. Constant-time compare.

	bool needsRehash(std::string_view encoded) const;
		/// True if encoded uses another iteration count than configured (rehashed at login,
		/// so that every account converges on the configured cost).

	void burn(std::string_view password) const;
		/// Spends the time of the costliest verification in use, so that an unknown user
		/// name takes as long to refuse as a wrong password for any account.

	void coverCostOf(std::string_view encoded) const;
		/// A stored hash exists with encoded's iteration count: burn() costs at least as
		/// much from now on (an imported Django 5 hash has 1,000,000 iterations).

	static bool isWellFormed(std::string_view encoded);
		/// pbkdf2_sha256$<iterations>$<salt>$<base64 hash>, the shape Django writes: a hash this
		/// server can check (the import commands take no other).

private:
	static std::string derive(std::string_view password, std::string_view salt, int iterations);

	int _iterations;
	mutable std::atomic<int> _burnIterations; /// the most iterations of any hash seen, at least _iterations
};


} // namespace XQueue


#endif // XQueue_PasswordHasher_INCLUDED

// SPDX-License-Identifier: Apache-2.0
//
// LoginThrottle.h
//
// Slows password guessing (reliability S3) without letting a third party lock an account
// out: after too many failed logins within a window from one client address, that address
// is refused; after too many for one user name, the addresses that failed for that name
// are refused, while an address that has not failed for it (the LMS's, which always has
// the right password) is not: nobody's wrong guesses make the LMS's logins fail. Refused
// attempts are answered without checking the password until older failures leave the
// window. Kept in memory per host (several hosts multiply the allowance by their number);
// bounded in size, so that random user names or addresses cannot exhaust memory.
//


#ifndef XQueue_LoginThrottle_INCLUDED
#define XQueue_LoginThrottle_INCLUDED


#include "util/Clock.h"
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>


namespace XQueue {


class LoginThrottle
{
public:
	struct Limits
	{
		int perUser = 10;      /// failures per user name within the window; 0 = no limit
		int perAddress = 100;  /// failures per client address within the window; 0 = no limit
		Micros window = 300 * MICROS_PER_SECOND;
	};

	static constexpr std::size_t MAX_TRACKED = 100000; /// names or addresses remembered at most

	explicit LoginThrottle(const Limits& limits);

	Micros retryAfter(const std::string& username, const std::string& address, Micros now);
		/// 0 if an attempt may be made now; otherwise how long until one may.

	void failed(const std::string& username, const std::string& address, Micros now);
	void succeeded(const std::string& username, const std::string& address);
		/// A correct password clears this address's failures for the user (not the
		/// user's count, which a guesser elsewhere may still be filling).

private:
	using Failures = std::unordered_map<std::string, std::deque<Micros>>;

	static std::string pairKey(const std::string& username, const std::string& address);
	Micros wait(Failures& failures, const std::string& key, int limit, Micros now);
	void record(Failures& failures, const std::string& key, int limit, Micros now);

	Limits _limits;
	std::mutex _mutex;
	Failures _users;
	Failures _addresses;
	Failures _userAddresses; /// user + '\n' + address: did this address fail for this user?
};


} // namespace XQueue


#endif // XQueue_LoginThrottle_INCLUDED

//
// LoginThrottle.h
//
// Slows password guessing (reliability S3): after too many failed logins within a window,
// for one user name or from one client address, further attempts are refused without
// checking the password until older failures leave the window. Kept in memory per host
// (several hosts multiply the allowance by their number); bounded in size, so that random
// user names cannot exhaust memory.
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
	void succeeded(const std::string& username);
		/// A correct password clears the user's failures (not the address's).

private:
	using Failures = std::unordered_map<std::string, std::deque<Micros>>;

	Micros wait(Failures& failures, const std::string& key, int limit, Micros now);
	void record(Failures& failures, const std::string& key, int limit, Micros now);

	Limits _limits;
	std::mutex _mutex;
	Failures _users;
	Failures _addresses;
};


} // namespace XQueue


#endif // XQueue_LoginThrottle_INCLUDED

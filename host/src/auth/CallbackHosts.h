// SPDX-License-Identifier: Apache-2.0
//
// CallbackHosts.h
//
// The host names that operators have registered as their LMSs: the hosts of the callback
// prefixes of active accounts (xqueue-admin user callbacks NAME URL...). Registering a
// prefix is the operator saying "this LMS is mine", so callbacks to these hosts may reach
// special-purpose addresses (loopback, private networks: devstack, Docker, Kubernetes)
// without xqueue.outbound.allow_addresses. Read from the store and cached (several hosts
// share the store): a newly registered host is seen within a quarter of a second, a
// removed one within 10 s.
//


#ifndef XQueue_CallbackHosts_INCLUDED
#define XQueue_CallbackHosts_INCLUDED


#include "store/UserStore.h"
#include "util/Clock.h"
#include <mutex>
#include <set>
#include <string>


namespace XQueue {


class CallbackHosts
{
public:
	static constexpr Micros REFRESH = 10 * MICROS_PER_SECOND;      /// a registered host is known this long
	static constexpr Micros MISS_REFRESH = MICROS_PER_SECOND / 4; /// an unknown one is looked up again after this

	explicit CallbackHosts(UserStore& users);

	bool contains(const std::string& host);
		/// True if an active account's callback prefix names this host (case-insensitive).
		/// When the store cannot be read, the last known set answers.

	static std::set<std::string> hostsOf(const std::vector<std::string>& prefixes);

private:
	UserStore& _users;
	std::mutex _mutex;
	std::set<std::string> _hosts;
	Micros _loadedAt = 0;
};


} // namespace XQueue


#endif // XQueue_CallbackHosts_INCLUDED

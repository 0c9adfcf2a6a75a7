//
// AddressAllowList.h
//
// Client addresses allowed to reach an operator endpoint (/metrics): a list of CIDR
// prefixes such as "127.0.0.0/8, ::1, 10.0.0.0/8". An IPv4 client seen on an IPv6
// socket (::ffff:a.b.c.d) is matched as IPv4.
//


#ifndef XQueue_AddressAllowList_INCLUDED
#define XQueue_AddressAllowList_INCLUDED


#include "Poco/Net/IPAddress.h"
#include <string>
#include <vector>


namespace XQueue {


class AddressAllowList
{
public:
	explicit AddressAllowList(const std::string& list);
		/// Comma-separated addresses or prefixes; "*" allows everyone. Throws
		/// Poco::InvalidArgumentException naming a malformed entry.

	bool allows(const Poco::Net::IPAddress& client) const;

private:
	struct Prefix
	{
		Poco::Net::IPAddress network;
		Poco::Net::IPAddress mask;
	};

	std::vector<Prefix> _prefixes;
	bool _everyone = false;
};


} // namespace XQueue


#endif // XQueue_AddressAllowList_INCLUDED

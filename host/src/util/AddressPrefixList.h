// SPDX-License-Identifier: Apache-2.0
//
// AddressPrefixList.h
//
// A set of addresses given as CIDR prefixes such as "127.0.0.0/8, ::1, 10.0.0.0/8":
// who may read /metrics, which special-purpose addresses outbound calls may reach.
// An IPv4 address seen as IPv6 (::ffff:a.b.c.d) is matched as IPv4.
//


#ifndef XQueue_AddressPrefixList_INCLUDED
#define XQueue_AddressPrefixList_INCLUDED


#include "Poco/Net/IPAddress.h"
#include <string>
#include <vector>


namespace XQueue {


class AddressPrefixList
{
public:
	explicit AddressPrefixList(const std::string& list);
		/// Comma-separated addresses or prefixes; "*" is every address. Throws
		/// Poco::InvalidArgumentException naming a malformed entry.

	bool contains(const Poco::Net::IPAddress& address) const;

	const std::string& text() const;
		/// The list as given.

private:
	struct Prefix
	{
		Poco::Net::IPAddress network;
		Poco::Net::IPAddress mask;
	};

	std::string _text;
	std::vector<Prefix> _prefixes;
	bool _everyone = false;
};


} // namespace XQueue


#endif // XQueue_AddressPrefixList_INCLUDED

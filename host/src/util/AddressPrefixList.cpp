// SPDX-License-Identifier: Apache-2.0
//
// AddressPrefixList.cpp
//


#include "util/AddressPrefixList.h"
#include "Poco/Exception.h"
#include "Poco/NumberParser.h"
#include "Poco/StringTokenizer.h"


namespace XQueue {


AddressPrefixList::AddressPrefixList(const std::string& list):
	_text(list)
{
	Poco::StringTokenizer entries(list, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
	for (const auto& entry: entries)
	{
		if (entry == "*")
		{
			_everyone = true;
			continue;
		}
		auto slash = entry.find('/');
		Poco::Net::IPAddress network;
		if (!Poco::Net::IPAddress::tryParse(entry.substr(0, slash), network))
			throw Poco::InvalidArgumentException("not an address or prefix: " + entry);
		unsigned maxBits = network.family() == Poco::Net::IPAddress::IPv4 ? 32 : 128;
		unsigned bits = maxBits;
		if (slash != std::string::npos && (!Poco::NumberParser::tryParseUnsigned(entry.substr(slash + 1), bits) || bits > maxBits))
			throw Poco::InvalidArgumentException("not an address or prefix: " + entry);
		Poco::Net::IPAddress mask(bits, network.family());
		_prefixes.push_back(Prefix{network & mask, mask});
	}
}


bool AddressPrefixList::contains(const Poco::Net::IPAddress& candidate) const
{
	if (_everyone) return true;
	Poco::Net::IPAddress address = candidate;
	if (address.family() == Poco::Net::IPAddress::IPv6 && address.isIPv4Mapped())
		address = Poco::Net::IPAddress(static_cast<const char*>(address.addr()) + 12, 4);
	for (const auto& prefix: _prefixes)
	{
		if (prefix.network.family() != address.family()) continue;
		if ((address & prefix.mask) == prefix.network) return true;
	}
	return false;
}


const std::string& AddressPrefixList::text() const
{
	return _text;
}


} // namespace XQueue

// SPDX-License-Identifier: Apache-2.0
//
// CallbackUrlFuzzer.cpp
//
// Fuzz target: the checks a callback URL goes through before the host posts to it
// (URL parsing, the per-account prefix match, CIDR lists). Input: a prefix on the
// first line, the callback URL after it. A URL must never be permitted under a
// prefix whose host it does not have.
//


#include "auth/CallbackAllowList.h"
#include "delivery/DestinationRefusedException.h"
#include "delivery/OutboundConnector.h"
#include "util/AddressPrefixList.h"
#include "Poco/Exception.h"
#include "Poco/String.h"
#include "Poco/URI.h"
#include <cstddef>
#include <cstdint>
#include <string>


extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
	std::string input(reinterpret_cast<const char*>(data), size);
	std::size_t newline = input.find('\n');
	std::string prefix = newline == std::string::npos ? input : input.substr(0, newline);
	std::string url = newline == std::string::npos ? std::string() : input.substr(newline + 1);

	try
	{
		XQueue::AddressPrefixList list(prefix);
		Poco::Net::IPAddress address;
		if (Poco::Net::IPAddress::tryParse(url, address)) list.contains(address);
	}
	catch (Poco::InvalidArgumentException&)
	{
	}
	try
	{
		Poco::URI uri = XQueue::OutboundConnector::parse(url);
		XQueue::OutboundConnector::hostHeader(uri);
	}
	catch (XQueue::DestinationRefusedException&)
	{
	}
	std::string normalized;
	try
	{
		normalized = XQueue::CallbackAllowList::normalize(prefix);
	}
	catch (Poco::InvalidArgumentException&)
	{
		return 0;
	}
	if (XQueue::CallbackAllowList({normalized}).permits(url))
	{
		// Permitted: the URL's own host must be the prefix's.
		Poco::URI permitted(url);
		if (Poco::toLower(permitted.getHost()) != Poco::toLower(Poco::URI(normalized).getHost())) __builtin_trap();
		if (!permitted.getUserInfo().empty()) __builtin_trap();
	}
	return 0;
}

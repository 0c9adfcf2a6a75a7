// SPDX-License-Identifier: Apache-2.0
//
// OutboundSettings.h
//
// Calls to URLs that clients name (xqueue.outbound.*).
//


#ifndef XQueue_OutboundSettings_INCLUDED
#define XQueue_OutboundSettings_INCLUDED


#include <string>


namespace XQueue {


struct OutboundSettings
{
	std::string allowAddresses;
	std::string insecureTlsHosts;
};


} // namespace XQueue


#endif // XQueue_OutboundSettings_INCLUDED

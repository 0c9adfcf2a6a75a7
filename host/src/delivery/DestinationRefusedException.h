// SPDX-License-Identifier: Apache-2.0
//
// DestinationRefusedException.h
//
// An outbound call was refused before any byte was sent: the destination is not an
// absolute http(s) URL, or its host resolves only to addresses outbound calls may not
// reach (loopback, private, link-local... unless xqueue.outbound.allow_addresses names
// them). Retrying cannot help.
//


#ifndef XQueue_DestinationRefusedException_INCLUDED
#define XQueue_DestinationRefusedException_INCLUDED


#include "Poco/Exception.h"


namespace XQueue {


POCO_DECLARE_EXCEPTION(, DestinationRefusedException, Poco::RuntimeException)


} // namespace XQueue


#endif // XQueue_DestinationRefusedException_INCLUDED

// SPDX-License-Identifier: Apache-2.0
//
// RequestExceptions.cpp
//


#include "http/RequestExceptions.h"


namespace XQueue {


POCO_IMPLEMENT_EXCEPTION(RequestTooLargeException, Poco::RuntimeException, "Request too large")
POCO_IMPLEMENT_EXCEPTION(MalformedRequestException, Poco::RuntimeException, "Malformed request")


} // namespace XQueue

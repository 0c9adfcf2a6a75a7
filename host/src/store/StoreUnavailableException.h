// SPDX-License-Identifier: Apache-2.0
//
// StoreUnavailableException.h
//
// The store could not serve a request (locked past the busy timeout, I/O error, pool
// exhausted, a group commit that failed). Handlers answer 503 with an envelope; nothing
// of that request was committed.
//


#ifndef XQueue_StoreUnavailableException_INCLUDED
#define XQueue_StoreUnavailableException_INCLUDED


#include "Poco/Exception.h"


namespace XQueue {


POCO_DECLARE_EXCEPTION(, StoreUnavailableException, Poco::RuntimeException)


} // namespace XQueue


#endif // XQueue_StoreUnavailableException_INCLUDED

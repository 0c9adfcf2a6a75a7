// SPDX-License-Identifier: Apache-2.0
//
// StoreUnavailableException.cpp
//


#include "store/StoreUnavailableException.h"


namespace XQueue {


POCO_IMPLEMENT_EXCEPTION(StoreUnavailableException, Poco::RuntimeException, "Store unavailable")


} // namespace XQueue

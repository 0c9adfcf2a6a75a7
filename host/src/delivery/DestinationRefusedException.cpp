// SPDX-License-Identifier: Apache-2.0
//
// DestinationRefusedException.cpp
//


#include "delivery/DestinationRefusedException.h"


namespace XQueue {


POCO_IMPLEMENT_EXCEPTION(DestinationRefusedException, Poco::RuntimeException, "Destination refused")


} // namespace XQueue

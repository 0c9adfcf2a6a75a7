// SPDX-License-Identifier: Apache-2.0
//
// SessionUser.h
//
// The account behind a live session, as a request needs it: who it is, what it may do,
// and which callback URLs it may name. Loaded once per request by the login gate.
//


#ifndef XQueue_SessionUser_INCLUDED
#define XQueue_SessionUser_INCLUDED


#include "store/UserAccess.h"
#include "util/Clock.h"
#include "Poco/Types.h"
#include <string>
#include <vector>


namespace XQueue {


struct SessionUser
{
	Poco::Int64 id = 0;
	UserAccess access;
	std::vector<std::string> callbackPrefixes; /// for accounts that may submit; empty: any (CallbackAllowList)
	std::string username;                      /// for the request log
	Micros expiresAt = 0;                      /// the session's end (store clock)
};


} // namespace XQueue


#endif // XQueue_SessionUser_INCLUDED

// SPDX-License-Identifier: Apache-2.0
//
// AuthSettings.h
//
// Users, sessions and login throttling (xqueue.auth.*).
//


#ifndef XQueue_AuthSettings_INCLUDED
#define XQueue_AuthSettings_INCLUDED


namespace XQueue {


struct AuthSettings
{
	int pbkdf2Iterations = 600000;
	double verifiedLifetime = 300.0;
	int sessionLifetime = 1209600;
	double sessionCacheLifetime = 2.0;
	int maxFailuresPerUser = 10;
	int maxFailuresPerAddress = 100;
	int failureWindow = 300;
};


} // namespace XQueue


#endif // XQueue_AuthSettings_INCLUDED

// SPDX-License-Identifier: Apache-2.0
//
// DeliverySettings.h
//
// Delivery of results to the LMS (xqueue.delivery.*).
//


#ifndef XQueue_DeliverySettings_INCLUDED
#define XQueue_DeliverySettings_INCLUDED


#include <set>
#include <string>


namespace XQueue {


struct DeliverySettings
{
	int threads = 2;
	int timeout = 5;
	double initialDelay = 5.0;
	double maxDelay = 600.0;
	int horizon = 86400;
	double minSubmissionAge = 2.0;
	double pollInterval = 1.0;
	double keepAlive = 1.0;
	std::string username;
	std::string password;
	std::string passwordFile;
	std::set<std::string> authHosts; /// origins (Origin::parse)
	std::string signingKeyFile;

	std::string passwordWithSecrets() const;
		/// password, or the first line of password_file.

	std::string signingKey() const;
		/// The key from signing_key_file, or "" (deliveries unsigned). Throws for an
		/// unreadable file or an unusable key.
};


} // namespace XQueue


#endif // XQueue_DeliverySettings_INCLUDED

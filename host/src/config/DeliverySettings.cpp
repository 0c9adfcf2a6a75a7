// SPDX-License-Identifier: Apache-2.0
//
// DeliverySettings.cpp
//


#include "config/DeliverySettings.h"
#include "config/SecretFile.h"
#include "xqueue/sdk/WebhookSignature.hpp"
#include "Poco/Exception.h"
#include <stdexcept>


namespace XQueue {


std::string DeliverySettings::passwordWithSecrets() const
{
	return passwordFile.empty() ? password : SecretFile::firstLine(passwordFile);
}


std::string DeliverySettings::signingKey() const
{
	if (signingKeyFile.empty()) return std::string();
	std::string key = SecretFile::firstLine(signingKeyFile);
	try
	{
		xqueue::sdk::WebhookSignature check(key);
	}
	catch (std::invalid_argument& exc)
	{
		throw Poco::InvalidArgumentException(std::string("xqueue.delivery.signing_key_file: ") + exc.what());
	}
	return key;
}


} // namespace XQueue

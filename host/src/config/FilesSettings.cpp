// SPDX-License-Identifier: Apache-2.0
//
// FilesSettings.cpp
//


#include "config/FilesSettings.h"
#include "config/SecretFile.h"
#include "Poco/Exception.h"


namespace XQueue {


std::string FilesSettings::linkSecret() const
{
	if (urlSecretFile.empty()) return std::string();
	std::string secret = SecretFile::firstLine(urlSecretFile);
	if (secret.size() < 16) throw Poco::InvalidArgumentException("xqueue.files.url_secret_file: the key must have at least 16 characters");
	return secret;
}


} // namespace XQueue

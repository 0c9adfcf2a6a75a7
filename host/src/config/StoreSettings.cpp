// SPDX-License-Identifier: Apache-2.0
//
// StoreSettings.cpp
//


#include "config/StoreSettings.h"
#include "config/SecretFile.h"
#include "Poco/String.h"
#include "Poco/StringTokenizer.h"
#include <cstdlib>


namespace XQueue {


std::string StoreSettings::connectionWithSecrets() const
{
	if (connector != "mysql") return connection;
	std::string password;
	if (!passwordFile.empty())
	{
		password = SecretFile::firstLine(passwordFile);
	}
	else if (const char* fromEnvironment = std::getenv("XQUEUE_STORE_PASSWORD"))
	{
		password = fromEnvironment;
	}
	return password.empty() ? connection : connection + ";password=" + password;
}


DatabaseOptions StoreSettings::databaseOptions() const
{
	DatabaseOptions options;
	options.connector = connector;
	options.connection = connectionWithSecrets();
	options.poolSize = poolSize;
	options.busyTimeoutSeconds = busyTimeout;
	options.readTimeoutSeconds = readTimeout;
	options.synchronous = sqliteSynchronous;
	return options;
}


std::string StoreSettings::description() const
{
	if (connector != "mysql") return connection;
	std::string out;
	Poco::StringTokenizer parts(connection, ";", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
	for (const auto& part: parts)
	{
		if (Poco::toLower(part).rfind("password", 0) == 0) continue;
		out += (out.empty() ? "" : ";") + part;
	}
	return "mysql:" + out;
}


} // namespace XQueue

// SPDX-License-Identifier: Apache-2.0
//
// HttpSettings.h
//
// The HTTP front end's settings (xqueue.http.*). Defaults here are the documented ones:
// the key catalog (SettingsCatalog.cpp) reads them from a default-constructed group.
//


#ifndef XQueue_HttpSettings_INCLUDED
#define XQueue_HttpSettings_INCLUDED


#include "util/AddressPrefixList.h"
#include <cstddef>
#include <string>


namespace XQueue {


struct HttpSettings
{
	std::string host = "127.0.0.1";
	int port = 18040;
	int threads = 16;
	int queue = 1024;
	int keepAliveTimeout = 15;
	int timeout = 60;
	std::size_t maxBodyBytes = 128 * 1024 * 1024; // the LMS allows 20 files x 4 MB per input
	int maxFormFields = 1000;
	std::size_t maxFieldBytes = 2621440;
	bool trustXRealIp = false;
	AddressPrefixList trustXRealIpFrom{"*"};
	double headerTimeout = 10.0;
	double requestTimeout = 120.0;
	std::size_t readAheadBytes = 1024 * 1024;
	int maxConnectionsPerAddress = 0;
	std::string tlsCertificateFile;
	std::string tlsKeyFile;
	bool secureCookie = false;

	bool servesTls() const { return !tlsCertificateFile.empty(); }
};


} // namespace XQueue


#endif // XQueue_HttpSettings_INCLUDED

// SPDX-License-Identifier: Apache-2.0
//
// ConfigFuzzer.cpp
//
// Fuzz target: the configuration loader (a .properties file through Poco's parser and
// every xqueue.* key's validation). Input: the file. A bad file must give an exception
// naming the problem (the server prints it and exits 78), nothing else.
//


#include "config/ServerSettings.h"
#include "Poco/AutoPtr.h"
#include "Poco/Exception.h"
#include "Poco/Util/PropertyFileConfiguration.h"
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>


extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
	std::istringstream file(std::string(reinterpret_cast<const char*>(data), size));
	try
	{
		Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> pConfig = new Poco::Util::PropertyFileConfiguration(file);
		XQueue::ServerSettings settings = XQueue::ServerSettings::fromConfiguration(*pConfig);
		for (const auto& queue: settings.queues) settings.findQueue(queue.name);
	}
	catch (Poco::Exception&)
	{
		// a named configuration error
	}
	return 0;
}

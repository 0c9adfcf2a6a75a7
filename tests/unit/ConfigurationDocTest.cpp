// SPDX-License-Identifier: Apache-2.0
//
// ConfigurationDocTest.cpp
//
// docs/configuration.md must document every key the server accepts.
//


#include "config/ServerSettings.h"
#include "Poco/AutoPtr.h"
#include "Poco/FileStream.h"
#include "Poco/Util/PropertyFileConfiguration.h"
#include <sstream>
#include "Poco/StreamCopier.h"
#include <gtest/gtest.h>


namespace {


TEST(ConfigurationDocTest, EveryKeyIsDocumented)
{
	Poco::FileInputStream in(std::string(XQUEUE_SOURCE_DIR) + "/docs/configuration.md");
	std::string doc;
	Poco::StreamCopier::copyToString(in, doc);
	for (const auto& spec: XQueue::ServerSettings::knownSettings())
	{
		EXPECT_NE(doc.find("| `" + std::string(spec.key) + "` | " + spec.type), std::string::npos)
			<< spec.key << " is missing from docs/configuration.md (or its type differs)";
	}
}


TEST(ConfigurationDocTest, SampleConfigurationIsValidAndComplete)
{
	Poco::FileInputStream in(std::string(XQUEUE_SOURCE_DIR) + "/conf/xqueue.properties");
	std::string sample;
	Poco::StreamCopier::copyToString(in, sample);
	for (const auto& spec: XQueue::ServerSettings::knownSettings())
	{
		EXPECT_NE(sample.find(std::string(spec.key) + " = "), std::string::npos) << spec.key << " is missing from conf/xqueue.properties";
	}
	std::istringstream stream(sample);
	Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> pConfig(new Poco::Util::PropertyFileConfiguration(stream));
	pConfig->setString("application.configFileDir", "/srv/xqueue/conf/");
	XQueue::ServerSettings settings = XQueue::ServerSettings::fromConfiguration(*pConfig);
	EXPECT_EQ(settings.storeConnection, "/srv/xqueue/conf/../var/xqueue.sqlite");
	EXPECT_TRUE(settings.findQueue("test-pull"));
	EXPECT_EQ(settings.httpHost, "127.0.0.1");
}


} // namespace

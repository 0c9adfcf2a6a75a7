// SPDX-License-Identifier: Apache-2.0
//
// ConfigurationDocTest.cpp
//
// docs/configuration.md lists every key exactly as the catalog declares it, and the
// sample configuration is valid.
//


#include "config/ServerSettings.h"
#include "config/SettingsCatalog.h"
#include "config/SettingsReference.h"
#include "Poco/AutoPtr.h"
#include "Poco/FileStream.h"
#include "Poco/StreamCopier.h"
#include "Poco/Util/PropertyFileConfiguration.h"
#include <gtest/gtest.h>
#include <set>
#include <sstream>


namespace {


std::string read(const std::string& path)
{
	Poco::FileInputStream in(std::string(XQUEUE_SOURCE_DIR) + "/" + path);
	std::string text;
	Poco::StreamCopier::copyToString(in, text);
	return text;
}


TEST(ConfigurationDocTest, TheKeyTablesAreTheCatalogs)
{
	const std::string doc = read("docs/configuration.md");
	std::set<std::string> sections;
	for (const auto& declaration: XQueue::SettingsCatalog::serverKeys()) sections.insert(declaration.section);
	sections.insert("queues");
	for (const auto& section: sections)
	{
		const std::string begin = "<!-- settings:" + section + " -->\n";
		const std::string end = "<!-- /settings:" + section + " -->";
		auto from = doc.find(begin);
		auto to = doc.find(end);
		ASSERT_NE(from, std::string::npos) << "docs/configuration.md has no place for the section " << section;
		ASSERT_NE(to, std::string::npos) << section;
		EXPECT_EQ(doc.substr(from + begin.size(), to - from - begin.size()), XQueue::SettingsReference::markdownTable(section))
			<< "docs/configuration.md differs from the catalog: run scripts/update-configuration-doc";
	}
}


TEST(ConfigurationDocTest, TheCompleteSampleReadsBackAsTheDefaults)
{
	std::ostringstream sample;
	XQueue::SettingsReference::writeProperties(sample);
	std::istringstream in(sample.str());
	Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> pConfig(new Poco::Util::PropertyFileConfiguration(in));
	pConfig->setString("application.dir", "/opt/xqueue/bin/");
	XQueue::ServerSettings settings = XQueue::ServerSettings::fromConfiguration(*pConfig);
	EXPECT_EQ(settings.http.port, 18040);
	EXPECT_EQ(settings.store.sqliteSynchronous, "FULL");
	EXPECT_EQ(settings.plugins.dir, "/opt/xqueue/bin/../lib/xqueue/plugins");
	for (const auto& declaration: XQueue::SettingsCatalog::serverKeys())
	{
		if (!declaration.assign || declaration.defaultText.empty()) continue;
		if (declaration.defaultText[0] == '<' || declaration.defaultText[0] == '(') continue; // commented out
		EXPECT_EQ(pConfig->getRawString(declaration.key, "<missing>"), declaration.defaultText) << declaration.key;
	}
}


TEST(ConfigurationDocTest, SampleConfigurationIsValid)
{
	std::istringstream stream(read("conf/xqueue.properties"));
	Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> pConfig(new Poco::Util::PropertyFileConfiguration(stream));
	pConfig->setString("application.configFileDir", "/srv/xqueue/conf/");
	XQueue::ServerSettings settings = XQueue::ServerSettings::fromConfiguration(*pConfig);
	EXPECT_EQ(settings.store.connection, "/srv/xqueue/conf/../var/xqueue.sqlite");
	EXPECT_TRUE(settings.findQueue("test-pull"));
	EXPECT_EQ(settings.http.host, "127.0.0.1");
}


} // namespace

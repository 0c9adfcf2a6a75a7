// SPDX-License-Identifier: Apache-2.0
//
// ServerSettingsTest.cpp
//


#include "config/ServerSettings.h"
#include "config/SettingsCatalog.h"
#include "Poco/AutoPtr.h"
#include "Poco/Util/PropertyFileConfiguration.h"
#include <gtest/gtest.h>
#include <sstream>
#include <fstream>
#include <cstdlib>
#include "TempDir.h"


using XQueue::ServerSettings;


namespace {


ServerSettings load(const std::string& properties)
{
	std::istringstream in(properties);
	Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> pConfig(new Poco::Util::PropertyFileConfiguration(in));
	return ServerSettings::fromConfiguration(*pConfig);
}


std::string errorOf(const std::string& properties)
{
	try
	{
		load(properties);
	}
	catch (Poco::InvalidArgumentException& exc)
	{
		return exc.message();
	}
	return "<no error>";
}


TEST(ServerSettingsTest, DefaultsMatchTheDocumentedValues)
{
	ServerSettings s = load("");
	EXPECT_EQ(s.http.host, "127.0.0.1");
	EXPECT_EQ(s.http.port, 18040);
	EXPECT_EQ(s.queueing.processingDelay, 60);
	EXPECT_EQ(s.queueing.maxNumberOfFailures, 3);
	EXPECT_EQ(s.store.connector, "sqlite");
	EXPECT_EQ(s.delivery.timeout, 5);
	EXPECT_EQ(s.auth.sessionLifetime, 1209600);
	EXPECT_TRUE(s.queues.empty());
	for (const auto& declaration: XQueue::SettingsCatalog::serverKeys())
	{
		EXPECT_NE(declaration.help, "") << declaration.key;
		EXPECT_NE(declaration.section, "") << declaration.key;
	}
}


TEST(ServerSettingsTest, ReadsValues)
{
	ServerSettings s = load(
		"xqueue.http.port = 9000\n"
		"xqueue.processing_delay = 5\n"
		"xqueue.delivery.retry.initial_delay = 0.5\n"
		"xqueue.delivery.username = lms\n"
		"xqueue.delivery.password = pw\n"
		"xqueue.delivery.auth_hosts = LMS.example.com, lms2.example.com\n"
		"xqueue.http.trust_x_real_ip = yes\n");
	EXPECT_EQ(s.delivery.authHosts, (std::set<std::string>{"https://lms.example.com:443", "https://lms2.example.com:443"}));
	EXPECT_EQ(s.http.port, 9000);
	EXPECT_EQ(s.queueing.processingDelay, 5);
	EXPECT_DOUBLE_EQ(s.delivery.initialDelay, 0.5);
	EXPECT_EQ(s.delivery.username, "lms");
	EXPECT_TRUE(s.http.trustXRealIp);
}


TEST(ServerSettingsTest, QueuesAreDeclaredByTheirPluginKey)
{
	ServerSettings s = load(
		"xqueue.queues.tmp.plugin = pull_rest\n"
		"xqueue.queues.mitx.plugin = pull_rest\n"
		"xqueue.queues.mitx.name = MITx-6.00x\n");
	ASSERT_EQ(s.queues.size(), 2u);
	EXPECT_TRUE(s.findQueue("tmp"));
	EXPECT_TRUE(s.findQueue("MITx-6.00x"));
	EXPECT_FALSE(s.findQueue("mitx"));
	EXPECT_EQ(s.queueNamesList(), "MITx-6.00x, tmp");
}


TEST(ServerSettingsTest, PluginKeysGoToThePluginAndHostKeysToTheHost)
{
	ServerSettings s = load(
		"xqueue.plugins.dir = /opt/plugins\n"
		"xqueue.plugins.mine.path = /srv/xq_mine.so\n"
		"xqueue.queues.push.plugin = http_push\n"
		"xqueue.queues.push.url = http://grader/\n"
		"xqueue.queues.push.timeout = 5\n"
		"xqueue.queues.push.concurrency = 8\n"
		"xqueue.queues.push.time_budget = 12.5\n");
	EXPECT_EQ(s.plugins.dir, "/opt/plugins");
	EXPECT_EQ(s.plugins.paths.at("mine"), "/srv/xq_mine.so");
	ASSERT_EQ(s.queues.size(), 1u);
	const auto& q = s.queues[0];
	EXPECT_EQ(q.plugin, "http_push");
	EXPECT_EQ(q.concurrency, 8);
	EXPECT_DOUBLE_EQ(q.timeBudget, 12.5);
	EXPECT_TRUE(q.dispatchKeysSet);
	EXPECT_EQ(q.pluginConfig.size(), 2u);
	EXPECT_EQ(q.pluginConfig.at("url"), "http://grader/");
	EXPECT_EQ(q.pluginConfig.at("timeout"), "5");
}


TEST(ServerSettingsTest, MySqlPasswordComesFromAFileOrTheEnvironmentAndIsNeverShown)
{
	XQueueTest::TempDir dir;
	{
		std::ofstream f(dir.file("pw"));
		f << "from-file\n";
	}
	ServerSettings s = load("xqueue.store.connector = mysql\n"
		"xqueue.store.connection = host=db;port=3306;user=xq;password=inline;db=xqueue\n"
		"xqueue.store.password_file = " + dir.file("pw") + "\n");
	EXPECT_EQ(s.store.connectionWithSecrets(), "host=db;port=3306;user=xq;password=inline;db=xqueue;password=from-file");
	EXPECT_EQ(s.store.description(), "mysql:host=db;port=3306;user=xq;db=xqueue");
	ServerSettings e = load("xqueue.store.connector = mysql\nxqueue.store.connection = host=db;user=xq;db=xqueue\n");
	::setenv("XQUEUE_STORE_PASSWORD", "from-env", 1);
	EXPECT_EQ(e.store.connectionWithSecrets(), "host=db;user=xq;db=xqueue;password=from-env");
	::unsetenv("XQUEUE_STORE_PASSWORD");
	EXPECT_EQ(e.store.connectionWithSecrets(), "host=db;user=xq;db=xqueue");
	ServerSettings sqlite = load("xqueue.store.connection = /var/xq.sqlite\n");
	EXPECT_EQ(sqlite.store.description(), "/var/xq.sqlite");
}


TEST(ServerSettingsTest, TheFileLinkKeyComesFromItsFileOrTheStore)
{
	XQueueTest::TempDir dir;
	{
		std::ofstream(dir.file("key")) << "0123456789abcdef-long-enough\r\n";
		std::ofstream(dir.file("short")) << "too-short\n";
	}
	EXPECT_EQ(load("").files.linkSecret(), "") << "none configured: the store keeps one";
	EXPECT_EQ(load("xqueue.files.url_secret_file = " + dir.file("key") + "\n").files.linkSecret(), "0123456789abcdef-long-enough");
	EXPECT_THROW(load("xqueue.files.url_secret_file = " + dir.file("short") + "\n").files.linkSecret(), Poco::InvalidArgumentException);
	EXPECT_THROW(load("xqueue.files.url_secret_file = " + dir.file("missing") + "\n").files.linkSecret(), Poco::FileException);
}


TEST(ServerSettingsTest, UnknownKeysAreNamed)
{
	EXPECT_EQ(errorOf("xqueue.http.prot = 1\n"), "unknown configuration key: xqueue.http.prot");
	EXPECT_EQ(errorOf("xqueue.bogus = 1\n"), "unknown configuration key: xqueue.bogus");
	EXPECT_EQ(errorOf("xqueue.plugins.http_push.pth = /x.so\n"), "unknown configuration key: xqueue.plugins.http_push.pth");
	EXPECT_EQ(errorOf("other.key = 1\n"), "<no error>") << "keys outside xqueue. belong to others (logging.*)";
}


TEST(ServerSettingsTest, MalformedValuesAreNamed)
{
	EXPECT_EQ(errorOf("xqueue.http.port = eighty\n"), "xqueue.http.port: expected an integer, found 'eighty'");
	EXPECT_EQ(errorOf("xqueue.http.port = 70000\n"), "xqueue.http.port: 70000 is out of range [0, 65535]");
	EXPECT_EQ(errorOf("xqueue.http.trust_x_real_ip = maybe\n"), "xqueue.http.trust_x_real_ip: expected true or false, found 'maybe'");
	EXPECT_EQ(errorOf("xqueue.store.connector = oracle\n"), "xqueue.store.connector: expected sqlite or mysql, found 'oracle'");
	EXPECT_EQ(errorOf("xqueue.delivery.username = a\n"), "xqueue.delivery.username and xqueue.delivery.password (or password_file) must be set together");
	EXPECT_EQ(errorOf("xqueue.delivery.username = a\nxqueue.delivery.password = b\n"),
		"xqueue.delivery.auth_hosts: name the LMS hosts the credentials of xqueue.delivery.username belong to (they are never sent to other callback hosts)");
	EXPECT_EQ(errorOf("xqueue.outbound.allow_addresses = 10.0.0.0/33\n"), "xqueue.outbound.allow_addresses: not an address or prefix: 10.0.0.0/33");
	EXPECT_EQ(errorOf("xqueue.http.tls.certificate_file = /x.pem\n"), "xqueue.http.tls.certificate_file and xqueue.http.tls.key_file must be set together");
}


TEST(ServerSettingsTest, InvalidQueueDeclarations)
{
	EXPECT_EQ(errorOf("xqueue.queues.tmp.name = tmp\n"), "xqueue.queues.tmp.plugin: missing (every queue names its grader adapter)");
	EXPECT_EQ(errorOf("xqueue.queues.tmp.plugin = Magic!\n"), "xqueue.queues.tmp.plugin: 'Magic!' is not a plugin id (1-64 characters of a-z 0-9 _)");
	EXPECT_EQ(errorOf("xqueue.queues.tmp.plugin = http_push\nxqueue.queues.tmp.concurrency = 0\n"),
		"xqueue.queues.tmp.concurrency: 0 is out of range [1, 1024]");
	EXPECT_EQ(errorOf("xqueue.queues.a.plugin = pull_rest\nxqueue.queues.b.plugin = pull_rest\nxqueue.queues.b.name = a\n"),
		"xqueue.queues.b.name: queue name 'a' is declared twice");
	EXPECT_EQ(errorOf("xqueue.queues.a.plugin = pull_rest\nxqueue.queues.a.name = has space\n"),
		"xqueue.queues.a.name: 'has space' is not a valid queue name (1-128 characters of A-Z a-z 0-9 _ - .)");
}


} // namespace

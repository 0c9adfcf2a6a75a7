// SPDX-License-Identifier: Apache-2.0
//
// ServerSettings.cpp
//


#include "config/ServerSettings.h"
#include "config/SettingsCatalog.h"
#include "util/SecureRandom.h"
#include "Poco/Environment.h"
#include "Poco/Exception.h"
#include <algorithm>
#include <map>
#include <set>


namespace XQueue {


namespace
{
	void collectLeafKeys(const Poco::Util::AbstractConfiguration& config, const std::string& prefix, std::vector<std::string>& out)
	{
		Poco::Util::AbstractConfiguration::Keys children;
		config.keys(prefix, children);
		if (config.hasProperty(prefix)) out.push_back(prefix);
		for (const auto& child: children) collectLeafKeys(config, prefix + "." + child, out);
	}

	bool startsWith(const std::string& text, const std::string& prefix)
	{
		return text.compare(0, prefix.size(), prefix) == 0;
	}

	void checkTogether(const ServerSettings& s)
		/// What one key cannot check alone.
	{
		if (s.http.tlsCertificateFile.empty() != s.http.tlsKeyFile.empty())
			throw Poco::InvalidArgumentException("xqueue.http.tls.certificate_file and xqueue.http.tls.key_file must be set together");
		if (s.delivery.maxDelay < s.delivery.initialDelay)
			throw Poco::InvalidArgumentException("xqueue.delivery.retry.max_delay: must not be smaller than xqueue.delivery.retry.initial_delay");
		const DeliverySettings& d = s.delivery;
		if (!d.password.empty() && !d.passwordFile.empty())
			throw Poco::InvalidArgumentException("xqueue.delivery.password and xqueue.delivery.password_file: set one of them");
		if (d.username.empty() != (d.password.empty() && d.passwordFile.empty()))
			throw Poco::InvalidArgumentException("xqueue.delivery.username and xqueue.delivery.password (or password_file) must be set together");
		if (!d.username.empty() && d.authHosts.empty())
			throw Poco::InvalidArgumentException("xqueue.delivery.auth_hosts: name the LMS hosts the credentials of xqueue.delivery.username belong to (they are never sent to other callback hosts)");
		if (s.files.storage == "directory" && s.files.directory.empty())
			throw Poco::InvalidArgumentException("xqueue.files.directory: required with xqueue.files.storage = directory");
	}

	QueueSettings readQueue(const Poco::Util::AbstractConfiguration& config, const std::string& id, const std::vector<std::string>& leaves)
	{
		QueueSettings queue;
		queue.id = id;
		queue.name = id;
		const std::string prefix = "xqueue.queues." + id + ".";
		if (!config.hasProperty(prefix + "plugin"))
			throw Poco::InvalidArgumentException(prefix + "plugin: missing (every queue names its grader adapter)");
		std::set<std::string> hostKeys;
		for (const auto& declaration: SettingsCatalog::queueKeys())
		{
			hostKeys.insert(declaration.key);
			if (config.hasProperty(prefix + declaration.key))
				declaration.assign(prefix + declaration.key, config.getString(prefix + declaration.key), queue);
		}
		for (const char* key: {"concurrency", "time_budget", "isolation", "max_memory_mb", "max_cpu_seconds"})
			queue.dispatchKeysSet = queue.dispatchKeysSet || config.hasProperty(prefix + key);
		// Keys the host does not own are the plugin's; the loader checks them against the
		// keys the plugin declares.
		for (const auto& leaf: leaves)
		{
			if (!hostKeys.count(leaf)) queue.pluginConfig[leaf] = config.getString(prefix + leaf);
		}
		return queue;
	}
}


ServerSettings ServerSettings::fromConfiguration(const Poco::Util::AbstractConfiguration& config)
{
	std::map<std::string, const SettingDeclaration<ServerSettings>*> fixed;
	for (const auto& declaration: SettingsCatalog::serverKeys())
	{
		if (declaration.assign) fixed[declaration.key] = &declaration;
	}

	ServerSettings s;
	std::vector<std::string> keys;
	collectLeafKeys(config, "xqueue", keys);
	std::map<std::string, std::vector<std::string>> queueLeaves; // sorted by id, see below
	const std::string queuesPrefix = "xqueue.queues.";
	const std::string pluginsPrefix = "xqueue.plugins.";
	for (const auto& key: keys)
	{
		auto known = fixed.find(key);
		if (known != fixed.end())
		{
			known->second->assign(key, config.getString(key), s);
			continue;
		}
		if (startsWith(key, queuesPrefix))
		{
			std::string rest = key.substr(queuesPrefix.size());
			auto dot = rest.find('.');
			if (dot == std::string::npos)
				throw Poco::InvalidArgumentException("unknown configuration key: " + key + " (declare a queue with xqueue.queues.<name>.plugin)");
			queueLeaves[rest.substr(0, dot)].push_back(rest.substr(dot + 1));
			continue;
		}
		if (startsWith(key, pluginsPrefix))
		{
			std::string rest = key.substr(pluginsPrefix.size());
			auto dot = rest.find('.');
			if (dot != std::string::npos && rest.substr(dot + 1) == "path")
			{
				std::string id = rest.substr(0, dot);
				if (SettingsCatalog::isPluginId(id))
				{
					s.plugins.paths[id] = config.getString(key);
					continue;
				}
			}
		}
		throw Poco::InvalidArgumentException("unknown configuration key: " + key);
	}

	// Defaults that depend on where the program is, or on other keys.
	const std::string applicationDir = config.getString("application.dir", "./");
	if (s.plugins.dir.empty()) s.plugins.dir = applicationDir + "../lib/xqueue/plugins";
	if (s.plugins.worker.empty()) s.plugins.worker = applicationDir + "xqueue-plugin-worker";
	if (s.operations.dashboardDir.empty()) s.operations.dashboardDir = applicationDir + "../share/xqueue/dashboard";
	// With port 0 the default is unique to this run (a restart is another host).
	if (s.hostId.empty())
		s.hostId = Poco::Environment::nodeName() + ":" + (s.http.port ? std::to_string(s.http.port) : "0-" + SecureRandom::hexToken(8));
	s.http.secureCookie = s.http.secureCookie || s.http.servesTls();
	checkTogether(s);

	// LayeredConfiguration lists keys layer by layer (--define first): queues go by id, so
	// that the documented order ("Valid queue names are: ...") does not depend on where a
	// key came from.
	std::set<std::string> wireNames;
	for (const auto& [id, leaves]: queueLeaves)
	{
		QueueSettings queue = readQueue(config, id, leaves);
		if (!wireNames.insert(queue.name).second)
			throw Poco::InvalidArgumentException("xqueue.queues." + id + ".name: queue name '" + queue.name + "' is declared twice");
		s.queues.push_back(std::move(queue));
	}
	return s;
}


LeasePolicy ServerSettings::leasePolicy() const
{
	LeasePolicy policy;
	policy.processingDelaySeconds = queueing.processingDelay;
	policy.maxLeases = queueing.maxNumberOfFailures + 1;
	policy.minDeliveryAge = static_cast<Micros>(delivery.minSubmissionAge * MICROS_PER_SECOND);
	return policy;
}


const QueueSettings* ServerSettings::findQueue(const std::string& wireName) const
{
	for (const auto& q: queues)
	{
		if (q.name == wireName) return &q;
	}
	return nullptr;
}


std::string ServerSettings::queueNamesList() const
{
	std::string out;
	for (const auto& q: queues)
	{
		if (!out.empty()) out += ", ";
		out += q.name;
	}
	return out;
}


} // namespace XQueue

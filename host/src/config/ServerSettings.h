// SPDX-License-Identifier: Apache-2.0
//
// ServerSettings.h
//
// Typed, validated settings read once from the layered configuration at start-up: one
// group per component, each key declared once in SettingsCatalog.cpp.
//


#ifndef XQueue_ServerSettings_INCLUDED
#define XQueue_ServerSettings_INCLUDED


#include "config/AuthSettings.h"
#include "config/DeliverySettings.h"
#include "config/FilesSettings.h"
#include "config/HttpSettings.h"
#include "config/OperationsSettings.h"
#include "config/OutboundSettings.h"
#include "config/PluginSettings.h"
#include "config/QueueSettings.h"
#include "config/QueueingSettings.h"
#include "config/StoreSettings.h"
#include "store/SubmissionStore.h"
#include "Poco/Util/AbstractConfiguration.h"
#include <string>
#include <vector>


namespace XQueue {


struct ServerSettings
	/// Reads every key under "xqueue.": the fixed keys of SettingsCatalog::serverKeys(), and
	/// queue declarations xqueue.queues.<id>.* (SettingsCatalog::queueKeys(), any other
	/// key of a queue being its plugin's).
{
	std::string hostId; /// default: machine name:HTTP port
	HttpSettings http;
	StoreSettings store;
	PluginSettings plugins;
	QueueingSettings queueing;
	DeliverySettings delivery;
	OutboundSettings outbound;
	FilesSettings files;
	OperationsSettings operations;
	AuthSettings auth;
	std::vector<QueueSettings> queues;

	static ServerSettings fromConfiguration(const Poco::Util::AbstractConfiguration& config);
		/// Validates every key under "xqueue." and returns the settings.
		/// Throws Poco::InvalidArgumentException naming the offending key for an unknown
		/// key, a malformed value, an out-of-range value or an invalid queue declaration.

	LeasePolicy leasePolicy() const;
		/// How submissions are leased and when results may leave (queueing and delivery keys).

	const QueueSettings* findQueue(const std::string& wireName) const;
		/// Returns the queue with that wire name, or nullptr.

	std::string queueNamesList() const;
		/// Wire names joined by ", " in configuration order, for "Valid queue names are: ".
};


} // namespace XQueue


#endif // XQueue_ServerSettings_INCLUDED

// SPDX-License-Identifier: Apache-2.0
//
// ServerSettings.h
//
// Typed, validated settings read once from the layered configuration at start-up.
//


#ifndef XQueue_ServerSettings_INCLUDED
#define XQueue_ServerSettings_INCLUDED


#include "store/Database.h"
#include "Poco/Util/AbstractConfiguration.h"
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>


namespace XQueue {


struct QueueSettings
{
	std::string id;     /// the key segment in xqueue.queues.<id>.*
	std::string name;   /// the wire name (xqueue.queues.<id>.name, default: id)
	std::string plugin; /// grader adapter id, e.g. pull_rest
	int concurrency = 4;         /// dispatch mode: gradings in parallel
	double timeBudget = 60.0;    /// dispatch mode: seconds a grading may take
	bool dispatchKeysSet = false; /// concurrency or time_budget was configured
	std::map<std::string, std::string> pluginConfig; /// every other key: the plugin's
};


struct SettingSpec
	/// One known configuration key: documents it and drives validation.
{
	const char* key;
	const char* type;         /// "string", "int", "seconds" (decimal), "bool"
	const char* defaultValue; /// as written in a .properties file; "" = empty / unset
	const char* help;
};


struct ServerSettings
	/// Reads (all keys under "xqueue."):
	///   see knownSettings() for the complete list with types, defaults and help, and
	///   xqueue.queues.<id>.plugin / .name for queue declarations.
{
	// HTTP front end
	std::string httpHost = "127.0.0.1";
	int httpPort = 18040;
	int httpThreads = 16;
	int httpQueue = 1024;
	int httpKeepAliveTimeout = 15;
	int httpTimeout = 60;
	std::string hostId; /// default: machine name:HTTP port
	std::size_t maxBodyBytes = 128 * 1024 * 1024; // the LMS allows 20 files x 4 MB per input
	int maxFormFields = 1000;
	std::size_t maxFieldBytes = 2621440;
	bool trustXRealIp = false;
	double headerTimeout = 10.0;
	double requestTimeout = 120.0;
	int maxConnectionsPerAddress = 0;
	std::size_t readAheadBytes = 1024 * 1024;
	std::string tlsCertificateFile;
	std::string tlsKeyFile;
	bool secureCookie = false;

	// Store
	std::string storeConnector = "sqlite";
	std::string storeConnection = "xqueue.sqlite";
	int storePoolSize = 32;
	int storeBusyTimeout = 5;
	int storeReadTimeout = 10;
	std::string sqliteSynchronous = "FULL";
	std::string storePasswordFile;

	std::string storeConnectionWithSecrets() const;
		/// The connection string to open the store with: for mysql, the password from
		/// password_file or the XQUEUE_STORE_PASSWORD environment variable is added.
		/// Throws Poco::FileNotFoundException for an unreadable password file.

	DatabaseOptions databaseOptions() const;
		/// How to open the store (secrets included, see storeConnectionWithSecrets).

	std::string storeDescription() const;
		/// The connection string without any password, for logs and messages.

	std::string fileLinkSecret() const;
		/// The key from xqueue.files.url_secret_file, or "" when none is configured (the
		/// store then keeps one). Throws for an unreadable file or a key under 16 characters.

	// Plugins
	std::string pluginsDir;
	std::map<std::string, std::string> pluginPaths; /// xqueue.plugins.<id>.path

	// Queues and leases
	int processingDelay = 60;
	double dispatchPollInterval = 1.0;
	int maxNumberOfFailures = 3;
	std::vector<QueueSettings> queues;

	// Delivery to the LMS
	int deliveryThreads = 2;
	int deliveryTimeout = 5;
	double deliveryInitialDelay = 5.0;
	double deliveryMaxDelay = 600.0;
	int deliveryHorizon = 86400;
	double deliveryPollInterval = 1.0;
	double deliveryMinSubmissionAge = 2.0;
	double verifiedLifetime = 300.0;
	std::string deliveryUsername;
	std::string deliveryPassword;
	std::string deliveryPasswordFile;
	std::set<std::string> deliveryAuthHosts; /// lowercase host names
	std::string deliverySigningKeyFile;

	std::string deliveryPasswordWithSecrets() const;
		/// xqueue.delivery.password, or the first line of password_file.

	std::string deliverySigningKey() const;
		/// The key from signing_key_file, or "" (deliveries unsigned). Throws for an
		/// unreadable file or an unusable key.

	// Outbound calls to URLs clients name
	std::string outboundAllowAddresses;
	std::string outboundInsecureTlsHosts;

	// Uploaded files
	std::string filesStorage = "database";
	std::string filesDirectory;
	std::string filesSpoolDirectory;
	std::size_t filesMaxFileBytes = 10 * 1024 * 1024;
	int filesMaxFiles = 256;
	std::size_t filesMaxNameBytes = 255;
	std::string filesBaseUrl;
	int filesUrlLifetime = 3600;
	std::string filesUrlSecretFile;
	int filesRetentionDays = 30;
	int filesOrphanGrace = 3600;
	double filesSweepInterval = 3600.0;

	// Operations
	std::string metricsAllowFrom = "127.0.0.0/8, ::1";
	double drainDelay = 0.0;
	std::string dashboardDir;
	double dashboardSampleInterval = 15.0;

	// Users and sessions
	int pbkdf2Iterations = 600000;
	int sessionLifetime = 1209600;
	int maxFailuresPerUser = 10;
	int maxFailuresPerAddress = 100;
	int failureWindow = 300;

	static ServerSettings fromConfiguration(const Poco::Util::AbstractConfiguration& config);
		/// Validates every key under "xqueue." and returns the settings.
		/// Throws Poco::InvalidArgumentException naming the offending key for an unknown
		/// key, a malformed value, an out-of-range value or an invalid queue declaration.

	static const std::vector<SettingSpec>& knownSettings();
		/// Every fixed key (queue keys excluded), in documentation order.

	const QueueSettings* findQueue(const std::string& wireName) const;
		/// Returns the queue with that wire name, or nullptr.

	std::string queueNamesList() const;
		/// Wire names joined by ", " in configuration order, for "Valid queue names are: ".
};


} // namespace XQueue


#endif // XQueue_ServerSettings_INCLUDED

// SPDX-License-Identifier: Apache-2.0
//
// ServerSettings.cpp
//


#include "config/ServerSettings.h"
#include "util/AddressPrefixList.h"
#include "util/Origin.h"
#include "xqueue/sdk/WebhookSignature.hpp"
#include "util/SecureRandom.h"
#include "Poco/Environment.h"
#include "Poco/Exception.h"
#include "Poco/FileStream.h"
#include "Poco/NumberParser.h"
#include "Poco/String.h"
#include "Poco/StringTokenizer.h"
#include <algorithm>
#include <cstdlib>
#include <functional>
#include <map>
#include <set>


namespace XQueue {


namespace
{
	const std::vector<SettingSpec> SPECS = {
		{"xqueue.http.host", "string", "127.0.0.1", "Address the HTTP server binds to."},
		{"xqueue.http.port", "int", "18040", "TCP port of the HTTP server (0 = any free port)."},
		{"xqueue.http.threads", "int", "16", "Maximum number of request threads."},
		{"xqueue.http.queue", "int", "1024", "Listen backlog: connections the kernel completes and holds until they are accepted (accepted ones wait for a request without a thread)."},
		{"xqueue.http.keep_alive_timeout", "int", "15", "Seconds an idle keep-alive connection stays open."},
		{"xqueue.http.timeout", "int", "60", "Seconds a request may take to arrive (socket receive/send timeout)."},
		{"xqueue.host.id", "string", "<machine name>:<xqueue.http.port>", "This host's name among the hosts sharing one database. A host that starts releases at once the delivery and dispatch leases its previous run held (instead of waiting for them to expire), so no two running hosts may share an id."},
		{"xqueue.http.max_body_bytes", "int", "134217728", "Largest request body, files included (128 MiB; the LMS allows 20 files of 4 MB per input); larger requests get HTTP 413."},
		{"xqueue.http.max_form_fields", "int", "1000", "Most form fields (or multipart parts) in one request; more get HTTP 400."},
		{"xqueue.http.max_field_bytes", "int", "2621440", "Largest single form field value (Django's DATA_UPLOAD_MAX_MEMORY_SIZE); larger get HTTP 413."},
		{"xqueue.http.trust_x_real_ip", "bool", "false", "Take the client address from X-Real-IP (only behind a proxy that sets it)."},
		{"xqueue.http.header_timeout", "seconds", "10", "Seconds a client has to send a request's line and headers (counted from the connection or the end of the previous reply, plus keep_alive_timeout); slower clients are disconnected."},
		{"xqueue.http.request_timeout", "seconds", "120", "Seconds from the end of a request's headers to the end of its reply (body upload, handling, reply download); slower clients are disconnected."},
		{"xqueue.http.read_ahead_bytes", "int", "1048576", "How much of a request body is received before a request thread takes the request, so that slow clients hold no thread; larger bodies are read by a thread as they come, on at most half the threads at once. Not with tls.*: a TLS connection is read by its thread."},
		{"xqueue.http.max_connections_per_address", "int", "0", "Most simultaneous connections from one client address (the socket's, not X-Real-IP); more are closed at once. 0 = no limit (behind a proxy every client has the proxy's address)."},
		{"xqueue.http.tls.certificate_file", "string", "", "PEM certificate (chain) to serve HTTPS instead of HTTP; with key_file."},
		{"xqueue.http.tls.key_file", "string", "", "PEM private key of certificate_file."},
		{"xqueue.http.secure_cookie", "bool", "false", "Mark the session cookie Secure (always done when serving HTTPS; set it behind a proxy that terminates TLS)."},
		{"xqueue.store.connector", "string", "sqlite", "Store back end: sqlite (embedded, one host) or mysql (MariaDB/MySQL, several hosts)."},
		{"xqueue.store.connection", "string", "xqueue.sqlite", "sqlite: path of the database file (created if missing); mysql: host=...;port=...;user=...;db=... (password preferably from password_file or XQUEUE_STORE_PASSWORD)."},
		{"xqueue.store.password_file", "string", "", "mysql: file whose first line is the database password (kept out of the main configuration)."},
		{"xqueue.store.pool_size", "int", "32", "Most open database sessions; keep above http.threads + delivery.threads."},
		{"xqueue.store.busy_timeout", "int", "5", "Seconds to wait for a database lock before failing a request."},
		{"xqueue.store.read_timeout", "int", "10", "mysql: seconds to wait for the database server's answer (or to send to it) before the connection is dropped and the request answered 503, so that a frozen or unreachable database cannot hold request threads."},
		{"xqueue.store.sqlite.synchronous", "string", "FULL", "SQLite synchronous mode: FULL (acknowledged = on disk, survives power loss) or NORMAL (survives process crashes only)."},
		{"xqueue.plugins.dir", "string", "${application.dir}../lib/xqueue/plugins", "Directory where the plugin of id X is found as xq_X.so (override per plugin with xqueue.plugins.<id>.path)."},
		{"xqueue.dispatch.poll_interval", "seconds", "1", "Seconds between looks for dispatch work that no local submit announced (retries, other hosts)."},
		{"xqueue.processing_delay", "int", "60", "Visibility timeout in seconds: a pulled submission with no result becomes pullable again after this long."},
		{"xqueue.max_number_of_failures", "int", "3", "A submission whose lease expired this many times plus one is retired and the LMS gets the failure notice."},
		{"xqueue.delivery.threads", "int", "2", "Threads posting results to LMS callback URLs."},
		{"xqueue.delivery.timeout", "int", "5", "Seconds one delivery attempt may take, from connecting to the end of the reply (status line and headers included); a slower LMS costs the attempt, which is retried."},
		{"xqueue.delivery.retry.initial_delay", "seconds", "5", "Seconds before the first retry of a failed delivery; doubles each attempt."},
		{"xqueue.delivery.retry.max_delay", "seconds", "600", "Cap in seconds on the delay between two delivery attempts."},
		{"xqueue.delivery.retry.horizon", "int", "86400", "Seconds after the first attempt at which a delivery still failing is parked and its submission retired as failed."},
		{"xqueue.delivery.min_submission_age", "seconds", "2", "No grade or failure notice is delivered before its submission is this old (0 = at once): the LMS saves a submission's key only when its own request ends and drops a grade that arrives earlier."},
		{"xqueue.delivery.poll_interval", "seconds", "1", "Seconds between looks for due deliveries (retries, and work left by another host)."},
		{"xqueue.delivery.username", "string", "", "Optional HTTP Basic user name sent with LMS deliveries to the hosts in auth_hosts."},
		{"xqueue.delivery.password", "string", "", "Password for xqueue.delivery.username (better: password_file)."},
		{"xqueue.delivery.password_file", "string", "", "File whose first line is the password for xqueue.delivery.username."},
		{"xqueue.delivery.auth_hosts", "string", "", "Where the Basic credentials may go (comma-separated): origins such as https://lms.example.com or http://lms:8000, or host names, which mean https on port 443; deliveries to any other scheme, host or port go without them. Required with username."},
		{"xqueue.delivery.signing_key_file", "string", "", "File whose first line is a Standard Webhooks key (whsec_<base64>, or 16+ raw characters): every delivery is then signed with webhook-id, webhook-timestamp and webhook-signature headers."},
		{"xqueue.outbound.allow_addresses", "string", "", "Special-purpose addresses (CIDR prefixes: loopback, private, link-local...) that LMS callbacks may reach anyway, e.g. an LMS on the private network. Everything else of that kind is refused."},
		{"xqueue.outbound.insecure_tls_hosts", "string", "", "Callback host names (comma-separated) whose TLS certificates are NOT verified (a warning is logged with every call). For test systems with self-signed certificates only."},
		{"xqueue.files.storage", "string", "database", "Where uploaded files are kept: database (in the store; nothing else to set up or share between hosts) or directory (xqueue.files.directory; shared storage for several hosts)."},
		{"xqueue.files.directory", "string", "", "directory storage: the directory for file contents (created if missing); uploads are spooled in its tmp/ subdirectory."},
		{"xqueue.files.spool_directory", "string", "", "database storage: where uploads larger than 64 KiB are spooled while a request arrives (default: the system's temporary directory)."},
		{"xqueue.files.max_file_bytes", "int", "10485760", "Largest uploaded file."},
		{"xqueue.files.max_files", "int", "256", "Most files in one submission."},
		{"xqueue.files.max_name_bytes", "int", "255", "Longest file name (the multipart field name), in UTF-8 bytes."},
		{"xqueue.files.base_url", "string", "", "Scheme, host and port graders reach this service at, for file links (set it behind a proxy or load balancer). Default: pull graders get the address they used (Host header); push graders http://<http.host, or this machine's name when bound to all interfaces>:<port>."},
		{"xqueue.files.url_lifetime", "int", "3600", "Seconds a file link given to a grader stays valid."},
		{"xqueue.files.url_secret_file", "string", "", "File whose first line is the key that signs file links (the same on every host). Default: a random key created in the store on first start and shared through it."},
		{"xqueue.files.retention_days", "int", "30", "Files of finished submissions (delivered, superseded, failed) are removed this many days after upload; 0 keeps them as long as their submission."},
		{"xqueue.files.orphan_grace", "int", "3600", "Seconds before a content no file refers to any more (or bytes a crash left behind) is removed."},
		{"xqueue.files.sweep_interval", "seconds", "3600", "Seconds between two retention sweeps on this host."},
		{"xqueue.metrics.allow_from", "string", "127.0.0.0/8, ::1", "Client addresses (CIDR prefixes, comma-separated; * for any) that may read GET /metrics."},
		{"xqueue.shutdown.drain_delay", "seconds", "0", "On SIGTERM, seconds to keep serving while /readyz already answers 503, so that load balancers stop sending traffic first."},
		{"xqueue.dashboard.dir", "string", "${application.dir}../share/xqueue/dashboard", "Directory of the dashboard page and its scripts (Chart.js from Debian's libjs-chart.js, copied there by the build)."},
		{"xqueue.dashboard.sample_interval", "seconds", "15", "Seconds between two samples of the queues for the dashboard's one-hour charts."},
		{"xqueue.auth.pbkdf2_iterations", "int", "600000", "PBKDF2-SHA256 iterations for new password hashes; older hashes are upgraded at login."},
		{"xqueue.auth.verified_lifetime", "seconds", "300", "Seconds a successful (user, password) check is remembered in memory, as a keyed hash, so that the same login again skips the PBKDF2 (the LMS logs in for every submission); 0 = verify every login. A password change, deactivation or removal applies at the next login on every host."},
		{"xqueue.auth.session_lifetime", "int", "1209600", "Seconds a login session lasts (Django: 14 days)."},
		{"xqueue.auth.max_failures_per_user", "int", "10", "Failed logins for one user name within failure_window after which the addresses that failed for it are refused (HTTP 429) until older failures leave the window; an address that has not failed for it (the LMS's) is never refused; 0 = no limit."},
		{"xqueue.auth.max_failures_per_address", "int", "100", "The same per client address; 0 = no limit."},
		{"xqueue.auth.failure_window", "int", "300", "Seconds over which failed logins are counted."},
	};

	const std::set<std::string> QUEUE_HOST_KEYS = {"plugin", "name", "concurrency", "time_budget"};

	bool isValidPluginId(const std::string& id)
	{
		if (id.empty() || id.size() > 64) return false;
		return std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::islower(c) || std::isdigit(c) || c == '_'; });
	}

	void collectLeafKeys(const Poco::Util::AbstractConfiguration& config, const std::string& prefix, std::vector<std::string>& out)
	{
		Poco::Util::AbstractConfiguration::Keys children;
		config.keys(prefix, children);
		if (children.empty() || config.hasProperty(prefix))
		{
			if (config.hasProperty(prefix)) out.push_back(prefix);
		}
		for (const auto& child: children) collectLeafKeys(config, prefix + "." + child, out);
	}

	bool isValidQueueName(const std::string& name)
	{
		if (name.empty() || name.size() > 128) return false;
		return std::all_of(name.begin(), name.end(), [](unsigned char c) {
			return std::isalnum(c) || c == '_' || c == '-' || c == '.';
		});
	}

	class Reader
	{
	public:
		explicit Reader(const Poco::Util::AbstractConfiguration& config): _config(config) {}

		std::string string(const std::string& key, const std::string& fallback) const
		{
			return _config.getString(key, fallback);
		}

		long long integer(const std::string& key, long long fallback, long long minimum, long long maximum) const
		{
			if (!_config.hasProperty(key)) return fallback;
			std::string raw = Poco::trim(_config.getString(key));
			Poco::Int64 value = 0;
			if (!Poco::NumberParser::tryParse64(raw, value))
				throw Poco::InvalidArgumentException(key + ": expected an integer, found '" + raw + "'");
			if (value < minimum || value > maximum)
				throw Poco::InvalidArgumentException(key + ": " + raw + " is out of range [" + std::to_string(minimum) + ", " + std::to_string(maximum) + "]");
			return value;
		}

		double seconds(const std::string& key, double fallback, double minimum, double maximum) const
		{
			if (!_config.hasProperty(key)) return fallback;
			std::string raw = Poco::trim(_config.getString(key));
			double value = 0;
			if (!Poco::NumberParser::tryParseFloat(raw, value))
				throw Poco::InvalidArgumentException(key + ": expected a number of seconds, found '" + raw + "'");
			if (!(value >= minimum && value <= maximum))
				throw Poco::InvalidArgumentException(key + ": " + raw + " is out of range [" + std::to_string(minimum) + ", " + std::to_string(maximum) + "]");
			return value;
		}

		bool boolean(const std::string& key, bool fallback) const
		{
			if (!_config.hasProperty(key)) return fallback;
			std::string raw = Poco::toLower(Poco::trim(_config.getString(key)));
			if (raw == "true" || raw == "yes" || raw == "on" || raw == "1") return true;
			if (raw == "false" || raw == "no" || raw == "off" || raw == "0") return false;
			throw Poco::InvalidArgumentException(key + ": expected true or false, found '" + raw + "'");
		}

	private:
		const Poco::Util::AbstractConfiguration& _config;
	};
}


const std::vector<SettingSpec>& ServerSettings::knownSettings()
{
	return SPECS;
}


ServerSettings ServerSettings::fromConfiguration(const Poco::Util::AbstractConfiguration& config)
{
	std::set<std::string> fixedKeys;
	for (const auto& spec: SPECS) fixedKeys.insert(spec.key);

	ServerSettings s;
	std::vector<std::string> keys;
	collectLeafKeys(config, "xqueue", keys);
	std::map<std::string, QueueSettings> queuesById;
	std::vector<std::string> queueOrder;
	for (const auto& key: keys)
	{
		if (fixedKeys.count(key)) continue;
		const std::string queuesPrefix = "xqueue.queues.";
		if (key.compare(0, queuesPrefix.size(), queuesPrefix) == 0)
		{
			std::string rest = key.substr(queuesPrefix.size());
			auto dot = rest.find('.');
			if (dot == std::string::npos)
				throw Poco::InvalidArgumentException("unknown configuration key: " + key + " (declare a queue with xqueue.queues.<name>.plugin)");
			std::string id = rest.substr(0, dot);
			std::string leaf = rest.substr(dot + 1);
			if (!queuesById.count(id)) queueOrder.push_back(id);
			queuesById[id].id = id;
			// Keys the host does not own are the plugin's; the loader checks them
			// against the keys the plugin declares.
			if (!QUEUE_HOST_KEYS.count(leaf)) queuesById[id].pluginConfig[leaf] = config.getString(key);
			continue;
		}
		const std::string pluginsPrefix = "xqueue.plugins.";
		if (key.compare(0, pluginsPrefix.size(), pluginsPrefix) == 0)
		{
			std::string rest = key.substr(pluginsPrefix.size());
			auto dot = rest.find('.');
			if (dot != std::string::npos && rest.substr(dot + 1) == "path" && isValidPluginId(rest.substr(0, dot)))
			{
				s.pluginPaths[rest.substr(0, dot)] = config.getString(key);
				continue;
			}
		}
		throw Poco::InvalidArgumentException("unknown configuration key: " + key);
	}

	Reader r(config);
	s.httpHost = r.string("xqueue.http.host", s.httpHost);
	s.httpPort = static_cast<int>(r.integer("xqueue.http.port", s.httpPort, 0, 65535));
	s.httpThreads = static_cast<int>(r.integer("xqueue.http.threads", s.httpThreads, 1, 1024));
	s.httpQueue = static_cast<int>(r.integer("xqueue.http.queue", s.httpQueue, 1, 65536));
	s.httpKeepAliveTimeout = static_cast<int>(r.integer("xqueue.http.keep_alive_timeout", s.httpKeepAliveTimeout, 1, 3600));
	s.httpTimeout = static_cast<int>(r.integer("xqueue.http.timeout", s.httpTimeout, 1, 3600));
	// With port 0 the default is unique to this run (a restart is another host).
	s.hostId = r.string("xqueue.host.id", Poco::Environment::nodeName() + ":" +
		(s.httpPort ? std::to_string(s.httpPort) : "0-" + SecureRandom::hexToken(8)));
	if (s.hostId.empty() || s.hostId.size() > 200)
		throw Poco::InvalidArgumentException("xqueue.host.id: expected 1 to 200 characters");
	s.maxBodyBytes = static_cast<std::size_t>(r.integer("xqueue.http.max_body_bytes", static_cast<long long>(s.maxBodyBytes), 1024, 1LL << 34));
	s.maxFormFields = static_cast<int>(r.integer("xqueue.http.max_form_fields", s.maxFormFields, 2, 100000));
	s.maxFieldBytes = static_cast<std::size_t>(r.integer("xqueue.http.max_field_bytes", static_cast<long long>(s.maxFieldBytes), 1024, 1LL << 31));
	s.trustXRealIp = r.boolean("xqueue.http.trust_x_real_ip", s.trustXRealIp);
	s.headerTimeout = r.seconds("xqueue.http.header_timeout", s.headerTimeout, 0.1, 3600);
	s.requestTimeout = r.seconds("xqueue.http.request_timeout", s.requestTimeout, 0.1, 86400);
	s.maxConnectionsPerAddress = static_cast<int>(r.integer("xqueue.http.max_connections_per_address", s.maxConnectionsPerAddress, 0, 1000000));
	s.readAheadBytes = static_cast<std::size_t>(r.integer("xqueue.http.read_ahead_bytes", static_cast<long long>(s.readAheadBytes), 0, 64LL << 20));
	s.tlsCertificateFile = r.string("xqueue.http.tls.certificate_file", "");
	s.tlsKeyFile = r.string("xqueue.http.tls.key_file", "");
	if (s.tlsCertificateFile.empty() != s.tlsKeyFile.empty())
		throw Poco::InvalidArgumentException("xqueue.http.tls.certificate_file and xqueue.http.tls.key_file must be set together");
	s.secureCookie = r.boolean("xqueue.http.secure_cookie", s.secureCookie) || !s.tlsCertificateFile.empty();

	s.storeConnector = r.string("xqueue.store.connector", s.storeConnector);
	if (s.storeConnector != "sqlite" && s.storeConnector != "mysql")
		throw Poco::InvalidArgumentException("xqueue.store.connector: '" + s.storeConnector + "' is not available (sqlite or mysql)");
	s.storeConnection = r.string("xqueue.store.connection", s.storeConnection);
	if (s.storeConnection.empty())
		throw Poco::InvalidArgumentException("xqueue.store.connection: must name the database");
	s.storePasswordFile = r.string("xqueue.store.password_file", "");
	s.storePoolSize = static_cast<int>(r.integer("xqueue.store.pool_size", s.storePoolSize, 2, 4096));
	s.storeBusyTimeout = static_cast<int>(r.integer("xqueue.store.busy_timeout", s.storeBusyTimeout, 1, 600));
	s.storeReadTimeout = static_cast<int>(r.integer("xqueue.store.read_timeout", s.storeReadTimeout, 1, 86400));
	s.sqliteSynchronous = Poco::toUpper(r.string("xqueue.store.sqlite.synchronous", s.sqliteSynchronous));
	if (s.sqliteSynchronous != "FULL" && s.sqliteSynchronous != "NORMAL")
		throw Poco::InvalidArgumentException("xqueue.store.sqlite.synchronous: expected FULL or NORMAL, found '" + s.sqliteSynchronous + "'");

	s.pluginsDir = config.getString("xqueue.plugins.dir", config.getString("application.dir", "./") + "../lib/xqueue/plugins");
	s.dispatchPollInterval = r.seconds("xqueue.dispatch.poll_interval", s.dispatchPollInterval, 0.01, 3600);
	s.processingDelay = static_cast<int>(r.integer("xqueue.processing_delay", s.processingDelay, 0, 7 * 86400));
	s.maxNumberOfFailures = static_cast<int>(r.integer("xqueue.max_number_of_failures", s.maxNumberOfFailures, 0, 1000));

	s.deliveryThreads = static_cast<int>(r.integer("xqueue.delivery.threads", s.deliveryThreads, 1, 256));
	s.deliveryTimeout = static_cast<int>(r.integer("xqueue.delivery.timeout", s.deliveryTimeout, 1, 600));
	s.deliveryInitialDelay = r.seconds("xqueue.delivery.retry.initial_delay", s.deliveryInitialDelay, 0.001, 86400);
	s.deliveryMaxDelay = r.seconds("xqueue.delivery.retry.max_delay", s.deliveryMaxDelay, 0.001, 7 * 86400);
	if (s.deliveryMaxDelay < s.deliveryInitialDelay)
		throw Poco::InvalidArgumentException("xqueue.delivery.retry.max_delay: must not be smaller than xqueue.delivery.retry.initial_delay");
	s.deliveryHorizon = static_cast<int>(r.integer("xqueue.delivery.retry.horizon", s.deliveryHorizon, 0, 365 * 86400));
	s.verifiedLifetime = r.seconds("xqueue.auth.verified_lifetime", s.verifiedLifetime, 0, 86400);
	s.deliveryMinSubmissionAge = r.seconds("xqueue.delivery.min_submission_age", s.deliveryMinSubmissionAge, 0, 3600);
	s.deliveryPollInterval = r.seconds("xqueue.delivery.poll_interval", s.deliveryPollInterval, 0.01, 3600);
	s.deliveryUsername = r.string("xqueue.delivery.username", "");
	s.deliveryPassword = r.string("xqueue.delivery.password", "");
	s.deliveryPasswordFile = r.string("xqueue.delivery.password_file", "");
	if (!s.deliveryPassword.empty() && !s.deliveryPasswordFile.empty())
		throw Poco::InvalidArgumentException("xqueue.delivery.password and xqueue.delivery.password_file: set one of them");
	if (s.deliveryUsername.empty() != (s.deliveryPassword.empty() && s.deliveryPasswordFile.empty()))
		throw Poco::InvalidArgumentException("xqueue.delivery.username and xqueue.delivery.password (or password_file) must be set together");
	Poco::StringTokenizer authHosts(r.string("xqueue.delivery.auth_hosts", ""), ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
	for (const auto& host: authHosts)
	{
		try
		{
			s.deliveryAuthHosts.insert(Origin::parse(host));
		}
		catch (Poco::InvalidArgumentException& exc)
		{
			throw Poco::InvalidArgumentException("xqueue.delivery.auth_hosts: " + exc.message());
		}
	}
	if (!s.deliveryUsername.empty() && s.deliveryAuthHosts.empty())
		throw Poco::InvalidArgumentException("xqueue.delivery.auth_hosts: name the LMS hosts the credentials of xqueue.delivery.username belong to (they are never sent to other callback hosts)");
	s.deliverySigningKeyFile = r.string("xqueue.delivery.signing_key_file", "");
	s.outboundAllowAddresses = r.string("xqueue.outbound.allow_addresses", "");
	try
	{
		AddressPrefixList check(s.outboundAllowAddresses);
	}
	catch (Poco::Exception& exc)
	{
		throw Poco::InvalidArgumentException("xqueue.outbound.allow_addresses: " + exc.message());
	}
	s.outboundInsecureTlsHosts = r.string("xqueue.outbound.insecure_tls_hosts", "");

	s.filesStorage = r.string("xqueue.files.storage", s.filesStorage);
	if (s.filesStorage != "database" && s.filesStorage != "directory")
		throw Poco::InvalidArgumentException("xqueue.files.storage: expected database or directory, found '" + s.filesStorage + "'");
	s.filesDirectory = r.string("xqueue.files.directory", "");
	if (s.filesStorage == "directory" && s.filesDirectory.empty())
		throw Poco::InvalidArgumentException("xqueue.files.directory: required with xqueue.files.storage = directory");
	s.filesSpoolDirectory = r.string("xqueue.files.spool_directory", "");
	s.filesMaxFileBytes = static_cast<std::size_t>(r.integer("xqueue.files.max_file_bytes", static_cast<long long>(s.filesMaxFileBytes), 0, 1LL << 40));
	s.filesMaxFiles = static_cast<int>(r.integer("xqueue.files.max_files", s.filesMaxFiles, 0, 100000));
	s.filesMaxNameBytes = static_cast<std::size_t>(r.integer("xqueue.files.max_name_bytes", static_cast<long long>(s.filesMaxNameBytes), 1, 4096));
	s.filesBaseUrl = r.string("xqueue.files.base_url", "");
	if (!s.filesBaseUrl.empty() && s.filesBaseUrl.rfind("http://", 0) != 0 && s.filesBaseUrl.rfind("https://", 0) != 0)
		throw Poco::InvalidArgumentException("xqueue.files.base_url: expected an http:// or https:// URL, found '" + s.filesBaseUrl + "'");
	s.filesUrlLifetime = static_cast<int>(r.integer("xqueue.files.url_lifetime", s.filesUrlLifetime, 1, 366 * 86400));
	s.filesUrlSecretFile = r.string("xqueue.files.url_secret_file", "");
	s.filesRetentionDays = static_cast<int>(r.integer("xqueue.files.retention_days", s.filesRetentionDays, 0, 36500));
	s.filesOrphanGrace = static_cast<int>(r.integer("xqueue.files.orphan_grace", s.filesOrphanGrace, 0, 366 * 86400));
	s.filesSweepInterval = r.seconds("xqueue.files.sweep_interval", s.filesSweepInterval, 0.01, 366 * 86400);

	s.metricsAllowFrom = r.string("xqueue.metrics.allow_from", s.metricsAllowFrom);
	try
	{
		AddressPrefixList check(s.metricsAllowFrom);
	}
	catch (Poco::Exception& exc)
	{
		throw Poco::InvalidArgumentException("xqueue.metrics.allow_from: " + exc.message());
	}
	s.drainDelay = r.seconds("xqueue.shutdown.drain_delay", s.drainDelay, 0, 3600);

	s.dashboardDir = config.getString("xqueue.dashboard.dir", config.getString("application.dir", "./") + "../share/xqueue/dashboard");
	s.dashboardSampleInterval = r.seconds("xqueue.dashboard.sample_interval", s.dashboardSampleInterval, 0.05, 3600);

	s.pbkdf2Iterations = static_cast<int>(r.integer("xqueue.auth.pbkdf2_iterations", s.pbkdf2Iterations, 1000, 100000000));
	s.sessionLifetime = static_cast<int>(r.integer("xqueue.auth.session_lifetime", s.sessionLifetime, 60, 366 * 86400));
	s.maxFailuresPerUser = static_cast<int>(r.integer("xqueue.auth.max_failures_per_user", s.maxFailuresPerUser, 0, 1000000));
	s.maxFailuresPerAddress = static_cast<int>(r.integer("xqueue.auth.max_failures_per_address", s.maxFailuresPerAddress, 0, 1000000));
	s.failureWindow = static_cast<int>(r.integer("xqueue.auth.failure_window", s.failureWindow, 1, 86400));

	// LayeredConfiguration lists keys layer by layer (--define first): sort, so that the
	// documented order ("Valid queue names are: ...") does not depend on where a key came from.
	std::sort(queueOrder.begin(), queueOrder.end());
	std::set<std::string> wireNames;
	for (const auto& id: queueOrder)
	{
		QueueSettings q = queuesById[id];
		const std::string prefix = "xqueue.queues." + id + ".";
		if (!config.hasProperty(prefix + "plugin"))
			throw Poco::InvalidArgumentException(prefix + "plugin: missing (every queue names its grader adapter)");
		q.plugin = Poco::trim(config.getString(prefix + "plugin"));
		if (!isValidPluginId(q.plugin))
			throw Poco::InvalidArgumentException(prefix + "plugin: '" + q.plugin + "' is not a plugin id (1-64 characters of a-z 0-9 _)");
		q.concurrency = static_cast<int>(r.integer(prefix + "concurrency", q.concurrency, 1, 1024));
		q.timeBudget = r.seconds(prefix + "time_budget", q.timeBudget, 0.01, 86400);
		q.dispatchKeysSet = config.hasProperty(prefix + "concurrency") || config.hasProperty(prefix + "time_budget");
		q.name = config.getString(prefix + "name", id);
		if (!isValidQueueName(q.name))
			throw Poco::InvalidArgumentException(prefix + "name: '" + q.name + "' is not a valid queue name (1-128 characters of A-Z a-z 0-9 _ - .)");
		if (!wireNames.insert(q.name).second)
			throw Poco::InvalidArgumentException(prefix + "name: queue name '" + q.name + "' is declared twice");
		s.queues.push_back(q);
	}
	return s;
}


namespace
{
	std::string firstLineOf(const std::string& path)
		/// A secret kept in a file of its own: its first line, without the line end.
	{
		Poco::FileInputStream in(path);
		std::string line;
		std::getline(in, line);
		while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
		return line;
	}
}


std::string ServerSettings::fileLinkSecret() const
{
	if (filesUrlSecretFile.empty()) return std::string();
	std::string secret = firstLineOf(filesUrlSecretFile);
	if (secret.size() < 16) throw Poco::InvalidArgumentException("xqueue.files.url_secret_file: the key must have at least 16 characters");
	return secret;
}


std::string ServerSettings::deliveryPasswordWithSecrets() const
{
	return deliveryPasswordFile.empty() ? deliveryPassword : firstLineOf(deliveryPasswordFile);
}


std::string ServerSettings::deliverySigningKey() const
{
	if (deliverySigningKeyFile.empty()) return std::string();
	std::string key = firstLineOf(deliverySigningKeyFile);
	try
	{
		xqueue::sdk::WebhookSignature check(key);
	}
	catch (std::invalid_argument& exc)
	{
		throw Poco::InvalidArgumentException(std::string("xqueue.delivery.signing_key_file: ") + exc.what());
	}
	return key;
}


std::string ServerSettings::storeConnectionWithSecrets() const
{
	if (storeConnector != "mysql") return storeConnection;
	std::string password;
	if (!storePasswordFile.empty())
	{
		password = firstLineOf(storePasswordFile);
	}
	else if (const char* fromEnvironment = std::getenv("XQUEUE_STORE_PASSWORD"))
	{
		password = fromEnvironment;
	}
	return password.empty() ? storeConnection : storeConnection + ";password=" + password;
}


DatabaseOptions ServerSettings::databaseOptions() const
{
	DatabaseOptions options;
	options.connector = storeConnector;
	options.connection = storeConnectionWithSecrets();
	options.poolSize = storePoolSize;
	options.busyTimeoutSeconds = storeBusyTimeout;
	options.readTimeoutSeconds = storeReadTimeout;
	options.synchronous = sqliteSynchronous;
	return options;
}


std::string ServerSettings::storeDescription() const
{
	if (storeConnector != "mysql") return storeConnection;
	std::string out;
	Poco::StringTokenizer parts(storeConnection, ";", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
	for (const auto& part: parts)
	{
		if (Poco::toLower(part).rfind("password", 0) == 0) continue;
		out += (out.empty() ? "" : ";") + part;
	}
	return "mysql:" + out;
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

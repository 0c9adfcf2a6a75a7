// SPDX-License-Identifier: Apache-2.0
//
// XQueueServer.cpp
//


#include "XQueueServer.h"
#include "auth/PasswordHasher.h"
#include "auth/CallbackHosts.h"
#include "auth/SessionManager.h"
#include "config/ServerSettings.h"
#include "delivery/DeliveryWorker.h"
#include "delivery/LmsClient.h"
#include "delivery/OutboundConnector.h"
#include "delivery/RetryPolicy.h"
#include "files/FileContentStore.h"
#include "files/FileLinks.h"
#include "files/FileRetention.h"
#include "files/FileStore.h"
#include "files/UploadLimits.h"
#include "http/ConnectionGuard.h"
#include "http/ConnectionServer.h"
#include "http/HostContext.h"
#include "http/RequestRouter.h"
#include "loader/PluginRegistry.h"
#include "queue/PausedQueues.h"
#include "queue/QueueRuntime.h"
#include "store/Database.h"
#include "store/DeliveryStore.h"
#include "store/QueueControlStore.h"
#include "store/SecretStore.h"
#include "store/SubmissionStore.h"
#include "store/UserStore.h"
#include "metrics/Metrics.h"
#include "Poco/Environment.h"
#include "Poco/FileChannel.h"
#include "Poco/LoggingRegistry.h"
#include "Poco/SimpleFileChannel.h"
#include "Poco/Net/Context.h"
#include "Poco/Net/HTTPServerParams.h"
#include "Poco/Net/SecureServerSocket.h"
#include "Poco/Net/ServerSocket.h"
#include "Poco/Net/SSLManager.h"
#include "Poco/Net/SocketAddress.h"
#include "Poco/Path.h"
#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>


namespace XQueue {


namespace
{
	void describeMetrics()
	{
		Metrics& m = Metrics::instance();
		m.describe("xqueue_http_requests_total", "counter", "HTTP requests by route and status.");
		m.describe("xqueue_http_request_duration_seconds", "histogram", "Time to answer a request, by route.");
		m.describe("xqueue_submissions_total", "counter", "Submissions by queue and outcome (accepted, refused_upload, refused_callback).");
		m.describe("xqueue_results_total", "counter", "put_result calls by outcome (accepted, duplicate, ignored, not_found, wrong_key, forbidden, invalid_grade).");
		m.describe("xqueue_gradings_total", "counter", "Dispatched gradings by queue, plugin and outcome (graded, failed, error, timeout).");
		m.describe("xqueue_grading_duration_seconds", "histogram", "Time a dispatch-mode plugin took to grade, by queue.");
		m.describe("xqueue_plugin_errors_total", "counter", "Plugin errors (grade refused or threw) and timeouts, by plugin.");
		m.describe("xqueue_deliveries_total", "counter", "LMS delivery attempts by kind and outcome (delivered, retry, parked).");
		m.describe("xqueue_end_to_end_seconds", "histogram", "From a submission's arrival to its result or notice reaching the LMS.");
		m.describe("xqueue_store_errors_total", "counter", "Requests answered 503 because the store was unavailable.");
		m.describe("xqueue_connections_closed_total", "counter", "Client connections closed by the server: deadline (too slow), per_address_cap, idle (no request within header_timeout or keep_alive_timeout).");
		m.describe("xqueue_outbound_deadlines_total", "counter", "LMS deliveries cut off at xqueue.delivery.timeout (no answer, or one dripped too slowly).");
		m.describe("xqueue_logins_total", "counter", "Logins by outcome: verified (PBKDF2), remembered (a pair verified recently: no PBKDF2), failed.");
	}
}


void XQueueServer::defineOptions(Poco::Util::OptionSet& options)
{
	ServerApplication::defineOptions(options);
	_commandLine.defineOptions(options);
}


void XQueueServer::handleOption(const std::string& name, const std::string& value)
{
	ServerApplication::handleOption(name, value);
	_commandLine.handleOption(name, value, *this);
}


void XQueueServer::initialize(Poco::Util::Application& self)
{
	if (!_commandLine.helpRequested())
	{
		try
		{
			_commandLine.load(*this);
		}
		catch (Poco::Exception& exc)
		{
			_startupError = exc.message();
		}
	}
	ServerApplication::initialize(self);
}


sigset_t XQueueServer::handledSignals()
{
	sigset_t signals;
	sigemptyset(&signals);
	for (int signal: {SIGINT, SIGTERM, SIGQUIT, SIGHUP}) sigaddset(&signals, signal);
	return signals;
}


void XQueueServer::waitForTermination()
{
	sigset_t signals = handledSignals();
	for (;;)
	{
		int received = 0;
		if (sigwait(&signals, &received) != 0) continue;
		if (received != SIGHUP) return;
		reopenLogFiles();
	}
}


void XQueueServer::reopenLogFiles()
{
	// For logrotate: file channels are closed and reopen themselves at the next message.
	Poco::Util::AbstractConfiguration::Keys channels;
	config().keys("logging.channels", channels);
	for (const auto& name: channels)
	{
		try
		{
			Poco::Channel::Ptr pChannel = Poco::LoggingRegistry::defaultRegistry().channelForName(name);
			if (auto* pFile = dynamic_cast<Poco::FileChannel*>(pChannel.get())) pFile->close();
			else if (auto* pSimple = dynamic_cast<Poco::SimpleFileChannel*>(pChannel.get())) pSimple->close();
		}
		catch (Poco::NotFoundException&)
		{
		}
	}
	logger().information("SIGHUP: log files reopened");
}


int XQueueServer::main(const std::vector<std::string>&)
{
	if (_commandLine.helpRequested())
	{
		_commandLine.printHelp(*this, "--config-file=FILE [--define=key=value ...]",
			"The xqueue submission queue server. Configuration keys: docs/configuration.md.");
		return EXIT_OK;
	}
	Poco::Logger& log = logger();
	auto fail = [&](const std::string& message) {
		std::cerr << "xqueue-server: " << message << std::endl;
		log.fatal(message);
		return EXIT_CONFIG;
	};
	if (!_startupError.empty()) return fail(_startupError);

	ServerSettings settings;
	try
	{
		settings = ServerSettings::fromConfiguration(config());
	}
	catch (Poco::Exception& exc)
	{
		return fail("configuration error: " + exc.message());
	}

	std::unique_ptr<Database> pDatabase;
	try
	{
		pDatabase = std::make_unique<Database>(settings.databaseOptions());
	}
	catch (Poco::Exception& exc)
	{
		return fail("cannot open the store " + settings.storeDescription() + ": " + exc.displayText());
	}

	UserStore users(*pDatabase);
	LeasePolicy leases;
	leases.processingDelaySeconds = settings.processingDelay;
	leases.maxLeases = settings.maxNumberOfFailures + 1;
	leases.minDeliveryAge = static_cast<Micros>(settings.deliveryMinSubmissionAge * MICROS_PER_SECOND);
	SubmissionStore submissions(*pDatabase, leases);
	DeliveryStore deliveries(*pDatabase);
	PasswordHasher hasher(settings.pbkdf2Iterations);
	VerifiedCredentials verifiedCredentials(static_cast<Micros>(settings.verifiedLifetime * MICROS_PER_SECOND));
	SessionManager sessions(users, hasher, verifiedCredentials, settings.sessionLifetime);
	std::unique_ptr<OutboundConnector> pOutbound;
	std::unique_ptr<LmsClient> pLms;
	CallbackHosts callbackHosts(users);
	try
	{
		pOutbound = std::make_unique<OutboundConnector>(settings.outboundAllowAddresses, settings.outboundInsecureTlsHosts, settings.deliveryTimeout);
		pOutbound->setRegisteredHosts([&callbackHosts](const std::string& host) { return callbackHosts.contains(host); });
		LmsClientOptions lmsOptions;
		lmsOptions.username = settings.deliveryUsername;
		lmsOptions.password = settings.deliveryPasswordWithSecrets();
		lmsOptions.authHosts = settings.deliveryAuthHosts;
		lmsOptions.signingKey = settings.deliverySigningKey();
		pLms = std::make_unique<LmsClient>(*pOutbound, settings.deliveryTimeout, lmsOptions);
	}
	catch (Poco::Exception& exc)
	{
		return fail(exc.displayText());
	}
	for (const auto& host: pOutbound->insecureTlsHosts())
		log.warning("TLS certificates of callback host %s will NOT be verified (xqueue.outbound.insecure_tls_hosts): use this on test systems only", host);
	const LmsClient& lms = *pLms;
	RetryPolicy retry(settings.deliveryInitialDelay, settings.deliveryMaxDelay, settings.deliveryHorizon);
	DeliveryWorkerOptions workerOptions;
	workerOptions.threads = settings.deliveryThreads;
	workerOptions.pollIntervalSeconds = settings.deliveryPollInterval;
	workerOptions.leaseDuration = static_cast<Micros>(2 * settings.deliveryTimeout + 5) * MICROS_PER_SECOND;
	workerOptions.hostId = settings.hostId;
	DeliveryWorker delivery(deliveries, lms, retry, workerOptions);

	std::unique_ptr<Poco::Net::ServerSocket> pSocket;
	try
	{
		// SO_REUSEADDR for quick restarts, but not SO_REUSEPORT (Poco's default), which
		// would let a second server bind the same port and silently share its traffic.
		if (settings.tlsCertificateFile.empty())
		{
			pSocket = std::make_unique<Poco::Net::ServerSocket>();
		}
		else
		{
			// TLS 1.2 at least; the handshake happens on the request thread, within the
			// connection's header deadline.
			Poco::Net::initializeSSL();
			Poco::Net::Context::Ptr pTls = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE,
				settings.tlsKeyFile, settings.tlsCertificateFile, "", Poco::Net::Context::VERIFY_NONE, 9, false);
			pTls->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
			pTls->enableSessionCache(true, "xqueue");
			pSocket = std::make_unique<Poco::Net::SecureServerSocket>(pTls);
		}
		pSocket->bind(Poco::Net::SocketAddress(settings.httpHost, static_cast<Poco::UInt16>(settings.httpPort)), true, false);
		pSocket->listen(settings.httpQueue);
	}
	catch (Poco::Exception& exc)
	{
		return fail("cannot listen on " + settings.httpHost + ":" + std::to_string(settings.httpPort) + ": " + exc.displayText());
	}
	// Files: contents in the store or a directory; links signed with a key every host shares.
	std::unique_ptr<FileContentStore> pContents;
	UploadLimits uploadLimits;
	uploadLimits.maxFileBytes = settings.filesMaxFileBytes;
	uploadLimits.maxFiles = settings.filesMaxFiles;
	uploadLimits.maxNameBytes = settings.filesMaxNameBytes;
	std::string linkSecret;
	try
	{
		pContents = FileContentStore::open(settings, *pDatabase);
		uploadLimits.spoolDirectory = pContents->spoolDirectory();
		uploadLimits.memoryBytes = pContents->memorySpoolBytes();
		linkSecret = settings.fileLinkSecret();
		if (linkSecret.empty()) linkSecret = SecretStore(*pDatabase).obtain("file_links");
	}
	catch (Poco::Exception& exc)
	{
		return fail("cannot set up file storage: " + exc.displayText());
	}
	FileStore files(*pDatabase, *pContents);
	std::string listenHost = settings.httpHost;
	if (listenHost.empty() || listenHost == "0.0.0.0" || listenHost == "::") listenHost = Poco::Environment::nodeName();
	else if (listenHost.find(':') != std::string::npos) listenHost = "[" + listenHost + "]";
	const std::string scheme = settings.tlsCertificateFile.empty() ? "http://" : "https://";
	FileLinks fileLinks(linkSecret, settings.filesUrlLifetime, settings.filesBaseUrl,
		scheme + listenHost + ":" + std::to_string(pSocket->address().port()));
	RetentionPolicy retentionPolicy;
	retentionPolicy.retentionDays = settings.filesRetentionDays;
	retentionPolicy.orphanGraceSeconds = settings.filesOrphanGrace;
	FileRetention retention(*pDatabase, *pContents, retentionPolicy);

	QueueControlStore queueControls(*pDatabase);
	PausedQueues pausedQueues(queueControls);

	// Plugins load on this thread, before any request or worker thread exists.
	PluginRegistry plugins(settings.pluginsDir, settings.pluginPaths);
	std::unique_ptr<QueueRuntime> pQueues;
	try
	{
		pQueues = std::make_unique<QueueRuntime>(settings, plugins, submissions, delivery, fileLinks, pausedQueues);
	}
	catch (Poco::Exception& exc)
	{
		return fail(exc.message());
	}
	AddressPrefixList metricsAccess(settings.metricsAllowFrom);
	std::atomic<bool> draining{false};
	std::vector<std::string> queueNames;
	for (const auto& queue: settings.queues) queueNames.push_back(queue.name);
	QueueHistory queueHistory(submissions, queueNames, settings.dashboardSampleInterval);
	LoginThrottle loginThrottle(LoginThrottle::Limits{settings.maxFailuresPerUser, settings.maxFailuresPerAddress,
		static_cast<Micros>(settings.failureWindow) * MICROS_PER_SECOND});
	HostContext context{settings, sessions, submissions, delivery, *pQueues, files, fileLinks, uploadLimits, pausedQueues,
		*pDatabase, metricsAccess, draining, users, deliveries, queueHistory, loginThrottle, *pOutbound};
	describeMetrics();

	if (settings.queues.empty()) log.warning("no queues are configured (xqueue.queues.<name>.plugin)");
	if (users.count() == 0)
		log.warning("no users yet: create one with  xqueue-admin --config-file=<this file> user set <name>  (password on stdin)");
	users.purgeExpiredSessions(Clock::now());
	// An unknown user name must cost as much as the costliest stored hash (user enumeration).
	for (const auto& hash: users.passwordHashes()) hasher.coverCostOf(hash);
	if (std::size_t legacy = users.countWithRole(UserAccess::LEGACY))
		log.warning("%z users have the legacy role (submit and grade on every queue, as in the old server): narrow each with"
			"  xqueue-admin user set NAME --role=lms|grader --queues=Q,...", legacy);
	if (std::size_t open = users.countSubmittersWithoutCallbackPrefixes())
		log.warning("%z accounts that may submit may name any callback URL (only special-purpose addresses are refused):"
			" restrict each with  xqueue-admin user callbacks NAME https://lms.example.com/", open);

	Poco::Net::HTTPServerParams::Ptr pParams = new Poco::Net::HTTPServerParams;
	pParams->setKeepAlive(true);
	pParams->setKeepAliveTimeout(Poco::Timespan(settings.httpKeepAliveTimeout, 0));
	pParams->setTimeout(Poco::Timespan(settings.httpTimeout, 0));
	pParams->setServerName("xqueue");
	ConnectionLimits connectionLimits;
	connectionLimits.headerTimeout = settings.headerTimeout;
	connectionLimits.requestTimeout = settings.requestTimeout;
	connectionLimits.keepAliveTimeout = settings.httpKeepAliveTimeout;
	connectionLimits.maxPerAddress = settings.maxConnectionsPerAddress;
	ConnectionGuard connectionGuard(connectionLimits);
	// Poco's HTTP request and response objects, but idle connections wait in an epoll set
	// rather than on request threads (ConnectionServer), each admitted and timed by the
	// ConnectionGuard.
	ConnectionServerOptions serverOptions;
	serverOptions.threads = settings.httpThreads;
	// Bodies too large to read ahead are read as they come: never on every thread.
	serverOptions.streamingThreads = settings.httpThreads / 2; // at least 1 (ConnectionServer)
	serverOptions.connection.readAheadBytes = settings.readAheadBytes;
	// What a client still sends after a refusal is dropped up to this, so that it reads the
	// reply; past it the connection is reset.
	serverOptions.connection.lingerBytes = std::max<std::size_t>(settings.maxBodyBytes, 64 * 1024 * 1024);
	ConnectionServer server(*pSocket, connectionGuard, pParams, new RequestRouter(context), serverOptions);

	delivery.start();
	pQueues->start();
	connectionGuard.start();
	server.start();
	retention.start(settings.filesSweepInterval);
	queueHistory.start();
	log.information("xqueue-server listening on %s (%z queues, store %s, files in %s)",
		pSocket->address().toString(), settings.queues.size(), settings.storeDescription(), pContents->description());

	waitForTermination();

	// Drain: unready first (load balancers stop sending), then stop accepting, let the
	// requests and gradings in flight finish, and hand back every lease still held.
	draining = true;
	log.information("shutting down: /readyz answers 503; serving %.1f s more before closing the listener", settings.drainDelay);
	std::this_thread::sleep_for(std::chrono::duration<double>(settings.drainDelay));
	log.information("shutting down: finishing requests in flight");
	server.stop();
	connectionGuard.stop();
	retention.stop();
	queueHistory.stop();
	pQueues->stop();
	delivery.stop();
	try
	{
		std::size_t released = deliveries.releaseLeasesOf(settings.hostId, deliveries.currentTime());
		if (released > 0) log.information("released %z delivery leases for the other hosts (or the next start)", released);
	}
	catch (Poco::Exception& exc)
	{
		log.warning("cannot release this host's delivery leases (they expire on their own): %s", exc.displayText());
	}
	log.information("stopped");
	return EXIT_OK;
}


} // namespace XQueue

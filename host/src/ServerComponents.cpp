// SPDX-License-Identifier: Apache-2.0
//
// ServerComponents.cpp
//


#include "ServerComponents.h"
#include "auth/CallbackHosts.h"
#include "auth/LoginThrottle.h"
#include "auth/PasswordHasher.h"
#include "auth/SessionManager.h"
#include "auth/VerifiedCredentials.h"
#include "config/ServerSettings.h"
#include "dashboard/QueueHistory.h"
#include "dashboard/StoreGauges.h"
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
#include "util/CloseOnExec.h"
#include "Poco/Environment.h"
#include "Poco/Net/Context.h"
#include "Poco/Net/HTTPServerParams.h"
#include "Poco/Net/SecureServerSocket.h"
#include "Poco/Net/ServerSocket.h"
#include "Poco/Net/SSLManager.h"
#include "Poco/Net/SocketAddress.h"
#include <algorithm>
#include <typeinfo>


namespace XQueue {


POCO_IMPLEMENT_EXCEPTION(StartupException, Poco::RuntimeException, "Cannot start")


ServerComponents::ServerComponents(const ServerSettings& settings, Poco::Logger& log):
	_settings(settings),
	_log(log)
{
	openStore();
	buildDelivery();
	bindListener();
	buildFiles();
	buildQueues();
	buildHttp();
	warnAboutAccounts();
}


ServerComponents::~ServerComponents()
{
	stop();
}


void ServerComponents::openStore()
{
	try
	{
		_pDatabase = Database::open(_settings.store.databaseOptions());
	}
	catch (Poco::Exception& exc)
	{
		throw StartupException("cannot open the store " + _settings.store.description() + ": " + exc.displayText());
	}
	std::string lag = _pDatabase->schemaLag();
	if (!lag.empty())
	{
		if (_settings.store.migrate != "auto")
			throw StartupException(lag + ": run  xqueue-admin migrate  first (xqueue.store.migrate = explicit)");
		int from = _pDatabase->schemaVersion();
		_pDatabase->migrate();
		_log.information("store schema migrated from version %d to %d (xqueue.store.migrate = auto)", from, _pDatabase->schemaVersion());
	}
	_pUsers = std::make_unique<UserStore>(*_pDatabase);
	_pSubmissions = std::make_unique<SubmissionStore>(*_pDatabase, _settings.leasePolicy());
	_pDeliveries = std::make_unique<DeliveryStore>(*_pDatabase);
}


void ServerComponents::buildDelivery()
{
	const DeliverySettings& delivery = _settings.delivery;
	_pCallbackHosts = std::make_unique<CallbackHosts>(*_pUsers);
	try
	{
		_pOutbound = std::make_unique<OutboundConnector>(_settings.outbound.allowAddresses, _settings.outbound.insecureTlsHosts, delivery.timeout);
		CallbackHosts& callbackHosts = *_pCallbackHosts;
		_pOutbound->setRegisteredHosts([&callbackHosts](const std::string& host) { return callbackHosts.contains(host); });
		LmsClientOptions lmsOptions;
		lmsOptions.username = delivery.username;
		lmsOptions.password = delivery.passwordWithSecrets();
		lmsOptions.authHosts = delivery.authHosts;
		lmsOptions.signingKey = delivery.signingKey();
		lmsOptions.keepAlive = static_cast<Micros>(delivery.keepAlive * MICROS_PER_SECOND);
		lmsOptions.keptPerOrigin = static_cast<std::size_t>(delivery.threads);
		_pLms = std::make_unique<LmsClient>(*_pOutbound, delivery.timeout, lmsOptions);
	}
	catch (Poco::Exception& exc)
	{
		throw StartupException(exc.displayText());
	}
	for (const auto& host: _pOutbound->insecureTlsHosts())
		_log.warning("TLS certificates of callback host %s will NOT be verified (xqueue.outbound.insecure_tls_hosts): use this on test systems only", host);
	_pRetry = std::make_unique<RetryPolicy>(delivery.initialDelay, delivery.maxDelay, delivery.horizon);
	DeliveryWorkerOptions workerOptions;
	workerOptions.threads = delivery.threads;
	workerOptions.pollIntervalSeconds = delivery.pollInterval;
	workerOptions.leaseDuration = static_cast<Micros>(2 * delivery.timeout + 5) * MICROS_PER_SECOND;
	workerOptions.hostId = _settings.hostId;
	_pDelivery = std::make_unique<DeliveryWorker>(*_pDeliveries, *_pLms, *_pRetry, workerOptions);
	_services.push_back({[this] { _pDelivery->start(); }, [this] { _pDelivery->stop(); }});
}


void ServerComponents::bindListener()
{
	const HttpSettings& http = _settings.http;
	try
	{
		// SO_REUSEADDR for quick restarts, but not SO_REUSEPORT (Poco's default), which
		// would let a second server bind the same port and silently share its traffic.
		if (!http.servesTls())
		{
			_pListener = std::make_unique<Poco::Net::ServerSocket>();
		}
		else
		{
			// TLS 1.2 at least; the handshake happens on the request thread, within the
			// connection's header deadline.
			Poco::Net::initializeSSL();
			Poco::Net::Context::Ptr pTls = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE,
				http.tlsKeyFile, http.tlsCertificateFile, "", Poco::Net::Context::VERIFY_NONE, 9, false);
			pTls->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
			pTls->enableSessionCache(true, "xqueue");
			_pListener = std::make_unique<Poco::Net::SecureServerSocket>(pTls);
		}
		_pListener->bind(Poco::Net::SocketAddress(http.host, static_cast<Poco::UInt16>(http.port)), true, false);
		_pListener->listen(http.queue);
		CloseOnExec::set(_pListener->impl()->sockfd());
	}
	catch (Poco::Exception& exc)
	{
		throw StartupException("cannot listen on " + http.host + ":" + std::to_string(http.port) + ": " + exc.displayText());
	}
}


void ServerComponents::buildFiles()
{
	// Contents in the store or a directory; links signed with a key every host shares.
	const FilesSettings& files = _settings.files;
	_pUploadLimits = std::make_unique<UploadLimits>();
	_pUploadLimits->maxFileBytes = files.maxFileBytes;
	_pUploadLimits->maxFiles = files.maxFiles;
	_pUploadLimits->maxNameBytes = files.maxNameBytes;
	std::string linkSecret;
	try
	{
		_pContents = FileContentStore::open(files, *_pDatabase);
		_pUploadLimits->spoolDirectory = _pContents->spoolDirectory();
		_pUploadLimits->memoryBytes = _pContents->memorySpoolBytes();
		linkSecret = files.linkSecret();
		if (linkSecret.empty()) linkSecret = SecretStore(*_pDatabase).obtain("file_links");
	}
	catch (Poco::Exception& exc)
	{
		throw StartupException("cannot set up file storage: " + exc.displayText());
	}
	_pFiles = std::make_unique<FileStore>(*_pDatabase, *_pContents);
	std::string listenHost = _settings.http.host;
	if (listenHost.empty() || listenHost == "0.0.0.0" || listenHost == "::") listenHost = Poco::Environment::nodeName();
	else if (listenHost.find(':') != std::string::npos) listenHost = "[" + listenHost + "]";
	const std::string scheme = _settings.http.servesTls() ? "https://" : "http://";
	_pFileLinks = std::make_unique<FileLinks>(linkSecret, files.urlLifetime, files.baseUrl,
		scheme + listenHost + ":" + std::to_string(_pListener->address().port()));
	_pRetention = std::make_unique<FileRetention>(*_pDatabase, *_pContents, RetentionPolicy{files.retentionDays, files.orphanGrace});
	_services.push_back({[this] { _pRetention->start(_settings.files.sweepInterval); }, [this] { _pRetention->stop(); }});
}


void ServerComponents::buildQueues()
{
	_pQueueControls = std::make_unique<QueueControlStore>(*_pDatabase);
	_pPausedQueues = std::make_unique<PausedQueues>(*_pQueueControls);
	// Plugins load on this thread, before any request or worker thread exists.
	_pPlugins = std::make_unique<PluginRegistry>(_settings.plugins.dir, _settings.plugins.paths);
	try
	{
		_pQueues = std::make_unique<QueueRuntime>(_settings, *_pPlugins, *_pSubmissions, *_pDelivery, *_pFileLinks, *_pPausedQueues);
	}
	catch (Poco::Exception& exc)
	{
		throw StartupException(exc.message());
	}
	_services.push_back({[this] { _pQueues->start(); }, [this] { _pQueues->stop(); }});
	std::vector<std::string> queueNames;
	for (const auto& queue: _settings.queues) queueNames.push_back(queue.name);
	_pQueueHistory = std::make_unique<QueueHistory>(*_pSubmissions, queueNames, _settings.operations.dashboardSampleInterval);
	_services.push_back({[this] { _pQueueHistory->start(); }, [this] { _pQueueHistory->stop(); }});
	_pStoreGauges = std::make_unique<StoreGauges>(*_pDatabase, *_pSubmissions, *_pQueueControls, queueNames, _settings.operations.storeReadInterval);
	_services.push_back({[this] { _pStoreGauges->start(); }, [this] { _pStoreGauges->stop(); }});
}


void ServerComponents::buildHttp()
{
	const HttpSettings& http = _settings.http;
	const AuthSettings& auth = _settings.auth;
	_pHasher = std::make_unique<PasswordHasher>(auth.pbkdf2Iterations);
	_pVerifiedCredentials = std::make_unique<VerifiedCredentials>(static_cast<Micros>(auth.verifiedLifetime * MICROS_PER_SECOND));
	_pSessions = std::make_unique<SessionManager>(*_pUsers, *_pHasher, *_pVerifiedCredentials, auth.sessionLifetime,
		static_cast<Micros>(auth.sessionCacheLifetime * MICROS_PER_SECOND));
	_pLoginThrottle = std::make_unique<LoginThrottle>(LoginThrottle::Limits{auth.maxFailuresPerUser, auth.maxFailuresPerAddress,
		static_cast<Micros>(auth.failureWindow) * MICROS_PER_SECOND});
	_pContext.reset(new HostContext{_settings, *_pSessions, *_pSubmissions, *_pDelivery, *_pQueues, *_pFiles, *_pFileLinks, *_pUploadLimits,
		*_pPausedQueues, *_pDatabase, _draining, *_pUsers, *_pDeliveries, *_pQueueHistory, *_pStoreGauges, *_pLoginThrottle, *_pOutbound});

	Poco::Net::HTTPServerParams::Ptr pParams = new Poco::Net::HTTPServerParams;
	pParams->setKeepAlive(true);
	pParams->setKeepAliveTimeout(Poco::Timespan(http.keepAliveTimeout, 0));
	pParams->setTimeout(Poco::Timespan(http.timeout, 0));
	pParams->setServerName("xqueue");
	ConnectionLimits limits;
	limits.headerTimeout = http.headerTimeout;
	limits.requestTimeout = http.requestTimeout;
	limits.keepAliveTimeout = http.keepAliveTimeout;
	limits.maxPerAddress = http.maxConnectionsPerAddress;
	_pConnectionGuard = std::make_unique<ConnectionGuard>(limits);
	// Poco's HTTP request and response objects, but idle connections wait in an epoll set
	// rather than on request threads (ConnectionServer), each admitted and timed by the
	// ConnectionGuard.
	ConnectionServerOptions serverOptions;
	serverOptions.threads = http.threads;
	// Bodies too large to read ahead are read as they come: never on every thread.
	serverOptions.streamingThreads = http.threads / 2; // at least 1 (ConnectionServer)
	serverOptions.connection.readAheadBytes = http.readAheadBytes;
	// What a client still sends after a refusal is dropped up to this, so that it reads the
	// reply; past it the connection is reset.
	serverOptions.connection.lingerBytes = std::max<std::size_t>(http.maxBodyBytes, 64 * 1024 * 1024);
	_pServer = std::make_unique<ConnectionServer>(*_pListener, *_pConnectionGuard, pParams, new RequestRouter(*_pContext), serverOptions);
	_services.push_back({[this] { _pConnectionGuard->start(); }, [this] { _pConnectionGuard->stop(); }});
	_services.push_back({[this] { _pServer->start(); }, [this] { _pServer->stop(); }});
}


void ServerComponents::warnAboutAccounts()
{
	UserStore& users = *_pUsers;
	if (_settings.queues.empty()) _log.warning("no queues are configured (xqueue.queues.<name>.plugin)");
	if (users.count() == 0)
		_log.warning("no users yet: create one with  xqueue-admin --config-file=<this file> user set <name>  (password on stdin)");
	users.purgeExpiredSessions(Clock::now());
	// An unknown user name must cost as much as the costliest stored hash (user enumeration).
	for (const auto& hash: users.passwordHashes()) _pHasher->coverCostOf(hash);
	if (std::size_t legacy = users.countWithRole(Role::LEGACY))
		_log.warning("%z users have the legacy role (submit and grade on every queue, as in the old server): narrow each with"
			"  xqueue-admin user set NAME --role=lms|grader --queues=Q,...", legacy);
	if (std::size_t open = users.countSubmittersWithoutCallbackPrefixes())
		_log.warning("%z accounts that may submit may name any callback URL (only special-purpose addresses are refused):"
			" restrict each with  xqueue-admin user callbacks NAME https://lms.example.com/", open);
}


void ServerComponents::start()
{
	while (_started < _services.size())
	{
		_services[_started].start();
		++_started;
	}
	// Every long-lived descriptor exists now (epoll sets, pooled connections, log files);
	// those opened later are marked where they are made.
	CloseOnExec::sweep();
}


void ServerComponents::drain()
{
	_draining = true;
}


void ServerComponents::stop()
{
	if (_started == 0) return;
	while (_started > 0)
	{
		--_started;
		_services[_started].stop();
	}
	try
	{
		std::size_t released = _pDeliveries->releaseLeasesOf(_settings.hostId, _pDeliveries->currentTime());
		if (released > 0) _log.information("released %z delivery leases for the other hosts (or the next start)", released);
	}
	catch (Poco::Exception& exc)
	{
		_log.warning("cannot release this host's delivery leases (they expire on their own): %s", exc.displayText());
	}
}


std::string ServerComponents::listening() const
{
	return _pListener->address().toString() + " (" + std::to_string(_settings.queues.size()) + " queues, store " + _settings.store.description()
		+ ", files in " + _pContents->description() + ")";
}


} // namespace XQueue

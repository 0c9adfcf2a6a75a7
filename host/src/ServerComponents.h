// SPDX-License-Identifier: Apache-2.0
//
// ServerComponents.h
//
// The server's parts, built from the settings in dependency order, started in one order
// and stopped in the reverse one.
//


#ifndef XQueue_ServerComponents_INCLUDED
#define XQueue_ServerComponents_INCLUDED


#include "Poco/Exception.h"
#include "Poco/Logger.h"
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>


namespace Poco {
namespace Net {
	class ServerSocket;
}
}


namespace XQueue {


struct ServerSettings;
struct HostContext;
class CallbackHosts;
class ConnectionGuard;
class ConnectionServer;
class Database;
class DeliveryStore;
class DeliveryWorker;
class FileContentStore;
class FileLinks;
class FileRetention;
class FileStore;
class LmsClient;
class LoginThrottle;
class OutboundConnector;
class PasswordHasher;
class PausedQueues;
class PluginRegistry;
class QueueControlStore;
class QueueHistory;
class StoreGauges;
class QueueRuntime;
class RetryPolicy;
class SessionManager;
class SubmissionStore;
class UserStore;
class VerifiedCredentials;
struct UploadLimits;


POCO_DECLARE_EXCEPTION(, StartupException, Poco::RuntimeException)
	/// A part could not be built; the message says which and why, for the one line the
	/// server prints before it exits with EX_CONFIG.


class ServerComponents
{
public:
	ServerComponents(const ServerSettings& settings, Poco::Logger& log);
		/// Opens the store, binds the listener, loads the plugins and builds every part.
		/// Throws StartupException.

	~ServerComponents();

	void start();
		/// Workers first, the listener last.

	void drain();
		/// /readyz answers 503 from now on; everything still serves.

	void stop();
		/// In the reverse order of start(); then hands back this host's delivery leases.

	std::string listening() const;
		/// The bound address, for the start-up line.

private:
	struct Service
	{
		std::function<void()> start;
		std::function<void()> stop;
	};

	void openStore();
	void buildDelivery();
	void bindListener();
	void buildFiles();
	void buildQueues();
	void buildHttp();
	void warnAboutAccounts();

	const ServerSettings& _settings;
	Poco::Logger& _log;
	std::atomic<bool> _draining{false};
	std::unique_ptr<Database> _pDatabase;
	std::unique_ptr<UserStore> _pUsers;
	std::unique_ptr<SubmissionStore> _pSubmissions;
	std::unique_ptr<DeliveryStore> _pDeliveries;
	std::unique_ptr<PasswordHasher> _pHasher;
	std::unique_ptr<VerifiedCredentials> _pVerifiedCredentials;
	std::unique_ptr<SessionManager> _pSessions;
	std::unique_ptr<CallbackHosts> _pCallbackHosts;
	std::unique_ptr<OutboundConnector> _pOutbound;
	std::unique_ptr<LmsClient> _pLms;
	std::unique_ptr<RetryPolicy> _pRetry;
	std::unique_ptr<DeliveryWorker> _pDelivery;
	std::unique_ptr<Poco::Net::ServerSocket> _pListener;
	std::unique_ptr<FileContentStore> _pContents;
	std::unique_ptr<UploadLimits> _pUploadLimits;
	std::unique_ptr<FileStore> _pFiles;
	std::unique_ptr<FileLinks> _pFileLinks;
	std::unique_ptr<FileRetention> _pRetention;
	std::unique_ptr<QueueControlStore> _pQueueControls;
	std::unique_ptr<PausedQueues> _pPausedQueues;
	std::unique_ptr<PluginRegistry> _pPlugins;
	std::unique_ptr<QueueRuntime> _pQueues;
	std::unique_ptr<QueueHistory> _pQueueHistory;
	std::unique_ptr<StoreGauges> _pStoreGauges;
	std::unique_ptr<LoginThrottle> _pLoginThrottle;
	std::unique_ptr<HostContext> _pContext;
	std::unique_ptr<ConnectionGuard> _pConnectionGuard;
	std::unique_ptr<ConnectionServer> _pServer;
	std::vector<Service> _services; /// in start order
	std::size_t _started = 0;
};


} // namespace XQueue


#endif // XQueue_ServerComponents_INCLUDED

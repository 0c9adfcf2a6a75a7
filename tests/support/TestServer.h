// SPDX-License-Identifier: Apache-2.0
//
// TestServer.h
//
// A real xqueue-server process on a free loopback port, with a generated
// properties file and its own SQLite database in a scratch directory.
// Start-up failures throw std::runtime_error carrying the server's log: GoogleTest
// prints what(), and for a Poco exception that is only its name ("Illegal state").
//


#ifndef XQueueTest_TestServer_INCLUDED
#define XQueueTest_TestServer_INCLUDED


#include "MySqlTestDatabase.h"
#include "TempDir.h"
#include "store/Database.h"
#include "Poco/Process.h"
#include <map>
#include <memory>
#include <optional>
#include <string>


namespace XQueueTest {


class TestServer
{
public:
	using Properties = std::map<std::string, std::string>;

	explicit TestServer(const Properties& overrides = {});
		/// Defaults: queues "tmp" and "other" (pull_rest), fast password hashing,
		/// fast delivery retries. overrides replace or add keys; an empty value removes one.
	~TestServer();

	void addArgument(const std::string& argument);
		/// An extra command-line argument for the server (e.g. --define=key=value).

	void runUnder(const std::string& launcher);
		/// A command the server is started under (it must exec the server, not fork it),
		/// e.g. "env LD_PRELOAD=...libfaketimeMT.so.1 FAKETIME=+600s" (a skewed clock).

	void useBinaries(const std::string& serverPath, const std::string& adminPath);
		/// Runs these executables instead of the ones in the build tree.

	void start();
		/// Launches the server and waits until /xqueue/status/ answers. Throws with
		/// the server's log if it exits or does not come up.
	int startExpectingFailure();
		/// Launches the server and returns its exit code (it must exit by itself).
	void kill();
		/// SIGKILL, then reap.
	int terminate();
		/// SIGTERM, then wait; returns the exit code.
	bool running() const;

	void createUser(const std::string& name, const std::string& password);
	int admin(const std::string& arguments, const std::string& stdinText = "", std::string* pOutput = nullptr);
		/// Runs xqueue-admin with this server's configuration.
	static void waitOutSessionCache();
		/// Until a change xqueue-admin made to a user (grants, callbacks, state) reaches the
		/// server's live sessions: its session cache lifetime (0.2 s here) and a margin.

	int port() const;
	int pid() const;
		/// The running server's process id (-1 when not running).
	XQueue::DatabaseOptions databaseOptions() const;
		/// How to open this server's store from the test (SQLite file or MariaDB database).
	std::string configPath() const;
	std::string log() const;
	const TempDir& dir() const;

	static int freePort();
	static std::optional<int> reap(Poco::ProcessHandle& handle);
		/// The exit code once the process has ended (reaped), nothing while it runs.

private:
	void writeConfig();
	static int reapBlocking(Poco::ProcessHandle& handle);

	TempDir _dir;
	std::unique_ptr<MySqlTestDatabase> _pMySql;
	Properties _properties;
	int _port;
	std::unique_ptr<Poco::ProcessHandle> _pProcess;
	int _launches = 0;
	bool _portChosenByTest = false;
	std::string _arguments;
	std::string _launcher;
	std::string _serverPath = XQUEUE_SERVER_PATH;
	std::string _adminPath = XQUEUE_ADMIN_PATH;
};


} // namespace XQueueTest


#endif // XQueueTest_TestServer_INCLUDED

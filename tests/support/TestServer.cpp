// SPDX-License-Identifier: Apache-2.0
//
// TestServer.cpp
//


#include "TestServer.h"
#include "TestClient.h"
#include "Poco/Exception.h"
#include "Poco/FileStream.h"
#include "Poco/Net/ServerSocket.h"
#include "Poco/StreamCopier.h"
#include <chrono>
#include <csignal>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>


namespace XQueueTest {


namespace
{
	std::string shellQuote(const std::string& s)
	{
		std::string out = "'";
		for (char c: s)
		{
			if (c == '\'') out += "'\\''";
			else out += c;
		}
		return out + "'";
	}
}


int TestServer::freePort()
{
	Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
	return socket.address().port();
}


TestServer::TestServer(const Properties& overrides):
	_port(freePort())
{
	_properties = {
		{"xqueue.http.host", "127.0.0.1"},
		{"xqueue.http.port", std::to_string(_port)},
		{"xqueue.store.connection", _dir.file("xqueue.sqlite")},
		{"xqueue.store.sqlite.synchronous", "FULL"},
		{"xqueue.queues.tmp.plugin", "pull_rest"},
		{"xqueue.queues.other.plugin", "pull_rest"},
		{"xqueue.auth.pbkdf2_iterations", "1000"},
		// Short, so that a change made with xqueue-admin reaches a session soon
		// (TestServer::SESSION_CACHE_LIFETIME); still remembered within a test's requests.
		{"xqueue.auth.session_cache_lifetime", "0.2"},
		{"xqueue.delivery.retry.initial_delay", "0.05"},
		{"xqueue.delivery.retry.max_delay", "0.2"},
		{"xqueue.delivery.poll_interval", "0.05"},
		// Suites not about it deliver at once; RealLmsTest runs the default (2 s).
		{"xqueue.delivery.min_submission_age", "0"},
		{"xqueue.metrics.store_interval", "0.2"},
		// The fake LMS and graders live on loopback, which callbacks may not reach by default.
		{"xqueue.outbound.allow_addresses", "127.0.0.0/8"},
		{"logging.loggers.root.level", "information"},
	};
	if (testingMySql())
	{
		_pMySql = std::make_unique<MySqlTestDatabase>();
		if (!_pMySql->available()) throw std::runtime_error(NO_MYSQL);
		_properties["xqueue.store.connector"] = "mysql";
		_properties["xqueue.store.connection"] = _pMySql->connection();
		_properties.erase("xqueue.store.sqlite.synchronous");
	}
	for (const auto& entry: overrides)
	{
		if (entry.second.empty()) _properties.erase(entry.first);
		else _properties[entry.first] = entry.second;
	}
	_portChosenByTest = overrides.count("xqueue.http.port") > 0;
	if (_properties.count("xqueue.http.port")) _port = std::stoi(_properties["xqueue.http.port"]);
	writeConfig();
}


TestServer::~TestServer()
{
	if (running()) kill();
}


void TestServer::addArgument(const std::string& argument)
{
	_arguments += " " + shellQuote(argument);
}


void TestServer::runUnder(const std::string& launcher)
{
	_launcher = launcher + " ";
}


void TestServer::useBinaries(const std::string& serverPath, const std::string& adminPath)
{
	_serverPath = serverPath;
	_adminPath = adminPath;
}


void TestServer::writeConfig()
{
	Poco::FileOutputStream out(configPath());
	for (const auto& entry: _properties) out << entry.first << " = " << entry.second << "\n";
}


std::string TestServer::configPath() const
{
	return _dir.file("xqueue.properties");
}


XQueue::DatabaseOptions TestServer::databaseOptions() const
{
	XQueue::DatabaseOptions options;
	options.connector = _properties.count("xqueue.store.connector") ? _properties.at("xqueue.store.connector") : "sqlite";
	options.connection = _properties.at("xqueue.store.connection");
	options.poolSize = 2;
	return options;
}


int TestServer::port() const
{
	return _port;
}


const TempDir& TestServer::dir() const
{
	return _dir;
}


std::string TestServer::log() const
{
	return readFile(_dir.file("server.log"));
}


bool TestServer::running() const
{
	return _pProcess != nullptr;
}


std::optional<int> TestServer::reap(Poco::ProcessHandle& handle)
{
	// Poco::Process::isRunning() is kill(pid, 0), which is true for an unreaped zombie.
	int status = 0;
	pid_t pid = ::waitpid(handle.id(), &status, WNOHANG);
	if (pid == 0) return std::nullopt;
	if (pid < 0) return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}


void TestServer::start()
{
	++_launches;
	for (int attempt = 1; ; ++attempt)
	{
		// Ready means: this process says it listens (another test's server may have
		// taken the port freePort() found, between that and our bind: tests run in
		// parallel), and, over plain HTTP, it answers.
		std::size_t logStart = log().size();
		std::string command = "exec " + _launcher + shellQuote(_serverPath) + " --config-file=" + shellQuote(configPath()) + _arguments +
			" >>" + shellQuote(_dir.file("server.log")) + " 2>&1";
		_pProcess = std::make_unique<Poco::ProcessHandle>(Poco::Process::launch("/bin/sh", {"-c", command}));
		const std::string listening = "xqueue-server listening on 127.0.0.1:" + std::to_string(_port) + " ";
		auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
		bool portTaken = false;
		while (std::chrono::steady_clock::now() < deadline)
		{
			if (auto code = reap(*_pProcess))
			{
				_pProcess.reset();
				std::string output = log().substr(logStart);
				portTaken = output.find("cannot listen on") != std::string::npos;
				if (portTaken && attempt < 3 && _launches == 1 && !_portChosenByTest) break;
				throw std::runtime_error("xqueue-server exited with " + std::to_string(*code) + ":\n" + log());
			}
			try
			{
				// (A test that sends the log elsewhere gets the plain HTTP probe only.)
				bool logsHere = !_properties.count("logging.loggers.root.channel");
				if (!logsHere || log().find(listening, logStart) != std::string::npos)
				{
					if (_properties.count("xqueue.http.tls.certificate_file")) return; // the probe speaks plain HTTP
					TestClient probe(_port);
					if (probe.get("/xqueue/status/").status == 200) return;
				}
			}
			catch (Poco::Exception&)
			{
			}
			std::this_thread::sleep_for(std::chrono::milliseconds(20));
		}
		if (!portTaken)
		{
			kill();
			throw std::runtime_error("xqueue-server did not come up:\n" + log());
		}
		_port = freePort();
		_properties["xqueue.http.port"] = std::to_string(_port);
		writeConfig();
	}
}


int TestServer::startExpectingFailure()
{
	std::string command = "exec " + _launcher + shellQuote(_serverPath) + " --config-file=" + shellQuote(configPath()) + _arguments +
		" >>" + shellQuote(_dir.file("server.log")) + " 2>&1";
	Poco::ProcessHandle handle = Poco::Process::launch("/bin/sh", {"-c", command});
	auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
	while (true)
	{
		if (auto code = reap(handle)) return *code;
		if (std::chrono::steady_clock::now() > deadline)
		{
			Poco::Process::kill(handle);
			reapBlocking(handle);
			throw std::runtime_error("xqueue-server kept running:\n" + log());
		}
		std::this_thread::sleep_for(std::chrono::milliseconds(20));
	}
}


int TestServer::reapBlocking(Poco::ProcessHandle& handle)
{
	int status = 0;
	if (::waitpid(handle.id(), &status, 0) < 0) return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}


int TestServer::pid() const
{
	return _pProcess ? _pProcess->id() : -1;
}


void TestServer::kill()
{
	if (!_pProcess) return;
	::kill(_pProcess->id(), SIGKILL);
	reapBlocking(*_pProcess);
	_pProcess.reset();
}


int TestServer::terminate()
{
	if (!_pProcess) return -1;
	::kill(_pProcess->id(), SIGTERM);
	int code = reapBlocking(*_pProcess);
	_pProcess.reset();
	return code;
}


void TestServer::waitOutSessionCache()
{
	std::this_thread::sleep_for(std::chrono::milliseconds(300));
}


int TestServer::admin(const std::string& arguments, const std::string& stdinText, std::string* pOutput)
{
	std::string outFile = _dir.file("admin.out");
	std::string inFile = _dir.file("admin.in");
	{
		Poco::FileOutputStream in(inFile);
		in << stdinText;
	}
	std::string command = shellQuote(_adminPath) + " --config-file=" + shellQuote(configPath()) + " " + arguments +
		" <" + shellQuote(inFile) + " >" + shellQuote(outFile) + " 2>&1";
	int status = std::system(command.c_str());
	if (pOutput)
	{
		Poco::FileInputStream out(outFile);
		pOutput->clear();
		Poco::StreamCopier::copyToString(out, *pOutput);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}


void TestServer::createUser(const std::string& name, const std::string& password)
{
	std::string output;
	if (admin("user set " + shellQuote(name), password + "\n", &output) != 0)
		throw std::runtime_error("xqueue-admin user set failed: " + output);
}


} // namespace XQueueTest

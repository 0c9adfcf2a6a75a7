// SPDX-License-Identifier: Apache-2.0
//
// XQueueServer.cpp
//


#include "XQueueServer.h"
#include "ServerComponents.h"
#include "config/ServerSettings.h"
#include "config/SettingsReference.h"
#include "metrics/Metrics.h"
#include "util/CloseOnExec.h"
#include "util/BuildInfo.h"
#include "xqueue/sdk/PluginAbi.h"
#include "util/JsonLogFormatter.h"
#include "util/LogChannels.h"
#include "Poco/LoggingRegistry.h"
#include "Poco/Util/Option.h"
#include <chrono>
#include <csignal>
#include <iostream>
#include <memory>
#include <thread>


namespace XQueue {


namespace
{
	void startCountersAtZero(const ServerSettings& settings)
		/// Every counter with every label value it can take, at 0 from the start: rate()
		/// and increase() then see the first event (a series born at 1 shows no increase).
	{
		Metrics& m = Metrics::instance();
		m.add("xqueue_build_info", {{"version", BuildInfo::version()}, {"plugin_abi", std::to_string(XQ_ABI_MAJOR) + "." + std::to_string(XQ_ABI_MINOR)}});
		m.add("xqueue_store_errors_total", {}, 0);
		m.add("xqueue_outbound_deadlines_total", {}, 0);
		for (const char* outcome: {"verified", "remembered", "failed"}) m.add("xqueue_logins_total", {{"outcome", outcome}}, 0);
		for (const char* kind: {"grade", "failure_notice"})
			for (const char* outcome: {"delivered", "retry", "parked"}) m.add("xqueue_deliveries_total", {{"kind", kind}, {"outcome", outcome}}, 0);
		for (const char* outcome: {"accepted", "duplicate", "ignored", "not_found", "wrong_key", "forbidden", "invalid_grade"})
			m.add("xqueue_results_total", {{"outcome", outcome}}, 0);
		for (const char* reason: {"deadline", "per_address_cap", "idle"}) m.add("xqueue_connections_closed_total", {{"reason", reason}}, 0);
		for (const auto& queue: settings.queues)
		{
			for (const char* outcome: {"accepted", "refused_upload", "refused_callback"})
				m.add("xqueue_submissions_total", {{"queue", queue.name}, {"outcome", outcome}}, 0);
		}
	}

	void describeMetrics()
	{
		Metrics& m = Metrics::instance();
		m.describe("xqueue_http_requests_total", "counter", "HTTP requests by route and status.");
		m.describe("xqueue_http_request_duration_seconds", "histogram", "Time to answer a request, by route.");
		m.describe("xqueue_submissions_total", "counter", "Submissions by queue and outcome (accepted, refused_upload, refused_callback).");
		m.describe("xqueue_results_total", "counter", "put_result calls by outcome (accepted, duplicate, ignored, not_found, wrong_key, forbidden, invalid_grade).");
		m.describe("xqueue_gradings_total", "counter", "Dispatched gradings by queue, plugin and outcome (graded, failed, error, timeout; stuck: leased again while its previous call had not returned, a failed attempt).");
		m.describe("xqueue_grading_duration_seconds", "histogram", "Time a dispatch-mode plugin took to grade, by queue.");
		m.describe("xqueue_plugin_counts_total", "counter", "What plugins count with Host::count(), by plugin and counter name (at most 100 names per plugin).");
		m.describe("xqueue_build_info", "gauge", "1, labelled with this server's version and the plugin ABI it offers.");
		m.describe("xqueue_plugin_info", "gauge", "1 per loaded plugin: its id, version, installed file and the SHA-256 of what was loaded.");
		m.describe("xqueue_stuck_gradings", "gauge", "grade() calls past their time budget that have not returned (abandoned: their slots moved on), by queue and plugin.");
		m.describe("xqueue_plugin_workers_started_total", "counter", "Plugin worker processes started (isolation = process), by queue and plugin.");
		m.describe("xqueue_plugin_worker_exits_total", "counter", "Plugin worker processes that ended other than by a stop, by queue, plugin and reason (crash, timeout, memory, silent, protocol, replaced).");
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
	options.addOption(Poco::Util::Option("settings-reference", "", "print every configuration key (FORMAT: markdown or properties) and exit")
		.required(false).repeatable(false).argument("FORMAT"));
}


void XQueueServer::handleOption(const std::string& name, const std::string& value)
{
	ServerApplication::handleOption(name, value);
	if (name == "settings-reference")
	{
		_settingsReference = value;
		stopOptionsProcessing();
		return;
	}
	_commandLine.handleOption(name, value, *this);
}


void XQueueServer::initialize(Poco::Util::Application& self)
{
	JsonLogFormatter::registerClass(); // before the logging configuration is read
	if (!_commandLine.helpRequested() && _settingsReference.empty())
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
			LogChannels::closeFile(Poco::LoggingRegistry::defaultRegistry().channelForName(name).get());
		}
		catch (Poco::NotFoundException&)
		{
		}
	}
	logger().information("SIGHUP: log files reopened");
	CloseOnExec::sweep(); // the files this message reopened

}


int XQueueServer::main(const std::vector<std::string>&)
{
	if (_commandLine.helpRequested())
	{
		_commandLine.printHelp(*this, "--config-file=FILE [--define=key=value ...]",
			"The xqueue submission queue server. Configuration keys: docs/configuration.md.");
		return EXIT_OK;
	}
	if (_commandLine.versionRequested())
	{
		std::cout << BuildInfo::describe("xqueue-server") << std::endl;
		return EXIT_OK;
	}
	if (!_settingsReference.empty()) return printSettingsReference();
	Poco::Logger& log = logger();
	auto fail = [&](const std::string& message) {
		// Once on the terminal: stderr, and the log only when it goes elsewhere (a file).
		std::cerr << "xqueue-server: " << message << std::endl;
		if (!LogChannels::writesToConsole(log.getChannel().get())) log.fatal(message);
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
	std::unique_ptr<ServerComponents> pComponents;
	try
	{
		pComponents = std::make_unique<ServerComponents>(settings, log);
	}
	catch (StartupException& exc)
	{
		return fail(exc.message());
	}
	catch (Poco::Exception& exc)
	{
		return fail("cannot start: " + exc.displayText());
	}
	describeMetrics();
	startCountersAtZero(settings);
	pComponents->start();
	log.information("xqueue-server listening on %s", pComponents->listening());

	waitForTermination();

	// Drain: unready first (load balancers stop sending), then stop accepting, let the
	// requests and gradings in flight finish, and hand back every lease still held.
	pComponents->drain();
	log.information("shutting down: /readyz answers 503; serving %.1f s more before closing the listener", settings.operations.drainDelay);
	std::this_thread::sleep_for(std::chrono::duration<double>(settings.operations.drainDelay));
	log.information("shutting down: finishing requests in flight");
	pComponents->stop();
	log.information("stopped");
	return EXIT_OK;
}


int XQueueServer::printSettingsReference()
{
	if (_settingsReference == "markdown") SettingsReference::writeMarkdown(std::cout);
	else if (_settingsReference == "properties") SettingsReference::writeProperties(std::cout);
	else
	{
		std::cerr << "xqueue-server: --settings-reference takes markdown or properties" << std::endl;
		return EXIT_USAGE;
	}
	return EXIT_OK;
}


} // namespace XQueue

// SPDX-License-Identifier: Apache-2.0
//
// MetricsHandler.cpp
//


#include "http/handlers/MetricsHandler.h"
#include "config/ServerSettings.h"
#include "metrics/Metrics.h"
#include "queue/PausedQueues.h"
#include "store/SubmissionStore.h"
#include "util/ProcessStats.h"
#include <cstdio>


namespace XQueue {


namespace
{
	void family(std::string& out, const std::string& name, const std::string& type, const std::string& help)
	{
		out += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
	}
}


void MetricsHandler::handle(HttpExchange& exchange)
{
	if (!context().settings.operations.metricsAllowFrom.contains(exchange.socketAddress()))
	{
		exchange.sendBody(Poco::Net::HTTPResponse::HTTP_FORBIDDEN, "text/plain; charset=utf-8",
			"metrics are not served to this address (xqueue.metrics.allow_from)\n");
		return;
	}
	Micros now = context().submissions.currentTime();
	auto paused = context().pausedQueues.paused();
	std::vector<QueueStatus> statuses;
	for (const auto& queue: context().settings.queues) statuses.push_back(context().submissions.queueStatus(queue.name, now));

	std::string out;
	auto gauge = [&](const std::string& name, const std::string& help, auto value) {
		family(out, name, "gauge", help);
		for (const auto& status: statuses)
			out += name + Metrics::labelText({{"queue", status.queueName}}) + " " + std::to_string(value(status)) + "\n";
	};
	gauge("xqueue_queue_pending", "Submissions waiting for a grader (as get_queuelen counts).",
		[](const QueueStatus& s) { return s.pending; });
	gauge("xqueue_queue_in_flight", "Submissions handed out under a live lease.", [](const QueueStatus& s) { return s.inFlight; });
	gauge("xqueue_queue_oldest_pending_age_seconds", "Age of the oldest pending submission (0 when none).",
		[&](const QueueStatus& s) { return s.oldestPending ? (now - s.oldestPending) / MICROS_PER_SECOND : 0; });
	gauge("xqueue_queue_parked_deliveries", "LMS deliveries given up (xqueue-admin deliveries).",
		[](const QueueStatus& s) { return s.parkedDeliveries; });
	gauge("xqueue_queue_paused", "1 if an operator paused the queue.",
		[&](const QueueStatus& s) { return paused.count(s.queueName) ? 1 : 0; });
	family(out, "xqueue_draining", "gauge", "1 while this host drains for shutdown.");
	out += std::string("xqueue_draining ") + (context().draining.load() ? "1" : "0") + "\n";
	// This process (not its plugin workers, which xqueue_plugin_worker_exits_total covers).
	ProcessStats process = ProcessStats::current();
	auto processValue = [&](const std::string& name, const std::string& type, const std::string& help, double value) {
		family(out, name, type, help);
		char number[64];
		std::snprintf(number, sizeof(number), "%.17g", value);
		out += name + " " + number + "\n";
	};
	processValue("process_resident_memory_bytes", "gauge", "Resident memory of the server process.", static_cast<double>(process.residentBytes));
	processValue("process_cpu_seconds_total", "counter", "CPU time of the server process (user and system).", process.cpuSeconds);
	processValue("process_open_fds", "gauge", "Open descriptors of the server process.", static_cast<double>(process.openDescriptors));
	processValue("process_max_fds", "gauge", "Its descriptor limit.", static_cast<double>(process.maxDescriptors));
	processValue("process_start_time_seconds", "gauge", "When it started, seconds since the Unix epoch.", process.startTimeSeconds);
	out += Metrics::instance().render();
	exchange.sendBody(Poco::Net::HTTPResponse::HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", out);
}


} // namespace XQueue

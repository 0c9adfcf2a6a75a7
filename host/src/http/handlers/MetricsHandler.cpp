// SPDX-License-Identifier: Apache-2.0
//
// MetricsHandler.cpp
//


#include "http/handlers/MetricsHandler.h"
#include "config/ServerSettings.h"
#include "dashboard/StoreGauges.h"
#include "metrics/Metrics.h"
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
	// Never the database: the store's figures come from its last reading, with its age.
	StoreReading reading = context().storeGauges.reading();
	const Micros localNow = Clock::now();
	const Micros now = StoreGauges::storeNow(reading, localNow); // ages on the store's clock, as arrival times are
	const std::set<std::string>& paused = reading.paused;
	std::vector<QueueStatus> statuses = reading.queues;
	if (statuses.empty())
	{
		// No full answer yet: every queue at 0, so that each series exists from the start.
		for (const auto& queue: context().settings.queues) statuses.push_back(QueueStatus{queue.name});
	}

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
	gauge("xqueue_queue_deliveries_waiting", "Results and failure notices for the LMS not tried yet.",
		[](const QueueStatus& s) { return s.deliveriesWaiting; });
	gauge("xqueue_queue_deliveries_retrying", "Results and notices the LMS refused or did not answer, to be tried again.",
		[](const QueueStatus& s) { return s.deliveriesRetrying; });
	gauge("xqueue_queue_oldest_delivery_age_seconds", "Age of the oldest result or notice the LMS has not taken (0 when none).",
		[&](const QueueStatus& s) { return s.oldestDelivery ? (now - s.oldestDelivery) / MICROS_PER_SECOND : 0; });
	family(out, "xqueue_store_up", "gauge", "1 if the store answered its last reading in full.");
	out += std::string("xqueue_store_up ") + (reading.up ? "1" : "0") + "\n";
	family(out, "xqueue_store_reading_age_seconds", "gauge", "Seconds since the store last answered in full (the age of the queue gauges).");
	out += "xqueue_store_reading_age_seconds " + std::to_string(reading.answeredAt ? (localNow - reading.answeredAt) / MICROS_PER_SECOND : -1) + "\n";
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

// SPDX-License-Identifier: Apache-2.0
//
// DashboardHandler.cpp
//


#include "http/handlers/DashboardHandler.h"
#include "auth/SessionManager.h"
#include "config/ServerSettings.h"
#include "dashboard/QueueHistory.h"
#include "delivery/DeliveryWorker.h"
#include "http/SessionCookie.h"
#include "metrics/Metrics.h"
#include "queue/PausedQueues.h"
#include "store/DeliveryStore.h"
#include "store/SubmissionStore.h"
#include "Poco/FileStream.h"
#include "Poco/JSON/Array.h"
#include "Poco/JSON/Object.h"
#include "Poco/NumberParser.h"
#include "Poco/Path.h"
#include "Poco/StreamCopier.h"
#include <map>
#include <sstream>


namespace XQueue {


const std::string DashboardHandler::PREFIX = "/xqueue/dashboard/";


namespace
{
	const std::map<std::string, std::string> ASSETS = {
		{"", "dashboard.html"},
		{"assets/dashboard.js", "dashboard.js"},
		{"assets/dashboard.css", "dashboard.css"},
		{"assets/chart.min.js", "chart.min.js"},
	};

	std::string contentTypeOf(const std::string& file)
	{
		if (file.size() > 5 && file.compare(file.size() - 5, 5, ".html") == 0) return "text/html; charset=utf-8";
		if (file.size() > 4 && file.compare(file.size() - 4, 4, ".css") == 0) return "text/css; charset=utf-8";
		return "application/javascript; charset=utf-8";
	}

	void sendJson(HttpExchange& exchange, Poco::Net::HTTPResponse::HTTPStatus status, const Poco::JSON::Object& object)
	{
		std::ostringstream out;
		object.stringify(out);
		exchange.addHeader("Cache-Control", "no-store");
		exchange.sendBody(status, "application/json", out.str());
	}

	void sendError(HttpExchange& exchange, Poco::Net::HTTPResponse::HTTPStatus status, const std::string& message)
	{
		Poco::JSON::Object error;
		error.set("error", message);
		sendJson(exchange, status, error);
	}
}


DashboardHandler::DashboardHandler(HostContext& context, std::string rest):
	XQueueHandler(context),
	_rest(std::move(rest))
{
}


void DashboardHandler::handle(HttpExchange& exchange)
{
	auto asset = ASSETS.find(_rest);
	if (asset != ASSETS.end() && exchange.isSafeMethod())
	{
		sendAsset(exchange, asset->second);
		return;
	}
	if (_rest == "api/overview" && exchange.isMethod("GET"))
	{
		if (operatorOnly(exchange)) overview(exchange);
		return;
	}
	if (_rest == "api/resend" && exchange.isMethod("POST"))
	{
		if (operatorOnly(exchange)) resend(exchange);
		return;
	}
	sendError(exchange, Poco::Net::HTTPResponse::HTTP_NOT_FOUND, "no such dashboard resource");
}


bool DashboardHandler::operatorOnly(HttpExchange& exchange)
{
	auto token = exchange.cookie(SessionCookie::NAME);
	auto user = token ? context().sessions.authenticate(*token) : std::nullopt;
	if (!user)
	{
		sendError(exchange, Poco::Net::HTTPResponse::HTTP_UNAUTHORIZED, "login required");
		return false;
	}
	exchange.setUser(*user);
	if (!exchange.access().isOperator())
	{
		sendError(exchange, Poco::Net::HTTPResponse::HTTP_FORBIDDEN, "this account is not an operator (xqueue-admin user set NAME --role=admin)");
		return false;
	}
	if (!exchange.isSafeMethod() && exchange.header("X-Xqueue-Dashboard") != "1")
	{
		sendError(exchange, Poco::Net::HTTPResponse::HTTP_FORBIDDEN, "missing X-Xqueue-Dashboard header");
		return false;
	}
	return true;
}


void DashboardHandler::sendAsset(HttpExchange& exchange, const std::string& name)
{
	std::string path = Poco::Path(Poco::Path::forDirectory(context().settings.operations.dashboardDir), name).toString();
	std::string body;
	try
	{
		Poco::FileInputStream in(path);
		Poco::StreamCopier::copyToString(in, body);
	}
	catch (Poco::FileException&)
	{
		sendError(exchange, Poco::Net::HTTPResponse::HTTP_NOT_FOUND, "dashboard file missing: " + name + " (xqueue.dashboard.dir)");
		return;
	}
	exchange.addHeader("X-Content-Type-Options", "nosniff");
	exchange.addHeader("Content-Security-Policy", "default-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'");
	exchange.sendBody(Poco::Net::HTTPResponse::HTTP_OK, contentTypeOf(name), body);
}


void DashboardHandler::overview(HttpExchange& exchange)
{
	Micros now = context().submissions.currentTime();
	auto paused = context().pausedQueues.paused();
	auto history = context().queueHistory.samples();
	Poco::JSON::Object result;
	result.set("host", context().settings.hostId);
	result.set("now", now / 1000);
	Poco::JSON::Array queues;
	Poco::JSON::Array plugins;
	for (const auto& queue: context().settings.queues)
	{
		QueueStatus status = context().submissions.queueStatus(queue.name, now);
		Poco::JSON::Object q;
		q.set("name", queue.name);
		q.set("plugin", queue.plugin);
		q.set("pending", status.pending);
		q.set("in_flight", status.inFlight);
		q.set("oldest_pending_seconds", status.oldestPending ? (now - status.oldestPending) / MICROS_PER_SECOND : 0);
		q.set("parked_deliveries", status.parkedDeliveries);
		q.set("to_lms", status.deliveriesWaiting + status.deliveriesRetrying);
		q.set("to_lms_retrying", status.deliveriesRetrying);
		q.set("oldest_to_lms_seconds", status.oldestDelivery ? (now - status.oldestDelivery) / MICROS_PER_SECOND : 0);
		q.set("paused", paused.count(queue.name) > 0);
		Poco::JSON::Array samples;
		for (const auto& s: history[queue.name])
		{
			Poco::JSON::Object sample;
			sample.set("t", s.at / 1000);
			sample.set("pending", s.pending);
			sample.set("in_flight", s.inFlight);
			sample.set("oldest", s.oldestPendingSeconds);
			sample.set("per_minute", s.submittedPerMinute);
			samples.add(sample);
		}
		q.set("history", samples);
		queues.add(q);

		// This host's gradings by outcome, gradings stuck now (in the host's process) and
		// worker processes that died or were killed, for the plugins that failed at all.
		Metrics& metrics = Metrics::instance();
		double failed = 0;
		Poco::JSON::Object p;
		for (std::string outcome: {"graded", "failed", "error", "timeout"})
		{
			double n = metrics.value("xqueue_gradings_total", {{"queue", queue.name}, {"plugin", queue.plugin}, {"outcome", outcome}});
			p.set(outcome, n);
			if (outcome != "graded") failed += n;
		}
		double stuck = metrics.value("xqueue_stuck_gradings", {{"queue", queue.name}, {"plugin", queue.plugin}});
		double workerExits = 0;
		for (std::string reason: {"crash", "timeout", "memory", "silent", "protocol"})
			workerExits += metrics.value("xqueue_plugin_worker_exits_total", {{"queue", queue.name}, {"plugin", queue.plugin}, {"reason", reason}});
		p.set("stuck", stuck);
		p.set("worker_exits", workerExits);
		failed += stuck + workerExits;
		if (failed > 0)
		{
			p.set("queue", queue.name);
			p.set("plugin", queue.plugin);
			plugins.add(p);
		}
	}
	result.set("queues", queues);
	result.set("failing_plugins", plugins);
	Poco::JSON::Array parked;
	for (const auto& d: context().deliveries.listParked(200))
	{
		Poco::JSON::Object o;
		o.set("id", d.id);
		o.set("submission", d.submissionId);
		o.set("queue", d.queueName);
		o.set("kind", d.kind == DeliveryKind::GRADE ? "grade" : "notice");
		o.set("attempts", d.attempts);
		o.set("created", d.createdAt / 1000);
		o.set("error", d.lastError);
		parked.add(o);
	}
	result.set("parked_deliveries", parked);
	sendJson(exchange, Poco::Net::HTTPResponse::HTTP_OK, result);
}


void DashboardHandler::resend(HttpExchange& exchange)
{
	const FormData& form = exchange.form();
	std::vector<Poco::Int64> ids;
	if (form.field("all") != std::optional<std::string>("1"))
	{
		Poco::Int64 id = 0;
		auto text = form.field("id");
		if (!text || !Poco::NumberParser::tryParse64(*text, id) || id <= 0)
		{
			sendError(exchange, Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "expected id=<delivery id> or all=1");
			return;
		}
		ids.push_back(id);
	}
	std::size_t resent = context().deliveries.resend(ids, context().submissions.currentTime());
	context().delivery.notify();
	Poco::JSON::Object result;
	result.set("resent", static_cast<Poco::UInt64>(resent));
	sendJson(exchange, Poco::Net::HTTPResponse::HTTP_OK, result);
}


} // namespace XQueue

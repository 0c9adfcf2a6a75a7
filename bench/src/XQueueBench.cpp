// SPDX-License-Identifier: Apache-2.0
//
// XQueueBench.cpp
//
// xqueue-bench: starts xqueue-server on a scratch SQLite or MariaDB/MySQL database
// (preloaded with N finished submissions), then drives it over loopback exactly as the
// clients do (session login, form posts) and prints throughput, latency and memory
// figures. Methodology and results: docs/performance.md; scripts/bench runs both stores.
//


#include "BenchClient.h"
#include "GradingLoad.h"
#include "LoopbackLatency.h"
#include "LoopbackPeers.h"
#include "ScratchStore.h"
#include "loader/IsolatedGrader.h"
#include "loader/PluginRegistry.h"
#include "loader/QueueAdapter.h"
#include "util/Clock.h"
#include "Poco/FileStream.h"
#include "Poco/JSON/Object.h"
#include "Poco/JSON/Parser.h"
#include "Poco/Net/ServerSocket.h"
#include "Poco/Process.h"
#include "Poco/File.h"
#include "Poco/StringTokenizer.h"
#include "Poco/URI.h"
#include <algorithm>
#include <atomic>
#include <deque>
#include <functional>
#include <mutex>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <thread>
#include <sys/stat.h>
#include <vector>


using namespace XQueueBench;
using namespace std::chrono_literals;


namespace {


struct Options
{
	int lmsPatternPort = 0;            /// only the LMS-pattern phase, against a running server
	int againstPort = 0;               /// the side-by-side phases, against a running server
	std::string againstPhases = "status,submit,pull,lms"; /// which of them (to profile one)
	std::string lmsPatternQueue = "test-pull";
	std::vector<long> rows = {1000, 1000000};
	std::vector<std::string> stores = {"sqlite"};
	double seconds = 5;
	std::string synchronous = "FULL";
	std::string mysqlServer; /// host=...;port=...;user=...;password=...
	std::string fileStorage = "database";
};


const char* USAGE = "usage: xqueue-bench [--store=sqlite,mysql] [--mysql=host=...;port=...;user=...;password=...]\n"
	"                    [--rows=1000,1000000] [--seconds=5] [--synchronous=FULL|NORMAL]\n"
	"                    [--file-storage=database|directory]\n"
	"       xqueue-bench --lms-pattern=PORT [--queue=test-pull] [--seconds=5]\n"
	"                    (only the LMS-pattern phase, against any xqueue on 127.0.0.1:PORT with the\n"
	"                    user lms / lms-pass: the same load for this server and the Python xqueue)\n"
	"       xqueue-bench --against=PORT [--queue=test-pull] [--seconds=5] [--phases=status,submit,pull,pull1,lms]\n"
	"                    (status, authenticated submits, pull cycles and LMS-pattern submits against\n"
	"                    any xqueue on 127.0.0.1:PORT with lms / lms-pass and grader / grader-pass,\n"
	"                    one \"figure NAME VALUE\" line each: scripts/bench-vs-python compares them)\n";


std::atomic<std::size_t> nextCallback{0};


std::string header(const LoopbackPeers& peers, const std::string& queue, std::size_t n)
{
	return "{\"lms_callback_url\": \"" + peers.callbackUrl(n) + "\", \"lms_key\": \"k" + std::to_string(n) + "\", \"queue_name\": \"" + queue + "\"}";
}


const std::string BODY = "{\"student_info\": \"{\\\"anonymous_student_id\\\": \\\"abc\\\"}\", "
	"\"student_response\": \"def square(x):\\n    return x * x\\n\", \"grader_payload\": \"{\\\"grader\\\": \\\"sq.py\\\"}\"}";


long memoryKb(int pid, const std::string& field)
{
	std::ifstream status("/proc/" + std::to_string(pid) + "/status");
	std::string line;
	while (std::getline(status, line))
	{
		if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
	}
	return -1;
}


// Open file descriptors, as "N (sockets: S)": flat over a run unless something leaks.
// The store's pooled sessions stay open (a MariaDB session is a socket, an SQLite one
// the database, its -wal and -shm files).
std::string openDescriptors(int pid)
{
	std::error_code error;
	long all = 0;
	long sockets = 0;
	for (std::filesystem::directory_iterator it("/proc/" + std::to_string(pid) + "/fd", error), end; !error && it != end; it.increment(error))
	{
		++all;
		std::error_code linkError;
		if (std::filesystem::read_symlink(it->path(), linkError).string().rfind("socket:", 0) == 0) ++sockets;
	}
	return std::to_string(all) + " (sockets: " + std::to_string(sockets) + ")";
}


class Server
{
public:
	Server(const std::string& dir, const LoopbackPeers& peers, const ScratchStore& store, const std::string& fileStorage)
	{
		Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
		_port = probe.address().port();
		probe.close();
		std::string config = dir + "/bench.properties";
		{
			Poco::FileOutputStream out(config);
			out << "xqueue.http.port = " << _port << "\n"
				<< "xqueue.http.threads = 96\nxqueue.http.queue = 512\n"
				<< store.serverProperties()
				<< "xqueue.store.pool_size = 128\n"
				<< "xqueue.auth.pbkdf2_iterations = 1000\n"
				<< "xqueue.delivery.threads = 4\n"
				// The machinery's latency: the 2 s the default adds before each delivery (so
				// that the LMS has saved its key) is a deliberate wait, not a cost.
				<< "xqueue.delivery.min_submission_age = 0\n"
				<< "xqueue.outbound.allow_addresses = 127.0.0.0/8\n"
				<< "xqueue.queues.bench-pull.plugin = pull_rest\n"
				<< "xqueue.queues.bench-files.plugin = pull_rest\n"
				<< "xqueue.files.storage = " << fileStorage << "\n"
				<< "xqueue.files.directory = " << dir << "/files\n"
				<< "xqueue.queues.bench-push.plugin = http_push\n"
				<< "xqueue.queues.bench-push.url = " << peers.graderUrl() << "\n"
				<< "xqueue.queues.bench-push.concurrency = 8\n"
				<< "xqueue.queues.bench-exact.plugin = exact_match\n"
				<< "xqueue.queues.bench-exact-inproc.plugin = exact_match\n"
				<< "xqueue.queues.bench-exact-inproc.isolation = in_process\n"
				<< "logging.loggers.root.level = warning\n";
		}
		std::string command = "exec " + std::string(XQUEUE_SERVER_PATH) + " --config-file=" + config + " >" + dir + "/server.log 2>&1";
		_pHandle = std::make_unique<Poco::ProcessHandle>(Poco::Process::launch("/bin/sh", {"-c", command}));
		for (int i = 0; i < 500; ++i)
		{
			try
			{
				BenchClient c(_port);
				if (c.get("/xqueue/status/").find("OK") != std::string::npos) return;
			}
			catch (...)
			{
			}
			std::this_thread::sleep_for(20ms);
		}
		throw std::runtime_error("xqueue-server did not start; see " + dir + "/server.log");
	}

	~Server()
	{
		::kill(_pHandle->id(), SIGTERM);
		_pHandle->wait();
	}

	int port() const { return _port; }
	int pid() const { return _pHandle->id(); }

private:
	int _port;
	std::unique_ptr<Poco::ProcessHandle> _pHandle;
};


// Runs `connections` logged-in clients doing `step` until `seconds` pass; returns steps/s.
template <class Step>
double throughput(int port, int connections, double seconds, Step step, const std::string& user = "bench", const std::string& password = "bench")
{
	std::atomic<long> total{0};
	std::atomic<bool> stop{false};
	std::vector<std::thread> threads;
	auto started = Clock::now();
	for (int t = 0; t < connections; ++t)
	{
		threads.emplace_back([&]() {
			BenchClient c(port);
			c.login(user, password);
			long mine = 0;
			while (!stop && step(c)) ++mine;
			total += mine;
		});
	}
	std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
	stop = true;
	for (auto& t: threads) t.join();
	return static_cast<double>(total) / std::chrono::duration<double>(Clock::now() - started).count();
}


double percentile(std::vector<double> values, double p)
{
	if (values.empty()) return 0;
	std::sort(values.begin(), values.end());
	return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
}


struct LmsPatternFigures
{
	double perSecond = 0;
	double p50Ms = 0;
	double p99Ms = 0;
	long failures = 0;
};


// Submissions as the real LMS makes them (clients.md 3.1): a fresh session per submission
// (never closed: the last 256 per thread stay open), so each is submit -> 302 -> GET login
// (login_required) -> POST login -> submit, with the LMS account's real password hash.
LmsPatternFigures lmsPattern(int port, int connections, double seconds,
	const std::function<std::string(std::size_t)>& headerOf)
{
	std::atomic<bool> stop{false};
	std::atomic<long> failures{0};
	std::mutex mutex;
	std::vector<double> latencies;
	std::vector<std::thread> threads;
	auto started = Clock::now();
	for (int t = 0; t < connections; ++t)
	{
		threads.emplace_back([&]() {
			std::deque<std::unique_ptr<BenchClient>> open;
			std::vector<double> mine;
			while (!stop)
			{
				auto sent = Clock::now();
				open.push_back(std::make_unique<BenchClient>(port));
				if (open.size() > 256) open.pop_front();
				BenchClient& c = *open.back();
				const std::vector<std::pair<std::string, std::string>> form = {{"xqueue_header", headerOf(nextCallback++)}, {"xqueue_body", BODY}};
				bool ok = false;
				try
				{
					std::string reply = c.post("/xqueue/submit/", form);
					if (c.lastStatus() == 302) reply = c.get(Poco::URI(c.lastLocation()).getPathAndQuery());
					if (reply.find("login_required") != std::string::npos && c.login("lms", "lms-pass"))
						ok = c.post("/xqueue/submit/", form).find("\"return_code\": 0") != std::string::npos;
				}
				catch (Poco::Exception&)
				{
				}
				if (ok) mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
				else ++failures;
			}
			std::lock_guard<std::mutex> lock(mutex);
			latencies.insert(latencies.end(), mine.begin(), mine.end());
		});
	}
	std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
	stop = true;
	for (auto& t: threads) t.join();
	LmsPatternFigures figures;
	figures.perSecond = static_cast<double>(latencies.size()) / std::chrono::duration<double>(Clock::now() - started).count();
	figures.p50Ms = percentile(latencies, 0.50);
	figures.p99Ms = percentile(latencies, 0.99);
	figures.failures = failures;
	return figures;
}


Poco::JSON::Object::Ptr handedOut(const std::string& reply)
	/// get_submission's content, decoded as xqueue-watcher does (the envelope, then the
	/// content's own JSON); null when nothing was handed out.
{
	if (reply.find("\"return_code\": 0") == std::string::npos) return nullptr;
	Poco::JSON::Parser envelopeParser;
	auto envelope = envelopeParser.parse(reply).extract<Poco::JSON::Object::Ptr>();
	Poco::JSON::Parser contentParser;
	return contentParser.parse(envelope->getValue<std::string>("content")).extract<Poco::JSON::Object::Ptr>();
}


std::vector<std::pair<std::string, std::string>> resultFor(const Poco::JSON::Object::Ptr& content)
	/// A put_result echoing the hand-out's xqueue_header verbatim, as graders do.
{
	return {{"xqueue_body", "{\"correct\": true, \"score\": 1.0, \"msg\": \"ok\"}"}, {"xqueue_header", content->getValue<std::string>("xqueue_header")}};
}


void figure(const std::string& name, double value)
{
	std::printf("figure %s %.2f\n", name.c_str(), value);
	std::fflush(stdout);
}


void pullCycles(int port, const std::string& queue, double seconds, LoopbackPeers& peers, int graders)
	/// --against's pull phase: `graders` graders, their get/put p50, the share of results
	/// delivered. With one grader the p50s are a request's own time, without queueing for
	/// the cores behind other graders' requests.
{
	const std::string suffix = graders == 8 ? "" : "_" + std::to_string(graders) + (graders == 1 ? "_grader" : "_graders");
	std::mutex mutex;
	std::vector<double> gets, puts;
	std::atomic<long> cycles{0};
	std::size_t before = peers.callbacks();
	figure("pull_cycles_" + std::to_string(graders), throughput(port, graders, seconds, [&](BenchClient& c) {
		auto sent = Clock::now();
		auto content = handedOut(c.get("/xqueue/get_submission/?queue_name=" + queue));
		auto got = Clock::now();
		if (!content) return false;
		c.post("/xqueue/put_result/", resultFor(content));
		auto put = Clock::now();
		std::lock_guard<std::mutex> lock(mutex);
		gets.push_back(std::chrono::duration<double, std::milli>(got - sent).count());
		puts.push_back(std::chrono::duration<double, std::milli>(put - got).count());
		++cycles;
		return true;
	}, "grader", "grader-pass"));
	figure("get_submission_p50_ms" + suffix, percentile(gets, 0.50));
	figure("put_result_p50_ms" + suffix, percentile(puts, 0.50));
	// The figure says how many arrived (the Python xqueue posts in put_result, and may hand
	// a submission out twice): no wait beyond 30 s, no failure.
	peers.waitFor(before + static_cast<std::size_t>(cycles.load()), 30s);
	figure("results_delivered_percent" + suffix, cycles ? 100.0 * static_cast<double>(peers.callbacks() - before) / static_cast<double>(cycles.load()) : 0);
}


int againstRunning(int port, const std::string& queue, double seconds, const std::string& phases)
	/// The same load for this server and any other xqueue (the Python one): what
	/// scripts/bench-vs-python runs against each. Grades go to the bench's own LMS.
	/// phases: a subset of status,submit,pull,lms (one alone, to profile the server under it),
	/// and pull1 (not by default): one grader, the latency of a request not queued for the cores.
{
	auto runs = [&phases](const std::string& phase) { return ("," + phases + ",").find("," + phase + ",") != std::string::npos; };
	LoopbackPeers peers(4000000);
	for (int connections: {8, 32})
	{
		if (!runs("status")) break;
		figure("status_" + std::to_string(connections), throughput(port, connections, seconds, [](BenchClient& c) {
			return c.get("/xqueue/status/").find("\"return_code\": 0") != std::string::npos;
		}));
	}
	std::atomic<long> refused{0};
	for (int connections: {8, 32})
	{
		if (!runs("submit")) break;
		figure("submit_" + std::to_string(connections), throughput(port, connections, seconds, [&](BenchClient& c) {
			bool ok = c.post("/xqueue/submit/", {{"xqueue_header", header(peers, queue, nextCallback++)}, {"xqueue_body", BODY}})
				.find("\"return_code\": 0") != std::string::npos;
			if (!ok) ++refused;
			return ok;
		}, "lms", "lms-pass"));
	}
	if (runs("pull")) pullCycles(port, queue, seconds, peers, 8);
	if (runs("pull1")) pullCycles(port, queue, seconds, peers, 1);
	LmsPatternFigures lms;
	if (runs("lms"))
	{
		lms = lmsPattern(port, 8, seconds, [&](std::size_t n) { return header(peers, queue, n); });
		figure("lms_pattern_8", lms.perSecond);
		figure("lms_pattern_p50_ms", lms.p50Ms);
	}
	if (refused || lms.failures) std::fprintf(stderr, "xqueue-bench: %ld submits refused, %ld LMS-pattern submits failed\n", refused.load(), lms.failures);
	return 0;
}


void row(const std::string& what, double value, const std::string& unit, const std::string& target)
{
	char line[200];
	std::snprintf(line, sizeof(line), "  %-54s %10.1f %-6s %s", what.c_str(), value, unit.c_str(), target.c_str());
	std::cout << line << std::endl;
}


const std::string EXACT_MATCH_BODY = "{\"student_response\": \" Paris \", \"grader_payload\": \"{\\\"answer\\\": \\\"paris\\\"}\"}";


void sandboxCost(const Options& options)
	/// What one sandbox run costs on top of the grader itself: a shell grader that only
	/// prints its results, one at a time and 50 at once.
{
	std::cout << "\n== sandbox: a grader that only prints its results, in bubblewrap (prlimit, setpriv as root, bwrap)\n";
	char pattern[] = "/tmp/xqueue-bench-graders-XXXXXX";
	if (!::mkdtemp(pattern)) return;
	const std::string root = pattern;
	::chmod(root.c_str(), 0755);
	{
		std::ofstream grader(root + "/done.sh");
		grader << "echo '{\"correct\": true, \"score\": 1, \"errors\": [], \"tests\": []}'\n";
	}
	XQueue::PluginRegistry plugins(XQUEUE_PLUGIN_DIR, {});
	XQueue::QueueSettings queue;
	queue.id = queue.name = "bench-sandbox";
	queue.plugin = "sandbox";
	queue.pluginConfig = {{"grader_root", root}, {"command", "/bin/sh"}};
	const std::string body = "{\"student_response\": \"print(1)\", \"grader_payload\": \"{\\\"grader\\\": \\\"done.sh\\\"}\"}";
	try
	{
		XQueue::QueueAdapter adapter(queue, plugins.library("sandbox"));
		GradingFigures figures = measureGradings(adapter, body, 200, 50, options.seconds);
		row("sandbox run, one at a time, p50", figures.p50Micros / 1000.0, "ms", "target < 30 ms");
		row("sandbox run, one at a time, p99", figures.p99Micros / 1000.0, "ms", "");
		row("sandbox runs, 50 at once", figures.perSecond, "/s", "");
		row("  a run's latency meanwhile, p50", figures.concurrentP50Micros / 1000.0, "ms", "");
	}
	catch (const std::exception& exc)
	{
		std::cout << "  (not measured: " << exc.what() << ")\n";
	}
	std::filesystem::remove_all(root);
}


void isolationCost(const Options& options)
	/// exact_match in the bench's own process and in worker processes, side by side.
{
	std::cout << "\n== isolation = process against in_process: exact_match graded directly (no HTTP, no store)\n";
	XQueue::PluginRegistry plugins(XQUEUE_PLUGIN_DIR, {});
	XQueue::QueueSettings queue;
	queue.id = queue.name = "bench-exact";
	queue.plugin = "exact_match";
	queue.concurrency = 4;
	GradingFigures inProcess;
	{
		XQueue::QueueAdapter adapter(queue, plugins.library("exact_match"));
		inProcess = measureGradings(adapter, EXACT_MATCH_BODY, 2000, queue.concurrency, options.seconds);
	}
	GradingFigures isolated;
	{
		XQueue::IsolatedGrader adapter(queue, plugins.library("exact_match"), XQUEUE_WORKER_PATH);
		isolated = measureGradings(adapter, EXACT_MATCH_BODY, 2000, queue.concurrency, options.seconds);
	}
	row("grading in process, p50", inProcess.p50Micros, "us", "");
	row("grading in a worker process, p50", isolated.p50Micros, "us", "");
	row("  added by the worker, p50", isolated.p50Micros - inProcess.p50Micros, "us", "target < 1,000 us");
	row("grading in process, p99", inProcess.p99Micros, "us", "");
	row("grading in a worker process, p99", isolated.p99Micros, "us", "");
	row("gradings in process, 4 at once", inProcess.perSecond, "/s", "");
	row("gradings in worker processes, 4 at once", isolated.perSecond, "/s", "");
	row("  worker processes / in process, directly", 100.0 * isolated.perSecond / inProcess.perSecond, "%", "(a ceiling far above the store's rate)");
}


std::vector<double> endToEndMillis(int port, LoopbackPeers& peers, const std::string& queue, const std::string& body, int count)
	/// Submissions one at a time: from sending submit to the LMS receiving the grade.
{
	std::vector<double> latencies;
	BenchClient c(port);
	c.login("bench", "bench");
	for (int i = 0; i < count; ++i)
	{
		std::size_t n = nextCallback++;
		std::size_t expected = peers.callbacks() + 1;
		auto sent = Clock::now();
		c.post("/xqueue/submit/", {{"xqueue_header", header(peers, queue, n)}, {"xqueue_body", body}});
		if (!peers.waitFor(expected, 10s)) break;
		latencies.push_back(std::chrono::duration<double, std::milli>(peers.arrivalOf(n) - sent).count());
	}
	return latencies;
}


void run(const std::string& storeKind, long rows, const Options& options)
{
	char pattern[] = "/tmp/xqueue-bench-XXXXXX";
	std::string dir = mkdtemp(pattern);
	LoopbackPeers peers(4000000);
	ScratchStore store(storeKind, dir, options.mysqlServer, options.synchronous);
	auto preloadStart = Clock::now();
	store.preload(rows);
	std::cout << "\n== " << store.description() << ", " << rows << " finished submissions already in the table (preloaded in "
		<< std::chrono::duration<double>(Clock::now() - preloadStart).count() << " s)\n";
	Server server(dir, peers, store, options.fileStorage);
	int port = server.port();
	std::this_thread::sleep_for(300ms);
	row("server RSS after start (idle)", static_cast<double>(memoryKb(server.pid(), "VmRSS")) / 1024.0, "MB", "target < 32 MB");
	std::cout << "  server open descriptors after start: " << openDescriptors(server.pid()) << "\n";

	for (int connections: {8, 64})
	{
		row("status, " + std::to_string(connections) + " connections",
			throughput(port, connections, options.seconds, [](BenchClient& c) { c.get("/xqueue/status/"); return true; }),
			"req/s", "target >= 50,000");
	}

	for (int connections: {8, 64})
	{
		double rate = throughput(port, connections, options.seconds, [&](BenchClient& c) {
			std::size_t n = nextCallback++;
			return c.post("/xqueue/submit/", {{"xqueue_header", header(peers, "bench-pull", n)}, {"xqueue_body", BODY}}).find("\"return_code\": 0") != std::string::npos;
		});
		row("durable submit, " + std::to_string(connections) + " connections", rate, "/s", connections < 64 ? "" : storeKind == "sqlite" ? "target >= 8,000" : "target >= 3,000");
	}

	std::size_t before = peers.callbacks();
	std::atomic<long> cycles{0};
	auto pullStart = Clock::now();
	double pullRate = throughput(port, 8, options.seconds, [&](BenchClient& c) {
		auto content = handedOut(c.get("/xqueue/get_submission/?queue_name=bench-pull"));
		if (!content) return false;
		c.post("/xqueue/put_result/", resultFor(content));
		++cycles;
		return true;
	});
	row("pull cycles (get_submission + put_result), 8 graders", pullRate, "/s", storeKind == "sqlite" ? "target >= 3,000" : "target >= 1,500");
	bool drained = peers.waitFor(before + static_cast<std::size_t>(cycles.load()), 120s);
	double deliverySeconds = std::chrono::duration<double>(Clock::now() - pullStart).count();
	row("LMS deliveries of those results", static_cast<double>(peers.callbacks() - before) / deliverySeconds, "/s",
		drained ? "(all delivered)" : "(NOT all delivered within 120 s)");

	{
		LmsPatternFigures lms = lmsPattern(port, 8, options.seconds,
			[&](std::size_t n) { return header(peers, "bench-pull", n); });
		row("LMS-pattern submits (fresh session + login each), 8 conn.", lms.perSecond, "/s",
			"target >= 1,000" + std::string(lms.failures ? " (" + std::to_string(lms.failures) + " FAILED)" : ""));
		row("  LMS-pattern submit (4 requests), p50", lms.p50Ms, "ms", "target < 10 ms");
		row("  LMS-pattern submit, p99", lms.p99Ms, "ms", "");
	}

	std::vector<double> latencies = endToEndMillis(port, peers, "bench-push", BODY, 200);
	row("push end to end (submit -> grader -> LMS), p50", percentile(latencies, 0.50), "ms", "target < 10 ms");
	row("push end to end, p99", percentile(latencies, 0.99), "ms", "");

	{
		std::size_t expected = peers.callbacks() + 100;
		auto started = Clock::now();
		std::vector<std::thread> threads;
		std::atomic<int> next{0};
		for (int t = 0; t < 8; ++t)
		{
			threads.emplace_back([&]() {
				BenchClient c(port);
				c.login("bench", "bench");
				while (next++ < 100)
					c.post("/xqueue/submit/", {{"xqueue_header", header(peers, "bench-push", nextCallback++)}, {"xqueue_body", BODY}});
			});
		}
		for (auto& t: threads) t.join();
		bool done = peers.waitFor(expected, 60s);
		row("burst of 100 pushes, all delivered to the LMS", std::chrono::duration<double>(Clock::now() - started).count() * 1000.0,
			"ms", done ? "target < 1,000 ms" : "(NOT all delivered within 60 s)");
	}
	// exact_match through the server, in worker processes and in the server's process:
	// one at a time (latency), then 8 connections submitting (graded and delivered per second).
	double inProcessRate = 0;
	for (const std::string queue: {"bench-exact-inproc", "bench-exact"})
	{
		const std::string EXACT_BODY = "{\"student_response\": \"paris\", \"grader_payload\": \"{\\\"answer\\\": \\\"paris\\\"}\"}";
		const std::string where = queue == "bench-exact" ? "worker processes" : "the server's process";
		std::vector<double> endToEnd = endToEndMillis(port, peers, queue, EXACT_BODY, 200);
		row("exact_match in " + where + ", end to end p50", percentile(endToEnd, 0.50), "ms", "");
		std::size_t deliveredBefore = peers.callbacks();
		auto started = Clock::now();
		std::atomic<long> submitted{0};
		throughput(port, 8, options.seconds, [&](BenchClient& c) {
			bool ok = c.post("/xqueue/submit/", {{"xqueue_header", header(peers, queue, nextCallback++)}, {"xqueue_body", EXACT_BODY}})
				.find("\"return_code\": 0") != std::string::npos;
			if (ok) ++submitted;
			return ok;
		});
		bool done = peers.waitFor(deliveredBefore + static_cast<std::size_t>(submitted.load()), 120s);
		double seconds = std::chrono::duration<double>(Clock::now() - started).count();
		double rate = static_cast<double>(peers.callbacks() - deliveredBefore) / seconds;
		row("  submitted, graded and delivered, 8 connections", rate, "/s", done ? "" : "(NOT all delivered within 120 s)");
		if (queue == "bench-exact-inproc") inProcessRate = rate;
		else row("  worker processes / the server's process", 100.0 * rate / inProcessRate, "%", "target >= 50 %");
	}
	// Files: submits carrying one 256 KiB file (distinct contents), then the pull graders'
	// downloads of them through their signed links.
	{
		const std::size_t fileBytes = 256 * 1024;
		std::atomic<unsigned> seed{1};
		double rate = throughput(port, 8, options.seconds, [&](BenchClient& c) {
			std::string content(fileBytes, 'x');
			unsigned s = seed++;
			std::memcpy(content.data(), &s, sizeof(s));
			std::size_t n = nextCallback++;
			return c.postFiles("/xqueue/submit/", {{"xqueue_header", header(peers, "bench-files", n)}, {"xqueue_body", BODY}},
				{{"submission.zip", content}}).find("\"return_code\": 0") != std::string::npos;
		});
		row("submit with a 256 KiB file, 8 connections", rate, "/s", "");
		row("  upload throughput", rate * static_cast<double>(fileBytes) / (1024.0 * 1024.0), "MiB/s", "");
		// Until the queue is empty (the uploads above), timed to the last download.
		std::atomic<long> fetched{0};
		auto fetchStart = Clock::now();
		std::vector<std::thread> graders;
		for (int t = 0; t < 8; ++t)
		{
			graders.emplace_back([&]() {
				BenchClient c(port);
				c.login("bench", "bench");
				for (;;)
				{
					auto content = handedOut(c.get("/xqueue/get_submission/?queue_name=bench-files"));
					if (!content) return;
					Poco::JSON::Parser filesParser;
					auto files = filesParser.parse(content->getValue<std::string>("xqueue_files")).extract<Poco::JSON::Object::Ptr>();
					Poco::URI link(files->getValue<std::string>("submission.zip"));
					if (c.get(link.getPathEtc()).size() == fileBytes) ++fetched;
				}
			});
		}
		for (auto& t: graders) t.join();
		double fetchRate = static_cast<double>(fetched) / std::chrono::duration<double>(Clock::now() - fetchStart).count();
		row("pull + download of a 256 KiB file, 8 graders", fetchRate, "/s", "");
	}
	row("server peak RSS", static_cast<double>(memoryKb(server.pid(), "VmHWM")) / 1024.0, "MB", "");
	std::this_thread::sleep_for(std::chrono::seconds(2)); // past keep_alive_timeout: clients are gone
	row("server RSS at the end, idle again", static_cast<double>(memoryKb(server.pid(), "VmRSS")) / 1024.0, "MB", "");
	std::cout << "  server open descriptors at the end, idle again: " << openDescriptors(server.pid())
		<< " (pooled store sessions stay open: pool_size 128)\n";
	Poco::File(dir).remove(true);
}


} // namespace


int main(int argc, char** argv)
{
	Options options;
	for (int i = 1; i < argc; ++i)
	{
		std::string arg = argv[i];
		if (arg.rfind("--rows=", 0) == 0)
		{
			options.rows.clear();
			Poco::StringTokenizer tokens(arg.substr(7), ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
			for (const auto& token: tokens) options.rows.push_back(std::stol(token));
		}
		else if (arg.rfind("--seconds=", 0) == 0) options.seconds = std::stod(arg.substr(10));
		else if (arg.rfind("--synchronous=", 0) == 0) options.synchronous = arg.substr(14);
		else if (arg.rfind("--file-storage=", 0) == 0) options.fileStorage = arg.substr(15);
		else if (arg.rfind("--store=", 0) == 0)
		{
			options.stores.clear();
			Poco::StringTokenizer tokens(arg.substr(8), ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
			for (const auto& token: tokens) options.stores.push_back(token);
		}
		else if (arg.rfind("--mysql=", 0) == 0) options.mysqlServer = arg.substr(8);
		else if (arg.rfind("--lms-pattern=", 0) == 0) options.lmsPatternPort = std::stoi(arg.substr(14));
		else if (arg.rfind("--against=", 0) == 0) options.againstPort = std::stoi(arg.substr(10));
		else if (arg.rfind("--phases=", 0) == 0) options.againstPhases = arg.substr(9);
		else if (arg.rfind("--queue=", 0) == 0) options.lmsPatternQueue = arg.substr(8);
		else
		{
			std::cerr << USAGE;
			return 64;
		}
	}
	// scripts/with-mariadb names its scratch server in XQUEUE_TEST_MYSQL.
	if (options.mysqlServer.empty() && std::getenv("XQUEUE_TEST_MYSQL")) options.mysqlServer = std::getenv("XQUEUE_TEST_MYSQL");
	for (const auto& store: options.stores)
	{
		if (store != "sqlite" && store != "mysql")
		{
			std::cerr << USAGE;
			return 64;
		}
		if (store == "mysql" && options.mysqlServer.empty())
		{
			std::cerr << "xqueue-bench: --store=mysql needs --mysql=host=...;port=...;user=...;password=... (or run it under scripts/with-mariadb)\n";
			return 64;
		}
	}
	std::signal(SIGPIPE, SIG_IGN);
	if (options.againstPort) return againstRunning(options.againstPort, options.lmsPatternQueue, options.seconds, options.againstPhases);
	if (options.lmsPatternPort)
	{
		// The same client and load for this server and any other xqueue (the Python one).
		const std::string queue = options.lmsPatternQueue;
		LmsPatternFigures lms = lmsPattern(options.lmsPatternPort, 8, options.seconds, [&](std::size_t n) {
			return "{\"lms_callback_url\": \"http://127.0.0.1:9/courses/c/xqueue/" + std::to_string(n) +
				"/b/score_update\", \"lms_key\": \"k" + std::to_string(n) + "\", \"queue_name\": \"" + queue + "\"}";
		});
		std::printf("lms-pattern: %.1f/s p50 %.1f ms p99 %.1f ms, %ld failed (8 connections, %.0f s, 127.0.0.1:%d)\n",
			lms.perSecond, lms.p50Ms, lms.p99Ms, lms.failures, options.seconds, options.lmsPatternPort);
		return lms.failures && lms.perSecond == 0 ? 1 : 0;
	}
	std::cout << "xqueue-bench: " << std::thread::hardware_concurrency() << " cores, server and load generator on one machine\n";
	std::printf("  loopback TCP round trip between two processes: %.1f us (the floor of every request and MySQL statement)\n",
		loopbackRoundTripMicros(5000));
	try
	{
		isolationCost(options);
		sandboxCost(options);
		for (const auto& store: options.stores)
		{
			for (long rows: options.rows) run(store, rows, options);
		}
	}
	catch (const std::exception& exc)
	{
		std::cerr << "xqueue-bench: " << exc.what() << "\n";
		return 1;
	}
	return 0;
}

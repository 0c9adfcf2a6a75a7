// SPDX-License-Identifier: Apache-2.0
//
// SettingsCatalog.cpp
//
// The one place a key is declared: its member (type and default), range and help. A new
// setting is a member in its group's header, a line here, and the code that uses it;
// docs/configuration.md's tables are generated from here (scripts/update-configuration-doc).
//


#include "config/SettingsCatalog.h"
#include "config/ServerSettings.h"
#include "config/SettingDeclarations.h"
#include "util/AddressPrefixList.h"
#include "util/Origin.h"
#include "Poco/Exception.h"
#include "Poco/String.h"
#include "Poco/StringTokenizer.h"
#include <algorithm>
#include <cctype>
#include <map>


namespace XQueue {


namespace
{
	void checkAddressPrefixes(const std::string& key, const std::string& value)
	{
		try
		{
			AddressPrefixList check(value);
		}
		catch (Poco::Exception& exc)
		{
			throw Poco::InvalidArgumentException(key + ": " + exc.message());
		}
	}

	void checkNamesTheDatabase(const std::string& key, const std::string& value)
	{
		if (value.empty()) throw Poco::InvalidArgumentException(key + ": must name the database");
	}

	void checkHostId(const std::string& key, const std::string& value)
	{
		if (value.empty() || value.size() > 200) throw Poco::InvalidArgumentException(key + ": expected 1 to 200 characters");
	}

	void checkBaseUrl(const std::string& key, const std::string& value)
	{
		if (!value.empty() && value.rfind("http://", 0) != 0 && value.rfind("https://", 0) != 0)
			throw Poco::InvalidArgumentException(key + ": expected an http:// or https:// URL, found '" + value + "'");
	}

	void readOrigins(const std::string& key, const std::string& value, ServerSettings& settings)
	{
		settings.delivery.authHosts.clear();
		Poco::StringTokenizer hosts(value, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
		for (const auto& host: hosts)
		{
			try
			{
				settings.delivery.authHosts.insert(Origin::parse(host));
			}
			catch (Poco::InvalidArgumentException& exc)
			{
				throw Poco::InvalidArgumentException(key + ": " + exc.message());
			}
		}
	}

	bool isQueueName(const std::string& name)
	{
		if (name.empty() || name.size() > 128) return false;
		return std::all_of(name.begin(), name.end(), [](unsigned char c) {
			return std::isalnum(c) || c == '_' || c == '-' || c == '.';
		});
	}

	std::vector<SettingDeclaration<ServerSettings>> declareServerKeys()
	{
		using S = ServerSettings;
		SettingDeclarations<S> d;

		d.section("http");
		d.text("xqueue.http.host", &S::http, &HttpSettings::host, "Address the HTTP server binds to.");
		d.integer("xqueue.http.port", &S::http, &HttpSettings::port, 0, 65535, "TCP port (0 = any free port). The server binds with `SO_REUSEADDR` but not `SO_REUSEPORT`, so a second server on the same port fails to start instead of silently sharing traffic.");
		d.integer("xqueue.http.threads", &S::http, &HttpSettings::threads, 1, 1024, "Request threads: each serves one connection while a request is read, handled and answered; connections between requests hold none.");
		d.integer("xqueue.http.queue", &S::http, &HttpSettings::queue, 1, 65536, "The listen backlog: connections the kernel completes and holds until the server accepts them (capped by `net.core.somaxconn`). Accepted connections wait for their request in an epoll set, without a thread; a connection with a request ready waits for one of `http.threads`.");
		d.integer("xqueue.http.keep_alive_timeout", &S::http, &HttpSettings::keepAliveTimeout, 1, 3600, "Seconds an idle keep-alive connection stays open (waiting in an epoll set, without a thread; closed after this and counted as `xqueue_connections_closed_total{reason=\"idle\"}`).");
		d.integer("xqueue.http.timeout", &S::http, &HttpSettings::timeout, 1, 3600, "Socket receive/send timeout in seconds.");
		d.integer("xqueue.http.max_body_bytes", &S::http, &HttpSettings::maxBodyBytes, 1024, 1LL << 34, "Largest request body, uploaded files included (128 MiB: the LMS accepts 20 files of 4 MB per input, plus fields). Bodies stream to spool files, so memory does not grow with it. A declared `Content-Length` above it is answered at once, before any of the body is read and whatever the path or login: HTTP 413 with an envelope `Request body exceeds the limit of N bytes (xqueue.http.max_body_bytes)`, then our side of the connection is closed; what the client still sends is dropped (up to this many bytes, until it pauses for a second) so that a client that sends its whole body before reading still gets the reply rather than a reset. A chunked body is checked while it is read.");
		d.integer("xqueue.http.max_form_fields", &S::http, &HttpSettings::maxFormFields, 2, 100000, "Most form fields or multipart parts per request (Django's `DATA_UPLOAD_MAX_NUMBER_FIELDS`). More: HTTP 400 `Too many form fields (the limit is N, xqueue.http.max_form_fields)`.");
		d.integer("xqueue.http.max_field_bytes", &S::http, &HttpSettings::maxFieldBytes, 1024, 1LL << 31, "Largest single form field that is not a file (Django's `DATA_UPLOAD_MAX_MEMORY_SIZE`). Larger: HTTP 413 `A form field exceeds the limit of N bytes (xqueue.http.max_field_bytes)`.");
		d.flag("xqueue.http.trust_x_real_ip", &S::http, &HttpSettings::trustXRealIp, "Record the client address from `X-Real-IP` (only behind a proxy that sets it; the old server always trusted it).");
		d.prefixes("xqueue.http.trust_x_real_ip_from", &S::http, &HttpSettings::trustXRealIpFrom, "With `trust_x_real_ip`: the peers whose `X-Real-IP` is believed — the proxies in front of the hosts (nginx: `set_real_ip_from`). A request from any other address is recorded with its socket's address, whatever header it sends, so a client that reaches a host directly cannot pick the address its failed logins count against.");
		d.seconds("xqueue.http.header_timeout", &S::http, &HttpSettings::headerTimeout, 0.1, 3600, "Time a client has to send a request line and its headers, counted from the connection (or from the end of the previous reply, plus `keep_alive_timeout`). A slower client (slowloris) is disconnected. Poco's own limits apply as well: 100 header fields, names ≤ 256 bytes, values ≤ 8192 bytes, URI ≤ 16384 bytes (larger: HTTP 400).");
		d.seconds("xqueue.http.request_timeout", &S::http, &HttpSettings::requestTimeout, 0.1, 86400, "Time from the end of the headers to the end of the reply: body upload, handling, reply download. A slower client is disconnected (a 128 MiB upload needs ~1.1 MB/s).");
		d.integer("xqueue.http.read_ahead_bytes", &S::http, &HttpSettings::readAheadBytes, 0, 64LL << 20, "How much of a request body is received (off any thread, while the connection waits in the idle set) before a request thread takes the request: a client dripping its headers or a body up to this size holds no thread, however many such clients there are. A larger body is read by a request thread as it comes, bounded by `request_timeout`, on at most half of `xqueue.http.threads` at once, so the other half always serves. Memory: up to this much (plus the headers) per connection with a request in progress. Does not apply with `tls.*`: a TLS connection is read by its thread, as before (terminate TLS in a proxy to have it). 0..64 MiB.");
		d.integer("xqueue.http.max_connections_per_address", &S::http, &HttpSettings::maxConnectionsPerAddress, 0, 1000000, "Most simultaneous connections from one client address (the socket's, not `X-Real-IP`); further ones are closed at once and counted in `xqueue_connections_closed_total`. 0 = no limit: behind a proxy every client has the proxy's address. With direct exposure, keep it below `xqueue.http.threads`.");
		d.text("xqueue.http.tls.certificate_file", &S::http, &HttpSettings::tlsCertificateFile, "PEM certificate (with its chain) to serve HTTPS (TLS ≥ 1.2) instead of HTTP.");
		d.text("xqueue.http.tls.key_file", &S::http, &HttpSettings::tlsKeyFile, "PEM private key of the certificate; set both or neither.");
		d.flag("xqueue.http.secure_cookie", &S::http, &HttpSettings::secureCookie, "Mark the session cookie `Secure`. Always on when the server itself serves HTTPS; set it behind a proxy that terminates TLS.");

		d.section("store");
		d.choice("xqueue.store.connector", &S::store, &StoreSettings::connector, {"sqlite", "mysql"}, "Store back end: `sqlite` (embedded, one host, zero set-up) or `mysql` (MariaDB ≥ 10.6 / MySQL ≥ 8, shared by several hosts).");
		d.text("xqueue.store.connection", &S::store, &StoreSettings::connection, "`sqlite`: the database file — created with its schema, and switched to WAL, on first start; its directory must exist (checked at once, instead of Poco's 60 s retry loop). `mysql`: `host=…;port=…;user=…;db=…` (Poco's keys; `character-set=utf8mb4` is added). The schema is created on first start; upgrades: `xqueue.store.migrate`.", checkNamesTheDatabase);
		d.text("xqueue.store.password_file", &S::store, &StoreSettings::passwordFile, "`mysql`: a file whose first line is the database password, added to the connection. Without it, the `XQUEUE_STORE_PASSWORD` environment variable is used if set. Keep the password out of the main file; it never appears in logs or messages (the connection is shown without it).");
		d.integer("xqueue.store.pool_size", &S::store, &StoreSettings::poolSize, 2, 4096, "Most open database sessions; keep it above `http.threads + delivery.threads`.");
		d.integer("xqueue.store.busy_timeout", &S::store, &StoreSettings::busyTimeout, 1, 600, "`sqlite`: seconds to wait for a lock held by another process (e.g. `xqueue-admin`) before a request fails with 503. `mysql`: the sessions' `innodb_lock_wait_timeout`.");
		d.integer("xqueue.store.read_timeout", &S::store, &StoreSettings::readTimeout, 1, 86400, "mysql: seconds to wait for the database server's answer (or to send to it) before the connection is dropped and the request answered 503. Poco 1.11 sets no such timeout, so without it a frozen or unreachable (partitioned) database would hold request threads until TCP gives up (many minutes). Keep it above the longest statement (the schema upgrade of a large table at start-up: raise it with `--define` for that run if needed).");
		d.choice("xqueue.store.sqlite.synchronous", &S::store, &StoreSettings::sqliteSynchronous, {"FULL", "NORMAL"}, "`FULL`: every acknowledged submission and result is on disk before the reply (survives power loss). `NORMAL`: faster, survives a crash of the process but not of the machine.");
		d.choice("xqueue.store.migrate", &S::store, &StoreSettings::migrate, {"auto", "explicit"}, "What a server does at start when the store's schema is behind this build (an upgrade): `auto` migrates it (one host, or hosts upgraded one at a time); `explicit` refuses to start, with one line saying to run `xqueue-admin migrate` — for fleets, where the migration is a deployment step of its own (a Kubernetes Job) and no server of the new version may race it. A new, empty database always gets its schema. `xqueue-admin` commands other than `migrate` refuse a schema that is behind.");
		d.custom("xqueue.host.id", "string", "1–200 characters", "<machine name>:<xqueue.http.port>", "This host's name among the hosts sharing one database. A host that starts ends at once the delivery leases and push-dispatch leases its previous run held (the work is picked up again immediately instead of after the lease timeout). Two running hosts must never share an id: set it explicitly when hosts run in containers with the same machine name and port. With `xqueue.http.port = 0` the default is unique to each run.",
			[](const std::string& key, const std::string& value, S& settings) {
				checkHostId(key, value);
				settings.hostId = value;
			});

		d.section("plugins");
		d.custom("xqueue.plugins.dir", "string", "", "${application.dir}../lib/xqueue/plugins", "Where the plugin of id `X` is found, as `xq_X.so`. The default is the same for the build tree (`build/bin` → `build/lib/xqueue/plugins`) and an installed tree (`bin` → `lib/xqueue/plugins`).",
			[](const std::string&, const std::string& value, S& settings) { settings.plugins.dir = value; });
		d.custom("xqueue.plugins.<id>.path", "string", "", "", "The file of plugin `<id>`, overriding the directory (for a plugin built elsewhere).", nullptr);
		d.custom("xqueue.plugins.worker", "string", "", "${application.dir}xqueue-plugin-worker", "The worker executable that runs a dispatch-mode plugin in a process of its own (queues with `isolation = process`); installed beside `xqueue-server`.",
			[](const std::string&, const std::string& value, S& settings) { settings.plugins.worker = value; });

		d.section("leases");
		d.integer("xqueue.processing_delay", &S::queueing, &QueueingSettings::processingDelay, 0, 7 * 86400, "Visibility timeout in seconds (the old `SUBMISSION_PROCESSING_DELAY`, which was in minutes). A pulled submission without a result is handed out again after this long, with a new key; the old key stops working. A failed dispatch-mode grading is retried after this long too.");
		d.seconds("xqueue.dispatch.poll_interval", &S::queueing, &QueueingSettings::dispatchPollInterval, 0.01, 3600, "How often idle dispatch slots look for work nobody announced (retries, submissions made through another host). A submit on this host wakes a slot at once.");
		d.integer("xqueue.max_number_of_failures", &S::queueing, &QueueingSettings::maxNumberOfFailures, 0, 1000, "A submission handed out `max_number_of_failures + 1` times without a result (pull leases that expired, failed or timed-out dispatch gradings) is retired as failed and the LMS receives the failure notice. Failed LMS deliveries do **not** count (they are retried without re-grading, see Delivery).");

		d.section("delivery");
		d.integer("xqueue.delivery.threads", &S::delivery, &DeliverySettings::threads, 1, 256, "Threads posting results to LMS callback URLs.");
		d.integer("xqueue.delivery.timeout", &S::delivery, &DeliverySettings::timeout, 1, 600, "Seconds one attempt may take, from connecting to the end of the reply — TLS handshake, request, status line, headers and body under one deadline (a socket watchdog shuts down an exchange that overruns it, counted in `xqueue_outbound_deadlines_total`), so an LMS that accepts and never answers, or drips its reply, costs one attempt and never holds a delivery thread. An attempt's lease lasts `2 × timeout + 5` s; a host that dies mid-attempt leaves the delivery to be retried when that lease ends.");
		d.seconds("xqueue.delivery.retry.initial_delay", &S::delivery, &DeliverySettings::initialDelay, 0.001, 86400, "Delay after the first failed attempt; doubles after each further failure, with jitter (uniform in [d/2, d]).");
		d.seconds("xqueue.delivery.retry.max_delay", &S::delivery, &DeliverySettings::maxDelay, 0.001, 7 * 86400, "Cap on the delay between attempts.");
		d.integer("xqueue.delivery.retry.horizon", &S::delivery, &DeliverySettings::horizon, 0, 365 * 86400, "Seconds after the first attempt at which a delivery still failing is **parked** (kept with its reason) and its submission retired as failed.");
		d.seconds("xqueue.delivery.min_submission_age", &S::delivery, &DeliverySettings::minSubmissionAge, 0, 3600, "No grade or failure notice is delivered before its submission is this old; `0` delivers at once. Grading is not delayed, only delivery. The LMS saves a submission's key only when its own submit request ends (after our reply) and drops, as a \"key mismatch\", a grade that reaches its callback earlier; edx-platform's own stub xqueue waits 2 s for the same reason. Applies to every adapter and every host (measured from the submission's arrival on the store's clock).");
		d.seconds("xqueue.delivery.poll_interval", &S::delivery, &DeliverySettings::pollInterval, 0.01, 3600, "How often idle delivery threads look for due retries (a new result wakes them at once).");
		d.seconds("xqueue.delivery.keep_alive", &S::delivery, &DeliverySettings::keepAlive, 0, 60, "How long a connection to an LMS is kept open after a delivery, for the next one to the same origin (scheme, host, port), at most one per delivery thread: no TCP or TLS handshake per grade. Kept only after a reply that ended cleanly with keep-alive (a gunicorn sync worker answers `Connection: close`: nothing is kept); below the LMS front end's own keep-alive (gunicorn's 2 s), and one the LMS closed meanwhile is retried at once on a new connection. The address is the one vetted when the connection was opened. `0`: a new connection for every attempt.");
		d.text("xqueue.delivery.username", &S::delivery, &DeliverySettings::username, "Optional HTTP Basic user sent with LMS deliveries (the old `REQUESTS_BASIC_AUTH`), but only to the hosts in `auth_hosts`.");
		d.text("xqueue.delivery.password", &S::delivery, &DeliverySettings::password, "Its password; set it or `password_file` with `username`.");
		d.text("xqueue.delivery.password_file", &S::delivery, &DeliverySettings::passwordFile, "File whose first line is the password (keeps it out of this file).");
		d.custom("xqueue.delivery.auth_hosts", "string", "origins or host names, comma-separated", "", "Where the Basic credentials may go, comma-separated: origins (`https://lms.example.com`, `http://lms:8000`) compared by scheme, host (case-insensitively) and port, or bare host names, which mean `https` on port 443 — so the credentials never travel over clear http unless an entry says `http://` explicitly. Deliveries to any other origin go without them. Required with `username`: the old server sent its credentials to any host a client named (and before this release a host name here also matched any port and plain http).", readOrigins);
		d.text("xqueue.delivery.signing_key_file", &S::delivery, &DeliverySettings::signingKeyFile, "File whose first line is a [Standard Webhooks](https://www.standardwebhooks.com/) key (`whsec_` + base64, or 16+ raw characters). Every delivery is then signed: `webhook-id` (the same for all attempts of one delivery), `webhook-timestamp` (Unix seconds), `webhook-signature` (`v1,` + base64 HMAC-SHA256 of `id.timestamp.body`, the body being the form-encoded request body). The LMS can verify it with any Standard Webhooks library.");

		d.section("outbound");
		d.text("xqueue.outbound.allow_addresses", &S::outbound, &OutboundSettings::allowAddresses, "CIDR prefixes of special-purpose addresses callbacks may reach anyway, e.g. `10.0.0.0/8` for an LMS on the private network, `127.0.0.0/8` for a test setup on one machine (the sample `conf/xqueue.properties` allows loopback, so that `scripts/run-server` works with an LMS on the same machine). A host named by an active account's callback prefixes (`xqueue-admin user callbacks NAME URL`) may be reached at any address without being listed here: registering it is the operator saying \"this LMS is mine\" (read from the store: a registration applies on every host within a quarter of a second, a removal within 10 s). A submit whose `lms_callback_url` would be refused — not an absolute http(s) URL, user information, only special-purpose addresses that are neither listed nor registered — gets the envelope `lms_callback_url is refused: <reason>` and nothing is stored; a name that does not resolve at submit is not a refusal (a DNS matter: the delivery retries it). A host's verdict is kept for 30 s (5 s when it did not resolve), so submits neither resolve every time nor wait on a hung resolver.", checkAddressPrefixes);
		d.text("xqueue.outbound.insecure_tls_hosts", &S::outbound, &OutboundSettings::insecureTlsHosts, "Comma-separated host names whose TLS certificates are **not** verified (self-signed test systems only); logged as a warning at start-up and with every call.");

		d.section("files");
		d.choice("xqueue.files.storage", &S::files, &FilesSettings::storage, {"database", "directory"}, "`database`: contents in the store, in 64 KiB chunks (table `file_chunks`) — nothing else to set up or to share between hosts. `directory`: contents as files under `xqueue.files.directory`, fsynced before the submit is acknowledged; for several hosts this must be storage they all mount (NFS, a cluster file system).");
		d.text("xqueue.files.directory", &S::files, &FilesSettings::directory, "`directory` storage: where contents live, as `<dir>/<2 hex>/<sha-256>`; uploads are spooled in `<dir>/tmp/` (same file system, so storing one is a hard link). Created if missing. Required with `directory`.");
		d.text("xqueue.files.spool_directory", &S::files, &FilesSettings::spoolDirectory, "`database` storage: where uploads over 64 KiB are spooled while the request arrives.").defaultText = "(system temp)";
		d.integer("xqueue.files.max_file_bytes", &S::files, &FilesSettings::maxFileBytes, 0, 1LL << 40, "Largest file (10 MiB). Larger: `File '<name>' is larger than the limit of N bytes (xqueue.files.max_file_bytes)`.");
		d.integer("xqueue.files.max_files", &S::files, &FilesSettings::maxFiles, 0, 100000, "Most file parts in one submission (Django allowed 100, with a 500 beyond). More: `Too many files: the limit is N per submission (xqueue.files.max_files)`.");
		d.integer("xqueue.files.max_name_bytes", &S::files, &FilesSettings::maxNameBytes, 1, 4096, "Longest file name in UTF-8 bytes (a file name on common file systems). Longer: `A file name is longer than the limit of N bytes (xqueue.files.max_name_bytes)`. Names must also be valid UTF-8 without control characters: `A file name is empty, is not valid UTF-8 or contains control characters`.");
		d.text("xqueue.files.base_url", &S::files, &FilesSettings::baseUrl, "`scheme://host[:port][/prefix]` graders reach the hosts at, for file links; set it when a proxy or load balancer fronts the hosts. Without it, a pull grader gets links to the address it used (its `Host` header, when it is a plain host[:port]); a push grader gets `http://<xqueue.http.host>:<port>` (the machine's name when bound to all interfaces).", checkBaseUrl);
		d.integer("xqueue.files.url_lifetime", &S::files, &FilesSettings::urlLifetime, 1, 366 * 86400, "Seconds a file link stays valid after the hand-out.");
		d.text("xqueue.files.url_secret_file", &S::files, &FilesSettings::urlSecretFile, "A file whose first line (≥ 16 characters) is the key that signs links; every host must use the same. Without it, a random key is created in the store on first start (table `server_secrets`) and shared through it; remove that row to invalidate every link handed out.");
		d.integer("xqueue.files.retention_days", &S::files, &FilesSettings::retentionDays, 0, 36500, "Files of finished submissions (delivered, superseded, failed) are removed this many days after their upload; `0` keeps them as long as their submission. Files of pending submissions are always kept.");
		d.integer("xqueue.files.orphan_grace", &S::files, &FilesSettings::orphanGrace, 0, 366 * 86400, "Seconds a content must have gone unused before it is removed once no file refers to it (its submissions deleted or expired); also the age of spool files and stored bytes a crash left behind before they are removed.");
		d.seconds("xqueue.files.sweep_interval", &S::files, &FilesSettings::sweepInterval, 0.01, 366 * 86400, "Seconds between retention sweeps. Every host sweeps (in batches of 500, short transactions; safe to run on several hosts at once).");

		d.section("operations");
		d.seconds("xqueue.metrics.store_interval", &S::operations, &OperationsSettings::storeReadInterval, 0.05, 60, "Seconds between two readings of the store for `/metrics` (queue depths, leases, delivery backlog; `xqueue_store_up`) and `/readyz`, which answer from the last reading at once, whatever the database does. `/readyz` is 503 when the store has not answered for 3 intervals (at least 5 s); the gauges then keep their last values and `xqueue_store_reading_age_seconds` grows. Each reading costs each host a few index lookups per queue.");
		d.prefixes("xqueue.metrics.allow_from", &S::operations, &OperationsSettings::metricsAllowFrom, "Client addresses allowed to read `GET /metrics`: CIDR prefixes or addresses, comma-separated, `*` for any. The connected peer's address is checked (never `X-Real-IP`); others get 403.");
		d.custom("xqueue.dashboard.dir", "string", "", "${application.dir}../share/xqueue/dashboard", "The dashboard's page and scripts (the build copies them there, with Chart.js from Debian's `libjs-chart.js`; `cmake --install` puts them in `share/xqueue/dashboard`).",
			[](const std::string&, const std::string& value, S& settings) { settings.operations.dashboardDir = value; });
		d.seconds("xqueue.dashboard.sample_interval", &S::operations, &OperationsSettings::dashboardSampleInterval, 0.05, 3600, "Seconds between two samples of every queue for the dashboard's one-hour charts.");
		d.seconds("xqueue.shutdown.drain_delay", &S::operations, &OperationsSettings::drainDelay, 0, 3600, "On SIGTERM, how long to keep serving while `/readyz` already answers 503, so that a load balancer or Kubernetes stops sending traffic before the listener closes (set it a little above the probe period).");

		d.section("auth");
		d.integer("xqueue.auth.pbkdf2_iterations", &S::auth, &AuthSettings::pbkdf2Iterations, 1000, 100000000, "PBKDF2-SHA256 iterations for new password hashes (Django format). A hash with fewer iterations is upgraded at the user's next login. Each login costs one hash: ~0.3 s of CPU at 600,000 on the 2-core reference machine.");
		d.seconds("xqueue.auth.verified_lifetime", &S::auth, &AuthSettings::verifiedLifetime, 0, 86400, "How long a successful check of a (user, password) pair is remembered in memory, so that the same login again costs microseconds instead of a PBKDF2 (the LMS logs in once per submission). Kept as an HMAC-SHA256, under a random key of the process, of the user name, the stored hash and the password (never the password), at most 10,000 entries; `0` verifies every login. Failed logins always pay the full PBKDF2. The stored hash is part of the entry and every login reads the user's row, so a password change, deactivation or removal applies at the next login, on every host.");
		d.integer("xqueue.auth.session_lifetime", &S::auth, &AuthSettings::sessionLifetime, 60, 366 * 86400, "Seconds a login session lasts (Django's 14 days; not extended by use).");
		d.seconds("xqueue.auth.session_cache_lifetime", &S::auth, &AuthSettings::sessionCacheLifetime, 0, 60, "How long a session's user (role, granted queues, callback prefixes) is remembered in memory once read from the store, so that the next requests of the session read nothing (a grader's `get_submission` and `put_result`, the LMS's submits). A logout through this host forgets it at once; a logout through another host, and a deactivation, a password change or other grants made with `xqueue-admin`, reach a host within this time. Never past the session's own end; at most 100,000 sessions. `0` reads the store for every request.");
		d.integer("xqueue.auth.max_failures_per_user", &S::auth, &AuthSettings::maxFailuresPerUser, 0, 1000000, "Failed logins for one user name within `failure_window` after which the client addresses that have themselves failed for that name are refused — before the password is checked — with HTTP 429, `Retry-After` and the envelope `Too many failed logins; try again later`, until the oldest failures leave the window. An address that has not failed for the name is not refused, so a third party's guesses never lock out the LMS (which logs in with the right password from its own addresses); past the limit each further address gets one guess per window. A correct password clears its address's failures, not the name's count. Counted per host. `0` = no limit.");
		d.integer("xqueue.auth.max_failures_per_address", &S::auth, &AuthSettings::maxFailuresPerAddress, 0, 1000000, "The same per client address (the socket's, or `X-Real-IP` with `trust_x_real_ip`). `0` = no limit.");
		d.integer("xqueue.auth.failure_window", &S::auth, &AuthSettings::failureWindow, 1, 86400, "Seconds over which failed logins are counted.");
		return d.take();
	}

	std::vector<SettingDeclaration<QueueSettings>> declareQueueKeys()
	{
		using Q = QueueSettings;
		SettingDeclarations<Q> d;
		d.section("queues");
		d.custom("plugin", "string", "a plugin id", "(required)", "Grader adapter (plugin id) of the queue. Shipped: `pull_rest` (graders pull with `get_submission` / `put_result`), `http_push` (the host POSTs each submission to a grader), `exact_match` and `numeric` (graders of the host's own), `sandbox` (a course team's grader run on student code in bubblewrap). Each plugin's keys are in `plugins/<id>/README.md`.",
			[](const std::string& key, const std::string& value, Q& queue) {
				queue.plugin = Poco::trim(value);
				if (!SettingsCatalog::isPluginId(queue.plugin))
					throw Poco::InvalidArgumentException(key + ": '" + queue.plugin + "' is not a plugin id (1-64 characters of a-z 0-9 _)");
			});
		d.integer("concurrency", &Q::concurrency, 1, 1024, "Dispatch-mode plugins only: submissions of this queue graded at once (per host).");
		d.seconds("time_budget", &Q::timeBudget, 0.01, 86400, "Dispatch-mode plugins only: seconds one grading may take; past it the host logs it, drops any late result, and treats the grading as failed (with `isolation = process` the worker doing it is killed).");
		d.choice("isolation", &Q::isolation, {"process", "in_process"}, "Dispatch-mode plugins only. `process`: the plugin runs in worker processes (`xqueue.plugins.worker`), one grading at a time each, up to `concurrency` of them; a crash, hang, leak or runaway loop costs the grading it happened in, never the server (see docs/writing-a-plugin.md, \"Isolation\"). `in_process`: the plugin runs in the server's own process — about 0.1 ms less per grading, but a crash there is the whole server's.");
		d.integer("max_memory_mb", &Q::maxMemoryMb, 0, 1 << 20, "`isolation = process`: a worker's resident memory limit in MiB. Over it during a grading, the worker is killed (the grading fails like a crash); over it after a grading (a leak), the worker is replaced. 0 = no limit.");
		d.seconds("max_cpu_seconds", &Q::maxCpuSeconds, 0, 86400, "`isolation = process`: CPU seconds one grading may use (whole seconds, rounded up; `RLIMIT_CPU`), past which the worker is killed. 0 = only `time_budget` applies.");
		d.custom("name", "string", "1–128 characters", "<id>", "The queue name on the wire, when it cannot be a key segment (e.g. `MITx-6.00x` contains a dot). 1–128 characters of `A-Z a-z 0-9 _ - .`; unique.",
			[](const std::string& key, const std::string& value, Q& queue) {
				if (!isQueueName(value))
					throw Poco::InvalidArgumentException(key + ": '" + value + "' is not a valid queue name (1-128 characters of A-Z a-z 0-9 _ - .)");
				queue.name = value;
			});
		return d.take();
	}
}


const std::vector<SettingDeclaration<ServerSettings>>& SettingsCatalog::serverKeys()
{
	static const std::vector<SettingDeclaration<ServerSettings>> keys = declareServerKeys();
	return keys;
}


const std::vector<SettingDeclaration<QueueSettings>>& SettingsCatalog::queueKeys()
{
	static const std::vector<SettingDeclaration<QueueSettings>> keys = declareQueueKeys();
	return keys;
}


bool SettingsCatalog::isPluginId(const std::string& id)
{
	if (id.empty() || id.size() > 64) return false;
	return std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::islower(c) || std::isdigit(c) || c == '_'; });
}


std::string SettingsCatalog::sectionTitle(const std::string& section)
{
	static const std::map<std::string, std::string> titles = {
		{"http", "HTTP front end"}, {"store", "Store"}, {"plugins", "Plugins"}, {"queues", "Queues"},
		{"leases", "Leases and dispatch"}, {"delivery", "Delivery of results to the LMS"},
		{"outbound", "Outbound calls to URLs that clients name"}, {"files", "Uploaded files"},
		{"operations", "Operations"}, {"auth", "Users and sessions"}};
	auto it = titles.find(section);
	return it == titles.end() ? section : it->second;
}


} // namespace XQueue

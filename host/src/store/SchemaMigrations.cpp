//
// SchemaMigrations.cpp
//


#include "store/SchemaMigrations.h"


namespace XQueue {


const std::vector<SchemaMigrations::Migration>& SchemaMigrations::sqlite()
{
	// Timestamps are integer microseconds since the Unix epoch (UTC).
	// Opaque client strings (header, body, grade, callback URL) are BLOBs so that every
	// byte, NUL included, comes back exactly as it was received.
	static const std::vector<Migration> MIGRATIONS = {
		{
			"CREATE TABLE users ("
			" id INTEGER PRIMARY KEY AUTOINCREMENT,"
			" username TEXT NOT NULL UNIQUE,"
			" password_hash TEXT NOT NULL,"
			" is_active INTEGER NOT NULL DEFAULT 1,"
			" created_at INTEGER NOT NULL,"
			" updated_at INTEGER NOT NULL)",

			"CREATE TABLE sessions ("
			" token_hash TEXT PRIMARY KEY,"
			" user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
			" created_at INTEGER NOT NULL,"
			" expires_at INTEGER NOT NULL)",
			"CREATE INDEX sessions_user ON sessions(user_id)",
			"CREATE INDEX sessions_expiry ON sessions(expires_at)",

			// state: 0 queued, 1 leased, 2 graded (delivery pending), 3 delivered,
			//        4 superseded, 5 failed
			"CREATE TABLE submissions ("
			" id INTEGER PRIMARY KEY AUTOINCREMENT,"
			" queue_name TEXT NOT NULL,"
			" state INTEGER NOT NULL,"
			" requester_id TEXT NOT NULL,"
			" lms_callback_url BLOB NOT NULL,"
			" callback_key TEXT NOT NULL,"
			" xqueue_header BLOB NOT NULL,"
			" xqueue_body BLOB NOT NULL,"
			" xqueue_files BLOB NOT NULL,"
			" arrival_time INTEGER NOT NULL,"
			" lease_key TEXT,"
			" lease_expires_at INTEGER,"
			" lease_count INTEGER NOT NULL DEFAULT 0,"
			" pull_time INTEGER,"
			" grader_id TEXT NOT NULL DEFAULT '',"
			" return_time INTEGER,"
			" grader_reply BLOB,"
			" lms_ack INTEGER NOT NULL DEFAULT 0,"
			" retire_reason TEXT)",
			"CREATE INDEX submissions_queued ON submissions(queue_name, state, id)",
			"CREATE INDEX submissions_leases ON submissions(queue_name, state, lease_expires_at)",
			"CREATE INDEX submissions_callback ON submissions(callback_key, queue_name, state)",

			// Number of state-0 rows per queue, maintained in the same transactions that
			// change states, so that queue length never counts the queue.
			"CREATE TABLE queue_counters ("
			" queue_name TEXT PRIMARY KEY,"
			" queued INTEGER NOT NULL)",

			// The outbox: one row per message to an LMS callback URL.
			// kind: 0 grade, 1 failure notice. state: 0 pending, 1 delivered, 2 parked.
			// While an attempt is in flight, next_attempt_at is the end of its lease.
			"CREATE TABLE deliveries ("
			" id INTEGER PRIMARY KEY AUTOINCREMENT,"
			" submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,"
			" kind INTEGER NOT NULL,"
			" body BLOB NOT NULL,"
			" state INTEGER NOT NULL,"
			" attempts INTEGER NOT NULL DEFAULT 0,"
			" created_at INTEGER NOT NULL,"
			" next_attempt_at INTEGER NOT NULL,"
			" lease_key TEXT,"
			" last_error TEXT,"
			" delivered_at INTEGER)",
			"CREATE INDEX deliveries_due ON deliveries(state, next_attempt_at)",
			"CREATE INDEX deliveries_submission ON deliveries(submission_id)",
		},
	};
	return MIGRATIONS;
}


} // namespace XQueue

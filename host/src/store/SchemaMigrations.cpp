// SPDX-License-Identifier: Apache-2.0
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
		{
			// Which host holds a delivery lease, so that a restarted host can release
			// its own leases at once instead of waiting for them to expire.
			"ALTER TABLE deliveries ADD COLUMN lease_owner TEXT",
		},
		{
			// The queued count in shards: hosts sharing a MySQL database would otherwise
			// all wait for one row per queue in every submit and hand-out. A queue's count
			// is the sum of its shards (SQLite, with one writer, only uses shard 0).
			"CREATE TABLE queue_counter_shards ("
			" queue_name TEXT NOT NULL,"
			" shard INTEGER NOT NULL,"
			" queued INTEGER NOT NULL,"
			" PRIMARY KEY (queue_name, shard))",
			"INSERT INTO queue_counter_shards (queue_name, shard, queued) SELECT queue_name, 0, queued FROM queue_counters",
			"DROP TABLE queue_counters",
			"ALTER TABLE queue_counter_shards RENAME TO queue_counters",
		},
		{
			// Uploaded files. A content is stored once per SHA-256, whichever store holds
			// its bytes (file_chunks here, or a directory); touched_at is its last use, so
			// that retention removes only contents unreferenced for a while.
			"CREATE TABLE file_contents ("
			" content_hash TEXT PRIMARY KEY,"
			" size INTEGER NOT NULL,"
			" touched_at INTEGER NOT NULL)",
			"CREATE INDEX file_contents_touched ON file_contents(touched_at)",
			// The database store's bytes, in chunks of at most 64 KiB: streamed both ways,
			// and within MySQL's BLOB and default packet sizes.
			"CREATE TABLE file_chunks ("
			" content_hash TEXT NOT NULL,"
			" seq INTEGER NOT NULL,"
			" data BLOB NOT NULL,"
			" PRIMARY KEY (content_hash, seq))",
			// One row per file of a submission; file_key (128 random bits) is what a link names.
			"CREATE TABLE submission_files ("
			" file_key TEXT PRIMARY KEY,"
			" submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,"
			" position INTEGER NOT NULL,"
			" field_name BLOB NOT NULL,"
			" content_hash TEXT NOT NULL,"
			" size INTEGER NOT NULL,"
			" created_at INTEGER NOT NULL)",
			"CREATE INDEX submission_files_submission ON submission_files(submission_id)",
			"CREATE INDEX submission_files_content ON submission_files(content_hash)",
			"CREATE INDEX submission_files_created ON submission_files(created_at)",
			// Secrets every host sharing the database must agree on (the file-link key).
			"CREATE TABLE server_secrets ("
			" name TEXT PRIMARY KEY,"
			" value TEXT NOT NULL)",
		},
		{
			// Queues an operator paused: nothing is handed out or dispatched from them.
			"CREATE TABLE queue_controls ("
			" queue_name TEXT PRIMARY KEY,"
			" paused INTEGER NOT NULL,"
			" updated_at INTEGER NOT NULL)",
		},
		{
			// Roles (lms, grader, admin; legacy = the old server's everything on every queue)
			// and the queues granted to lms and grader accounts ('*' = all).
			"ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'legacy'",
			"CREATE TABLE user_grants ("
			" user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
			" queue_name TEXT NOT NULL,"
			" PRIMARY KEY (user_id, queue_name))",
		},
		{
			// The callback URL prefixes an LMS account may name (none: any callback).
			"CREATE TABLE user_callbacks ("
			" user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
			" prefix TEXT NOT NULL,"
			" PRIMARY KEY (user_id, prefix))",
		},
		{
			// The account that submitted (a newer submission supersedes only its own
			// account's older ones); NULL for rows from before.
			"ALTER TABLE submissions ADD COLUMN submitter_id INTEGER",
		},
		{
			// When an operator last resent a parked delivery: the retry horizon counts from
			// then, while created_at keeps when the result was first due.
			"ALTER TABLE deliveries ADD COLUMN resent_at INTEGER",
		},
	};
	return MIGRATIONS;
}


const std::vector<SchemaMigrations::Migration>& SchemaMigrations::mysql()
{
	// Same tables, columns and meanings as sqlite() (see the comments there). DDL commits
	// implicitly in MySQL, so every statement is re-runnable. Opaque strings are
	// MEDIUMBLOB (16 MiB, far above the request limits): Poco 1.11's MySQL extractor
	// crashes reading a LONGBLOB into a CLOB (it copies the column's declared length).
	static const std::string TABLE_OPTIONS = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
	static const std::vector<Migration> MIGRATIONS = {
		{
			"CREATE TABLE IF NOT EXISTS users ("
			" id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
			" username VARCHAR(150) NOT NULL UNIQUE,"
			" password_hash VARCHAR(255) NOT NULL,"
			" is_active TINYINT NOT NULL DEFAULT 1,"
			" created_at BIGINT NOT NULL,"
			" updated_at BIGINT NOT NULL)" + TABLE_OPTIONS,

			"CREATE TABLE IF NOT EXISTS sessions ("
			" token_hash CHAR(64) NOT NULL PRIMARY KEY,"
			" user_id BIGINT NOT NULL,"
			" created_at BIGINT NOT NULL,"
			" expires_at BIGINT NOT NULL,"
			" INDEX sessions_user (user_id),"
			" INDEX sessions_expiry (expires_at),"
			" FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE)" + TABLE_OPTIONS,

			"CREATE TABLE IF NOT EXISTS submissions ("
			" id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
			" queue_name VARCHAR(128) NOT NULL,"
			" state TINYINT NOT NULL,"
			" requester_id VARCHAR(128) NOT NULL,"
			" lms_callback_url MEDIUMBLOB NOT NULL,"
			" callback_key CHAR(64) NOT NULL,"
			" xqueue_header MEDIUMBLOB NOT NULL,"
			" xqueue_body MEDIUMBLOB NOT NULL,"
			" xqueue_files MEDIUMBLOB NOT NULL,"
			" arrival_time BIGINT NOT NULL,"
			" lease_key VARCHAR(64) NULL,"
			" lease_expires_at BIGINT NULL,"
			" lease_count INT NOT NULL DEFAULT 0,"
			" pull_time BIGINT NULL,"
			" grader_id VARCHAR(255) NOT NULL DEFAULT '',"
			" return_time BIGINT NULL,"
			" grader_reply MEDIUMBLOB NULL,"
			" lms_ack TINYINT NOT NULL DEFAULT 0,"
			" retire_reason TEXT NULL,"
			" INDEX submissions_queued (queue_name, state, id),"
			" INDEX submissions_leases (queue_name, state, lease_expires_at),"
			" INDEX submissions_callback (callback_key, queue_name, state))" + TABLE_OPTIONS,

			"CREATE TABLE IF NOT EXISTS queue_counters ("
			" queue_name VARCHAR(128) NOT NULL PRIMARY KEY,"
			" queued BIGINT NOT NULL)" + TABLE_OPTIONS,

			"CREATE TABLE IF NOT EXISTS deliveries ("
			" id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
			" submission_id BIGINT NOT NULL,"
			" kind TINYINT NOT NULL,"
			" body MEDIUMBLOB NOT NULL,"
			" state TINYINT NOT NULL,"
			" attempts INT NOT NULL DEFAULT 0,"
			" created_at BIGINT NOT NULL,"
			" next_attempt_at BIGINT NOT NULL,"
			" lease_key VARCHAR(64) NULL,"
			" last_error TEXT NULL,"
			" delivered_at BIGINT NULL,"
			" INDEX deliveries_due (state, next_attempt_at),"
			" INDEX deliveries_submission (submission_id),"
			" FOREIGN KEY (submission_id) REFERENCES submissions(id) ON DELETE CASCADE)" + TABLE_OPTIONS,
		},
		{
			"ALTER TABLE deliveries ADD COLUMN lease_owner VARCHAR(255) NULL",
		},
		{
			// One statement, so that a re-run finds it done (1060) or not done at all.
			"ALTER TABLE queue_counters ADD COLUMN shard TINYINT NOT NULL DEFAULT 0 AFTER queue_name,"
			" DROP PRIMARY KEY, ADD PRIMARY KEY (queue_name, shard)",
		},
		{
			"CREATE TABLE IF NOT EXISTS file_contents ("
			" content_hash CHAR(64) NOT NULL PRIMARY KEY,"
			" size BIGINT NOT NULL,"
			" touched_at BIGINT NOT NULL,"
			" INDEX file_contents_touched (touched_at))" + TABLE_OPTIONS,
			"CREATE TABLE IF NOT EXISTS file_chunks ("
			" content_hash CHAR(64) NOT NULL,"
			" seq INT NOT NULL,"
			" data BLOB NOT NULL,"
			" PRIMARY KEY (content_hash, seq))" + TABLE_OPTIONS,
			"CREATE TABLE IF NOT EXISTS submission_files ("
			" file_key CHAR(32) NOT NULL PRIMARY KEY,"
			" submission_id BIGINT NOT NULL,"
			" position INT NOT NULL,"
			" field_name BLOB NOT NULL,"
			" content_hash CHAR(64) NOT NULL,"
			" size BIGINT NOT NULL,"
			" created_at BIGINT NOT NULL,"
			" INDEX submission_files_submission (submission_id),"
			" INDEX submission_files_content (content_hash),"
			" INDEX submission_files_created (created_at),"
			" FOREIGN KEY (submission_id) REFERENCES submissions(id) ON DELETE CASCADE)" + TABLE_OPTIONS,
			"CREATE TABLE IF NOT EXISTS server_secrets ("
			" name VARCHAR(64) NOT NULL PRIMARY KEY,"
			" value VARCHAR(255) NOT NULL)" + TABLE_OPTIONS,
		},
		{
			"CREATE TABLE IF NOT EXISTS queue_controls ("
			" queue_name VARCHAR(128) NOT NULL PRIMARY KEY,"
			" paused TINYINT NOT NULL,"
			" updated_at BIGINT NOT NULL)" + TABLE_OPTIONS,
		},
		{
			"ALTER TABLE users ADD COLUMN role VARCHAR(16) NOT NULL DEFAULT 'legacy'",
			"CREATE TABLE IF NOT EXISTS user_grants ("
			" user_id BIGINT NOT NULL,"
			" queue_name VARCHAR(128) NOT NULL,"
			" PRIMARY KEY (user_id, queue_name),"
			" FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE)" + TABLE_OPTIONS,
		},
		{
			"CREATE TABLE IF NOT EXISTS user_callbacks ("
			" user_id BIGINT NOT NULL,"
			" prefix VARCHAR(700) NOT NULL,"
			" PRIMARY KEY (user_id, prefix),"
			" FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE)" + TABLE_OPTIONS,
		},
		{
			"ALTER TABLE submissions ADD COLUMN IF NOT EXISTS submitter_id BIGINT NULL",
		},
		{
			"ALTER TABLE deliveries ADD COLUMN IF NOT EXISTS resent_at BIGINT NULL",
		},
	};
	return MIGRATIONS;
}


} // namespace XQueue

// SPDX-License-Identifier: Apache-2.0
//
// MySqlErrors.h
//
// What a MySQL/MariaDB error means for the store: retry it, drop the connection, or fail.
//


#ifndef XQueue_MySqlErrors_INCLUDED
#define XQueue_MySqlErrors_INCLUDED


#include <string>


namespace XQueue {


class MySqlErrors
{
public:
	static constexpr int DEADLOCK = 1213;
	static constexpr int LOCK_WAIT_TIMEOUT = 1205;

	static int code(const std::string& message);
		/// The server's error number: Poco 1.11 puts it only into the message text.

	static bool connectionLost(int code);
		/// 2006, 2013, 2055, 4031: the session is unusable.

	static bool lostDuringCommit(int code);
		/// A lost connection that leaves a COMMIT's outcome unknown (never retried).

	static bool retryable(int code);
		/// Deadlock, lock-wait timeout, or a lost connection.
};


} // namespace XQueue


#endif // XQueue_MySqlErrors_INCLUDED

// SPDX-License-Identifier: Apache-2.0
//
// UserStore.h
//
// Accounts (LMS and grader clients) and their login sessions.
//


#ifndef XQueue_UserStore_INCLUDED
#define XQueue_UserStore_INCLUDED


#include "store/SessionUser.h"
#include "store/UserAccess.h"
#include "store/Database.h"
#include "util/Clock.h"
#include <optional>
#include <string>
#include <vector>


namespace XQueue {


struct UserRecord
{
	Poco::Int64 id = 0;
	std::string username;
	std::string passwordHash;
	bool active = true;
	UserAccess access;
	std::vector<std::string> callbackPrefixes;
	Micros createdAt = 0;
	Micros updatedAt = 0;
};


class UserStore
{
public:
	explicit UserStore(Database& database);

	bool setPassword(const std::string& username, const std::string& passwordHash, bool active = true);
		/// Creates the user or replaces its hash. A change revokes all its sessions.
		/// Returns true if the user was created.

	void setAccess(const std::string& username, const UserAccess& access);
		/// Sets the user's role and replaces its granted queues. The user must exist.
		/// Sessions stay and see the change once read afresh (SessionCache: within seconds).

	void setActive(const std::string& username, bool active);
		/// Activates or deactivates the user, keeping its password; deactivating revokes
		/// its sessions. The user must exist.

	void setCallbackPrefixes(const std::string& username, const std::vector<std::string>& prefixes);
		/// Replaces the callback URL prefixes the user may name (empty: any). The user
		/// must exist; prefixes are stored as given (CallbackAllowList::normalize first).

	std::size_t countSubmittersWithoutCallbackPrefixes();
		/// Active lms and legacy accounts that may name any callback URL.

	std::size_t countWithRole(Role role);

	void upgradeHash(Poco::Int64 userId, const std::string& passwordHash);
		/// Replaces the hash of the same password (iteration upgrade); keeps sessions.

	bool remove(const std::string& username);
		/// Deletes the user and its sessions. Returns false if there was no such user.

	std::optional<UserRecord> find(const std::string& username);

	std::vector<UserRecord> list();

	std::vector<std::string> activeCallbackPrefixes();

	std::vector<std::string> passwordHashes();
		/// Every stored hash (the server sizes its dummy verification by the costliest).
		/// The callback prefixes of every active account (CallbackHosts).

	std::size_t count();

	void createSession(const std::string& tokenHash, Poco::Int64 userId, Micros now, Micros expiresAt);

	std::optional<SessionUser> sessionUser(const std::string& tokenHash, Micros now);
		/// The user of a live session of an active user, with its role, its granted queues
		/// (lms and grader accounts) and its callback prefixes (lms and legacy), or nothing.

	void removeSession(const std::string& tokenHash);

	std::size_t purgeExpiredSessions(Micros now);

private:
	Database& _database;
};


} // namespace XQueue


#endif // XQueue_UserStore_INCLUDED

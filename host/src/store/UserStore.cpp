// SPDX-License-Identifier: Apache-2.0
//
// UserStore.cpp
//


#include "store/UserStore.h"
#include <map>
#include <set>


using namespace Poco::Data::Keywords;


namespace XQueue {


namespace
{
	Role storedRole(const std::string& name, Poco::Int64 userId)
	{
		if (auto role = UserAccess::roleNamed(name)) return *role;
		// Only a hand-edited row can get here: no access is guessed for it.
		throw Poco::DataFormatException("user " + std::to_string(userId) + " has an unknown role '" + name + "'");
	}
}


UserStore::UserStore(Database& database):
	_database(database)
{
}


bool UserStore::setPassword(const std::string& username, const std::string& passwordHash, bool active)
{
	bool created = false;
	Micros stamp = Clock::now();
	int activeFlag = active ? 1 : 0;
	_database.transaction([&](Poco::Data::Session& s) {
		std::vector<Poco::Int64> ids;
		s << "SELECT id FROM users WHERE username = ?", useRef(username), into(ids), now;
		if (ids.empty())
		{
			s << "INSERT INTO users (username, password_hash, is_active, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
				useRef(username), useRef(passwordHash), use(activeFlag), use(stamp), use(stamp), now;
			created = true;
		}
		else
		{
			s << "UPDATE users SET password_hash = ?, is_active = ?, updated_at = ? WHERE id = ?",
				useRef(passwordHash), use(activeFlag), use(stamp), use(ids[0]), now;
			s << "DELETE FROM sessions WHERE user_id = ?", use(ids[0]), now;
		}
	});
	return created;
}


void UserStore::setActive(const std::string& username, bool active)
{
	Micros stamp = Clock::now();
	int activeFlag = active ? 1 : 0;
	_database.transaction([&](Poco::Data::Session& s) {
		std::vector<Poco::Int64> ids;
		s << "SELECT id FROM users WHERE username = ?", useRef(username), into(ids), now;
		if (ids.empty()) throw Poco::NotFoundException("no user named " + username);
		s << "UPDATE users SET is_active = ?, updated_at = ? WHERE id = ?", use(activeFlag), use(stamp), use(ids[0]), now;
		if (!active) s << "DELETE FROM sessions WHERE user_id = ?", use(ids[0]), now;
	});
}


void UserStore::setAccess(const std::string& username, const UserAccess& access)
{
	_database.transaction([&](Poco::Data::Session& s) {
		std::vector<Poco::Int64> ids;
		s << "SELECT id FROM users WHERE username = ?", useRef(username), into(ids), now;
		if (ids.empty()) throw Poco::NotFoundException("no user named " + username);
		std::string role = UserAccess::nameOf(access.role);
		s << "UPDATE users SET role = ? WHERE id = ?", useRef(role), use(ids[0]), now;
		s << "DELETE FROM user_grants WHERE user_id = ?", use(ids[0]), now;
		for (const auto& queue: access.queues)
		{
			s << "INSERT INTO user_grants (user_id, queue_name) VALUES (?, ?)", use(ids[0]), useRef(queue), now;
		}
	});
}


void UserStore::setCallbackPrefixes(const std::string& username, const std::vector<std::string>& prefixes)
{
	_database.transaction([&](Poco::Data::Session& s) {
		std::vector<Poco::Int64> ids;
		s << "SELECT id FROM users WHERE username = ?", useRef(username), into(ids), now;
		if (ids.empty()) throw Poco::NotFoundException("no user named " + username);
		s << "DELETE FROM user_callbacks WHERE user_id = ?", use(ids[0]), now;
		std::set<std::string> unique(prefixes.begin(), prefixes.end());
		for (const auto& prefix: unique)
		{
			s << "INSERT INTO user_callbacks (user_id, prefix) VALUES (?, ?)", use(ids[0]), useRef(prefix), now;
		}
	});
}


std::size_t UserStore::countSubmittersWithoutCallbackPrefixes()
{
	Poco::Int64 n = 0;
	_database.read([&](Poco::Data::Session& s) {
		s << "SELECT COUNT(*) FROM users WHERE is_active = 1 AND role IN ('lms', 'legacy')"
			" AND NOT EXISTS (SELECT 1 FROM user_callbacks c WHERE c.user_id = users.id)", into(n), now;
	});
	return static_cast<std::size_t>(n);
}


std::size_t UserStore::countWithRole(Role which)
{
	Poco::Int64 n = 0;
	std::string role = UserAccess::nameOf(which);
	_database.read([&](Poco::Data::Session& s) {
		s << "SELECT COUNT(*) FROM users WHERE role = ? AND is_active = 1", useRef(role), into(n), now;
	});
	return static_cast<std::size_t>(n);
}


void UserStore::upgradeHash(Poco::Int64 userId, const std::string& passwordHash)
{
	_database.transaction([&](Poco::Data::Session& s) {
		s << "UPDATE users SET password_hash = ? WHERE id = ?", useRef(passwordHash), use(userId), now;
	});
}


bool UserStore::remove(const std::string& username)
{
	bool removed = false;
	_database.transaction([&](Poco::Data::Session& s) {
		s << "DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE username = ?)", useRef(username), now;
		Poco::Data::Statement deletion(s);
		deletion << "DELETE FROM users WHERE username = ?", useRef(username);
		removed = deletion.execute() > 0;
	});
	return removed;
}


std::optional<UserRecord> UserStore::find(const std::string& username)
{
	std::vector<Poco::Int64> ids;
	std::vector<std::string> hashes;
	std::vector<int> actives;
	_database.read([&](Poco::Data::Session& s) {
		s << "SELECT id, password_hash, is_active FROM users WHERE username = ?",
			useRef(username), into(ids), into(hashes), into(actives), now;
	});
	if (ids.empty()) return std::nullopt;
	UserRecord user;
	user.id = ids[0];
	user.username = username;
	user.passwordHash = hashes[0];
	user.active = actives[0] != 0;
	return user;
}


std::vector<std::string> UserStore::activeCallbackPrefixes()
{
	std::vector<std::string> prefixes;
	_database.read([&](Poco::Data::Session& s) {
		s << "SELECT c.prefix FROM user_callbacks c JOIN users u ON u.id = c.user_id WHERE u.is_active = 1",
			into(prefixes), now;
	});
	return prefixes;
}


std::vector<std::string> UserStore::passwordHashes()
{
	std::vector<std::string> hashes;
	_database.read([&](Poco::Data::Session& s) {
		s << "SELECT password_hash FROM users", into(hashes), now;
	});
	return hashes;
}


std::vector<UserRecord> UserStore::list()
{
	std::vector<Poco::Int64> ids;
	std::vector<std::string> names;
	std::vector<int> actives;
	std::vector<std::string> roles;
	std::vector<Poco::Int64> grantUsers;
	std::vector<std::string> grantQueues;
	std::vector<Poco::Int64> callbackUsers;
	std::vector<std::string> callbackPrefixes;
	std::vector<Poco::Int64> created;
	std::vector<Poco::Int64> updated;
	_database.read([&](Poco::Data::Session& s) {
		s << "SELECT id, username, is_active, role, created_at, updated_at FROM users ORDER BY username",
			into(ids), into(names), into(actives), into(roles), into(created), into(updated), now;
		s << "SELECT user_id, queue_name FROM user_grants", into(grantUsers), into(grantQueues), now;
		s << "SELECT user_id, prefix FROM user_callbacks ORDER BY prefix", into(callbackUsers), into(callbackPrefixes), now;
	});
	std::map<Poco::Int64, std::vector<std::string>> callbacks;
	for (std::size_t i = 0; i < callbackUsers.size(); ++i) callbacks[callbackUsers[i]].push_back(callbackPrefixes[i]);
	std::map<Poco::Int64, std::set<std::string>> grants;
	for (std::size_t i = 0; i < grantUsers.size(); ++i) grants[grantUsers[i]].insert(grantQueues[i]);
	std::vector<UserRecord> users;
	for (std::size_t i = 0; i < ids.size(); ++i)
	{
		UserRecord user;
		user.id = ids[i];
		user.username = names[i];
		user.active = actives[i] != 0;
		user.access.role = storedRole(roles[i], ids[i]);
		user.access.queues = grants[ids[i]];
		user.callbackPrefixes = callbacks[ids[i]];
		user.createdAt = created[i];
		user.updatedAt = updated[i];
		users.push_back(user);
	}
	return users;
}


std::size_t UserStore::count()
{
	int n = 0;
	_database.read([&](Poco::Data::Session& s) {
		s << "SELECT COUNT(*) FROM users", into(n), now;
	});
	return static_cast<std::size_t>(n);
}


void UserStore::createSession(const std::string& tokenHash, Poco::Int64 userId, Micros createdAt, Micros expiresAt)
{
	_database.transaction([&](Poco::Data::Session& s) {
		s << "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
			useRef(tokenHash), use(userId), use(createdAt), use(expiresAt), now;
	});
}


std::optional<SessionUser> UserStore::sessionUser(const std::string& tokenHash, Micros at)
{
	std::optional<SessionUser> user;
	_database.read([&](Poco::Data::Session& s) {
		user.reset();
		std::vector<Poco::Int64> ids;
		std::vector<std::string> roles;
		std::vector<std::string> names;
		std::vector<Micros> ends;
		s << "SELECT s.user_id, u.role, u.username, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id"
			" WHERE s.token_hash = ? AND s.expires_at > ? AND u.is_active = 1",
			useRef(tokenHash), use(at), into(ids), into(roles), into(names), into(ends), now;
		if (ids.empty()) return;
		user = SessionUser{ids[0], UserAccess{storedRole(roles[0], ids[0]), {}}, {}, names[0], ends[0]};
		const bool hasGrants = user->access.usesGrants();
		const bool submits = user->access.submits();
		if (!hasGrants && !submits) return;
		// Every request passes here: grants and callback prefixes come in one statement,
		// and only for the roles that use them.
		std::vector<std::string> kinds;
		std::vector<std::string> values;
		s << "SELECT 'queue', queue_name FROM user_grants WHERE user_id = ?"
			" UNION ALL SELECT 'callback', prefix FROM user_callbacks WHERE user_id = ?",
			use(ids[0]), use(ids[0]), into(kinds), into(values), now;
		for (std::size_t i = 0; i < kinds.size(); ++i)
		{
			if (kinds[i] == "queue" && hasGrants) user->access.queues.insert(values[i]);
			else if (kinds[i] == "callback" && submits) user->callbackPrefixes.push_back(values[i]);
		}
	});
	return user;
}


void UserStore::removeSession(const std::string& tokenHash)
{
	_database.transaction([&](Poco::Data::Session& s) {
		s << "DELETE FROM sessions WHERE token_hash = ?", useRef(tokenHash), now;
	});
}


std::size_t UserStore::purgeExpiredSessions(Micros at)
{
	std::size_t removed = 0;
	_database.transaction([&](Poco::Data::Session& s) {
		Poco::Data::Statement deletion(s);
		deletion << "DELETE FROM sessions WHERE expires_at <= ?", use(at);
		removed = deletion.execute();
	});
	return removed;
}


} // namespace XQueue

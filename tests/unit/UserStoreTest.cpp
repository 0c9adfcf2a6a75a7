// SPDX-License-Identifier: Apache-2.0
//
// UserStoreTest.cpp
//


#include "StoreFixture.h"
#include "auth/PasswordHasher.h"
#include "auth/SessionManager.h"
#include "store/UserStore.h"
#include "util/Digest.h"
#include <algorithm>
#include <chrono>
#include <thread>


using namespace XQueue;


namespace {


using UserStoreTest = XQueueTest::StoreFixture;


struct LmsAccount
	/// The account "lms" with the password "pw", and what a SessionManager needs beside it.
{
	explicit LmsAccount(Database& database):
		users(database),
		hasher(1000),
		verified(0)
	{
		users.setPassword("lms", hasher.hash("pw"));
	}

	UserStore users;
	PasswordHasher hasher;
	XQueue::VerifiedCredentials verified;
};


TEST_F(UserStoreTest, CreateUpdateListRemove)
{
	UserStore users(database());
	EXPECT_TRUE(users.setPassword("lms", "h1"));
	EXPECT_FALSE(users.setPassword("lms", "h2"));
	EXPECT_TRUE(users.setPassword("grader", "h3", false));
	auto all = users.list();
	ASSERT_EQ(all.size(), 2u);
	EXPECT_EQ(all[0].username, "grader");
	EXPECT_FALSE(all[0].active);
	EXPECT_EQ(users.find("lms")->passwordHash, "h2");
	EXPECT_TRUE(users.remove("lms"));
	EXPECT_FALSE(users.remove("lms"));
	EXPECT_FALSE(users.find("lms"));
}


TEST_F(UserStoreTest, SessionsLiveUntilLogoutExpiryOrPasswordChange)
{
	LmsAccount account(database());
	SessionManager sessions(account.users, account.hasher, account.verified, 3600);

	EXPECT_FALSE(sessions.login("lms", "wrong"));
	EXPECT_FALSE(sessions.login("nobody", "pw"));
	auto session = sessions.login("lms", "pw");
	ASSERT_TRUE(session);
	EXPECT_EQ(session->token.size(), 32u);
	EXPECT_TRUE(sessions.authenticate(session->token));
	EXPECT_FALSE(sessions.authenticate(session->token + "x"));

	auto second = sessions.login("lms", "pw");
	ASSERT_TRUE(second);
	sessions.logout(second->token);
	EXPECT_FALSE(sessions.authenticate(second->token));
	EXPECT_TRUE(sessions.authenticate(session->token)) << "logout ends only its own session";

	account.users.setPassword("lms", account.hasher.hash("new"));
	EXPECT_FALSE(sessions.authenticate(session->token)) << "a password change revokes sessions";

	auto third = sessions.login("lms", "new");
	ASSERT_TRUE(third);
	account.users.setPassword("lms", account.users.find("lms")->passwordHash, false);
	EXPECT_FALSE(sessions.login("lms", "new")) << "inactive users cannot log in";
}


TEST_F(UserStoreTest, ASessionIsRememberedForTheCacheLifetimeAndALogoutHereEndsItAtOnce)
{
	LmsAccount account(database());
	const Micros cacheLifetime = 300 * 1000;
	SessionManager sessions(account.users, account.hasher, account.verified, 3600, cacheLifetime);
	SessionManager uncached(account.users, account.hasher, account.verified, 3600, 0);

	auto session = sessions.login("lms", "pw");
	ASSERT_TRUE(session);
	ASSERT_TRUE(sessions.authenticate(session->token));
	// Another host's logout (or xqueue-admin's revocation) removes the row; this host
	// still knows the session until the cache lifetime has passed since it read it.
	account.users.removeSession(Digest::sha256Hex(session->token));
	EXPECT_TRUE(sessions.authenticate(session->token)) << "remembered";
	EXPECT_FALSE(uncached.authenticate(session->token)) << "0: every request reads the store";
	std::this_thread::sleep_for(std::chrono::microseconds(cacheLifetime + 50 * 1000));
	EXPECT_FALSE(sessions.authenticate(session->token)) << "read again once the lifetime passed";

	auto second = sessions.login("lms", "pw");
	ASSERT_TRUE(second);
	ASSERT_TRUE(sessions.authenticate(second->token));
	sessions.logout(second->token);
	EXPECT_FALSE(sessions.authenticate(second->token)) << "a logout through this host ends the session at once";
}


TEST_F(UserStoreTest, ASessionIsNeverRememberedPastItsOwnEnd)
{
	LmsAccount account(database());
	SessionManager sessions(account.users, account.hasher, account.verified, 1, 60 * MICROS_PER_SECOND);
	auto session = sessions.login("lms", "pw");
	ASSERT_TRUE(session);
	ASSERT_TRUE(sessions.authenticate(session->token));
	std::this_thread::sleep_for(std::chrono::milliseconds(1100));
	EXPECT_FALSE(sessions.authenticate(session->token)) << "a one-second session, though the cache keeps a minute";
}


TEST_F(UserStoreTest, TokensAreStoredHashed)
{
	LmsAccount account(database());
	SessionManager sessions(account.users, account.hasher, account.verified, 3600);
	auto session = sessions.login("lms", "pw");
	Poco::Data::Session s = database().session();
	std::string stored;
	s << "SELECT token_hash FROM sessions", Poco::Data::Keywords::into(stored), Poco::Data::Keywords::now;
	EXPECT_NE(stored, session->token);
	EXPECT_EQ(stored.size(), 64u);
}


TEST_F(UserStoreTest, ExpiredSessionsAreRejectedAndPurged)
{
	UserStore users(database());
	users.setPassword("lms", "h");
	auto id = users.find("lms")->id;
	users.createSession("old", id, 0, 1000);
	users.createSession("new", id, 0, Clock::now() + MICROS_PER_SECOND * 60);
	EXPECT_FALSE(users.sessionUser("old", Clock::now()));
	EXPECT_TRUE(users.sessionUser("new", Clock::now()));
	EXPECT_EQ(users.purgeExpiredSessions(Clock::now()), 1u);
}


TEST_F(UserStoreTest, ASessionCarriesTheGrantsAndCallbackPrefixesItsRoleUses)
{
	UserStore users(database());
	auto sessionOf = [&](const std::string& name, XQueue::Role role) {
		users.setPassword(name, "h");
		users.setAccess(name, UserAccess{role, {"q1", "q2"}});
		users.setCallbackPrefixes(name, {"https://lms.example.com/a/", "https://lms.example.com/b/"});
		users.createSession("token-" + name, users.find(name)->id, 0, Clock::now() + MICROS_PER_SECOND * 60);
		auto user = users.sessionUser("token-" + name, Clock::now());
		EXPECT_TRUE(user) << name;
		return user.value_or(SessionUser{});
	};
	using Prefixes = std::vector<std::string>;
	using Queues = std::set<std::string>;
	SessionUser lms = sessionOf("lms", XQueue::Role::LMS);
	EXPECT_EQ(lms.access.role, XQueue::Role::LMS);
	EXPECT_EQ(lms.access.queues, (Queues{"q1", "q2"}));
	Prefixes both{"https://lms.example.com/a/", "https://lms.example.com/b/"};
	std::sort(lms.callbackPrefixes.begin(), lms.callbackPrefixes.end());
	EXPECT_EQ(lms.callbackPrefixes, both);
	SessionUser legacy = sessionOf("legacy", XQueue::Role::LEGACY);
	EXPECT_TRUE(legacy.access.queues.empty()) << "legacy accounts have every queue, not grants";
	EXPECT_EQ(legacy.callbackPrefixes.size(), 2u);
	SessionUser grader = sessionOf("grader", XQueue::Role::GRADER);
	EXPECT_EQ(grader.access.queues, (Queues{"q1", "q2"}));
	EXPECT_TRUE(grader.callbackPrefixes.empty()) << "a grader names no callbacks";
	SessionUser admin = sessionOf("admin", XQueue::Role::ADMIN);
	EXPECT_TRUE(admin.access.queues.empty());
	EXPECT_TRUE(admin.callbackPrefixes.empty());

	users.setCallbackPrefixes("lms", {});
	EXPECT_TRUE(users.sessionUser("token-lms", Clock::now())->callbackPrefixes.empty()) << "read afresh on each request";
}


TEST_F(UserStoreTest, LoginUpgradesOldIterationCounts)
{
	UserStore users(database());
	users.setPassword("lms", PasswordHasher(1000).hash("pw"));
	PasswordHasher stronger(1500);
	XQueue::VerifiedCredentials verified(0);
	SessionManager sessions(users, stronger, verified, 3600);
	ASSERT_TRUE(sessions.login("lms", "pw"));
	EXPECT_EQ(users.find("lms")->passwordHash.rfind("pbkdf2_sha256$1500$", 0), 0u);
	EXPECT_TRUE(sessions.login("lms", "pw"));
}


} // namespace

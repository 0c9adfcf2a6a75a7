// SPDX-License-Identifier: Apache-2.0
//
// VerifiedCredentialsTest.cpp
//


#include "StoreFixture.h"
#include "auth/PasswordHasher.h"
#include "auth/SessionManager.h"
#include "auth/VerifiedCredentials.h"


using namespace XQueue;


namespace {


constexpr Micros SECOND = MICROS_PER_SECOND;
const Micros T0 = 1800000000LL * SECOND;


TEST(VerifiedCredentialsTest, RemembersAPairForItsLifetimeOnly)
{
	VerifiedCredentials verified(300 * SECOND);
	EXPECT_FALSE(verified.contains("lms", "hash1", "pw", T0));
	verified.remember("lms", "hash1", "pw", T0);
	EXPECT_TRUE(verified.contains("lms", "hash1", "pw", T0 + 299 * SECOND));
	EXPECT_FALSE(verified.contains("lms", "hash1", "pw", T0 + 300 * SECOND)) << "expired";
	EXPECT_FALSE(verified.contains("lms", "hash1", "pw", T0)) << "and forgotten";
}


TEST(VerifiedCredentialsTest, AnyDifferenceIsAMiss)
{
	VerifiedCredentials verified(300 * SECOND);
	verified.remember("lms", "hash1", "pw", T0);
	EXPECT_FALSE(verified.contains("lms", "hash1", "pW", T0));
	EXPECT_FALSE(verified.contains("lms", "hash2", "pw", T0)) << "the password changed: another stored hash";
	EXPECT_FALSE(verified.contains("lms2", "hash1", "pw", T0));
	// Fields are length-prefixed: moving bytes between them is not the same pair.
	verified.remember("ab", "c", "d", T0);
	EXPECT_FALSE(verified.contains("a", "bc", "d", T0));
	EXPECT_FALSE(verified.contains("ab", "", "cd", T0));
}


TEST(VerifiedCredentialsTest, ZeroLifetimeRemembersNothingAndMemoryIsBounded)
{
	VerifiedCredentials off(0);
	off.remember("lms", "h", "pw", T0);
	EXPECT_FALSE(off.contains("lms", "h", "pw", T0));
	VerifiedCredentials bounded(300 * SECOND);
	for (std::size_t i = 0; i < VerifiedCredentials::MAX_ENTRIES + 10; ++i) bounded.remember("u" + std::to_string(i), "h", "pw", T0);
	bounded.remember("last", "h", "pw", T0);
	EXPECT_TRUE(bounded.contains("last", "h", "pw", T0));
}


using VerifiedLoginTest = XQueueTest::StoreFixture;


TEST_F(VerifiedLoginTest, ASecondLoginSkipsThePbkdf2UntilThePasswordOrAccountChanges)
{
	// That the PBKDF2 is skipped is counted in xqueue_logins_total (RealLmsTest); here:
	// what is remembered never outlives a change of the account.
	UserStore users(database());
	PasswordHasher hasher(1000);
	users.setPassword("lms", hasher.hash("pw"));
	VerifiedCredentials verified(300 * SECOND);
	SessionManager sessions(users, hasher, verified, 3600);
	ASSERT_TRUE(sessions.login("lms", "pw"));
	ASSERT_TRUE(sessions.login("lms", "pw")) << "remembered";
	EXPECT_FALSE(sessions.login("lms", "wrong")) << "failures are never remembered";

	users.setPassword("lms", hasher.hash("new"));
	EXPECT_FALSE(sessions.login("lms", "pw")) << "a changed password applies at once";
	ASSERT_TRUE(sessions.login("lms", "new"));
	users.setPassword("lms", users.find("lms")->passwordHash, false);
	EXPECT_FALSE(sessions.login("lms", "new")) << "deactivation applies at once, remembered or not";
	users.remove("lms");
	EXPECT_FALSE(sessions.login("lms", "new"));
}


} // namespace

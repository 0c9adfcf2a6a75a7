// SPDX-License-Identifier: Apache-2.0
//
// PasswordHasherTest.cpp
//


#include "auth/PasswordHasher.h"
#include "Poco/Exception.h"
#include <gtest/gtest.h>


using XQueue::PasswordHasher;


namespace {


// Computed independently with Python: base64(hashlib.pbkdf2_hmac('sha256', b'lmspass',
// b'SWR9HU87ZT4RnyB9iydGn2', 1000)), i.e. what Django stores for that password.
const std::string DJANGO_HASH = "pbkdf2_sha256$1000$SWR9HU87ZT4RnyB9iydGn2$2BrQNZ1eV7OlwfkjBEaloOzpeYreEDmGcZynY3Tr6G0=";


TEST(PasswordHasherTest, VerifiesDjangoHashes)
{
	PasswordHasher hasher(1000);
	EXPECT_TRUE(hasher.verify("lmspass", DJANGO_HASH));
	EXPECT_FALSE(hasher.verify("lmspasS", DJANGO_HASH));
	EXPECT_FALSE(hasher.verify("", DJANGO_HASH));
}


TEST(PasswordHasherTest, NewHashesHaveDjangoFormat)
{
	PasswordHasher hasher(1200);
	std::string encoded = hasher.hash("secret");
	EXPECT_EQ(encoded.rfind("pbkdf2_sha256$1200$", 0), 0u);
	EXPECT_TRUE(PasswordHasher::isWellFormed(encoded));
	EXPECT_TRUE(hasher.verify("secret", encoded));
	EXPECT_FALSE(hasher.verify("Secret", encoded));
	EXPECT_NE(hasher.hash("secret"), encoded) << "salts must differ";
	// The shape the import commands accept, and nothing else.
	for (const char* other: {"!unusable", "pbkdf2_sha1$1$s$aGFzaA==", "pbkdf2_sha256$x$s$aGFzaA==", "pbkdf2_sha256$1$s$not base64", "argon2$argon2id$v=19"})
		EXPECT_FALSE(PasswordHasher::isWellFormed(other)) << other;
}


TEST(PasswordHasherTest, MalformedAndUnusableHashesNeverVerify)
{
	PasswordHasher hasher(1000);
	EXPECT_FALSE(hasher.verify("x", ""));
	EXPECT_FALSE(hasher.verify("x", "!unusable"));
	EXPECT_FALSE(hasher.verify("x", "md5$$abc"));
	EXPECT_FALSE(hasher.verify("x", "pbkdf2_sha256$0$salt$hash"));
	EXPECT_FALSE(hasher.verify("x", "pbkdf2_sha256$abc$salt$hash"));
	EXPECT_FALSE(hasher.verify("x", "pbkdf2_sha256$1000$salt"));
}


TEST(PasswordHasherTest, OldIterationCountsNeedRehash)
{
	PasswordHasher hasher(2000);
	EXPECT_TRUE(hasher.needsRehash(DJANGO_HASH));
	EXPECT_FALSE(hasher.needsRehash(hasher.hash("x")));
	EXPECT_FALSE(PasswordHasher(1000).needsRehash(DJANGO_HASH));
	EXPECT_TRUE(PasswordHasher(500).needsRehash(DJANGO_HASH)) << "more iterations than configured: rehashed too, so that costs converge";
}


TEST(PasswordHasherTest, OverlongPasswordsAreRefused)
{
	PasswordHasher hasher(1000);
	std::string huge(PasswordHasher::MAX_PASSWORD_BYTES + 1, 'a');
	EXPECT_THROW(hasher.hash(huge), Poco::InvalidArgumentException);
	EXPECT_FALSE(hasher.verify(huge, DJANGO_HASH));
}


} // namespace

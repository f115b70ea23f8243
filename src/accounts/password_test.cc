// Unit tests for Argon2id hashing with the real libsodium and the shipped default parameters.
#include "accounts/password.h"

#include <gtest/gtest.h>

namespace salon::accounts {
namespace {

TEST(Password, HashVerifiesAndWrongPasswordFails) {
  auto hash = HashPassword("correct horse battery staple");
  ASSERT_TRUE(hash.ok()) << hash.error();
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << *hash;
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery staple"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse battery stapl"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse battery staple "));
  EXPECT_FALSE(VerifyPassword(*hash, ""));
}

TEST(Password, SaltMakesHashesDiffer) {
  auto a = HashPassword("same password");
  auto b = HashPassword("same password");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(VerifyPassword(*a, "same password"));
  EXPECT_TRUE(VerifyPassword(*b, "same password"));
}

TEST(Password, BytesAreTakenAsIs) {
  // No SASLprep: "é" precomposed (C3 A9) and decomposed (65 CC 81) are different passwords;
  // embedded NUL bytes count.
  auto hash = HashPassword("caf\xc3\xa9");
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(VerifyPassword(*hash, "caf\xc3\xa9"));
  EXPECT_FALSE(VerifyPassword(*hash, "cafe\xcc\x81"));
  auto with_nul = HashPassword(std::string_view("a\0b", 3));
  ASSERT_TRUE(with_nul.ok());
  EXPECT_TRUE(VerifyPassword(*with_nul, std::string_view("a\0b", 3)));
  EXPECT_FALSE(VerifyPassword(*with_nul, "a"));
}

TEST(Password, MalformedEncodedNeverVerifies) {
  auto hash = HashPassword("pw");
  ASSERT_TRUE(hash.ok());
  std::string truncated = hash->substr(0, hash->size() - 4);
  EXPECT_FALSE(VerifyPassword(truncated, "pw"));
  EXPECT_FALSE(VerifyPassword("", "pw"));
  EXPECT_FALSE(VerifyPassword("pw", "pw"));
  EXPECT_FALSE(VerifyPassword(std::string(500, '$'), "pw"));
}

TEST(Password, NeedsRehashWhenParametersChange) {
  PasswordHashParams light{.opslimit = 1, .memlimit = 64 * 1024};
  auto hash = HashPassword("pw", light);
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(VerifyPassword(*hash, "pw"));  // verification reads the parameters from the hash
  EXPECT_FALSE(NeedsRehash(*hash, light));
  EXPECT_TRUE(NeedsRehash(*hash));  // the defaults are stronger
  auto current = HashPassword("pw");
  ASSERT_TRUE(current.ok());
  EXPECT_FALSE(NeedsRehash(*current));
  EXPECT_TRUE(NeedsRehash("not a hash"));
}

TEST(Password, ParametersOutOfRangeAreErrors) {
  auto no_passes = HashPassword("pw", {.opslimit = 0, .memlimit = 19 * 1024 * 1024});
  ASSERT_FALSE(no_passes.ok());
  EXPECT_EQ(no_passes.error(), "argon2id opslimit out of range");
  auto no_memory = HashPassword("pw", {.opslimit = 2, .memlimit = 1024});
  ASSERT_FALSE(no_memory.ok());
  EXPECT_EQ(no_memory.error(), "argon2id memlimit out of range");
}

}  // namespace
}  // namespace salon::accounts

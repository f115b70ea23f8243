// Unit tests for SASL PLAIN message parsing (RFC 4616).
#include "accounts/sasl_plain.h"

#include <gtest/gtest.h>

#include <string>

namespace salon::accounts {
namespace {

using namespace std::string_literals;

TEST(SaslPlain, WithoutAuthzid) {
  auto plain = ParseSaslPlain("\0alice\0secret pw"s);
  ASSERT_TRUE(plain.ok()) << plain.error();
  EXPECT_EQ(plain->authzid, "");
  EXPECT_EQ(plain->authcid, "alice");
  EXPECT_EQ(plain->password, "secret pw");
}

TEST(SaslPlain, WithAuthzid) {
  auto plain = ParseSaslPlain("admin\0alice\0pw"s);
  ASSERT_TRUE(plain.ok()) << plain.error();
  EXPECT_EQ(plain->authzid, "admin");
  EXPECT_EQ(plain->authcid, "alice");
  EXPECT_EQ(plain->password, "pw");
}

TEST(SaslPlain, BytesAreKeptAsIs) {
  auto plain = ParseSaslPlain("\0j\xc3\xb6rg\0p\xc3\xa4ss=,word"s);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->authcid, "j\xc3\xb6rg");
  EXPECT_EQ(plain->password, "p\xc3\xa4ss=,word");
}

TEST(SaslPlain, WrongNulCount) {
  for (const std::string& message : {""s, "alice"s, "\0alice"s, "alice\0pw"s, "\0alice\0pw\0"s,
                                     "\0\0alice\0pw"s, "a\0b\0c\0d"s}) {
    auto plain = ParseSaslPlain(message);
    ASSERT_FALSE(plain.ok()) << message.size();
    EXPECT_EQ(plain.error(), "PLAIN message must have exactly two NUL separators");
  }
}

TEST(SaslPlain, EmptyFields) {
  EXPECT_EQ(ParseSaslPlain("\0\0pw"s).error(), "PLAIN authcid is empty");
  EXPECT_EQ(ParseSaslPlain("admin\0\0pw"s).error(), "PLAIN authcid is empty");
  EXPECT_EQ(ParseSaslPlain("\0alice\0"s).error(), "PLAIN password is empty");
}

TEST(SaslPlain, FieldLimits) {
  std::string id(kSaslPlainMaxIdentity, 'a');
  std::string pw(kSaslPlainMaxPassword, 'p');
  EXPECT_TRUE(ParseSaslPlain(id + '\0' + id + '\0' + pw).ok());  // at the limits
  EXPECT_EQ(ParseSaslPlain(id + "a" + '\0' + "alice" + '\0' + "pw").error(),
            "PLAIN authzid is too long");
  EXPECT_EQ(ParseSaslPlain("\0"s + id + "a" + '\0' + "pw").error(), "PLAIN authcid is too long");
  EXPECT_EQ(ParseSaslPlain("\0alice\0"s + pw + "p").error(), "PLAIN password is too long");
}

}  // namespace
}  // namespace salon::accounts

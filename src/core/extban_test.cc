#include "core/extban.h"

#include <gtest/gtest.h>

namespace salon::core {
namespace {

std::string Normalize(char list, std::string_view mask) {
  std::string error;
  std::string out = NormalizeListMask(list, mask, &error);
  return out.empty() ? "error: " + error : out;
}

TEST(Extban, NormalizeCompletesPlainMasksAndKeepsPrefixes) {
  EXPECT_EQ(Normalize('b', "bob"), "bob!*@*");
  EXPECT_EQ(Normalize('b', "m:bar"), "m:bar!*@*");
  EXPECT_EQ(Normalize('b', "m:bar!*@*"), "m:bar!*@*");
  EXPECT_EQ(Normalize('e', "m:*!*evan@*"), "m:*!*evan@*");
  EXPECT_EQ(Normalize('b', "a:bob"), "a:bob");
  EXPECT_EQ(Normalize('I', "a:bo*"), "a:bo*");
  EXPECT_EQ(Normalize('b', "m:a:bob"), "m:a:bob");
  // An IPv6 address that starts like "a:" is a host, not an account.
  EXPECT_EQ(Normalize('b', "a:b::1"), "*!*@a:b::1");
}

TEST(Extban, NormalizeRefusesWhatCannotMatch) {
  EXPECT_EQ(Normalize('b', "z:foo").rfind("error: Unknown extban", 0), 0u);
  EXPECT_EQ(Normalize('b', "a:").rfind("error: a: needs", 0), 0u);
  EXPECT_EQ(Normalize('b', "a:bob@host").rfind("error: a: needs", 0), 0u);
  EXPECT_EQ(Normalize('b', "m:").rfind("error: Empty", 0), 0u);
  EXPECT_EQ(Normalize('I', "m:bob").rfind("error: Mutes", 0), 0u);
  EXPECT_EQ(Normalize('b', "m:m:bob").rfind("error: Unknown", 0), 0u);
}

TEST(Extban, MatchingSeparatesMutesFromBans) {
  const std::string_view host = "bob!~b@a1b2.salon", ip = "bob!~b@127.0.0.1";
  EXPECT_TRUE(ListMaskMatches("bob!*@*", false, "", host, ip));
  EXPECT_FALSE(ListMaskMatches("bob!*@*", true, "", host, ip));
  EXPECT_TRUE(ListMaskMatches("m:BOB!*@*", true, "", host, ip)) << "casemapping applies";
  EXPECT_FALSE(ListMaskMatches("m:bob!*@*", false, "", host, ip));
  EXPECT_TRUE(ListMaskMatches("*!*@127.0.0.*", false, "", host, ip)) << "the real address";
}

TEST(Extban, AccountMasksMatchAccountsOnly) {
  const std::string_view host = "bob!~b@a1b2.salon", ip = "bob!~b@127.0.0.1";
  EXPECT_FALSE(ListMaskMatches("a:bob", false, "", host, ip)) << "a guest named bob";
  EXPECT_TRUE(ListMaskMatches("a:bob", false, "Bob", host, ip));
  EXPECT_TRUE(ListMaskMatches("a:b*", false, "bob", host, ip));
  EXPECT_FALSE(ListMaskMatches("a:alice", false, "bob", host, ip));
  EXPECT_TRUE(ListMaskMatches("m:a:bob", true, "bob", host, ip));
  EXPECT_FALSE(ListMaskMatches("m:a:bob", false, "bob", host, ip));
}

}  // namespace
}  // namespace salon::core

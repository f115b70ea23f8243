// Tests for the small registries split out of Server: nick ownership (core/user_registry.h) and
// per-IP connection counts (core/connection_counts.h). Clients are only used as identities.
#include <gtest/gtest.h>

#include "core/connection_counts.h"
#include "core/user_registry.h"

namespace salon::core {
namespace {

// The registry never dereferences a Client*, so distinct addresses stand for distinct clients.
Client* Fake(int n) { return reinterpret_cast<Client*>(static_cast<uintptr_t>(0x1000 * n)); }

TEST(UserRegistry, ClaimIsExclusiveAndCaseInsensitive) {
  UserRegistry users;
  EXPECT_TRUE(users.Claim("Alice", *Fake(1)));
  EXPECT_TRUE(users.Claim("alice", *Fake(1)));  // already its own
  EXPECT_FALSE(users.Claim("ALICE", *Fake(2)));
  EXPECT_EQ(users.Find("aLiCe"), Fake(1));
  EXPECT_EQ(users.Find("bob"), nullptr);
  EXPECT_EQ(users.size(), 1u);
}

TEST(UserRegistry, ReleaseOnlyByTheHolder) {
  UserRegistry users;
  ASSERT_TRUE(users.Claim("alice", *Fake(1)));
  users.Release("alice", *Fake(2));
  EXPECT_EQ(users.Find("alice"), Fake(1));
  users.Release("ALICE", *Fake(1));
  EXPECT_EQ(users.Find("alice"), nullptr);
  EXPECT_EQ(users.size(), 0u);
}

TEST(UserRegistry, RenameMovesOwnershipUnlessTaken) {
  UserRegistry users;
  ASSERT_TRUE(users.Claim("alice", *Fake(1)));
  ASSERT_TRUE(users.Claim("bob", *Fake(2)));
  EXPECT_FALSE(users.Rename("alice", "BOB", *Fake(1)));
  EXPECT_EQ(users.Find("alice"), Fake(1));
  EXPECT_EQ(users.Find("bob"), Fake(2));
  EXPECT_TRUE(users.Rename("alice", "carol", *Fake(1)));
  EXPECT_EQ(users.Find("alice"), nullptr);
  EXPECT_EQ(users.Find("carol"), Fake(1));
  EXPECT_TRUE(users.Rename("carol", "Carol", *Fake(1)));  // case only
  EXPECT_EQ(users.Find("CAROL"), Fake(1));
  EXPECT_EQ(users.size(), 2u);
}

TEST(ConnectionCounts, LimitPerAddressAndRelease) {
  ConnectionCounts counts;
  EXPECT_TRUE(counts.TryAdd("192.0.2.1", 2));
  EXPECT_TRUE(counts.TryAdd("192.0.2.1", 2));
  EXPECT_FALSE(counts.TryAdd("192.0.2.1", 2));
  EXPECT_TRUE(counts.TryAdd("192.0.2.2", 2));
  EXPECT_EQ(counts.Count("192.0.2.1"), 2u);
  counts.Remove("192.0.2.1");
  EXPECT_EQ(counts.Count("192.0.2.1"), 1u);
  EXPECT_TRUE(counts.TryAdd("192.0.2.1", 2));
  EXPECT_TRUE(counts.TryAdd("192.0.2.1", 0));  // 0 = unlimited
  EXPECT_EQ(counts.Count("192.0.2.1"), 3u);
  counts.Remove("192.0.2.9");  // never counted: no effect
  EXPECT_EQ(counts.Count("192.0.2.9"), 0u);
}

}  // namespace
}  // namespace salon::core

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
  const WaveLimits two{2, 0, 0, 0};
  auto add = [&](const char* ip, const WaveLimits& limits) {
    return counts.TryAdd(ip, 1000, limits) == WaveRefusal::kNone;
  };
  EXPECT_TRUE(add("192.0.2.1", two));
  EXPECT_TRUE(add("192.0.2.1", two));
  EXPECT_EQ(counts.TryAdd("192.0.2.1", 1000, two), WaveRefusal::kIp);
  EXPECT_TRUE(add("192.0.2.2", two));
  EXPECT_EQ(counts.Count("192.0.2.1"), 2u);
  counts.Remove("192.0.2.1");
  EXPECT_EQ(counts.Count("192.0.2.1"), 1u);
  EXPECT_TRUE(add("192.0.2.1", two));
  EXPECT_TRUE(add("192.0.2.1", WaveLimits{}));  // 0 = unlimited
  EXPECT_EQ(counts.Count("192.0.2.1"), 3u);
  counts.Remove("192.0.2.9");  // never counted: no effect
  EXPECT_EQ(counts.Count("192.0.2.9"), 0u);
}

TEST(ConnectionCounts, PrefixesAndRates) {
  EXPECT_EQ(ConnectionCounts::PrefixOf("192.0.2.77"), "192.0.2.0/24");
  EXPECT_EQ(ConnectionCounts::PrefixOf("::ffff:192.0.2.77"), "192.0.2.0/24");
  EXPECT_EQ(ConnectionCounts::PrefixOf("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
  EXPECT_EQ(ConnectionCounts::PrefixOf("not an address"), "not an address");

  ConnectionCounts counts;
  const WaveLimits prefix{0, 2, 0, 0};
  EXPECT_EQ(counts.TryAdd("192.0.2.1", 0, prefix), WaveRefusal::kNone);
  EXPECT_EQ(counts.TryAdd("192.0.2.2", 0, prefix), WaveRefusal::kNone);
  EXPECT_EQ(counts.TryAdd("192.0.2.3", 0, prefix), WaveRefusal::kPrefix);
  EXPECT_EQ(counts.TryAdd("192.0.3.1", 0, prefix), WaveRefusal::kNone);  // another /24
  counts.Remove("192.0.2.2");
  EXPECT_EQ(counts.TryAdd("192.0.2.3", 0, prefix), WaveRefusal::kNone);

  ConnectionCounts rates;
  const WaveLimits per_minute{0, 0, 2, 3};
  EXPECT_EQ(rates.TryAdd("198.51.100.1", 0, per_minute), WaveRefusal::kNone);
  rates.Remove("198.51.100.1");  // closing does not give the rate back
  EXPECT_EQ(rates.TryAdd("198.51.100.1", 10, per_minute), WaveRefusal::kNone);
  EXPECT_EQ(rates.TryAdd("198.51.100.1", 20, per_minute), WaveRefusal::kIpRate);
  EXPECT_EQ(rates.TryAdd("198.51.100.2", 30, per_minute), WaveRefusal::kNone);
  EXPECT_EQ(rates.TryAdd("198.51.100.3", 40, per_minute), WaveRefusal::kPrefixRate);
  // A minute after the first ones, room again.
  EXPECT_EQ(rates.TryAdd("198.51.100.3", 60'011, per_minute), WaveRefusal::kNone);
}

}  // namespace
}  // namespace salon::core

#include "moderation/cidr.h"

#include <gtest/gtest.h>

namespace salon::moderation {
namespace {

TEST(Cidr, ParsesIpv4RangesAndSingleAddresses) {
  auto range = CidrRange::Parse("192.0.2.7/24");
  ASSERT_TRUE(range.has_value());
  EXPECT_TRUE(range->v4());
  EXPECT_EQ(range->ToString(), "192.0.2.0/24");
  EXPECT_TRUE(range->Contains("192.0.2.0"));
  EXPECT_TRUE(range->Contains("192.0.2.255"));
  EXPECT_FALSE(range->Contains("192.0.3.1"));
  EXPECT_FALSE(range->Contains("not an address"));

  auto single = CidrRange::Parse("127.0.0.2");
  ASSERT_TRUE(single.has_value());
  EXPECT_EQ(single->ToString(), "127.0.0.2/32");
  EXPECT_TRUE(single->Contains("127.0.0.2"));
  EXPECT_FALSE(single->Contains("127.0.0.1"));

  auto odd = CidrRange::Parse("10.1.2.3/13");
  ASSERT_TRUE(odd.has_value());
  EXPECT_EQ(odd->ToString(), "10.0.0.0/13");
  EXPECT_TRUE(odd->Contains("10.7.255.1"));
  EXPECT_FALSE(odd->Contains("10.8.0.0"));

  auto everything = CidrRange::Parse("0.0.0.0/0");
  ASSERT_TRUE(everything.has_value());
  EXPECT_TRUE(everything->Contains("203.0.113.9"));
  EXPECT_FALSE(everything->Contains("2001:db8::1"));
}

TEST(Cidr, ParsesIpv6Ranges) {
  auto range = CidrRange::Parse("2001:DB8:abcd::1/48");
  ASSERT_TRUE(range.has_value());
  EXPECT_FALSE(range->v4());
  EXPECT_EQ(range->ToString(), "2001:db8:abcd::/48");
  EXPECT_TRUE(range->Contains("2001:db8:abcd:ffff::2"));
  EXPECT_FALSE(range->Contains("2001:db8:abce::1"));
  EXPECT_FALSE(range->Contains("192.0.2.1"));

  auto slash64 = CidrRange::Parse("2001:db8:1:2:3:4:5:6/64");
  ASSERT_TRUE(slash64.has_value());
  EXPECT_EQ(slash64->ToString(), "2001:db8:1:2::/64");
  EXPECT_TRUE(slash64->Contains("2001:db8:1:2:ffff:ffff:ffff:ffff"));
  EXPECT_FALSE(slash64->Contains("2001:db8:1:3::"));

  auto bits = CidrRange::Parse("2001:db8::/33");
  ASSERT_TRUE(bits.has_value());
  EXPECT_TRUE(bits->Contains("2001:db8:7fff::1"));
  EXPECT_FALSE(bits->Contains("2001:db8:8000::1"));

  auto single = CidrRange::Parse("::1");
  ASSERT_TRUE(single.has_value());
  EXPECT_EQ(single->ToString(), "::1/128");
  EXPECT_TRUE(single->Contains("0:0:0:0:0:0:0:1"));
}

TEST(Cidr, MappedIpv4MatchesIpv4Ranges) {
  auto range = CidrRange::Parse("192.0.2.0/24");
  ASSERT_TRUE(range.has_value());
  EXPECT_TRUE(range->Contains("::ffff:192.0.2.9"));
  auto mapped = CidrRange::Parse("::ffff:192.0.2.0/120");
  ASSERT_TRUE(mapped.has_value());
  EXPECT_TRUE(mapped->v4());
  EXPECT_EQ(mapped->ToString(), "192.0.2.0/24");
}

TEST(Cidr, RejectsWhatIsNotARange) {
  for (const char* text :
       {"", "/24", "192.0.2.0/", "192.0.2.0/33", "192.0.2.0/-1", "192.0.2/24", "2001:db8::/129",
        "2001:db8::/6x", "alice", "*!*@host", "1.2.3.4/24/8", "192.0.2.0 /24"}) {
    EXPECT_FALSE(CidrRange::Parse(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace salon::moderation

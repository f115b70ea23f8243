#include "moderation/sanction_list.h"

#include <gtest/gtest.h>

namespace salon::moderation {
namespace {

Sanction Make(std::string ref, SanctionKind kind, TargetKind target_kind, std::string target,
              std::string scope = "*") {
  Sanction s;
  s.ref = std::move(ref);
  s.kind = kind;
  s.target_kind = target_kind;
  s.target = std::move(target);
  s.scope = std::move(scope);
  return s;
}

const Subject kBob{"Bob", "bob", "~b", "1a2b.salon", "192.0.2.7"};
const Subject kGuest{"", "guest", "~g", "9f8e.salon", "2001:db8::5"};

TEST(SanctionList, MatchesAccountsMasksAndRanges) {
  EXPECT_TRUE(Targets(Make("a", SanctionKind::kBan, TargetKind::kAccount, "BOB"), kBob));
  EXPECT_FALSE(Targets(Make("a", SanctionKind::kBan, TargetKind::kAccount, "bob"), kGuest));
  // Masks see the cloaked host and the real address.
  EXPECT_TRUE(Targets(Make("m", SanctionKind::kBan, TargetKind::kMask, "*!*@1a2b.salon"), kBob));
  EXPECT_TRUE(Targets(Make("m", SanctionKind::kBan, TargetKind::kMask, "*!*@192.0.2.*"), kBob));
  EXPECT_TRUE(Targets(Make("m", SanctionKind::kBan, TargetKind::kMask, "BO?!*@*"), kBob));
  EXPECT_FALSE(Targets(Make("m", SanctionKind::kBan, TargetKind::kMask, "bob!*@*"), kGuest));

  SanctionList list;
  ASSERT_TRUE(list.Add(Make("c4", SanctionKind::kBan, TargetKind::kCidr, "192.0.2.0/24")));
  ASSERT_TRUE(list.Add(Make("c6", SanctionKind::kMute, TargetKind::kCidr, "2001:db8::/32")));
  EXPECT_FALSE(list.Add(Make("bad", SanctionKind::kBan, TargetKind::kCidr, "192.0.2.0/99")));
  EXPECT_EQ(list.Match(SanctionKind::kBan, kBob, "")->ref, "c4");
  EXPECT_EQ(list.Match(SanctionKind::kBan, kGuest, ""), nullptr);
  EXPECT_EQ(list.Match(SanctionKind::kMute, kGuest, "")->ref, "c6");
}

TEST(SanctionList, RoomScopeAppliesToThatRoomOnly) {
  SanctionList list;
  list.Add(Make("r", SanctionKind::kMute, TargetKind::kAccount, "bob", "#Side"));
  EXPECT_EQ(list.Match(SanctionKind::kMute, kBob, ""), nullptr);  // private messages
  EXPECT_EQ(list.Match(SanctionKind::kMute, kBob, "#other"), nullptr);
  ASSERT_NE(list.Match(SanctionKind::kMute, kBob, "#side"), nullptr);
  list.Add(Make("s", SanctionKind::kMute, TargetKind::kAccount, "bob"));
  EXPECT_EQ(list.Match(SanctionKind::kMute, kBob, "#other")->ref, "s");
  EXPECT_EQ(list.SameTarget(SanctionKind::kMute, "#SIDE", TargetKind::kAccount, "Bob").size(), 1u);
}

TEST(SanctionList, RemoveAndCounts) {
  SanctionList list;
  EXPECT_FALSE(list.HasAny(SanctionKind::kBan));
  list.Add(Make("x", SanctionKind::kBan, TargetKind::kAccount, "bob"));
  list.Add(Make("x", SanctionKind::kBan, TargetKind::kAccount, "carol"));  // replaces
  EXPECT_EQ(list.all().size(), 1u);
  EXPECT_EQ(list.Find("x")->target, "carol");
  EXPECT_TRUE(list.HasAny(SanctionKind::kBan));
  auto removed = list.Remove("x");
  ASSERT_TRUE(removed.has_value());
  EXPECT_EQ(removed->target, "carol");
  EXPECT_FALSE(list.HasAny(SanctionKind::kBan));
  EXPECT_FALSE(list.Remove("x").has_value());
}

}  // namespace
}  // namespace salon::moderation

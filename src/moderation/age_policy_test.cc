// The age bands and the rules of the age policy as pure functions (moderation/age_policy.h,
// core/profile.h).
#include "moderation/age_policy.h"

#include <gtest/gtest.h>

#include "core/profile.h"

namespace salon::moderation {
namespace {

using core::AgeBand;

TEST(AgeBand, FromTheDeclaredAge) {
  EXPECT_EQ(core::AgeBandOf(nullptr), AgeBand::kUnknown);
  core::Profile profile;
  EXPECT_EQ(core::AgeBandOf(&profile), AgeBand::kUnknown);  // age 0: an account without one
  profile.age = 13;
  EXPECT_EQ(core::AgeBandOf(&profile), AgeBand::kMinor);
  profile.age = 17;
  EXPECT_EQ(core::AgeBandOf(&profile), AgeBand::kMinor);
  profile.age = 18;
  EXPECT_EQ(core::AgeBandOf(&profile), AgeBand::kAdult);
  profile.age = 120;
  EXPECT_EQ(core::AgeBandOf(&profile), AgeBand::kAdult);
}

TEST(AgeBand, AMinorsTownIsNotShared) {
  core::Profile minor{15, "f", "Lyon"};
  EXPECT_EQ(core::SharedProfile(minor).town, "");
  EXPECT_EQ(core::SharedProfile(minor).age, 15u);
  EXPECT_EQ(core::SharedProfile(minor).gender, "f");
  core::Profile adult{18, "m", "Paris"};
  EXPECT_EQ(core::SharedProfile(adult).town, "Paris");
}

TEST(AgeRules, AdultsOnlyRoomsAdmitAdultsOnly) {
  EXPECT_TRUE(MayJoinAdultsOnly(AgeBand::kAdult));
  EXPECT_FALSE(MayJoinAdultsOnly(AgeBand::kMinor));
  EXPECT_FALSE(MayJoinAdultsOnly(AgeBand::kUnknown));
}

TEST(AgeRules, NoPrivateMessagesBetweenAdultsAndMinorsByDefault) {
  for (bool open : {false, true}) {
    for (AgeBand other : {AgeBand::kAdult, AgeBand::kUnknown}) {
      EXPECT_EQ(DecidePrivate(other, AgeBand::kMinor, open, false), PrivateRule::kRefuse);
      EXPECT_EQ(DecidePrivate(AgeBand::kMinor, other, open, false), PrivateRule::kRefuse);
    }
  }
}

TEST(AgeRules, WithTheSettingAMinorMayStartAndTheOtherAnswer) {
  EXPECT_EQ(DecidePrivate(AgeBand::kMinor, AgeBand::kAdult, false, true), PrivateRule::kAllow);
  EXPECT_EQ(DecidePrivate(AgeBand::kAdult, AgeBand::kMinor, false, true), PrivateRule::kRefuse);
  EXPECT_EQ(DecidePrivate(AgeBand::kAdult, AgeBand::kMinor, true, true), PrivateRule::kAllow);
  EXPECT_EQ(DecidePrivate(AgeBand::kUnknown, AgeBand::kMinor, false, true), PrivateRule::kRefuse);
}

TEST(AgeRules, MinorsAmongThemselvesGoThroughARequest) {
  EXPECT_EQ(DecidePrivate(AgeBand::kMinor, AgeBand::kMinor, false, false), PrivateRule::kRequest);
  EXPECT_EQ(DecidePrivate(AgeBand::kMinor, AgeBand::kMinor, true, false), PrivateRule::kAllow);
  EXPECT_EQ(DecidePrivate(AgeBand::kMinor, AgeBand::kMinor, false, true), PrivateRule::kRequest);
}

TEST(AgeRules, NoMinorNoRule) {
  for (AgeBand a : {AgeBand::kAdult, AgeBand::kUnknown}) {
    for (AgeBand b : {AgeBand::kAdult, AgeBand::kUnknown}) {
      EXPECT_EQ(DecidePrivate(a, b, false, false), PrivateRule::kAllow);
    }
  }
}

}  // namespace
}  // namespace salon::moderation

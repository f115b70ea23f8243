#include "moderation/statement.h"

#include <gtest/gtest.h>

#include <regex>

#include "config/config.h"

namespace salon::moderation {
namespace {

TEST(Statement, SaysWhatWhyHowLongHowToContestAndTheReference) {
  config::Admin admin;
  Decision mute{"D-00beef", "mute", "*", 1796212800, "spam", ""};
  std::string text = StatementText(mute, admin);
  EXPECT_NE(text.find("You are muted on this server until 2026-12-02 12:00:00 UTC"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Reason: spam."), std::string::npos) << text;
  EXPECT_NE(text.find("reply to a server moderator quoting reference D-00beef"), std::string::npos)
      << text;

  admin.email = "abuse@example.org";
  Decision ban{"D-000001", "ban", "#side", 0, "trolling!", "Strike 3 within 30 days."};
  text = StatementText(ban, admin);
  EXPECT_EQ(text.rfind("Strike 3 within 30 days. You are banned from #side with no end date.", 0),
            0u)
      << text;
  EXPECT_NE(text.find("Reason: trolling! To contest"), std::string::npos) << text;
  EXPECT_NE(text.find("write to abuse@example.org quoting reference D-000001"), std::string::npos);
}

TEST(Statement, LiftingNeedsNoContest) {
  std::string text = StatementText({"D-0000aa", "unmute", "#side", 0, "", ""}, config::Admin{});
  EXPECT_EQ(text, "Your mute in #side has ended: you can speak again. Reference D-0000aa.");
}

TEST(Statement, ReferencesLookAlike) {
  const std::regex shape("D-[0-9a-f]{6}");
  for (int i = 0; i < 20; ++i) EXPECT_TRUE(std::regex_match(NewDecisionRef(), shape));
}

}  // namespace
}  // namespace salon::moderation

// WebSessions: tokens, expiry (idle and absolute, on an adjustable clock), removal by account,
// and the Cookie header parser.
#include "web_api/web_sessions.h"

#include <gtest/gtest.h>

#include <set>

namespace salon::web_api {
namespace {

class WebSessionsTest : public ::testing::Test {
 protected:
  WebSessionsTest() {
    config_.session_hours = 2;
    config_.session_idle_minutes = 30;
  }
  base::AdjustableClock clock_;
  config::Web config_;
  WebSessions sessions_{clock_, config_};
};

TEST_F(WebSessionsTest, TokensAreLongRandomAndFindTheirSession) {
  std::set<std::string> tokens;
  for (int i = 0; i < 100; ++i) tokens.insert(sessions_.Create("alice", "192.0.2.1"));
  EXPECT_EQ(tokens.size(), 100u);
  const std::string token = *tokens.begin();
  EXPECT_EQ(token.size(), 64u);
  EXPECT_EQ(token.find_first_not_of("0123456789abcdef"), std::string::npos);
  WebSession* s = sessions_.Find(token);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->account, "alice");
  EXPECT_EQ(s->ip, "192.0.2.1");
  EXPECT_EQ(s->csrf_token.size(), 64u);
  EXPECT_NE(s->csrf_token, token);
  EXPECT_EQ(sessions_.Find(""), nullptr);
  EXPECT_EQ(sessions_.Find(std::string(64, '0')), nullptr);
}

TEST_F(WebSessionsTest, EndWhenIdleOrOld) {
  std::string idle = sessions_.Create("a", "");
  std::string busy = sessions_.Create("b", "");
  clock_.Advance(29 * 60'000);
  ASSERT_NE(sessions_.Find(busy), nullptr);
  clock_.Advance(1 * 60'000);
  EXPECT_EQ(sessions_.Find(idle), nullptr) << "30 minutes unused";
  EXPECT_EQ(sessions_.size(), 1u) << "an ended session found is removed";
  for (int i = 0; i < 3; ++i) {
    clock_.Advance(28 * 60'000);
    ASSERT_NE(sessions_.Find(busy), nullptr) << i;
  }
  clock_.Advance(29 * 60'000);  // 30 + 3 * 28 + 29 = 143 minutes > 2 hours
  EXPECT_EQ(sessions_.Find(busy), nullptr);
}

TEST_F(WebSessionsTest, RemoveAndRemoveAccount) {
  std::string a1 = sessions_.Create("Alice", "");
  std::string a2 = sessions_.Create("alice", "");
  std::string b = sessions_.Create("bob", "");
  EXPECT_TRUE(sessions_.Remove(b));
  EXPECT_FALSE(sessions_.Remove(b));
  sessions_.RemoveAccount("ALICE");
  EXPECT_EQ(sessions_.Find(a1), nullptr);
  EXPECT_EQ(sessions_.Find(a2), nullptr);
  EXPECT_EQ(sessions_.size(), 0u);
}

TEST_F(WebSessionsTest, BoundedByDroppingTheLeastRecentlyUsed) {
  std::string first = sessions_.Create("first", "");
  clock_.Advance(1);
  std::string second = sessions_.Create("second", "");
  clock_.Advance(1);
  for (std::size_t i = 2; i < WebSessions::kMaxSessions; ++i) sessions_.Create("x", "");
  clock_.Advance(1);
  ASSERT_NE(sessions_.Find(first), nullptr);  // used: now the most recent
  sessions_.Create("one more", "");
  EXPECT_EQ(sessions_.size(), WebSessions::kMaxSessions);
  EXPECT_NE(sessions_.Find(first), nullptr);
  EXPECT_EQ(sessions_.Find(second), nullptr) << "the least recently used went";
}

TEST(CookieValueTest, FindsTheNamedCookie) {
  EXPECT_EQ(CookieValue("salon_session=abc", "salon_session"), "abc");
  EXPECT_EQ(CookieValue("a=1; salon_session=abc; b=2", "salon_session"), "abc");
  EXPECT_EQ(CookieValue("a=1;salon_session=abc", "salon_session"), "abc");
  EXPECT_EQ(CookieValue("xsalon_session=abc", "salon_session"), "");
  EXPECT_EQ(CookieValue("salon_session", "salon_session"), "");
  EXPECT_EQ(CookieValue("", "salon_session"), "");
  EXPECT_EQ(CookieValue("salon_session=", "salon_session"), "");
}

}  // namespace
}  // namespace salon::web_api

// Room controls and user-created rooms against the real binary (docs/moderation.md, "Room
// controls and user-created rooms"): slow mode (+W) refusing early messages until the server
// clock moves on, operators exempt, its parameter errors; "new here" limits server-wide and per
// room (+N) on links and private conversations; user_rooms unlisted / listed / forbidden in LIST
// and /api/rooms, LISTROOM / UNLISTROOM with their refusals and audit entries; and the listing
// of a registered room surviving a restart.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "account_helpers.h"
#include "harness.h"
#include "ws_client.h"

namespace salon::testing {
namespace {

const std::string kPassword = "room-policy-passphrase";

const char* kDeclared = R"(
[[rooms]]
name = "#lobby"
category = "General"
description = "Say hello"
)";

Predicate Fail(const std::string& command, const std::string& code) {
  return Matches("^\\S+ FAIL " + command + " " + code + " ");
}

class RoomPolicy : public ::testing::Test {
 protected:
  // `room_policy`: the body of [room_policy]. A server moderator account "mod" exists.
  void Start(const std::string& room_policy = "") {
    server_ = std::make_unique<TestServer>(
        TestConfig({.tail = std::string(kDeclared) + "[moderation]\nmoderators = [\"mod\"]\n" +
                            "[room_policy]\n" + room_policy + "\n" + kAccountsClock}));
    server_->Start();
    RegisterAccount(*server_, "mod", kPassword);
  }

  std::unique_ptr<TestClient> Mod() {
    return LoggedIn(*server_, "mod", "mod", kPassword, "standard-replies");
  }

  std::set<std::string> ListOf(TestClient& c) {
    std::set<std::string> out;
    for (const auto& [name, m] : c.List()) out.insert(name);
    return out;
  }

  std::set<std::string> Catalogue() {
    HttpResponse r = HttpGet(server_->http_port(), "/api/rooms");
    EXPECT_EQ(r.status, 200) << r.raw_head;
    std::set<std::string> out;
    const boost::json::value doc = boost::json::parse(r.body);
    for (const auto& room : doc.as_array()) {
      out.insert(std::string(room.at("name").as_string()));
    }
    return out;
  }

  bool Audited(const std::string& prefix) {
    auto rows = AuditRows(*server_);
    return std::any_of(rows.begin(), rows.end(),
                       [&](const std::string& row) { return row.rfind(prefix, 0) == 0; });
  }

  std::unique_ptr<TestServer> server_;
};

// ---------------------------------------------------------------------------------------------
// Slow mode

TEST_F(RoomPolicy, SlowModeRefusesEarlyMessagesUntilTheClockAdvances) {
  Start("user_rooms = \"listed\"");
  auto alice = RegisteredClient(*server_, "alice");
  auto bob = RegisteredClient(*server_, "bob", "standard-replies");
  auto carol = RegisteredClient(*server_, "carol");  // no standard-replies: the numeric only
  alice->Join("#slow");                              // its operator
  bob->Join("#slow");
  carol->Join("#slow");
  alice->Send("MODE #slow +W 30");
  alice->Expect(CommandParam("MODE", 1, "+W"));
  bob->Expect(CommandParam("MODE", 1, "+W"));
  carol->Expect(CommandParam("MODE", 1, "+W"));

  bob->Send("PRIVMSG #slow :first");
  alice->Expect(CommandParam("PRIVMSG", 0, "#slow"));
  bob->Send("PRIVMSG #slow :second, too soon");
  Message fail = bob->Expect(Fail("PRIVMSG", "SLOW_MODE"));
  EXPECT_EQ(fail.Param(2), "#slow") << fail.raw;
  EXPECT_EQ(fail.Last(), "Slow mode: wait 30 seconds") << fail.raw;
  Message refused = bob->ExpectNumeric("404");
  EXPECT_EQ(refused.Param(1), "#slow");
  EXPECT_EQ(refused.Last(), "Slow mode: wait 30 seconds");

  carol->Send("PRIVMSG #slow :hello");
  alice->Expect(CommandParam("PRIVMSG", 0, "#slow"));
  carol->Send("PRIVMSG #slow :hello again");
  carol->ExpectNumeric("404");
  carol->ExpectNone(Command("FAIL"), "a FAIL without standard-replies");

  // The operator is exempt.
  alice->Send("PRIVMSG #slow :op one");
  alice->Send("PRIVMSG #slow :op two");
  bob->Expect(Matches("PRIVMSG #slow :op one$"));
  bob->Expect(Matches("PRIVMSG #slow :op two$"));
  alice->ExpectNone(Command("404"), "slow mode for the operator");
  alice->Drain();

  AdvanceClock(*alice, 20);
  bob->Send("PRIVMSG #slow :still too soon");
  EXPECT_EQ(bob->Expect(Fail("PRIVMSG", "SLOW_MODE")).Last(), "Slow mode: wait 10 seconds");
  AdvanceClock(*alice, 10);
  bob->Send("PRIVMSG #slow :after the wait");
  alice->Expect(Matches("PRIVMSG #slow :after the wait$"));
  bob->ExpectNone(Fail("PRIVMSG", "SLOW_MODE"), "a refusal once the wait is over");

  // -W turns it off.
  alice->Send("MODE #slow -W");
  bob->Expect(CommandParam("MODE", 1, "-W"));
  bob->Send("PRIVMSG #slow :slow mode is off");
  bob->Send("PRIVMSG #slow :so this goes too");
  alice->Expect(Matches("PRIVMSG #slow :so this goes too$"));
}

TEST_F(RoomPolicy, SlowModeWaitGoesWithTheMembershipAndServerModeratorsAreExempt) {
  Start();
  auto alice = RegisteredClient(*server_, "alice");
  auto bob = RegisteredClient(*server_, "bob", "standard-replies");
  auto mod = Mod();
  alice->Join("#slow");
  bob->Join("#slow");
  mod->Join("#slow");
  alice->Send("MODE #slow +W 60");
  mod->Expect(CommandParam("MODE", 1, "+W"));
  mod->Send("PRIVMSG #slow :one");
  mod->Send("PRIVMSG #slow :two");
  alice->Expect(Matches("PRIVMSG #slow :two$"));
  mod->ExpectNone(Fail("PRIVMSG", "SLOW_MODE"), "slow mode for a server moderator");

  bob->Send("PRIVMSG #slow :one");
  alice->Expect(Matches("^:bob!\\S+ PRIVMSG #slow :one$"));
  bob->Send("PRIVMSG #slow :two");
  bob->Expect(Fail("PRIVMSG", "SLOW_MODE"));
  // The wait was the membership's: a new membership starts afresh.
  bob->Send("PART #slow");
  bob->ExpectCommand("PART");
  bob->Join("#slow");
  bob->Send("PRIVMSG #slow :back");
  alice->Expect(Matches("PRIVMSG #slow :back$"));
}

TEST_F(RoomPolicy, RoomControlModesCheckTheirParameters) {
  Start();
  auto alice = RegisteredClient(*server_, "alice");
  auto bob = RegisteredClient(*server_, "bob");
  alice->Join("#room");
  bob->Join("#room");
  alice->Send("MODE #room +W");
  EXPECT_EQ(alice->ExpectNumeric("461").Param(1), "MODE");
  for (const std::string bad : {"soon", "0", "-5", "86401", "10s"}) {
    alice->Send("MODE #room +W " + bad);
    Message m = alice->ExpectNumeric("696");
    EXPECT_EQ(m.Param(1), "#room") << m.raw;
    EXPECT_EQ(m.Param(2), "W") << m.raw;
    EXPECT_EQ(m.Param(3), bad) << m.raw;
  }
  alice->Send("MODE #room +N");
  alice->ExpectNumeric("461");
  alice->Send("MODE #room +N 10081");
  EXPECT_EQ(alice->ExpectNumeric("696").Param(2), "N");
  bob->Send("MODE #room +W 10");
  bob->ExpectNumeric("482");
  bob->ExpectNone(Command("MODE"), "a refused or invalid room control");

  alice->Send("MODE #room +WN 15 5");
  Message set = bob->ExpectCommand("MODE");
  EXPECT_EQ(set.Param(1), "+WN") << set.raw;
  EXPECT_EQ(set.Param(2), "15");
  EXPECT_EQ(set.Param(3), "5");
  bob->Send("MODE #room");
  Message modes = bob->ExpectNumeric("324");
  EXPECT_EQ(modes.Param(2), "+NWnt") << modes.raw;
  EXPECT_EQ(modes.Param(3), "5");
  EXPECT_EQ(modes.Param(4), "15");

  // ISUPPORT: parameter modes set with a parameter, removed without (CHANMODES third group).
  TestClient fresh(*server_);
  std::string chanmodes;
  for (const auto& m : fresh.Register("fresh")) {
    for (const auto& p : m.params) {
      if (m.command == "005" && p.rfind("CHANMODES=", 0) == 0) chanmodes = p.substr(10);
    }
  }
  ASSERT_EQ(std::count(chanmodes.begin(), chanmodes.end(), ','), 3) << chanmodes;
  std::string third = chanmodes.substr(chanmodes.find(',', chanmodes.find(',') + 1) + 1);
  third = third.substr(0, third.find(','));
  for (char c : std::string("NWl")) EXPECT_NE(third.find(c), std::string::npos) << chanmodes;
}

// ---------------------------------------------------------------------------------------------
// New here

TEST_F(RoomPolicy, NewHereServerWideLimitsLinksAndPrivateConversations) {
  Start("new_user_minutes = 10");
  auto mod = Mod();
  auto alice = RegisteredClient(*server_, "alice");
  auto bob = RegisteredClient(*server_, "bob", "standard-replies");
  alice->Join("#lobby");
  bob->Join("#lobby");
  mod->Join("#lobby");

  bob->Send("PRIVMSG #lobby :look at https://example.com/offer");
  Message fail = bob->Expect(Fail("PRIVMSG", "NEW_USER"));
  EXPECT_EQ(fail.Param(2), "#lobby");
  EXPECT_NE(fail.Last().find("10 minutes"), std::string::npos) << fail.raw;
  EXPECT_EQ(bob->ExpectNumeric("404").Param(1), "#lobby");
  bob->Send("PRIVMSG #lobby :or www.example.org");
  bob->Expect(Fail("PRIVMSG", "NEW_USER"));
  bob->Send("PRIVMSG #lobby :plain text, e.g. 3.14, is fine");
  alice->Expect(Matches("PRIVMSG #lobby :plain text, e.g. 3.14, is fine$"));
  alice->ExpectNone(Matches("example"), "a new user's link");

  // Opening a private conversation: refused; the staff may always be asked.
  bob->Send("PRIVMSG alice :hi there");
  Message pm = bob->Expect(Fail("PRIVMSG", "NEW_USER"));
  EXPECT_EQ(pm.Param(2), "alice");
  EXPECT_EQ(bob->ExpectNumeric("531").Param(1), "alice");
  alice->ExpectNone(Command("PRIVMSG"), "a private message from a new user");
  bob->Send("PRIVMSG mod :help please");
  mod->Expect(Matches("PRIVMSG mod :help please$"));
  // The moderator is exempt, and a conversation the other side opened may be answered.
  mod->Send("PRIVMSG #lobby :rules at https://example.com/rules");
  alice->Expect(Matches("https://example.com/rules$"));
  mod->Send("PRIVMSG bob :welcome");
  bob->Expect(Matches("PRIVMSG bob :welcome$"));
  bob->Send("PRIVMSG mod :thanks");
  mod->Expect(Matches("PRIVMSG mod :thanks$"));

  AdvanceClock(*mod, 600);
  bob->Send("PRIVMSG #lobby :now https://example.com/ok");
  alice->Expect(Matches("https://example.com/ok$"));
  bob->Send("PRIVMSG alice :hello now");
  alice->Expect(Matches("PRIVMSG alice :hello now$"));
  bob->ExpectNone(Fail("PRIVMSG", "NEW_USER"), "a refusal after the limit");
}

TEST_F(RoomPolicy, NewHerePerRoomModeLimitsLinksInThatRoomOnly) {
  Start();
  auto alice = RegisteredClient(*server_, "alice");
  auto bob = RegisteredClient(*server_, "bob", "standard-replies");
  alice->Join("#strict");
  bob->Join("#strict");
  alice->Join("#free");
  bob->Join("#free");
  alice->Send("MODE #strict +N 5");
  bob->Expect(CommandParam("MODE", 1, "+N"));

  bob->Send("PRIVMSG #strict :https://example.com");
  EXPECT_NE(bob->Expect(Fail("PRIVMSG", "NEW_USER")).Last().find("5 minutes"), std::string::npos);
  bob->ExpectNumeric("404");
  bob->Send("PRIVMSG #strict :no link here");
  alice->Expect(Matches("PRIVMSG #strict :no link here$"));
  bob->Send("PRIVMSG #free :https://example.com/free");
  alice->Expect(Matches("PRIVMSG #free :https://example.com/free$"));
  // +N is about links in the room: private conversations follow the server's setting (off).
  bob->Send("PRIVMSG alice :hi");
  alice->Expect(Matches("PRIVMSG alice :hi$"));
  // In a user-created room anyone may be operator: its operator is not exempt.
  alice->Send("PRIVMSG #strict :https://example.com/op");
  alice->ExpectNumeric("404");

  AdvanceClock(*alice, 300);
  bob->Send("PRIVMSG #strict :https://example.com/later");
  alice->Expect(Matches("PRIVMSG #strict :https://example.com/later$"));
}

// ---------------------------------------------------------------------------------------------
// User-created rooms

TEST_F(RoomPolicy, UnlistedRoomsStayOutOfTheCatalogueUntilListed) {
  Start();  // user_rooms = "unlisted" by default
  auto alice = RegisteredClient(*server_, "alice");
  auto guest = RegisteredClient(*server_, "guest", "standard-replies");
  auto mod = Mod();
  alice->Join("#hidden");
  EXPECT_EQ(ListOf(*guest), (std::set<std::string>{"#lobby"}));
  EXPECT_EQ(Catalogue(), (std::set<std::string>{"#lobby"}));
  EXPECT_EQ(ListOf(*alice), (std::set<std::string>{"#hidden", "#lobby"})) << "its member sees it";
  EXPECT_EQ(ListOf(*mod), (std::set<std::string>{"#hidden", "#lobby"})) << "moderators see it";

  // Not a moderator: refused before the room is looked at, and audited.
  guest->Send("LISTROOM #hidden");
  Message denied = guest->ExpectNumeric("481");
  EXPECT_NE(denied.Last().find("server moderator"), std::string::npos) << denied.raw;
  guest->Expect(Fail("LISTROOM", "NO_PRIVILEGES"));
  guest->Send("UNLISTROOM #lobby");
  guest->ExpectNumeric("481");
  guest->Send("LISTROOM #nowhere");
  guest->ExpectNumeric("481");
  EXPECT_EQ(ListOf(*guest), (std::set<std::string>{"#lobby"}));

  mod->Send("LISTROOM");
  EXPECT_EQ(mod->ExpectNumeric("461").Param(1), "LISTROOM");
  mod->Send("LISTROOM #nowhere");
  mod->ExpectNumeric("403");
  mod->Send("LISTROOM #hidden");
  mod->Expect(Matches("^\\S+ NOTE LISTROOM LISTED #hidden :"));
  EXPECT_EQ(ListOf(*guest), (std::set<std::string>{"#hidden", "#lobby"}));
  EXPECT_EQ(Catalogue(), (std::set<std::string>{"#hidden", "#lobby"}));

  mod->Send("UNLISTROOM #hidden");
  mod->Expect(Matches("^\\S+ NOTE UNLISTROOM UNLISTED #hidden :"));
  EXPECT_EQ(ListOf(*guest), (std::set<std::string>{"#lobby"}));
  EXPECT_EQ(Catalogue(), (std::set<std::string>{"#lobby"}));
  // Unlisted is not secret: anyone who knows the name joins.
  guest->Join("#hidden");
  EXPECT_EQ(ListOf(*guest), (std::set<std::string>{"#hidden", "#lobby"}));

  mod->Send("UNLISTROOM #lobby");
  mod->Expect(Fail("UNLISTROOM", "DECLARED"));
  EXPECT_TRUE(Catalogue().count("#lobby")) << "a declared room stays listed";

  server_->Stop();
  EXPECT_TRUE(Audited("room.listing_refused|guest|#hidden|LISTROOM #hidden"));
  EXPECT_TRUE(Audited("room.listing_refused|guest|#lobby|UNLISTROOM #lobby"));
  EXPECT_TRUE(Audited("room.listed|mod|#hidden|LISTROOM #hidden"));
  EXPECT_TRUE(Audited("room.unlisted|mod|#hidden|UNLISTROOM #hidden"));
}

TEST_F(RoomPolicy, ListedUserRoomsAreInTheCatalogueAtOnce) {
  Start("user_rooms = \"listed\"");
  auto alice = RegisteredClient(*server_, "alice");
  auto guest = RegisteredClient(*server_, "guest");
  alice->Join("#open");
  EXPECT_EQ(ListOf(*guest), (std::set<std::string>{"#lobby", "#open"}));
  EXPECT_EQ(Catalogue(), (std::set<std::string>{"#lobby", "#open"}));
  // Secret rooms stay hidden whatever the listing.
  alice->Send("MODE #open +s");
  alice->ExpectCommand("MODE");
  EXPECT_EQ(ListOf(*guest), (std::set<std::string>{"#lobby"}));
  EXPECT_EQ(Catalogue(), (std::set<std::string>{"#lobby"}));
}

TEST_F(RoomPolicy, ForbiddenUserRoomsLeaveCreationToModerators) {
  Start("user_rooms = \"forbidden\"");
  auto alice = RegisteredClient(*server_, "alice", "standard-replies");
  auto plain = RegisteredClient(*server_, "plain");
  auto mod = Mod();
  alice->Send("JOIN #new");
  Message fail = alice->Expect(Fail("JOIN", "ROOM_CREATION_FORBIDDEN"));
  EXPECT_EQ(fail.Param(2), "#new") << fail.raw;
  EXPECT_EQ(alice->ExpectNumeric("403").Param(1), "#new");
  plain->Send("JOIN #other");
  EXPECT_EQ(plain->ExpectNumeric("403").Param(1), "#other");
  plain->ExpectNone(Command("JOIN"), "a room created anyway");
  alice->Join("#lobby");  // a declared room is joinable

  mod->Join("#staff");  // a moderator may create rooms
  alice->Join("#staff");
  EXPECT_EQ(ListOf(*plain), (std::set<std::string>{"#lobby"}))
      << "a room created by a moderator is unlisted too, until LISTROOM";
}

TEST_F(RoomPolicy, ListingOfARegisteredRoomSurvivesARestart) {
  Start();
  RegisterAccount(*server_, "alice", kPassword);
  {
    auto alice = LoggedIn(*server_, "alice", "alice", kPassword);
    alice->Join("#club");
    alice->Send("PRIVMSG ChanServ :REGISTER #club");
    alice->Expect(Matches("is now registered to alice"));
    auto guest = RegisteredClient(*server_, "guest");
    EXPECT_EQ(ListOf(*guest), (std::set<std::string>{"#lobby"})) << "registering lists nothing";
    auto mod = Mod();
    mod->Send("LISTROOM #club");
    mod->Expect(Matches("^\\S+ NOTE LISTROOM LISTED #club :"));
  }
  server_->Restart();
  {
    auto guest = RegisteredClient(*server_, "guest");
    EXPECT_EQ(ListOf(*guest), (std::set<std::string>{"#club", "#lobby"}));
    EXPECT_EQ(Catalogue(), (std::set<std::string>{"#club", "#lobby"}));
    auto mod = Mod();
    mod->Send("UNLISTROOM #club");
    mod->Expect(Matches("^\\S+ NOTE UNLISTROOM UNLISTED #club :"));
  }
  server_->Restart();
  auto guest = RegisteredClient(*server_, "guest");
  EXPECT_EQ(ListOf(*guest), (std::set<std::string>{"#lobby"}));
  EXPECT_EQ(Catalogue(), (std::set<std::string>{"#lobby"}));
  EXPECT_EQ(QueryInt(*server_, "SELECT listed FROM rooms WHERE name_folded = '#club'"), 0);
  EXPECT_EQ(QueryInt(*server_, "SELECT listed FROM rooms WHERE name_folded = '#lobby'"), 1);
}

}  // namespace
}  // namespace salon::testing

// ChanServ (docs/account-protocol.md): registering rooms, access levels and the modes they give
// on join, OP/DEOP/VOICE/DEVOICE, ACCESS, SET, INFO, DROP, every refusal, the audit log, and
// what a registered room keeps across a restart and a kill -9.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "account_helpers.h"
#include "harness.h"
#include "ws_client.h"

namespace salon::testing {
namespace {

const char* kDeclared = R"(
[[rooms]]
name = "#lobby"
category = "General"
description = "Say hello"
)";

const std::string kChanServ = "^:ChanServ!ChanServ@services\\. ";

std::string Password(const std::string& nick) { return "pass-for-" + nick + "-123"; }

class ChanServ : public ::testing::Test {
 protected:
  void SetUp() override {
    // User-created rooms listed: these tests are about what registration keeps (the listing
    // of a registered room across restarts is room_policy_test's).
    server_.SetConfig(
        TestConfig({.tail = std::string(kDeclared) + "\n[room_policy]\nuser_rooms = \"listed\"\n" +
                            "\n[[opers]]\nname = \"admin\"\npassword_hash = \"" +
                            TestServer::HashPassword("s3cret") + "\"\n"}));
    server_.Start();
  }

  TestClient& Guest(const std::string& nick) {
    clients_.push_back(std::make_unique<TestClient>(server_));
    clients_.back()->Register(nick);
    return *clients_.back();
  }

  // A new account (REGISTER * * <password>), logged in.
  TestClient& Account(const std::string& nick) {
    auto& c = Guest(nick);
    c.Send("REGISTER * * " + Password(nick));
    c.Expect(CommandParam("REGISTER", 0, "SUCCESS"));
    c.ExpectNumeric("900");
    return c;
  }

  // An existing account logging in again (after a restart).
  TestClient& Identified(const std::string& nick) {
    auto& c = Guest(nick);
    c.Send("PRIVMSG NickServ :IDENTIFY " + Password(nick));
    c.ExpectNumeric("900");
    return c;
  }

  // Sends a ChanServ command whose answer is not a NOTICE (a MODE line).
  static void Tell(TestClient& c, const std::string& command) {
    c.Send("PRIVMSG ChanServ :" + command);
  }

  // Sends a ChanServ command and returns the text of its first NOTICE.
  static std::string Ask(TestClient& c, const std::string& command) {
    c.Send("PRIVMSG ChanServ :" + command);
    return c.Expect(kChanServ + "NOTICE " + c.nick() + " :").Last();
  }

  // Every NOTICE line of a multi-line answer, up to the one that starts with "End of".
  static std::vector<std::string> AskAll(TestClient& c, const std::string& command) {
    c.Send("PRIVMSG ChanServ :" + command);
    std::vector<std::string> out;
    for (const auto& m : c.CollectUntil(Matches(kChanServ + "NOTICE \\S+ :End of"))) {
      if (m.source.rfind("ChanServ!", 0) == 0 && m.command == "NOTICE") out.push_back(m.Last());
    }
    return out;
  }

  static void ExpectContains(const std::string& text, const std::string& part) {
    EXPECT_NE(text.find(part), std::string::npos) << "'" << text << "' lacks '" << part << "'";
  }

  // `nick` creates #room (getting op as its creator) and registers it.
  TestClient& Founder(const std::string& nick, const std::string& room) {
    auto& founder = Account(nick);
    founder.Join(room);
    ExpectContains(Ask(founder, "REGISTER " + room), "is now registered to " + nick);
    return founder;
  }

  static void ExpectChanServMode(TestClient& c, const std::string& room, const std::string& modes) {
    c.Expect(kChanServ + "MODE " + room + " " + modes + "$");
  }

  void DropClients() { clients_.clear(); }

  TestServer server_;
  std::vector<std::unique_ptr<TestClient>> clients_;
};

TEST_F(ChanServ, RegisterRefusals) {
  auto& guest = Guest("guest");
  guest.Join("#guestroom");
  ExpectContains(Ask(guest, "REGISTER #guestroom"), "must be logged in");

  auto& alice = Account("alice");
  ExpectContains(Ask(alice, "REGISTER"), "Syntax: REGISTER <#room>");
  ExpectContains(Ask(alice, "REGISTER #nowhere"), "No such room: #nowhere");
  alice.Join("#lobby");  // declared: nobody gets op there
  ExpectContains(Ask(alice, "REGISTER #lobby"), "declared in the server's configuration");
  ExpectContains(Ask(alice, "REGISTER #guestroom"), "must be a channel operator of #guestroom");
  alice.Join("#guestroom");
  ExpectContains(Ask(alice, "REGISTER #guestroom"), "must be a channel operator of #guestroom");

  alice.Join("#mine");
  ExpectContains(Ask(alice, "REGISTER #mine"), "#mine is now registered to alice");
  ExpectContains(Ask(alice, "REGISTER #mine"), "#mine is already registered to alice");
  ExpectContains(Ask(alice, "FROBNICATE #mine"), "Unknown command FROBNICATE");
}

// A registration the store refuses (a trigger planted in the database file stands for a disk
// that fails) is reported in words and undone in memory too.
TEST_F(ChanServ, RegistrationTheStoreRefusesIsReportedAndUndone) {
  {
    sqlite3* db = nullptr;
    const std::string path = server_.data_dir() + "/salon.db";
    ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
    sqlite3_busy_timeout(db, 2000);
    char* error = nullptr;
    int rc = sqlite3_exec(db,
                          "CREATE TRIGGER refuse_poison BEFORE INSERT ON rooms "
                          "WHEN NEW.name = '#poison' BEGIN SELECT RAISE(ABORT, 'refused'); END",
                          nullptr, nullptr, &error);
    std::string text = error != nullptr ? error : "";
    sqlite3_free(error);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << text;
  }
  auto& alice = Account("alice");
  alice.Join("#poison");
  ExpectContains(Ask(alice, "REGISTER #poison"),
                 "The registration of #poison could not be saved; try again later.");
  ExpectContains(Ask(alice, "INFO #poison"), "#poison is not registered");
  alice.Join("#fine");
  ExpectContains(Ask(alice, "REGISTER #fine"), "#fine is now registered to alice");
}

TEST_F(ChanServ, InfoAndHelpForAnyone) {
  Founder("alice", "#books");
  auto& guest = Guest("guest");
  auto info = AskAll(guest, "INFO #books");
  ASSERT_GE(info.size(), 3u);
  ExpectContains(info[0], "#books");
  ExpectContains(info[1], "Founder: alice");
  ExpectContains(info[2], "Registered: ");
  ExpectContains(Ask(guest, "INFO #nothere"), "#nothere is not registered");
  ExpectContains(Ask(guest, "INFO"), "Syntax: INFO <#room>");
  guest.Join("#adhoc");
  ExpectContains(Ask(guest, "INFO #adhoc"), "#adhoc is not registered");
  guest.Send("PRIVMSG ChanServ :HELP");
  std::string help;
  for (const auto& m : guest.CollectUntil(Matches(kChanServ + "NOTICE guest :On joining"))) {
    help += m.Last() + "\n";
  }
  for (const char* command :
       {"REGISTER", "OP|DEOP|VOICE|DEVOICE", "ACCESS", "SET", "INFO", "DROP"}) {
    ExpectContains(help, command);
  }
}

TEST_F(ChanServ, AccessLevelsGiveModesOnJoin) {
  auto& alice = Founder("alice", "#club");
  auto& bob = Account("bob");
  auto& carol = Account("carol");
  ExpectContains(Ask(alice, "ACCESS #club ADD bob moderator"), "bob now has moderator access");
  ExpectContains(Ask(alice, "ACCESS #club ADD carol VOICE"), "carol now has voice access");

  alice.Send("PART #club");
  alice.ExpectCommand("PART");
  alice.Join("#club");  // the founder
  ExpectChanServMode(alice, "#club", "\\+o alice");

  bob.Join("#club");
  ExpectChanServMode(bob, "#club", "\\+o bob");
  ExpectChanServMode(alice, "#club", "\\+o bob");

  carol.Join("#club");
  ExpectChanServMode(carol, "#club", "\\+v carol");

  auto& dave = Account("dave");  // logged in, not on the access list
  dave.Join("#club");
  auto& guest = Guest("guest");
  guest.Join("#club");
  dave.ExpectNone(Command("MODE"), "a mode for an account without access");
  guest.ExpectNone(Command("MODE"), "a mode for a guest");
  alice.ExpectNone(Matches("MODE #club \\S+ (dave|guest)"), "a mode for dave or the guest");
  guest.Send("NAMES #club");
  std::set<std::string> names;
  for (const auto& m : guest.CollectUntil(Command("366"))) {
    if (m.command != "353") continue;
    std::string list = m.Last();
    for (std::size_t pos = 0; pos < list.size();) {
      std::size_t sp = list.find(' ', pos);
      if (sp == std::string::npos) sp = list.size();
      names.insert(list.substr(pos, sp - pos));
      pos = sp + 1;
    }
  }
  EXPECT_EQ(names, (std::set<std::string>{"@alice", "@bob", "+carol", "dave", "guest"}));
}

TEST_F(ChanServ, LoggingInWhileInTheRoomGivesTheModes) {
  auto& alice = Founder("alice", "#club");
  auto& first = Account("bob");
  first.Send("QUIT");
  first.ExpectClosed();
  ExpectContains(Ask(alice, "ACCESS #club ADD bob moderator"), "bob now has moderator access");
  auto& bob = Guest("bob");
  bob.Join("#club");
  bob.ExpectNone(Command("MODE"), "a mode before logging in");
  bob.Send("PRIVMSG NickServ :IDENTIFY " + Password("bob"));
  bob.ExpectNumeric("900");
  ExpectChanServMode(bob, "#club", "\\+o bob");
}

TEST_F(ChanServ, OpDeopVoiceDevoiceAndTheirRefusals) {
  auto& alice = Founder("alice", "#club");
  auto& bob = Account("bob");
  auto& carol = Account("carol");
  auto& guest = Guest("guest");
  ExpectContains(Ask(alice, "ACCESS #club ADD bob moderator"), "bob now has moderator access");
  ExpectContains(Ask(alice, "ACCESS #club ADD carol voice"), "carol now has voice access");
  bob.Join("#club");
  ExpectChanServMode(bob, "#club", "\\+o bob");
  carol.Join("#club");
  ExpectChanServMode(carol, "#club", "\\+v carol");
  guest.Join("#club");

  // The founder and moderators change anyone's status; the default target is oneself.
  Tell(alice, "DEOP #club bob");  // no NOTICE: the MODE line says it
  ExpectChanServMode(alice, "#club", "-o bob");
  Tell(bob, "OP #club");
  ExpectChanServMode(alice, "#club", "\\+o bob");
  Tell(bob, "OP #club guest");
  ExpectChanServMode(guest, "#club", "\\+o guest");
  Tell(bob, "DEOP #club guest");
  ExpectChanServMode(guest, "#club", "-o guest");
  Tell(bob, "VOICE #club guest");
  ExpectChanServMode(guest, "#club", "\\+v guest");
  Tell(alice, "DEVOICE #club guest");
  ExpectChanServMode(guest, "#club", "-v guest");
  alice.Drain();

  // Voice level: VOICE itself only.
  ExpectContains(Ask(carol, "OP #club"), "lets you only VOICE yourself");
  ExpectContains(Ask(carol, "VOICE #club guest"), "lets you only VOICE yourself");
  ExpectContains(Ask(carol, "DEVOICE #club"), "lets you only VOICE yourself");
  ExpectContains(Ask(carol, "VOICE #club"), "carol already has +v on #club");
  Tell(alice, "DEVOICE #club carol");
  ExpectChanServMode(carol, "#club", "-v carol");
  Tell(carol, "VOICE #club");
  ExpectChanServMode(carol, "#club", "\\+v carol");

  // Outsiders and bad targets.
  ExpectContains(Ask(guest, "OP #club"), "must be logged in");
  auto& dave = Account("dave");
  ExpectContains(Ask(dave, "OP #club dave"), "need moderator access to #club for OP");
  ExpectContains(Ask(alice, "OP #club nobody"), "No such nick: nobody");
  ExpectContains(Ask(alice, "OP #club dave"), "dave is not on #club");
  ExpectContains(Ask(alice, "OP #club bob"), "bob already has +o on #club");
  ExpectContains(Ask(alice, "OP #elsewhere"), "#elsewhere is not registered");
  ExpectContains(Ask(alice, "OP"), "Syntax: OP <#room> [<nick>]");
  dave.ExpectNone(Command("MODE"), "a refused command changed a mode");

  // Not a member of the room: the founder gets a NOTICE, since no MODE line reaches him.
  alice.Send("PART #club");
  alice.ExpectCommand("PART");
  ExpectContains(Ask(alice, "DEVOICE #club carol"), "-v set for carol on #club");
  ExpectChanServMode(carol, "#club", "-v carol");
}

TEST_F(ChanServ, AccessAddDelListAndRefusals) {
  auto& alice = Founder("alice", "#club");
  auto& bob = Account("bob");
  auto& guest = Guest("guest");
  ExpectContains(Ask(alice, "ACCESS #club ADD nosuchaccount voice"),
                 "No such account: nosuchaccount");
  ExpectContains(Ask(alice, "ACCESS #club ADD bob owner"), "Unknown access level owner");
  ExpectContains(Ask(alice, "ACCESS #club ADD bob"), "Syntax: ACCESS <#room> ADD");
  ExpectContains(Ask(alice, "ACCESS #club ADD alice voice"), "alice is the founder of #club");
  ExpectContains(Ask(alice, "ACCESS #club DEL bob"), "bob is not on the access list of #club");
  ExpectContains(Ask(alice, "ACCESS #club FROB"), "Syntax: ACCESS <#room>");
  ExpectContains(Ask(alice, "ACCESS #nope LIST"), "#nope is not registered");
  ExpectContains(Ask(guest, "ACCESS #club LIST"), "must be logged in");
  ExpectContains(Ask(bob, "ACCESS #club LIST"), "Only members of the access list of #club");
  ExpectContains(Ask(bob, "ACCESS #club ADD bob moderator"), "Only the founder of #club (alice)");

  ExpectContains(Ask(alice, "ACCESS #club ADD BOB voice"), "bob now has voice access to #club");
  ExpectContains(Ask(alice, "ACCESS #club ADD bob moderator"), "bob now has moderator access");
  auto list = AskAll(bob, "ACCESS #club LIST");
  ASSERT_EQ(list.size(), 4u) << "header, founder, bob, end";
  ExpectContains(list[1], "alice founder");
  ExpectContains(list[2], "bob moderator");
  ExpectContains(Ask(bob, "ACCESS #club DEL bob"), "Only the founder of #club");
  ExpectContains(Ask(alice, "ACCESS #club DEL Bob"), "bob was removed from the access list");
  ExpectContains(Ask(bob, "ACCESS #club LIST"), "Only members of the access list");
}

TEST_F(ChanServ, SetDescriptionAndModes) {
  auto& alice = Founder("alice", "#club");
  auto& bob = Account("bob");
  bob.Join("#club");
  ExpectContains(Ask(alice, "SET #club DESCRIPTION Books and   tea"),
                 "description of #club is now: Books and   tea");
  auto info = AskAll(bob, "INFO #club");
  bool described = false;
  for (const auto& line : info) described = described || line == "  Description: Books and   tea";
  EXPECT_TRUE(described) << "INFO shows the description";

  ExpectContains(Ask(alice, "SET #club MODES +mk-t letmein"),
                 "modes of #club are now +kmn letmein");
  Message mode = bob.Expect(kChanServ + "MODE #club ");
  EXPECT_EQ(mode.Param(1), "+mk-t");
  EXPECT_EQ(mode.Param(2), "letmein");
  bob.Send("MODE #club");
  Message modes = bob.ExpectNumeric("324");
  EXPECT_EQ(modes.Param(2), "+kmn") << modes.raw;

  ExpectContains(Ask(bob, "SET #club DESCRIPTION mine"), "Only the founder of #club");
  ExpectContains(Ask(bob, "SET #club MODES +s"), "Only the founder of #club");
  ExpectContains(Ask(alice, "SET #club MODES +b bad!*@*"), "i m n s t k l only");
  ExpectContains(Ask(alice, "SET #club MODES +o bob"), "i m n s t k l only");
  ExpectContains(Ask(alice, "SET #club MODES +l many"), "limit (+l) must be a positive number");
  ExpectContains(Ask(alice, "SET #club MODES +k a:b"), "key (+k) must be");
  ExpectContains(Ask(alice, "SET #club MODES +X"), "Unknown mode X");
  ExpectContains(Ask(alice, "SET #club MODES"), "Syntax: SET <#room> MODES");
  ExpectContains(Ask(alice, "SET #club COLOUR red"), "Syntax: SET <#room>");
  bob.ExpectNone(Command("MODE"), "a refused SET MODES changed a mode");
  bob.Send("MODE #club");
  EXPECT_EQ(bob.ExpectNumeric("324").Param(2), "+kmn") << "refused changes leave the modes alone";
}

TEST_F(ChanServ, DropByFounderOrOperator) {
  auto& alice = Founder("alice", "#club");
  auto& bob = Account("bob");
  auto& guest = Guest("guest");
  ExpectContains(Ask(bob, "DROP #club"), "Only the founder of #club (alice) or an IRC operator");
  ExpectContains(Ask(guest, "DROP #club"), "must be logged in");
  ExpectContains(Ask(alice, "DROP #nope"), "#nope is not registered");
  ExpectContains(Ask(alice, "DROP #club"), "#club has been dropped");
  ExpectContains(Ask(alice, "INFO #club"), "#club is not registered");
  // An ordinary channel again: gone with its last member.
  alice.Send("PART #club");
  alice.ExpectCommand("PART");
  EXPECT_FALSE(bob.List().count("#club"));

  // An operator (here a guest) drops anyone's room.
  Founder("carol", "#den");
  guest.Send("OPER admin s3cret");
  guest.ExpectNumeric("381");
  ExpectContains(Ask(guest, "DROP #den"), "#den has been dropped");
  ExpectContains(Ask(bob, "INFO #den"), "#den is not registered");
  DropClients();
  ASSERT_EQ(server_.Stop(), 0);
  auto rows = AuditRows(server_);
  EXPECT_EQ(std::count(rows.begin(), rows.end(), "room.drop|guest|#den|founder carol"), 1)
      << "the operator's DROP is audited under its nick";
}

TEST_F(ChanServ, EmptyRegisteredRoomIsKeptAndStateSurvivesRestart) {
  auto& alice = Founder("alice", "#club");
  Account("bob");
  Account("carol");
  ExpectContains(Ask(alice, "ACCESS #club ADD bob moderator"), "bob now has moderator access");
  ExpectContains(Ask(alice, "ACCESS #club ADD carol voice"), "carol now has voice access");
  alice.Send("TOPIC #club :Kept across restarts");
  alice.ExpectCommand("TOPIC");
  alice.Send("MODE #club +m");
  alice.Expect(CommandParam("MODE", 1, "+m"));
  alice.Send("MODE #club +b troll!*@*");
  alice.Expect(CommandParam("MODE", 1, "+b"));
  alice.Send("PART #club");
  alice.ExpectCommand("PART");
  auto list = alice.List();
  ASSERT_TRUE(list.count("#club")) << "a registered room outlives its last member";
  EXPECT_EQ(list["#club"].Param(2), "0");

  DropClients();
  ASSERT_EQ(server_.Stop(), 0);
  server_.Start();

  auto& bob = Identified("bob");
  list = bob.List();
  ASSERT_TRUE(list.count("#club")) << "the empty registered room came back";
  auto info = AskAll(bob, "INFO #club");
  ASSERT_GE(info.size(), 2u);
  ExpectContains(info[1], "Founder: alice");
  bob.Join("#club");
  ExpectChanServMode(bob, "#club", "\\+o bob");
  auto& carol = Identified("carol");
  carol.Join("#club");
  ExpectChanServMode(carol, "#club", "\\+v carol");
  carol.Send("TOPIC #club");
  EXPECT_EQ(carol.ExpectNumeric("332").Last(), "Kept across restarts");
  carol.Send("MODE #club");
  Message modes = carol.ExpectNumeric("324");
  EXPECT_NE(modes.Param(2).find('m'), std::string::npos) << modes.raw;
  carol.Send("MODE #club +b");
  EXPECT_EQ(carol.ExpectNumeric("367").Param(2), "troll!*@*");
  auto& troll = Guest("troll");
  troll.Send("JOIN #club");
  troll.ExpectNumeric("474");
  auto& alice2 = Identified("alice");
  ExpectContains(Ask(alice2, "ACCESS #club DEL carol"), "carol was removed");
}

// The catalogue's rule is unchanged (every channel that is not secret, declared rooms first); a
// registered room is simply still there when empty, with the description its founder set.
TEST_F(ChanServ, CatalogueShowsAnEmptyRegisteredRoomAfterTheDeclaredOnes) {
  auto& alice = Founder("alice", "#club");
  ExpectContains(Ask(alice, "SET #club DESCRIPTION Books and tea"), "description of #club");
  alice.Send("PART #club");
  alice.ExpectCommand("PART");
  HttpResponse r = HttpGet(server_.http_port(), "/api/rooms");
  ASSERT_EQ(r.status, 200) << r.raw_head;
  boost::json::array rooms = boost::json::parse(r.body).as_array();
  ASSERT_EQ(rooms.size(), 2u) << r.body;
  EXPECT_EQ(rooms[0].at("name").as_string(), "#lobby");
  const auto& club = rooms[1].as_object();
  EXPECT_EQ(club.at("name").as_string(), "#club");
  EXPECT_EQ(club.at("description").as_string(), "Books and tea");
  EXPECT_EQ(club.at("members").to_number<int>(), 0);
  EXPECT_FALSE(club.at("declared").as_bool());
  ExpectContains(Ask(alice, "SET #club MODES +s"), "modes of #club are now");
  r = HttpGet(server_.http_port(), "/api/rooms");
  EXPECT_EQ(boost::json::parse(r.body).as_array().size(), 1u)
      << "secret rooms stay out: " << r.body;
}

TEST_F(ChanServ, ConfirmedChangesSurviveKill9) {
  auto& alice = Founder("alice", "#club");  // kill -9 right after this reply would keep it too
  Account("bob");
  alice.Send("TOPIC #club :Before the crash");
  alice.ExpectCommand("TOPIC");
  alice.Send("MODE #club +b troll!*@*");
  alice.Expect(CommandParam("MODE", 1, "+b"));
  ExpectContains(Ask(alice, "ACCESS #club ADD bob moderator"), "bob now has moderator access");
  // The store commits in call order: this confirmation also covers the topic and the ban.
  ExpectContains(Ask(alice, "SET #club MODES +i"), "modes of #club are now +int");
  DropClients();
  server_.Kill9();
  server_.Start();

  auto& bob = Identified("bob");
  auto info = AskAll(bob, "INFO #club");
  ASSERT_GE(info.size(), 2u);
  ExpectContains(info[1], "Founder: alice");
  bob.Send("JOIN #club");
  bob.ExpectNumeric("473");  // +i survived
  bob.Send("TOPIC #club");
  EXPECT_EQ(bob.ExpectNumeric("332").Last(), "Before the crash");
  bob.Send("MODE #club +b");
  EXPECT_EQ(bob.ExpectNumeric("367").Param(2), "troll!*@*");
  ExpectContains(Ask(bob, "OP #club bob"), "bob is not on #club");  // moderator: allowed, absent
}

TEST_F(ChanServ, RegisterSurvivesKill9RightAfterTheReply) {
  Founder("alice", "#club");
  DropClients();
  server_.Kill9();
  server_.Start();
  auto& guest = Guest("guest");
  auto info = AskAll(guest, "INFO #club");
  ASSERT_GE(info.size(), 2u);
  ExpectContains(info[1], "Founder: alice");
}

TEST_F(ChanServ, DropIsStoredAndPrivilegedActionsAreAudited) {
  auto& alice = Founder("alice", "#club");
  Founder("carol", "#den");
  auto& bob = Account("bob");
  bob.Join("#club");
  ExpectContains(Ask(alice, "ACCESS #club ADD bob moderator"), "bob now has moderator access");
  ExpectContains(Ask(alice, "ACCESS #club DEL bob"), "bob was removed");
  ExpectContains(Ask(alice, "SET #club DESCRIPTION Tea"), "description of #club is now");
  ExpectContains(Ask(alice, "SET #club MODES +m"), "modes of #club are now");
  Tell(alice, "OP #club bob");
  ExpectChanServMode(alice, "#club", "\\+o bob");
  Tell(alice, "DEOP #club bob");
  ExpectChanServMode(alice, "#club", "-o bob");
  ExpectContains(Ask(alice, "DROP #club"), "#club has been dropped");
  ExpectContains(Ask(alice, "DROP #den"), "Only the founder of #den");  // refused: not audited
  DropClients();
  ASSERT_EQ(server_.Stop(), 0);

  // action|actor|target|detail
  std::multiset<std::string> rows;
  for (const auto& row : AuditRows(server_)) {
    if (row.rfind("room.", 0) == 0) rows.insert(row);
  }
  EXPECT_EQ(rows, (std::multiset<std::string>{
                      "room.register|alice|#club|",
                      "room.register|carol|#den|",
                      "room.access.add|alice|#club|bob moderator",
                      "room.access.del|alice|#club|bob",
                      "room.set.description|alice|#club|Tea",
                      "room.set.modes|alice|#club|+m",
                      "room.op|alice|#club|bob",
                      "room.deop|alice|#club|bob",
                      "room.drop|alice|#club|founder alice",
                  }))
      << "refusals (DROP #den by alice) are not audited";

  server_.Start();
  auto& guest = Guest("guest");
  ExpectContains(Ask(guest, "INFO #club"), "#club is not registered");
  EXPECT_FALSE(guest.List().count("#club")) << "a dropped room does not come back";
  auto info = AskAll(guest, "INFO #den");
  ASSERT_GE(info.size(), 2u);
  ExpectContains(info[1], "Founder: carol");
}

}  // namespace
}  // namespace salon::testing

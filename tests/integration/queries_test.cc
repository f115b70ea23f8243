// User queries and operator commands: WHO/WHOX, WHOIS (privacy of addresses), WHOWAS, ISON,
// USERHOST, MONITOR, user modes, OPER and KILL.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <sstream>

#include "harness.h"

namespace salon::testing {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::set<std::string> LowerWords(const std::string& text, char sep = ' ') {
  std::set<std::string> out;
  std::istringstream in(text);
  for (std::string w; std::getline(in, w, sep);) {
    if (!w.empty()) out.insert(Lower(w));
  }
  return out;
}

class Queries : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!UsesOpers()) {
      server_.Start();
      return;
    }
    const std::string hash = TestServer::HashPassword("s3cret");
    server_.SetConfig(TestConfig({.tail = "[[opers]]\nname = \"admin\"\npassword_hash = \"" + hash +
                                          "\"\n\n[[opers]]\nname = \"remote\"\npassword_hash = \"" +
                                          hash + "\"\nhost_mask = \"*@10.9.9.9\"\n"}));
    server_.Start();
  }
  virtual bool UsesOpers() const { return false; }

  TestClient& User(const std::string& nick, const std::string& caps = "") {
    clients_.push_back(std::make_unique<TestClient>(server_));
    if (caps.empty()) {
      clients_.back()->Register(nick);
    } else {
      clients_.back()->RegisterWithCaps(nick, caps);
    }
    return *clients_.back();
  }

  TestServer server_{TestConfig()};
  std::vector<std::unique_ptr<TestClient>> clients_;
};

class Opers : public Queries {
 protected:
  bool UsesOpers() const override { return true; }
};

bool MentionsRealAddress(const std::vector<Message>& lines) {
  for (const auto& m : lines) {
    if (m.raw.find("127.0.0.1") != std::string::npos) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// WHO

TEST_F(Queries, WhoListsChannelMembersWithFlags) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  alice.Join("#room");
  bob.Join("#room");
  bob.Send("AWAY :brb");
  bob.ExpectNumeric("306");
  alice.Send("WHO #room");
  auto lines = alice.CollectUntil(Command("315"));
  EXPECT_EQ(lines.back().Param(1), "#room");
  std::map<std::string, Message> by_nick;
  for (const auto& m : lines) {
    // 352 <me> <channel> <user> <host> <server> <nick> <flags> :<hopcount> <realname>
    if (m.command == "352") by_nick[m.Param(5)] = m;
  }
  ASSERT_EQ(by_nick.size(), 2u);
  EXPECT_EQ(by_nick["alice"].Param(1), "#room");
  EXPECT_EQ(by_nick["alice"].Param(2), "~user");
  EXPECT_EQ(by_nick["alice"].Param(4), "salon.local");
  EXPECT_EQ(by_nick["alice"].Param(6), "H@");
  EXPECT_EQ(by_nick["bob"].Param(6), "G") << "away users are G(one)";
  EXPECT_EQ(by_nick["bob"].Last(), "0 Real Name");
  EXPECT_FALSE(MentionsRealAddress(lines));
}

TEST_F(Queries, WhoxReturnsRequestedFieldsAndToken) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  alice.Join("#room");
  bob.Join("#room");
  alice.Send("WHO #room %tcuhnfar,42");
  auto lines = alice.CollectUntil(Command("315"));
  std::map<std::string, Message> by_nick;
  for (const auto& m : lines) {
    if (m.command == "354") by_nick[m.Param(5)] = m;
    EXPECT_NE(m.command, "352") << "WHOX replies use 354";
  }
  ASSERT_EQ(by_nick.size(), 2u);
  // 354 <me> <token> <channel> <user> <host> <nick> <flags> <account> :<realname>
  const Message& a = by_nick["alice"];
  ASSERT_EQ(a.params.size(), 9u) << a.raw;
  EXPECT_EQ(a.Param(1), "42");
  EXPECT_EQ(a.Param(2), "#room");
  EXPECT_EQ(a.Param(3), "~user");
  EXPECT_TRUE(a.Param(4).ends_with(".salon")) << a.raw;
  EXPECT_EQ(a.Param(6), "H@");
  EXPECT_EQ(a.Param(7), "0") << "no account is 0";
  EXPECT_EQ(a.Param(8), "Real Name");

  alice.Send("WHO bob %n");
  Message only_nick = alice.ExpectNumeric("354");
  EXPECT_EQ(only_nick.params.size(), 2u) << only_nick.raw;
  EXPECT_EQ(only_nick.Param(1), "bob");
  alice.ExpectNumeric("315");
  EXPECT_FALSE(MentionsRealAddress(lines));
}

// Modern IRC (irctest who.WhoInvisibleTestCase): a mask hides invisible users from those who
// share no channel with them; their exact nick does not.
TEST_F(Queries, WhoHidesInvisibleUsersFromMasksButNotFromTheirNick) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  auto& carol = User("carol");
  alice.Send("MODE alice +i");
  alice.ExpectCommand("MODE");
  alice.Join("#room");
  bob.Join("#room");
  carol.Send("WHO ali*");
  auto stranger = carol.CollectUntil(Command("315"));
  EXPECT_EQ(stranger.size(), 1u) << stranger.front().raw;
  carol.Send("WHO *");
  for (const Message& m : carol.CollectUntil(Command("315"))) {
    EXPECT_NE(m.Param(5), "alice") << "WHO * shows an invisible stranger: " << m.raw;
  }
  carol.Send("WHO alice");
  auto by_nick = carol.CollectUntil(Command("315"));
  ASSERT_EQ(by_nick.size(), 2u);
  EXPECT_EQ(by_nick.front().command, "352");
  EXPECT_EQ(by_nick.front().Param(5), "alice");
  // Someone on a shared channel sees them through a mask too, and a channel's WHO hides
  // invisible members from outsiders only.
  bob.Send("WHO ali*");
  auto peer = bob.CollectUntil(Command("315"));
  ASSERT_EQ(peer.size(), 2u);
  EXPECT_EQ(peer.front().command, "352");
  carol.Send("WHO #room");
  auto outsider = carol.CollectUntil(Command("315"));
  ASSERT_EQ(outsider.size(), 2u) << "only bob is visible to an outsider";
  EXPECT_EQ(outsider.front().Param(5), "bob");
}

// ---------------------------------------------------------------------------------------------
// WHOIS / WHOWAS

TEST_F(Queries, WhoisShowsCloakedHostToOthersAndRealHostToSelf) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  alice.Join("#room");
  alice.Join("#hidden");
  alice.Send("MODE #hidden +s");
  alice.ExpectCommand("MODE");

  bob.Send("WHOIS alice");
  auto lines = bob.CollectUntil(Command("318"));
  std::map<std::string, Message> by_code;
  for (const auto& m : lines) by_code[m.command] = m;
  ASSERT_TRUE(by_code.count("311"));
  const Message& user = by_code["311"];
  EXPECT_EQ(user.Param(1), "alice");
  EXPECT_EQ(user.Param(2), "~user");
  EXPECT_TRUE(user.Param(3).ends_with(".salon")) << user.raw;
  EXPECT_EQ(user.Param(4), "*");
  EXPECT_EQ(user.Last(), "Real Name");
  ASSERT_TRUE(by_code.count("319"));
  EXPECT_EQ(LowerWords(by_code["319"].Last()), (std::set<std::string>{"@#room"}))
      << "secret channels are hidden from others: " << by_code["319"].raw;
  EXPECT_TRUE(by_code.count("312"));
  EXPECT_TRUE(by_code.count("317"));
  EXPECT_FALSE(by_code.count("378")) << "378 reveals the address: " << by_code["378"].raw;
  EXPECT_FALSE(MentionsRealAddress(lines));

  alice.Send("WHOIS alice");
  auto self = alice.CollectUntil(Command("318"));
  bool saw_378 = false;
  for (const auto& m : self) {
    if (m.command == "378") {
      saw_378 = true;
      EXPECT_NE(m.Last().find("127.0.0.1"), std::string::npos) << m.raw;
    }
    if (m.command == "319") {
      EXPECT_EQ(LowerWords(m.Last()), (std::set<std::string>{"@#room", "@#hidden"}));
    }
  }
  EXPECT_TRUE(saw_378) << "WHOIS on oneself shows the real address (378)";
}

TEST_F(Queries, WhoisUnknownNickGives401) {
  auto& alice = User("alice");
  alice.Send("WHOIS ghost");
  EXPECT_EQ(alice.ExpectNumeric("401").Param(1), "ghost");
  EXPECT_EQ(alice.ExpectNumeric("318").Param(1), "ghost");
}

TEST_F(Queries, WhowasRemembersDepartedUsers) {
  auto& alice = User("alice");
  {
    TestClient bob(server_);
    bob.Register("bob", "bobuser", "Bob Builder");
    bob.Send("QUIT :bye");
    bob.ExpectClosed();
  }
  alice.Send("WHOWAS bob");
  Message was = alice.ExpectNumeric("314");
  EXPECT_EQ(was.Param(1), "bob");
  EXPECT_EQ(was.Param(2), "~bobuser");
  EXPECT_TRUE(was.Param(3).ends_with(".salon")) << "WHOWAS hides the address too: " << was.raw;
  EXPECT_EQ(was.Last(), "Bob Builder");
  EXPECT_EQ(alice.ExpectNumeric("369").Param(1), "bob");

  alice.Send("WHOWAS neverseen");
  EXPECT_EQ(alice.ExpectNumeric("406").Param(1), "neverseen");
  alice.ExpectNumeric("369");
}

// RFC 1459 / Modern (irctest whowas.*): newest first, <count> entries at most, and a count
// that is zero, negative or not a number means all of them.
TEST_F(Queries, WhowasListsEveryEntryNewestFirstAndHonoursTheCount) {
  auto& alice = User("alice");
  for (const char* ident : {"first", "second"}) {
    TestClient bob(server_);
    bob.Register("bob", ident, "Bob");
    bob.Send("QUIT");
    bob.ExpectClosed();
  }
  auto idents = [&](const std::string& command) {
    alice.Send(command);
    std::vector<std::string> out;
    for (const Message& m : alice.CollectUntil(Command("369"))) {
      if (m.command == "314") out.push_back(m.Param(2));
      if (m.command != "314" && m.command != "312" && m.command != "369") {
        ADD_FAILURE() << command << ": unexpected " << m.raw;
      }
    }
    return out;
  };
  const std::vector<std::string> both = {"~second", "~first"};
  EXPECT_EQ(idents("WHOWAS bob"), both);
  EXPECT_EQ(idents("WHOWAS bob 1"), std::vector<std::string>{"~second"});
  EXPECT_EQ(idents("WHOWAS bob 2"), both);
  EXPECT_EQ(idents("WHOWAS bob 0"), both);
  EXPECT_EQ(idents("WHOWAS bob -1"), both);
  EXPECT_EQ(idents("WHOWAS bob many"), both);
  alice.Send("WHOWAS :");
  alice.ExpectNumeric("431");
  alice.Send("WHOWAS");
  EXPECT_EQ(alice.ExpectNumeric("461").Param(1), "WHOWAS");
}

TEST_F(Queries, IsonAndUserhost) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  bob.Send("AWAY :out");
  bob.ExpectNumeric("306");
  alice.Send("ISON alice nobody BOB");
  Message ison = alice.ExpectNumeric("303");
  EXPECT_EQ(LowerWords(ison.Last()), (std::set<std::string>{"alice", "bob"})) << ison.raw;
  alice.Send("ISON nobody");
  EXPECT_EQ(alice.ExpectNumeric("303").Last(), "");

  alice.Send("USERHOST alice bob nobody");
  Message uh = alice.ExpectNumeric("302");
  std::map<std::string, std::string> replies;
  std::istringstream in(uh.Last());
  for (std::string item; in >> item;) {
    auto eq = item.find('=');
    ASSERT_NE(eq, std::string::npos) << item;
    replies[Lower(item.substr(0, eq))] = item.substr(eq + 1);
  }
  ASSERT_EQ(replies.size(), 2u) << uh.raw;
  EXPECT_EQ(replies["alice"].front(), '+') << "here";
  EXPECT_EQ(replies["bob"].front(), '-') << "away";
  EXPECT_NE(replies["alice"].find("~user@"), std::string::npos) << uh.raw;
  EXPECT_EQ(replies["bob"].find("127.0.0.1"), std::string::npos) << uh.raw;
}

// ---------------------------------------------------------------------------------------------
// MONITOR

TEST_F(Queries, MonitorReportsOnlineAndOfflineChanges) {
  auto& alice = User("alice");
  alice.Send("MONITOR + bob,carol");
  Message offline = alice.ExpectNumeric("731");
  EXPECT_EQ(LowerWords(offline.Last(), ','), (std::set<std::string>{"bob", "carol"}));

  auto bob = std::make_unique<TestClient>(server_);
  bob->Register("bob");
  Message online = alice.ExpectNumeric("730");
  EXPECT_EQ(Lower(online.Last().substr(0, online.Last().find('!'))), "bob") << online.raw;
  EXPECT_EQ(online.Last().find("127.0.0.1"), std::string::npos) << online.raw;

  alice.Send("MONITOR L");
  std::set<std::string> listed;
  for (const auto& m : alice.CollectUntil(Command("733"))) {
    if (m.command == "732") {
      for (const auto& n : LowerWords(m.Last(), ',')) listed.insert(n);
    }
  }
  EXPECT_EQ(listed, (std::set<std::string>{"bob", "carol"}));

  alice.Send("MONITOR S");
  auto status = alice.CollectUntil(Command("731"));
  bool saw_online_bob = false;
  for (const auto& m : status) saw_online_bob = saw_online_bob || m.command == "730";
  EXPECT_TRUE(saw_online_bob);

  bob->Send("QUIT");
  bob->ExpectClosed();
  EXPECT_EQ(Lower(alice.ExpectNumeric("731").Last()), "bob");

  alice.Send("MONITOR - bob");
  TestClient bob_again(server_);
  bob_again.Register("bob");
  alice.ExpectNone(Command("730"), "730 for a nick removed from the list");

  alice.Send("MONITOR C");
  alice.Send("MONITOR L");
  auto after_clear = alice.CollectUntil(Command("733"));
  EXPECT_EQ(after_clear.size(), 1u) << after_clear.front().raw;
}

TEST_F(Queries, MonitorListIsLimited) {
  server_.Stop();
  server_.SetConfig(TestConfig({.limits = "monitor_entries = 2\n"}));
  server_.Start();
  auto& alice = User("alice");
  alice.Send("MONITOR + n1,n2,n3");
  Message full = alice.ExpectNumeric("734");
  EXPECT_EQ(full.Param(1), "2") << full.raw;
}

// ---------------------------------------------------------------------------------------------
// User modes

TEST_F(Queries, UserModesInvisibleAndWallops) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  alice.Send("MODE alice +iw");
  Message set = alice.ExpectCommand("MODE");
  EXPECT_EQ(set.Param(0), "alice");
  std::string flags = set.Last();
  EXPECT_TRUE(flags.find('i') != std::string::npos && flags.find('w') != std::string::npos)
      << set.raw;
  alice.Send("MODE alice");
  Message now = alice.ExpectNumeric("221");
  EXPECT_NE(now.Param(1).find('i'), std::string::npos) << now.raw;
  EXPECT_NE(now.Param(1).find('w'), std::string::npos) << now.raw;

  alice.Send("MODE alice +o");  // only OPER grants +o
  alice.Send("MODE alice");
  EXPECT_EQ(alice.ExpectNumeric("221").Param(1).find('o'), std::string::npos);

  alice.Send("MODE alice -w");
  EXPECT_EQ(alice.ExpectCommand("MODE").Last(), "-w");

  bob.Send("MODE alice +i");
  bob.ExpectNumeric("502");
  bob.Send("MODE alice");
  bob.ExpectNumeric("502");
  alice.Send("MODE alice +Q");
  alice.ExpectNumeric("501");

  bob.Send("LUSERS");
  Message lusers = bob.ExpectNumeric("251");
  EXPECT_NE(lusers.Last().find("1 invisible"), std::string::npos) << lusers.raw;
}

// ---------------------------------------------------------------------------------------------
// OPER / KILL

TEST_F(Opers, OperWithRightAndWrongPassword) {
  auto& alice = User("alice");
  alice.Send("OPER admin wrong");
  alice.ExpectNumeric("464");
  alice.Send("OPER nosuchoper s3cret");
  alice.Expect(AnyOf({Command("464"), Command("491")}));
  alice.Send("OPER remote s3cret");  // host_mask does not match 127.0.0.1
  alice.ExpectNumeric("491");
  alice.Send("OPER admin s3cret");
  alice.ExpectNumeric("381");
  Message mode = alice.ExpectCommand("MODE");
  EXPECT_EQ(mode.Param(0), "alice");
  EXPECT_NE(mode.Last().find('o'), std::string::npos) << mode.raw;

  auto& bob = User("bob");
  bob.Send("WHOIS alice");
  bool saw_313 = false;
  for (const auto& m : bob.CollectUntil(Command("318"))) saw_313 = saw_313 || m.command == "313";
  EXPECT_TRUE(saw_313) << "WHOIS shows operators with 313";
  // An operator may see the real address of others.
  alice.Send("WHOIS bob");
  bool saw_378 = false;
  for (const auto& m : alice.CollectUntil(Command("318"))) {
    saw_378 = saw_378 || (m.command == "378" && m.Last().find("127.0.0.1") != std::string::npos);
  }
  EXPECT_TRUE(saw_378);
}

TEST_F(Opers, KillNeedsOperAndDisconnectsTheTarget) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  auto& carol = User("carol");
  bob.Join("#room");
  carol.Join("#room");

  carol.Send("KILL bob :go away");
  carol.ExpectNumeric("481");
  bob.Sync();  // still here

  alice.Send("OPER admin s3cret");
  alice.ExpectNumeric("381");
  alice.Send("KILL nobody :x");
  EXPECT_EQ(alice.ExpectNumeric("401").Param(1), "nobody");
  alice.Send("KILL bob :spamming");
  auto last = bob.ExpectClosed();
  bool saw_error = false;
  for (const auto& m : last) {
    if (m.command == "ERROR") {
      saw_error = true;
      EXPECT_NE(m.Last().find("spamming"), std::string::npos) << m.raw;
    }
  }
  EXPECT_TRUE(saw_error);
  Message quit = carol.ExpectCommand("QUIT");
  EXPECT_EQ(quit.SourceNick(), "bob");
  EXPECT_NE(quit.Last().find("Killed"), std::string::npos) << quit.raw;
  EXPECT_NE(quit.Last().find("spamming"), std::string::npos) << quit.raw;
}

TEST_F(Queries, MonitorFollowsNickChanges) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  alice.Send("MONITOR + robert");
  alice.ExpectNumeric("731");
  bob.Send("NICK robert");
  bob.ExpectCommand("NICK");
  Message on = alice.ExpectNumeric("730");
  EXPECT_EQ(Lower(on.Last().substr(0, on.Last().find('!'))), "robert") << on.raw;
  bob.Send("NICK bobby");
  bob.ExpectCommand("NICK");
  EXPECT_EQ(Lower(alice.ExpectNumeric("731").Last()), "robert");
}

TEST_F(Queries, WhoisWithServerParameter) {
  auto& alice = User("alice");
  User("bob");
  alice.Send("WHOIS bob bob");
  EXPECT_EQ(alice.ExpectNumeric("311").Param(1), "bob");
  alice.ExpectNumeric("318");
}

TEST_F(Queries, WhoShowsAllPrefixesWithMultiPrefix) {
  auto& alice = User("alice", "multi-prefix");
  alice.Join("#room");
  alice.Send("MODE #room +v alice");
  alice.ExpectCommand("MODE");
  alice.Send("WHO #room");
  Message m = alice.ExpectNumeric("352");
  EXPECT_EQ(m.Param(6), "H@+") << m.raw;
  alice.ExpectNumeric("315");
}

TEST_F(Queries, WhowasRecordsNickChanges) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  bob.Send("NICK robert");
  bob.ExpectCommand("NICK");
  alice.Send("WHOWAS bob");
  EXPECT_EQ(alice.ExpectNumeric("314").Param(1), "bob");
  alice.ExpectNumeric("369");
}

// irctest wallops.py: from operators only, to users with +w.
TEST_F(Opers, WallopsReachUsersWithPlusWFromOperatorsOnly) {
  auto& alice = User("alice");
  auto& listener = User("listener");
  auto& deaf = User("deaf");
  listener.Send("MODE listener +w");
  listener.ExpectCommand("MODE");
  alice.Send("WALLOPS :hi everyone");
  EXPECT_EQ(alice.ExpectNumeric("481").Param(0), "alice");
  listener.ExpectNone(Command("WALLOPS"), "WALLOPS from a user who is not an operator");

  alice.Send("OPER admin s3cret");
  alice.ExpectNumeric("381");
  alice.Send("WALLOPS :hi everyone");
  Message wallops = listener.ExpectCommand("WALLOPS");
  EXPECT_EQ(wallops.SourceNick(), "alice");
  EXPECT_EQ(wallops.Last(), "hi everyone");
  alice.ExpectNone(Command("WALLOPS"), "WALLOPS echoed to a sender without +w");
  deaf.ExpectNone(Command("WALLOPS"), "WALLOPS to a user without +w");
  alice.Send("WALLOPS :");
  EXPECT_EQ(alice.ExpectNumeric("461").Param(1), "WALLOPS");
}

TEST_F(Opers, UserhostMarksOperators) {
  auto& alice = User("alice");
  alice.Send("OPER admin s3cret");
  alice.ExpectNumeric("381");
  auto& bob = User("bob");
  bob.Send("USERHOST alice");
  Message m = bob.ExpectNumeric("302");
  EXPECT_EQ(m.Last().rfind("alice*=+", 0), 0u) << m.raw;
}

}  // namespace
}  // namespace salon::testing

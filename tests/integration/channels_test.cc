// Channel commands: JOIN, PART, TOPIC, NAMES, LIST (ELIST), INVITE, KICK and channel modes
// with their error numerics.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <sstream>

#include "harness.h"

namespace salon::testing {
namespace {

class Channels : public ::testing::Test {
 protected:
  void SetUp() override { server_.Start(); }

  // A registered client.
  TestClient& User(const std::string& nick, const std::string& caps = "") {
    clients_.push_back(std::make_unique<TestClient>(server_));
    if (caps.empty()) {
      clients_.back()->Register(nick);
    } else {
      clients_.back()->RegisterWithCaps(nick, caps);
    }
    return *clients_.back();
  }

  // The nicks (with prefixes) listed by 353 lines up to the 366 for `channel`.
  static std::set<std::string> Names(TestClient& c, const std::string& channel) {
    std::set<std::string> out;
    auto lines = c.CollectUntil(CommandParam("366", 1, channel));
    for (const auto& m : lines) {
      if (m.command != "353" || m.Param(2) != channel) continue;
      std::istringstream in(m.Last());
      for (std::string n; in >> n;) out.insert(n);
    }
    return out;
  }

  // User-created rooms listed, as on a classic IRC server: these LIST tests are about ELIST
  // filters and +s (the unlisted default is room_policy_test's).
  TestServer server_{TestConfig({.tail = "[room_policy]\nuser_rooms = \"listed\"\n"})};
  std::vector<std::unique_ptr<TestClient>> clients_;
};

std::set<std::string> Set(std::initializer_list<std::string> items) { return {items}; }

// ---------------------------------------------------------------------------------------------
// JOIN / PART

TEST_F(Channels, JoinCreatesChannelWithCreatorAsOpAndDefaultModes) {
  auto& alice = User("alice");
  alice.Send("JOIN #new");
  Message join = alice.ExpectCommand("JOIN");
  EXPECT_EQ(join.SourceNick(), "alice");
  EXPECT_EQ(join.Param(0), "#new");
  EXPECT_EQ(Names(alice, "#new"), Set({"@alice"}));
  alice.Send("MODE #new");
  Message modes = alice.ExpectNumeric("324");
  EXPECT_EQ(modes.Param(1), "#new");
  EXPECT_EQ(modes.Param(2), "+nt") << modes.raw;
}

TEST_F(Channels, JoinSeveralChannelsWithKeys) {
  auto& alice = User("alice");
  alice.Join("#a");
  alice.Join("#b");
  alice.Send("MODE #a +k keya");
  alice.ExpectCommand("MODE");
  alice.Send("MODE #b +k keyb");
  alice.ExpectCommand("MODE");

  auto& bob = User("bob");
  bob.Send("JOIN #a,#b,#c keya,keyb");
  std::set<std::string> joined;
  for (int i = 0; i < 3; ++i) {
    Message m = bob.Expect(AnyOf({Command("JOIN"), Command("475")}));
    ASSERT_EQ(m.command, "JOIN") << m.raw;
    joined.insert(m.Param(0));
  }
  EXPECT_EQ(joined, Set({"#a", "#b", "#c"}));
  EXPECT_EQ(Names(bob, "#a"), Set({"@alice", "bob"}));
  EXPECT_EQ(Names(bob, "#b"), Set({"@alice", "bob"}));
  EXPECT_EQ(Names(bob, "#c"), Set({"@bob"}));
  // Each member of #a saw bob's join.
  EXPECT_EQ(alice.ExpectCommand("JOIN").SourceNick(), "bob");
}

TEST_F(Channels, JoinWithWrongKeyGives475) {
  auto& alice = User("alice");
  alice.Join("#locked");
  alice.Send("MODE #locked +k sesame");
  alice.ExpectCommand("MODE");
  auto& bob = User("bob");
  bob.Send("JOIN #locked");
  EXPECT_EQ(bob.ExpectNumeric("475").Param(1), "#locked");
  bob.Send("JOIN #locked wrong");
  bob.ExpectNumeric("475");
  bob.Join("#locked", "sesame");
  // The key is shown to members in the mode query.
  bob.Send("MODE #locked");
  Message modes = bob.ExpectNumeric("324");
  EXPECT_NE(modes.Param(2).find('k'), std::string::npos) << modes.raw;
  // -k needs the key parameter on the wire but removes it.
  alice.Send("MODE #locked -k sesame");
  alice.ExpectCommand("MODE");
  auto& carol = User("carol");
  carol.Join("#locked");
}

TEST_F(Channels, JoinZeroPartsEveryChannel) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  alice.Join("#one");
  alice.Join("#two");
  bob.Join("#one");
  alice.Drain();
  alice.Send("JOIN 0");
  std::set<std::string> parted;
  parted.insert(alice.ExpectCommand("PART").Param(0));
  parted.insert(alice.ExpectCommand("PART").Param(0));
  EXPECT_EQ(parted, Set({"#one", "#two"}));
  Message seen = bob.ExpectCommand("PART");
  EXPECT_EQ(seen.SourceNick(), "alice");
  EXPECT_EQ(seen.Param(0), "#one");
  bob.Send("NAMES #one");
  EXPECT_EQ(Names(bob, "#one"), Set({"bob"}));
}

TEST_F(Channels, PartWithReasonAndErrors) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  alice.Join("#room");
  bob.Join("#room");
  alice.Drain();
  bob.Send("PART #room :see you later");
  Message part = alice.ExpectCommand("PART");
  EXPECT_EQ(part.SourceNick(), "bob");
  EXPECT_EQ(part.Param(0), "#room");
  EXPECT_EQ(part.Param(1), "see you later") << part.raw;
  EXPECT_EQ(bob.ExpectCommand("PART").Param(1), "see you later");

  bob.Send("PART #room");
  EXPECT_EQ(bob.ExpectNumeric("442").Param(1), "#room");
  bob.Send("PART #nowhere");
  EXPECT_EQ(bob.ExpectNumeric("403").Param(1), "#nowhere");
}

TEST_F(Channels, LastPartDestroysTheChannel) {
  auto& alice = User("alice");
  alice.Join("#ephemeral");
  alice.Send("PART #ephemeral");
  alice.ExpectCommand("PART");
  auto& bob = User("bob");
  bob.Send("JOIN #ephemeral");
  bob.ExpectCommand("JOIN");
  EXPECT_EQ(Names(bob, "#ephemeral"), Set({"@bob"})) << "a re-created channel has a new op";
}

TEST_F(Channels, BadChannelNamesGive476Or403) {
  auto& alice = User("alice");
  alice.Send("JOIN nochannel");
  Message m = alice.ExpectNumeric("476");
  EXPECT_EQ(m.Param(1), "nochannel");
  alice.Send("JOIN #bad,name");  // a comma splits: "#bad" is fine, "name" is not
  alice.ExpectCommand("JOIN");
  alice.Expect(AnyOf({Command("476"), Command("403")}));
  alice.Send(std::string("JOIN #bell\x07"));
  alice.Expect(AnyOf({Command("476"), Command("403")}));
  alice.Send("JOIN #" + std::string(60, 'x'));  // over CHANNELLEN=50
  alice.Expect(AnyOf({Command("476"), Command("403")}));
}

// ---------------------------------------------------------------------------------------------
// TOPIC

TEST_F(Channels, TopicSetQueryAndClear) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  alice.Join("#room");
  bob.Join("#room");
  alice.Drain();

  bob.Send("TOPIC #room");
  EXPECT_EQ(bob.ExpectNumeric("331").Param(1), "#room");

  alice.Send("TOPIC #room :Welcome, all of you");
  for (TestClient* c : {&alice, &bob}) {
    Message t = c->ExpectCommand("TOPIC");
    EXPECT_EQ(t.SourceNick(), "alice");
    EXPECT_EQ(t.Param(0), "#room");
    EXPECT_EQ(t.Param(1), "Welcome, all of you");
  }
  bob.Send("TOPIC #room");
  Message topic = bob.ExpectNumeric("332");
  EXPECT_EQ(topic.Param(1), "#room");
  EXPECT_EQ(topic.Last(), "Welcome, all of you");
  Message who = bob.ExpectNumeric("333");
  EXPECT_EQ(who.Param(1), "#room");
  EXPECT_EQ(who.Param(2).substr(0, 5), "alice") << who.raw;
  EXPECT_GT(std::stoll(who.Param(3)), 1600000000) << who.raw;

  // A joiner gets the topic.
  auto& carol = User("carol");
  auto lines = carol.Join("#room");
  bool saw_332 = false;
  for (const auto& m : lines)
    saw_332 = saw_332 || (m.command == "332" && m.Last() == "Welcome, all of you");
  EXPECT_TRUE(saw_332);

  alice.Send("TOPIC #room :");
  EXPECT_EQ(bob.ExpectCommand("TOPIC").Param(1), "");
  bob.Send("TOPIC #room");
  bob.ExpectNumeric("331");
}

TEST_F(Channels, TopicLockRequiresOp) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  alice.Join("#room");
  bob.Join("#room");
  bob.Send("TOPIC #room :mine now");
  EXPECT_EQ(bob.ExpectNumeric("482").Param(1), "#room");
  alice.Send("MODE #room -t");
  bob.ExpectCommand("MODE");
  bob.Send("TOPIC #room :mine now");
  EXPECT_EQ(alice.ExpectCommand("TOPIC").Param(1), "mine now");

  auto& carol = User("carol");
  carol.Send("TOPIC #room :outsider");
  EXPECT_EQ(carol.ExpectNumeric("442").Param(1), "#room");
  carol.Send("TOPIC #missing :x");
  EXPECT_EQ(carol.ExpectNumeric("403").Param(1), "#missing");
  carol.Send("TOPIC #room");  // anyone may read the topic of a public channel
  carol.ExpectNumeric("332");
}

TEST_F(Channels, TopicIsTruncatedToTopicLen) {
  auto& alice = User("alice");
  alice.Join("#room");
  alice.Send("TOPIC #room :" + std::string(450, 't'));
  Message t = alice.ExpectCommand("TOPIC");
  EXPECT_LE(t.Last().size(), 390u);
}

// ---------------------------------------------------------------------------------------------
// NAMES

TEST_F(Channels, NamesListsPrefixesAndHonoursMultiPrefixAndUserhostInNames) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  auto& carol = User("carol");
  alice.Join("#room");
  bob.Join("#room");
  carol.Join("#room");
  alice.Send("MODE #room +v bob");
  alice.ExpectCommand("MODE");
  alice.Send("MODE #room +v alice");
  alice.ExpectCommand("MODE");

  carol.Send("NAMES #room");
  Message names = carol.ExpectNumeric("353");
  EXPECT_EQ(names.Param(1), "=") << "public channel";
  carol.CollectUntil(Command("366"));
  carol.Send("NAMES #room");
  EXPECT_EQ(Names(carol, "#room"), Set({"@alice", "+bob", "carol"}));

  auto& dave = User("dave", "multi-prefix");
  dave.Join("#room");
  dave.Send("NAMES #room");
  EXPECT_EQ(Names(dave, "#room"), Set({"@+alice", "+bob", "carol", "dave"}));

  auto& erin = User("erin", "userhost-in-names");
  erin.Join("#room");
  erin.Send("NAMES #room");
  auto full = Names(erin, "#room");
  ASSERT_EQ(full.size(), 5u);
  for (const auto& n : full) {
    EXPECT_NE(n.find('!'), std::string::npos) << n;
    EXPECT_NE(n.find('@', 1), std::string::npos) << n;
    EXPECT_EQ(n.find("127.0.0.1"), std::string::npos) << n;
  }
}

TEST_F(Channels, NamesOfSecretChannelIsHiddenFromOutsiders) {
  auto& alice = User("alice");
  alice.Join("#hidden");
  alice.Send("MODE #hidden +s");
  alice.ExpectCommand("MODE");
  alice.Send("NAMES #hidden");
  Message m = alice.ExpectNumeric("353");
  EXPECT_EQ(m.Param(1), "@") << "secret channels use the @ symbol";
  alice.CollectUntil(Command("366"));

  auto& bob = User("bob");
  bob.Send("NAMES #hidden");
  auto lines = bob.CollectUntil(Command("366"));
  EXPECT_EQ(lines.size(), 1u) << "no 353 for an outsider: " << lines.front().raw;
}

// ---------------------------------------------------------------------------------------------
// LIST

TEST_F(Channels, ListShowsCountsTopicsAndAppliesElistFilters) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  auto& carol = User("carol");
  alice.Join("#big");
  bob.Join("#big");
  carol.Join("#big");
  alice.Join("#fish");
  bob.Join("#fish");
  alice.Join("#food");
  alice.Send("TOPIC #fish :All about fish");
  alice.ExpectCommand("TOPIC");

  auto list = [&](const std::string& args) {
    alice.Send("LIST" + (args.empty() ? "" : " " + args));
    std::map<std::string, Message> out;
    for (const auto& m : alice.CollectUntil(Command("323"))) {
      if (m.command == "322") out[m.Param(1)] = m;
    }
    return out;
  };
  auto all = list("");
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all["#big"].Param(2), "3");
  EXPECT_EQ(all["#fish"].Param(2), "2");
  EXPECT_EQ(all["#food"].Param(2), "1");
  EXPECT_NE(all["#fish"].Last().find("All about fish"), std::string::npos) << all["#fish"].raw;

  auto more_than_1 = list(">1");
  EXPECT_EQ(more_than_1.size(), 2u);
  EXPECT_TRUE(more_than_1.count("#big") && more_than_1.count("#fish"));
  auto fewer_than_3 = list("<3");
  EXPECT_EQ(fewer_than_3.size(), 2u);
  EXPECT_TRUE(fewer_than_3.count("#fish") && fewer_than_3.count("#food"));
  auto between = list(">1,<3");
  ASSERT_EQ(between.size(), 1u);
  EXPECT_TRUE(between.count("#fish"));
  auto masked = list("#f*");
  EXPECT_EQ(masked.size(), 2u);
  EXPECT_TRUE(masked.count("#fish") && masked.count("#food"));
  auto masked_upper = list("#F?SH");
  ASSERT_EQ(masked_upper.size(), 1u) << "masks match case-insensitively";
  EXPECT_TRUE(masked_upper.count("#fish"));
  auto negated = list("!#f*");
  ASSERT_EQ(negated.size(), 1u);
  EXPECT_TRUE(negated.count("#big"));
}

TEST_F(Channels, ListHidesSecretChannelsFromOutsiders) {
  auto& alice = User("alice");
  alice.Join("#secret");
  alice.Join("#open");
  alice.Send("MODE #secret +s");
  alice.ExpectCommand("MODE");
  auto& bob = User("bob");
  bob.Send("LIST");
  std::set<std::string> seen;
  for (const auto& m : bob.CollectUntil(Command("323"))) {
    if (m.command == "322") seen.insert(m.Param(1));
  }
  EXPECT_EQ(seen, Set({"#open"}));
  alice.Send("LIST");
  seen.clear();
  for (const auto& m : alice.CollectUntil(Command("323"))) {
    if (m.command == "322") seen.insert(m.Param(1));
  }
  EXPECT_EQ(seen, Set({"#open", "#secret"})) << "members see their secret channel";
}

// ---------------------------------------------------------------------------------------------
// INVITE / KICK

TEST_F(Channels, InviteLetsAUserIntoAnInviteOnlyChannel) {
  auto& alice = User("alice");
  auto& watcher = User("watcher", "invite-notify");
  alice.Join("#club");
  watcher.Join("#club");
  alice.Send("MODE #club +o watcher");
  watcher.ExpectCommand("MODE");
  alice.Send("MODE #club +i");
  watcher.ExpectCommand("MODE");

  auto& bob = User("bob");
  bob.Send("JOIN #club");
  EXPECT_EQ(bob.ExpectNumeric("473").Param(1), "#club");

  alice.Send("INVITE bob #club");
  Message inviting = alice.ExpectNumeric("341");
  EXPECT_EQ(inviting.Param(1), "bob");
  EXPECT_EQ(inviting.Param(2), "#club");
  Message invite = bob.ExpectCommand("INVITE");
  EXPECT_EQ(invite.SourceNick(), "alice");
  EXPECT_EQ(invite.Param(0), "bob");
  EXPECT_EQ(invite.Param(1), "#club");
  Message notify = watcher.ExpectCommand("INVITE");  // invite-notify
  EXPECT_EQ(notify.Param(0), "bob");
  bob.Join("#club");

  // Errors.
  alice.Send("INVITE bob #club");
  EXPECT_EQ(alice.ExpectNumeric("443").Param(1), "bob");
  alice.Send("INVITE nobody #club");
  EXPECT_EQ(alice.ExpectNumeric("401").Param(1), "nobody");
  auto& carol = User("carol");
  carol.Send("INVITE alice #club");
  EXPECT_EQ(carol.ExpectNumeric("442").Param(1), "#club");
  bob.Send("INVITE carol #club");  // not an op on a +i channel
  EXPECT_EQ(bob.ExpectNumeric("482").Param(1), "#club");
}

// irctest invite.testInviteList: INVITE alone lists the rooms one is invited to (336, 337).
TEST_F(Channels, InviteWithoutParametersListsPendingInvitations) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  bob.Send("INVITE");
  EXPECT_EQ(bob.ExpectNext(Command("337")).Param(0), "bob");
  alice.Join("#one");
  alice.Join("#two");
  alice.Send("INVITE bob #one");
  alice.ExpectNumeric("341");
  alice.Send("INVITE bob #two");
  alice.ExpectNumeric("341");
  bob.Drain();
  bob.Send("INVITE");
  std::set<std::string> rooms;
  for (const Message& m : bob.CollectUntil(Command("337"))) {
    if (m.command == "336") rooms.insert(m.Param(1));
  }
  EXPECT_EQ(rooms, Set({"#one", "#two"}));
  bob.Join("#one");  // joining uses up the invitation
  bob.Send("INVITE");
  auto after = bob.CollectUntil(Command("337"));
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0].Param(1), "#two");
}

TEST_F(Channels, KickRemovesAMemberWithAReason) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  auto& carol = User("carol");
  alice.Join("#room");
  bob.Join("#room");
  carol.Join("#room");
  alice.Drain();
  bob.Drain();

  alice.Send("KICK #room bob :behave yourself");
  for (TestClient* c : {&alice, &bob, &carol}) {
    Message kick = c->ExpectCommand("KICK");
    EXPECT_EQ(kick.SourceNick(), "alice");
    EXPECT_EQ(kick.Param(0), "#room");
    EXPECT_EQ(kick.Param(1), "bob");
    EXPECT_EQ(kick.Param(2), "behave yourself");
  }
  carol.Send("NAMES #room");
  EXPECT_EQ(Names(carol, "#room"), Set({"@alice", "carol"}));
  // bob is no longer a member: no more channel traffic.
  alice.Send("PRIVMSG #room :after the kick");
  carol.ExpectCommand("PRIVMSG");
  bob.ExpectNone(Command("PRIVMSG"), "message from a channel bob was kicked from");
}

// One room and several nicks, or rooms and nicks in pairs (RFC 2812); each KICK line names
// one of each (irctest kick.testDoubleKickMessages).
TEST_F(Channels, KickSeveralNicksAtOnce) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  auto& carol = User("carol");
  auto& dave = User("dave");
  for (TestClient* c : {&alice, &bob, &carol, &dave}) c->Join("#room");
  alice.Join("#other");
  bob.Join("#other");
  dave.Drain();
  alice.Send("KICK #room bob,carol :bye");
  Message first = dave.ExpectCommand("KICK");
  Message second = dave.ExpectCommand("KICK");
  EXPECT_EQ(first.Param(1) + "," + second.Param(1), "bob,carol");
  EXPECT_EQ(second.Param(2), "bye");
  alice.Drain();
  alice.Send("KICK #room,#other dave,bob");
  Message in_room = alice.ExpectCommand("KICK");
  Message in_other = alice.ExpectCommand("KICK");
  EXPECT_EQ(in_room.Param(0) + " " + in_room.Param(1), "#room dave");
  EXPECT_EQ(in_other.Param(0) + " " + in_other.Param(1), "#other bob");
  alice.Send("NAMES #room");
  EXPECT_EQ(Names(alice, "#room"), Set({"@alice"}));
  alice.Send("NAMES #other");
  EXPECT_EQ(Names(alice, "#other"), Set({"@alice"}));
  alice.Send("KICK #room,#other alice");
  EXPECT_EQ(alice.ExpectNumeric("461").Param(1), "KICK");
}

// irctest names.testNamesMultipleChannels: the 353 lines of each room, then one 366.
TEST_F(Channels, NamesOfSeveralRoomsEndsWithOne366) {
  auto& alice = User("alice");
  alice.Join("#one");
  alice.Join("#two");
  alice.Send("NAMES #one,#two,#none");
  auto lines = alice.CollectUntil(Command("366"));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].Param(2), "#one");
  EXPECT_EQ(lines[1].Param(2), "#two");
  EXPECT_EQ(lines[2].Param(1), "#one,#two,#none");
}

TEST_F(Channels, KickErrors) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  auto& carol = User("carol");
  alice.Join("#room");
  bob.Join("#room");
  bob.Send("KICK #room alice :no");
  EXPECT_EQ(bob.ExpectNumeric("482").Param(1), "#room");
  alice.Send("KICK #room carol");
  Message m = alice.ExpectNumeric("441");
  EXPECT_EQ(m.Param(1), "carol");
  EXPECT_EQ(m.Param(2), "#room");
  carol.Send("KICK #room bob");
  EXPECT_EQ(carol.ExpectNumeric("442").Param(1), "#room");
  carol.Send("KICK #nowhere bob");
  EXPECT_EQ(carol.ExpectNumeric("403").Param(1), "#nowhere");
}

// ---------------------------------------------------------------------------------------------
// Channel modes

TEST_F(Channels, OpAndVoiceAreBroadcastAndShownInNames) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  auto& carol = User("carol");
  alice.Join("#room");
  bob.Join("#room");
  carol.Join("#room");
  alice.Drain();
  bob.Drain();

  alice.Send("MODE #room +o bob");
  for (TestClient* c : {&alice, &bob, &carol}) {
    Message m = c->ExpectCommand("MODE");
    EXPECT_EQ(m.SourceNick(), "alice");
    EXPECT_EQ(m.Param(0), "#room");
    EXPECT_EQ(m.Param(1), "+o");
    EXPECT_EQ(m.Param(2), "bob");
  }
  alice.Send("MODE #room +v carol");
  Message v = carol.ExpectCommand("MODE");
  EXPECT_EQ(v.Param(1), "+v");
  EXPECT_EQ(v.Param(2), "carol");
  carol.Send("NAMES #room");
  EXPECT_EQ(Names(carol, "#room"), Set({"@alice", "@bob", "+carol"}));

  // The new op can act; taking the status back works too.
  bob.Send("MODE #room -o alice");
  EXPECT_EQ(carol.ExpectCommand("MODE").Param(1), "-o");
  alice.Send("MODE #room +o alice");
  EXPECT_EQ(alice.ExpectNumeric("482").Param(1), "#room");

  bob.Send("MODE #room +o nobody");
  EXPECT_EQ(bob.ExpectNumeric("401").Param(1), "nobody");
  auto& dave = User("dave");
  bob.Send("MODE #room +v dave");
  Message not_on = bob.ExpectNumeric("441");
  EXPECT_EQ(not_on.Param(1), "dave");
  (void)dave;
}

TEST_F(Channels, ModeChangesNeedOpAndUnknownModesGive472) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  alice.Join("#room");
  bob.Join("#room");
  bob.Send("MODE #room +m");
  EXPECT_EQ(bob.ExpectNumeric("482").Param(1), "#room");
  alice.Send("MODE #room +Z");
  Message m = alice.ExpectNumeric("472");
  EXPECT_EQ(m.Param(1), "Z");
  alice.Send("MODE #nowhere +m");
  EXPECT_EQ(alice.ExpectNumeric("403").Param(1), "#nowhere");
  // Several flags in one command are applied and echoed together.
  alice.Send("MODE #room +mi");
  Message both = bob.ExpectCommand("MODE");
  std::string flags = both.Param(1);
  EXPECT_TRUE(flags.find('m') != std::string::npos && flags.find('i') != std::string::npos)
      << both.raw;
  bob.Send("MODE #room");
  Message now = bob.ExpectNumeric("324");
  EXPECT_NE(now.Param(2).find('m'), std::string::npos) << now.raw;
  EXPECT_NE(now.Param(2).find('i'), std::string::npos) << now.raw;
}

TEST_F(Channels, BanListQueryAndJoinRefusal474) {
  auto& alice = User("alice");
  alice.Join("#room");
  alice.Send("MODE #room +b bob!*@*");
  Message set = alice.ExpectCommand("MODE");
  EXPECT_EQ(set.Param(1), "+b");
  EXPECT_EQ(set.Param(2), "bob!*@*");
  alice.Send("MODE #room +b *!*@spam.example");
  alice.ExpectCommand("MODE");

  alice.Send("MODE #room +b");
  std::set<std::string> bans;
  for (const auto& m : alice.CollectUntil(Command("368"))) {
    if (m.command == "367") {
      EXPECT_EQ(m.Param(1), "#room");
      bans.insert(m.Param(2));
    }
  }
  EXPECT_EQ(bans, Set({"bob!*@*", "*!*@spam.example"}));
  alice.Send("MODE #room b");  // the bare letter is a query too
  alice.ExpectNumeric("367");
  alice.CollectUntil(Command("368"));

  auto& bob = User("bob");
  bob.Send("JOIN #room");
  EXPECT_EQ(bob.ExpectNumeric("474").Param(1), "#room");
  // A non-member may not change the list.
  bob.Send("MODE #room -b bob!*@*");
  bob.Expect(AnyOf({Command("482"), Command("442")}));

  alice.Send("MODE #room -b bob!*@*");
  alice.ExpectCommand("MODE");
  bob.Join("#room");
}

TEST_F(Channels, BanMasksUseWildcardsAndRfc1459Casemapping) {
  auto& alice = User("alice");
  alice.Join("#room");
  alice.Send("MODE #room +b B?B[X]*!*@*");
  alice.ExpectCommand("MODE");
  auto& banned = User("bob{x}yz");
  banned.Send("JOIN #room");
  banned.ExpectNumeric("474");
  auto& free = User("bob{y}");
  free.Join("#room");
  // Host bans match the cloaked host shown to others.
  alice.Send("MODE #room +b *!*@*.salon");
  alice.ExpectCommand("MODE");
  auto& carol = User("carol");
  carol.Send("JOIN #room");
  carol.ExpectNumeric("474");
}

TEST_F(Channels, BannedMemberCannotSpeak) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  alice.Join("#room");
  bob.Join("#room");
  alice.Send("MODE #room +b bob!*@*");
  bob.ExpectCommand("MODE");
  bob.Send("PRIVMSG #room :can you hear me");
  EXPECT_EQ(bob.ExpectNumeric("404").Param(1), "#room");
  alice.ExpectNone(Command("PRIVMSG"), "message from a banned member");
}

TEST_F(Channels, BanExceptionsLetMatchingUsersIn) {
  auto& alice = User("alice");
  alice.Join("#room");
  alice.Send("MODE #room +b *!*@*");
  alice.ExpectCommand("MODE");
  alice.Send("MODE #room +e bob!*@*");
  Message e = alice.ExpectCommand("MODE");
  EXPECT_EQ(e.Param(1), "+e");
  alice.Send("MODE #room +e");
  std::set<std::string> excepts;
  for (const auto& m : alice.CollectUntil(Command("349"))) {
    if (m.command == "348") excepts.insert(m.Param(2));
  }
  EXPECT_EQ(excepts, Set({"bob!*@*"}));
  auto& bob = User("bob");
  bob.Join("#room");
  auto& carol = User("carol");
  carol.Send("JOIN #room");
  carol.ExpectNumeric("474");
}

TEST_F(Channels, InviteExceptionsLetMatchingUsersIntoInviteOnly) {
  auto& alice = User("alice");
  alice.Join("#room");
  alice.Send("MODE #room +i");
  alice.ExpectCommand("MODE");
  alice.Send("MODE #room +I BOB!*@*");
  Message inv = alice.ExpectCommand("MODE");
  EXPECT_EQ(inv.Param(1), "+I");
  alice.Send("MODE #room +I");
  std::set<std::string> invex;
  for (const auto& m : alice.CollectUntil(Command("347"))) {
    if (m.command == "346") invex.insert(m.Param(2));
  }
  EXPECT_EQ(invex, Set({"BOB!*@*"}));
  auto& bob = User("bob");
  bob.Join("#room");
  auto& carol = User("carol");
  carol.Send("JOIN #room");
  carol.ExpectNumeric("473");
}

TEST_F(Channels, UserLimitGives471) {
  auto& alice = User("alice");
  alice.Join("#room");
  alice.Send("MODE #room +l 2");
  Message l = alice.ExpectCommand("MODE");
  EXPECT_EQ(l.Param(1), "+l");
  EXPECT_EQ(l.Param(2), "2");
  auto& bob = User("bob");
  bob.Join("#room");
  auto& carol = User("carol");
  carol.Send("JOIN #room");
  EXPECT_EQ(carol.ExpectNumeric("471").Param(1), "#room");
  alice.Send("MODE #room -l");
  alice.ExpectCommand("MODE");
  carol.Join("#room");
}

TEST_F(Channels, ModeratedChannelNeedsVoice) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  alice.Join("#room");
  bob.Join("#room");
  alice.Send("MODE #room +m");
  bob.ExpectCommand("MODE");
  bob.Send("PRIVMSG #room :hello?");
  EXPECT_EQ(bob.ExpectNumeric("404").Param(1), "#room");
  alice.ExpectNone(Command("PRIVMSG"), "unvoiced message in +m");
  alice.Send("MODE #room +v bob");
  bob.ExpectCommand("MODE");
  bob.Send("PRIVMSG #room :hello!");
  EXPECT_EQ(alice.ExpectCommand("PRIVMSG").Last(), "hello!");
  alice.Send("PRIVMSG #room :ops may always speak");
  EXPECT_EQ(bob.ExpectCommand("PRIVMSG").Last(), "ops may always speak");
}

TEST_F(Channels, NoExternalMessagesMode) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  alice.Join("#room");
  bob.Send("PRIVMSG #room :from outside");
  EXPECT_EQ(bob.ExpectNumeric("404").Param(1), "#room");
  alice.ExpectNone(Command("PRIVMSG"), "external message in +n");
  alice.Send("MODE #room -n");
  alice.ExpectCommand("MODE");
  bob.Send("PRIVMSG #room :from outside");
  Message m = alice.ExpectCommand("PRIVMSG");
  EXPECT_EQ(m.SourceNick(), "bob");
  EXPECT_EQ(m.Last(), "from outside");
}

TEST_F(Channels, ListModesAreLimitedByMaxlist) {
  server_.Stop();
  server_.SetConfig(TestConfig({.limits = "list_entries = 3\n"}));
  server_.Start();
  auto& alice = User("alice");
  alice.Join("#room");
  for (int i = 0; i < 3; ++i) {
    alice.Send("MODE #room +b user" + std::to_string(i) + "!*@*");
    alice.ExpectCommand("MODE");
  }
  alice.Send("MODE #room +b user9!*@*");
  Message full = alice.ExpectNumeric("478");
  EXPECT_EQ(full.Param(1), "#room");
}

TEST_F(Channels, ChannelNamesFoldWithRfc1459Casemapping) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  alice.Join("#Tea[Room]");
  bob.Send("JOIN #tea{room}");
  Message join = bob.ExpectCommand("JOIN");
  EXPECT_EQ(join.Param(0), "#Tea[Room]") << "the channel keeps the name it was created with";
  EXPECT_EQ(Names(bob, "#Tea[Room]"), Set({"@alice", "bob"}));
  bob.Send("PRIVMSG #TEA{ROOM} :same channel");
  Message m = alice.ExpectCommand("PRIVMSG");
  EXPECT_EQ(m.Param(0), "#Tea[Room]");
}

TEST_F(Channels, JoiningTwiceIsIgnored) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  alice.Join("#room");
  bob.Join("#room");
  alice.Drain();
  bob.Send("JOIN #room");
  bob.ExpectNone(AnyOf({Command("JOIN"), Command("353")}), "second JOIN of a member");
  alice.ExpectNone(Command("JOIN"), "second JOIN broadcast");
}

TEST_F(Channels, ExtendedJoinCarriesAccountAndRealname) {
  auto& watcher = User("watcher", "extended-join");
  watcher.Join("#room");
  TestClient bob(server_);
  bob.Register("bob", "bobuser", "Bob the Builder");
  bob.Join("#room");
  Message join = watcher.Expect(CommandParam("JOIN", 0, "#room"));
  EXPECT_EQ(join.SourceNick(), "bob");
  ASSERT_EQ(join.params.size(), 3u) << join.raw;
  EXPECT_EQ(join.Param(1), "*") << "no account";
  EXPECT_EQ(join.Param(2), "Bob the Builder");
}

TEST_F(Channels, PartSeveralChannelsAtOnce) {
  auto& alice = User("alice");
  alice.Join("#a");
  alice.Join("#b");
  alice.Send("PART #a,#b :leaving both");
  std::set<std::string> parted;
  for (int i = 0; i < 2; ++i) {
    Message m = alice.ExpectCommand("PART");
    EXPECT_EQ(m.Param(1), "leaving both");
    parted.insert(m.Param(0));
  }
  EXPECT_EQ(parted, Set({"#a", "#b"}));
}

TEST_F(Channels, TooManyChannelsGives405) {
  server_.Stop();
  server_.SetConfig(TestConfig({.limits = "channels_per_user = 2\n"}));
  server_.Start();
  auto& alice = User("alice");
  alice.Join("#one");
  alice.Join("#two");
  alice.Send("JOIN #three");
  EXPECT_EQ(alice.ExpectNumeric("405").Param(1), "#three");
}

TEST_F(Channels, NickChangeKeepsChannelStatus) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  alice.Join("#room");
  bob.Join("#room");
  alice.Send("NICK alicia");
  bob.ExpectCommand("NICK");
  bob.Send("NAMES #room");
  EXPECT_EQ(Names(bob, "#room"), Set({"@alicia", "bob"}));
  alice.Send("MODE #room +v bob");
  EXPECT_EQ(bob.ExpectCommand("MODE").SourceNick(), "alicia");
}

TEST_F(Channels, BanMaskIsNormalised) {
  auto& alice = User("alice");
  alice.Join("#room");
  alice.Send("MODE #room +b troll");
  Message m = alice.ExpectCommand("MODE");
  EXPECT_EQ(m.Param(2), "troll!*@*") << "a bare nick is the mask nick!*@*: " << m.raw;
  alice.Send("MODE #room +b");
  Message entry = alice.ExpectNumeric("367");
  EXPECT_EQ(entry.Param(2), "troll!*@*");
  EXPECT_GE(entry.params.size(), 5u) << "367 names who set the ban and when: " << entry.raw;
  alice.ExpectNumeric("368");
}

TEST_F(Channels, SeveralModesWithParametersInOneCommand) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  alice.Join("#room");
  bob.Join("#room");
  bob.Drain();
  alice.Send("MODE #room +ov-t bob bob");
  Message m = bob.ExpectCommand("MODE");
  EXPECT_EQ(m.Param(0), "#room");
  // The exact grouping may differ ("+ov-t" or "-t+ov"), the effect may not.
  std::string flags = m.Param(1);
  for (char c : std::string("ovt")) EXPECT_NE(flags.find(c), std::string::npos) << m.raw;
  EXPECT_EQ(m.params.size(), 4u) << m.raw;
  bob.Send("MODE #room");
  EXPECT_EQ(bob.ExpectNumeric("324").Param(2).find('t'), std::string::npos);
  auto& carol = User("carol", "multi-prefix");
  carol.Join("#room");
  carol.Send("NAMES #room");
  EXPECT_EQ(Names(carol, "#room"), Set({"@alice", "@+bob", "carol"}));
}

TEST_F(Channels, ModesWithParametersAreLimitedPerCommand) {
  auto& alice = User("alice");
  alice.Join("#room");
  alice.Send("MODE #room +bbbbbbbb m1!*@* m2!*@* m3!*@* m4!*@* m5!*@* m6!*@* m7!*@* m8!*@*");
  alice.Sync();
  alice.Send("MODE #room +b");
  int entries = 0;
  for (const auto& m : alice.CollectUntil(Command("368"))) entries += m.command == "367";
  EXPECT_GE(entries, 1);
  EXPECT_LE(entries, 6) << "MODES=6: at most six modes with a parameter per command";
}

TEST_F(Channels, KeyAndLimitNeedValidParameters) {
  auto& alice = User("alice");
  alice.Join("#room");
  alice.Send("MODE #room +l notanumber");
  alice.Send("MODE #room +k");
  alice.Sync();
  alice.Send("MODE #room");
  Message modes = alice.ExpectNumeric("324");
  EXPECT_EQ(modes.Param(2), "+nt") << "invalid +l/+k parameters change nothing: " << modes.raw;
}

}  // namespace
}  // namespace salon::testing

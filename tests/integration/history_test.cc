// Room history in memory (docs/history.md) against the real binary: a newcomer sees the
// conversation, every CHATHISTORY subcommand with msgid and timestamp references, the limit,
// malformed requests, who may read, event playback, the window's count and age bounds (with
// the test clock), which rooms keep their window, and that nothing of it reaches the disk.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "account_helpers.h"
#include "harness.h"
#include "history_helpers.h"

namespace salon::testing {
namespace {

std::vector<std::string> Slice(const std::vector<Sent>& sent, std::size_t from, std::size_t to) {
  std::vector<std::string> out;
  for (std::size_t i = from; i < to && i < sent.size(); ++i) out.push_back(sent[i].msgid);
  return out;
}

TEST(History, NewcomerSeesTheConversationAsItWasRelayed) {
  auto server = StartHistoryServer();
  TestClient alice(*server);
  alice.RegisterWithCaps("alice", kHistoryCaps);
  alice.Join("#room");
  std::vector<Sent> sent = SayMany(alice, "#room", "hello", 3);
  alice.Send("NOTICE #room :a notice");
  Message notice = alice.Expect(CommandParam("NOTICE", 0, "#room"));

  TestClient bob(*server);
  bob.RegisterWithCaps("bob", kHistoryCaps);
  bob.Join("#room");
  HistoryLines reply = AskHistory(bob, "CHATHISTORY LATEST #room * 10");
  ASSERT_TRUE(reply.fails.empty()) << reply.fails[0].raw;
  EXPECT_EQ(reply.batch, (std::vector<std::string>{"chathistory", "#room"}));
  // Without event-playback: no JOIN, only the messages, oldest first.
  ASSERT_EQ(Commands(reply.entries),
            (std::vector<std::string>{"PRIVMSG", "PRIVMSG", "PRIVMSG", "NOTICE"}));
  for (std::size_t i = 0; i < sent.size(); ++i) {
    const Message& m = reply.entries[i];
    EXPECT_EQ(m.Tag("msgid"), sent[i].msgid);
    EXPECT_EQ(m.Tag("time"), sent[i].time);
    EXPECT_EQ(m.SourceNick(), "alice");
    EXPECT_EQ(m.params, (std::vector<std::string>{"#room", sent[i].text}));
  }
  EXPECT_EQ(reply.entries[3].Tag("msgid"), notice.Tag("msgid"));

  // A client without server-time and message-tags gets the bare lines.
  TestClient plain(*server);
  plain.Register("carol");
  plain.Join("#room");
  HistoryLines bare = AskHistory(plain, "CHATHISTORY LATEST #room * 1");
  ASSERT_EQ(bare.lines.size(), 1u);  // no batch either
  ASSERT_EQ(bare.entries.size(), 1u);
  EXPECT_TRUE(bare.entries[0].tags.empty()) << bare.entries[0].raw;
  EXPECT_EQ(bare.entries[0].command, "NOTICE");
}

TEST(History, RepliesAreBatchesWithinTheLabelledResponse) {
  auto server = StartHistoryServer();
  TestClient alice(*server);
  alice.RegisterWithCaps("alice", kHistoryCaps + " labeled-response");
  alice.Join("#room");
  std::vector<Sent> sent = SayMany(alice, "#room", "m", 2);
  HistoryLines empty = AskHistory(alice, "CHATHISTORY BEFORE #room msgid=" + sent[0].msgid + " 5");
  // Nothing to return: an empty batch, so that the client does not wait.
  EXPECT_EQ(empty.batch, (std::vector<std::string>{"chathistory", "#room"}));
  EXPECT_EQ(empty.lines.size(), 2u);

  HistoryLines labelled = AskHistory(alice, "@label=h1 CHATHISTORY LATEST #room * 5");
  const std::vector<Message>& l = labelled.lines;
  ASSERT_EQ(l.size(), 6u);
  EXPECT_EQ(l[0].Tag("label"), "h1");
  EXPECT_EQ(l[0].params, (std::vector<std::string>{l[0].Param(0), "labeled-response"}));
  const std::string outer = l[0].Param(0).substr(1);
  EXPECT_EQ(l[1].Tag("batch"), outer);
  EXPECT_EQ(l[1].Param(1), "chathistory");
  const std::string inner = l[1].Param(0).substr(1);
  EXPECT_EQ(l[2].Tag("batch"), inner);
  EXPECT_EQ(l[3].Tag("batch"), inner);
  EXPECT_EQ(Msgids({l[2], l[3]}), Msgids(sent));
  EXPECT_EQ(l[4].params, (std::vector<std::string>{"-" + inner}));
  EXPECT_EQ(l[4].Tag("batch"), outer);
  EXPECT_EQ(l[5].params, (std::vector<std::string>{"-" + outer}));

  HistoryLines failed = AskHistory(alice, "@label=h2 CHATHISTORY LATEST #elsewhere * 5");
  ASSERT_EQ(failed.lines.size(), 1u);
  EXPECT_EQ(failed.lines[0].Tag("label"), "h2");
  EXPECT_EQ(failed.lines[0].command, "FAIL");
}

TEST(History, EverySubcommandWithMsgidAndTimestampReferences) {
  auto server = StartHistoryServer();
  TestClient alice(*server);
  alice.RegisterWithCaps("alice", kHistoryCaps);
  alice.Join("#room");
  std::vector<Sent> m = SayMany(alice, "#room", "message", 10);
  auto ask = [&](const std::string& command) {
    HistoryLines reply = AskHistory(alice, command);
    EXPECT_TRUE(reply.fails.empty()) << command << ": " << reply.fails[0].raw;
    return Msgids(reply.entries);
  };
  const std::string room = " #room ";
  auto id = [&](int i) { return "msgid=" + m[static_cast<std::size_t>(i)].msgid; };
  auto ts = [&](int i) { return "timestamp=" + m[static_cast<std::size_t>(i)].time; };

  EXPECT_EQ(ask("CHATHISTORY LATEST" + room + "* 20"), Slice(m, 0, 10));
  EXPECT_EQ(ask("CHATHISTORY LATEST" + room + "* 5"), Slice(m, 5, 10));
  EXPECT_EQ(ask("CHATHISTORY LATEST" + room + "* 1"), Slice(m, 9, 10));
  EXPECT_EQ(ask("CHATHISTORY LATEST" + room + id(4) + " 20"), Slice(m, 5, 10));
  EXPECT_EQ(ask("CHATHISTORY LATEST" + room + ts(4) + " 20"), Slice(m, 5, 10));
  EXPECT_EQ(ask("CHATHISTORY LATEST" + room + id(4) + " 2"), Slice(m, 8, 10));

  EXPECT_EQ(ask("CHATHISTORY BEFORE" + room + id(6) + " 20"), Slice(m, 0, 6));
  EXPECT_EQ(ask("CHATHISTORY BEFORE" + room + ts(6) + " 20"), Slice(m, 0, 6));
  EXPECT_EQ(ask("CHATHISTORY BEFORE" + room + ts(6) + " 2"), Slice(m, 4, 6));

  EXPECT_EQ(ask("CHATHISTORY AFTER" + room + id(3) + " 20"), Slice(m, 4, 10));
  EXPECT_EQ(ask("CHATHISTORY AFTER" + room + ts(3) + " 20"), Slice(m, 4, 10));
  EXPECT_EQ(ask("CHATHISTORY AFTER" + room + ts(3) + " 3"), Slice(m, 4, 7));

  // Between two references, both excluded; counted from the first one given.
  EXPECT_EQ(ask("CHATHISTORY BETWEEN" + room + id(0) + " " + id(9) + " 20"), Slice(m, 1, 9));
  EXPECT_EQ(ask("CHATHISTORY BETWEEN" + room + id(9) + " " + id(0) + " 20"), Slice(m, 1, 9));
  EXPECT_EQ(ask("CHATHISTORY BETWEEN" + room + id(0) + " " + id(9) + " 3"), Slice(m, 1, 4));
  EXPECT_EQ(ask("CHATHISTORY BETWEEN" + room + id(9) + " " + id(0) + " 3"), Slice(m, 6, 9));
  EXPECT_EQ(ask("CHATHISTORY BETWEEN" + room + ts(0) + " " + ts(9) + " 3"), Slice(m, 1, 4));
  EXPECT_EQ(ask("CHATHISTORY BETWEEN" + room + ts(9) + " " + id(0) + " 3"), Slice(m, 6, 9));

  // Around: the referenced message in the middle.
  EXPECT_EQ(ask("CHATHISTORY AROUND" + room + id(7) + " 1"), Slice(m, 7, 8));
  EXPECT_EQ(ask("CHATHISTORY AROUND" + room + id(7) + " 3"), Slice(m, 6, 9));
  EXPECT_EQ(ask("CHATHISTORY AROUND" + room + ts(7) + " 3"), Slice(m, 6, 9));
  // Half the limit before it: only one message precedes m1.
  EXPECT_EQ(ask("CHATHISTORY AROUND" + room + id(1) + " 6"), Slice(m, 0, 4));

  // A msgid no one has, and times outside the conversation: empty replies, not errors.
  EXPECT_TRUE(ask("CHATHISTORY BEFORE" + room + "msgid=nosuchid 10").empty());
  EXPECT_TRUE(ask("CHATHISTORY BEFORE" + room + "timestamp=2001-01-01T00:00:00.000Z 10").empty());
  EXPECT_EQ(ask("CHATHISTORY AFTER" + room + "timestamp=2001-01-01T00:00:00.000Z 2"),
            Slice(m, 0, 2));
  // Subcommands and the room name are case-insensitive.
  EXPECT_EQ(ask("chathistory latest #ROOM * 2"), Slice(m, 8, 10));
}

TEST(History, LimitIsCappedAndAdvertised) {
  auto server = StartHistoryServer("query_limit = 4\n");
  TestClient alice(*server);
  auto welcome = alice.RegisterWithCaps("alice", kHistoryCaps);
  std::string isupport;
  for (const Message& m : welcome) {
    if (m.command == "005") isupport += m.raw + "\n";
  }
  EXPECT_NE(isupport.find(" CHATHISTORY=4 "), std::string::npos) << isupport;
  EXPECT_NE(isupport.find(" MSGREFTYPES=timestamp,msgid "), std::string::npos) << isupport;
  alice.Join("#room");
  std::vector<Sent> m = SayMany(alice, "#room", "m", 6);
  EXPECT_EQ(Msgids(AskHistory(alice, "CHATHISTORY LATEST #room * 100").entries), Slice(m, 2, 6));
  EXPECT_EQ(Msgids(AskHistory(alice, "CHATHISTORY LATEST #room * 99999999999999999999").entries),
            Slice(m, 2, 6));
  EXPECT_EQ(
      Msgids(AskHistory(alice, "CHATHISTORY AFTER #room msgid=" + m[0].msgid + " 100").entries),
      Slice(m, 1, 5));
}

TEST(History, MalformedRequestsGetStandardReplies) {
  auto server = StartHistoryServer();
  TestClient alice(*server);
  alice.RegisterWithCaps("alice", kHistoryCaps);
  alice.Join("#room");
  Say(alice, "#room", "something");
  struct Case {
    std::string command;
    std::vector<std::string> fail;  // params of the FAIL without the description
  };
  const std::vector<Case> cases = {
      {"CHATHISTORY", {"CHATHISTORY", "INVALID_PARAMS", "*"}},
      {"CHATHISTORY FOO #room * 10", {"CHATHISTORY", "INVALID_PARAMS", "FOO"}},
      {"CHATHISTORY LATEST #room *", {"CHATHISTORY", "INVALID_PARAMS", "LATEST"}},
      {"CHATHISTORY LATEST #room * 10 extra", {"CHATHISTORY", "INVALID_PARAMS", "LATEST"}},
      {"CHATHISTORY BETWEEN #room * 10", {"CHATHISTORY", "INVALID_PARAMS", "BETWEEN"}},
      {"CHATHISTORY BEFORE #room * 10", {"CHATHISTORY", "INVALID_PARAMS", "BEFORE", "*"}},
      {"CHATHISTORY BEFORE #room timestamp=yesterday 10",
       {"CHATHISTORY", "INVALID_PARAMS", "BEFORE", "timestamp=yesterday"}},
      {"CHATHISTORY BEFORE #room timestamp=2026-02-30T00:00:00.000Z 10",
       {"CHATHISTORY", "INVALID_PARAMS", "BEFORE", "timestamp=2026-02-30T00:00:00.000Z"}},
      {"CHATHISTORY AFTER #room msgid= 10", {"CHATHISTORY", "INVALID_PARAMS", "AFTER", "msgid="}},
      {"CHATHISTORY AFTER #room id=abc 10",
       {"CHATHISTORY", "INVALID_MSGREFTYPE", "AFTER", "#room", "id=abc"}},
      {"CHATHISTORY LATEST #room * 0", {"CHATHISTORY", "INVALID_PARAMS", "LATEST", "0"}},
      {"CHATHISTORY LATEST #room * -5", {"CHATHISTORY", "INVALID_PARAMS", "LATEST", "-5"}},
      {"CHATHISTORY LATEST #room * ten", {"CHATHISTORY", "INVALID_PARAMS", "LATEST", "ten"}},
      {"CHATHISTORY LATEST #room * :1 0", {"CHATHISTORY", "INVALID_PARAMS", "LATEST", "*"}},
      {"CHATHISTORY TARGETS msgid=abc timestamp=2030-01-01T00:00:00.000Z 10",
       {"CHATHISTORY", "INVALID_PARAMS", "TARGETS", "msgid=abc"}},
      {"CHATHISTORY TARGETS * timestamp=2030-01-01T00:00:00.000Z 10",
       {"CHATHISTORY", "INVALID_PARAMS", "TARGETS", "*"}},
      {"CHATHISTORY TARGETS timestamp=2020-01-01T00:00:00.000Z timestamp=2030-01-01T00:00:00.000Z "
       "x",
       {"CHATHISTORY", "INVALID_PARAMS", "TARGETS", "x"}},
  };
  for (const Case& c : cases) {
    HistoryLines reply = AskHistory(alice, c.command);
    ASSERT_EQ(reply.fails.size(), 1u) << c.command;
    EXPECT_TRUE(reply.entries.empty()) << c.command;
    std::vector<std::string> params = reply.fails[0].params;
    params.pop_back();  // the description
    EXPECT_EQ(params, c.fail) << c.command << " -> " << reply.fails[0].raw;
  }
}

TEST(History, OnlyMembersReadARoom) {
  auto server = StartHistoryServer();
  TestClient alice(*server);
  alice.RegisterWithCaps("alice", kHistoryCaps);
  alice.Join("#room");
  Say(alice, "#room", "members only");
  TestClient bob(*server);
  bob.RegisterWithCaps("bob", kHistoryCaps);
  const std::vector<std::string> invalid = {"CHATHISTORY", "INVALID_TARGET", "LATEST", "#room",
                                            "Messages could not be retrieved"};
  HistoryLines outside = AskHistory(bob, "CHATHISTORY LATEST #room * 10");
  ASSERT_EQ(outside.fails.size(), 1u);
  EXPECT_EQ(outside.fails[0].params, invalid);
  EXPECT_TRUE(outside.entries.empty());
  HistoryLines nowhere = AskHistory(bob, "CHATHISTORY LATEST #nowhere * 10");
  ASSERT_EQ(nowhere.fails.size(), 1u);
  EXPECT_EQ(nowhere.fails[0].Param(1), "INVALID_TARGET");
  // The same answer for a room that exists and one that does not: it does not tell.
  EXPECT_EQ(nowhere.fails[0].Param(3), "#nowhere");

  bob.Join("#room");
  EXPECT_EQ(AskHistory(bob, "CHATHISTORY LATEST #room * 10").entries.size(), 1u);
  bob.Send("PART #room");
  bob.ExpectCommand("PART");
  HistoryLines left = AskHistory(bob, "CHATHISTORY LATEST #room * 10");
  ASSERT_EQ(left.fails.size(), 1u);
  EXPECT_EQ(left.fails[0].Param(1), "INVALID_TARGET");
}

TEST(History, EventsOnlyForEventPlayback) {
  auto server = StartHistoryServer();
  TestClient alice(*server);
  alice.RegisterWithCaps("alice", kPlaybackCaps);
  alice.Join("#room");
  TestClient bob(*server);
  bob.RegisterWithCaps("bob", kHistoryCaps);
  bob.Join("#room");
  Say(alice, "#room", "one");
  alice.Send("TOPIC #room :a topic");
  alice.ExpectCommand("TOPIC");
  alice.Send("MODE #room +v bob");
  alice.ExpectCommand("MODE");
  bob.Send("NICK bobby");
  alice.ExpectCommand("NICK");
  alice.Send("@+draft/react=lol TAGMSG #room");
  alice.ExpectCommand("TAGMSG");
  alice.Send("@+typing=active TAGMSG #room");  // typing notifications are not history
  alice.ExpectCommand("TAGMSG");
  alice.Send("KICK #room bobby :out");
  alice.ExpectCommand("KICK");
  TestClient carol(*server);
  carol.RegisterWithCaps("carol", kHistoryCaps);
  carol.Join("#room");
  carol.Send("PART #room :bye");
  alice.ExpectCommand("PART");
  TestClient dave(*server);
  dave.Register("dave");
  dave.Join("#room");
  dave.Send("QUIT :gone");
  alice.ExpectCommand("QUIT");
  Say(alice, "#room", "two");

  HistoryLines playback = AskHistory(alice, "CHATHISTORY LATEST #room * 50");
  EXPECT_EQ(Commands(playback.entries),
            (std::vector<std::string>{"JOIN", "JOIN", "PRIVMSG", "TOPIC", "MODE", "NICK", "TAGMSG",
                                      "KICK", "JOIN", "PART", "JOIN", "QUIT", "PRIVMSG"}));
  for (const Message& m : playback.entries) {
    EXPECT_FALSE(m.Tag("msgid").empty()) << m.raw;
    EXPECT_FALSE(m.Tag("time").empty()) << m.raw;
  }
  EXPECT_EQ(playback.entries[6].Tag("+draft/react"), "lol");
  EXPECT_EQ(playback.entries[7].params, (std::vector<std::string>{"#room", "bobby", "out"}));
  // Counted in the limit like messages.
  EXPECT_EQ(Commands(AskHistory(alice, "CHATHISTORY LATEST #room * 2").entries),
            (std::vector<std::string>{"QUIT", "PRIVMSG"}));

  carol.Join("#room");
  EXPECT_EQ(Commands(AskHistory(carol, "CHATHISTORY LATEST #room * 50").entries),
            (std::vector<std::string>{"PRIVMSG", "PRIVMSG"}));
}

TEST(History, AMultilineMessageIsOneEntryReplayedAsItWasRelayed) {
  auto server = StartHistoryServer();
  TestClient alice(*server);
  alice.RegisterWithCaps("alice", kHistoryCaps + " draft/multiline");
  alice.Join("#room");
  alice.Send("BATCH +m1 draft/multiline #room");
  alice.Send("@batch=m1 PRIVMSG #room :first line");
  alice.Send("@batch=m1 PRIVMSG #room :");
  alice.Send("@batch=m1 PRIVMSG #room :third");
  alice.Send("BATCH -m1");
  const std::string msgid = alice.Expect(CommandParam("BATCH", 1, "draft/multiline")).Tag("msgid");
  ASSERT_FALSE(msgid.empty());
  Sent after = Say(alice, "#room", "a single line");

  TestClient bob(*server);
  bob.RegisterWithCaps("bob", kHistoryCaps + " draft/multiline");
  bob.Join("#room");
  HistoryLines with = AskHistory(bob, "CHATHISTORY LATEST #room * 2");
  const std::vector<Message>& l = with.lines;
  ASSERT_EQ(l.size(), 8u);
  const std::string outer = l[0].Param(0).substr(1);
  EXPECT_EQ(l[1].command, "BATCH");
  EXPECT_EQ(l[1].Param(1), "draft/multiline");
  EXPECT_EQ(l[1].Param(2), "#room");
  EXPECT_EQ(l[1].Tag("batch"), outer);
  EXPECT_EQ(l[1].Tag("msgid"), msgid);
  const std::string inner = l[1].Param(0).substr(1);
  for (int i = 2; i <= 4; ++i) EXPECT_EQ(l[static_cast<std::size_t>(i)].Tag("batch"), inner);
  EXPECT_EQ(l[2].Last(), "first line");
  EXPECT_EQ(l[3].Last(), "");
  EXPECT_EQ(l[4].Last(), "third");
  EXPECT_EQ(l[5].params, (std::vector<std::string>{"-" + inner}));
  EXPECT_EQ(l[5].Tag("batch"), outer);
  EXPECT_EQ(l[6].Tag("msgid"), after.msgid);  // the limit counted the multi-line message as one

  TestClient carol(*server);
  carol.RegisterWithCaps("carol", kHistoryCaps);
  carol.Join("#room");
  HistoryLines without = AskHistory(carol, "CHATHISTORY LATEST #room * 2");
  ASSERT_EQ(without.entries.size(), 3u);
  EXPECT_EQ(without.entries[0].Last(), "first line");
  EXPECT_EQ(without.entries[0].Tag("msgid"), msgid);
  EXPECT_EQ(without.entries[1].Last(), "third");
  EXPECT_FALSE(without.entries[1].HasTag("msgid"));
  EXPECT_EQ(without.entries[2].Tag("msgid"), after.msgid);
}

TEST(History, ALongConcatenatedLineIsCutAgainOnReplay) {
  // Two 400-byte lines joined with draft/multiline-concat are kept as one 800-byte piece; no
  // replayed line may exceed 512 bytes, with or without draft/multiline.
  auto server = StartHistoryServer();
  TestClient alice(*server);
  alice.RegisterWithCaps("alice", kHistoryCaps + " draft/multiline");
  alice.Join("#room");
  const std::string a(400, 'a');
  const std::string b(400, 'b');
  alice.Send("BATCH +c1 draft/multiline #room");
  alice.Send("@batch=c1 PRIVMSG #room :" + a);
  alice.Send("@batch=c1;draft/multiline-concat PRIVMSG #room :" + b);
  alice.Send("BATCH -c1");
  alice.Expect(CommandParam("BATCH", 1, "draft/multiline"));

  auto body_size = [](const Message& m) {
    const std::size_t space = m.raw.find(' ');
    return m.raw[0] == '@' ? m.raw.size() - space - 1 : m.raw.size();
  };
  TestClient bob(*server);
  bob.RegisterWithCaps("bob", kHistoryCaps + " draft/multiline");
  bob.Join("#room");
  HistoryLines with = AskHistory(bob, "CHATHISTORY LATEST #room * 1");
  std::string joined;
  std::size_t pieces = 0;
  for (const Message& m : with.lines) {
    if (m.command != "PRIVMSG") continue;
    EXPECT_LE(body_size(m) + 2, 512u) << m.raw;
    if (pieces++ > 0) {
      EXPECT_TRUE(m.HasTag("draft/multiline-concat")) << m.raw;
    }
    joined += m.Last();
  }
  EXPECT_EQ(pieces, 2u);
  EXPECT_EQ(joined, a + b);

  TestClient carol(*server);
  carol.RegisterWithCaps("carol", kHistoryCaps);
  carol.Join("#room");
  HistoryLines without = AskHistory(carol, "CHATHISTORY LATEST #room * 1");
  ASSERT_EQ(without.entries.size(), 2u);
  joined.clear();
  for (const Message& m : without.entries) {
    EXPECT_LE(body_size(m) + 2, 512u) << m.raw;
    joined += m.Last();
  }
  EXPECT_EQ(joined, a + b);
  EXPECT_FALSE(without.entries[1].HasTag("msgid"));
}

TEST(History, WindowKeepsTheLastMessages) {
  auto server = StartHistoryServer("memory_messages = 3\n");
  TestClient alice(*server);
  alice.RegisterWithCaps("alice", kPlaybackCaps);
  alice.Join("#room");
  std::vector<Sent> m = SayMany(alice, "#room", "m", 5);
  HistoryLines reply = AskHistory(alice, "CHATHISTORY LATEST #room * 10");
  // The JOIN went with the messages before it.
  EXPECT_EQ(Msgids(reply.entries), Slice(m, 2, 5));
  EXPECT_TRUE(
      AskHistory(alice, "CHATHISTORY BEFORE #room msgid=" + m[1].msgid + " 10").entries.empty());
}

TEST(History, WindowForgetsWhatIsOlderThanItsMinutes) {
  auto server = StartHistoryServer("memory_minutes = 30\n");
  TestClient alice(*server);
  alice.RegisterWithCaps("alice", kHistoryCaps);
  alice.Join("#room");
  Sent first = Say(alice, "#room", "first");
  Advance(alice, 1000);
  Sent second = Say(alice, "#room", "second");
  Advance(alice, 900);  // first is 1900 s old, second 900 s
  EXPECT_EQ(Msgids(AskHistory(alice, "CHATHISTORY LATEST #room * 10").entries),
            (std::vector<std::string>{second.msgid}));
  Advance(alice, 901);
  EXPECT_TRUE(AskHistory(alice, "CHATHISTORY LATEST #room * 10").entries.empty());
  EXPECT_TRUE(
      AskHistory(alice, "CHATHISTORY AROUND #room msgid=" + second.msgid + " 10").entries.empty());
}

TEST(History, DisabledWindowKeepsNothing) {
  auto server = StartHistoryServer("memory_messages = 0\n");
  TestClient alice(*server);
  alice.RegisterWithCaps("alice", kPlaybackCaps);
  alice.Join("#room");
  Say(alice, "#room", "gone at once");
  HistoryLines reply = AskHistory(alice, "CHATHISTORY LATEST #room * 10");
  EXPECT_TRUE(reply.fails.empty());
  EXPECT_TRUE(reply.entries.empty());
}

TEST(History, WindowGoesWithARoomThatDisappearsAndStaysInAKeptRoom) {
  auto server = StartHistoryServer("", "[[rooms]]\nname = \"#lobby\"\n");
  TestClient alice(*server);
  alice.RegisterWithCaps("alice", kHistoryCaps);
  alice.Join("#adhoc");
  alice.Join("#lobby");
  Say(alice, "#adhoc", "ad hoc words");
  Sent kept = Say(alice, "#lobby", "lobby words");
  alice.Send("PART #adhoc,#lobby");
  alice.ExpectCommand("PART");
  alice.ExpectCommand("PART");

  // #adhoc disappeared with its last member: whoever creates it again starts a new room.
  TestClient bob(*server);
  bob.RegisterWithCaps("bob", kHistoryCaps);
  bob.Join("#adhoc");
  HistoryLines fresh = AskHistory(bob, "CHATHISTORY LATEST #adhoc * 10");
  EXPECT_TRUE(fresh.fails.empty());
  EXPECT_TRUE(fresh.entries.empty());
  // #lobby is declared: kept while empty, with its window.
  bob.Join("#lobby");
  EXPECT_EQ(Msgids(AskHistory(bob, "CHATHISTORY LATEST #lobby * 10").entries),
            (std::vector<std::string>{kept.msgid}));
}

TEST(History, NothingOfTheWindowReachesTheDisk) {
  auto server = StartHistoryServer("", "[[rooms]]\nname = \"#lobby\"\n");
  auto alice = NewAccount(*server, "alice", true);
  auto bob = NewAccount(*server, "bob", true);
  alice->Join("#lobby");
  alice->Join("#adhoc");
  const std::string room_words = "zebra-quartz-room-7731";
  const std::string private_words = "zebra-quartz-private-7731";
  Say(*alice, "#lobby", room_words);
  Say(*alice, "#adhoc", room_words);
  Say(*alice, "bob", private_words);
  bob->Expect(Matches(private_words));
  EXPECT_EQ(AskHistory(*bob, "CHATHISTORY LATEST alice * 10").entries.size(), 1u);
  EXPECT_EQ(server->Stop(), 0);
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    const std::string path = server->data_dir() + "/salon.db" + suffix;
    const std::string bytes = ReadFileBytes(path);
    EXPECT_EQ(bytes.find(private_words), std::string::npos) << path;
    EXPECT_EQ(bytes.find(room_words + "\r"), std::string::npos) << path;
    EXPECT_EQ(bytes.find(room_words), std::string::npos) << path;
  }
  EXPECT_EQ(QueryInt(*server, "SELECT COUNT(*) FROM room_history"), 0);
}

}  // namespace
}  // namespace salon::testing

// Stored room history (docs/history.md) against the real binary and its SQLite file: ChanServ
// SET HISTORY (founder only, capped, syntax), messages read back from the store beyond the
// window and across a restart with their msgids, references to stored messages, expiry on
// schedule with the test clock, and OFF / DROP deleting what was stored.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "account_helpers.h"
#include "harness.h"
#include "history_helpers.h"

namespace salon::testing {
namespace {

Message FromChanServ(TestClient& c) {
  return c.Expect([](const Message& l) {
    return l.command == "NOTICE" && l.source == "ChanServ!ChanServ@services.";
  });
}

// alice founds #room and turns stored history on for `duration`.
std::unique_ptr<TestClient> Founder(const TestServer& server, const std::string& duration) {
  auto alice = NewAccount(server, "alice", false);
  alice->Join("#room");
  alice->Send("PRIVMSG ChanServ :REGISTER #room");
  alice->Expect(Matches("is now registered to alice"));
  alice->Send("PRIVMSG ChanServ :SET #room HISTORY " + duration);
  alice->Expect(Matches("Messages in #room are now stored for"));
  alice->Drain();
  return alice;
}

std::vector<std::string> Slice(const std::vector<Sent>& sent, std::size_t from, std::size_t to) {
  std::vector<std::string> out;
  for (std::size_t i = from; i < to && i < sent.size(); ++i) out.push_back(sent[i].msgid);
  return out;
}

int64_t StoredRows(const TestServer& server) {
  return QueryInt(server, "SELECT COUNT(*) FROM room_history WHERE room_folded = '#room'");
}

TEST(StoredHistory, SetHistoryIsForTheFounderWithinTheCap) {
  auto server = StartHistoryServer("stored_max_days = 30\n");
  auto alice = NewAccount(*server, "alice", false);
  alice->Join("#room");
  alice->Send("PRIVMSG ChanServ :REGISTER #room");
  alice->Expect(Matches("is now registered to alice"));
  auto bob = NewAccount(*server, "bob", false);
  bob->Join("#room");
  bob->Send("PRIVMSG ChanServ :SET #room HISTORY 7d");
  EXPECT_NE(FromChanServ(*bob).Last().find("founder"), std::string::npos);
  const std::string syntax = "Syntax: SET <#room> HISTORY <hours>h|<days>d|OFF, e.g. 12h or 7d";
  for (const char* bad : {"SET #room HISTORY", "SET #room HISTORY soon", "SET #room HISTORY 0d",
                          "SET #room HISTORY 7w", "SET #room HISTORY -3h", "SET #room HISTORY d"}) {
    alice->Send(std::string("PRIVMSG ChanServ :") + bad);
    EXPECT_EQ(FromChanServ(*alice).Last(), syntax) << bad;
  }
  alice->Send("PRIVMSG ChanServ :SET #room HISTORY 31d");
  EXPECT_EQ(FromChanServ(*alice).Last(), "The longest stored history allowed here is 30 days.");
  alice->Send("PRIVMSG ChanServ :SET #room HISTORY 12h");
  EXPECT_EQ(FromChanServ(*alice).Last(),
            "Messages in #room are now stored for 12 hours, then deleted.");
  alice->Send("PRIVMSG ChanServ :INFO #room");
  alice->Expect(Matches("Stored history: 12 hours"));
  EXPECT_EQ(server->Stop(), 0);  // audit entries are batched writes: committed by the exit
  std::vector<std::string> audit = AuditRows(*server);
  EXPECT_NE(std::find(audit.begin(), audit.end(), "room.set.history|alice|#room|12h"), audit.end());

  auto off = StartHistoryServer("stored_max_days = 0\n");
  auto carol = NewAccount(*off, "carol", false);
  carol->Join("#room");
  carol->Send("PRIVMSG ChanServ :REGISTER #room");
  carol->Expect(Matches("is now registered to carol"));
  carol->Send("PRIVMSG ChanServ :SET #room HISTORY 1h");
  EXPECT_EQ(FromChanServ(*carol).Last(), "Stored history is not available on this server.");
}

TEST(StoredHistory, ReadBackBeyondTheWindowAndAcrossARestart) {
  auto server = StartHistoryServer("memory_messages = 3\n");
  auto alice = Founder(*server, "7d");
  std::vector<Sent> m = SayMany(*alice, "#room", "stored", 8);
  alice->Send("NOTICE #room :a stored notice");
  alice->ExpectCommand("NOTICE");
  alice->Send("@+draft/react=yes TAGMSG #room");
  alice->ExpectCommand("TAGMSG");
  auto ask = [&](TestClient& c, const std::string& command) {
    HistoryLines reply = AskHistory(c, command);
    EXPECT_TRUE(reply.fails.empty()) << command << ": " << reply.fails[0].raw;
    return reply;
  };
  // 8 PRIVMSG, a NOTICE and a TAGMSG (playback only): the window holds the last 3.
  HistoryLines latest = ask(*alice, "CHATHISTORY LATEST #room * 20");
  ASSERT_EQ(latest.entries.size(), 9u);
  EXPECT_EQ(Msgids(std::vector<Message>(latest.entries.begin(), latest.entries.begin() + 8)),
            Slice(m, 0, 8));
  EXPECT_EQ(latest.entries[3].params, (std::vector<std::string>{"#room", "stored 3"}));
  EXPECT_EQ(latest.entries[3].Tag("time"), m[3].time);

  server->Restart();
  auto bob = NewAccount(*server, "bob", false, kPlaybackCaps + " labeled-response");
  bob->Join("#room");
  HistoryLines after = ask(*bob, "CHATHISTORY LATEST #room * 20");
  EXPECT_EQ(after.batch, (std::vector<std::string>{"chathistory", "#room"}));
  // Read from the store (the client's input held meanwhile): the label stays with the reply.
  HistoryLines labelled =
      ask(*bob, "@label=s1 CHATHISTORY BEFORE #room msgid=" + m[2].msgid + " 5");
  ASSERT_EQ(labelled.lines.size(), 6u);
  EXPECT_EQ(labelled.lines[0].Tag("label"), "s1");
  EXPECT_EQ(labelled.lines[0].Param(1), "labeled-response");
  EXPECT_EQ(labelled.lines[1].Param(1), "chathistory");
  EXPECT_EQ(Msgids({labelled.lines[2], labelled.lines[3]}), Slice(m, 0, 2));
  // After a restart only the store has them (the JOINs are events, never stored).
  EXPECT_EQ(
      Commands(after.entries),
      (std::vector<std::string>{"PRIVMSG", "PRIVMSG", "PRIVMSG", "PRIVMSG", "PRIVMSG", "PRIVMSG",
                                "PRIVMSG", "PRIVMSG", "NOTICE", "TAGMSG", "JOIN"}));
  EXPECT_EQ(after.entries[8].Last(), "a stored notice");
  EXPECT_EQ(after.entries[9].Tag("+draft/react"), "yes");
  EXPECT_EQ(after.entries[0].source, latest.entries[0].source);
  auto ids = [&](const std::string& command) { return Msgids(ask(*bob, command).entries); };
  // References to messages only the store has.
  EXPECT_EQ(ids("CHATHISTORY BEFORE #room msgid=" + m[5].msgid + " 10"), Slice(m, 0, 5));
  EXPECT_EQ(ids("CHATHISTORY BEFORE #room msgid=" + m[5].msgid + " 2"), Slice(m, 3, 5));
  EXPECT_EQ(ids("CHATHISTORY AFTER #room msgid=" + m[1].msgid + " 3"), Slice(m, 2, 5));
  EXPECT_EQ(ids("CHATHISTORY AROUND #room msgid=" + m[4].msgid + " 3"), Slice(m, 3, 6));
  EXPECT_EQ(ids("CHATHISTORY BETWEEN #room msgid=" + m[6].msgid + " msgid=" + m[1].msgid + " 2"),
            Slice(m, 4, 6));
  EXPECT_EQ(
      ids("CHATHISTORY BETWEEN #room timestamp=" + m[1].time + " timestamp=" + m[6].time + " 10"),
      Slice(m, 2, 6));
  EXPECT_EQ(ids("CHATHISTORY LATEST #room msgid=" + m[5].msgid + " 2").size(), 2u);

  // New messages join the stored ones: window and store read as one sequence. bob's JOIN, an
  // event, left the window with the messages before it and was never stored.
  std::vector<Sent> more = SayMany(*bob, "#room", "later", 4);
  HistoryLines mixed = ask(*bob, "CHATHISTORY BEFORE #room msgid=" + more[3].msgid + " 8");
  EXPECT_EQ(Commands(mixed.entries),
            (std::vector<std::string>{"PRIVMSG", "PRIVMSG", "PRIVMSG", "NOTICE", "TAGMSG",
                                      "PRIVMSG", "PRIVMSG", "PRIVMSG"}));
  std::vector<std::string> expected = Slice(m, 5, 8);
  expected.push_back(latest.entries[8].Tag("msgid"));  // the NOTICE
  expected.push_back(after.entries[9].Tag("msgid"));   // the TAGMSG
  for (const std::string& id : Slice(more, 0, 3)) expected.push_back(id);
  EXPECT_EQ(Msgids(mixed.entries), expected);

  EXPECT_EQ(server->Stop(), 0);
  EXPECT_EQ(StoredRows(*server), 14);
  EXPECT_EQ(QueryInt(*server, "SELECT COUNT(*) FROM room_history WHERE msgid = '" + m[3].msgid +
                                  "' AND text = 'stored 3'"),
            1);
}

TEST(StoredHistory, ExpiresOnScheduleWithTheTestClock) {
  auto server = StartHistoryServer("memory_minutes = 30\n");
  auto alice = Founder(*server, "1h");
  std::vector<Sent> old = SayMany(*alice, "#room", "old", 3);
  Advance(*alice, 1800);
  std::vector<Sent> recent = SayMany(*alice, "#room", "recent", 2);
  // old: about 3700 s old (past the hour), recent: about 1900 s (out of the 30-minute window,
  // within the stored hour).
  Advance(*alice, 1900);
  HistoryLines reply = AskHistory(*alice, "CHATHISTORY LATEST #room * 10");
  EXPECT_TRUE(reply.fails.empty());
  EXPECT_EQ(Msgids(reply.entries), Msgids(recent));
  EXPECT_TRUE(
      AskHistory(*alice, "CHATHISTORY AFTER #room msgid=" + old[0].msgid + " 10").entries.empty());
  EXPECT_EQ(server->Stop(), 0);
  // The expiry ran (the advanced clock made it due) and was committed before the exit.
  EXPECT_EQ(StoredRows(*server), 2);
  EXPECT_EQ(QueryInt(*server, "SELECT COUNT(*) FROM room_history WHERE text LIKE 'old%'"), 0);
}

TEST(StoredHistory, OffAndDropDeleteWhatWasStored) {
  auto server = StartHistoryServer();
  auto alice = Founder(*server, "2d");
  SayMany(*alice, "#room", "kept for now", 3);
  alice->Send("PRIVMSG ChanServ :SET #room HISTORY OFF");
  EXPECT_EQ(FromChanServ(*alice).Last(),
            "Stored history of #room is off; its stored messages were deleted.");
  EXPECT_EQ(StoredRows(*server), 0);  // the reply came after the commit
  alice->Send("PRIVMSG ChanServ :INFO #room");
  alice->Expect(Matches("Stored history: off"));
  // The window still has them: it is memory, whatever the setting.
  EXPECT_EQ(AskHistory(*alice, "CHATHISTORY LATEST #room * 10").entries.size(), 3u);

  alice->Send("PRIVMSG ChanServ :SET #room HISTORY 2d");
  FromChanServ(*alice);
  SayMany(*alice, "#room", "stored again", 2);
  alice->Send("PRIVMSG ChanServ :DROP #room");
  alice->Expect(Matches("has been dropped"));
  EXPECT_EQ(StoredRows(*server), 0);

  // An account deletion unregisters its rooms, and their stored history goes with them.
  alice->Send("PRIVMSG ChanServ :REGISTER #room");
  alice->Expect(Matches("is now registered to alice"));
  alice->Send("PRIVMSG ChanServ :SET #room HISTORY 2d");
  FromChanServ(*alice);
  SayMany(*alice, "#room", "stored once more", 2);
  alice->Send("ACCOUNT DELETE password-of-alice");
  alice->ExpectNumeric("901");
  EXPECT_EQ(StoredRows(*server), 0);
  // Rows still on their way to the store when the room stopped keeping history never land.
  EXPECT_EQ(server->Stop(), 0);
  EXPECT_EQ(StoredRows(*server), 0);
}

}  // namespace
}  // namespace salon::testing

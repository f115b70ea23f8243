// Private-message history (docs/history.md) against the real binary: kept only between two
// logged-in accounts that both turned it on (NickServ SET HISTORY ON), served to both sides,
// dropped when one turns it off, the opt-in kept across a restart; and CHATHISTORY TARGETS
// over rooms and conversations.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "account_helpers.h"
#include "harness.h"
#include "history_helpers.h"

namespace salon::testing {
namespace {

Message FromNickServ(TestClient& c) {
  return c.Expect([](const Message& l) {
    return l.command == "NOTICE" && l.source == "NickServ!NickServ@services.";
  });
}

TEST(PrivateHistory, BothSidesSeeAConversationBothOptedInto) {
  auto server = StartHistoryServer();
  auto alice = NewAccount(*server, "alice", true);
  auto bob = NewAccount(*server, "bob", true);
  std::vector<Sent> sent;
  for (int i = 0; i < 4; ++i) {
    TestClient& from = i % 2 == 0 ? *alice : *bob;
    Advance(from, 1);
    sent.push_back(Say(from, i % 2 == 0 ? "bob" : "alice", "dm " + std::to_string(i)));
  }
  HistoryLines for_alice = AskHistory(*alice, "CHATHISTORY LATEST bob * 10");
  ASSERT_TRUE(for_alice.fails.empty()) << for_alice.fails[0].raw;
  EXPECT_EQ(Msgids(for_alice.entries), Msgids(sent));
  EXPECT_EQ(for_alice.entries[0].SourceNick(), "alice");
  EXPECT_EQ(for_alice.entries[0].params, (std::vector<std::string>{"bob", "dm 0"}));
  EXPECT_EQ(for_alice.entries[1].SourceNick(), "bob");
  // The other side, by any case of the nick (the batch names it as asked); and every
  // subcommand works on a conversation.
  HistoryLines for_bob = AskHistory(*bob, "CHATHISTORY LATEST ALICE * 10");
  EXPECT_EQ(for_bob.batch, (std::vector<std::string>{"chathistory", "ALICE"}));
  EXPECT_EQ(Msgids(for_bob.entries), Msgids(sent));
  EXPECT_EQ(
      Msgids(AskHistory(*bob, "CHATHISTORY BEFORE alice msgid=" + sent[2].msgid + " 1").entries),
      (std::vector<std::string>{sent[1].msgid}));
  EXPECT_EQ(Msgids(AskHistory(*bob, "CHATHISTORY BETWEEN alice timestamp=" + sent[0].time +
                                        " timestamp=" + sent[3].time + " 10")
                       .entries),
            (std::vector<std::string>{sent[1].msgid, sent[2].msgid}));

  // A nick change does not lose the conversation: it is the accounts'.
  bob->Send("NICK robert");
  bob->ExpectCommand("NICK");
  EXPECT_EQ(Msgids(AskHistory(*alice, "CHATHISTORY LATEST robert * 10").entries), Msgids(sent));

  // Messages to oneself are a conversation too.
  Sent note = Say(*alice, "alice", "note to self");
  EXPECT_EQ(Msgids(AskHistory(*alice, "CHATHISTORY LATEST alice * 10").entries),
            (std::vector<std::string>{note.msgid}));
}

TEST(PrivateHistory, NothingKeptUnlessBothOptedIn) {
  auto server = StartHistoryServer();
  auto alice = NewAccount(*server, "alice", true);
  auto bob = NewAccount(*server, "bob", false);
  TestClient guest(*server);
  guest.RegisterWithCaps("guest", kHistoryCaps);

  Say(*alice, "bob", "to someone who did not opt in");
  Say(*alice, "guest", "to a guest");
  Say(guest, "alice", "from a guest");
  for (auto [client, target] : {std::pair{alice.get(), "bob"}, std::pair{bob.get(), "alice"},
                                std::pair{alice.get(), "guest"}, std::pair{&guest, "alice"}}) {
    HistoryLines reply = AskHistory(*client, std::string("CHATHISTORY LATEST ") + target + " * 10");
    // A person one can talk to: an empty reply rather than an error.
    EXPECT_TRUE(reply.fails.empty()) << target << ": " << reply.fails[0].raw;
    EXPECT_TRUE(reply.entries.empty()) << target << ": " << reply.entries[0].raw;
  }
  HistoryLines nobody = AskHistory(*alice, "CHATHISTORY LATEST nobody * 10");
  ASSERT_EQ(nobody.fails.size(), 1u);
  EXPECT_EQ(nobody.fails[0].params,
            (std::vector<std::string>{"CHATHISTORY", "INVALID_TARGET", "LATEST", "nobody",
                                      "Messages could not be retrieved"}));

  // Once bob opts in, new messages are kept; earlier ones were never kept.
  bob->Send("PRIVMSG NickServ :SET HISTORY ON");
  EXPECT_NE(FromNickServ(*bob).Last().find("history is on"), std::string::npos);
  Sent kept = Say(*alice, "bob", "now it is kept");
  EXPECT_EQ(Msgids(AskHistory(*bob, "CHATHISTORY LATEST alice * 10").entries),
            (std::vector<std::string>{kept.msgid}));

  // Opting out drops the conversation at once, for both.
  alice->Send("PRIVMSG NickServ :SET HISTORY OFF");
  EXPECT_NE(FromNickServ(*alice).Last().find("history is off"), std::string::npos);
  EXPECT_TRUE(AskHistory(*bob, "CHATHISTORY LATEST alice * 10").entries.empty());
  Say(*bob, "alice", "not kept any more");
  EXPECT_TRUE(AskHistory(*bob, "CHATHISTORY LATEST alice * 10").entries.empty());
  EXPECT_EQ(server->Stop(), 0);  // audit entries are batched writes: committed by the exit
  std::vector<std::string> audit = AuditRows(*server);
  EXPECT_NE(std::find(audit.begin(), audit.end(), "account.history|alice|alice|off"), audit.end());
}

TEST(PrivateHistory, SetHistoryRulesAndTheOptInSurvivesARestart) {
  auto server = StartHistoryServer();
  TestClient guest(*server);
  guest.Register("guest");
  guest.Send("PRIVMSG NickServ :SET HISTORY ON");
  EXPECT_EQ(FromNickServ(guest).Last(), "You are not logged in.");
  auto alice = NewAccount(*server, "alice", false);
  for (const char* bad : {"SET HISTORY", "SET HISTORY MAYBE", "SET HISTORY ON now"}) {
    alice->Send(std::string("PRIVMSG NickServ :") + bad);
    EXPECT_EQ(FromNickServ(*alice).Last(), "Syntax: SET HISTORY ON|OFF") << bad;
  }
  alice->Send("PRIVMSG NickServ :SET HISTORY ON");
  FromNickServ(*alice);
  alice->Send("PRIVMSG NickServ :INFO");
  alice->Expect(Matches("Private-message history: on"));
  auto bob = NewAccount(*server, "bob", true);
  alice.reset();
  bob.reset();

  server->Restart();
  auto login = [&](const std::string& nick) {
    auto c = std::make_unique<TestClient>(*server);
    c->RegisterWithCaps(nick, kHistoryCaps);
    c->Send("PRIVMSG NickServ :IDENTIFY password-of-" + nick);
    c->ExpectNumeric("900");
    c->Drain();
    return c;
  };
  auto alice2 = login("alice");
  auto bob2 = login("bob");
  Sent sent = Say(*alice2, "bob", "after the restart");
  EXPECT_EQ(Msgids(AskHistory(*bob2, "CHATHISTORY LATEST alice * 10").entries),
            (std::vector<std::string>{sent.msgid}));
}

TEST(PrivateHistory, AccountDeletionDropsItsConversations) {
  auto server = StartHistoryServer();
  auto alice = NewAccount(*server, "alice", true);
  auto bob = NewAccount(*server, "bob", true);
  Say(*alice, "bob", "soon gone");
  ASSERT_EQ(AskHistory(*bob, "CHATHISTORY LATEST alice * 10").entries.size(), 1u);
  alice->Send("ACCOUNT DELETE password-of-alice");
  alice->ExpectNumeric("901");
  // The name is free again: an account registered on it later sees nothing of the old one's.
  EXPECT_TRUE(AskHistory(*bob, "CHATHISTORY LATEST alice * 10").entries.empty());
}

TEST(PrivateHistory, TargetsListsRoomsAndConversationsByLatestMessage) {
  auto server = StartHistoryServer();
  auto c1 = NewAccount(*server, "c1", true);
  auto c2 = NewAccount(*server, "c2", true);
  auto c3 = NewAccount(*server, "c3", true);
  TestClient guest(*server);
  guest.RegisterWithCaps("guest", kHistoryCaps);
  c1->Join("#one");
  c2->Join("#one");
  c1->Join("#two");
  c3->Join("#two");
  c3->Join("#notmine");
  std::vector<std::pair<std::string, Sent>> order;
  for (const char* target : {"#one", "c2", "#two", "c3"}) {
    Advance(*c1, 1);
    order.push_back({target, Say(*c1, target, std::string("hello ") + target)});
  }
  Say(*c3, "#notmine", "c1 is not in this room");
  Say(*c1, "guest", "no history with a guest");
  auto targets = [&](const std::string& from, const std::string& to, int limit) {
    HistoryLines reply = AskHistory(*c1, "CHATHISTORY TARGETS timestamp=" + from +
                                             " timestamp=" + to + " " + std::to_string(limit));
    EXPECT_TRUE(reply.fails.empty());
    EXPECT_EQ(reply.batch, (std::vector<std::string>{"draft/chathistory-targets"}));
    std::vector<std::pair<std::string, std::string>> out;
    for (const Message& m : reply.entries) {
      EXPECT_EQ(m.command, "CHATHISTORY");
      EXPECT_EQ(m.Param(0), "TARGETS");
      out.push_back({m.Param(1), m.Param(2)});
    }
    return out;
  };
  const std::string before = "2020-01-01T00:00:00.000Z";
  const std::string after = "2262-01-01T00:00:00.000Z";
  std::vector<std::pair<std::string, std::string>> all;
  for (const auto& [target, sent] : order) all.push_back({target, sent.time});
  EXPECT_EQ(targets(before, after, 100), all);
  EXPECT_EQ(targets(after, before, 100), all);  // either order, same listing
  EXPECT_EQ(targets(before, after, 2), (decltype(all){all[0], all[1]}));
  EXPECT_EQ(targets(after, before, 2), (decltype(all){all[2], all[3]}));
  // Both times excluded.
  EXPECT_EQ(targets(order[0].second.time, order[3].second.time, 100),
            (decltype(all){all[1], all[2]}));
  // A target counts by its latest message only.
  Advance(*c1, 1);
  Sent again = Say(*c1, "#one", "hello again");
  EXPECT_EQ(targets(before, order[3].second.time, 100), (decltype(all){all[1], all[2]}));
  EXPECT_EQ(targets(before, after, 100),
            (decltype(all){all[1], all[2], all[3], {"#one", again.time}}));
}

}  // namespace
}  // namespace salon::testing

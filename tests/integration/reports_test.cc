// Reports against the real binary (docs/report-protocol.md): REPORT on a room message with its
// context, on a private message (the private window, also after the other side quit), on a user
// (their recent messages in shared rooms only), every FAIL code, the rate limits on the server
// clock, the evidence bounds (nothing older than the windows), persistence across a restart,
// REPORTS's role check and queue order, and the audit entries.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "account_helpers.h"
#include "harness.h"
#include "history_helpers.h"

namespace salon::testing {
namespace {

const std::string kPassword = "reports-passphrase";
const std::string kCaps = "echo-message message-tags server-time standard-replies";

Predicate Fail(const std::string& code) { return Matches("^\\S+ FAIL REPORT " + code + "( |$)"); }

class Reports : public ::testing::Test {
 protected:
  void Start(const std::string& reports = "", const std::string& history = "") {
    server_ = std::make_unique<TestServer>(
        TestConfig({.tail = "[moderation]\nmoderators = [\"mod\"]\nadmins = [\"boss\"]\n" +
                            kAccountsClock + "[reports]\n" + reports + "[history]\n" + history}));
    server_->Start();
  }

  std::unique_ptr<TestClient> Mod() {
    if (!mod_registered_) RegisterAccount(*server_, "mod", kPassword);
    mod_registered_ = true;
    return LoggedIn(*server_, "mod", "mod", kPassword, "standard-replies");
  }

  std::unique_ptr<TestClient> User(const std::string& nick, const std::string& ip = "") {
    return RegisteredClient(*server_, nick, kCaps, ip);
  }

  // Sends REPORT and returns the reference of NOTE REPORT RECEIVED.
  static std::string Report(TestClient& c, const std::string& args) {
    c.Send("REPORT " + args);
    Message note =
        c.Expect(AnyOf({Matches("^\\S+ NOTE REPORT RECEIVED "), Matches("^\\S+ FAIL REPORT ")}));
    EXPECT_EQ(note.command, "NOTE") << note.raw;
    EXPECT_TRUE(std::regex_match(note.Param(2), std::regex("R-[0-9a-f]{10}"))) << note.raw;
    EXPECT_NE(note.Last().find(note.Param(2)), std::string::npos) << note.raw;
    return note.Param(2);
  }

  // REPORTS SHOW <ref>: the EVIDENCE lines, as "kind|place|source-nick|text".
  static std::vector<std::string> Evidence(TestClient& mod, const std::string& ref,
                                           std::vector<Message>* all = nullptr) {
    mod.Send("REPORTS SHOW " + ref);
    auto lines = mod.CollectUntil(Matches("^\\S+ (NOTE REPORTS END|FAIL REPORTS)"));
    std::vector<std::string> out;
    for (const Message& m : lines) {
      if (m.command == "NOTE" && m.Param(1) == "EVIDENCE") {
        std::string source = m.Param(8);
        out.push_back(m.Param(4) + "|" + m.Param(5) + "|" + source.substr(0, source.find('!')) +
                      "|" + m.Last());
      }
    }
    if (all != nullptr) *all = lines;
    return out;
  }

  bool Audited(const std::string& prefix) {
    auto rows = AuditRows(*server_);
    return std::any_of(rows.begin(), rows.end(),
                       [&](const std::string& row) { return row.rfind(prefix, 0) == 0; });
  }

  std::unique_ptr<TestServer> server_;
  bool mod_registered_ = false;
};

TEST_F(Reports, RoomMessageWithItsContextBeforeAndAfter) {
  Start("context_messages = 2\n");
  auto alice = User("alice");
  auto bob = User("bob");
  alice->Join("#room");
  bob->Join("#room");
  std::vector<Sent> sent;
  for (int i = 0; i < 8; ++i) sent.push_back(Say(*bob, "#room", "line " + std::to_string(i)));
  alice->Drain();
  std::string ref = Report(*alice, "#room harassment " + sent[4].msgid + " :this is nasty");
  auto mod = Mod();
  std::vector<Message> lines;
  EXPECT_EQ(Evidence(*mod, ref, &lines),
            (std::vector<std::string>{"context|#room|bob|line 2", "context|#room|bob|line 3",
                                      "reported|#room|bob|line 4", "context|#room|bob|line 5",
                                      "context|#room|bob|line 6"}));
  // The report's header names the category, the target and the comment; the sender's address
  // is not shown to a moderator who is not an administrator.
  auto header = std::find_if(lines.begin(), lines.end(),
                             [](const Message& m) { return m.Param(1) == "REPORT"; });
  ASSERT_NE(header, lines.end());
  EXPECT_EQ(header->Param(3), "harassment");
  EXPECT_EQ(header->Param(4), "2");  // priority: neither child safety nor a threat
  EXPECT_EQ(header->Param(5), "open");
  EXPECT_EQ(header->Param(8), "#room");
  EXPECT_EQ(header->Last(), "this is nasty");
  for (const Message& m : lines) EXPECT_EQ(m.raw.find("127.0.0.1"), std::string::npos) << m.raw;
  // Stored with its evidence and the target's address (for administrators).
  EXPECT_EQ(
      QueryInt(*server_, "SELECT COUNT(*) FROM report_evidence WHERE report_ref = '" + ref + "'"),
      5);
  EXPECT_EQ(QueryInt(*server_,
                     "SELECT COUNT(*) FROM reports WHERE target_nick = 'bob' AND "
                     "target_ip = '127.0.0.1' AND reporter = 'alice' AND msgid = '" +
                         sent[4].msgid + "'"),
            1);
}

TEST_F(Reports, AdministratorSeesTheAddresses) {
  Start();
  RegisterAccount(*server_, "boss", kPassword);
  auto alice = User("alice");
  auto bob = User("bob", "127.0.0.3");
  alice->Join("#room");
  bob->Join("#room");
  Sent s = Say(*bob, "#room", "buy my stuff");
  std::string ref = Report(*alice, "#room spam " + s.msgid + " :");
  auto boss = LoggedIn(*server_, "boss", "boss", kPassword, "standard-replies");
  std::vector<Message> lines;
  Evidence(*boss, ref, &lines);
  auto target = std::find_if(lines.begin(), lines.end(),
                             [](const Message& m) { return m.Param(1) == "TARGET"; });
  ASSERT_NE(target, lines.end());
  EXPECT_EQ(target->Last(), "ip 127.0.0.3") << target->raw;
}

TEST_F(Reports, PrivateMessageFromThePrivateWindowAlsoAfterTheSenderQuit) {
  Start("context_messages = 1\n");
  auto alice = User("alice");
  auto bob = User("bob");
  auto carol = User("carol");
  Sent other = Say(*bob, "carol", "secret for carol");
  std::vector<Sent> sent;
  for (int i = 0; i < 4; ++i) sent.push_back(Say(*bob, "alice", "dm " + std::to_string(i)));
  Say(*alice, "bob", "stop it");
  alice->Drain();
  std::string ref = Report(*alice, "bob threat " + sent[2].msgid + " :he threatens me");
  auto mod = Mod();
  EXPECT_EQ(Evidence(*mod, ref),
            (std::vector<std::string>{"context|private|bob|dm 1", "reported|private|bob|dm 2",
                                      "context|private|bob|dm 3"}));
  // A message of another conversation is not one alice has seen.
  alice->Send("REPORT bob threat " + other.msgid + " :x");
  EXPECT_EQ(alice->Expect(Fail("UNKNOWN_MESSAGE")).Param(2), other.msgid);

  // bob quits: the conversation stays while alice is here, and she can still report him.
  bob->Send("QUIT :bye");
  bob->ExpectClosed();
  std::string after = Report(*alice, "BOB harassment :kept writing");
  EXPECT_EQ(Evidence(*mod, after),
            (std::vector<std::string>{"private|private|bob|dm 0", "private|private|bob|dm 1",
                                      "private|private|bob|dm 2", "private|private|bob|dm 3",
                                      "private|private|alice|stop it"}));
  // Someone who never spoke with bob cannot name him once he has gone.
  auto dave = User("dave");
  dave->Send("REPORT bob harassment :x");
  dave->Expect(Fail("UNKNOWN_TARGET"));
}

TEST_F(Reports, MultilinePrivateMessageIsOneEvidenceLine) {
  Start();
  const std::string caps = "draft/multiline batch echo-message message-tags server-time";
  auto alice = RegisteredClient(*server_, "alice", caps);
  auto bob = RegisteredClient(*server_, "bob", caps);
  bob->Send("BATCH +b1 draft/multiline alice");
  bob->Send("@batch=b1 PRIVMSG alice :first line");
  bob->Send("@batch=b1 PRIVMSG alice :second line");
  bob->Send("BATCH -b1");
  alice->Expect(Matches("PRIVMSG alice :second line"));
  std::string ref = Report(*alice, "bob harassment :");
  auto mod = Mod();
  // Shown on one line (the line break becomes a space on the wire), stored as sent.
  EXPECT_EQ(Evidence(*mod, ref),
            (std::vector<std::string>{"private|private|bob|first line second line"}));
  EXPECT_EQ(QueryInt(*server_,
                     "SELECT COUNT(*) FROM report_evidence WHERE text = "
                     "'first line' || char(10) || 'second line'"),
            1);
}

TEST_F(Reports, UserReportHoldsTheirMessagesInSharedRoomsOnly) {
  Start("user_messages = 3\n");
  auto alice = User("alice");
  auto bob = User("bob");
  auto carol = User("carol");
  alice->Join("#shared");
  bob->Join("#shared");
  carol->Join("#shared");
  bob->Join("#elsewhere");
  Say(*bob, "#shared", "shared 0");
  Say(*carol, "#shared", "carol speaks");
  Say(*bob, "#elsewhere", "not for alice");
  Say(*bob, "#shared", "shared 1");
  Say(*bob, "#shared", "shared 2");
  Say(*bob, "#shared", "shared 3");
  alice->Drain();
  std::string ref = Report(*alice, "bob hate :he insults people");
  auto mod = Mod();
  // Only bob's, only in #shared, the newest user_messages of them.
  EXPECT_EQ(Evidence(*mod, ref),
            (std::vector<std::string>{"user|#shared|bob|shared 1", "user|#shared|bob|shared 2",
                                      "user|#shared|bob|shared 3"}));
  // A message of a room alice is not in cannot be named, by the room or by the user.
  Sent hidden = Say(*bob, "#elsewhere", "hidden");
  alice->Send("REPORT bob hate " + hidden.msgid + " :x");
  alice->Expect(Fail("UNKNOWN_MESSAGE"));
  alice->Send("REPORT #elsewhere hate " + hidden.msgid + " :x");
  alice->Expect(Fail("UNKNOWN_MESSAGE"));
  // The room itself may be reported, without its messages.
  std::string room_ref = Report(*alice, "#elsewhere other :what is this room");
  EXPECT_TRUE(Evidence(*mod, room_ref).empty());
  // A message of bob's in a shared room, named through bob.
  Sent shared = Say(*bob, "#shared", "shared 4");
  std::string msg_ref = Report(*alice, "bob hate " + shared.msgid + " :");
  EXPECT_EQ(Evidence(*mod, msg_ref).back(), "reported|#shared|bob|shared 4");
}

TEST_F(Reports, EveryFailCode) {
  Start("text_max_bytes = 10\n");
  auto alice = User("alice");
  auto bob = User("bob");
  bob->Join("#room");
  Sent s = Say(*bob, "#room", "hello");
  alice->Send("REPORT bob spam");  // the trailing text is required
  alice->ExpectNumeric("461");
  alice->Expect(Fail("INVALID_PARAMS"));
  alice->Send("REPORT");
  alice->ExpectNumeric("461");
  alice->Expect(Fail("INVALID_PARAMS"));
  alice->Send("REPORT bob spam a b :too many");
  alice->Expect(Fail("INVALID_PARAMS"));
  alice->Send("REPORT bob rudeness :x");
  Message category = alice->Expect(Fail("INVALID_CATEGORY"));
  EXPECT_EQ(category.Param(2), "rudeness");
  EXPECT_NE(category.Last().find("child_abuse,grooming,non_consensual,threat,hate,harassment,"
                                 "illegal_goods,spam,other"),
            std::string::npos)
      << category.raw;
  alice->Send("REPORT bob Spam :x");  // exact names only
  alice->Expect(Fail("INVALID_CATEGORY"));
  alice->Send("REPORT bob spam :eleven byte");
  EXPECT_EQ(alice->Expect(Fail("TEXT_TOO_LONG")).Param(2), "10");
  alice->Send("REPORT nobody spam :x");
  EXPECT_EQ(alice->Expect(Fail("UNKNOWN_TARGET")).Param(2), "nobody");
  alice->Send("REPORT #nowhere spam :x");
  EXPECT_EQ(alice->Expect(Fail("UNKNOWN_TARGET")).Param(2), "#nowhere");
  alice->Send("REPORT #room spam nosuchid :x");
  EXPECT_EQ(alice->Expect(Fail("UNKNOWN_MESSAGE")).Param(2), "nosuchid");
  alice->Send("REPORT #room spam " + s.msgid + " :x");  // alice is not in #room
  alice->Expect(Fail("UNKNOWN_MESSAGE"));
  alice->Send("REPORT bob spam nosuchid :x");
  alice->Expect(Fail("UNKNOWN_MESSAGE"));
  alice->ExpectNone(Command("NOTE"), "a report accepted");
  // Before registration REPORT is refused like every registered-only command.
  TestClient early(*server_);
  early.Send("REPORT bob spam :x");
  early.ExpectNumeric("451");
  EXPECT_EQ(QueryInt(*server_, "SELECT COUNT(*) FROM reports"), 0);
}

TEST_F(Reports, RateLimitsPerUserAndPerAddressOnTheServerClock) {
  Start("per_user_per_hour = 2\nper_ip_per_hour = 3\n");
  auto alice = User("alice");
  auto bob = User("bob");
  Report(*alice, "bob spam :1");
  Report(*alice, "bob spam :2");
  alice->Send("REPORT bob spam :3");
  alice->Expect(Fail("RATE_LIMITED"));
  // Another connection from the same address: one more, then the address's limit.
  auto carol = User("carol");
  Report(*carol, "bob spam :4");
  carol->Send("REPORT bob spam :5");
  carol->Expect(Fail("RATE_LIMITED"));
  // From another address the limit is not reached.
  auto dave = User("dave", "127.0.0.4");
  Report(*dave, "bob spam :6");
  // An hour later, alice may report again.
  AdvanceClock(*alice, 3601);
  Report(*alice, "bob spam :7");
  EXPECT_EQ(QueryInt(*server_, "SELECT COUNT(*) FROM reports"), 5);
}

TEST_F(Reports, NothingOlderThanTheWindows) {
  Start("private_window_minutes = 2\ncontext_messages = 5\n", "memory_minutes = 5\n");
  auto alice = User("alice");
  auto bob = User("bob");
  alice->Join("#room");
  bob->Join("#room");
  Sent old_room = Say(*bob, "#room", "old room line");
  Sent old_private = Say(*bob, "alice", "old private line");
  AdvanceClock(*alice, 150);  // past the private window, within the room's
  Say(*bob, "alice", "new private line");
  AdvanceClock(*alice, 160);  // past the room window too
  Sent new_room = Say(*bob, "#room", "new room line");
  alice->Drain();
  alice->Send("REPORT #room spam " + old_room.msgid + " :x");
  alice->Expect(Fail("UNKNOWN_MESSAGE"));
  alice->Send("REPORT bob spam " + old_private.msgid + " :x");
  alice->Expect(Fail("UNKNOWN_MESSAGE"));
  std::string ref = Report(*alice, "bob spam :");
  auto mod = Mod();
  EXPECT_EQ(Evidence(*mod, ref), (std::vector<std::string>{"user|#room|bob|new room line"}));
  std::string room_ref = Report(*alice, "#room spam :");
  EXPECT_EQ(Evidence(*mod, room_ref),
            (std::vector<std::string>{"context|#room|bob|new room line"}));
}

TEST_F(Reports, SurviveARestartAndAreListedByPriority) {
  Start();
  auto alice = User("alice");
  auto bob = User("bob");
  std::string spam = Report(*alice, "bob spam :first");
  std::string threat = Report(*alice, "bob threat :second");
  std::string child = Report(*alice, "bob child_abuse :third");
  alice.reset();
  bob.reset();
  server_->Restart();
  auto mod = Mod();
  mod->Send("REPORTS");
  auto lines = mod->CollectUntil(Matches("^\\S+ NOTE REPORTS END "));
  std::vector<std::string> order;
  for (const Message& m : lines) {
    if (m.Param(1) == "ENTRY") order.push_back(m.Param(2) + " " + m.Param(3) + " " + m.Last());
  }
  EXPECT_EQ(order, (std::vector<std::string>{child + " child_abuse third",
                                             threat + " threat second", spam + " spam first"}));
  EXPECT_EQ(lines.back().Param(2), "3");
  Message entry = *std::find_if(lines.begin(), lines.end(),
                                [](const Message& m) { return m.Param(1) == "ENTRY"; });
  EXPECT_EQ(entry.Param(4), "bob");
  EXPECT_EQ(entry.Param(5), "open");
  EXPECT_TRUE(std::regex_match(entry.Param(6), std::regex("[0-9]{10}"))) << entry.raw;
  mod->Send("REPORTS all 1");
  lines = mod->CollectUntil(Matches("^\\S+ NOTE REPORTS END "));
  EXPECT_EQ(lines.back().Param(2), "1");
  mod->Send("REPORTS SHOW R-0000000000");
  mod->Expect(Matches("^\\S+ FAIL REPORTS UNKNOWN_REPORT R-0000000000 "));
  mod->Send("REPORTS sometimes");
  mod->Expect(Matches("^\\S+ FAIL REPORTS INVALID_PARAMS "));
}

TEST_F(Reports, DeletedAfterKeepDays) {
  Start("keep_days = 1\n");
  auto alice = User("alice");
  auto bob = User("bob");
  Report(*alice, "bob spam :old");
  AdvanceClock(*alice, 3600);  // an hour later: still kept
  Report(*alice, "bob spam :newer");
  auto mod = Mod();
  auto count = [&] {
    mod->Send("REPORTS all");
    return mod->CollectUntil(Matches("^\\S+ NOTE REPORTS END ")).back().Param(2);
  };
  EXPECT_EQ(count(), "2");
  // A day after the first: the hourly purge deletes it with its evidence, not the second.
  AdvanceClock(*mod, 86400 - 3600 + 1800);
  EXPECT_EQ(count(), "1");
  AdvanceClock(*mod, 3600);
  EXPECT_EQ(count(), "0");
  EXPECT_EQ(QueryInt(*server_, "SELECT COUNT(*) FROM report_evidence"), 0);
}

TEST_F(Reports, ReportsIsForModeratorsAndEverythingIsAudited) {
  Start();
  auto alice = User("alice");
  auto bob = User("bob");
  std::string ref = Report(*alice, "bob grooming :asks my age");
  for (const std::string& line :
       std::vector<std::string>{"REPORTS", "REPORTS all 5", "REPORTS SHOW " + ref}) {
    alice->Send(line);
    alice->ExpectNumeric("481");
    alice->Expect(Matches("^\\S+ FAIL REPORTS NO_PRIVILEGES "));
  }
  alice->ExpectNone(Matches("NOTE REPORTS"), "a report shown to a non-moderator");
  auto mod = Mod();
  Evidence(*mod, ref);
  mod->Send("REPORTS");
  mod->CollectUntil(Matches("^\\S+ NOTE REPORTS END "));
  server_->Stop();
  EXPECT_TRUE(Audited("report.create|alice|bob|user grooming user -"));
  EXPECT_TRUE(Audited("reports.refused|alice|"));
  EXPECT_TRUE(Audited("reports.show|mod|" + ref + "|"));
  EXPECT_TRUE(Audited("reports.list|mod|*|open 20, 1 entries"));
  EXPECT_EQ(QueryInt(*server_,
                     "SELECT COUNT(*) FROM audit_log WHERE action = 'report.create' "
                     "AND ref = '" +
                         ref + "'"),
            1);
  EXPECT_EQ(QueryInt(*server_, "SELECT priority FROM reports WHERE ref = '" + ref + "'"), 0);
}

TEST_F(Reports, AdvertisedInIsupportAndAbsentWhenDisabled) {
  Start();
  auto alice = User("alice");
  alice->Send("VERSION");
  std::string all;
  for (const Message& m : alice->Sync()) all += m.raw + "\n";
  EXPECT_NE(all.find(" SALON_REPORT=child_abuse,grooming,non_consensual,threat,hate,harassment,"
                     "illegal_goods,spam,other "),
            std::string::npos)
      << all;
  server_->Stop();
  server_->SetConfig(TestConfig({.tail = "[reports]\nenabled = false\n"}));
  server_->Start();
  auto bob = User("bob");
  bob->Send("REPORT alice spam :x");
  bob->ExpectNumeric("421");
}

}  // namespace
}  // namespace salon::testing

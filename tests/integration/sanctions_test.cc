// Sanctions against the real binary (docs/moderation.md, "Sanctions and roles"): every action
// refused to a non-moderator (and audited), mutes in rooms and private messages and their
// expiry on the server clock, room bans, server bans by account, nick mask and IPv4 range
// (a client connecting from 127.0.0.2), bans surviving a restart, the statement of reasons in
// both forms (NOTE * DECISION for standard-replies clients, a server NOTICE otherwise), KICK
// statements, and the strike ladder.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "account_helpers.h"
#include "harness.h"

namespace salon::testing {
namespace {

const std::string kPassword = "sanctions-passphrase";
const std::string kElsewhere = "127.0.0.3";

Predicate Decision(const std::string& action) {
  return Matches("^\\S+ NOTE \\* DECISION D-[0-9a-f]{6} " + action + " ");
}

Predicate Fail(const std::string& command, const std::string& code) {
  return Matches("^\\S+ FAIL " + command + " " + code + " ");
}

class Sanctions : public ::testing::Test {
 protected:
  void Start(const std::string& moderation = "") {
    server_ = std::make_unique<TestServer>(TestConfig(
        {.tail = "[moderation]\nmoderators = [\"mod\"]\n" + moderation + kAccountsClock}));
    server_->Start();
    RegisterAccount(*server_, "mod", kPassword);
    RegisterAccount(*server_, "bob", kPassword);
  }

  std::unique_ptr<TestClient> Mod() {
    return LoggedIn(*server_, "mod", "mod", kPassword, "standard-replies");
  }

  // The reference of the sanction `c`'s last command imposed (NOTE <command> APPLIED <ref>).
  static std::string Applied(TestClient& c, const std::string& command) {
    return c.Expect(Matches("^\\S+ NOTE " + command + " APPLIED ")).Param(2);
  }

  bool Audited(const std::string& prefix) {
    auto rows = AuditRows(*server_);
    return std::any_of(rows.begin(), rows.end(),
                       [&](const std::string& row) { return row.rfind(prefix, 0) == 0; });
  }

  std::unique_ptr<TestServer> server_;
};

TEST_F(Sanctions, NonModeratorIsRefusedEveryActionAndAudited) {
  Start();
  auto eve = RegisteredClient(*server_, "eve");
  auto bob = LoggedIn(*server_, "bob", "bob", kPassword);
  for (const char* line :
       {"WARN bob :be nice", "MUTE bob 1h :spam", "UNMUTE bob", "BAN bob 1d :spam", "UNBAN bob",
        "BANS", "STRIKE bob :spam", "BAN 192.0.2.0/24 :spam"}) {
    eve->Send(line);
    eve->ExpectNumeric("481");
  }
  // Room scope: not an operator of the room (bob is, having created it).
  bob->Join("#den");
  eve->Join("#den");
  for (const char* line :
       {"MUTE #den bob 1h :spam", "BAN #den bob :spam", "WARN #den bob :x", "BANS #den"}) {
    eve->Send(line);
    eve->ExpectNumeric("482");
  }
  bob->ExpectNone(Command("NOTICE"), "a statement from a refused action");
  server_->Stop();
  auto rows = AuditRows(*server_);
  EXPECT_EQ(
      std::count_if(rows.begin(), rows.end(),
                    [](const std::string& r) { return r.rfind("sanction.refused|eve|", 0) == 0; }),
      12);
}

TEST_F(Sanctions, MuteBlocksRoomAndPrivateMessagesUntilItExpires) {
  Start();
  auto mod = Mod();
  // From another address: a guest's sanction is on its cloaked host, which the others share.
  auto bob = RegisteredClient(*server_, "bobby", "standard-replies", kElsewhere);
  auto carol = RegisteredClient(*server_, "carol");
  carol->Join("#main");
  bob->Join("#main");
  carol->Drain();

  mod->Send("MUTE bobby 1h :flooding the room");
  std::string ref = Applied(*mod, "MUTE");
  Message statement = bob->Expect(Decision("mute"));
  EXPECT_EQ(statement.Param(2), ref);
  EXPECT_EQ(statement.Param(4), "*");
  EXPECT_NE(statement.Param(5), "0");  // expires: unix seconds
  EXPECT_NE(statement.Last().find("flooding the room"), std::string::npos) << statement.raw;
  EXPECT_NE(statement.Last().find(ref), std::string::npos) << "the statement names its ref";
  EXPECT_NE(statement.Last().find("reply to a server moderator"), std::string::npos);

  bob->Send("PRIVMSG #main :can you hear me");
  bob->Expect(Fail("PRIVMSG", "MUTED"));
  Message refused = bob->ExpectNumeric("404");
  EXPECT_NE(refused.Last().find("You are muted until"), std::string::npos) << refused.raw;
  bob->Send("PRIVMSG carol :psst");
  bob->Expect(Fail("PRIVMSG", "MUTED"));
  bob->ExpectNumeric("531");
  carol->ExpectNone(Command("PRIVMSG"), "a muted user's message");

  // Coming back while muted: told again.
  {
    TestClient back(server_->irc_port(), kElsewhere);
    back.RegisterWithCaps("bobby2", "standard-replies");
    EXPECT_EQ(back.Expect(Decision("mute")).Param(2), ref);
  }

  AdvanceClock(*mod, 3601);
  Message lifted = bob->Expect(Decision("unmute"));
  EXPECT_EQ(lifted.Param(2), ref);
  bob->Send("PRIVMSG #main :back");
  carol->Expect(CommandParam("PRIVMSG", 0, "#main"));
  server_->Stop();
  EXPECT_TRUE(Audited("sanction.mute|mod|*!*@"));
  EXPECT_TRUE(Audited("sanction.expire|"));
}

TEST_F(Sanctions, RoomMuteIsThatRoomOnlyAndUnmuteTells) {
  Start();
  auto carol = RegisteredClient(*server_, "carol");
  // No standard-replies: NOTICE statements.
  auto bob = RegisteredClient(*server_, "bobby", "", kElsewhere);
  carol->Join("#side");  // carol is its operator
  bob->Join("#side");
  carol->Join("#main");
  bob->Join("#main");
  carol->Drain();

  carol->Send("MUTE #side bobby 0 :off topic");
  Applied(*carol, "MUTE");
  Message notice = bob->Expect(Matches("NOTICE bobby :You are muted in #side with no end date"));
  EXPECT_NE(notice.Last().find("off topic"), std::string::npos);

  bob->Send("PRIVMSG #side :still here");
  bob->ExpectNumeric("404");
  bob->Send("PRIVMSG #main :hello main");
  carol->Expect(CommandParam("PRIVMSG", 0, "#main"));
  bob->Send("PRIVMSG carol :hello you");
  carol->Expect(CommandParam("PRIVMSG", 0, "carol"));

  carol->Send("UNMUTE #side bobby");
  carol->Expect(Matches(" NOTE UNMUTE LIFTED D-"));
  bob->Expect(Matches("NOTICE bobby :Your mute in #side has ended"));
  bob->Send("PRIVMSG #side :thanks");
  carol->Expect(CommandParam("PRIVMSG", 0, "#side"));
}

TEST_F(Sanctions, AMaskMatchingAModeratorTellsThemNothing) {
  Start();
  // A guest is muted by host mask; the moderator shares the guest's address (and cloak), so the
  // mask matches both, but no sanction applies to a moderator: neither its statement nor the
  // statement of its end may reach them.
  auto mod = Mod();
  TestClient gus(server_->irc_port());
  gus.RegisterWithCaps("gus", "standard-replies");
  mod->Send("MUTE gus 10m :spam");
  Applied(*mod, "MUTE");
  gus.Expect(Decision("mute"));
  mod->Send("UNMUTE gus");
  mod->Expect(Matches(" NOTE UNMUTE LIFTED D-"));
  gus.Expect(Decision("unmute"));
  mod->ExpectNone(Matches(" NOTE \\* DECISION "), "a statement for the moderator");
}

TEST_F(Sanctions, ServerBanByAccountDisconnectsRefusesAndSurvivesRestart) {
  Start();
  auto mod = Mod();
  auto bob = LoggedIn(*server_, "bob", "bob", kPassword);
  mod->Send("BAN account:bob 1d :harassment");
  std::string ref = Applied(*mod, "BAN");
  auto lines = bob->ExpectClosed();
  auto find = [&](const std::string& command) {
    return std::find_if(lines.begin(), lines.end(),
                        [&](const Message& m) { return m.command == command; });
  };
  ASSERT_NE(find("NOTICE"), lines.end());
  EXPECT_NE(find("NOTICE")->Last().find("You are banned from this server until"),
            std::string::npos);
  ASSERT_NE(find("465"), lines.end());
  EXPECT_EQ(find("465")->Last(), "You are banned from this server: harassment (ref " + ref + ")");
  ASSERT_NE(find("ERROR"), lines.end());
  EXPECT_EQ(find("ERROR")->Last(), "Closing link: banned (harassment)");

  // Logging in again: refused at registration, also after a restart.
  auto again = LoggedIn(*server_, "bob", "bob", kPassword);
  again->ExpectNumeric("465");
  again->ExpectClosed();
  mod.reset();
  server_->Restart();
  again = LoggedIn(*server_, "bob", "bob", kPassword);
  again->ExpectNumeric("465");
  again->ExpectClosed();
  // Logging in after registration (SASL then): disconnected as well.
  auto late = RegisteredClient(*server_, "late", "sasl");
  ASSERT_EQ(SaslPlain(*late, "bob", kPassword).command, "903");
  late->ExpectNumeric("465");
  late->ExpectClosed();
  mod = Mod();
  mod->Send("BANS");
  Message entry = mod->Expect(Matches(" NOTE BANS ENTRY " + ref + " ban \\* account:bob "));
  EXPECT_NE(entry.Last().find("harassment"), std::string::npos);
  AdvanceClock(*mod, 86401);
  auto free = LoggedIn(*server_, "bob", "bob", kPassword);
  free->Sync();
  EXPECT_FALSE(free->closed());
}

TEST_F(Sanctions, ServerBanByNickMaskAndUnbanByReference) {
  Start();
  auto mod = Mod();
  auto bobby = RegisteredClient(*server_, "bobby");
  mod->Send("BAN bobby 1h");  // a duration but no reason
  mod->Expect(Fail("BAN", "NEED_REASON"));
  mod->Send("MUTE bobby soon :x");
  mod->Expect(Fail("MUTE", "INVALID_DURATION"));
  mod->Send("BAN nobody-here :x");
  mod->ExpectNumeric("401");
  mod->Send("BAN bob*!*@* :ban evasion");
  std::string ref = Applied(*mod, "BAN");
  bobby->ExpectClosed();
  TestClient bobcat(*server_);
  bobcat.Send("NICK bobcat");
  bobcat.Send("USER u 0 * :x");
  bobcat.ExpectNumeric("465");
  bobcat.ExpectClosed();
  auto alice = RegisteredClient(*server_, "alice");  // not matched
  alice->Sync();

  mod->Send("UNBAN " + ref);
  mod->Expect(Matches(" NOTE UNBAN LIFTED " + ref));
  auto back = RegisteredClient(*server_, "bobcat");
  back->Sync();
  EXPECT_FALSE(back->closed());
}

TEST_F(Sanctions, ServerBanByIpv4RangeLeavesOtherAddressesAndModerators) {
  Start();
  auto mod = Mod();  // from 127.0.0.1
  auto far = std::make_unique<TestClient>(server_->irc_port(), "127.0.0.2");
  far->Register("faraway");
  auto near = RegisteredClient(*server_, "nearby");
  mod->Send("BAN 127.0.0.2/32 2h :spam wave");
  Applied(*mod, "BAN");
  far->ExpectClosed();
  TestClient again(server_->irc_port(), "127.0.0.2");
  again.Send("NICK other");
  again.Send("USER u 0 * :x");
  again.ExpectNumeric("465");
  again.ExpectClosed();

  // A range that covers the moderator's own address spares the moderator.
  mod->Send("BAN 127.0.0.0/8 1h :everyone");
  Applied(*mod, "BAN");
  near->ExpectClosed();
  mod->Sync();
  EXPECT_FALSE(mod->closed());
  mod->Send("BAN 2001:db8::/32 :v6 range");
  mod->Expect(Matches(" NOTE BAN APPLIED D-[0-9a-f]{6} 2001:db8::/32 "));
}

TEST_F(Sanctions, RoomBanRemovesFromTheRoomAndRefusesJoin) {
  Start();
  auto carol = RegisteredClient(*server_, "carol");
  auto bob = RegisteredClient(*server_, "bobby", "standard-replies", kElsewhere);
  carol->Join("#side");
  bob->Join("#side");
  carol->Drain();
  // A mask that covers the room operator herself is refused.
  carol->Send("BAN #side *!*@* 1h :everyone");
  carol->Expect(Fail("BAN", "SELF"));
  carol->Send("BAN #side bobby 1h :trolling");
  std::string ref = Applied(*carol, "BAN");
  Message kick = carol->Expect(CommandParam("KICK", 1, "bobby"));
  EXPECT_NE(kick.Last().find(ref), std::string::npos);
  bob->Expect(Decision("ban"));
  bob->Send("JOIN #side");
  bob->Expect(Fail("JOIN", "BANNED"));
  bob->ExpectNumeric("474");
  bob->Join("#other");  // other rooms are open
  AdvanceClock(*carol, 3601);
  bob->Expect(Decision("unban"));
  bob->Join("#side");
}

TEST_F(Sanctions, KickByAnotherGivesAStatementAndIsAudited) {
  Start();
  auto carol = RegisteredClient(*server_, "carol");
  auto bob = RegisteredClient(*server_, "bobby", "standard-replies");
  carol->Join("#side");
  bob->Join("#side");
  carol->Send("KICK #side bobby :calm down");
  Message statement = bob->Expect(Decision("kick"));
  EXPECT_EQ(statement.Param(4), "#side");
  EXPECT_NE(statement.Last().find("calm down"), std::string::npos);
  server_->Stop();
  EXPECT_TRUE(Audited("kick|carol|bobby|#side"));
}

TEST_F(Sanctions, StrikesEscalateThroughTheLadder) {
  Start("strike_ladder = [\"warn\", \"timeout:10m\", \"suspend:1d\"]\nstrike_window_days = 30\n");
  auto mod = Mod();
  auto bob = LoggedIn(*server_, "bob", "bob", kPassword, "standard-replies");
  bob->Join("#main");

  mod->Send("STRIKE bob :insults");
  mod->Expect(Matches(" NOTE STRIKE APPLIED D-[0-9a-f]{6} 1 "));
  Message warn = bob->Expect(Decision("strike"));
  EXPECT_NE(warn.Last().find("Strike 1 within 30 days"), std::string::npos) << warn.raw;

  mod->Send("STRIKE bob :insults again");
  mod->Expect(Matches(" NOTE STRIKE APPLIED D-[0-9a-f]{6} 2 "));
  bob->Expect(Decision("mute"));
  bob->Send("PRIVMSG #main :no");
  bob->Expect(Fail("PRIVMSG", "MUTED"));

  mod->Send("STRIKE bob :third time");
  mod->Expect(Matches(" NOTE STRIKE APPLIED D-[0-9a-f]{6} 3 "));
  auto lines = bob->ExpectClosed();
  EXPECT_TRUE(std::any_of(lines.begin(), lines.end(), [](const Message& m) {
    return m.command == "NOTE" && m.Param(3) == "suspend";
  }));

  // The suspension ends; the strikes still count within the window: the last rung again.
  AdvanceClock(*mod, 86401);
  bob = LoggedIn(*server_, "bob", "bob", kPassword, "standard-replies");
  mod->Send("STRIKE bob :fourth");
  mod->Expect(Matches(" NOTE STRIKE APPLIED D-[0-9a-f]{6} 4 "));
  bob->ExpectClosed();

  // Past the window the ladder starts again.
  AdvanceClock(*mod, 31 * 86400);
  bob = LoggedIn(*server_, "bob", "bob", kPassword, "standard-replies");
  mod->Send("STRIKE bob :fresh start");
  mod->Expect(Matches(" NOTE STRIKE APPLIED D-[0-9a-f]{6} 1 "));
  bob->Expect(Decision("strike"));
  server_->Stop();
  EXPECT_TRUE(Audited("sanction.strike|mod|account:bob|strike *: Strike 2 within 30 days."));
}

TEST_F(Sanctions, StatementNamesTheContactAddressWhenSet) {
  server_ = std::make_unique<TestServer>(
      TestConfig({.tail = "[admin]\nemail = \"abuse@example.org\"\n[moderation]\nmoderators = "
                          "[\"mod\"]\n" +
                          kAccountsClock}));
  server_->Start();
  RegisterAccount(*server_, "mod", kPassword);
  auto mod = Mod();
  auto bob = RegisteredClient(*server_, "bobby", "", kElsewhere);
  mod->Send("WARN bobby :mind your language");
  std::string ref = Applied(*mod, "WARN");
  Message notice = bob->Expect(Command("NOTICE"));
  EXPECT_NE(notice.Last().find("You have been warned"), std::string::npos) << notice.raw;
  EXPECT_NE(notice.Last().find("write to abuse@example.org quoting reference " + ref),
            std::string::npos)
      << notice.raw;
}

}  // namespace
}  // namespace salon::testing

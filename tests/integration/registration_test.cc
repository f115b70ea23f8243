// Connection registration: PASS/NICK/USER, CAP negotiation, the welcome burst, LUSERS, MOTD,
// PING/PONG and timeouts, QUIT, and the error numerics of the registration commands.
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "harness.h"

namespace salon::testing {
namespace {

std::set<std::string> Words(const std::string& text) {
  std::set<std::string> out;
  std::istringstream in(text);
  for (std::string w; in >> w;) out.insert(w);
  return out;
}

// CAP LIST without cap-notify, which CAP LS 302 enables implicitly (and servers may list).
std::set<std::string> Enabled(const Message& list) {
  auto words = Words(list.Last());
  words.erase("cap-notify");
  return words;
}

// ISUPPORT tokens from the 005 lines, "KEY" -> "value".
std::map<std::string, std::string> Isupport(const std::vector<Message>& lines) {
  std::map<std::string, std::string> out;
  for (const auto& m : lines) {
    if (m.command != "005") continue;
    // 005 <nick> <token>... :are supported by this server
    for (std::size_t i = 1; i + 1 < m.params.size(); ++i) {
      const std::string& t = m.params[i];
      auto eq = t.find('=');
      out[t.substr(0, eq)] = eq == std::string::npos ? "" : t.substr(eq + 1);
    }
  }
  return out;
}

TEST(Registration, WelcomeBurstCarriesNumericsInOrder) {
  TestServer server(TestConfig());
  server.Start();
  TestClient alice(server);
  auto lines = alice.Register("alice");
  std::vector<std::string> order;
  for (const auto& m : lines) {
    if (m.command == "001" || m.command == "002" || m.command == "003" || m.command == "004") {
      order.push_back(m.command);
      EXPECT_EQ(m.Param(0), "alice") << m.raw;
      EXPECT_EQ(m.source, "salon.local") << m.raw;
    }
  }
  EXPECT_EQ(order, (std::vector<std::string>{"001", "002", "003", "004"}));
  EXPECT_EQ(lines.front().command, "001") << "001 must be the first line after registration";
  // 001 names the client by its full mask, whose host is cloaked.
  EXPECT_NE(lines.front().Last().find("alice"), std::string::npos);
  EXPECT_EQ(lines.front().Last().find("127.0.0.1"), std::string::npos) << lines.front().raw;
  // 004 <nick> <servername> <version> <usermodes> <chanmodes>
  for (const auto& m : lines) {
    if (m.command == "004") {
      EXPECT_EQ(m.Param(1), "salon.local");
      EXPECT_GE(m.params.size(), 5u) << m.raw;
      // Every channel mode the server takes, the room controls (+A, +N, +W) included.
      for (char c : std::string("ACMNRWbeIiklmnostv")) {
        EXPECT_NE(m.Param(4).find(c), std::string::npos) << c << " in " << m.raw;
      }
    }
  }
}

TEST(Registration, IsupportAdvertisesEveryToken) {
  TestServer server(TestConfig({.limits = "nick_length = 12\ntopic_length = 300\n"}));
  server.Start();
  TestClient alice(server);
  auto tokens = Isupport(alice.Register("alice"));
  for (const char* key :
       {"CASEMAPPING", "CHANTYPES", "CHANMODES", "PREFIX", "NICKLEN", "CHANNELLEN", "TOPICLEN",
        "KICKLEN", "AWAYLEN", "MODES", "TARGMAX", "MAXLIST", "NETWORK", "STATUSMSG", "ELIST",
        "EXCEPTS", "INVEX", "MONITOR", "UTF8ONLY"}) {
    EXPECT_TRUE(tokens.count(key)) << "005 lacks " << key;
  }
  EXPECT_EQ(tokens["CASEMAPPING"], "rfc1459");
  EXPECT_EQ(tokens["CHANTYPES"], "#");
  EXPECT_EQ(tokens["PREFIX"], "(ov)@+");
  EXPECT_EQ(tokens["NICKLEN"], "12") << "NICKLEN must follow limits.nick_length";
  EXPECT_EQ(tokens["TOPICLEN"], "300") << "TOPICLEN must follow limits.topic_length";
  EXPECT_EQ(tokens["NETWORK"], "Salon");
  EXPECT_EQ(tokens["EXCEPTS"], "e");
  EXPECT_EQ(tokens["INVEX"], "I");
  // CHANMODES=A,B,C,D: lists, always-parameter, set-only parameter, flags.
  const std::string chanmodes = tokens["CHANMODES"];
  ASSERT_EQ(std::count(chanmodes.begin(), chanmodes.end(), ','), 3) << chanmodes;
  std::string a = chanmodes.substr(0, chanmodes.find(','));
  for (char c : std::string("beI")) EXPECT_NE(a.find(c), std::string::npos) << chanmodes;
  for (char c : std::string("kl")) EXPECT_NE(chanmodes.find(c), std::string::npos) << chanmodes;
  std::string d = chanmodes.substr(chanmodes.rfind(',') + 1);
  for (char c : std::string("ACMRimnst")) EXPECT_NE(d.find(c), std::string::npos) << chanmodes;
  // Extbans (core/extban.h): no prefix, a: and m:; a: also as the IRCv3 account extban.
  EXPECT_EQ(tokens["EXTBAN"], ",am");
  EXPECT_EQ(tokens["ACCOUNTEXTBAN"], "a");
  EXPECT_TRUE(tokens.count("KNOCK"));
  const std::string targmax = tokens["TARGMAX"];
  EXPECT_NE(targmax.find("KICK:4"), std::string::npos) << targmax;
  EXPECT_NE(targmax.find("NAMES:4"), std::string::npos) << targmax;
  EXPECT_NE(tokens["ELIST"].find('U'), std::string::npos) << "ELIST must offer user counts";
  EXPECT_NE(tokens["ELIST"].find('M'), std::string::npos) << "ELIST must offer masks";
}

TEST(Registration, CapLsListsEveryOfferedCapability) {
  TestServer server(TestConfig());
  server.Start();
  TestClient c(server);
  c.Send("CAP LS 302");
  std::string offered;
  for (;;) {
    Message m = c.ExpectCommand("CAP");
    ASSERT_EQ(m.Param(0), "*") << m.raw;
    ASSERT_EQ(m.Param(1), "LS") << m.raw;
    offered += " " + m.Last();
    if (m.Param(2) != "*") break;  // "CAP * LS * :..." continues on the next line
  }
  auto caps = Words(offered);
  for (const char* cap :
       {"away-notify", "cap-notify", "echo-message", "extended-join", "invite-notify",
        "message-tags", "multi-prefix", "server-time", "userhost-in-names"}) {
    EXPECT_TRUE(caps.count(cap)) << "CAP LS lacks " << cap << ": " << offered;
  }
}

TEST(Registration, CapNegotiationDelaysWelcomeUntilCapEnd) {
  TestServer server(TestConfig());
  server.Start();
  TestClient c(server);
  c.Send("CAP LS 302");
  c.ExpectCommand("CAP");
  c.Send("NICK alice");
  c.Send("USER alice 0 * :Alice");
  c.ExpectNone(Command("001"), "001 before CAP END");
  c.Send("CAP END");
  c.ExpectNumeric("001");
  c.ExpectNumeric("376");
}

TEST(Registration, CapReqAcknowledgesAndListsCapabilities) {
  TestServer server(TestConfig());
  server.Start();
  TestClient c(server);
  c.Send("CAP LS 302");
  c.ExpectCommand("CAP");
  c.Send("CAP REQ :multi-prefix server-time");
  Message ack = c.ExpectCommand("CAP");
  EXPECT_EQ(ack.Param(1), "ACK") << ack.raw;
  EXPECT_EQ(Words(ack.Last()), (std::set<std::string>{"multi-prefix", "server-time"}));

  c.Send("CAP LIST");
  Message list = c.ExpectCommand("CAP");
  EXPECT_EQ(list.Param(1), "LIST") << list.raw;
  EXPECT_EQ(Enabled(list), (std::set<std::string>{"multi-prefix", "server-time"})) << list.raw;

  c.Send("CAP REQ :-server-time");
  Message removed = c.ExpectCommand("CAP");
  EXPECT_EQ(removed.Param(1), "ACK") << removed.raw;
  c.Send("CAP LIST");
  list = c.ExpectCommand("CAP");
  EXPECT_EQ(Words(list.Last()).count("server-time"), 0u) << list.raw;
  EXPECT_EQ(Words(list.Last()).count("multi-prefix"), 1u) << list.raw;

  c.Send("CAP END");
  c.Send("NICK alice");
  c.Send("USER alice 0 * :Alice");
  c.ExpectNumeric("001");
}

TEST(Registration, CapReqWithAnUnknownCapabilityIsRefusedAsAWhole) {
  TestServer server(TestConfig());
  server.Start();
  TestClient c(server);
  c.Send("CAP LS 302");
  c.ExpectCommand("CAP");
  c.Send("CAP REQ :multi-prefix no-such-cap");
  Message nak = c.ExpectCommand("CAP");
  EXPECT_EQ(nak.Param(1), "NAK") << nak.raw;
  EXPECT_EQ(Words(nak.Last()), (std::set<std::string>{"multi-prefix", "no-such-cap"}));
  c.Send("CAP LIST");
  Message list = c.ExpectCommand("CAP");
  EXPECT_EQ(Words(list.Last()).count("multi-prefix"), 0u)
      << "a NAKed request must change nothing: " << list.raw;
}

TEST(Registration, UnknownCapSubcommandGives410) {
  TestServer server(TestConfig());
  server.Start();
  TestClient c(server);
  c.Send("CAP FROBNICATE");
  Message m = c.ExpectNumeric("410");
  EXPECT_EQ(m.Param(1), "FROBNICATE") << m.raw;
}

TEST(Registration, LusersCountsUsersAndChannels) {
  TestServer server(TestConfig());
  server.Start();
  TestClient alice(server);
  alice.Register("alice");
  TestClient bob(server);
  auto burst = bob.Register("bob");
  bool saw_251 = false;
  for (const auto& m : burst) saw_251 = saw_251 || m.command == "251";
  EXPECT_TRUE(saw_251) << "registration must include LUSERS";

  alice.Join("#one");
  alice.Send("LUSERS");
  Message m251 = alice.ExpectNumeric("251");
  EXPECT_NE(m251.Last().find("There are 2 users"), std::string::npos) << m251.raw;
  Message m254 = alice.ExpectNumeric("254");
  EXPECT_EQ(m254.Param(1), "1") << m254.raw;
  Message m255 = alice.ExpectNumeric("255");
  EXPECT_NE(m255.Last().find("2 clients"), std::string::npos) << m255.raw;
}

TEST(Registration, MotdComesFromTheConfiguredFile) {
  TestServer server;
  std::string motd = server.WriteFile("motd.txt", "First line of the day\nSecond line\n");
  server.SetConfig(TestConfig({.top = "motd_file = \"" + motd + "\""}));
  server.Start();
  TestClient alice(server);
  auto lines = alice.Register("alice");
  std::vector<std::string> text;
  bool saw_375 = false;
  for (const auto& m : lines) {
    saw_375 = saw_375 || m.command == "375";
    if (m.command == "372") text.push_back(m.Last());
  }
  EXPECT_TRUE(saw_375);
  EXPECT_EQ(lines.back().command, "376");
  ASSERT_EQ(text.size(), 2u);
  EXPECT_NE(text[0].find("First line of the day"), std::string::npos) << text[0];
  EXPECT_NE(text[1].find("Second line"), std::string::npos) << text[1];

  alice.Send("MOTD");
  Message again = alice.ExpectNumeric("372");
  EXPECT_NE(again.Last().find("First line of the day"), std::string::npos);
  alice.ExpectNumeric("376");
}

TEST(Registration, MissingMotdFileGives422) {
  TestServer server(TestConfig({.top = "motd_file = \"/nonexistent/salon-motd.txt\""}));
  server.Start();
  TestClient alice(server);
  auto lines = alice.Register("alice");
  EXPECT_EQ(lines.back().command, "422") << lines.back().raw;
  alice.Send("MOTD");
  alice.ExpectNumeric("422");
}

TEST(Registration, PingIsAnsweredWithItsToken) {
  TestServer server(TestConfig());
  server.Start();
  TestClient alice(server);
  alice.Register("alice");
  alice.Send("PING :hello there");
  Message pong = alice.ExpectCommand("PONG");
  EXPECT_EQ(pong.Last(), "hello there") << pong.raw;
  EXPECT_EQ(pong.source, "salon.local");
  alice.Send("PING");
  Message err = alice.Expect(AnyOf({Command("409"), Command("461")}));
  EXPECT_EQ(err.command, "409") << "PING without a token is ERR_NOORIGIN: " << err.raw;
}

TEST(Registration, PingWorksBeforeRegistration) {
  TestServer server(TestConfig());
  server.Start();
  TestClient c(server);
  c.Send("PING :early");
  EXPECT_EQ(c.ExpectCommand("PONG").Last(), "early");
}

TEST(Registration, ServerPingsIdleClientsAndDropsSilentOnes) {
  TestServer server(TestConfig({.limits = "ping_interval_s = 1\nping_timeout_s = 1\n"}));
  server.Start();
  TestClient alice(server);
  alice.Register("alice");
  TestClient bob(server);
  bob.Register("bob");
  alice.Join("#room");
  bob.Join("#room");
  alice.Drain();

  // alice answers every PING and stays; bob answers none and is dropped. Both are handled from
  // alice's wait: bob's lines stay in his socket until read below.
  int pings_answered = 0;
  Message quit = alice.Expect(
      [&](const Message& m) {
        if (m.command == "PING") {
          alice.Send("PONG :" + m.Last());
          ++pings_answered;
        }
        return m.command == "QUIT" && m.SourceNick() == "bob";
      },
      6000ms);
  EXPECT_GE(pings_answered, 1) << "the server must PING an idle client";
  EXPECT_NE(quit.Last().find("Ping timeout"), std::string::npos) << quit.raw;

  auto rest = bob.ExpectClosed();
  bool saw_ping = false, saw_error = false;
  for (const auto& m : rest) {
    saw_ping = saw_ping || m.command == "PING";
    if (m.command == "ERROR") {
      saw_error = true;
      EXPECT_NE(m.Last().find("Ping timeout"), std::string::npos) << m.raw;
    }
  }
  EXPECT_TRUE(saw_ping);
  EXPECT_TRUE(saw_error) << "a ping timeout must be announced with ERROR";
  alice.Sync();  // alice, who answered, is still connected
}

TEST(Registration, UnregisteredConnectionTimesOut) {
  TestServer server(TestConfig({.limits = "registration_timeout_s = 1\n"}));
  server.Start();
  TestClient c(server);
  c.Send("NICK slowpoke");
  auto lines = c.ExpectClosed(4000ms);
  bool saw_error = false;
  for (const auto& m : lines) saw_error = saw_error || m.command == "ERROR";
  EXPECT_TRUE(saw_error) << "the registration timeout must be announced with ERROR";
  // A client that registers in time is not affected.
  TestClient ok(server);
  ok.Register("quick");
  ok.Sync();
}

TEST(Registration, QuitClosesWithErrorAndTellsChannelMembers) {
  TestServer server(TestConfig());
  server.Start();
  TestClient alice(server);
  alice.Register("alice");
  TestClient bob(server);
  bob.Register("bob");
  alice.Join("#room");
  bob.Join("#room");
  alice.Drain();
  bob.Send("QUIT :gone fishing");
  auto lines = bob.ExpectClosed();
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back().command, "ERROR") << lines.back().raw;
  Message quit = alice.ExpectCommand("QUIT");
  EXPECT_EQ(quit.SourceNick(), "bob");
  EXPECT_NE(quit.Last().find("gone fishing"), std::string::npos) << quit.raw;
}

TEST(Registration, QuitBeforeRegistrationClosesTheConnection) {
  TestServer server(TestConfig());
  server.Start();
  TestClient c(server);
  c.Send("QUIT");
  auto lines = c.ExpectClosed();
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back().command, "ERROR");
}

TEST(Registration, CommandsBeforeRegistrationGive451) {
  TestServer server(TestConfig());
  server.Start();
  TestClient c(server);
  c.Send("JOIN #early");
  EXPECT_EQ(c.ExpectNumeric("451").Param(0), "*");
  c.Send("PRIVMSG someone :hi");
  c.ExpectNumeric("451");
  c.Send("WHOIS someone");
  c.ExpectNumeric("451");
  // Registration still works afterwards.
  c.Register("late");
}

TEST(Registration, UnknownCommandGives421) {
  TestServer server(TestConfig());
  server.Start();
  TestClient alice(server);
  alice.Register("alice");
  alice.Send("FROBNICATE a b c");
  Message m = alice.ExpectNumeric("421");
  EXPECT_EQ(m.Param(0), "alice");
  EXPECT_EQ(m.Param(1), "FROBNICATE") << m.raw;
}

TEST(Registration, MissingParametersGive461) {
  TestServer server(TestConfig());
  server.Start();
  TestClient c(server);
  c.Send("USER onlyone");
  Message m = c.ExpectNumeric("461");
  EXPECT_EQ(m.Param(1), "USER") << m.raw;
  c.Send("USER username * * :");  // an empty real name is a missing one
  EXPECT_EQ(c.ExpectNumeric("461").Param(1), "USER");
  c.Register("alice");
  for (const char* command : {"JOIN", "PART", "MODE", "KICK", "OPER", "USERHOST", "ISON", "WHOIS",
                              "KILL", "NICK", "KNOCK"}) {
    c.Send(command);
    Message reply = c.Expect(AnyOf({Command("461"), Command("431")}));
    if (std::string(command) == "NICK") {
      EXPECT_EQ(reply.command, "431") << "NICK without a nickname is ERR_NONICKNAMEGIVEN";
    } else {
      EXPECT_EQ(reply.command, "461") << command << ": " << reply.raw;
      EXPECT_EQ(reply.Param(1), command) << reply.raw;
    }
  }
  c.Send("KICK #chan");
  EXPECT_EQ(c.ExpectNumeric("461").Param(1), "KICK");
  c.Send("INVITE bob");  // INVITE alone lists invitations (336/337)
  EXPECT_EQ(c.ExpectNumeric("461").Param(1), "INVITE");
}

TEST(Registration, NickErrors431And432) {
  TestServer server(TestConfig({.limits = "nick_length = 9\n"}));
  server.Start();
  TestClient c(server);
  c.Send("NICK");
  c.ExpectNumeric("431");
  c.Send("NICK :");
  c.ExpectNumeric("431");
  for (const char* bad : {"1digit", "#chan", "a,b", "-dash", "ab!c", "ab@c", "toolongnick"}) {
    c.Send(std::string("NICK ") + bad);
    Message m = c.ExpectNumeric("432");
    EXPECT_EQ(m.Param(1), bad) << m.raw;
  }
  // Special characters allowed by the modern IRC grammar are accepted.
  c.Register("[a]`b^_|");
}

TEST(Registration, NickInUseGives433IncludingCaseAndRfc1459Folding) {
  TestServer server(TestConfig());
  server.Start();
  TestClient alice(server);
  alice.Register("alice[x]");
  TestClient other(server);
  for (const char* taken : {"alice[x]", "ALICE[X]", "alice{x}", "Alice{X}"}) {
    other.Send(std::string("NICK ") + taken);
    Message m = other.ExpectNumeric("433");
    EXPECT_EQ(m.Param(0), "*") << "before registration the target is *: " << m.raw;
    EXPECT_EQ(m.Param(1), taken) << m.raw;
  }
  other.Register("bob");
  other.Send("NICK ALICE{X}");
  Message m = other.ExpectNumeric("433");
  EXPECT_EQ(m.Param(0), "bob");
  // Changing only the case of one's own nick is allowed.
  alice.Send("NICK ALICE[x]");
  Message nick = alice.ExpectCommand("NICK");
  EXPECT_EQ(nick.Last(), "ALICE[x]") << nick.raw;
}

// A body over 510 bytes is cut there (RFC 1459 and the modern protocol); tag data over the
// 4094 bytes a client may send gets 417 and nothing is relayed (IRCv3 message-tags).
TEST(Registration, LongBodyIsCutAndOversizedTagsGive417) {
  TestServer server(TestConfig());
  server.Start();
  TestClient alice(server);
  alice.RegisterWithCaps("alice", "message-tags");
  TestClient bob(server);
  bob.RegisterWithCaps("bob", "message-tags");
  const std::string head = "PRIVMSG bob :";
  alice.Send(head + std::string(600, 'x'));
  Message cut = bob.ExpectCommand("PRIVMSG");
  EXPECT_EQ(cut.Last(), std::string(510 - head.size(), 'x'));

  // Exactly 4094 bytes of tag data pass, client-only or not; one more byte is refused.
  const std::string at_limit = "@foo=bar;+baz=" + std::string(4081, 'a');
  alice.Send(at_limit + " TAGMSG bob");
  Message relayed = bob.ExpectCommand("TAGMSG");
  EXPECT_EQ(relayed.Tag("+baz"), std::string(4081, 'a'));
  alice.Send("@foo=bar;+baz=" + std::string(4082, 'a') + " TAGMSG bob");
  alice.ExpectNumeric("417");
  alice.Send("@+big=" + std::string(4096, 'a') + " PRIVMSG bob :hi!");
  alice.ExpectNumeric("417");
  bob.ExpectNone(AnyOf({Command("TAGMSG"), Command("PRIVMSG")}), "a message with oversized tags");

  // Both limits at once: tags intact, body at the limit.
  alice.Send(at_limit + " PRIVMSG bob :" + std::string(497, 'b'));
  Message both = bob.ExpectCommand("PRIVMSG");
  EXPECT_EQ(both.Tag("+baz"), std::string(4081, 'a'));
  EXPECT_EQ(both.Last(), std::string(497, 'b'));
  alice.Sync();  // still connected and answering
}

TEST(Registration, PassAndUserAfterRegistrationGive462) {
  TestServer server(TestConfig());
  server.Start();
  TestClient c(server);
  c.Send("PASS whatever");
  c.Register("alice");
  c.Send("PASS again");
  c.ExpectNumeric("462");
  c.Send("USER a 0 * :again");
  c.ExpectNumeric("462");
}

TEST(Registration, NickChangeIsSentToSelfAndSharedChannelsOnly) {
  TestServer server(TestConfig());
  server.Start();
  TestClient alice(server), bob(server), carol(server);
  alice.Register("alice");
  bob.Register("bob");
  carol.Register("carol");
  alice.Join("#one");
  alice.Join("#two");
  bob.Join("#one");
  bob.Join("#two");
  alice.Drain();
  alice.Send("NICK alicia");
  Message own = alice.ExpectCommand("NICK");
  EXPECT_EQ(own.SourceNick(), "alice");
  EXPECT_EQ(own.Last(), "alicia");
  Message seen = bob.ExpectCommand("NICK");
  EXPECT_EQ(seen.SourceNick(), "alice");
  EXPECT_EQ(seen.Last(), "alicia");
  // Once only, although they share two channels.
  bob.ExpectNone(Command("NICK"), "second NICK for two shared channels");
  carol.ExpectNone(Command("NICK"), "NICK seen by a user sharing no channel");
  // The old nick is free again, the new one is taken.
  carol.Send("NICK alicia");
  carol.ExpectNumeric("433");
  carol.Send("NICK alice");
  EXPECT_EQ(carol.ExpectCommand("NICK").Last(), "alice");
}

TEST(Registration, NickMayChangeBeforeUser) {
  TestServer server(TestConfig());
  server.Start();
  TestClient c(server);
  c.Send("NICK first");
  c.Send("NICK second");
  c.Send("USER u 0 * :Real Name");
  Message welcome = c.ExpectNumeric("001");
  EXPECT_EQ(welcome.Param(0), "second");
  TestClient other(server);
  other.Register("first");  // the abandoned nick is free
}

}  // namespace
}  // namespace salon::testing

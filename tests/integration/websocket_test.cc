// IRC over WebSocket (ws://127.0.0.1:HTTP/irc, the IRCv3 WebSocket transport) against the real
// binary: the handshake and subprotocol negotiation, origin checks, a WebSocket client as a full
// IRC client sharing state with TCP clients (messages, nick collisions, the join profile),
// hostile frames and close codes, and the resource limits (flood, recvq, sendq).
#include <gtest/gtest.h>

#include <cctype>
#include <memory>
#include <string>

#include "harness.h"
#include "ws_client.h"

namespace salon::testing {
namespace {

const std::string kRooms =
    "[[rooms]]\nname = \"#paris\"\ncategory = \"Regions\"\ndescription = \"Paris\"\n";

std::string ConfigWith(const std::string& web = "", const std::string& limits = "",
                       const std::string& flood = "burst = 10000\nrate_per_s = 10000\n",
                       const std::string& profile = "") {
  std::string tail;
  if (!web.empty()) tail += "[web]\n" + web + "\n";
  if (!profile.empty()) tail += "[profile]\n" + profile + "\n";
  tail += kRooms;
  return TestConfig({.limits = limits, .flood = flood, .tail = tail});
}

std::string ToLower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool IsQuitOf(const Message& m, const std::string& nick) {
  return m.command == "QUIT" && m.SourceNick() == nick;
}

// ----------------------------------------------------------------------------------------------
// Handshake and subprotocols

class WebSocketHandshake : public ::testing::Test {
 protected:
  void SetUp() override { server_.Start(); }

  // Opens a WebSocket offering `protocols`, registers `nick` and checks the framing of every
  // message received during registration.
  void CheckFraming(const std::string& protocols, const std::string& expected_protocol,
                    uint8_t expected_opcode, const std::string& nick) {
    WsClient ws(server_);
    HttpResponse r = ws.Open(protocols);
    if (expected_protocol.empty()) {
      EXPECT_FALSE(r.Has("Sec-WebSocket-Protocol"))
          << "no subprotocol may be announced when none fits: " << r.raw_head;
    } else {
      EXPECT_EQ(r.Header("Sec-WebSocket-Protocol"), expected_protocol) << r.raw_head;
    }
    auto lines = ws.Register(nick);
    ws.Sync();
    EXPECT_GE(lines.size(), 5u) << "registration should send several lines";
    ASSERT_FALSE(ws.data_opcodes().empty());
    for (uint8_t opcode : ws.data_opcodes()) {
      EXPECT_EQ(opcode, expected_opcode) << "offer '" << protocols << "'";
    }
    // One line per message, no CR/LF, unmasked, no RSV bits.
    EXPECT_TRUE(ws.violations().empty()) << ::testing::PrintToString(ws.violations());
    // Frames in the client's direction must be accepted in the same type too.
    ws.Send("PRIVMSG " + nick + " :to myself");
    EXPECT_EQ(ws.Expect(Command("PRIVMSG")).Last(), "to myself");
  }

  TestServer server_{ConfigWith()};
};

TEST_F(WebSocketHandshake, UpgradeAnswers101WithCorrectAccept) {
  WsClient ws(server_);
  HttpResponse r = ws.Handshake("Sec-WebSocket-Protocol: text.ircv3.net\r\n");
  ASSERT_EQ(r.status, 101) << r.raw_head;
  EXPECT_EQ(r.Header("Sec-WebSocket-Accept"), WsAcceptFor(ws.key())) << r.raw_head;
  EXPECT_EQ(ToLower(r.Header("Upgrade")), "websocket") << r.raw_head;
  EXPECT_NE(ToLower(r.Header("Connection")).find("upgrade"), std::string::npos) << r.raw_head;
  // The connection speaks IRC right away.
  ws.Send("PING :hello");
  EXPECT_EQ(ws.Expect(Command("PONG")).Last(), "hello");
}

TEST_F(WebSocketHandshake, BinaryChosenWhenOfferedFirst) {
  CheckFraming("binary.ircv3.net, text.ircv3.net", "binary.ircv3.net", kWsBinary, "bin");
}

TEST_F(WebSocketHandshake, TextChosenWhenOfferedFirst) {
  CheckFraming("text.ircv3.net, binary.ircv3.net", "text.ircv3.net", kWsText, "txtfirst");
}

TEST_F(WebSocketHandshake, TextOnlyOffer) {
  CheckFraming("text.ircv3.net", "text.ircv3.net", kWsText, "txt");
}

TEST_F(WebSocketHandshake, BinaryOnlyOffer) {
  CheckFraming("binary.ircv3.net", "binary.ircv3.net", kWsBinary, "binonly");
}

TEST_F(WebSocketHandshake, NoOfferMeansNoHeaderAndTextFrames) {
  CheckFraming("", "", kWsText, "plain");
}

TEST_F(WebSocketHandshake, UnknownOfferOnlyMeansNoHeader) {
  CheckFraming("chat.example, v2.other", "", kWsText, "unknown");
}

TEST_F(WebSocketHandshake, UnknownThenKnownPicksTheKnownOne) {
  CheckFraming("chat.example, binary.ircv3.net", "binary.ircv3.net", kWsBinary, "mixed");
}

TEST_F(WebSocketHandshake, UpgradeOnAnotherPathIsRefused) {
  WsClient ws(server_);
  HttpResponse r = ws.Handshake("", "/not-irc");
  EXPECT_EQ(r.status, 404) << r.raw_head;
  EXPECT_FALSE(r.Has("Sec-WebSocket-Accept"));
}

TEST_F(WebSocketHandshake, WrongVersionIsRefused) {
  WsClient ws(server_);
  RawConnection& c = ws.conn();
  std::string request =
      "GET /irc HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(server_.http_port()) +
      "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: " +
      ws.key() + "\r\nSec-WebSocket-Version: 8\r\n\r\n";
  ASSERT_TRUE(c.Write(request));
  HttpResponse r = c.ReadResponse();
  EXPECT_GE(r.status, 400) << r.raw_head;
  EXPECT_LT(r.status, 500) << r.raw_head;
  EXPECT_FALSE(r.Has("Sec-WebSocket-Accept"));
}

// ----------------------------------------------------------------------------------------------
// Origin checks

class WebSocketOrigin : public ::testing::Test {
 protected:
  // The status of an upgrade with `origin` ("" = no Origin header). A refused upgrade must
  // not switch protocols and the server must end the connection.
  int Status(TestServer& server, const std::string& origin) {
    WsClient ws(server);
    HttpResponse r = ws.Handshake(origin.empty() ? "" : "Origin: " + origin + "\r\n");
    if (r.status != 101) {
      EXPECT_FALSE(r.Has("Sec-WebSocket-Accept")) << r.raw_head;
      EXPECT_FALSE(r.Has("Upgrade") && ToLower(r.Header("Upgrade")) == "websocket" &&
                   r.status == 101);
      EXPECT_TRUE(ws.conn().ReadToEof()) << "the refused connection should be closed";
    } else {
      EXPECT_EQ(r.Header("Sec-WebSocket-Accept"), WsAcceptFor(ws.key()));
      ws.Send("PING :origin");
      EXPECT_EQ(ws.Expect(Command("PONG")).Last(), "origin");
    }
    return r.status;
  }
};

TEST_F(WebSocketOrigin, SameOriginOnlyByDefault) {
  TestServer server(ConfigWith());
  server.Start();
  std::string port = std::to_string(server.http_port());
  EXPECT_EQ(Status(server, ""), 101) << "no Origin (not a browser) is allowed";
  EXPECT_EQ(Status(server, "http://127.0.0.1:" + port), 101) << "same origin";
  EXPECT_EQ(Status(server, "https://127.0.0.1:" + port), 101) << "same host:port over https";
  EXPECT_EQ(Status(server, "http://evil.example"), 403);
  EXPECT_EQ(Status(server, "http://evil.example:" + port), 403);
  EXPECT_EQ(Status(server, "http://127.0.0.1:1"), 403) << "another port is another origin";
  EXPECT_EQ(Status(server, "http://127.0.0.1"), 403);
  EXPECT_EQ(Status(server, "null"), 403);
}

TEST_F(WebSocketOrigin, AllowedOriginsFromConfig) {
  TestServer server(ConfigWith("allowed_origins = [\"https://chat.example.org\"]\n"));
  server.Start();
  EXPECT_EQ(Status(server, "https://chat.example.org"), 101);
  EXPECT_EQ(Status(server, "https://evil.example.org"), 403);
  EXPECT_EQ(Status(server, "http://chat.example.org"), 403) << "the scheme is part of the origin";
  EXPECT_EQ(Status(server, "https://chat.example.org:8443"), 403);
  EXPECT_EQ(Status(server, ""), 101);
}

// ----------------------------------------------------------------------------------------------
// A WebSocket client is an IRC client like any other

class WebSocketIrc : public ::testing::Test {
 protected:
  void SetUp() override { server_.Start(); }

  WsClient& Ws(const std::string& protocols = "text.ircv3.net") {
    ws_.push_back(std::make_unique<WsClient>(server_));
    ws_.back()->Open(protocols);
    return *ws_.back();
  }
  TestClient& Tcp(const std::string& nick, const std::string& caps = "") {
    tcp_.push_back(std::make_unique<TestClient>(server_));
    if (caps.empty()) {
      tcp_.back()->Register(nick);
    } else {
      tcp_.back()->RegisterWithCaps(nick, caps);
    }
    return *tcp_.back();
  }

  TestServer server_{ConfigWith("", "", "burst = 10000\nrate_per_s = 10000\n",
                                "minimum_age = 15\ntown_length = 40\n")};
  std::vector<std::unique_ptr<WsClient>> ws_;
  std::vector<std::unique_ptr<TestClient>> tcp_;
};

TEST_F(WebSocketIrc, ExchangesMessagesWithTcpClientsBothWays) {
  for (const std::string protocols : {"text.ircv3.net", "binary.ircv3.net"}) {
    SCOPED_TRACE(protocols);
    std::string suffix = protocols[0] == 't' ? "t" : "b";
    TestClient& tcp = Tcp("tcp" + suffix);
    WsClient& ws = Ws(protocols);
    auto welcome = ws.Register("web" + suffix);
    EXPECT_EQ(welcome.front().command, "001") << welcome.front().raw;
    EXPECT_EQ(welcome.front().Param(0), "web" + suffix);

    tcp.Join("#paris");
    ws.Join("#paris");
    Message join = tcp.Expect(CommandParam("JOIN", 0, "#paris"));
    EXPECT_EQ(join.SourceNick(), "web" + suffix);

    ws.Send("PRIVMSG #paris :bonjour from the web");
    Message m = tcp.Expect(Command("PRIVMSG"));
    EXPECT_EQ(m.SourceNick(), "web" + suffix);
    EXPECT_EQ(m.Param(0), "#paris");
    EXPECT_EQ(m.Last(), "bonjour from the web");

    tcp.Send("PRIVMSG #paris :salut from tcp");
    m = ws.Expect(Command("PRIVMSG"));
    EXPECT_EQ(m.SourceNick(), "tcp" + suffix);
    EXPECT_EQ(m.Last(), "salut from tcp");

    // Private messages both ways, with UTF-8 content.
    ws.Send("PRIVMSG tcp" + suffix + " :café crème ☕");
    m = tcp.Expect(CommandParam("PRIVMSG", 0, "tcp" + suffix));
    EXPECT_EQ(m.Last(), "café crème ☕");
    tcp.Send("PRIVMSG web" + suffix + " :à bientôt");
    m = ws.Expect(CommandParam("PRIVMSG", 0, "web" + suffix));
    EXPECT_EQ(m.Last(), "à bientôt");

    // NAMES lists both transports alike.
    tcp.Send("NAMES #paris");
    Message names = tcp.Expect(CommandParam("353", 2, "#paris"));
    EXPECT_NE(names.Last().find("web" + suffix), std::string::npos) << names.raw;

    // QUIT over WebSocket reaches the channel.
    ws.Send("QUIT :bye now");
    Message quit = tcp.Expect([&](const Message& q) { return IsQuitOf(q, "web" + suffix); });
    EXPECT_NE(quit.Last().find("bye now"), std::string::npos) << quit.raw;
    WsClose close = ws.ExpectClose();
    bool saw_error = false;
    for (const auto& l : close.lines) saw_error |= l.command == "ERROR";
    EXPECT_TRUE(saw_error) << "QUIT should be answered with ERROR before the close frame";
    EXPECT_EQ(close.code, 1000);
    EXPECT_TRUE(ws.violations().empty()) << ::testing::PrintToString(ws.violations());
    tcp.Send("PART #paris");
    tcp.Sync();
  }
}

TEST_F(WebSocketIrc, NickCollisionAcrossTransports) {
  TestClient& tcp = Tcp("alice");
  WsClient& ws = Ws();
  ws.Send("NICK alice");
  ws.Send("USER a 0 * :A");
  Message err = ws.Expect(Command("433"));
  EXPECT_EQ(err.Param(1), "alice") << err.raw;
  ws.Send("NICK alice2");
  ws.Expect(Command("001"));

  // And the other way round: a WebSocket user holds the nick, a TCP client cannot take it.
  WsClient& ws2 = Ws("binary.ircv3.net");
  ws2.Register("bob");
  TestClient other(server_);
  other.Send("NICK bob");
  other.Send("USER b 0 * :B");
  EXPECT_EQ(other.ExpectNumeric("433").Param(1), "bob");
  // A registered TCP user cannot rename to a WebSocket user's nick either.
  tcp.Send("NICK alice2");
  EXPECT_EQ(tcp.ExpectNumeric("433").Param(1), "alice2");
}

TEST_F(WebSocketIrc, ProfileSetBeforeRegistrationIsSharedOnJoin) {
  TestClient& watcher = Tcp("watcher", "salon.chat/profile");
  TestClient& plain = Tcp("plain");
  watcher.Join("#paris");

  WsClient& ws = Ws();
  ws.Send("CAP LS 302");
  ws.Expect(CommandParam("CAP", 1, "LS"));
  ws.Send("PROFILE SET 25 f :Paris 11e");
  Message own = ws.Expect(Command("PROFILE"));
  EXPECT_EQ(own.Param(0), "*") << own.raw;
  EXPECT_EQ(own.Param(1), "25");
  EXPECT_EQ(own.Param(2), "f");
  EXPECT_EQ(own.Last(), "Paris 11e");
  ws.Send("CAP END");
  ws.Register("amelie");
  ws.Join("#paris");

  watcher.Expect(CommandParam("JOIN", 0, "#paris"));
  Message p = watcher.Expect(Command("PROFILE"));
  EXPECT_EQ(p.Param(0), "amelie") << p.raw;
  EXPECT_EQ(p.Param(1), "25") << p.raw;
  EXPECT_EQ(p.Param(2), "f") << p.raw;
  EXPECT_EQ(p.Last(), "Paris 11e") << p.raw;

  plain.Send("WHOIS amelie");
  Message whois = plain.ExpectNumeric("320");
  EXPECT_EQ(whois.Param(1), "amelie");
  EXPECT_NE(whois.Last().find("25 years old"), std::string::npos) << whois.raw;
  EXPECT_NE(whois.Last().find("female"), std::string::npos) << whois.raw;
  EXPECT_NE(whois.Last().find("Paris 11e"), std::string::npos) << whois.raw;
  plain.ExpectNumeric("318");

  // A later change of town reaches the watcher; the age is locked.
  ws.Send("PROFILE SET 25 f :Lyon");
  EXPECT_EQ(ws.Expect(Command("PROFILE")).Last(), "Lyon");
  EXPECT_EQ(watcher.Expect(Command("PROFILE")).Last(), "Lyon");
  ws.Send("PROFILE SET 30 f :Lyon");
  Message locked = ws.Expect(Command("FAIL"));
  EXPECT_EQ(locked.Param(1), "AGE_LOCKED") << locked.raw;
}

TEST_F(WebSocketIrc, AgeBelowMinimumClosesTheConnection) {
  TestClient& watcher = Tcp("watcher");
  WsClient& ws = Ws();
  ws.Send("PROFILE SET 12 m :Nice");
  Message fail = ws.Expect(Command("FAIL"));
  EXPECT_EQ(fail.Param(0), "PROFILE") << fail.raw;
  EXPECT_EQ(fail.Param(1), "AGE_TOO_LOW") << fail.raw;
  EXPECT_EQ(fail.Param(2), "15") << fail.raw;
  WsClose close = ws.ExpectClose();
  bool saw_error = false;
  for (const auto& l : close.lines) saw_error |= l.command == "ERROR";
  EXPECT_TRUE(saw_error) << "registration refused with ERROR before the close frame";
  // The nick it would have used stays free and the server is fine.
  TestClient again(server_);
  again.Register("kid");
  watcher.Sync();
}

TEST_F(WebSocketIrc, InvalidProfileValuesGiveFailCodes) {
  WsClient& ws = Ws();
  struct Case {
    std::string line;
    std::string code;
  };
  const std::vector<Case> cases = {
      {"PROFILE SET", "INVALID_AGE"},
      {"PROFILE SET abc f", "INVALID_AGE"},
      {"PROFILE SET 0 f", "INVALID_AGE"},
      {"PROFILE SET 121 f", "INVALID_AGE"},
      {"PROFILE SET -5 f", "INVALID_AGE"},
      {"PROFILE SET 25x f", "INVALID_AGE"},
      {"PROFILE SET 30 x", "INVALID_GENDER"},
      {"PROFILE SET 30 female", "INVALID_GENDER"},
      {"PROFILE SET 30 f :" + std::string(41, 't'), "INVALID_TOWN"},
      {"PROFILE SET 30 f :Pa\x01ris", "INVALID_TOWN"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.line);
    ws.Send(c.line);
    Message fail = ws.Expect(AnyOf({Command("FAIL"), Command("PROFILE"), Command("461")}));
    EXPECT_EQ(fail.command, "FAIL") << fail.raw;
    EXPECT_EQ(fail.Param(0), "PROFILE") << fail.raw;
    EXPECT_EQ(fail.Param(1), c.code) << fail.raw;
  }
  // The longest town allowed and the other genders are fine; registration still works.
  for (const std::string gender : {"m", "nb", "-", "f"}) {
    ws.Send("PROFILE SET 30 " + gender + " :" + std::string(40, 't'));
    Message ok = ws.Expect(AnyOf({Command("FAIL"), Command("PROFILE")}));
    EXPECT_EQ(ok.command, "PROFILE") << ok.raw;
    EXPECT_EQ(ok.Param(2), gender) << ok.raw;
  }
  ws.Register("valid");
}

// ----------------------------------------------------------------------------------------------
// Frames: hostile input, fragmentation, control frames, close

class WebSocketFrames : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Start();
    observer_ = std::make_unique<TestClient>(server_);
    observer_->Register("observer");
    observer_->Join("#paris");
  }

  // A registered WebSocket client in #paris.
  std::unique_ptr<WsClient> Joined(const std::string& nick,
                                   const std::string& protocols = "text.ircv3.net") {
    auto ws = std::make_unique<WsClient>(server_);
    ws->Open(protocols);
    ws->Register(nick);
    ws->Join("#paris");
    observer_->Expect(
        [&](const Message& m) { return m.command == "JOIN" && m.SourceNick() == nick; });
    return ws;
  }

  // The server is still healthy: a fresh WebSocket client talks with the observer.
  void ExpectHealthy(const std::string& nick) {
    ASSERT_TRUE(server_.Alive()) << server_.Output();
    auto ws = Joined(nick);
    ws->Send("PRIVMSG #paris :still here");
    EXPECT_EQ(observer_->Expect(Command("PRIVMSG")).Last(), "still here");
    observer_->Send("PRIVMSG #paris :me too");
    EXPECT_EQ(ws->Expect(Command("PRIVMSG")).Last(), "me too");
  }

  // After a protocol violation: the close code, the user's QUIT in the channel, health.
  void ExpectProtocolClose(WsClient& ws, const std::string& nick, uint16_t code) {
    WsClose close = ws.ExpectClose();
    EXPECT_EQ(close.code, code) << "reason: " << close.reason;
    observer_->Expect([&](const Message& m) { return IsQuitOf(m, nick); });
    ExpectHealthy(nick + "_after");
  }

  TestServer server_{ConfigWith("max_message_bytes = 1024\n")};
  std::unique_ptr<TestClient> observer_;
};

TEST_F(WebSocketFrames, UnmaskedClientFrameIsAProtocolError) {
  auto ws = Joined("unmasked");
  ASSERT_TRUE(ws->SendFrame(kWsText, "PRIVMSG #paris :not masked", true, /*mask=*/false));
  ExpectProtocolClose(*ws, "unmasked", 1002);
  observer_->ExpectNone(Command("PRIVMSG"), "message from an unmasked frame");
}

TEST_F(WebSocketFrames, ReservedDataOpcodeIsAProtocolError) {
  auto ws = Joined("opcode3");
  ASSERT_TRUE(ws->SendFrame(0x3, "PRIVMSG #paris :reserved"));
  ExpectProtocolClose(*ws, "opcode3", 1002);
}

TEST_F(WebSocketFrames, ReservedControlOpcodeIsAProtocolError) {
  auto ws = Joined("opcodeb");
  ASSERT_TRUE(ws->SendFrame(0xB, "x"));
  ExpectProtocolClose(*ws, "opcodeb", 1002);
}

TEST_F(WebSocketFrames, ReservedRsvBitIsAProtocolError) {
  auto ws = Joined("rsv");
  ASSERT_TRUE(ws->SendFrame(kWsText, "PRIVMSG #paris :rsv1", true, true, /*rsv=*/4));
  ExpectProtocolClose(*ws, "rsv", 1002);
}

TEST_F(WebSocketFrames, ReservedRsv3BitIsAProtocolError) {
  auto ws = Joined("rsvthree");
  ASSERT_TRUE(ws->SendFrame(kWsText, "PRIVMSG #paris :rsv3", true, true, /*rsv=*/1));
  ExpectProtocolClose(*ws, "rsvthree", 1002);
}

TEST_F(WebSocketFrames, FragmentedControlFrameIsAProtocolError) {
  auto ws = Joined("fragping");
  ASSERT_TRUE(ws->SendFrame(kWsPing, "abc", /*fin=*/false));
  ExpectProtocolClose(*ws, "fragping", 1002);
}

TEST_F(WebSocketFrames, OversizeControlFrameIsAProtocolError) {
  auto ws = Joined("bigping");
  ASSERT_TRUE(ws->SendFrame(kWsPing, std::string(126, 'p')));
  ExpectProtocolClose(*ws, "bigping", 1002);
}

TEST_F(WebSocketFrames, ContinuationWithoutStartIsAProtocolError) {
  auto ws = Joined("orphan");
  ASSERT_TRUE(ws->SendFrame(kWsContinuation, "PRIVMSG #paris :orphan"));
  ExpectProtocolClose(*ws, "orphan", 1002);
}

TEST_F(WebSocketFrames, NewMessageInsideFragmentedOneIsAProtocolError) {
  auto ws = Joined("interleave");
  ASSERT_TRUE(ws->SendFrame(kWsText, "PRIVMSG #paris :part", /*fin=*/false));
  ASSERT_TRUE(ws->SendFrame(kWsText, "PRIVMSG #paris :other"));
  ExpectProtocolClose(*ws, "interleave", 1002);
}

TEST_F(WebSocketFrames, InvalidUtf8InTextFrameIsClosedWith1007) {
  auto ws = Joined("badutf");
  ASSERT_TRUE(ws->SendFrame(kWsText, "PRIVMSG #paris :\xC3\x28 bad"));
  ExpectProtocolClose(*ws, "badutf", 1007);
  observer_->ExpectNone(Command("PRIVMSG"), "message with invalid UTF-8");
}

TEST_F(WebSocketFrames, InvalidUtf8SplitOverFragmentsIsClosedWith1007) {
  auto ws = Joined("badfrag");
  ASSERT_TRUE(ws->SendFrame(kWsText, "PRIVMSG #paris :\xE2\x82", /*fin=*/false));
  ASSERT_TRUE(ws->SendFrame(kWsContinuation, "(", /*fin=*/true));
  ExpectProtocolClose(*ws, "badfrag", 1007);
}

TEST_F(WebSocketFrames, Utf8SplitOverFragmentsIsAccepted) {
  auto ws = Joined("goodfrag");
  // "€" is E2 82 AC: split in the middle of the character.
  ASSERT_TRUE(ws->SendFrame(kWsText, "PRIVMSG #paris :prix 5\xE2\x82", /*fin=*/false));
  ASSERT_TRUE(ws->SendFrame(kWsContinuation, "\xAC", /*fin=*/true));
  EXPECT_EQ(observer_->Expect(Command("PRIVMSG")).Last(), "prix 5€");
}

TEST_F(WebSocketFrames, OversizeMessageIsClosedWith1009) {
  auto ws = Joined("huge");
  ASSERT_TRUE(ws->SendFrame(kWsText, "PRIVMSG #paris :" + std::string(4000, 'h')));
  ExpectProtocolClose(*ws, "huge", 1009);
  observer_->ExpectNone(Command("PRIVMSG"), "part of the oversize message");
}

TEST_F(WebSocketFrames, OversizeFragmentedMessageIsClosedWith1009) {
  auto ws = Joined("hugefrag");
  ASSERT_TRUE(ws->SendFrame(kWsText, "PRIVMSG #paris :", /*fin=*/false));
  for (int i = 0; i < 10; ++i) {
    if (!ws->SendFrame(kWsContinuation, std::string(200, 'f'), /*fin=*/false)) break;
  }
  ws->SendFrame(kWsContinuation, "end", /*fin=*/true);
  ExpectProtocolClose(*ws, "hugefrag", 1009);
}

TEST_F(WebSocketFrames, MessageOverContinuationFramesIsReassembled) {
  auto ws = Joined("frag", "binary.ircv3.net");
  ASSERT_TRUE(ws->SendFrame(kWsBinary, "PRIV", /*fin=*/false));
  ASSERT_TRUE(ws->SendFrame(kWsContinuation, "MSG #paris :hel", /*fin=*/false));
  // A control frame may come between fragments.
  ASSERT_TRUE(ws->SendFrame(kWsPing, "mid"));
  ASSERT_TRUE(ws->SendFrame(kWsContinuation, "", /*fin=*/false));
  ASSERT_TRUE(ws->SendFrame(kWsContinuation, "lo world", /*fin=*/true));
  Message m = observer_->Expect(Command("PRIVMSG"));
  EXPECT_EQ(m.SourceNick(), "frag");
  EXPECT_EQ(m.Last(), "hello world");
  ws->Sync();
  EXPECT_EQ(ws->pongs(), std::vector<std::string>{"mid"});
  // A message of exactly the limit (1024 bytes) is accepted, not closed.
  std::string line = "PRIVMSG #paris :";
  line += std::string(400, 'x');
  ws->Send(line);
  EXPECT_EQ(observer_->Expect(Command("PRIVMSG")).Last(), std::string(400, 'x'));
  ASSERT_TRUE(ws->SendFrame(kWsBinary, "PING :" + std::string(1024 - 6, 'y')));
  ws->Sync();
  EXPECT_FALSE(ws->closed());
}

TEST_F(WebSocketFrames, PingIsAnsweredWithPongOfSamePayload) {
  auto ws = Joined("pinger");
  const std::vector<std::string> payloads = {"", "1", "hello ping", std::string(125, 'z'),
                                             std::string("\x00\xff\x80 binary", 10)};
  for (const auto& payload : payloads) {
    ASSERT_TRUE(ws->SendFrame(kWsPing, payload));
    std::optional<WsFrame> f;
    do {
      f = ws->ReadFrame();
      ASSERT_TRUE(f.has_value()) << "no pong for '" << payload << "'";
    } while (f->opcode != kWsPong);
    EXPECT_EQ(f->payload, payload);
    EXPECT_TRUE(f->fin);
    EXPECT_FALSE(f->masked);
  }
  // An unsolicited pong is ignored.
  ASSERT_TRUE(ws->SendFrame(kWsPong, "unsolicited"));
  ws->Sync();
  EXPECT_FALSE(ws->closed());
}

// Reads frames until the close frame and returns it.
WsFrame ReadUntilClose(WsClient& ws) {
  for (;;) {
    std::optional<WsFrame> f = ws.ReadFrame();
    if (!f) throw ExpectationFailed("no close frame from the server");
    if (f->opcode == kWsClose) return *f;
  }
}

TEST_F(WebSocketFrames, ClientCloseIsAnsweredAndQuitIsSeen) {
  auto ws = Joined("leaver");
  ASSERT_TRUE(ws->SendClose(1000, "bye"));
  WsFrame reply = ReadUntilClose(*ws);
  EXPECT_EQ(reply.close_code(), 1000) << "the reply echoes the status code";
  EXPECT_TRUE(ws->conn().ReadToEof()) << "the server ends the TCP connection after the reply";
  ws->conn().Close();  // as a browser does once the server has closed
  Message quit = observer_->Expect([](const Message& m) { return IsQuitOf(m, "leaver"); });
  EXPECT_TRUE(ws->violations().empty()) << ::testing::PrintToString(ws->violations());
  // The nick is free again.
  ExpectHealthy("leaver");
}

TEST_F(WebSocketFrames, QuitAfterCloseHandshakeDoesNotWaitForClientTcpClose) {
  // RFC 6455 7.1.1: once the close frames are exchanged the WebSocket is closed and the server
  // closes TCP. The user must leave the channels then, not when (if ever) the client also
  // closes its end of the TCP connection.
  auto ws = Joined("halfopen");
  ASSERT_TRUE(ws->SendClose(1000, "bye"));
  EXPECT_EQ(ReadUntilClose(*ws).close_code(), 1000);
  EXPECT_TRUE(ws->conn().ReadToEof());
  observer_->Expect([](const Message& m) { return IsQuitOf(m, "halfopen"); });
}

TEST_F(WebSocketFrames, ClientCloseWithoutPayloadOrWithGoingAway) {
  auto a = Joined("goaway");
  ASSERT_TRUE(a->SendClose(1001, "tab closed"));
  EXPECT_EQ(ReadUntilClose(*a).close_code(), 1001);
  a->conn().ReadToEof();
  a->conn().Close();
  observer_->Expect([](const Message& m) { return IsQuitOf(m, "goaway"); });

  auto b = Joined("silent");
  ASSERT_TRUE(b->SendClose(0));
  uint16_t code = ReadUntilClose(*b).close_code();
  EXPECT_TRUE(code == 0 || code == 1000) << code;
  b->conn().ReadToEof();
  b->conn().Close();
  observer_->Expect([](const Message& m) { return IsQuitOf(m, "silent"); });
}

TEST_F(WebSocketFrames, AbruptTcpCloseIsAQuit) {
  auto ws = Joined("vanish");
  ws->conn().Close();
  observer_->Expect([](const Message& m) { return IsQuitOf(m, "vanish"); });
  ExpectHealthy("vanish");
}

TEST_F(WebSocketFrames, CrlfAndSeveralLinesInOneMessageAreTolerated) {
  auto ws = Joined("multi");
  ws->Send("PRIVMSG #paris :one\r\nPRIVMSG #paris :two\r\n");
  EXPECT_EQ(observer_->Expect(Command("PRIVMSG")).Last(), "one");
  EXPECT_EQ(observer_->Expect(Command("PRIVMSG")).Last(), "two");
}

// ----------------------------------------------------------------------------------------------
// Limits apply to WebSocket clients too

TEST(WebSocketLimits, FloodFarBeyondRecvqIsDisconnectedWithExcessFlood) {
  TestServer server(ConfigWith("", "recvq_bytes = 1024\n", "burst = 5\nrate_per_s = 1\n"));
  server.Start();
  TestClient bob(server);
  bob.Register("bob");
  bob.Join("#room");
  WsClient ws(server);
  ws.Open("text.ircv3.net");
  ws.Register("flooder");
  ws.Join("#room");
  bob.Expect(CommandParam("JOIN", 0, "#room"));

  // 1000 messages of ~115 bytes, one per frame: ~100 times the recvq, sent at once.
  std::string line = "PRIVMSG #room :" + std::string(100, 'f');
  for (int i = 0; i < 1000; ++i) {
    if (!ws.SendFrame(kWsText, line)) break;  // the server may hang up half-way
  }
  WsClose close = ws.ExpectClose(10000ms);
  bool saw_error = false;
  for (const auto& m : close.lines) {
    if (m.command == "ERROR") {
      saw_error = true;
      EXPECT_NE(m.Last().find("Excess Flood"), std::string::npos) << m.raw;
    }
  }
  EXPECT_TRUE(saw_error) << "the flooder must get an ERROR naming Excess Flood";
  Message quit = bob.Expect([](const Message& m) { return IsQuitOf(m, "flooder"); });
  EXPECT_NE(quit.Last().find("Excess Flood"), std::string::npos) << quit.raw;
  bob.Sync();
}

TEST(WebSocketLimits, FloodControlDelaysButAnswersEveryCommandInOrder) {
  TestServer server(ConfigWith("", "", "burst = 5\nrate_per_s = 50\n"));
  server.Start();
  WsClient ws(server);
  ws.Open("binary.ircv3.net");
  ws.Register("pinger");
  for (int i = 0; i < 40; ++i) ws.Send("PING :flood" + std::to_string(i));
  for (int i = 0; i < 40; ++i) {
    Message pong = ws.Expect(Command("PONG"));
    ASSERT_EQ(pong.Last(), "flood" + std::to_string(i));
  }
  EXPECT_FALSE(ws.closed());
}

TEST(WebSocketLimits, SlowReaderIsDisconnectedWithSendQExceeded) {
  TestServer server(ConfigWith("", "sendq_bytes = 16384\n", "enabled = false\n"));
  server.Start();
  TestClient sender(server);
  sender.Register("sender");
  sender.Join("#flood");
  auto slow = std::make_unique<WsClient>(server, /*rcvbuf=*/4096);
  slow->Open("text.ircv3.net");
  slow->Register("slow");
  slow->Join("#flood");
  sender.Expect(CommandParam("JOIN", 0, "#flood"));

  // slow never reads from now on. Flood #flood until the server drops it.
  const std::string line = "PRIVMSG #flood :" + std::string(400, 'x') + "\r\n";
  std::string chunk;
  for (int i = 0; i < 500; ++i) chunk += line;  // ~210 KB
  std::optional<Message> quit;
  const auto is_quit = [](const Message& m) { return IsQuitOf(m, "slow"); };
  for (int round = 0; round < 200 && !quit; ++round) {
    if (!sender.SendRaw(chunk)) {
      std::string output = server.Output();
      int exit_code = server.Stop();  // -1: the process had died from a signal
      FAIL() << "the sender was disconnected; salon exit code " << exit_code
             << (exit_code == -1 ? " (killed by a signal: the server crashed while the "
                                   "WebSocket client overflowed its sendq)"
                                 : "")
             << "\n"
             << output;
    }
    quit = sender.ExpectWithin(is_quit, 0ms);
  }
  if (!quit) quit = sender.Expect(is_quit);
  EXPECT_NE(quit->Last().find("SendQ exceeded"), std::string::npos) << quit->raw;

  sender.Sync();
  ASSERT_TRUE(server.Alive()) << server.Output();
  WsClient other(server);
  other.Open();
  other.Register("other");
  other.Join("#flood");
  sender.Send("PRIVMSG #flood :still alive");
  EXPECT_EQ(other.Expect(Command("PRIVMSG")).Last(), "still alive");
  // The slow client's connection ends once it reads what was sent.
  bool ended = false;
  try {
    for (;;) {
      auto f = slow->ReadFrame(10000ms);
      if (!f || f->opcode == kWsClose) {
        ended = f.has_value();
        break;
      }
    }
  } catch (const ExpectationFailed&) {
    ended = true;  // connection ended without a close frame: acceptable after an overflow
  }
  EXPECT_TRUE(ended) << "the slow client's connection should end";
  ASSERT_TRUE(server.Alive()) << server.Output();
}

}  // namespace
}  // namespace salon::testing

// Resource limits and hostile input: flood control, recvq ("Excess Flood"), sendq ("SendQ
// exceeded"), connections per IP, host cloaking, and garbage that must never crash the server.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "harness.h"

namespace salon::testing {
namespace {

TEST(Limits, FloodControlDelaysButAnswersEveryCommandInOrder) {
  // burst 5, 50 per second: 45 PINGs beyond the burst need at least 0.9 s in total.
  TestServer server(TestConfig({.flood = "burst = 5\nrate_per_s = 50\n"}));
  server.Start();
  TestClient alice(server);
  alice.Register("alice");
  std::string batch;
  for (int i = 0; i < 50; ++i) batch += "PING :flood" + std::to_string(i) + "\r\n";
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(alice.SendRaw(batch));
  std::vector<std::string> expected, got;
  for (int i = 0; i < 50; ++i) expected.push_back("flood" + std::to_string(i));
  // Collect PONGs until the last one (or a timeout), then compare the whole sequence.
  while (got.empty() || got.back() != "flood49") {
    auto pong = alice.ExpectWithin(Command("PONG"), kDefaultTimeout);
    if (!pong) break;
    got.push_back(pong->Last());
  }
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(got, expected) << "every throttled PING must be answered, in order";
  // A lower bound only (the bucket guarantees it); half the theoretical time for clock slack.
  EXPECT_GE(elapsed, std::chrono::milliseconds(450)) << "50 PINGs with burst 5 were not delayed";
  alice.Sync();
}

TEST(Limits, FloodFarBeyondRecvqIsDisconnectedWithExcessFlood) {
  TestServer server(
      TestConfig({.limits = "recvq_bytes = 1024\n", .flood = "burst = 5\nrate_per_s = 1\n"}));
  server.Start();
  TestClient alice(server), bob(server);
  alice.Register("alice");
  bob.Register("bob");
  alice.Join("#room");
  bob.Join("#room");
  std::string line = "PRIVMSG #room :" + std::string(100, 'f') + "\r\n";
  std::string flood;
  for (int i = 0; i < 1000; ++i) flood += line;  // ~115 KB, 100 times the recvq
  alice.SendRaw(flood);                          // may fail half-way once the server hangs up
  auto lines = alice.ExpectClosed();
  bool saw_error = false;
  for (const auto& m : lines) {
    if (m.command == "ERROR") {
      saw_error = true;
      EXPECT_NE(m.Last().find("Excess Flood"), std::string::npos) << m.raw;
    }
  }
  EXPECT_TRUE(saw_error) << "the flooder must get an ERROR naming Excess Flood";
  Message quit = bob.Expect(CommandParam("QUIT", 0, "Excess Flood"));
  EXPECT_EQ(quit.SourceNick(), "alice");
  bob.Sync();
}

TEST(Limits, SlowReaderIsDisconnectedWithSendQExceeded) {
  TestServer server(TestConfig({.limits = "sendq_bytes = 16384\n", .flood = "enabled = false\n"}));
  server.Start();
  TestClient sender(server);
  sender.Register("sender");
  sender.Join("#flood");
  auto slow = std::make_unique<TestClient>(server.irc_port(), /*rcvbuf=*/4096);
  slow->Register("slow");
  slow->Join("#flood");
  sender.Expect(CommandParam("JOIN", 0, "#flood"));

  // slow never reads from now on. Flood #flood until the server drops it.
  const std::string line = "PRIVMSG #flood :" + std::string(400, 'x') + "\r\n";
  std::string chunk;
  for (int i = 0; i < 500; ++i) chunk += line;  // ~210 KB
  std::optional<Message> quit;
  const auto is_quit = [](const Message& m) {
    return m.command == "QUIT" && m.SourceNick() == "slow";
  };
  for (int round = 0; round < 200 && !quit; ++round) {  // at most ~40 MB
    ASSERT_TRUE(sender.SendRaw(chunk)) << "the sender must not be disconnected";
    quit = sender.ExpectWithin(is_quit, 0ms);
  }
  if (!quit) quit = sender.Expect(is_quit);
  EXPECT_NE(quit->Last().find("SendQ exceeded"), std::string::npos) << quit->raw;

  // The server stays responsive for everybody else.
  sender.Sync();
  TestClient other(server);
  other.Register("other");
  other.Join("#flood");
  sender.Send("PRIVMSG #flood :still alive");
  EXPECT_EQ(other.ExpectCommand("PRIVMSG").Last(), "still alive");
  // And the slow client's connection is closed once it reads what was sent.
  slow->ExpectClosed(10000ms);
}

TEST(Limits, ConnectionsPerIpAreLimited) {
  TestServer server(TestConfig({.limits = "connections_per_ip = 3\n"}));
  server.Start();
  auto c1 = std::make_unique<TestClient>(server);
  TestClient c2(server), c3(server);
  c1->Register("one");
  c2.Register("two");
  c1->Join("#room");
  c2.Join("#room");
  c3.Send("PING :unregistered connections count too");
  c3.ExpectCommand("PONG");

  TestClient c4(server);
  auto refused = c4.ExpectClosed();
  ASSERT_FALSE(refused.empty()) << "the refused connection should be told why with ERROR";
  EXPECT_EQ(refused.back().command, "ERROR") << refused.back().raw;

  // Freeing a slot lets a new connection in.
  c1->Send("QUIT");
  c1->ExpectClosed();
  c2.Expect(Command("QUIT"));
  TestClient c5(server);
  c5.Register("five");
}

TEST(Limits, HostsAreCloakedInEveryPrefix) {
  TestServer server(TestConfig());
  server.Start();
  TestClient alice(server), bob(server);
  auto burst = alice.Register("alice");
  bob.Register("bob");
  EXPECT_EQ(burst.front().raw.find("127.0.0.1"), std::string::npos) << burst.front().raw;
  alice.Join("#room");
  bob.Join("#room");
  Message join = alice.Expect(CommandParam("JOIN", 0, "#room"));
  EXPECT_EQ(join.SourceNick(), "bob");
  EXPECT_EQ(join.source.find("127.0.0.1"), std::string::npos) << join.raw;
  EXPECT_TRUE(join.SourceHost().ends_with(".salon")) << join.raw;
  bob.Send("PRIVMSG alice :hi");
  Message msg = alice.ExpectCommand("PRIVMSG");
  EXPECT_EQ(msg.SourceHost(), join.SourceHost()) << "one cloak per host";
}

TEST(Limits, GarbageNeverCrashesTheServer) {
  TestServer server(TestConfig());
  server.Start();
  TestClient control(server);
  control.Register("control");
  control.Join("#room");

  const std::vector<std::string> samples = {
      std::string("\0\0\0\0\r\n", 6),
      std::string("NICK a\0b\r\n", 10),
      "\xff\xfe\xfd\xfc\r\n",
      "\r\n\r\n\n\n\r\r\n",
      ":\r\n",
      "@\r\n",
      "@a=b\r\n",
      ": PRIVMSG\r\n",
      ":only.a.prefix\r\n",
      "@tag=" + std::string(9000, 'v') + " PING x\r\n",
      "PRIVMSG " + std::string(2000, ',') + " :x\r\n",
      "JOIN " + std::string(600, '#') + "\r\n",
      "MODE #room " + std::string(100, '+') + "b\r\n",
      "PING 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20\r\n",
      "CAP REQ :" + std::string(1000, 'x') + "\r\n",
      "123 numeric from client\r\n",
      "\x01\x02\x03 ctcp-ish\r\n",
      std::string(100000, 'A'),  // no line ending at all
      std::string(20000, '\n'),
  };
  int n = 0;
  for (const auto& sample : samples) {
    SCOPED_TRACE("sample " + std::to_string(n));
    {
      TestClient c(server);
      c.Register("g" + std::to_string(n++));
      c.SendRaw(sample);
      c.SendRaw("\r\n");
      // Whatever the reply (nothing, an error numeric, or a disconnection), the server lives.
    }
    control.Sync();
  }
  ASSERT_TRUE(server.Alive());
  // Unregistered connections get the same treatment.
  for (const auto& sample : samples) {
    TestClient c(server);
    c.SendRaw(sample);
  }
  control.Sync();
  TestClient after(server);
  after.Register("after");
  after.Join("#room");
  control.Expect(CommandParam("JOIN", 0, "#room"));
  EXPECT_TRUE(server.Alive());
  EXPECT_EQ(server.Stop(), 0);
}

}  // namespace
}  // namespace salon::testing

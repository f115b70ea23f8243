// The test-only clock control (config debug.clock_control): DEBUG CLOCK ADVANCE moves the
// server's clock and runs its housekeeping at once, so registration and ping timeouts are
// tested without waiting in real time. Without the key, DEBUG does not exist.
#include <gtest/gtest.h>

#include <regex>

#include "harness.h"

namespace salon::testing {
namespace {

const std::string kClockControl = "[debug]\nclock_control = true\n";

// Advances the server clock by `seconds` from `client` and returns every line the client got
// up to and including the NOTE that confirms it.
std::vector<Message> Advance(TestClient& client, int seconds) {
  client.Send("DEBUG CLOCK ADVANCE " + std::to_string(seconds));
  auto lines = client.CollectUntil(CommandParam("NOTE", 1, "CLOCK_ADVANCED"));
  const Message& note = lines.back();
  EXPECT_EQ(note.Param(0), "DEBUG") << note.raw;
  EXPECT_TRUE(std::regex_match(note.Param(2), std::regex("[0-9]+"))) << note.raw;
  EXPECT_EQ(note.Last(), "Clock advanced") << note.raw;
  return lines;
}

bool HasQuitOf(const std::vector<Message>& lines, const std::string& nick) {
  for (const auto& m : lines) {
    if (m.command == "QUIT" && m.SourceNick() == nick) return true;
  }
  return false;
}

TEST(DebugClock, DebugIsAnUnknownCommandWithoutClockControl) {
  TestServer server(TestConfig());
  server.Start();
  TestClient alice(server);
  alice.Register("alice");
  alice.Send("DEBUG CLOCK ADVANCE 31");
  Message reply = alice.ExpectNumeric("421");
  EXPECT_EQ(reply.Param(1), "DEBUG") << reply.raw;
}

TEST(DebugClock, BadDebugCommandsGetPreciseErrors) {
  TestServer server(TestConfig({.tail = kClockControl}));
  server.Start();
  TestClient early(server);
  early.Send("DEBUG CLOCK ADVANCE 31");
  early.ExpectNumeric("451");  // registered clients only
  TestClient alice(server);
  alice.Register("alice");
  alice.Send("DEBUG CLOCK ADVANCE -5");
  Message fail = alice.ExpectCommand("FAIL");
  EXPECT_EQ(fail.Param(0), "DEBUG") << fail.raw;
  EXPECT_EQ(fail.Param(1), "INVALID_PARAMS") << fail.raw;
  alice.Send("DEBUG CLOCK ADVANCE soon");
  EXPECT_EQ(alice.ExpectCommand("FAIL").Param(1), "INVALID_PARAMS");
  alice.Send("DEBUG CLOCK REWIND 5");
  EXPECT_EQ(alice.ExpectCommand("FAIL").Param(1), "UNKNOWN_SUBCOMMAND");
  alice.Send("DEBUG");
  alice.ExpectNumeric("461");
  alice.Sync();
}

TEST(DebugClock, UnregisteredClientIsDroppedRightAfterTheClockPassesTheTimeout) {
  TestServer server(TestConfig({.limits = "registration_timeout_s = 30\n", .tail = kClockControl}));
  server.Start();
  TestClient slow(server);
  slow.Send("NICK slowpoke");
  slow.Send("PING :still-here");
  slow.Expect(CommandParam("PONG", 1, "still-here"));
  TestClient alice(server);
  alice.Register("alice");

  Advance(alice, 25);  // not yet due (margin for the real seconds the test takes)
  slow.Send("PING :after-25");
  slow.Expect(CommandParam("PONG", 1, "after-25"));

  Advance(alice, 6);  // 31 s after connecting: timed out before the NOTE was sent
  auto lines = slow.ExpectClosed();
  bool saw_error = false;
  for (const auto& m : lines) {
    if (m.command == "ERROR") {
      saw_error = true;
      EXPECT_NE(m.Last().find("Registration timed out"), std::string::npos) << m.raw;
    }
  }
  EXPECT_TRUE(saw_error) << "the registration timeout must be announced with ERROR";
  alice.Sync();  // the registered client is not affected
}

TEST(DebugClock, SilentClientIsPingedThenDroppedWhenTheClockAdvances) {
  TestServer server(
      TestConfig({.limits = "ping_interval_s = 90\nping_timeout_s = 60\n", .tail = kClockControl}));
  server.Start();
  TestClient alice(server);
  alice.Register("alice");
  TestClient bob(server);
  bob.Register("bob");
  alice.Join("#room");
  bob.Join("#room");
  alice.Drain();

  // Idle past ping_interval_s: both get a PING; nobody is dropped yet.
  auto first = Advance(alice, 91);
  EXPECT_FALSE(HasQuitOf(first, "bob"));
  bob.ExpectCommand("PING");

  // bob never answers; ping_timeout_s later he is dropped, before alice's NOTE.
  auto second = Advance(alice, 61);
  EXPECT_TRUE(HasQuitOf(second, "bob")) << alice.Describe();
  for (const auto& m : second) {
    if (m.command == "QUIT") {
      EXPECT_NE(m.Last().find("Ping timeout"), std::string::npos) << m.raw;
    }
  }
  auto rest = bob.ExpectClosed();
  bool saw_error = false;
  for (const auto& m : rest) saw_error = saw_error || m.command == "ERROR";
  EXPECT_TRUE(saw_error) << "a ping timeout must be announced with ERROR";
  alice.Sync();  // alice's DEBUG commands count as activity: she stays
}

}  // namespace
}  // namespace salon::testing

// Helpers shared by the history tests (history_test, history_private_test,
// history_stored_test): a server with [history] settings and the test clock, clients with the
// capabilities CHATHISTORY replays for, sending messages while remembering what was delivered
// (msgid, time), and asking CHATHISTORY for the entries of its reply.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "harness.h"

namespace salon::testing {

// The capabilities a history client negotiates (event-playback optional).
inline const std::string kHistoryCaps =
    "batch message-tags server-time echo-message draft/chathistory";
inline const std::string kPlaybackCaps = kHistoryCaps + " draft/event-playback";

// A server with the test clock; `history` is the body of [history], `extra` goes after.
std::unique_ptr<TestServer> StartHistoryServer(const std::string& history = "",
                                               const std::string& extra = "");

// What a client saw of one message: as echoed back to its sender.
struct Sent {
  std::string msgid;
  std::string time;
  std::string text;
};

// Sends `PRIVMSG target :text` from a client with echo-message and returns the echo.
Sent Say(TestClient& from, const std::string& target, const std::string& text);
// Says "<prefix> 0" .. "<prefix> n-1", advancing the server clock one second before each so
// that every message has its own time (timestamp references need distinct times).
std::vector<Sent> SayMany(TestClient& from, const std::string& target, const std::string& prefix,
                          int n);

// The reply to one CHATHISTORY command (what was buffered before is drained first): every line
// before a PING round trip, and among them the replayed entries (what is neither a numeric nor
// BATCH nor FAIL).
// For a batch client, `batch` holds the parameters of the BATCH +id line ("chathistory",
// target) when the reply was one well-formed batch: opened first, closed last, every entry
// tagged with its id; otherwise it is empty.
struct HistoryLines {
  std::vector<Message> lines;
  std::vector<Message> entries;
  std::vector<Message> fails;
  std::vector<std::string> batch;
};
HistoryLines AskHistory(TestClient& client, const std::string& command);

// The msgids of messages, in order.
std::vector<std::string> Msgids(const std::vector<Message>& entries);
std::vector<std::string> Msgids(const std::vector<Sent>& sent);
// The commands of messages, in order.
std::vector<std::string> Commands(const std::vector<Message>& entries);

// The test clock: DEBUG CLOCK ADVANCE from `client`.
void Advance(TestClient& client, int seconds);

// A logged-in connection on a new account `nick` (REGISTER), with kHistoryCaps; with
// opt_in, NickServ SET HISTORY ON (waits for the reply).
std::unique_ptr<TestClient> NewAccount(const TestServer& server, const std::string& nick,
                                       bool opt_in, const std::string& caps = kHistoryCaps);

// The whole content of a file ("" when it does not exist).
std::string ReadFileBytes(const std::string& path);

}  // namespace salon::testing

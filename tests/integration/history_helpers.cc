// Helpers of the history tests: see history_helpers.h.
#include "history_helpers.h"

#include <cctype>
#include <fstream>
#include <iterator>

#include "account_helpers.h"

namespace salon::testing {

std::unique_ptr<TestServer> StartHistoryServer(const std::string& history,
                                               const std::string& extra) {
  auto server = std::make_unique<TestServer>(
      TestConfig({.tail = "[history]\n" + history + "\n" + kAccountsClock + extra}));
  server->Start();
  return server;
}

Sent Say(TestClient& from, const std::string& target, const std::string& text) {
  from.Send("PRIVMSG " + target + " :" + text);
  Message echo = from.Expect([&](const Message& m) {
    return m.command == "PRIVMSG" && m.SourceNick() == from.nick() && m.Last() == text;
  });
  return {echo.Tag("msgid"), echo.Tag("time"), text};
}

std::vector<Sent> SayMany(TestClient& from, const std::string& target, const std::string& prefix,
                          int n) {
  std::vector<Sent> out;
  for (int i = 0; i < n; ++i) {
    Advance(from, 1);
    out.push_back(Say(from, target, prefix + " " + std::to_string(i)));
  }
  return out;
}

HistoryLines AskHistory(TestClient& client, const std::string& command) {
  client.Drain();  // what arrived before belongs to no reply
  client.Send(command);
  HistoryLines out;
  out.lines = client.Sync();
  const std::vector<Message>& l = out.lines;
  if (l.size() >= 2 && l.front().command == "BATCH" && l.front().Param(0).starts_with("+") &&
      l.back().command == "BATCH" && l.back().Param(0) == "-" + l.front().Param(0).substr(1)) {
    const std::string id = l.front().Param(0).substr(1);
    bool tagged = true;
    for (std::size_t i = 1; i + 1 < l.size(); ++i) tagged = tagged && l[i].Tag("batch") == id;
    if (tagged) out.batch.assign(l.front().params.begin() + 1, l.front().params.end());
  }
  for (const Message& m : out.lines) {
    if (m.command == "FAIL") {
      out.fails.push_back(m);
    } else if (m.command != "BATCH" &&
               !(m.command.size() == 3 && std::isdigit(static_cast<unsigned char>(m.command[0])))) {
      out.entries.push_back(m);
    }
  }
  return out;
}

std::vector<std::string> Msgids(const std::vector<Message>& entries) {
  std::vector<std::string> out;
  for (const Message& m : entries) out.push_back(m.Tag("msgid"));
  return out;
}

std::vector<std::string> Msgids(const std::vector<Sent>& sent) {
  std::vector<std::string> out;
  for (const Sent& s : sent) out.push_back(s.msgid);
  return out;
}

std::vector<std::string> Commands(const std::vector<Message>& entries) {
  std::vector<std::string> out;
  for (const Message& m : entries) out.push_back(m.command);
  return out;
}

void Advance(TestClient& client, int seconds) { AdvanceClock(client, seconds); }

std::unique_ptr<TestClient> NewAccount(const TestServer& server, const std::string& nick,
                                       bool opt_in, const std::string& caps) {
  auto c = std::make_unique<TestClient>(server);
  c->RegisterWithCaps(nick, caps);
  c->Send("REGISTER * * password-of-" + nick);
  c->Expect(CommandParam("REGISTER", 0, "SUCCESS"));
  c->ExpectNumeric("900");
  if (opt_in) {
    c->Send("PRIVMSG NickServ :SET HISTORY ON");
    c->Expect(Matches("Private-message history is on"));
  }
  c->Drain();
  return c;
}

std::string ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace salon::testing

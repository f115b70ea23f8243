// MONITOR (IRCv3): clients watch nicks and hear when they come and go (730/731).
#include <algorithm>

#include "core/client.h"
#include "core/command_table.h"
#include "core/commands/command_util.h"
#include "core/server.h"
#include "protocol/irc/casemap.h"
#include "protocol/irc/names.h"
#include "protocol/irc/numerics.h"

namespace salon::core {
namespace {

namespace num = irc::numeric;

// Sends 730/731 lines for the given nicks, packing several per line.
void SendStatus(Server& server, Client& client, const std::vector<std::string>& nicks) {
  std::string online, offline;
  auto flush = [&](std::string& list, const char* code) {
    if (!list.empty()) client.Numeric(code, {list});
    list.clear();
  };
  for (const auto& nick : nicks) {
    Client* target = server.users().Find(nick);
    std::string& list = target ? online : offline;
    const char* code = target ? num::kMonOnline : num::kMonOffline;
    const std::string& item = target ? target->Prefix() : nick;
    if (list.size() + item.size() > 400) flush(list, code);
    if (!list.empty()) list += ',';
    list += item;
  }
  flush(online, num::kMonOnline);
  flush(offline, num::kMonOffline);
}

void HandleMonitor(Server& server, Client& client, const irc::Message& msg) {
  std::string_view op = msg.Param(0);
  const std::size_t max = server.config().limits.monitor_entries;
  if (op == "+") {
    if (msg.param_count < 2) {
      client.Numeric(num::kNeedMoreParams, {"MONITOR", "Not enough parameters"});
      return;
    }
    std::vector<std::string> added;
    auto targets = SplitComma(msg.Param(1));
    for (std::size_t i = 0; i < targets.size(); ++i) {
      std::string_view nick = targets[i];
      if (!irc::IsValidNick(nick, server.config().limits.nick_length)) continue;
      std::string folded = irc::Fold(nick);
      auto& mine = client.monitoring;
      if (std::find(mine.begin(), mine.end(), folded) != mine.end()) continue;
      if (mine.size() >= max) {
        std::string rest;
        for (std::size_t j = i; j < targets.size(); ++j) {
          if (!rest.empty()) rest += ',';
          rest += targets[j];
        }
        client.Numeric(num::kMonListFull, {std::to_string(max), rest, "Monitor list is full."});
        break;
      }
      mine.push_back(folded);
      server.monitors().Add(client, folded);
      added.emplace_back(nick);
    }
    SendStatus(server, client, added);
  } else if (op == "-") {
    for (std::string_view nick : SplitComma(msg.Param(1))) {
      std::string folded = irc::Fold(nick);
      auto& mine = client.monitoring;
      auto it = std::find(mine.begin(), mine.end(), folded);
      if (it == mine.end()) continue;
      mine.erase(it);
      server.monitors().Remove(client, folded);
    }
  } else if (op == "C" || op == "c") {
    for (const auto& folded : client.monitoring) server.monitors().Remove(client, folded);
    client.monitoring.clear();
  } else if (op == "L" || op == "l") {
    std::string list;
    for (const auto& folded : client.monitoring) {
      if (list.size() + folded.size() > 400) {
        client.Numeric(num::kMonList, {list});
        list.clear();
      }
      if (!list.empty()) list += ',';
      list += folded;
    }
    if (!list.empty()) client.Numeric(num::kMonList, {list});
    client.Numeric(num::kEndOfMonList, {"End of MONITOR list"});
  } else if (op == "S" || op == "s") {
    SendStatus(server, client, client.monitoring);
  } else {
    client.Numeric(num::kUnknownCommand, {"MONITOR", "Unknown MONITOR subcommand"});
  }
}

}  // namespace

void AddMonitorCommands(CommandTable& table) { table.Add("MONITOR", {HandleMonitor, 1, false}); }

}  // namespace salon::core

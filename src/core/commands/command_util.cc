// Command helpers: see command_util.h.
#include "core/commands/command_util.h"

#include <ctime>

#include "core/client.h"
#include "core/server.h"
#include "protocol/irc/message.h"
#include "protocol/irc/numerics.h"
#include "protocol/irc/utf8.h"

namespace salon::core {

Client* OperTarget(Server& server, Client& client, std::string_view nick) {
  if (!client.IsOper()) {
    client.Numeric(irc::numeric::kNoPrivileges, {"Permission Denied- You're not an IRC operator"});
    return nullptr;
  }
  Client* target = server.users().Find(nick);
  if (target == nullptr) client.Numeric(irc::numeric::kNoSuchNick, {nick, "No such nick/channel"});
  return target;
}

std::vector<std::string_view> SplitWords(std::string_view s) {
  std::vector<std::string_view> words;
  std::size_t pos = 0;
  while (pos < s.size()) {
    std::size_t space = s.find(' ', pos);
    if (space == std::string_view::npos) space = s.size();
    if (space > pos) words.push_back(s.substr(pos, space - pos));
    pos = space + 1;
  }
  return words;
}

std::vector<std::string_view> SplitComma(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (pos <= s.size()) {
    std::size_t comma = s.find(',', pos);
    if (comma == std::string_view::npos) comma = s.size();
    if (comma > pos) out.push_back(s.substr(pos, comma - pos));
    pos = comma + 1;
  }
  return out;
}

std::string ClientTags(std::string_view tags) {
  std::string out;
  irc::ForEachTag(tags, [&](std::string_view key, std::string_view value) {
    if (key.size() < 2 || key[0] != '+') return;
    if (!out.empty()) out += ';';
    out += key;
    if (!value.empty()) {
      out += '=';
      out += value;
    }
  });
  return out;
}

std::string Limit(std::string_view s, std::size_t max) {
  return std::string(irc::TruncateUtf8(s, max));
}

std::string UtcDate(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char date[64];
  std::strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return date;
}

}  // namespace salon::core

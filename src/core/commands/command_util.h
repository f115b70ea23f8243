// Small helpers shared by the command handlers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace salon::core {

class Client;
class Server;

// The target of an operator command on a nick (KILL, CHGHOST): nullptr, after 481 or 401, when
// `client` is not an operator or nobody has the nick.
Client* OperTarget(Server& server, Client& client, std::string_view nick);

// Splits "a,b,,c" into {"a","b","c"} (empty items dropped).
std::vector<std::string_view> SplitComma(std::string_view s);

// Splits "a  b c" into {"a","b","c"} (runs of spaces separate, empty words dropped).
std::vector<std::string_view> SplitWords(std::string_view s);

// The client-only tags ('+' prefixed) of a command line's tag section, kept escaped and joined
// with ';', for message-tags recipients (PRIVMSG, NOTICE, TAGMSG, a multiline batch).
std::string ClientTags(std::string_view tags);

// Truncates to max bytes without splitting a UTF-8 character.
std::string Limit(std::string_view s, std::size_t max);

// A unix time as shown in replies: "2026-12-02 10:00:00 UTC".
std::string UtcDate(int64_t unix_seconds);

}  // namespace salon::core

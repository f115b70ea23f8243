// sasl — the client side of IRCv3 capability negotiation and SASL PLAIN that the login scenario
// needs: no dependencies (base64 is websocket.h's), pure functions, any thread.
#pragma once

#include <string>
#include <string_view>

namespace salon::bench {

// The AUTHENTICATE lines ("AUTHENTICATE <chunk>\r\n"...) carrying the SASL PLAIN message
// "authcid NUL authcid NUL password" (RFC 4616; the authorization identity is the account), in
// base64 chunks of 400 bytes, ended by "AUTHENTICATE +" when the last chunk is a full one
// (IRCv3 SASL 3.1).
std::string SaslPlainLines(std::string_view account, std::string_view password);

// One "CAP <target> <sub> [*] :<caps>" reply, split: `sub` (LS, ACK, NAK, ...), whether more
// lines of the same reply follow (the "*" of CAP LS 302), and the capability list. False if
// `params` (everything after "CAP ") is not of that form.
struct CapReply {
  std::string_view sub;
  bool more = false;
  std::string_view caps;
};
bool ParseCapReply(std::string_view params, CapReply* reply);

// True if the space-separated `caps` list has `name`, bare or with a value ("sasl=PLAIN,...").
bool CapListHas(std::string_view caps, std::string_view name);

}  // namespace salon::bench

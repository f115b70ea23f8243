// sasl — CAP replies and SASL PLAIN lines for salon-load's login scenario (see sasl.h).
#include "sasl.h"

#include <cstdint>

#include "websocket.h"

namespace salon::bench {

std::string SaslPlainLines(std::string_view account, std::string_view password) {
  std::string message;
  message.append(account).push_back('\0');
  message.append(account).push_back('\0');
  message.append(password);
  std::string encoded = Base64(reinterpret_cast<const uint8_t*>(message.data()), message.size());
  constexpr size_t kChunk = 400;
  std::string lines;
  for (size_t at = 0; at < encoded.size(); at += kChunk) {
    lines += "AUTHENTICATE " + encoded.substr(at, kChunk) + "\r\n";
  }
  if (encoded.empty() || encoded.size() % kChunk == 0) lines += "AUTHENTICATE +\r\n";
  return lines;
}

bool ParseCapReply(std::string_view params, CapReply* reply) {
  // <target> <sub> [*] :<caps>; the list may also come as a last middle parameter.
  size_t sp = params.find(' ');
  if (sp == std::string_view::npos) return false;
  params.remove_prefix(sp + 1);
  sp = params.find(' ');
  reply->sub = params.substr(0, sp);
  reply->more = false;
  reply->caps = {};
  if (sp == std::string_view::npos) return !reply->sub.empty();
  params.remove_prefix(sp + 1);
  if (params.substr(0, 2) == "* ") {
    reply->more = true;
    params.remove_prefix(2);
  }
  if (!params.empty() && params.front() == ':') params.remove_prefix(1);
  reply->caps = params;
  return !reply->sub.empty();
}

bool CapListHas(std::string_view caps, std::string_view name) {
  while (!caps.empty()) {
    size_t sp = caps.find(' ');
    std::string_view cap = caps.substr(0, sp);
    if (cap.substr(0, cap.find('=')) == name) return true;
    if (sp == std::string_view::npos) break;
    caps.remove_prefix(sp + 1);
  }
  return false;
}

}  // namespace salon::bench

// WebSessions: see web_sessions.h.
#include "web_api/web_sessions.h"

#include <openssl/sha.h>
#include <sodium.h>

#include <algorithm>
#include <array>

#include "protocol/irc/casemap.h"

namespace salon::web_api {

namespace {

std::string RandomHex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes * 2);
  for (unsigned char c : raw) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::string KeyOf(std::string_view token) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), digest.data());
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

}  // namespace

bool WebSessions::Ended(const WebSession& s, int64_t now) const {
  const int64_t lifetime_ms = int64_t{config_.session_hours} * 3'600'000;
  const int64_t idle_ms = int64_t{config_.session_idle_minutes} * 60'000;
  return now - s.created_ms >= lifetime_ms || now - s.last_used_ms >= idle_ms;
}

std::string WebSessions::Create(std::string account, std::string ip) {
  const int64_t now = clock_.UnixMs();
  if (sessions_.size() >= kMaxSessions) {
    std::erase_if(sessions_, [&](const auto& entry) { return Ended(entry.second, now); });
  }
  if (sessions_.size() >= kMaxSessions) {
    auto oldest = std::min_element(
        sessions_.begin(), sessions_.end(),
        [](const auto& a, const auto& b) { return a.second.last_used_ms < b.second.last_used_ms; });
    sessions_.erase(oldest);
  }
  std::string token = RandomHex(32);
  sessions_[KeyOf(token)] = WebSession{std::move(account), RandomHex(32), std::move(ip), now, now};
  return token;
}

WebSession* WebSessions::Find(std::string_view token) {
  if (token.empty()) return nullptr;
  auto it = sessions_.find(KeyOf(token));
  if (it == sessions_.end()) return nullptr;
  const int64_t now = clock_.UnixMs();
  if (Ended(it->second, now)) {
    sessions_.erase(it);
    return nullptr;
  }
  it->second.last_used_ms = now;
  return &it->second;
}

bool WebSessions::Remove(std::string_view token) {
  return !token.empty() && sessions_.erase(KeyOf(token)) > 0;
}

void WebSessions::RemoveAccount(std::string_view account) {
  const std::string folded = irc::Fold(account);
  std::erase_if(sessions_,
                [&](const auto& entry) { return irc::Fold(entry.second.account) == folded; });
}

std::string_view CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    std::size_t end = header.find(';');
    std::string_view item = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    std::size_t eq = item.find('=');
    if (eq != std::string_view::npos && item.substr(0, eq) == name) return item.substr(eq + 1);
  }
  return {};
}

}  // namespace salon::web_api

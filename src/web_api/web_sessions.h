// WebSessions: the logged-in sessions of the web API (POST /api/session), in this node's memory.
// A session is named by a random token that only the browser holds (an HttpOnly cookie); the
// table keys it by the token's SHA-256, so neither a log nor a memory dump of the keys gives a
// usable cookie. Each session also has a CSRF token, which the page sends back in the
// X-CSRF-Token header of every request that changes something.
//
// A session ends [web] session_hours after login or [web] session_idle_minutes after its last
// use (server clock: DEBUG CLOCK ADVANCE moves it), at logout, or when its account is deleted.
// At most kMaxSessions live at once: beyond that the least recently used one is ended.
// Thread: the event-loop thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/clock.h"
#include "config/config.h"

namespace salon::web_api {

struct WebSession {
  std::string account;     // as stored
  std::string csrf_token;  // 64 hex characters
  std::string ip;          // where it logged in from
  int64_t created_ms = 0;  // server clock (unix ms)
  int64_t last_used_ms = 0;
};

class WebSessions {
 public:
  static constexpr std::size_t kMaxSessions = 10000;

  WebSessions(const base::Clock& clock, const config::Web& config)
      : clock_(clock), config_(config) {}

  // A new session for `account`; returns its token (64 hex characters: 256 random bits).
  std::string Create(std::string account, std::string ip);
  // The live session of `token` (its last use set to now), or nullptr: unknown, or ended (an
  // ended one is removed).
  WebSession* Find(std::string_view token);
  // Ends the session of `token` (logout). False when there was none.
  bool Remove(std::string_view token);
  // Ends every session of `account` (any case): the account was deleted.
  void RemoveAccount(std::string_view account);
  std::size_t size() const { return sessions_.size(); }

 private:
  bool Ended(const WebSession& s, int64_t now) const;

  const base::Clock& clock_;
  const config::Web& config_;
  std::unordered_map<std::string, WebSession> sessions_;  // by SHA-256(token), raw bytes
};

// The value of cookie `name` in a Cookie header ("a=1; salon_session=abc"), "" when absent.
std::string_view CookieValue(std::string_view header, std::string_view name);

}  // namespace salon::web_api

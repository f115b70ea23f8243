// Whowas: the history of nicks that left (QUIT or NICK), newest first, for WHOWAS.
// Bounded by limits.whowas_entries (0 keeps nothing). Thread: the event-loop thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>

namespace salon::core {

class Client;

struct WhowasEntry {
  std::string nick, user, host, ip, realname;
  int64_t quit_at;  // unix seconds
};

class Whowas {
 public:
  explicit Whowas(std::size_t capacity) : capacity_(capacity) {}

  // Records the client's current identity; the oldest entry goes when full.
  void Remember(const Client& client, int64_t now_unix);
  const std::deque<WhowasEntry>& entries() const { return entries_; }

 private:
  std::size_t capacity_;
  std::deque<WhowasEntry> entries_;
};

}  // namespace salon::core

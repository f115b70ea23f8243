// UserRegistry: who owns which nick. The one place that maps a folded nick (rfc1459) to the
// registered Client holding it; registration, NICK and QUIT go through Claim/Rename/Release.
//
// Designed to become a cluster lease later: ownership changes only through Claim (which may
// fail because someone else holds the nick) and Release by the holder, never by writing the
// map directly, so a distributed version can put a lease protocol behind the same calls.
// Does not own the clients (the Server does). Thread: the event-loop thread only.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

namespace salon::core {

class Client;

class UserRegistry {
 public:
  using Map = std::unordered_map<std::string, Client*>;  // folded nick -> holder

  // The client holding `nick` (any case), or nullptr.
  Client* Find(std::string_view nick) const;
  // Takes `nick` for `client`. False (nothing changes) when another client holds it; true when
  // it was free or already held by `client`.
  bool Claim(std::string_view nick, Client& client);
  // Gives up `nick` if `client` holds it; a nick held by someone else is left alone.
  void Release(std::string_view nick, const Client& client);
  // Release(old_nick) then Claim(new_nick) as one step; false (nothing changes) when another
  // client holds new_nick. A case-only change keeps the nick.
  bool Rename(std::string_view old_nick, std::string_view new_nick, Client& client);

  std::size_t size() const { return nicks_.size(); }
  // Every registered client, for WHO/oper counts. Iteration order is unspecified.
  const Map& all() const { return nicks_; }

 private:
  Map nicks_;
};

}  // namespace salon::core

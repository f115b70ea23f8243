// UserRegistry: see user_registry.h.
#include "core/user_registry.h"

#include "protocol/irc/casemap.h"

namespace salon::core {

Client* UserRegistry::Find(std::string_view nick) const {
  auto it = nicks_.find(irc::Fold(nick));
  return it == nicks_.end() ? nullptr : it->second;
}

bool UserRegistry::Claim(std::string_view nick, Client& client) {
  auto [it, inserted] = nicks_.try_emplace(irc::Fold(nick), &client);
  return inserted || it->second == &client;
}

void UserRegistry::Release(std::string_view nick, const Client& client) {
  auto it = nicks_.find(irc::Fold(nick));
  if (it != nicks_.end() && it->second == &client) nicks_.erase(it);
}

bool UserRegistry::Rename(std::string_view old_nick, std::string_view new_nick, Client& client) {
  Client* holder = Find(new_nick);
  if (holder != nullptr && holder != &client) return false;
  Release(old_nick, client);
  return Claim(new_nick, client);
}

}  // namespace salon::core

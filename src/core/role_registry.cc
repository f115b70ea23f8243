// Server roles: see role_registry.h.
#include "core/role_registry.h"

#include <algorithm>

#include "core/client.h"
#include "protocol/irc/casemap.h"

namespace salon::core {

std::string_view RoleName(ServerRole role) {
  switch (role) {
    case ServerRole::kAdmin:
      return "admin";
    case ServerRole::kModerator:
      return "moderator";
    case ServerRole::kNone:
      break;
  }
  return "none";
}

ServerRole ParseRole(std::string_view name) {
  std::string folded = irc::Fold(name);
  if (folded == "admin") return ServerRole::kAdmin;
  if (folded == "moderator") return ServerRole::kModerator;
  return ServerRole::kNone;
}

void RoleRegistry::Bootstrap(std::string_view account, ServerRole role) {
  std::string folded = irc::Fold(account);
  ServerRole& configured = configured_[folded];
  configured = std::max(configured, role);
  Set(account, configured);
}

ServerRole RoleRegistry::Configured(std::string_view account) const {
  auto it = configured_.find(irc::Fold(account));
  return it == configured_.end() ? ServerRole::kNone : it->second;
}

ServerRole RoleRegistry::Of(std::string_view account) const {
  if (account.empty()) return ServerRole::kNone;
  auto it = roles_.find(irc::Fold(account));
  return it == roles_.end() ? ServerRole::kNone : it->second.role;
}

ServerRole RoleRegistry::Of(const Client& client) const {
  if (client.IsOper()) return ServerRole::kAdmin;
  return Of(client.account());
}

void RoleRegistry::Set(std::string_view account, ServerRole role) {
  std::string folded = irc::Fold(account);
  role = std::max(role, Configured(account));
  if (role == ServerRole::kNone) {
    roles_.erase(folded);
  } else {
    roles_[folded] = Entry{std::string(account), role};
  }
}

std::vector<std::pair<std::string, ServerRole>> RoleRegistry::All() const {
  std::vector<std::pair<std::string, ServerRole>> all;
  for (const auto& [folded, entry] : roles_) all.emplace_back(entry.account, entry.role);
  std::sort(all.begin(), all.end());
  return all;
}

}  // namespace salon::core

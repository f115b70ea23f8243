// Server roles: which accounts are server administrators or moderators. Room roles (founder,
// room moderator) live with the registered rooms (ChanServ access lists, core/channel.h).
// Bootstrapped from config ([moderation] admins, moderators) and granted at run time with the
// ROLE command (core/commands/role.cc), which stores its grants (Store::SaveRole); the Server
// loads them at Start. A configured account keeps at least its configured role whatever is
// stored or granted. Thread: the event-loop thread only.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace salon::core {

class Client;

enum class ServerRole : uint8_t { kNone = 0, kModerator = 1, kAdmin = 2 };

std::string_view RoleName(ServerRole role);  // "none", "moderator", "admin"
// "moderator" / "admin" (any case); kNone for anything else.
ServerRole ParseRole(std::string_view name);

class RoleRegistry {
 public:
  // The role of an account (any case); kNone when it has none.
  ServerRole Of(std::string_view account) const;
  // An IRC operator (OPER) counts as an administrator; otherwise its account's role, and a
  // guest (not logged in) has none.
  ServerRole Of(const Client& client) const;
  bool IsModerator(const Client& client) const { return Of(client) >= ServerRole::kModerator; }
  bool IsAdmin(const Client& client) const { return Of(client) >= ServerRole::kAdmin; }

  // The configured role of an account: Set never goes below it.
  void Bootstrap(std::string_view account, ServerRole role);
  ServerRole Configured(std::string_view account) const;
  // kNone removes the account's role (down to its configured one).
  void Set(std::string_view account, ServerRole role);
  // Account (as given) -> role, for ROLE LIST.
  std::vector<std::pair<std::string, ServerRole>> All() const;

 private:
  struct Entry {
    std::string account;  // as given
    ServerRole role;
  };
  std::unordered_map<std::string, Entry> roles_;            // by irc::Fold(account)
  std::unordered_map<std::string, ServerRole> configured_;  // by irc::Fold(account)
};

}  // namespace salon::core

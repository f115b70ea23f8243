// The target of a moderation command as a moderator types it:
//   account:NAME        an account (whether or not someone is logged in to it now)
//   nick!user@host      a wildcard mask (completed like channel bans: "user@host" is
//                       "*!user@host"), matched against cloaked hosts and real addresses
//   192.0.2.0/24, ::1   an IP address or CIDR range (IPv4 or IPv6)
//   host.name           a host mask ("*!*@host.name")
//   nick                someone connected now: their account when logged in, else their
//                       cloaked host ("*!*@<cloak>"), so that a guest's sanction outlives the
//                       connection
// Thread: the event-loop thread only.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "moderation/sanction_list.h"

namespace salon::core {
class Client;
class Server;
}  // namespace salon::core

namespace salon::moderation {

struct SanctionTarget {
  TargetKind kind = TargetKind::kAccount;
  std::string target;              // as stored (account, normalized mask, canonical range)
  core::Client* online = nullptr;  // the connected user named by nick, if any
};

// nullopt when `text` names nobody: an unknown nick (the caller answers 401).
std::optional<SanctionTarget> ResolveTarget(core::Server& server, std::string_view text);

}  // namespace salon::moderation

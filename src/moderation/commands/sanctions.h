// The moderation commands on sanctions (docs/moderation.md, "Sanctions and roles"):
//   WARN   [#room] <target> :<reason>
//   MUTE   [#room] <target> <duration|0> :<reason>
//   UNMUTE [#room] <ref|target>
//   BAN    [#room] <target> [<duration>] :<reason>
//   UNBAN  [#room] <ref|target>
//   BANS   [#room|*]
//   STRIKE <nick|account:NAME> :<reason>
// Targets as moderation/sanction_target.h reads them. Without #room: the whole server (server
// moderators); with it: that room (its operators, founder or ChanServ moderators too).
// Replies: NOTE <command> <code> ... on success, FAIL <command> <code> ... for a bad request,
// 481 / 482 for a refusal (audited, like every decision).
#pragma once

#include <memory>

namespace salon::core {
class Server;
}

namespace salon::moderation {

class SanctionPolicy;

// Adds the commands to `server` (before Start), bound to `sanctions`.
void AddSanctionCommands(core::Server& server, SanctionPolicy& policy);

// The sanctions part of the policy chain, loaded from the store and with its commands added:
// what app/main.cc adds to the chain (before server.Start()).
std::unique_ptr<SanctionPolicy> InstallSanctions(core::Server& server);

}  // namespace salon::moderation

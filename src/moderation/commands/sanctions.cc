// WARN MUTE UNMUTE BAN UNBAN BANS STRIKE: see sanctions.h. Each handler reads its scope and
// checks the role first (a refusal tells nothing about the target), then its target, then acts
// through Sanctions, which stores, audits, applies and tells.
#include "moderation/commands/sanctions.h"

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/channel.h"
#include "core/client.h"
#include "core/command_table.h"
#include "core/commands/command_util.h"
#include "core/server.h"
#include "moderation/authority.h"
#include "moderation/duration.h"
#include "moderation/sanction_policy.h"
#include "moderation/sanction_target.h"
#include "moderation/strikes.h"
#include "protocol/irc/casemap.h"
#include "protocol/irc/message.h"
#include "protocol/irc/numerics.h"

namespace salon::moderation {
namespace {

namespace num = irc::numeric;

// A command's words after the optional leading #room.
struct Args {
  std::string scope = "*";
  core::Channel* room = nullptr;
  std::vector<std::string_view> rest;
};

// False (403 sent) when a named room does not exist.
bool ReadArgs(core::Server& server, core::Client& client, const irc::Message& msg, Args* args) {
  std::size_t first = 0;
  if (msg.Param(0).starts_with('#')) {
    args->room = server.channels_registry().Find(msg.Param(0));
    if (args->room == nullptr) {
      client.Numeric(num::kNoSuchChannel, {msg.Param(0), "No such channel"});
      return false;
    }
    args->scope = args->room->name();
    first = 1;
  }
  for (std::size_t i = first; i < msg.param_count; ++i) args->rest.push_back(msg.Param(i));
  return true;
}

// The role check of every command: a server moderator for the server, the room's moderators
// for a room. A refusal is answered (481 / 482) and audited.
bool Authorized(Sanctions& sanctions, core::Client& client, std::string_view command,
                const std::string& scope, const core::Channel* room, std::string_view target) {
  core::Server& server = sanctions.server();
  const bool server_scope = scope == "*";
  if (server_scope ? MayModerateServer(server, client) : MayModerateRoom(server, client, room)) {
    return true;
  }
  if (server_scope) {
    client.Numeric(num::kNoPrivileges, {"Permission Denied- You're not a server moderator"});
  } else {
    client.Numeric(num::kChanOpPrivsNeeded, {scope, "You're not a moderator of this room"});
  }
  sanctions.Audit(&client, "sanction.refused", target, fmt::format("{} {}", command, scope),
                  "not a moderator", 0, "");
  return false;
}

void Usage(core::Client& client, std::string_view command, std::string_view syntax) {
  client.Standard("FAIL", command, "INVALID_PARAMS", {}, fmt::format("Use {}", syntax));
}

// The target, or nullopt after the reply (401, or FAIL PROTECTED for a server moderator).
std::optional<SanctionTarget> Target(Sanctions& sanctions, core::Client& client,
                                     std::string_view command, std::string_view text) {
  core::Server& server = sanctions.server();
  auto target = ResolveTarget(server, text);
  if (!target) {
    client.Numeric(num::kNoSuchNick, {text, "No such nick/channel"});
    return std::nullopt;
  }
  const bool protected_account = target->kind == TargetKind::kAccount &&
                                 server.roles().Of(target->target) >= core::ServerRole::kModerator;
  if (protected_account || (target->online != nullptr && sanctions.Exempt(*target->online))) {
    client.Standard(
        "FAIL", command, "PROTECTED", {text},
        "Server moderators are not sanctioned; an administrator revokes the role first");
    return std::nullopt;
  }
  return target;
}

std::string Where(const Sanction& s) {
  return s.server_wide() ? "on this server" : "in " + s.scope;
}

std::string Until(const Sanction& s) {
  return s.expires_at_ms > 0 ? "until " + core::UtcDate(s.expires_at_ms / 1000)
                             : "with no end date";
}

// Lifts the sanctions of `kind` on exactly this target and scope (a new one replaces them).
void LiftSame(Sanctions& sanctions, core::Client& actor, SanctionKind kind,
              const std::string& scope, const SanctionTarget& target) {
  std::vector<std::string> refs;
  for (const Sanction* s : sanctions.list().SameTarget(kind, scope, target.kind, target.target)) {
    refs.push_back(s->ref);
  }
  for (const std::string& ref : refs) sanctions.Lift(ref, &actor, false);
}

void HandleWarn(Sanctions& sanctions, core::Client& client, const irc::Message& msg) {
  Args args;
  if (!ReadArgs(sanctions.server(), client, msg, &args)) return;
  std::string_view named = args.rest.empty() ? std::string_view() : args.rest[0];
  if (!Authorized(sanctions, client, "WARN", args.scope, args.room, named)) return;
  if (args.rest.size() < 2 || args.rest.back().empty()) {
    return Usage(client, "WARN", "WARN [#room] <nick|account:NAME> :<reason>");
  }
  auto target = Target(sanctions, client, "WARN", named);
  if (!target) return;
  Sanction like;
  like.target_kind = target->kind;
  like.target = target->target;
  like.range = CidrRange::Parse(target->target);
  const std::string ref = sanctions.NewRef();
  const std::string reason(args.rest.back());
  const std::size_t told = sanctions.Tell(like, Decision{ref, "warn", args.scope, 0, reason, ""});
  if (told == 0) {
    client.Standard("FAIL", "WARN", "NOT_CONNECTED", {named},
                    "Nobody it names is connected: a warning is only a statement");
    return;
  }
  sanctions.Audit(&client, "sanction.warn", like.TargetText(), fmt::format("warn {}", args.scope),
                  reason, 0, ref);
  client.Standard("NOTE", "WARN", "APPLIED", {ref, like.TargetText()},
                  fmt::format("{} warned ({} connections told)", named, told));
}

// MUTE and BAN: impose `kind` for the duration given (BAN: optional, MUTE: required).
void HandleImpose(Sanctions& sanctions, core::Client& client, const irc::Message& msg,
                  SanctionKind kind) {
  const bool ban = kind == SanctionKind::kBan;
  const char* command = ban ? "BAN" : "MUTE";
  const char* syntax =
      ban ? "BAN [#room] <nick|account:NAME|nick!user@host|IP|CIDR> [<duration>] :<reason>"
          : "MUTE [#room] <nick|account:NAME|nick!user@host|IP|CIDR> <duration|0> :<reason>";
  Args args;
  if (!ReadArgs(sanctions.server(), client, msg, &args)) return;
  std::string_view named = args.rest.empty() ? std::string_view() : args.rest[0];
  if (!Authorized(sanctions, client, command, args.scope, args.room, named)) return;
  const std::size_t needed = ban ? 2 : 3;
  if (args.rest.size() < needed || args.rest.size() > 3 || args.rest.back().empty()) {
    return Usage(client, command, syntax);
  }
  if (ban && args.rest.size() == 2 && ParseDuration(args.rest[1])) {
    // "BAN bob 1h": a duration where the reason goes, not a ban "for 1h" forever.
    client.Standard("FAIL", command, "NEED_REASON", {named},
                    "A ban needs a reason, after the duration");
    return;
  }
  std::optional<int64_t> seconds =
      args.rest.size() == 3 ? ParseDuration(args.rest[1]) : std::optional<int64_t>(0);
  if (!seconds) {
    client.Standard("FAIL", command, "INVALID_DURATION", {args.rest[1]},
                    "A duration is like 30m, 2h, 7d or 1w; 0 or perm for no end");
    return;
  }
  auto target = Target(sanctions, client, command, named);
  if (!target) return;
  Sanction s;
  s.kind = kind;
  s.scope = args.scope;
  s.target_kind = target->kind;
  s.target = target->target;
  s.reason = std::string(args.rest.back());
  s.expires_at_ms = *seconds > 0 ? sanctions.server().clock().UnixMs() + *seconds * 1000 : 0;
  s.range = CidrRange::Parse(s.target);
  if (!sanctions.Exempt(client) && Targets(s, SubjectOf(client))) {
    client.Standard("FAIL", command, "SELF", {named}, "This would apply to you too");
    return;
  }
  LiftSame(sanctions, client, kind, args.scope, *target);
  const Sanction& imposed = sanctions.Impose(std::move(s), &client, {ban ? "ban" : "mute", ""});
  client.Standard("NOTE", command, "APPLIED", {imposed.ref, imposed.TargetText()},
                  fmt::format("{} {} {} {}", imposed.TargetText(), ban ? "banned" : "muted",
                              Where(imposed), Until(imposed)));
}

// UNMUTE and UNBAN: by reference, or every one of that kind on the target in the scope.
void HandleLift(Sanctions& sanctions, core::Client& client, const irc::Message& msg,
                SanctionKind kind) {
  const char* command = kind == SanctionKind::kBan ? "UNBAN" : "UNMUTE";
  Args args;
  if (!ReadArgs(sanctions.server(), client, msg, &args)) return;
  std::string_view named = args.rest.empty() ? std::string_view() : args.rest[0];
  const Sanction* by_ref = sanctions.list().Find(named);
  if (by_ref != nullptr && by_ref->kind != kind) by_ref = nullptr;
  // Lifting by reference: the sanction's own scope decides who may.
  std::string scope = by_ref != nullptr ? by_ref->scope : args.scope;
  const core::Channel* room =
      scope == "*" ? nullptr : sanctions.server().channels_registry().Find(scope);
  if (!Authorized(sanctions, client, command, scope, room, named)) return;
  if (named.empty())
    return Usage(client, command, fmt::format("{} [#room] <reference|target>", command));
  std::vector<std::string> refs;
  if (by_ref != nullptr) {
    refs.push_back(by_ref->ref);
  } else if (auto target = ResolveTarget(sanctions.server(), named)) {
    for (const Sanction* s :
         sanctions.list().SameTarget(kind, scope, target->kind, target->target)) {
      refs.push_back(s->ref);
    }
  }
  if (refs.empty()) {
    client.Standard("FAIL", command, "NOT_FOUND", {named},
                    fmt::format("No {} in force has that reference or target {}", KindName(kind),
                                scope == "*" ? "on this server" : "in " + scope));
    return;
  }
  for (const std::string& ref : refs) {
    sanctions.Lift(ref, &client);
    client.Standard("NOTE", command, "LIFTED", {ref}, fmt::format("{} lifted", ref));
  }
}

void HandleBans(Sanctions& sanctions, core::Client& client, const irc::Message& msg) {
  Args args;
  if (!ReadArgs(sanctions.server(), client, msg, &args)) return;
  const bool all = args.room == nullptr && msg.Param(0) != "*";
  if (!Authorized(sanctions, client, "BANS", args.scope, args.room, msg.Param(0))) return;
  std::size_t count = 0;
  for (const Sanction& s : sanctions.list().all()) {
    if (!all && !irc::EqualsFolded(s.scope, args.scope)) continue;
    ++count;
    client.Standard(
        "NOTE", "BANS", "ENTRY",
        {s.ref, KindName(s.kind), s.scope, s.TargetText(), std::to_string(s.expires_at_ms / 1000)},
        fmt::format("{} by {} on {}, {}", s.reason, s.set_by, core::UtcDate(s.set_at_ms / 1000),
                    Until(s)));
  }
  client.Standard("NOTE", "BANS", "END", {all ? "all" : args.scope},
                  fmt::format("{} in force", count));
}

void HandleStrike(Sanctions& sanctions, const config::Moderation& config, core::Client& client,
                  const irc::Message& msg) {
  std::string_view named = msg.Param(0);
  if (!Authorized(sanctions, client, "STRIKE", "*", nullptr, named)) return;
  if (msg.param_count < 2 || msg.Param(1).empty()) {
    return Usage(client, "STRIKE", "STRIKE <nick|account:NAME> :<reason>");
  }
  auto target = Target(sanctions, client, "STRIKE", named);
  if (!target) return;
  if (target->kind == TargetKind::kCidr ||
      (target->kind == TargetKind::kMask && target->online == nullptr)) {
    client.Standard("FAIL", "STRIKE", "INVALID_TARGET", {named},
                    "Strikes count against an account or a connected guest (their host)");
    return;
  }
  StrikeOutcome outcome = Strike(sanctions, config, client, *target, std::string(msg.Param(1)));
  client.Standard(
      "NOTE", "STRIKE", "APPLIED", {outcome.ref, std::to_string(outcome.number)},
      fmt::format("Strike {} against {}: {}", outcome.number, named, RungText(outcome.rung)));
}

}  // namespace

void AddSanctionCommands(core::Server& server, SanctionPolicy& policy) {
  Sanctions* s = &policy.sanctions();
  auto bind = [s](void (*handler)(Sanctions&, core::Client&, const irc::Message&)) {
    return [s, handler](core::Server&, core::Client& client, const irc::Message& msg) {
      handler(*s, client, msg);
    };
  };
  server.AddCommand("WARN", {bind(HandleWarn), 1, false});
  server.AddCommand("MUTE", {[s](core::Server&, core::Client& c, const irc::Message& m) {
                               HandleImpose(*s, c, m, SanctionKind::kMute);
                             },
                             1, false});
  server.AddCommand("BAN", {[s](core::Server&, core::Client& c, const irc::Message& m) {
                              HandleImpose(*s, c, m, SanctionKind::kBan);
                            },
                            1, false});
  server.AddCommand("UNMUTE", {[s](core::Server&, core::Client& c, const irc::Message& m) {
                                 HandleLift(*s, c, m, SanctionKind::kMute);
                               },
                               1, false});
  server.AddCommand("UNBAN", {[s](core::Server&, core::Client& c, const irc::Message& m) {
                                HandleLift(*s, c, m, SanctionKind::kBan);
                              },
                              1, false});
  server.AddCommand("BANS", {bind(HandleBans), 0, false});
  server.AddCommand("STRIKE", {[s](core::Server& server, core::Client& c, const irc::Message& m) {
                                 HandleStrike(*s, server.config().moderation, c, m);
                               },
                               1, false});
}

std::unique_ptr<SanctionPolicy> InstallSanctions(core::Server& server) {
  auto policy = std::make_unique<SanctionPolicy>(server);
  policy->sanctions().Load();
  AddSanctionCommands(server, *policy);
  return policy;
}

}  // namespace salon::moderation

// AutomodModule: automod as app/main.cc wires it — the rules engine with the rules file it was
// loaded from, the held messages, the policy part for the chain, and the AUTOMOD and HELD
// commands. Reloads (SIGHUP, AUTOMOD RELOAD) read and compile the file on a worker thread
// (compiling 10,000 patterns takes about a second) and swap the new set in on the event loop;
// a file with an error is refused, the rules in force stay, and the error is kept for
// AUTOMOD STATUS. Every reload, failed or not, is audited.
// Owned by main.cc, outlives the server's policy chain and commands. Thread: the event loop.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"
#include "moderation/automod/automod.h"
#include "moderation/automod/automod_policy.h"
#include "moderation/held_messages.h"

namespace salon::core {
class Client;
class Server;
}  // namespace salon::core

namespace salon::moderation::automod {

class AutomodModule {
 public:
  // Loads config.automod.rules_file (none when empty). Error: the file's problem, with its
  // file and line, for main.cc to refuse to start.
  static Result<std::unique_ptr<AutomodModule>> Create(core::Server& server, MuteCallback mute);

  // The part for the policy chain; refers to this module.
  std::unique_ptr<core::Policy> MakePolicy();
  // AUTOMOD and HELD (moderation/commands/); call before server.Start().
  void AddCommands(core::Server& server);

  // Reads and compiles the file again on a worker; `done(error)` runs later on the loop, with
  // an empty error on success. `actor` (may be null: SIGHUP) is named in the audit log.
  // Returns false, with *error set and `done` not called, when no reload could start (no
  // rules file configured, workers busy).
  bool Reload(const core::Client* actor, std::function<void(const std::string& error)> done,
              std::string* error);

  // Shared by AUTOMOD and HELD. A refused privileged command: 481 (and FAIL <command>
  // NO_PRIVILEGES to standard-replies clients), audited as "<command>.refused".
  void RefusePrivilege(core::Client& client, std::string_view command, std::string_view sub,
                       std::string_view needed);
  // An error: FAIL <command> <code> <context> :<text> to standard-replies clients, a server
  // NOTICE "<command>: <text>" to others.
  static void ReplyError(core::Client& client, std::string_view command, std::string_view code,
                         std::string_view context, std::string_view text);
  // An audit entry with `client` as the actor.
  void Audit(const core::Client& client, std::string_view action, std::string_view target,
             std::string_view detail);

  Automod& engine() { return *engine_; }
  HeldMessages& held() { return *held_; }
  const std::string& path() const { return path_; }
  int64_t loaded_at_unix_s() const { return loaded_at_unix_s_; }
  const std::string& last_error() const { return last_error_; }
  bool reloading() const { return reloads_running_ > 0; }

 private:
  AutomodModule(core::Server& server, MuteCallback mute, std::shared_ptr<const Ruleset> rules);
  void AuditReload(const std::string& actor, const std::string& actor_ip, const std::string& error);

  core::Server& server_;
  MuteCallback mute_;
  std::string path_;
  std::shared_ptr<Automod> engine_;  // shared with the policy part
  std::shared_ptr<HeldMessages> held_;
  int64_t loaded_at_unix_s_ = 0;
  std::string last_error_;  // of the last reload that failed, until one succeeds
  int reloads_running_ = 0;
};

// A subcommand as typed, in upper case (ASCII), for AUTOMOD and HELD.
std::string UpperAscii(std::string_view s);

// Reads and compiles the rules file at `path` (empty: no rules). Any thread.
Result<std::shared_ptr<const Ruleset>> LoadRuleset(const std::string& path);

}  // namespace salon::moderation::automod

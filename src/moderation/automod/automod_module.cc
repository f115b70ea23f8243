// Automod's wiring and reloads: see automod_module.h.
#include "moderation/automod/automod_module.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "base/worker_pool.h"
#include "core/account_service.h"
#include "core/capabilities.h"
#include "core/client.h"
#include "core/server.h"
#include "moderation/automod/rule_file.h"
#include "protocol/irc/numerics.h"

namespace salon::moderation::automod {

void AddAutomodCommand(core::Server& server, AutomodModule& module);  // commands/automod.cc
void AddHeldCommand(core::Server& server, AutomodModule& module);     // commands/held.cc

std::string UpperAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
  return out;
}

Result<std::shared_ptr<const Ruleset>> LoadRuleset(const std::string& path) {
  if (path.empty()) return Ruleset::Empty();
  Result<std::vector<Rule>> rules = LoadRuleFile(path);
  if (!rules) return Error{rules.error()};
  return Ruleset::Build(std::move(*rules), path);
}

Result<std::unique_ptr<AutomodModule>> AutomodModule::Create(core::Server& server,
                                                             MuteCallback mute) {
  Result<std::shared_ptr<const Ruleset>> rules = LoadRuleset(server.config().automod.rules_file);
  if (!rules) return Error{rules.error()};
  std::unique_ptr<AutomodModule> module(
      new AutomodModule(server, std::move(mute), std::move(*rules)));
  const Ruleset& set = *module->engine_->rules();
  if (!module->path_.empty()) {
    spdlog::info("automod: {} rules ({} words and patterns) from {}", set.rules().size(),
                 set.pattern_count(), module->path_);
  }
  return module;
}

AutomodModule::AutomodModule(core::Server& server, MuteCallback mute,
                             std::shared_ptr<const Ruleset> rules)
    : server_(server),
      mute_(std::move(mute)),
      path_(server.config().automod.rules_file),
      engine_(std::make_shared<Automod>(std::move(rules))),
      held_(std::make_shared<HeldMessages>(server, server.config().automod.held_max,
                                           server.config().automod.held_max_minutes)),
      loaded_at_unix_s_(server.clock().UnixSeconds()) {}

std::unique_ptr<core::Policy> AutomodModule::MakePolicy() {
  return std::make_unique<AutomodPolicy>(server_, engine_, held_, mute_);
}

void AutomodModule::AddCommands(core::Server& server) {
  AddAutomodCommand(server, *this);
  AddHeldCommand(server, *this);
}

bool AutomodModule::Reload(const core::Client* actor,
                           std::function<void(const std::string& error)> done, std::string* error) {
  std::string actor_name = actor == nullptr           ? "SIGHUP"
                           : actor->account().empty() ? actor->nick
                                                      : actor->account();
  std::string actor_ip = actor == nullptr ? std::string() : actor->ip();
  if (path_.empty()) {
    *error = "no rules file is configured ([automod] rules_file)";
    AuditReload(actor_name, actor_ip, *error);
    return false;
  }
  ++reloads_running_;
  // The module outlives the loop (main.cc), so the completion may keep `this`.
  bool queued = server_.accounts().workers().Submit(
      [path = path_]() { return LoadRuleset(path); },
      [this, actor_name, actor_ip, done](Result<std::shared_ptr<const Ruleset>> rules) mutable {
        --reloads_running_;
        if (!rules) {
          last_error_ = rules.error();
          spdlog::warn("automod: reload refused, the rules in force stay: {}", last_error_);
          AuditReload(actor_name, actor_ip, last_error_);
          done(last_error_);
          return;
        }
        engine_->Replace(std::move(*rules));
        last_error_.clear();
        loaded_at_unix_s_ = server_.clock().UnixSeconds();
        spdlog::info("automod: reloaded {} rules ({} words and patterns) from {}",
                     engine_->rules()->rules().size(), engine_->rules()->pattern_count(), path_);
        AuditReload(actor_name, actor_ip, {});
        done({});
      });
  if (!queued) {
    --reloads_running_;
    *error = "the server is busy; try again in a moment";
    return false;
  }
  return true;
}

void AutomodModule::RefusePrivilege(core::Client& client, std::string_view command,
                                    std::string_view sub, std::string_view needed) {
  const std::string text = fmt::format("Permission denied: {} {} is for {}", command, sub, needed);
  if (client.HasCap(core::kCapStandardReplies)) {
    client.Standard("FAIL", command, "NO_PRIVILEGES", {sub}, text);
  }
  client.Numeric(irc::numeric::kNoPrivileges, {text});
  std::string action(command);
  for (char& c : action) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  Audit(client, action + ".refused", sub, needed);
}

void AutomodModule::ReplyError(core::Client& client, std::string_view command,
                               std::string_view code, std::string_view context,
                               std::string_view text) {
  if (client.HasCap(core::kCapStandardReplies)) {
    client.Standard("FAIL", command, code, {context}, text);
  } else {
    client.ServerNotice(fmt::format("{}: {}", command, text));
  }
}

void AutomodModule::Audit(const core::Client& client, std::string_view action,
                          std::string_view target, std::string_view detail) {
  storage::AuditEntry entry;
  entry.at_ms = server_.clock().UnixMs();
  entry.actor = client.account().empty() ? client.nick : client.account();
  entry.actor_ip = client.ip();
  entry.action = std::string(action);
  entry.target = std::string(target);
  entry.detail = std::string(detail);
  server_.store().AppendAudit(entry);
}

void AutomodModule::AuditReload(const std::string& actor, const std::string& actor_ip,
                                const std::string& error) {
  storage::AuditEntry entry;
  entry.at_ms = server_.clock().UnixMs();
  entry.actor = actor;
  entry.actor_ip = actor_ip;
  entry.action = error.empty() ? "automod.reload" : "automod.reload_failed";
  entry.target = path_;
  entry.detail = error.empty()
                     ? std::to_string(engine_->rules()->rules().size()) + " rules, " +
                           std::to_string(engine_->rules()->pattern_count()) + " words and patterns"
                     : error;
  server_.store().AppendAudit(entry);
}

}  // namespace salon::moderation::automod

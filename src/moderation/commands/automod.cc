// AUTOMOD RELOAD | TEST [#room] <text> | STATUS: automod's rules at run time.
// RELOAD is for server administrators (reads the rules file again; a bad file is refused and
// the rules in force stay); TEST and STATUS for server moderators. Replies are server NOTICEs
// ("AUTOMOD ..."), errors FAIL AUTOMOD <code> for standard-replies clients. Refusals and
// reloads are audited.
#include <fmt/format.h>

#include <functional>
#include <string>

#include "core/channel.h"
#include "core/client.h"
#include "core/commands/command_util.h"
#include "core/response_buffer.h"
#include "core/server.h"
#include "moderation/automod/automod_module.h"
#include "protocol/irc/casemap.h"
#include "protocol/irc/names.h"

namespace salon::moderation::automod {
namespace {

// The words of the message from parameter `first` on, as one text (the trailing parameter is
// usually all of it; a client that sent the words as separate parameters gets them joined).
std::string Rest(const irc::Message& msg, std::size_t first) {
  std::string text;
  for (std::size_t i = first; i < msg.param_count; ++i) {
    if (!text.empty()) text += ' ';
    text += msg.Param(i);
  }
  return text;
}

void Reload(core::Server& server, AutomodModule& module, core::Client& client) {
  if (!server.roles().IsAdmin(client)) {
    module.RefusePrivilege(client, "AUTOMOD", "RELOAD", "server administrators");
    return;
  }
  // The compile runs on a worker; the reply comes when it is done, in order with the client's
  // next commands (its input waits).
  const uint64_t id = client.id();
  auto done = [&server, &module, id](const std::string& error) {
    core::ResumeResponse resumed(server, id);  // the reply joins the command's (labelled) response
    core::Client* c = resumed.client();
    if (c == nullptr) return;
    if (error.empty()) {
      const Ruleset& set = *module.engine().rules();
      c->ServerNotice(fmt::format("AUTOMOD RELOAD: {} rules, {} words and patterns from {}",
                                  set.rules().size(), set.pattern_count(), module.path()));
    } else {
      AutomodModule::ReplyError(*c, "AUTOMOD", "RELOAD_FAILED", "RELOAD",
                                "Reload refused, the rules in force stay: " + error);
    }
    c->ReleaseInput();
  };
  std::string error;
  if (!module.Reload(&client, done, &error)) {
    AutomodModule::ReplyError(client, "AUTOMOD", "RELOAD_FAILED", "RELOAD",
                              "Reload refused: " + error);
    return;
  }
  client.HoldInput();  // `done` runs later, never inside this handler
}

void Test(core::Server& server, AutomodModule& module, core::Client& client,
          const irc::Message& msg) {
  if (!server.roles().IsModerator(client)) {
    module.RefusePrivilege(client, "AUTOMOD", "TEST", "server moderators");
    return;
  }
  std::size_t first = 1;
  std::string room;
  if (msg.param_count > 2 && irc::IsChannelName(msg.Param(1))) {
    room = std::string(msg.Param(1));
    first = 2;
  }
  const std::string text = Rest(msg, first);
  if (text.empty()) {
    AutomodModule::ReplyError(client, "AUTOMOD", "NEED_MORE_PARAMS", "TEST",
                              "Usage: AUTOMOD TEST [#room] <text>");
    return;
  }
  const std::string folded = irc::Fold(room);
  core::Channel* channel = room.empty() ? nullptr : server.channels_registry().Find(room);
  const std::function<bool(std::string_view)> is_member = [&](std::string_view token) {
    const core::Client* named = server.users().Find(token);
    return named != nullptr && named->IsOn(channel);
  };
  Subject subject;
  subject.sender = client.id();
  subject.room = folded;
  subject.text = text;
  subject.surface = Surface::kMessage;
  if (channel != nullptr) subject.is_member = &is_member;
  const int64_t now = server.clock().SteadyMs();
  const Rule* rule = module.engine().Check(subject, now, /*record=*/false);
  const std::string where = room.empty() ? "a private message" : room;
  if (rule == nullptr) {
    client.ServerNotice(fmt::format("AUTOMOD TEST: no rule matches in {}", where));
    return;
  }
  client.ServerNotice(fmt::format("AUTOMOD TEST: rule {} ({}, line {}) matches in {}: {} — {}",
                                  rule->name, DetectorName(rule->detector), rule->line, where,
                                  ActionName(rule->action), rule->reason));
}

void Status(core::Server& server, AutomodModule& module, core::Client& client) {
  if (!server.roles().IsModerator(client)) {
    module.RefusePrivilege(client, "AUTOMOD", "STATUS", "server moderators");
    return;
  }
  const Ruleset& set = *module.engine().rules();
  if (module.path().empty()) {
    client.ServerNotice("AUTOMOD STATUS: no rules file ([automod] rules_file is empty)");
  } else {
    client.ServerNotice(fmt::format(
        "AUTOMOD STATUS: {} rules ({} words and patterns, {} room lists) from {}, loaded {}",
        set.rules().size(), set.pattern_count(), set.room_list_count(), module.path(),
        core::UtcDate(module.loaded_at_unix_s())));
  }
  client.ServerNotice(fmt::format("AUTOMOD STATUS: {} held for review, {} senders tracked",
                                  module.held().size(), module.engine().tracked_senders()));
  if (!module.last_error().empty()) {
    client.ServerNotice("AUTOMOD STATUS: the last reload was refused: " + module.last_error());
  }
  if (module.reloading()) client.ServerNotice("AUTOMOD STATUS: a reload is running");
}

}  // namespace

void AddAutomodCommand(core::Server& server, AutomodModule& module) {
  server.AddCommand(
      "AUTOMOD", {[&module](core::Server& server, core::Client& client, const irc::Message& msg) {
                    const std::string sub = UpperAscii(msg.Param(0));
                    if (sub == "RELOAD") {
                      Reload(server, module, client);
                    } else if (sub == "TEST") {
                      Test(server, module, client, msg);
                    } else if (sub == "STATUS") {
                      Status(server, module, client);
                    } else {
                      AutomodModule::ReplyError(
                          client, "AUTOMOD", "UNKNOWN_SUBCOMMAND", sub.empty() ? "*" : sub,
                          "Usage: AUTOMOD RELOAD | TEST [#room] <text> | STATUS");
                    }
                  },
                  0, false});
}

}  // namespace salon::moderation::automod

// Statements of reasons: see statement.h. One sentence per part, so that a moderator reading
// the audit log and the person reading the statement see the same decision.
#include "moderation/statement.h"

#include <fmt/format.h>

#include <random>

#include "config/config.h"
#include "core/capabilities.h"
#include "core/client.h"
#include "core/commands/command_util.h"

namespace salon::moderation {
namespace {

std::string Where(const Decision& d, std::string_view server_words, std::string_view room_word) {
  if (d.scope == "*") return std::string(server_words);
  return fmt::format("{} {}", room_word, d.scope);
}

std::string Until(const Decision& d) {
  if (d.expires_at_s <= 0) return "with no end date";
  return "until " + core::UtcDate(d.expires_at_s);
}

// What was decided, in the words of the person it is about.
std::string What(const Decision& d) {
  const std::string& a = d.action;
  if (a == "warn" || a == "strike") {
    return fmt::format("You have been warned{}.", d.scope == "*" ? "" : " in " + d.scope);
  }
  if (a == "mute") {
    return d.scope == "*" ? fmt::format(
                                "You are muted on this server {}: you can read, but not "
                                "speak in rooms nor send private messages.",
                                Until(d))
                          : fmt::format(
                                "You are muted in {} {}: you can read, but not speak "
                                "there.",
                                d.scope, Until(d));
  }
  if (a == "unmute")
    return fmt::format("Your mute {} has ended: you can speak again.",
                       Where(d, "on this server", "in"));
  if (a == "kick") return fmt::format("You were removed from {}; you may join again.", d.scope);
  if (a == "ban") {
    return fmt::format("You are banned {} {}.", Where(d, "from this server", "from"), Until(d));
  }
  if (a == "unban") {
    return fmt::format("Your ban {} has been lifted.", Where(d, "from this server", "from"));
  }
  if (a == "suspend") return fmt::format("Your access to this server is suspended {}.", Until(d));
  if (a == "hold") return "Your message is held for review by a moderator.";
  return fmt::format("A moderation decision ({}) concerns you.", a);
}

bool Lifts(const Decision& d) { return d.action == "unmute" || d.action == "unban"; }

}  // namespace

std::string NewDecisionRef() {
  static std::mt19937 random{std::random_device{}()};
  return fmt::format("D-{:06x}", random() & 0xffffff);
}

std::string StatementText(const Decision& d, const config::Admin& admin) {
  std::string text = What(d);
  if (!d.preamble.empty()) text = d.preamble + " " + text;
  if (!d.reason.empty()) {
    char last = d.reason.back();
    text += fmt::format(" Reason: {}{}", d.reason,
                        last == '.' || last == '!' || last == '?' ? "" : ".");
  }
  if (Lifts(d)) {
    text += fmt::format(" Reference {}.", d.ref);
  } else if (!admin.email.empty()) {
    text += fmt::format(" To contest this decision, write to {} quoting reference {}.", admin.email,
                        d.ref);
  } else {
    text += fmt::format(" To contest this decision, reply to a {} quoting reference {}.",
                        d.scope == "*" ? "server moderator" : "moderator of " + d.scope, d.ref);
  }
  return text;
}

void SendStatement(core::Client& client, const Decision& d, const config::Admin& admin) {
  std::string text = StatementText(d, admin);
  if (client.HasCap(core::kCapStandardReplies)) {
    std::string expires = std::to_string(d.expires_at_s > 0 ? d.expires_at_s : 0);
    client.Standard("NOTE", "*", "DECISION", {d.ref, d.action, d.scope, expires}, text);
  } else {
    client.ServerNotice(text);
  }
}

}  // namespace salon::moderation

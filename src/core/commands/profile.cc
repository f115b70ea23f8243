// PROFILE SET <age> <gender> [:<town>] — the web client's join profile (salon.chat/profile).
// Ages below [profile] minimum_age cannot register; the age is fixed once registered.
#include "core/profile.h"

#include <spdlog/fmt/fmt.h>

#include <charconv>

#include "core/account_service.h"
#include "core/capabilities.h"
#include "core/channel.h"
#include "core/client.h"
#include "core/command_table.h"
#include "core/policy.h"
#include "core/server.h"
#include "protocol/irc/numerics.h"

namespace salon::core {
namespace {

bool HasControlChars(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

void HandleProfile(Server& server, Client& client, const irc::Message& msg) {
  std::string_view sub = msg.Param(0);
  if (!irc::CommandIs(sub, "SET")) {
    client.Fail("PROFILE", "UNKNOWN_SUBCOMMAND", "Use PROFILE SET <age> <gender> :<town>");
    return;
  }
  const auto& rules = server.config().profile;
  std::string_view age_text = msg.Param(1);
  uint32_t age = 0;
  auto [ptr, ec] = std::from_chars(age_text.data(), age_text.data() + age_text.size(), age);
  if (age_text.empty() || ec != std::errc() || ptr != age_text.data() + age_text.size() ||
      age < 1 || age > 120) {
    client.Fail("PROFILE", "INVALID_AGE", "Age must be a number between 1 and 120");
    return;
  }
  // Once registered, and for a logged-in account whatever the state, the age is fixed (only an
  // operator changes an account's age, ACCOUNT SETAGE).
  if (client.profile && (client.registered() || !client.account().empty()) &&
      client.profile->age != age) {
    client.Fail("PROFILE", "AGE_LOCKED",
                client.account().empty() ? "Your age cannot change during a session"
                                         : "Your account's age is fixed");
    return;
  }
  if (age < rules.minimum_age) {
    std::string minimum = std::to_string(rules.minimum_age);
    client.Send(
        fmt::format(":{} FAIL PROFILE AGE_TOO_LOW {} :You must be at least {} years old "
                    "to chat here\r\n",
                    server.name(), minimum, minimum));
    server.Quit(client, fmt::format("Minimum age is {}", minimum));
    return;
  }
  std::string_view gender = msg.param_count > 2 ? msg.Param(2) : "-";
  if (!IsValidGender(gender)) {
    client.Fail("PROFILE", "INVALID_GENDER", "Gender must be one of f, m, nb or -");
    return;
  }
  std::string_view town = msg.Param(3);
  if (town.size() > rules.town_length || HasControlChars(town)) {
    client.Fail("PROFILE", "INVALID_TOWN",
                fmt::format("Town must be at most {} bytes of plain text", rules.town_length));
    return;
  }
  Profile proposed{age, std::string(gender), std::string(town)};
  if (Verdict verdict = server.policy().CheckProfile(client, proposed); !verdict.allowed()) {
    SendVerdict(client, "PROFILE", client.NickOrStar(), verdict);
    return;
  }
  const bool first_profile = !client.profile;
  if (!client.profile) client.profile = std::make_unique<Profile>();
  *client.profile = std::move(proposed);
  if (first_profile) server.accounts().AdoptConnectionProfile(client);
  client.Send(ProfileLine(server.name(), client.NickOrStar(), *client.profile));
  if (!client.registered()) return;
  // Others see the shared profile (a minor's town hidden).
  Broadcast out = server.MakeBroadcast(
      nullptr, ProfileLine(server.name(), client.NickOrStar(), SharedProfile(*client.profile)));
  server.SendToCommonChannels(client, out, false, kCapProfile);
}

}  // namespace

void AddProfileCommands(CommandTable& table) { table.Add("PROFILE", {HandleProfile, 1, true}); }

}  // namespace salon::core

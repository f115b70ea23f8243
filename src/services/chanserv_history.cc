// ChanServ SET <#room> HISTORY <duration>|OFF: the founder turns stored history on for a while
// (12h, 7d; at most [history] stored_max_days) or off (the stored messages are deleted in the
// same commit). See docs/history.md; chanserv_request.h for the shared parts.
#include <fmt/format.h>

#include <charconv>
#include <optional>
#include <string>

#include "core/channel.h"
#include "core/history/history.h"
#include "core/server.h"
#include "services/chanserv_request.h"

namespace salon::services::chanserv {

using core::Channel;

namespace {

// "12h" / "7d" in seconds; nullopt for anything else (or zero).
std::optional<int64_t> ParseDuration(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  const char unit = text.back();
  const int64_t scale = unit == 'h' || unit == 'H' ? 3600 : unit == 'd' || unit == 'D' ? 86400 : 0;
  if (scale == 0) return std::nullopt;
  int64_t value = 0;
  std::string_view digits = text.substr(0, text.size() - 1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size() || value <= 0 ||
      value > 100 * 365 * 24) {
    return std::nullopt;
  }
  return value * scale;
}

}  // namespace

std::string DescribeRetention(int64_t seconds) {
  if (seconds % 86400 == 0) {
    const int64_t days = seconds / 86400;
    return fmt::format("{} day{}", days, days == 1 ? "" : "s");
  }
  const int64_t hours = seconds / 3600;
  return fmt::format("{} hour{}", hours, hours == 1 ? "" : "s");
}

void SetHistory(Request& req, Channel& channel) {
  std::string_view value = req.Next();
  const int64_t max = req.server().history().max_retention_s();
  if (value.empty()) {
    req.Reply("Syntax: SET <#room> HISTORY <hours>h|<days>d|OFF, e.g. 12h or 7d");
    return;
  }
  int64_t retention = 0;
  if (Upper(value) != "OFF") {
    if (max == 0) {
      req.Reply("Stored history is not available on this server.");
      return;
    }
    auto parsed = ParseDuration(value);
    if (!parsed) {
      req.Reply("Syntax: SET <#room> HISTORY <hours>h|<days>d|OFF, e.g. 12h or 7d");
      return;
    }
    if (*parsed > max) {
      req.Reply(
          fmt::format("The longest stored history allowed here is {}.", DescribeRetention(max)));
      return;
    }
    retention = *parsed;
  }
  Later later = req.later();
  channel.history_retention_s = retention;
  req.server().store().SaveRoom(
      channel.ToStored(),
      later.WhenStored(
          retention > 0
              ? fmt::format("Messages in {} are now stored for {}, then deleted.", channel.name(),
                            DescribeRetention(retention))
              : fmt::format("Stored history of {} is off; its stored messages were deleted.",
                            channel.name()),
          "The history setting of " + channel.name()));
  later.Audit("room.set.history", channel, retention > 0 ? std::string(value) : "off");
}

}  // namespace salon::services::chanserv

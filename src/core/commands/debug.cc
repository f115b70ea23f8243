// DEBUG — test-only commands, registered only with debug.clock_control (otherwise 421).
//   DEBUG CLOCK ADVANCE <seconds>  moves the server's AdjustableClock forward and runs the
//   housekeeping at once, so timeouts and deadlines due by the new time happen before the reply
//   ("NOTE DEBUG CLOCK_ADVANCED <unix ms> :Clock advanced").
#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <string>

#include "core/client.h"
#include "core/command_table.h"
#include "core/response_buffer.h"
#include "core/server.h"
#include "protocol/irc/message.h"

namespace salon::core {
namespace {

constexpr int64_t kMaxAdvanceSeconds = int64_t{10} * 365 * 24 * 3600;

void HandleDebug(Server& server, Client& client, const irc::Message& msg) {
  base::AdjustableClock* clock = server.adjustable_clock();
  if (clock == nullptr) {  // not reachable: the command exists only with clock_control
    client.Fail("DEBUG", "DISABLED", "Debug commands are disabled");
    return;
  }
  if (msg.param_count < 3 || !irc::CommandIs(msg.Param(0), "CLOCK") ||
      !irc::CommandIs(msg.Param(1), "ADVANCE")) {
    client.Fail("DEBUG", "UNKNOWN_SUBCOMMAND", "Use DEBUG CLOCK ADVANCE <seconds>");
    return;
  }
  std::string_view text = msg.Param(2);
  int64_t seconds = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc() || end != text.data() + text.size() || seconds < 0 ||
      seconds > kMaxAdvanceSeconds) {
    client.Fail("DEBUG", "INVALID_PARAMS",
                fmt::format("Seconds must be a whole number from 0 to {}", kMaxAdvanceSeconds));
    return;
  }
  clock->Advance(seconds * 1000);
  server.housekeeping().RunNow();
  const std::string now_ms = std::to_string(server.clock().UnixMs());
  // Dispatch always gives a command its response buffer.
  client.response()->Standard("NOTE", "DEBUG", "CLOCK_ADVANCED", {now_ms}, "Clock advanced");
}

}  // namespace

void AddDebugCommands(CommandTable& table) { table.Add("DEBUG", {HandleDebug, 1, false}); }

}  // namespace salon::core

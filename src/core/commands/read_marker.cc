// MARKREAD (draft/read-marker, docs/ircv3.md): a user's clients tell the server the time of the
// last message read in a conversation, and ask for it.
//   MARKREAD <target>                                  -> MARKREAD <target> timestamp=...|*
//   MARKREAD <target> timestamp=YYYY-MM-DDThh:mm:ss.sssZ -> the same, after storing it
// The state is core/read_markers.h; JOIN sends the channel's marker (core/commands/channels.cc).
#include <algorithm>
#include <string>

#include "core/client.h"
#include "core/command_table.h"
#include "core/read_markers.h"
#include "core/response_buffer.h"
#include "core/server.h"
#include "protocol/irc/names.h"
#include "protocol/irc/server_time.h"

namespace salon::core {
namespace {

constexpr std::string_view kCommand = "MARKREAD";
constexpr std::string_view kTimestampPrefix = "timestamp=";

void HandleMarkRead(Server& server, Client& client, const irc::Message& msg) {
  ResponseBuffer& response = *client.response();  // Dispatch always gives a command one
  std::string_view target = msg.Param(0);
  if (target.empty()) {
    response.Standard("FAIL", kCommand, "NEED_MORE_PARAMS", {}, "Missing parameters");
    return;
  }
  const auto& limits = server.config().limits;
  if (!irc::IsValidChannelName(target, limits.channel_length) &&
      !irc::IsValidNick(target, limits.nick_length)) {
    response.Standard("FAIL", kCommand, "INVALID_PARAMS", {target},
                      "The target must be a channel or a nick");
    return;
  }
  ReadMarkers& markers = server.read_markers();
  if (msg.param_count < 2) {
    response.Send(markers.Line(client, target));
    return;
  }
  std::string_view stamp = msg.Param(1);
  std::optional<int64_t> time_ms;
  if (stamp.substr(0, kTimestampPrefix.size()) == kTimestampPrefix) {
    time_ms = irc::ParseServerTime(stamp.substr(kTimestampPrefix.size()));
  }
  if (!time_ms) {
    response.Standard("FAIL", kCommand, "INVALID_PARAMS", {stamp},
                      "The timestamp must be timestamp=YYYY-MM-DDThh:mm:ss.sssZ");
    return;
  }
  // Nobody has read a message from the future: the marker stops at the server's time.
  const int64_t clamped = std::min(*time_ms, server.clock().UnixMs());
  if (std::optional<int64_t> current = markers.Get(client, target);
      current && clamped <= *current) {
    response.Send(markers.Line(client, target));  // it only moves forward: here is where it is
    return;
  }
  markers.Set(
      client, target, clamped, [&server, target = std::string(target)](Client& c, bool committed) {
        ReadMarkers& markers = server.read_markers();
        if (!committed) {
          std::string line;
          ResponseBuffer::AppendStandard(&line, server.name(), "FAIL", kCommand, "INTERNAL_ERROR",
                                         {target}, "The read timestamp could not be set");
          c.Send(line);
          return;
        }
        c.Send(markers.Line(c, target));
        markers.SendToOtherConnections(c, target);
      });
}

}  // namespace

void AddReadMarkerCommands(CommandTable& table) {
  table.Add("MARKREAD", {HandleMarkRead, 0, false});
}

}  // namespace salon::core

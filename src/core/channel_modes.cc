// Channel mode parsing: see channel_modes.h.
#include "core/channel_modes.h"

#include <algorithm>
#include <charconv>

#include "core/channel.h"
#include "core/commands/command_util.h"

namespace salon::core {

char ChannelModeClass(char mode) {
  switch (mode) {
    case 'b':
    case 'e':
    case 'I':
      return 'A';
    case 'k':
      return 'B';
    case 'l':
    case 'N':
    case 'W':
      return 'C';
    case 'A':
    case 'C':
    case 'M':
    case 'R':
    case 'i':
    case 'm':
    case 'n':
    case 's':
    case 't':
      return 'D';
    case 'o':
    case 'v':
      return 'P';
    default:
      return 0;
  }
}

uint32_t ChannelFlagBit(char mode) {
  switch (mode) {
    case 'A':
      return kChanAdultsOnly;
    case 'C':
      return kChanNoCtcp;
    case 'M':
      return kChanRegisteredSpeak;
    case 'R':
      return kChanRegisteredOnly;
    case 'i':
      return kChanInviteOnly;
    case 'm':
      return kChanModerated;
    case 'n':
      return kChanNoExternal;
    case 's':
      return kChanSecret;
    case 't':
      return kChanTopicLock;
    default:
      return 0;
  }
}

ParsedModes ParseChannelModes(std::string_view modes, std::span<const std::string_view> params) {
  ParsedModes out;
  bool add = true;
  std::size_t next = 0;
  for (char c : modes) {
    if (c == '+' || c == '-') {
      add = c == '+';
      continue;
    }
    char cls = ChannelModeClass(c);
    if (cls == 0) {
      out.unknown += c;
      continue;
    }
    ModeChange change;
    change.add = add;
    change.mode = c;
    bool takes_param = cls == 'A' || cls == 'B' || cls == 'P' || (cls == 'C' && add);
    if (takes_param && next < params.size()) {
      change.param = std::string(params[next++]);
      change.has_param = true;
    }
    out.changes.push_back(std::move(change));
  }
  return out;
}

uint32_t ParseRoomControl(char mode, std::string_view param) {
  const uint32_t max = mode == 'W' ? kSlowSecondsMax : mode == 'N' ? kNewUserMinutesMax : 0;
  uint32_t value = 0;
  auto [ptr, ec] = std::from_chars(param.data(), param.data() + param.size(), value);
  if (ec != std::errc() || ptr != param.data() + param.size() || value > max) return 0;
  return value;
}

bool IsValidChannelKey(std::string_view key) {
  if (key.empty() || key.size() > 23) return false;
  return std::none_of(key.begin(), key.end(), [](char c) {
    return c == ' ' || c == ',' || c == ':' || static_cast<unsigned char>(c) < 0x21;
  });
}

bool ApplyModeString(Channel& channel, std::string_view mode_string) {
  std::vector<std::string_view> words = SplitWords(mode_string);
  if (words.empty()) return true;
  ParsedModes parsed =
      ParseChannelModes(words[0], std::span<const std::string_view>(words).subspan(1));
  if (!parsed.unknown.empty()) return false;
  for (const auto& change : parsed.changes) {
    switch (change.mode) {
      case 'A':
      case 'C':
      case 'M':
      case 'R':
      case 'i':
      case 'm':
      case 'n':
      case 's':
      case 't': {
        uint32_t bit = ChannelFlagBit(change.mode);
        if (change.add)
          channel.modes |= bit;
        else
          channel.modes &= ~bit;
        break;
      }
      case 'k':
        if (change.add && !change.has_param) return false;
        channel.key = change.add ? change.param : std::string();
        break;
      case 'l': {
        if (!change.add) {
          channel.limit = 0;
          break;
        }
        uint32_t value = 0;
        auto [ptr, ec] =
            std::from_chars(change.param.data(), change.param.data() + change.param.size(), value);
        if (ec != std::errc() || ptr != change.param.data() + change.param.size()) return false;
        channel.limit = value;
        break;
      }
      case 'N':
      case 'W': {
        uint32_t value = 0;
        if (change.add) {
          value = ParseRoomControl(change.mode, change.param);
          if (value == 0) return false;
        }
        (change.mode == 'W' ? channel.slow_seconds : channel.new_user_minutes) = value;
        break;
      }
      default:
        return false;  // lists and prefixes do not belong in a stored mode string
    }
  }
  return true;
}

}  // namespace salon::core

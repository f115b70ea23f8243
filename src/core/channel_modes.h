// Channel mode strings: splitting "+ov-k nick1 nick2 key" into individual changes according to
// the CHANMODES classes advertised in ISUPPORT (beI,k,NWl,ACMRimnst) and PREFIX (ov). Pure
// functions, no privileges: the MODE handler checks rights, this only parses.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace salon::core {

class Channel;

struct ModeChange {
  bool add = true;
  char mode = 0;
  std::string param;  // empty for flags, and for list modes without a mask (a list query)
  bool has_param = false;
};

struct ParsedModes {
  std::vector<ModeChange> changes;
  std::string unknown;  // mode characters the server does not know, in order
};

// Class of a channel mode character: 'A' list, 'B' always-param (key), 'C' param-on-set
// (limit l, "new here" N, slow mode W), 'D' flag, 'P' prefix (o, v), 0 unknown.
char ChannelModeClass(char mode);

// Parses modes and consumes params as each class requires. A change that needs a param but
// has none left is kept with has_param=false (the handler answers 461 or lists the list).
ParsedModes ParseChannelModes(std::string_view modes, std::span<const std::string_view> params);

// The flag modes (class 'D'), in the order ISUPPORT and mode strings list them.
inline constexpr std::string_view kChannelFlagModes = "ACMRimnst";

// The Channel::modes bit of a flag mode (class 'D': A C M R i m n s t), 0 for any other
// character.
uint32_t ChannelFlagBit(char mode);

// A key (+k) that can be given back in JOIN: 1 to 23 bytes, no space, comma, colon or control.
bool IsValidChannelKey(std::string_view key);

// The room controls' parameters (moderation/room_policy.h): +W <seconds> (slow mode) and
// +N <minutes> ("new here"). The value of a valid parameter, or 0 for one that is not a whole
// number within the range (kSlowSecondsMax, kNewUserMinutesMax).
inline constexpr uint32_t kSlowSecondsMax = 86400;     // a day
inline constexpr uint32_t kNewUserMinutesMax = 10080;  // a week
uint32_t ParseRoomControl(char mode, std::string_view param);

// Applies a stored or configured mode string ("+ntkl key 50") without privilege checks.
// Flags, key, limit and the room controls (N, W) only; returns false if the string is
// malformed.
bool ApplyModeString(Channel& channel, std::string_view mode_string);

}  // namespace salon::core

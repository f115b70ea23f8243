// libFuzzer target for channel mode strings: ParseChannelModes on arbitrary mode and parameter
// text, and ApplyModeString (the stored/configured form) on arbitrary input. Neither may crash,
// and a parsed change never claims a parameter it did not consume.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/channel.h"
#include "core/channel_modes.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t space = input.find(' ');
  std::string_view modes = input.substr(0, space);
  std::vector<std::string_view> params;
  if (space != std::string_view::npos) {
    std::string_view rest = input.substr(space + 1);
    while (!rest.empty()) {
      std::size_t sp = rest.find(' ');
      params.push_back(rest.substr(0, sp));
      if (sp == std::string_view::npos) break;
      rest.remove_prefix(sp + 1);
    }
  }
  salon::core::ParsedModes parsed = salon::core::ParseChannelModes(modes, params);
  std::size_t used = 0;
  for (const auto& change : parsed.changes) used += change.has_param ? 1 : 0;
  if (used > params.size()) std::abort();

  salon::core::Channel channel("#fuzz", "#fuzz", 0);
  if (salon::core::ApplyModeString(channel, input)) {
    // What was applied must read back as a mode string that applies again.
    salon::core::Channel again("#fuzz", "#fuzz", 0);
    if (!salon::core::ApplyModeString(again, channel.ModeString(true))) std::abort();
  }
  return 0;
}

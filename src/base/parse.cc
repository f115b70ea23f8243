// Parsers: see parse.h.
#include "base/parse.h"

#include <charconv>

namespace salon::base {

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<int64_t> ParseInteger(std::string_view text, int64_t min, int64_t max) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < min ||
      value > max) {
    return std::nullopt;
  }
  return value;
}

bool QueryParam(std::string_view query, std::string_view name, std::string* value) {
  std::size_t pos = 0;
  while (pos <= query.size()) {
    std::size_t amp = query.find('&', pos);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view item = query.substr(pos, amp - pos);
    std::size_t eq = item.find('=');
    if (item.substr(0, eq) == name) {
      std::string_view raw = eq == std::string_view::npos ? "" : item.substr(eq + 1);
      value->clear();
      for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '+') {
          value->push_back(' ');
        } else if (raw[i] == '%' && i + 2 < raw.size() && HexValue(raw[i + 1]) >= 0 &&
                   HexValue(raw[i + 2]) >= 0) {
          value->push_back(static_cast<char>(HexValue(raw[i + 1]) * 16 + HexValue(raw[i + 2])));
          i += 2;
        } else {
          value->push_back(raw[i]);
        }
      }
      return true;
    }
    pos = amp + 1;
  }
  return false;
}

}  // namespace salon::base

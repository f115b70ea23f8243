// Moderator durations: see duration.h.
#include "moderation/duration.h"

namespace salon::moderation {

namespace {
constexpr int64_t kMaxSeconds = int64_t{10} * 366 * 86400;

int64_t UnitSeconds(char unit) {
  switch (unit) {
    case 's':
      return 1;
    case 'm':
      return 60;
    case 'h':
      return 3600;
    case 'd':
      return 86400;
    case 'w':
      return 7 * 86400;
    default:
      return 0;
  }
}
}  // namespace

std::optional<int64_t> ParseDuration(std::string_view text) {
  if (text == "0" || text == "perm" || text == "permanent") return 0;
  if (text.empty()) return std::nullopt;
  int64_t total = 0;
  int64_t number = 0;
  bool have_digits = false;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      number = number * 10 + (c - '0');
      if (number > kMaxSeconds) return std::nullopt;
      have_digits = true;
      continue;
    }
    int64_t unit = UnitSeconds(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    if (unit == 0 || !have_digits) return std::nullopt;
    total += number * unit;
    if (total > kMaxSeconds) return std::nullopt;
    number = 0;
    have_digits = false;
  }
  if (have_digits) return std::nullopt;  // "10": a unit is required, "0" is handled above
  if (total == 0) return std::nullopt;   // "0s": say 0 or perm for no expiry
  return total;
}

std::string FormatDuration(int64_t seconds) {
  if (seconds <= 0) return "permanent";
  static constexpr struct {
    int64_t seconds;
    char unit;
  } kUnits[] = {{7 * 86400, 'w'}, {86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}};
  std::string out;
  for (const auto& u : kUnits) {
    if (seconds >= u.seconds) {
      out += std::to_string(seconds / u.seconds);
      out += u.unit;
      seconds %= u.seconds;
    }
  }
  return out;
}

}  // namespace salon::moderation

// ParseServerTime: see server_time.h. Hand-written because the format is fixed and tiny, and
// std::get_time/strptime depend on the locale and accept more than the format allows.
#include "protocol/irc/server_time.h"

#include <array>

namespace salon::irc {
namespace {

// The value of text[pos..pos+len) as decimal digits, or -1 if any is not a digit.
int Digits(std::string_view text, std::size_t pos, std::size_t len) {
  int value = 0;
  for (std::size_t i = pos; i < pos + len; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool IsLeap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

// Leap years in [1, year].
int64_t LeapYearsThrough(int64_t year) { return year / 4 - year / 100 + year / 400; }

// Days from 1970-01-01 to year-month-day (proleptic Gregorian). REQUIRES: year >= 1970.
int64_t DaysSinceEpoch(int year, int month, int day) {
  static constexpr std::array<int, 12> kCumulative = {0,   31,  59,  90,  120, 151,
                                                      181, 212, 243, 273, 304, 334};
  int64_t days = int64_t{365} * (year - 1970) + LeapYearsThrough(year - 1) - LeapYearsThrough(1969);
  days += kCumulative[static_cast<std::size_t>(month - 1)];
  if (month > 2 && IsLeap(year)) ++days;
  return days + day - 1;
}

}  // namespace

std::optional<int64_t> ParseServerTime(std::string_view text) {
  // 0123456789012345678901234
  // YYYY-MM-DDThh:mm:ss.sssZ
  if (text.size() != 24 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text[19] != '.' || text[23] != 'Z') {
    return std::nullopt;
  }
  const int year = Digits(text, 0, 4), month = Digits(text, 5, 2), day = Digits(text, 8, 2);
  const int hour = Digits(text, 11, 2), minute = Digits(text, 14, 2);
  const int second = Digits(text, 17, 2), millis = Digits(text, 20, 3);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 ||
      minute > 59 || second < 0 || second > 59 || millis < 0) {
    return std::nullopt;
  }
  static constexpr std::array<int, 12> kMonthDays = {31, 28, 31, 30, 31, 30,
                                                     31, 31, 30, 31, 30, 31};
  int month_days = kMonthDays[static_cast<std::size_t>(month - 1)];
  if (month == 2 && IsLeap(year)) month_days = 29;
  if (day > month_days) return std::nullopt;
  const int64_t seconds =
      DaysSinceEpoch(year, month, day) * 86400 + int64_t{hour} * 3600 + minute * 60 + second;
  return seconds * 1000 + millis;
}

}  // namespace salon::irc

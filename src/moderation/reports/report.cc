// Report categories and references: see report.h.
#include "moderation/reports/report.h"

#include <fmt/format.h>

#include <array>
#include <random>

namespace salon::moderation::reports {
namespace {

constexpr std::array<std::string_view, 9> kCategories = {
    "child_abuse", "grooming",      "non_consensual", "threat", "hate",
    "harassment",  "illegal_goods", "spam",           "other",
};

}  // namespace

std::span<const std::string_view> Categories() { return kCategories; }

std::string CategoryList() {
  std::string out;
  for (std::string_view c : kCategories) {
    if (!out.empty()) out += ',';
    out += c;
  }
  return out;
}

std::optional<std::string_view> ParseCategory(std::string_view text) {
  for (std::string_view c : kCategories) {
    if (c == text) return c;
  }
  return std::nullopt;
}

int PriorityOf(std::string_view category) {
  if (category == "child_abuse" || category == "grooming" || category == "non_consensual") {
    return 0;
  }
  return category == "threat" ? 1 : 2;
}

std::string NewReportRef() {
  static std::mt19937_64 random{std::random_device{}()};
  return fmt::format("R-{:010x}", random() & 0xffffffffffULL);
}

bool IsReportRef(std::string_view text) {
  if (text.size() != 12 || text.substr(0, 2) != "R-") return false;
  for (char c : text.substr(2)) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace salon::moderation::reports

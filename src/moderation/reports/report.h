// Reports (docs/report-protocol.md): the categories a REPORT may name, their priority in the
// moderators' queue, and the reference a report is known by. Pure functions, any thread.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace salon::moderation::reports {

// Every category, in the order the queue serves them (and docs/report-protocol.md lists them).
std::span<const std::string_view> Categories();
// "child_abuse,grooming,..." (the ISUPPORT token's value, FAIL INVALID_CATEGORY's text).
std::string CategoryList();
// The category as given (exact, lower case), or nullopt when it is not one.
std::optional<std::string_view> ParseCategory(std::string_view text);
// 0: child safety (child_abuse, grooming, non_consensual), 1: threat, 2: the rest.
// REQUIRES: a category of Categories().
int PriorityOf(std::string_view category);
// A fresh reference: "R-" and ten hex digits, random (it tells nothing of how many reports
// there are); the store refuses a duplicate and the caller draws again.
std::string NewReportRef();
// True for a reference of NewReportRef's form.
bool IsReportRef(std::string_view text);

}  // namespace salon::moderation::reports

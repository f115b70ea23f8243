// Transparency metrics: see transparency_metrics.h.
#include "moderation/reports/transparency_metrics.h"

#include <fmt/format.h>

#include <iterator>
#include <string_view>

namespace salon::moderation::reports {
namespace {

// One labelled gauge family. The keys come from the store (categories, sources, outcomes and
// action kinds the server itself writes), so they need no label escaping beyond what they are.
void Family(std::string* out, std::string_view name, std::string_view help, std::string_view label,
            const storage::TransparencyFigures::Counts& counts) {
  fmt::format_to(std::back_inserter(*out), "# HELP {} {}\n# TYPE {} gauge\n", name, help, name);
  for (const auto& [key, n] : counts) {
    fmt::format_to(std::back_inserter(*out), "{}{{{}=\"{}\"}} {}\n", name, label, key, n);
  }
}

}  // namespace

std::string TransparencyMetrics(const storage::TransparencyFigures& f) {
  std::string out;
  Family(&out, "salon_notices", "Notices and reports kept, by category.", "category",
         f.notices_by_category);
  Family(&out, "salon_notices_by_source",
         "Notices and reports kept, by source (user, form, trusted).", "source",
         f.notices_by_source);
  Family(&out, "salon_report_decisions", "Reports closed, by outcome.", "outcome",
         f.decisions_by_outcome);
  Family(&out, "salon_moderation_actions", "Moderation actions in the audit log, by type.", "type",
         f.actions_by_type);
  if (f.median_ms_to_decision >= 0) {
    fmt::format_to(std::back_inserter(out),
                   "# HELP salon_report_decision_median_seconds Median time from a notice to "
                   "its decision.\n# TYPE salon_report_decision_median_seconds gauge\n"
                   "salon_report_decision_median_seconds {:.3f}\n",
                   static_cast<double>(f.median_ms_to_decision) / 1000.0);
  }
  return out;
}

}  // namespace salon::moderation::reports

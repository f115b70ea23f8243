// Report JSON: see report_json.h.
#include "web_api/report_json.h"

#include <boost/json/array.hpp>

namespace salon::web_api {

boost::json::object ReportSummaryJson(const storage::StoredReport& r) {
  return {{"ref", r.ref},
          {"created_ms", r.created_ms},
          {"category", r.category},
          {"priority", r.priority},
          {"status", r.status},
          {"source", r.source},
          {"reporter", r.reporter},
          {"target_kind", r.target_kind},
          {"target", r.target},
          {"target_account", r.target_account},
          {"msgid", r.msgid},
          {"text", r.text},
          {"assigned_to", r.assigned_to},
          {"outcome", r.outcome},
          {"decided_by", r.decided_by},
          {"decided_ms", r.decided_ms}};
}

boost::json::object ReportJson(const storage::StoredReport& r, bool administrator) {
  boost::json::object out = ReportSummaryJson(r);
  out["reporter_account"] = r.reporter_account;
  out["reporter_nick"] = r.reporter_nick;
  out["reporter_host"] = r.reporter_host;
  out["target_nick"] = r.target_nick;
  out["outcome_note"] = r.outcome_note;
  out["has_contact"] = !r.reporter_contact.empty();
  if (administrator) {
    out["reporter_contact"] = r.reporter_contact;
    out["reporter_ip"] = r.reporter_ip;
    out["target_ip"] = r.target_ip;
  }
  boost::json::array evidence;
  for (const storage::ReportEvidence& e : r.evidence) {
    evidence.push_back(boost::json::object{{"seq", e.seq},
                                           {"kind", e.kind},
                                           {"place", e.place},
                                           {"time_ms", e.time_ms},
                                           {"msgid", e.msgid},
                                           {"source", e.source},
                                           {"account", e.account},
                                           {"command", e.command},
                                           {"text", e.text}});
  }
  out["evidence"] = std::move(evidence);
  return out;
}

}  // namespace salon::web_api

// The JSON forms of stored reports for the web API (docs/web-api.md, "Reports"): the queue's
// rows and one report with its evidence. The IP addresses of reporter and target go to server
// administrators only (docs/privacy.md); moderators see the cloaked host.
#pragma once

#include <boost/json/object.hpp>

#include "storage/store.h"

namespace salon::web_api {

// A row of the queue: no evidence, no addresses.
boost::json::object ReportSummaryJson(const storage::StoredReport& report);
// The whole report with its evidence; reporter_ip and target_ip only when `administrator`.
boost::json::object ReportJson(const storage::StoredReport& report, bool administrator);

}  // namespace salon::web_api

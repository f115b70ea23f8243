// The transparency figures (storage::TransparencyFigures, DSA Art. 15/24) in the Prometheus text
// format, for GET /metrics beside the server's own gauges. They are gauges, not counters: they
// count what is kept, so a purge of old reports ([reports] keep_days) lowers them.
#pragma once

#include <string>

#include "storage/store.h"

namespace salon::moderation::reports {

std::string TransparencyMetrics(const storage::TransparencyFigures& figures);

}  // namespace salon::moderation::reports

// Report — what a worker sends its parent: named counters and latency histograms, one line of
// text ("report key=value ... lat=<histogram> ...") so that workers and parent share no memory.
#pragma once

#include <map>
#include <string>

#include "histogram.h"

namespace salon::bench {

struct Report {
  std::map<std::string, double> counters;
  Histogram latency;  // message delivery latency (measured window)
  Histogram reg;      // connect -> 001
  Histogram cycle;    // churn: connect -> register -> join -> quit -> close; login: connect -> 001
  Histogram login;    // login: connect -> 903 (SASL success)

  double Get(const std::string& key) const;
  void Add(const std::string& key, double v) { counters[key] += v; }
  // Merge: counters are summed except keys starting with "min_" / "max_".
  void Merge(const Report& other);
  std::string Serialize(const std::string& tag) const;
  // Parses a line produced by Serialize(); returns the tag or "" on error.
  std::string Parse(const std::string& line);
};

}  // namespace salon::bench

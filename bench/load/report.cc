#include "report.h"

#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace salon::bench {

double Report::Get(const std::string& key) const {
  auto it = counters.find(key);
  return it == counters.end() ? 0 : it->second;
}

void Report::Merge(const Report& other) {
  for (const auto& [k, v] : other.counters) {
    auto it = counters.find(k);
    if (it == counters.end()) {
      counters[k] = v;
    } else if (k.rfind("min_", 0) == 0) {
      if (v < it->second) it->second = v;
    } else if (k.rfind("max_", 0) == 0) {
      if (v > it->second) it->second = v;
    } else {
      it->second += v;
    }
  }
  latency.Merge(other.latency);
  reg.Merge(other.reg);
  cycle.Merge(other.cycle);
  login.Merge(other.login);
}

std::string Report::Serialize(const std::string& tag) const {
  std::string out = tag;
  char buf[64];
  for (const auto& [k, v] : counters) {
    std::snprintf(buf, sizeof(buf), "%.17g", v);
    out += ' ' + k + '=' + buf;
  }
  out += " @lat=" + latency.Serialize();
  out += " @reg=" + reg.Serialize();
  out += " @cycle=" + cycle.Serialize();
  out += " @login=" + login.Serialize();
  out += '\n';
  return out;
}

std::string Report::Parse(const std::string& line) {
  std::istringstream in(line);
  std::string tag, token;
  in >> tag;
  while (in >> token) {
    size_t eq = token.find('=');
    if (eq == std::string::npos) return "";
    std::string key = token.substr(0, eq), value = token.substr(eq + 1);
    if (key == "@lat") {
      if (!latency.Parse(value)) return "";
    } else if (key == "@reg") {
      if (!reg.Parse(value)) return "";
    } else if (key == "@cycle") {
      if (!cycle.Parse(value)) return "";
    } else if (key == "@login") {
      if (!login.Parse(value)) return "";
    } else {
      counters[key] = std::strtod(value.c_str(), nullptr);
    }
  }
  return tag;
}

}  // namespace salon::bench

// CommandTable: see command_table.h.
#include "core/command_table.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace salon::core {

void CommandTable::Add(std::string_view upper_name, CommandSpec spec) {
  commands_[std::string(upper_name)] = std::move(spec);
}

const CommandSpec* CommandTable::Find(std::string_view name) const {
  if (name.size() > 16) return nullptr;
  char upper[16];
  for (std::size_t i = 0; i < name.size(); ++i) {
    upper[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[i])));
  }
  auto it = commands_.find(std::string(upper, name.size()));
  return it == commands_.end() ? nullptr : &it->second;
}

std::vector<std::string> CommandTable::Names() const {
  std::vector<std::string> names;
  names.reserve(commands_.size());
  for (const auto& [name, spec] : commands_) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace salon::core

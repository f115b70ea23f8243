// MonitorRegistry: see monitor_registry.h.
#include "core/monitor_registry.h"

#include <algorithm>

#include "core/client.h"
#include "protocol/irc/casemap.h"
#include "protocol/irc/numerics.h"

namespace salon::core {

const std::vector<Client*>* MonitorRegistry::Watchers(std::string_view folded_nick) const {
  auto it = watchers_.find(std::string(folded_nick));
  return it == watchers_.end() ? nullptr : &it->second;
}

void MonitorRegistry::Add(Client& client, const std::string& folded_nick) {
  auto& watchers = watchers_[folded_nick];
  if (std::find(watchers.begin(), watchers.end(), &client) == watchers.end()) {
    watchers.push_back(&client);
  }
}

void MonitorRegistry::Remove(Client& client, const std::string& folded_nick) {
  auto it = watchers_.find(folded_nick);
  if (it == watchers_.end()) return;
  auto& watchers = it->second;
  watchers.erase(std::remove(watchers.begin(), watchers.end(), &client), watchers.end());
  if (watchers.empty()) watchers_.erase(it);
}

void MonitorRegistry::Notify(std::string_view nick, bool online, const Client* client) const {
  const auto* watchers = Watchers(irc::Fold(nick));
  if (watchers == nullptr) return;
  for (Client* watcher : *watchers) {
    if (online) {
      watcher->Numeric(irc::numeric::kMonOnline, {client->Prefix()});
    } else {
      watcher->Numeric(irc::numeric::kMonOffline, {nick});
    }
  }
}

}  // namespace salon::core

// MonitorRegistry: who MONITORs which nick (folded nick -> watching clients), and the 730/731
// notifications when a watched nick comes or goes. Each Client also lists what it monitors
// (Client::monitoring) so that it can be removed from here when it quits.
// Does not own the clients. Thread: the event-loop thread only.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace salon::core {

class Client;

class MonitorRegistry {
 public:
  // Watchers of a folded nick, or nullptr when nobody watches it.
  const std::vector<Client*>* Watchers(std::string_view folded_nick) const;
  void Add(Client& client, const std::string& folded_nick);
  void Remove(Client& client, const std::string& folded_nick);
  // 730 (online, with client's prefix) or 731 (offline) to every watcher of `nick`.
  // REQUIRES: client != nullptr when online.
  void Notify(std::string_view nick, bool online, const Client* client) const;

 private:
  std::unordered_map<std::string, std::vector<Client*>> watchers_;
};

}  // namespace salon::core

// ServiceRegistry: the built-in services by nick and by command alias. Owned by the Server;
// services are added at start-up (src/app/main.cc wires src/services/) and live as long as it.
// Thread: the event-loop thread only.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/service.h"

namespace salon::core {

class ServiceRegistry {
 public:
  // REQUIRES: no service with the same nick or alias yet.
  void Add(std::unique_ptr<Service> service);
  // By nick, case-insensitively (rfc1459 casemapping); nullptr when none.
  Service* Find(std::string_view nick) const;
  // By command alias ("NS"), case-insensitively; nullptr when none.
  Service* FindByAlias(std::string_view command) const;
  const std::vector<std::unique_ptr<Service>>& all() const { return services_; }
  // The join hook: tells every service, in the order they were added (core/commands/channels.cc
  // calls it once per successful join).
  void OnJoin(Server& server, Client& client, Channel& channel) const;
  // The login hook: tells every service that `client` just logged in (the accounts code calls
  // it once per successful login).
  void OnLogin(Server& server, Client& client) const;
  // The account-deletion hook: tells every service (core/account_manage.cc calls it when it
  // queues the deletion).
  void OnAccountDeleted(Server& server, const std::string& account) const;

 private:
  std::vector<std::unique_ptr<Service>> services_;
  std::unordered_map<std::string, Service*> by_nick_;   // folded nick
  std::unordered_map<std::string, Service*> by_alias_;  // upper-case alias
};

}  // namespace salon::core

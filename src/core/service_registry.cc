// ServiceRegistry: see service_registry.h.
#include "core/service_registry.h"

#include <algorithm>
#include <cctype>

#include "protocol/irc/casemap.h"

namespace salon::core {
namespace {
std::string Upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}
}  // namespace

void ServiceRegistry::Add(std::unique_ptr<Service> service) {
  Service* raw = service.get();
  by_nick_[irc::Fold(raw->nick())] = raw;
  for (const auto& alias : raw->aliases()) by_alias_[Upper(alias)] = raw;
  services_.push_back(std::move(service));
}

Service* ServiceRegistry::Find(std::string_view nick) const {
  if (services_.empty()) return nullptr;
  auto it = by_nick_.find(irc::Fold(nick));
  return it == by_nick_.end() ? nullptr : it->second;
}

void ServiceRegistry::OnJoin(Server& server, Client& client, Channel& channel) const {
  for (const auto& service : services_) service->OnJoin(server, client, channel);
}

void ServiceRegistry::OnLogin(Server& server, Client& client) const {
  for (const auto& service : services_) service->OnLogin(server, client);
}

void ServiceRegistry::OnAccountDeleted(Server& server, const std::string& account) const {
  for (const auto& service : services_) service->OnAccountDeleted(server, account);
}

Service* ServiceRegistry::FindByAlias(std::string_view command) const {
  if (services_.empty()) return nullptr;
  auto it = by_alias_.find(Upper(command));
  return it == by_alias_.end() ? nullptr : it->second;
}

}  // namespace salon::core

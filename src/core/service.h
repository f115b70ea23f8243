// Service: a built-in pseudo-user (NickServ, ChanServ) that users talk to with
// `PRIVMSG <service> :<command>` or a command alias (`NS`, `NICKSERV`...), and that answers
// with NOTICEs from `<nick>!<nick>@services.`. Services live in src/services/ (they build on
// the chat core); the core only routes text to them through the ServiceRegistry, so it does
// not depend on any of them. A service's nick is reserved: no user can take it.
//
// Thread: the event-loop thread only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace salon::core {

class Channel;
class Client;
class Server;

class Service {
 public:
  virtual ~Service() = default;
  // The nick users address, e.g. "NickServ".
  virtual std::string_view nick() const = 0;
  // Command aliases that send their parameters to this service, upper-case ("NS", "NICKSERV").
  virtual std::vector<std::string> aliases() const = 0;
  // One line of text from a registered client (PRIVMSG to the service, or an alias).
  virtual void OnMessage(Server& server, Client& from, std::string_view text) = 0;
  // After `client` joined `channel` (the JOIN, topic and NAMES are sent): a service may act on
  // it (ChanServ gives the access list's modes). Default: nothing.
  virtual void OnJoin(Server& server, Client& client, Channel& channel);
  // After `client` logged in (client.account() is set), in whatever channels it is already on.
  // Default: nothing.
  virtual void OnLogin(Server& server, Client& client);
  // Right after the deletion of `account` was queued to the store (ACCOUNT DELETE, NickServ
  // DROP), in the same event: a service drops what it keeps in memory about the account
  // (ChanServ: access entries, founded rooms) before anything else can save it back.
  // Default: nothing.
  virtual void OnAccountDeleted(Server& server, const std::string& account);

  // Sends ":<nick>!<nick>@services. NOTICE <to> :<text>" to `to` (goes through the command's
  // response buffer when one is attached).
  void Reply(Client& to, std::string_view text) const;
};

}  // namespace salon::core

// Service: see service.h.
#include "core/service.h"

#include "core/client.h"
#include "protocol/irc/line_builder.h"

namespace salon::core {

void Service::OnJoin(Server&, Client&, Channel&) {}

void Service::OnLogin(Server&, Client&) {}

void Service::OnAccountDeleted(Server&, const std::string&) {}

void Service::Reply(Client& to, std::string_view text) const {
  std::string source(nick());
  source += '!';
  source += nick();
  source += "@services.";
  std::string line;
  irc::LineBuilder(&line)
      .Begin({}, source, "NOTICE")
      .Param(to.registered() ? std::string_view(to.nick) : std::string_view("*"))
      .Trailing(text)
      .End();
  to.Send(line);
}

}  // namespace salon::core

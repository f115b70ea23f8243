// NickServ: the account service users talk to with `PRIVMSG NickServ :<command>` (or `/NS`,
// `/NICKSERV`), answering with NOTICEs (docs/account-protocol.md, "NickServ"). It is a thin
// front for core::AccountService: the work (hashing, limits, login) is there.
//
// Commands are a table (name -> handler, help line) filled by the constructor; each group of
// commands lives in its own file and adds itself there (see nickserv.cc).
// Owned by the Server's ServiceRegistry. Thread: the event-loop thread only.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/service.h"

namespace salon::services {

class NickServ final : public core::Service {
 public:
  // The words after the command name (split on spaces, empty ones dropped).
  using Args = std::vector<std::string_view>;
  using Handler = std::function<void(NickServ& self, core::Server& server, core::Client& from,
                                     const Args& args)>;

  NickServ();

  std::string_view nick() const override { return "NickServ"; }
  std::vector<std::string> aliases() const override { return {"NS", "NICKSERV"}; }
  void OnMessage(core::Server& server, core::Client& from, std::string_view text) override;

  // `name` upper-case; `help` is the line HELP shows, e.g. "IDENTIFY [<account>] <password>".
  void AddCommand(std::string name, std::string help, Handler handler);

 private:
  struct Command {
    std::string name;
    std::string help;
    Handler handler;
  };
  void Help(core::Client& from) const;

  std::vector<Command> commands_;  // in HELP order
};

// Command groups (one file each).
void AddNickServAccountCommands(NickServ& nickserv);  // REGISTER IDENTIFY (nickserv.cc)
// GHOST RECOVER DROP SET INFO (nickserv_manage.cc)
void AddNickServManagementCommands(NickServ& nickserv);
// SET HISTORY ON|OFF, from SET (nickserv_history.cc).
void SetHistory(NickServ& self, core::Server& server, core::Client& from,
                const NickServ::Args& args);

}  // namespace salon::services

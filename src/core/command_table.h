// CommandTable: IRC command name -> handler, with the checks every command shares (registered
// or not, minimum parameter count). Handlers live in core/commands/, one file per group.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "protocol/irc/message.h"

namespace salon::core {

class Client;
class Server;

// A function, or a lambda bound to the part that owns the command (moderation/ registers its
// commands with the objects they act on, through Server::AddCommand).
using CommandHandler = std::function<void(Server& server, Client& client, const irc::Message& msg)>;

struct CommandSpec {
  CommandHandler handler = nullptr;
  std::size_t min_params = 0;
  bool before_registration = false;  // allowed before 001 (PASS, NICK, USER, CAP, PING...)
};

class CommandTable {
 public:
  void Add(std::string_view upper_name, CommandSpec spec);
  // nullptr when unknown. name is matched case-insensitively.
  const CommandSpec* Find(std::string_view name) const;
  // Every command name (upper case), sorted.
  std::vector<std::string> Names() const;

 private:
  std::unordered_map<std::string, CommandSpec> commands_;
};

// One registration function per command group (core/commands/*.cc).
void AddRegistrationCommands(CommandTable& table);  // PASS NICK USER CAP PING PONG QUIT
void AddMessagingCommands(CommandTable& table);     // PRIVMSG NOTICE TAGMSG AWAY
void AddChannelCommands(CommandTable& table);       // JOIN PART TOPIC NAMES LIST KICK
void AddInviteCommands(CommandTable& table);        // INVITE KNOCK
void AddModeCommands(CommandTable& table);          // MODE
void AddQueryCommands(CommandTable& table);         // WHO WHOIS WHOWAS ISON USERHOST
// INFO VERSION TIME ADMIN LINKS USERS LUSERS MOTD HELP HELPOP
void AddServerInfoCommands(CommandTable& table);
void AddMonitorCommands(CommandTable& table);            // MONITOR
void AddOperCommands(CommandTable& table);               // OPER KILL WALLOPS
void AddProfileCommands(CommandTable& table);            // PROFILE
void AddAccountCommands(CommandTable& table);            // REGISTER VERIFY
void AddSaslCommands(CommandTable& table);               // AUTHENTICATE
void AddAccountManagementCommands(CommandTable& table);  // ACCOUNT
void AddReadMarkerCommands(CommandTable& table);         // MARKREAD
void AddIdentityCommands(CommandTable& table);           // SETNAME CHGHOST
void AddMultilineCommands(CommandTable& table);          // BATCH (draft/multiline)
void AddChathistoryCommands(CommandTable& table);        // CHATHISTORY
void AddRedactCommands(CommandTable& table);             // REDACT
void AddRoleCommands(CommandTable& table);               // ROLE
void AddDebugCommands(CommandTable& table);  // DEBUG (only with debug.clock_control, tests)

}  // namespace salon::core

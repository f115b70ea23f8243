// Account management shared by the two fronts that offer it: the ACCOUNT command
// (core/commands/account_command.cc, standard replies) and NickServ (services/nickserv_manage.cc,
// NOTICEs). Each operation does the checks and the work on top of the AccountService and the
// store, then reports one ManageOutcome that the front turns into its own words.
//
// Ordering and lifetime: an operation holds the client's input from its start until `done` has
// returned (Client::HoldInput nests, so the AccountService's own holds inside are fine). `done`
// runs only while the client is still connected (at once for a refusal, else later on the event
// loop); work that must happen anyway (forgetting a deleted account's name, logging its other
// connections out) does not depend on it.
// Thread: the event-loop thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace salon::core {

class Client;
class Server;

enum class ManageStatus {
  kOk,
  kNotLoggedIn,   // the operation needs a logged-in connection
  kBadPassword,   // the password given is not the account's (counted as a failed login)
  kWeakPassword,  // the new password is refused: detail says why
  kRateLimited,   // too many failed logins: retry_after_s
  kUnavailable,   // the store or the worker pool failed: nothing changed
};

struct ManageOutcome {
  ManageStatus status = ManageStatus::kUnavailable;
  std::string account;  // the account concerned, as displayed
  int64_t retry_after_s = 0;
  std::string detail;  // kWeakPassword: the reason
};
// `client` is the connection that asked (still connected).
using ManageDone = std::function<void(Client& client, const ManageOutcome& outcome)>;

// Changes the password of the account `client` is logged in to. With `current`, that password
// is checked first (ACCOUNT PASSWORD); without it, being logged in is enough (NickServ SET
// PASSWORD). Both stored forms (Argon2id and the SCRAM keys) are replaced; done sees kOk only
// after the store committed. Audited ("account.password"). `mechanism` labels the audit entries.
void ChangePassword(Server& server, Client& client, std::optional<std::string_view> current,
                    std::string_view new_password, std::string_view mechanism,
                    const ManageDone& done);

// Deletes the account `client` is logged in to, once `password` is checked (ACCOUNT DELETE,
// NickServ DROP): the store's DeleteAccount (the config's rooms stay declared), the services'
// in-memory state (ChanServ) in the same event, and after the commit the name is forgotten
// (the nick is free for anyone), `done` replies, then every connection logged in to the
// account is logged out (901). Audited ("account.delete"); the audit log itself is kept.
void DeleteAccount(Server& server, Client& client, std::string_view password,
                   std::string_view mechanism, const ManageDone& done);

// Every connection logged in to `account` (any case).
std::vector<Client*> ClientsLoggedInTo(const Server& server, std::string_view account);

}  // namespace salon::core

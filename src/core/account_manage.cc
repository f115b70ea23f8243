// Account management (password change, deletion) for ACCOUNT and NickServ: see account_manage.h.
#include "core/account_manage.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "core/account_service.h"
#include "core/client.h"
#include "core/history/history.h"
#include "core/response_buffer.h"
#include "core/server.h"
#include "protocol/irc/casemap.h"
#include "storage/store.h"

namespace salon::core {
namespace {

// Ends an operation: the reply (when the client is still there), then its input hold.
void Finish(Server& server, uint64_t id, const ManageDone& done, const ManageOutcome& outcome) {
  ResumeResponse resumed(server, id);
  Client* client = resumed.client();
  if (client == nullptr) return;
  done(*client, outcome);
  client->ReleaseInput();
}

ManageOutcome Outcome(ManageStatus status, std::string account) {
  ManageOutcome outcome;
  outcome.status = status;
  outcome.account = std::move(account);
  return outcome;
}

// A failed or refused password check, as an outcome. kOk (and kUnverified: the password was
// right) return nullopt: the operation goes on.
std::optional<ManageOutcome> CheckFailed(const LoginCheck& check, const std::string& account) {
  switch (check.status) {
    case LoginStatus::kOk:
    case LoginStatus::kUnverified:
      return std::nullopt;
    case LoginStatus::kBadCredentials:
      return Outcome(ManageStatus::kBadPassword, account);
    case LoginStatus::kRateLimited: {
      ManageOutcome outcome = Outcome(ManageStatus::kRateLimited, account);
      outcome.retry_after_s = check.retry_after_s;
      return outcome;
    }
    case LoginStatus::kUnavailable:
      break;
  }
  return Outcome(ManageStatus::kUnavailable, account);
}

// Hashes `password`, stores both forms into `account` and commits it; then Finish.
void StoreNewPassword(Server& server, uint64_t id, storage::StoredAccount account,
                      std::string password, std::string mechanism, const ManageDone& done) {
  const std::string name = account.name;
  bool submitted = server.accounts().HashNewPassword(
      std::move(password),
      [&server, id, account = std::move(account), mechanism = std::move(mechanism),
       done](Result<PasswordHashes> hashes) mutable {
        if (!hashes.ok()) {
          spdlog::error("accounts: hashing the new password of {} failed: {}", account.name,
                        hashes.error());
          return Finish(server, id, done, Outcome(ManageStatus::kUnavailable, account.name));
        }
        // Only the password columns: the rest of `account` may be stale by now (an operator's
        // SETAGE can commit while the hash runs).
        server.store().UpdateAccountPassword(
            account.name, hashes->argon2id, hashes->scram_salt, hashes->scram_iterations,
            hashes->scram_stored_key, hashes->scram_server_key,
            [&server, id, name = account.name, mechanism, done](storage::WriteResult result) {
              if (!result.ok()) {
                spdlog::error("accounts: saving the new password of {} failed: {}", name,
                              result.error);
                return Finish(server, id, done, Outcome(ManageStatus::kUnavailable, name));
              }
              server.accounts().Audit(server.FindClient(id), "account.password", name, mechanism);
              Finish(server, id, done, Outcome(ManageStatus::kOk, name));
            });
      });
  if (!submitted) Finish(server, id, done, Outcome(ManageStatus::kUnavailable, name));
}

}  // namespace

std::vector<Client*> ClientsLoggedInTo(const Server& server, std::string_view account) {
  std::vector<Client*> out;
  for (const auto& [id, client] : server.clients()) {
    if (!client->account().empty() && irc::EqualsFolded(client->account(), account)) {
      out.push_back(client.get());
    }
  }
  return out;
}

void ChangePassword(Server& server, Client& client, std::optional<std::string_view> current,
                    std::string_view new_password, std::string_view mechanism,
                    const ManageDone& done) {
  const std::string account = client.account();
  if (account.empty()) return done(client, Outcome(ManageStatus::kNotLoggedIn, "*"));
  if (std::string_view problem = server.accounts().PasswordProblem(account, new_password);
      !problem.empty()) {
    ManageOutcome weak = Outcome(ManageStatus::kWeakPassword, account);
    weak.detail = std::string(problem);
    return done(client, weak);
  }
  const uint64_t id = client.id();
  client.HoldInput();
  if (current) {
    server.accounts().VerifyPassword(
        client, account, *current, mechanism,
        [&server, id, account, password = std::string(new_password),
         mechanism = std::string(mechanism), done](LoginCheck check) mutable {
          if (auto failed = CheckFailed(check, account)) return Finish(server, id, done, *failed);
          StoreNewPassword(server, id, std::move(check.account), std::move(password),
                           std::move(mechanism), done);
        });
    return;
  }
  server.store().LoadAccount(
      account, [&server, id, account, password = std::string(new_password),
                mechanism = std::string(mechanism),
                done](Result<std::optional<storage::StoredAccount>> loaded) mutable {
        if (!loaded.ok() || !loaded.value()) {
          // Read error, or the account was deleted from another connection meanwhile.
          return Finish(server, id, done, Outcome(ManageStatus::kUnavailable, account));
        }
        StoreNewPassword(server, id, std::move(**loaded), std::move(password), std::move(mechanism),
                         done);
      });
}

void DeleteAccount(Server& server, Client& client, std::string_view password,
                   std::string_view mechanism, const ManageDone& done) {
  const std::string account = client.account();
  if (account.empty()) return done(client, Outcome(ManageStatus::kNotLoggedIn, "*"));
  const uint64_t id = client.id();
  client.HoldInput();
  server.accounts().VerifyPassword(
      client, account, password, mechanism,
      [&server, id, account, mechanism = std::string(mechanism), done](const LoginCheck& check) {
        if (auto failed = CheckFailed(check, account)) return Finish(server, id, done, *failed);
        Client* requester = server.FindClient(id);
        if (requester == nullptr) return;  // gone before anything was deleted
        const std::string name = check.account.name;
        std::vector<std::string> declared;
        for (const auto& room : server.config().rooms) declared.push_back(room.name);
        server.store().DeleteAccount(
            name, std::move(declared), [&server, id, name, done](storage::WriteResult result) {
              ResumeResponse resumed(server, id);
              // kNotFound: another connection deleted it first; the clean-up ran all the same.
              if (!result.ok() && result.status != storage::WriteStatus::kNotFound) {
                spdlog::error("accounts: deleting account {} failed: {}", name, result.error);
                server.accounts().Audit(server.FindClient(id), "account.delete_failed", name);
                return Finish(server, id, done, Outcome(ManageStatus::kUnavailable, name));
              }
              server.accounts().ForgetName(name);
              server.history().ForgetAccount(name);
              spdlog::info("accounts: account {} deleted", name);
              Client* client = server.FindClient(id);
              if (client != nullptr) done(*client, Outcome(ManageStatus::kOk, name));
              for (Client* c : ClientsLoggedInTo(server, name)) server.accounts().Logout(*c);
              if (client != nullptr) client->ReleaseInput();
            });
        // In the same event as the queued deletion (services/chanserv.h, ForgetAccount): a
        // room change in between would save the registration back.
        server.services().OnAccountDeleted(server, name);
        server.accounts().Audit(requester, "account.delete", name, mechanism);
      });
}

}  // namespace salon::core

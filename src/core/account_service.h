// AccountService: the server side of accounts (docs/account-protocol.md) that every account
// command builds on — REGISTER/VERIFY, SASL, NickServ, ACCOUNT, ChanServ. It keeps the set of
// registered names (nick protection), runs password hashing and checking on its WorkerPool,
// counts failed logins per account and per IP address, logs in connections, and renames guests
// who keep a registered nick past the grace period.
//
// Owned by the Server (Server::accounts()). Thread: the event-loop thread only; the blocking
// work (Argon2id, PBKDF2, sendmail) runs on the pool and every completion ("done") is run back
// on the loop. Completions never hold a Client*: they get the client id and look it up
// (Server::FindClient), because the client may have quit meanwhile.
//
// Ordering: an asynchronous command holds its client's input (Client::HoldInput) until its
// completion has replied, so a client's commands are answered in the order it sent them.
// Register and VerifyPassword do that themselves; the completion releases the input after
// `done` returns.
//
// Secrets: passwords and codes are never logged nor put in the audit log.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "accounts/password.h"
#include "base/worker_pool.h"
#include "config/config.h"
#include "core/housekeeping.h"
#include "storage/store.h"

namespace salon::core {

class Client;
class Server;

// Outcome of a password check (VerifyPassword).
enum class LoginStatus {
  kOk,              // `account` holds the stored account
  kBadCredentials,  // wrong password or no such account (indistinguishable on purpose)
  kRateLimited,     // too many failures for this account or address: retry_after_s
  kUnverified,      // right password, but the e-mail address is not verified yet
  kUnavailable,     // the store could not be read or the worker queue is full: try later
};

struct LoginCheck {
  LoginStatus status = LoginStatus::kBadCredentials;
  int64_t retry_after_s = 0;       // kRateLimited
  storage::StoredAccount account;  // kOk (and kUnverified)
};
using LoginCheckDone = std::function<void(LoginCheck)>;

// Outcome of Register. The codes are REGISTER's FAIL codes (docs/account-protocol.md).
enum class RegisterStatus {
  kOk,                    // committed; the client is logged in (Login was called)
  kVerificationRequired,  // committed, a code was mailed; VERIFY logs in
  kNeedNick,
  kCompleteConnectionRequired,  // accounts.registration_before_connect = false
  kAccountNameMustBeNick,
  kAlreadyAuthenticated,
  kBadAccountName,
  kAccountExists,
  kWeakPassword,
  kInvalidEmail,
  kRateLimited,  // retry_after_s
  kUnavailable,  // not committed (store or worker failure)
};

struct RegisterOutcome {
  RegisterStatus status = RegisterStatus::kUnavailable;
  std::string account;  // the account name as registered (or as asked, on failure)
  int64_t retry_after_s = 0;
};
using RegisterDone = std::function<void(RegisterOutcome)>;

// Both stored forms of a new password (Argon2id for PLAIN/IDENTIFY, SCRAM keys for SCRAM).
struct PasswordHashes {
  std::string argon2id;
  std::string scram_salt;
  uint32_t scram_iterations = 0;
  std::string scram_stored_key;
  std::string scram_server_key;
};
using HashDone = std::function<void(Result<PasswordHashes>)>;

class AccountService {
 public:
  static constexpr std::size_t kMaxPassword = 300;

  AccountService(Server& server, storage::Store& store, const config::Config& config);
  ~AccountService();
  AccountService(const AccountService&) = delete;
  AccountService& operator=(const AccountService&) = delete;

  // Loads the registered names (blocking, start-up) and prepares the dummy hash that unknown
  // accounts are checked against.
  void Start();
  // Stops the worker pool (queued jobs are dropped: nothing was acknowledged for them).
  void Shutdown();

  // --- Registered names -------------------------------------------------------------------
  bool IsRegistered(std::string_view name) const;
  std::size_t account_count() const { return names_.size(); }
  // For ACCOUNT DELETE / NickServ DROP once the store committed the deletion.
  void ForgetName(std::string_view name);

  // --- Registration -----------------------------------------------------------------------
  // REGISTER <account> <email|*> <password> from `client`: checks, hashes on a worker, creates
  // the account (durably: done sees kOk only after the commit), then logs the client in (or
  // mails a code when accounts.email_verification is on). `email` is "*" or empty for none.
  // done runs at once for a refusal, else later on the loop (input held meanwhile).
  void Register(Client& client, std::string_view account, std::string_view email,
                std::string_view password, RegisterDone done);
  // VERIFY <account> <code>: done(true) after the account is marked verified (committed) and
  // the client logged in; done(false) for a wrong code or account.
  void Verify(Client& client, std::string_view account, std::string_view code,
              std::function<void(bool)> done);
  // "" when the password is acceptable for `account`, else why not (for WEAK_PASSWORD):
  // accounts.min_password_length to 300 bytes, not the account name.
  std::string_view PasswordProblem(std::string_view account, std::string_view password) const;
  static std::string_view PasswordProblem(std::string_view account, std::string_view password,
                                          std::size_t min_length);
  // Both hashes of a new password, computed on a worker (ACCOUNT PASSWORD, NickServ SET).
  // Returns false (done not called) when the worker queue is full.
  bool HashNewPassword(std::string password, HashDone done);

  // --- Logging in -------------------------------------------------------------------------
  // Loads `account` and checks `password` against its Argon2id hash on a worker; an unknown
  // account is checked against a dummy hash so that the time taken does not tell. Failures
  // are counted (per account and per client IP) and audited; past accounts.max_failures the
  // check is refused (kRateLimited) without touching the password. `mechanism` ("PLAIN",
  // "IDENTIFY"...) goes into the audit log. Holds the client's input until done returned.
  void VerifyPassword(Client& client, std::string_view account, std::string_view password,
                      std::string_view mechanism, LoginCheckDone done);
  // The same check for a caller that is not an IRC connection (the web API's login): `ip` and
  // `actor` ("web") go into the failure counts and the audit log. Holds no input; done runs
  // on the loop (at once when locked out).
  void CheckPassword(std::string_view account, std::string_view password, std::string_view ip,
                     std::string_view actor, std::string_view mechanism, LoginCheckDone done);
  // Seconds `ip` or `account` is still locked out for, 0 when not (SCRAM checks this first).
  int64_t LockedFor(std::string_view account, std::string_view ip) const;
  // A failed login not made through VerifyPassword (SCRAM): counts and audits it.
  void RecordFailure(const Client& client, std::string_view account, std::string_view mechanism);
  // Logs `client` in to `account`: set_account, 900, ACCOUNT to those who see the client
  // (AnnounceAccount), the account's profile applied (or the connection's kept for an account
  // without one), last-seen touched, nick protection cancelled, failure count of the account
  // reset, audited.
  void Login(Client& client, const storage::StoredAccount& account, std::string_view mechanism);
  // An account without a profile (age 0) takes the logged-in client's (PROFILE SET, login);
  // holds the client's input until that is committed.
  void AdoptConnectionProfile(Client& client);
  // Puts the account's profile on a client logged in to it (login; ACCOUNT SETAGE for the
  // connections already logged in) and announces a change (PROFILE line to the client and to
  // those sharing a channel with it that have salon.chat/profile).
  void ApplyProfile(Client& client, const storage::StoredAccount& account);
  // Logs out (ACCOUNT DELETE): 901, account cleared. The nick protection applies again.
  void Logout(Client& client);
  // account-notify: "ACCOUNT <account>|*" to those sharing a channel with the (registered)
  // client and its extended-monitor watchers. Login and Logout call it.
  void AnnounceAccount(Client& client);
  // The secret unknown SCRAM users' fake credentials are derived from.
  const std::string& scram_mock_secret() const { return scram_mock_secret_; }

  // --- Hooks from the Server --------------------------------------------------------------
  // The client now holds its nick (registration completed or NICK): a guest on a registered
  // nick gets NickServ's warning and is renamed after accounts.nick_grace_s.
  void OnNickTaken(Client& client);
  // The client is quitting: last-seen, pending state.
  void OnQuit(Client& client);

  // --- Shared parts -----------------------------------------------------------------------
  // Appends a security event (actor = the client's account, or its nick when a guest).
  void Audit(const Client* actor, std::string_view action, std::string_view target,
             std::string_view detail = {});
  // The same for an actor that is not a connection (the web API: an account and its address).
  void AuditAs(std::string_view actor, std::string_view actor_ip, std::string_view action,
               std::string_view target, std::string_view detail = {});
  // Blocking work off the loop (OPER's Argon2id check, ...). See base/worker_pool.h.
  WorkerPool& workers() { return *workers_; }
  const accounts::PasswordHashParams& hash_params() const { return hash_params_; }
  // Sends a NOTICE to `client` from NickServ (the service when one is registered).
  void NoticeFromNickServ(Client& client, std::string_view text);

 private:
  // Failed logins of one account or one address.
  struct FailureCounter {
    std::vector<int64_t> failures_ms;  // steady ms, within the window
    int64_t locked_until_ms = 0;
  };
  int64_t LockedFor(const std::unordered_map<std::string, FailureCounter>& map,
                    const std::string& key, int64_t now) const;
  // Returns true when this failure started a lockout.
  bool CountFailure(std::unordered_map<std::string, FailureCounter>& map, const std::string& key,
                    int64_t now);
  void PruneCounters(std::unordered_map<std::string, FailureCounter>& map, int64_t now);
  // Counts one failed login against the account and the address, audits it (and a lockout).
  void FinishFailure(std::string ip, std::string actor, std::string folded_account,
                     std::string account, std::string mechanism);
  int64_t RegistrationsRetryAfter(const std::string& ip, int64_t now);
  void CreateAccount(uint64_t client_id, storage::StoredAccount account, std::string code,
                     RegisterDone done);
  void MailCode(const std::string& email, const std::string& account, const std::string& code);
  void RenameGuest(uint64_t client_id, const std::string& folded_nick);

  Server& server_;
  storage::Store& store_;
  const config::Config& config_;
  accounts::PasswordHashParams hash_params_;
  std::unique_ptr<WorkerPool> workers_;
  std::unordered_set<std::string> names_;    // folded names of every account
  std::unordered_set<std::string> pending_;  // folded names being registered
  std::unordered_map<std::string, FailureCounter> account_failures_;     // by folded account
  std::unordered_map<std::string, FailureCounter> ip_failures_;          // by IP
  std::unordered_map<std::string, std::vector<int64_t>> registrations_;  // by IP, steady ms
  std::unordered_map<uint64_t, DeadlineId> grace_;  // client id -> pending rename
  std::string dummy_hash_;  // Argon2id hash of a random password, for unknown accounts
  std::string scram_mock_secret_;
};

}  // namespace salon::core

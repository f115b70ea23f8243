// AccountService: see account_service.h. Registration, password checks with brute-force
// limits, login, and nick protection.
#include "core/account_service.h"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <random>

#include "accounts/scram.h"
#include "accounts/scram_crypto.h"
#include "base/base64.h"
#include "core/capabilities.h"
#include "core/client.h"
#include "core/connection_counts.h"
#include "core/profile.h"
#include "core/read_markers.h"
#include "core/response_buffer.h"
#include "core/server.h"
#include "protocol/irc/casemap.h"
#include "protocol/irc/line_builder.h"
#include "protocol/irc/names.h"

namespace salon::core {
namespace {

constexpr int64_t kHourMs = 3600 * 1000;
// Counters are swept when a map grows past this, so an address scan cannot grow memory.
constexpr std::size_t kSweepThreshold = 4096;

int64_t CeilSeconds(int64_t ms) { return (ms + 999) / 1000; }

// A deliberately plain check: one '@', something on both sides, a dot in the domain, no
// spaces or control characters (the address goes into a mail header).
bool IsValidEmail(std::string_view email) {
  if (email.size() < 3 || email.size() > 254) return false;
  std::size_t at = email.find('@');
  if (at == 0 || at == std::string_view::npos || at + 1 >= email.size()) return false;
  if (email.find('@', at + 1) != std::string_view::npos) return false;
  if (email.substr(at + 1).find('.') == std::string_view::npos) return false;
  for (char c : email) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == ',' || c == '<' || c == '>' || c == '"') return false;
  }
  return true;
}

std::string Hex(std::string_view bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    auto u = static_cast<unsigned char>(c);
    out += kDigits[u >> 4];
    out += kDigits[u & 15];
  }
  return out;
}

std::string CodeHash(std::string_view code) { return Hex(accounts::scram::Sha256(code)); }

// An 8-digit code from the OS generator.
std::string NewVerificationCode() {
  std::string random = accounts::scram::RandomBytes(8);
  std::string code;
  for (char c : random) code += static_cast<char>('0' + static_cast<unsigned char>(c) % 10);
  return code;
}

}  // namespace

AccountService::AccountService(Server& server, storage::Store& store, const config::Config& config)
    : server_(server), store_(store), config_(config) {
  hash_params_.opslimit = config.accounts.argon2_opslimit;
  hash_params_.memlimit = static_cast<size_t>(config.accounts.argon2_memory_kib) * 1024;
  workers_ = std::make_unique<WorkerPool>(server.io(), config.accounts.worker_threads);
}

AccountService::~AccountService() = default;

void AccountService::Start() {
  for (const std::string& name : store_.LoadAccountNames()) names_.insert(irc::Fold(name));
  // Unknown accounts are checked against this hash, made with the same parameters as real
  // ones, so that "no such account" costs the same time as "wrong password".
  auto dummy = accounts::HashPassword(Base64Encode(accounts::scram::RandomBytes(16)), hash_params_);
  if (!dummy.ok())
    throw std::runtime_error("accounts: cannot make a password hash: " + dummy.error());
  dummy_hash_ = std::move(dummy.value());
  scram_mock_secret_ = accounts::scram::RandomBytes(32);
  spdlog::info("accounts: {} registered", names_.size());
}

void AccountService::Shutdown() { workers_->Shutdown(); }

bool AccountService::IsRegistered(std::string_view name) const {
  return names_.count(irc::Fold(name)) != 0;
}

void AccountService::ForgetName(std::string_view name) { names_.erase(irc::Fold(name)); }

// --- Registration --------------------------------------------------------------------------

std::string_view AccountService::PasswordProblem(std::string_view account,
                                                 std::string_view password,
                                                 std::size_t min_length) {
  if (password.size() < min_length) return "Password is too short";
  if (password.size() > kMaxPassword) return "Password is too long (at most 300 bytes)";
  if (irc::EqualsFolded(account, password)) return "Password must not be the account name";
  return {};
}

std::string_view AccountService::PasswordProblem(std::string_view account,
                                                 std::string_view password) const {
  return PasswordProblem(account, password, config_.accounts.min_password_length);
}

bool AccountService::HashNewPassword(std::string password, HashDone done) {
  accounts::PasswordHashParams params = hash_params_;
  return workers_->Submit(
      [password = std::move(password), params]() -> Result<PasswordHashes> {
        auto argon = accounts::HashPassword(password, params);
        if (!argon.ok()) return Error{argon.error()};
        accounts::ScramCredentials scram = accounts::MakeScramCredentials(password);
        PasswordHashes out;
        out.argon2id = std::move(argon.value());
        out.scram_salt = std::move(scram.salt);
        out.scram_iterations = scram.iterations;
        out.scram_stored_key = std::move(scram.stored_key);
        out.scram_server_key = std::move(scram.server_key);
        return out;
      },
      std::move(done));
}

// Registrations are counted per address and per /24 (IPv4) or /64 (IPv6) network, in one map:
// an address ("192.0.2.7") and a network ("192.0.2.0/24") never spell the same key.
int64_t AccountService::RegistrationsRetryAfter(const std::string& ip, int64_t now) {
  auto retry_after = [&](const std::string& key, uint32_t limit) -> int64_t {
    if (limit == 0) return 0;
    auto& times = registrations_[key];
    times.erase(
        std::remove_if(times.begin(), times.end(), [now](int64_t t) { return t <= now - kHourMs; }),
        times.end());
    if (times.size() < limit) return 0;
    return std::max<int64_t>(1, CeilSeconds(times.front() + kHourMs - now));
  };
  return std::max(retry_after(ip, config_.accounts.registrations_per_ip_per_hour),
                  retry_after(ConnectionCounts::PrefixOf(ip),
                              config_.accounts.registrations_per_prefix_per_hour));
}

void AccountService::Register(Client& client, std::string_view account_arg,
                              std::string_view email_arg, std::string_view password,
                              RegisterDone done) {
  RegisterOutcome outcome;
  outcome.account = std::string(account_arg == "*" ? std::string_view(client.nick) : account_arg);
  auto refuse = [&](RegisterStatus status) {
    outcome.status = status;
    done(outcome);
  };
  if (!client.account().empty()) return refuse(RegisterStatus::kAlreadyAuthenticated);
  if (!client.registered() && !config_.accounts.registration_before_connect) {
    return refuse(RegisterStatus::kCompleteConnectionRequired);
  }
  if (client.nick.empty()) {
    // REGISTER * after a NICK refused as in use: that name is what the client asked for, and
    // it is taken (a land grab of someone else's nick) — unless it was freed since.
    const std::string& wanted = client.refused_nick;
    Client* holder = wanted.empty() ? nullptr : server_.users().Find(wanted);
    if (account_arg == "*" && !wanted.empty() &&
        ((holder != nullptr && holder != &client) || names_.count(irc::Fold(wanted)) != 0)) {
      outcome.account = wanted;
      return refuse(RegisterStatus::kAccountExists);
    }
    outcome.account = std::string(1, '*');  // not = "*": GCC 12 -Wrestrict false positive
    return refuse(RegisterStatus::kNeedNick);
  }
  if (account_arg != "*" && !irc::EqualsFolded(account_arg, client.nick)) {
    return refuse(RegisterStatus::kAccountNameMustBeNick);
  }
  outcome.account = client.nick;  // the nick's own spelling
  const std::string& name = outcome.account;
  if (!irc::IsValidNick(name, config_.limits.nick_length) || server_.IsReservedNick(name)) {
    return refuse(RegisterStatus::kBadAccountName);
  }
  const std::string folded = irc::Fold(name);
  Client* holder = server_.users().Find(name);
  if (names_.count(folded) != 0 || pending_.count(folded) != 0 ||
      (holder != nullptr && holder != &client)) {
    return refuse(RegisterStatus::kAccountExists);
  }
  if (!PasswordProblem(name, password).empty()) return refuse(RegisterStatus::kWeakPassword);
  std::string email = email_arg == "*" ? std::string() : std::string(email_arg);
  if ((!email.empty() && !IsValidEmail(email)) ||
      (email.empty() && config_.accounts.email_verification)) {
    return refuse(RegisterStatus::kInvalidEmail);
  }
  const int64_t now = server_.clock().SteadyMs();
  if (int64_t retry = RegistrationsRetryAfter(client.ip(), now); retry > 0) {
    outcome.retry_after_s = retry;
    Audit(&client, "account.register_refused", name, "rate limited");
    return refuse(RegisterStatus::kRateLimited);
  }

  storage::StoredAccount stored;
  stored.name = name;
  stored.email = email;
  stored.created_at = server_.clock().UnixSeconds();
  stored.last_seen_at = stored.created_at;
  if (client.profile) {
    stored.age = static_cast<int>(client.profile->age);
    stored.gender = client.profile->gender;
    stored.town = client.profile->town;
  }
  std::string code;
  if (config_.accounts.email_verification) {
    code = NewVerificationCode();
    stored.verify_code_hash = CodeHash(code);
  }
  const uint64_t id = client.id();
  bool submitted = HashNewPassword(
      std::string(password), [this, id, folded, stored = std::move(stored), code = std::move(code),
                              done](Result<PasswordHashes> hashes) mutable {
        if (!hashes.ok()) {
          ResumeResponse resumed(server_, id);
          spdlog::error("accounts: hashing for a new account failed: {}", hashes.error());
          pending_.erase(folded);
          RegisterOutcome failed{RegisterStatus::kUnavailable, stored.name, 0};
          done(failed);
          if (Client* c = server_.FindClient(id)) c->ReleaseInput();
          return;
        }
        stored.password_hash = std::move(hashes->argon2id);
        stored.scram_salt = std::move(hashes->scram_salt);
        stored.scram_iterations = hashes->scram_iterations;
        stored.scram_stored_key = std::move(hashes->scram_stored_key);
        stored.scram_server_key = std::move(hashes->scram_server_key);
        CreateAccount(id, std::move(stored), std::move(code), std::move(done));
      });
  if (!submitted) return refuse(RegisterStatus::kUnavailable);
  pending_.insert(folded);
  registrations_[client.ip()].push_back(now);
  registrations_[ConnectionCounts::PrefixOf(client.ip())].push_back(now);
  client.HoldInput();
}

void AccountService::CreateAccount(uint64_t client_id, storage::StoredAccount account,
                                   std::string code, RegisterDone done) {
  // The store copies what it writes; the completion keeps its own copy for Login.
  const storage::StoredAccount record = account;
  store_.CreateAccount(
      record, [this, client_id, account = std::move(account), code = std::move(code),
               done = std::move(done)](storage::WriteResult result) {
        ResumeResponse resumed(server_, client_id);  // 900 and the reply join the response
        const std::string folded = irc::Fold(account.name);
        pending_.erase(folded);
        RegisterOutcome outcome{RegisterStatus::kUnavailable, account.name, 0};
        Client* client = server_.FindClient(client_id);
        if (result.status == storage::WriteStatus::kExists) {
          outcome.status = RegisterStatus::kAccountExists;
        } else if (!result.ok()) {
          spdlog::error("accounts: creating account {} failed: {}", account.name, result.error);
        } else {
          names_.insert(folded);
          // Someone else may have taken the nick meanwhile (this client was not registered
          // yet): the nick protection applies to them from now on.
          Client* holder = server_.users().Find(account.name);
          if (holder != nullptr && holder != client) OnNickTaken(*holder);
          Audit(client, "account.register", account.name,
                config_.accounts.email_verification ? "verification pending" : "");
          if (config_.accounts.email_verification) {
            MailCode(account.email, account.name, code);
            outcome.status = RegisterStatus::kVerificationRequired;
          } else {
            outcome.status = RegisterStatus::kOk;
            if (client != nullptr) Login(*client, account, "REGISTER");
          }
        }
        done(outcome);
        if (Client* c = server_.FindClient(client_id)) c->ReleaseInput();
      });
}

void AccountService::MailCode(const std::string& email, const std::string& account,
                              const std::string& code) {
  std::string message = fmt::format(
      "To: {}\nSubject: Your {} account {}\n\nYour verification code for the account {} on {} "
      "is: {}\n\nSend it with: /VERIFY {} {}\n",
      email, config_.network, account, account, config_.server_name, code, account, code);
  std::string command = config_.accounts.sendmail_command;
  bool submitted = workers_->Submit(
      [command = std::move(command), message = std::move(message)]() -> bool {
        std::FILE* pipe = ::popen(command.c_str(), "w");
        if (pipe == nullptr) return false;
        bool written = std::fwrite(message.data(), 1, message.size(), pipe) == message.size();
        return ::pclose(pipe) == 0 && written;
      },
      [account](bool ok) {
        // The address and the code stay out of the log.
        if (!ok) spdlog::error("accounts: sending the verification mail for {} failed", account);
      });
  if (!submitted) spdlog::error("accounts: verification mail for {} not sent (busy)", account);
}

void AccountService::Verify(Client& client, std::string_view account, std::string_view code,
                            std::function<void(bool)> done) {
  std::string folded = irc::Fold(account);
  if (!client.account().empty() || !IsRegistered(account) || code.empty() ||
      LockedFor(account, client.ip()) > 0) {
    done(false);
    return;
  }
  const uint64_t id = client.id();
  std::string hash = CodeHash(code);
  std::string name(account);
  client.HoldInput();
  store_.LoadAccount(
      name, [this, id, hash, name, done](Result<std::optional<storage::StoredAccount>> loaded) {
        ResumeResponse resumed(server_, id);
        auto finish = [this, id, done](bool ok) {
          done(ok);
          if (Client* c = server_.FindClient(id)) c->ReleaseInput();
        };
        Client* client = server_.FindClient(id);
        if (client == nullptr) return;
        if (!loaded.ok() || !loaded.value() || (*loaded)->verify_code_hash.size() != hash.size() ||
            CRYPTO_memcmp((*loaded)->verify_code_hash.data(), hash.data(), hash.size()) != 0) {
          FinishFailure(client->ip(), client->nick, irc::Fold(name), name, "VERIFY");
          return finish(false);
        }
        storage::StoredAccount account = std::move(**loaded);
        account.email_verified = true;
        account.verify_code_hash.clear();
        store_.MarkAccountVerified(account.name, [this, id, account,
                                                  finish](storage::WriteResult result) {
          ResumeResponse resumed(server_, id);
          Client* c = resumed.client();
          if (c == nullptr) return;
          if (!result.ok()) {
            spdlog::error("accounts: marking {} verified failed: {}", account.name, result.error);
            return finish(false);
          }
          Audit(c, "account.verified", account.name);
          Login(*c, account, "VERIFY");
          finish(true);
        });
      });
}

// --- Password checks and failure counting --------------------------------------------------

int64_t AccountService::LockedFor(const std::unordered_map<std::string, FailureCounter>& map,
                                  const std::string& key, int64_t now) const {
  auto it = map.find(key);
  if (it == map.end() || it->second.locked_until_ms <= now) return 0;
  return std::max<int64_t>(1, CeilSeconds(it->second.locked_until_ms - now));
}

int64_t AccountService::LockedFor(std::string_view account, std::string_view ip) const {
  const int64_t now = server_.clock().SteadyMs();
  return std::max(LockedFor(account_failures_, irc::Fold(account), now),
                  LockedFor(ip_failures_, std::string(ip), now));
}

void AccountService::PruneCounters(std::unordered_map<std::string, FailureCounter>& map,
                                   int64_t now) {
  const int64_t window = int64_t{config_.accounts.failure_window_s} * 1000;
  for (auto it = map.begin(); it != map.end();) {
    const FailureCounter& c = it->second;
    bool stale =
        c.locked_until_ms <= now && (c.failures_ms.empty() || c.failures_ms.back() <= now - window);
    it = stale ? map.erase(it) : std::next(it);
  }
}

bool AccountService::CountFailure(std::unordered_map<std::string, FailureCounter>& map,
                                  const std::string& key, int64_t now) {
  if (map.size() > kSweepThreshold) PruneCounters(map, now);
  const int64_t window = int64_t{config_.accounts.failure_window_s} * 1000;
  FailureCounter& counter = map[key];
  auto& times = counter.failures_ms;
  times.erase(
      std::remove_if(times.begin(), times.end(), [&](int64_t t) { return t <= now - window; }),
      times.end());
  times.push_back(now);
  if (times.size() < config_.accounts.max_failures) return false;
  counter.locked_until_ms = now + int64_t{config_.accounts.lockout_s} * 1000;
  times.clear();
  return true;
}

void AccountService::FinishFailure(std::string ip, std::string actor, std::string folded_account,
                                   std::string account, std::string mechanism) {
  const int64_t now = server_.clock().SteadyMs();
  AuditAs(actor, ip, "login.failed", account, mechanism);
  spdlog::info("accounts: failed login ({}) for {} from {}", mechanism, account, actor);
  bool account_locked = CountFailure(account_failures_, folded_account, now);
  bool ip_locked = CountFailure(ip_failures_, ip, now);
  if (account_locked || ip_locked) {
    AuditAs(actor, ip, "login.locked", account,
            fmt::format("{} locked for {} s", account_locked ? "account" : "address",
                        config_.accounts.lockout_s));
    spdlog::warn("accounts: {} locked out after repeated failed logins ({} from {})",
                 account_locked ? fmt::format("account {}", account) : "an address", account,
                 actor);
  }
}

void AccountService::RecordFailure(const Client& client, std::string_view account,
                                   std::string_view mechanism) {
  FinishFailure(client.ip(), client.account().empty() ? client.nick : client.account(),
                irc::Fold(account), std::string(account), std::string(mechanism));
}

void AccountService::VerifyPassword(Client& client, std::string_view account,
                                    std::string_view password, std::string_view mechanism,
                                    LoginCheckDone done) {
  if (int64_t locked = LockedFor(account, client.ip()); locked > 0) {
    Audit(&client, "login.refused", account, fmt::format("{}: locked out", mechanism));
    done(LoginCheck{LoginStatus::kRateLimited, locked, {}});
    return;
  }
  const uint64_t id = client.id();
  std::string actor = client.account().empty() ? client.nick : client.account();
  client.HoldInput();
  CheckPassword(account, password, client.ip(), actor, mechanism,
                [this, id, done = std::move(done)](LoginCheck check) {
                  ResumeResponse resumed(server_,
                                         id);  // the caller's replies join the held response
                  done(std::move(check));
                  if (Client* c = server_.FindClient(id)) c->ReleaseInput();
                });
}

void AccountService::CheckPassword(std::string_view account_arg, std::string_view password,
                                   std::string_view ip_arg, std::string_view actor_arg,
                                   std::string_view mechanism_arg, LoginCheckDone done) {
  std::string account(account_arg), ip(ip_arg), actor(actor_arg), mechanism(mechanism_arg);
  if (int64_t locked = LockedFor(account, ip); locked > 0) {
    AuditAs(actor, ip, "login.refused", account, fmt::format("{}: locked out", mechanism));
    done(LoginCheck{LoginStatus::kRateLimited, locked, {}});
    return;
  }
  store_.LoadAccount(account, [this, account, ip = std::move(ip), actor = std::move(actor),
                               password = std::string(password), mechanism = std::move(mechanism),
                               done = std::move(done)](
                                  Result<std::optional<storage::StoredAccount>> loaded) mutable {
    if (!loaded.ok()) {
      spdlog::error("accounts: reading account {} failed: {}", account, loaded.error());
      return done(LoginCheck{LoginStatus::kUnavailable, 0, {}});
    }
    std::optional<storage::StoredAccount> stored = std::move(loaded.value());
    // An unknown account is checked against the dummy hash: same work, same time.
    std::string hash =
        stored && !stored->password_hash.empty() ? stored->password_hash : dummy_hash_;
    bool submitted = workers_->Submit(
        [hash = std::move(hash), password = std::move(password)]() {
          return accounts::VerifyPassword(hash, password);
        },
        [this, account, ip, actor, mechanism, stored = std::move(stored),
         done](bool match) mutable {
          if (match && stored) {
            bool unverified = config_.accounts.email_verification && !stored->email_verified;
            return done(LoginCheck{unverified ? LoginStatus::kUnverified : LoginStatus::kOk, 0,
                                   std::move(*stored)});
          }
          FinishFailure(ip, actor, irc::Fold(account), account, mechanism);
          done(LoginCheck{LoginStatus::kBadCredentials, 0, {}});
        });
    if (!submitted) done(LoginCheck{LoginStatus::kUnavailable, 0, {}});
  });
}

// --- Login ---------------------------------------------------------------------------------

void AccountService::Login(Client& client, const storage::StoredAccount& account,
                           std::string_view mechanism) {
  client.set_account(account.name);
  server_.read_markers().OnLogin(client);
  client.Numeric("900",
                 {client.Prefix(), account.name, "You are now logged in as " + account.name});
  account_failures_.erase(irc::Fold(account.name));
  if (auto it = grace_.find(client.id()); it != grace_.end()) {
    if (irc::EqualsFolded(client.nick, account.name)) {
      server_.housekeeping().Cancel(it->second);
      grace_.erase(it);
    }
  }
  AnnounceAccount(client);
  ApplyProfile(client, account);
  store_.TouchAccount(account.name, server_.clock().UnixSeconds());
  Audit(&client, "login", account.name, mechanism);
  spdlog::info("accounts: {} logged in as {} ({})", client.nick.empty() ? "*" : client.nick,
               account.name, mechanism);
  server_.services().OnLogin(server_, client);  // ChanServ: modes in the rooms it is on
  if (client.registered()) server_.policy().OnLoggedIn(client);  // else OnRegistered will
}

void AccountService::AdoptConnectionProfile(Client& client) {
  if (client.account().empty() || !client.profile) return;
  // The client's next lines wait for the commit: a QUIT then a login elsewhere sees the profile.
  const uint64_t id = client.id();
  client.HoldInput();
  auto release = [this, id] {
    if (Client* c = server_.FindClient(id)) c->ReleaseInput();
  };
  Profile profile = *client.profile;
  store_.LoadAccount(client.account(), [this, profile, release](
                                           Result<std::optional<storage::StoredAccount>> loaded) {
    if (!loaded.ok() || !loaded.value() || (*loaded)->age > 0) return release();
    // The store re-checks "no age yet" in the same statement: an age set meanwhile stays.
    const std::string name = (*loaded)->name;
    store_.AdoptAccountProfile(
        name, static_cast<int>(profile.age), profile.gender, profile.town,
        [name, release](storage::WriteResult result) {
          // kNotFound: deleted, or given an age since the load; nothing to adopt then.
          if (!result.ok() && result.status != storage::WriteStatus::kNotFound) {
            spdlog::error("accounts: saving the profile of {} failed", name);
          }
          release();
        });
  });
}

void AccountService::ApplyProfile(Client& client, const storage::StoredAccount& account) {
  if (account.age <= 0) {
    AdoptConnectionProfile(client);  // the account has no profile yet: it takes the connection's
    return;
  }
  Profile profile;
  profile.age = static_cast<uint32_t>(account.age);
  profile.gender = IsValidGender(account.gender) ? account.gender : "-";
  profile.town = account.town;
  bool changed = !client.profile || client.profile->age != profile.age ||
                 client.profile->gender != profile.gender || client.profile->town != profile.town;
  client.profile = std::make_unique<Profile>(std::move(profile));
  if (!changed) return;
  client.Send(ProfileLine(server_.name(), client.NickOrStar(), *client.profile));
  if (!client.registered()) return;
  // Others see the shared profile (a minor's town hidden).
  Broadcast out = server_.MakeBroadcast(
      nullptr, ProfileLine(server_.name(), client.NickOrStar(), SharedProfile(*client.profile)));
  server_.SendToCommonChannels(client, out, false, kCapProfile);
}

void AccountService::Logout(Client& client) {
  if (client.account().empty()) return;
  Audit(&client, "logout", client.account());
  server_.read_markers().OnLogout(client);
  client.set_account({});
  client.Numeric("901", {client.Prefix(), "You are now logged out"});
  AnnounceAccount(client);
  OnNickTaken(client);
}

void AccountService::AnnounceAccount(Client& client) {
  if (!client.registered()) return;  // nobody sees it yet: 900 alone tells the client
  std::string body;
  irc::LineBuilder(&body)
      .Begin({}, client.Prefix(), "ACCOUNT")
      .Param(client.account().empty() ? std::string_view("*") : client.account())
      .End();
  Broadcast out = server_.MakeBroadcast(&client, std::move(body));
  server_.SendToObservers(client, out, false, kCapAccountNotify);
}

// --- Nick protection -----------------------------------------------------------------------

void AccountService::OnNickTaken(Client& client) {
  if (auto it = grace_.find(client.id()); it != grace_.end()) {
    server_.housekeeping().Cancel(it->second);
    grace_.erase(it);
  }
  if (!client.registered() || !IsRegistered(client.nick) ||
      irc::EqualsFolded(client.account(), client.nick)) {
    return;
  }
  const uint32_t grace = config_.accounts.nick_grace_s;
  NoticeFromNickServ(client, fmt::format("This nickname is registered. Identify within {} seconds "
                                         "with /msg NickServ IDENTIFY <password>, or you will be "
                                         "renamed.",
                                         grace));
  const uint64_t id = client.id();
  grace_[id] = server_.housekeeping().ScheduleAfter(
      int64_t{grace} * 1000,
      [this, id, folded = irc::Fold(client.nick)] { RenameGuest(id, folded); });
}

void AccountService::RenameGuest(uint64_t client_id, const std::string& folded_nick) {
  grace_.erase(client_id);
  Client* client = server_.FindClient(client_id);
  if (client == nullptr || client->quitting || irc::Fold(client->nick) != folded_nick ||
      irc::EqualsFolded(client->account(), client->nick)) {
    return;
  }
  std::random_device random;
  std::uniform_int_distribution<int> digits(10000, 99999);
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string guest = fmt::format("Guest{}", digits(random));
    guest.resize(std::min<std::size_t>(guest.size(), config_.limits.nick_length));
    if (!irc::IsValidNick(guest, config_.limits.nick_length) ||
        server_.users().Find(guest) != nullptr || IsRegistered(guest) ||
        server_.IsReservedNick(guest)) {
      continue;
    }
    NoticeFromNickServ(*client, fmt::format("You did not identify: your nick is now {}", guest));
    Audit(client, "nick.renamed", client->nick, guest);
    server_.ChangeNick(*client, guest);
    return;
  }
  spdlog::warn("accounts: no free Guest nick to rename {} to", client->nick);
}

void AccountService::OnQuit(Client& client) {
  if (auto it = grace_.find(client.id()); it != grace_.end()) {
    server_.housekeeping().Cancel(it->second);
    grace_.erase(it);
  }
  if (!client.account().empty()) {
    store_.TouchAccount(client.account(), server_.clock().UnixSeconds());
  }
}

// --- Shared parts --------------------------------------------------------------------------

void AccountService::Audit(const Client* actor, std::string_view action, std::string_view target,
                           std::string_view detail) {
  if (actor == nullptr) return AuditAs("", "", action, target, detail);
  AuditAs(actor->account().empty() ? std::string_view(actor->nick) : actor->account(), actor->ip(),
          action, target, detail);
}

void AccountService::AuditAs(std::string_view actor, std::string_view actor_ip,
                             std::string_view action, std::string_view target,
                             std::string_view detail) {
  storage::AuditEntry entry;
  entry.at_ms = server_.clock().UnixMs();
  entry.actor = std::string(actor);
  entry.actor_ip = std::string(actor_ip);
  entry.action = std::string(action);
  entry.target = std::string(target);
  entry.detail = std::string(detail);
  store_.AppendAudit(entry);
}

void AccountService::NoticeFromNickServ(Client& client, std::string_view text) {
  if (const Service* nickserv = server_.services().Find("NickServ")) {
    nickserv->Reply(client, text);
    return;
  }
  std::string line;
  irc::LineBuilder(&line)
      .Begin({}, "NickServ!NickServ@services.", "NOTICE")
      .Param(client.nick.empty() ? std::string_view("*") : std::string_view(client.nick))
      .Trailing(text)
      .End();
  client.Send(line);
}

}  // namespace salon::core

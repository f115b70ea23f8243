// Helpers shared by the account tests (accounts_test, sasl_test, nickserv_test): registering an
// account over the wire, logging in with SASL PLAIN / SCRAM-SHA-256, and reading the audit log
// from the server's SQLite file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "harness.h"

namespace salon::testing {

// [debug] clock_control on, so tests of lockouts and grace periods advance time.
inline const std::string kAccountsClock = "[debug]\nclock_control = true\n";

// Connects `nick`, runs REGISTER * * <password>, waits for REGISTER SUCCESS, then QUITs.
void RegisterAccount(const TestServer& server, const std::string& nick,
                     const std::string& password);

// The same with a join profile and an e-mail address: NICK, PROFILE SET <profile> (e.g.
// "25 f :Paris"), REGISTER * <email or *> <password> before connection registration, QUIT.
void RegisterAccountWithProfile(const TestServer& server, const std::string& nick,
                                const std::string& profile, const std::string& email,
                                const std::string& password);

// base64 of "authzid NUL authcid NUL password" (PLAIN), authzid empty.
std::string PlainPayload(const std::string& account, const std::string& password);

// On a registered or unregistered client that has the sasl cap: AUTHENTICATE PLAIN with
// the payload in 400-byte chunks; returns the line that ends the exchange (903, 904...).
Message SaslPlain(TestClient& client, const std::string& account, const std::string& password);

// SCRAM-SHA-256 with accounts::ScramClient; returns the final numeric (903 or 904).
Message SaslScram(TestClient& client, const std::string& account, const std::string& password);

// A registered connection logged in to `account` with SASL PLAIN during registration (`caps`:
// more capabilities to request with sasl). Throws when the login fails.
std::unique_ptr<TestClient> LoggedIn(const TestServer& server, const std::string& nick,
                                     const std::string& account, const std::string& password,
                                     const std::string& caps = "");

// CAP LS 302 / CAP REQ :sasl before NICK/USER (registration pending until CAP END).
void RequestSasl(TestClient& client);

// Advances the server clock (DEBUG CLOCK ADVANCE) from `client`; returns the lines up to the
// NOTE that confirms it.
std::vector<Message> AdvanceClock(TestClient& client, int seconds);

// Rows of the audit log (action, actor, target, detail joined by '|') from data_dir/salon.db.
std::vector<std::string> AuditRows(const TestServer& server);

// The first column of the first row of `sql` on data_dir/salon.db, as an integer (0: no row).
int64_t QueryInt(const TestServer& server, const std::string& sql);

// True when a line with this command is among `lines`.
bool HasCommand(const std::vector<Message>& lines, const std::string& command);

}  // namespace salon::testing

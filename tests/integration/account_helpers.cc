// Account test helpers: see account_helpers.h.
#include "account_helpers.h"

#include <sqlite3.h>

#include <functional>
#include <optional>

#include "accounts/scram_client.h"
#include "base/base64.h"

namespace salon::testing {

void RegisterAccount(const TestServer& server, const std::string& nick,
                     const std::string& password) {
  TestClient client(server);
  client.Register(nick);
  client.Send("REGISTER * * :" + password);
  Message reply = client.Expect(AnyOf({Command("REGISTER"), CommandParam("FAIL", 0, "REGISTER")}));
  if (reply.command != "REGISTER" || reply.Param(0) != "SUCCESS") {
    throw ExpectationFailed("REGISTER " + nick + " failed: " + reply.raw);
  }
  client.Send("QUIT");
  client.ExpectClosed();
}

void RegisterAccountWithProfile(const TestServer& server, const std::string& nick,
                                const std::string& profile, const std::string& email,
                                const std::string& password) {
  TestClient client(server);
  client.Send("NICK " + nick);
  client.Send("PROFILE SET " + profile);
  client.ExpectCommand("PROFILE");
  client.Send("REGISTER * " + email + " :" + password);
  Message reply = client.Expect(AnyOf({Command("REGISTER"), CommandParam("FAIL", 0, "REGISTER")}));
  if (reply.command != "REGISTER" || reply.Param(0) != "SUCCESS") {
    throw ExpectationFailed("REGISTER " + nick + " failed: " + reply.raw);
  }
  client.Send("QUIT");
  client.ExpectClosed();
}

std::string PlainPayload(const std::string& account, const std::string& password) {
  std::string raw;
  raw += '\0';
  raw += account;
  raw += '\0';
  raw += password;
  return Base64Encode(raw);
}

namespace {

Predicate SaslEnd() {
  return AnyOf({Command("903"), Command("904"), Command("905"), Command("906"), Command("907")});
}

void SendChunked(TestClient& client, const std::string& payload) {
  if (payload.empty()) {
    client.Send("AUTHENTICATE +");
    return;
  }
  for (std::size_t pos = 0; pos < payload.size(); pos += 400) {
    client.Send("AUTHENTICATE " + payload.substr(pos, 400));
  }
  if (payload.size() % 400 == 0) client.Send("AUTHENTICATE +");
}

// The server's next challenge (its chunks joined and decoded), or the numeric that ended the
// exchange instead.
struct Challenge {
  std::optional<Message> ended;
  std::string data;
};

Challenge ReadChallenge(TestClient& client) {
  std::string joined;
  while (true) {
    Message m = client.Expect(AnyOf({Command("AUTHENTICATE"), SaslEnd()}));
    if (m.command != "AUTHENTICATE") return {m, {}};
    if (m.Param(0) != "+") joined += m.Param(0);
    if (m.Param(0).size() < 400) break;
  }
  auto decoded = Base64Decode(joined);
  if (!decoded.ok()) throw ExpectationFailed("bad base64 challenge: " + joined);
  return {std::nullopt, decoded.value()};
}

}  // namespace

Message SaslPlain(TestClient& client, const std::string& account, const std::string& password) {
  client.Send("AUTHENTICATE PLAIN");
  client.Expect(CommandParam("AUTHENTICATE", 0, "+"));
  SendChunked(client, PlainPayload(account, password));
  return client.Expect(SaslEnd());
}

Message SaslScram(TestClient& client, const std::string& account, const std::string& password) {
  accounts::ScramClient scram(account, password);
  client.Send("AUTHENTICATE SCRAM-SHA-256");
  client.Expect(CommandParam("AUTHENTICATE", 0, "+"));
  SendChunked(client, Base64Encode(scram.ClientFirst()));
  Challenge server_first = ReadChallenge(client);
  if (server_first.ended) return *server_first.ended;
  auto client_final = scram.HandleServerFirst(server_first.data);
  if (!client_final.ok()) throw ExpectationFailed("server-first refused: " + client_final.error());
  SendChunked(client, Base64Encode(client_final.value()));
  Challenge server_final = ReadChallenge(client);
  if (server_final.ended) return *server_final.ended;
  if (!scram.VerifyServerFinal(server_final.data)) {
    throw ExpectationFailed("wrong server signature: " + server_final.data);
  }
  client.Send("AUTHENTICATE +");
  return client.Expect(SaslEnd());
}

void RequestSasl(TestClient& client) {
  client.Send("CAP LS 302");
  client.Send("CAP REQ :sasl");
  client.Expect(CommandParam("CAP", 1, "ACK"));
}

std::unique_ptr<TestClient> LoggedIn(const TestServer& server, const std::string& nick,
                                     const std::string& account, const std::string& password,
                                     const std::string& caps) {
  auto c = std::make_unique<TestClient>(server);
  c->Send("CAP LS 302");
  c->Send("CAP REQ :sasl" + (caps.empty() ? "" : " " + caps));
  c->Expect(CommandParam("CAP", 1, "ACK"));
  Message end = SaslPlain(*c, account, password);
  if (end.command != "903") throw ExpectationFailed("login failed: " + end.raw);
  c->Send("CAP END");
  c->Register(nick);
  return c;
}

std::vector<Message> AdvanceClock(TestClient& client, int seconds) {
  client.Send("DEBUG CLOCK ADVANCE " + std::to_string(seconds));
  return client.CollectUntil(CommandParam("NOTE", 1, "CLOCK_ADVANCED"));
}

namespace {

// Runs `sql` read-only on the server's database, calling `row` for each result row.
void Query(const TestServer& server, const std::string& sql,
           const std::function<void(sqlite3_stmt*)>& row) {
  std::string path = server.data_dir() + "/salon.db";
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    throw ExpectationFailed("cannot open " + path);
  }
  sqlite3_busy_timeout(db, 2000);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    std::string error = sqlite3_errmsg(db);
    sqlite3_close(db);
    throw ExpectationFailed("query failed: " + error);
  }
  while (sqlite3_step(stmt) == SQLITE_ROW) row(stmt);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

}  // namespace

std::vector<std::string> AuditRows(const TestServer& server) {
  std::vector<std::string> rows;
  Query(server, "SELECT action, actor, target, detail FROM audit_log ORDER BY id",
        [&](sqlite3_stmt* stmt) {
          std::string row;
          for (int i = 0; i < 4; ++i) {
            const unsigned char* text = sqlite3_column_text(stmt, i);
            if (i != 0) row += '|';
            row += text != nullptr ? reinterpret_cast<const char*>(text) : "";
          }
          rows.push_back(row);
        });
  return rows;
}

int64_t QueryInt(const TestServer& server, const std::string& sql) {
  int64_t value = 0;
  bool first = true;
  Query(server, sql, [&](sqlite3_stmt* stmt) {
    if (first) value = sqlite3_column_int64(stmt, 0);
    first = false;
  });
  return value;
}

bool HasCommand(const std::vector<Message>& lines, const std::string& command) {
  for (const auto& m : lines) {
    if (m.command == command) return true;
  }
  return false;
}

}  // namespace salon::testing

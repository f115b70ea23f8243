// AUTHENTICATE (IRCv3 SASL 3.2) with PLAIN and SCRAM-SHA-256, before and after registration.
// Payloads arrive base64-encoded in chunks of 400 bytes ("+" ends a payload that is a multiple
// of 400, or is empty); "AUTHENTICATE *" aborts. Password checks run on the AccountService's
// workers; the client's input is held meanwhile so replies keep the order of commands.
#include "core/commands/sasl.h"

#include <fmt/format.h>

#include <string>
#include <string_view>

#include "accounts/sasl_plain.h"
#include "accounts/scram.h"
#include "base/base64.h"
#include "core/account_service.h"
#include "core/capabilities.h"
#include "core/client.h"
#include "core/command_table.h"
#include "core/response_buffer.h"
#include "core/sasl_session.h"
#include "core/server.h"
#include "protocol/irc/casemap.h"
#include "protocol/irc/line_builder.h"
#include "protocol/irc/message.h"

namespace salon::core {
namespace {

constexpr std::size_t kChunk = 400;
// The longest payload gathered from chunks: PLAIN with a 255-byte name and a 300-byte password,
// or a SCRAM message, is far below this.
constexpr std::size_t kMaxPayload = 4096;
constexpr const char* kMechanisms = "PLAIN,SCRAM-SHA-256";

void SaslFailed(Client& client) {
  client.sasl.reset();
  client.Numeric("904", {"SASL authentication failed"});
}

// "AUTHENTICATE <base64>" in chunks of 400, "+" after a last chunk of exactly 400.
void SendChallenge(Client& client, std::string_view raw) {
  std::string encoded = Base64Encode(raw);
  std::string lines;
  std::size_t pos = 0;
  do {
    std::string_view chunk = std::string_view(encoded).substr(pos, kChunk);
    pos += chunk.size();
    irc::LineBuilder(&lines).Begin({}, {}, "AUTHENTICATE").Param(chunk.empty() ? "+" : chunk).End();
    if (chunk.size() == kChunk && pos == encoded.size()) {
      irc::LineBuilder(&lines).Begin({}, {}, "AUTHENTICATE").Param("+").End();
    }
  } while (pos < encoded.size());
  client.Send(lines);
}

void SendRateLimited(Server& server, Client& client, int64_t seconds) {
  std::string line;
  std::string text = std::to_string(seconds);
  ResponseBuffer::AppendStandard(
      &line, server.name(), "FAIL", "AUTHENTICATE", "RATE_LIMITED", {text},
      fmt::format("Too many failed logins, try again in {} seconds", seconds));
  client.Send(line);
  SaslFailed(client);
}

// The end of a PLAIN check (on the loop, possibly inside VerifyPassword for a lockout).
void FinishPlain(Server& server, uint64_t id, const LoginCheck& check) {
  Client* client = server.FindClient(id);
  if (client == nullptr) return;
  switch (check.status) {
    case LoginStatus::kOk:
      client->sasl.reset();
      server.accounts().Login(*client, check.account, "SASL PLAIN");
      client->Numeric("903", {"SASL authentication successful"});
      return;
    case LoginStatus::kRateLimited:
      SendRateLimited(server, *client, check.retry_after_s);
      return;
    case LoginStatus::kUnverified:
    case LoginStatus::kBadCredentials:
    case LoginStatus::kUnavailable:
      SaslFailed(*client);
      return;
  }
}

void StepPlain(Server& server, Client& client, std::string_view message) {
  auto plain = accounts::ParseSaslPlain(message);
  // Logging in as someone else (authzid) is not offered.
  if (!plain.ok() ||
      (!plain->authzid.empty() && !irc::EqualsFolded(plain->authzid, plain->authcid))) {
    SaslFailed(client);
    return;
  }
  const uint64_t id = client.id();
  server.accounts().VerifyPassword(
      client, plain->authcid, plain->password, "SASL PLAIN",
      [&server, id](const LoginCheck& check) { FinishPlain(server, id, check); });
}

void StepScramFirst(Server& server, Client& client, std::string_view message) {
  SaslSession& session = *client.sasl;
  session.scram = std::make_unique<accounts::ScramServer>();
  auto first = session.scram->ParseClientFirst(message);
  if (!first.ok() ||
      (!first->authzid.empty() && !irc::EqualsFolded(first->authzid, first->username))) {
    SaslFailed(client);
    return;
  }
  AccountService& accounts = server.accounts();
  if (int64_t locked = accounts.LockedFor(first->username, client.ip()); locked > 0) {
    accounts.Audit(&client, "login.refused", first->username, "SASL SCRAM-SHA-256: locked out");
    SendRateLimited(server, client, locked);
    return;
  }
  const uint64_t id = client.id();
  client.HoldInput();
  server.store().LoadAccount(
      first->username, [&server, id](Result<std::optional<storage::StoredAccount>> loaded) {
        ResumeResponse resumed(server, id);
        Client* client = resumed.client();
        if (client == nullptr) return;
        if (!client->sasl || !client->sasl->scram) {  // not reachable: input was held
          client->ReleaseInput();
          return;
        }
        SaslSession& session = *client->sasl;
        const auto& accounts_config = server.config().accounts;
        Result<std::string> server_first = Error{"store unavailable"};
        if (loaded.ok()) {
          const std::optional<storage::StoredAccount>& found = loaded.value();
          bool usable = found && found->scram_iterations > 0 &&
                        !(accounts_config.email_verification && !found->email_verified);
          if (usable) {
            session.account = *found;
            session.account_known = true;
            accounts::ScramCredentials credentials{found->scram_salt, found->scram_iterations,
                                                   found->scram_stored_key,
                                                   found->scram_server_key};
            server_first = session.scram->ServerFirst(credentials);
          } else {
            // Same salt for the same unknown name, default iterations: indistinguishable.
            server_first =
                session.scram->ServerFirstForUnknownUser(server.accounts().scram_mock_secret());
          }
        }
        if (server_first.ok()) {
          session.step = SaslSession::Step::kScramFinal;
          SendChallenge(*client, *server_first);
        } else {
          SaslFailed(*client);
        }
        client->ReleaseInput();
      });
}

void StepScramFinal(Server& server, Client& client, std::string_view message) {
  SaslSession& session = *client.sasl;
  accounts::ScramServerFinal final = session.scram->HandleClientFinal(message);
  if (!final.ok || !session.account_known) {
    server.accounts().RecordFailure(client, session.scram->username(), "SASL SCRAM-SHA-256");
    SaslFailed(client);
    return;
  }
  session.step = SaslSession::Step::kScramAck;
  SendChallenge(client, final.message);
}

void StepScramAck(Server& server, Client& client, std::string_view message) {
  if (!message.empty()) {
    SaslFailed(client);
    return;
  }
  storage::StoredAccount account = std::move(client.sasl->account);
  client.sasl.reset();
  server.accounts().Login(client, account, "SASL SCRAM-SHA-256");
  client.Numeric("903", {"SASL authentication successful"});
}

void StartSasl(Client& client, std::string_view mechanism) {
  std::string upper(mechanism);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto session = std::make_unique<SaslSession>();
  if (upper == "PLAIN") {
    session->mechanism = SaslSession::Mechanism::kPlain;
  } else if (upper == "SCRAM-SHA-256") {
    session->mechanism = SaslSession::Mechanism::kScramSha256;
  } else {
    client.Numeric("908", {kMechanisms, "are available SASL mechanisms"});
    SaslFailed(client);
    return;
  }
  client.sasl = std::move(session);
  client.Send("AUTHENTICATE +\r\n");
}

void HandleAuthenticate(Server& server, Client& client, const irc::Message& msg) {
  std::string_view arg = msg.Param(0);
  if (!client.HasCap(kCapSasl)) {
    client.Numeric("904", {"SASL authentication failed: request the sasl capability first"});
    return;
  }
  if (arg == "*") {
    if (client.sasl) {
      AbortSasl(client);
    } else {
      client.Numeric("906", {"SASL authentication aborted"});
    }
    return;
  }
  if (!client.sasl) {
    if (!client.account().empty()) {
      client.Numeric("907", {"You have already authenticated using SASL"});
      return;
    }
    if (arg.empty()) {
      SaslFailed(client);
      return;
    }
    StartSasl(client, arg);
    return;
  }
  SaslSession& session = *client.sasl;
  if (arg.size() > kChunk) {
    client.sasl.reset();
    client.Numeric("905", {"SASL message too long"});
    return;
  }
  if (arg != "+") session.buffer.append(arg);
  if (session.buffer.size() > kMaxPayload) {
    SaslFailed(client);
    return;
  }
  if (arg.size() == kChunk) return;  // more to come
  auto decoded = Base64Decode(session.buffer);
  session.buffer.clear();
  if (!decoded.ok()) {
    SaslFailed(client);
    return;
  }
  if (session.mechanism == SaslSession::Mechanism::kPlain) {
    StepPlain(server, client, *decoded);
    return;
  }
  switch (session.step) {
    case SaslSession::Step::kFirst:
      StepScramFirst(server, client, *decoded);
      return;
    case SaslSession::Step::kScramFinal:
      StepScramFinal(server, client, *decoded);
      return;
    case SaslSession::Step::kScramAck:
      StepScramAck(server, client, *decoded);
      return;
  }
}

}  // namespace

void AbortSasl(Client& client) {
  if (!client.sasl) return;
  client.sasl.reset();
  client.Numeric("906", {"SASL authentication aborted"});
}

void AddSaslCommands(CommandTable& table) {
  table.Add("AUTHENTICATE", {HandleAuthenticate, 1, true});
}

}  // namespace salon::core

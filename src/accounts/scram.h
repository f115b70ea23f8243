// SCRAM-SHA-256 server side (RFC 5802 with RFC 7677) for SASL: the stored credentials and the
// per-attempt state machine. No channel binding (SCRAM-SHA-256-PLUS is not offered), no
// SASLprep (passwords and names are taken as their UTF-8 bytes).
//
// Threads: MakeScramCredentials runs PBKDF2 (thousands of HMACs): call it on a WorkerPool.
// MakeMockScramCredentials and a ScramServer's methods are a handful of HMACs and may run on
// the event loop. A ScramServer belongs to one connection and is used by its owner thread.
//
// Exchange: ParseClientFirst -> (caller looks the user up) -> ServerFirst(credentials) or,
// when there is no such account, ServerFirstForUnknownUser(secret) -> HandleClientFinal. Each
// step may be called once, in that order; any error ends the exchange (later calls fail).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace salon::accounts {

inline constexpr uint32_t kScramDefaultIterations = 4096;  // RFC 7677's minimum

// What is stored per account for SCRAM (raw bytes; base64 them to store as text).
struct ScramCredentials {
  std::string salt;
  uint32_t iterations = 0;
  std::string stored_key;  // H(ClientKey), 32 bytes
  std::string server_key;  // HMAC(SaltedPassword, "Server Key"), 32 bytes
};

// With a random 16-byte salt. Blocking (PBKDF2).
ScramCredentials MakeScramCredentials(std::string_view password,
                                      uint32_t iterations = kScramDefaultIterations);
// With the given salt (tests, known vectors). Blocking (PBKDF2).
ScramCredentials MakeScramCredentials(std::string_view password, std::string_view salt,
                                      uint32_t iterations);
// Credentials for an account that does not exist, derived from a server secret and the name
// with HMAC (cheap) so the same unknown name always gets the same salt, as a real account
// would: an attacker cannot tell "no such user" from "wrong password". No password matches.
ScramCredentials MakeMockScramCredentials(std::string_view server_secret, std::string_view username,
                                          uint32_t iterations = kScramDefaultIterations);

struct ScramClientFirst {
  std::string username;  // saslname decoded (=2C -> ',', =3D -> '=')
  std::string authzid;   // decoded; empty when the client sent none
};

struct ScramServerFinal {
  bool ok = false;
  // The server-final message to send: "v=<base64 ServerSignature>" on success, else
  // "e=<server-error-value>" (invalid-encoding, channel-bindings-dont-match, invalid-proof,
  // other-error). An unknown user fails with e=invalid-proof, exactly like a wrong password.
  std::string message;
};

class ScramServer {
 public:
  ScramServer();  // random 18-byte server nonce (24 base64 characters)
  // REQUIRES: printable ASCII without ',' (tests use it to replay known vectors).
  explicit ScramServer(std::string server_nonce);

  // Parses the client-first message. Errors name the problem (for the log and 904): gs2
  // header other than "n,," / "y,," / "n,a=<authzid>," / "y,a=<authzid>,", "p=" channel
  // binding (unsupported), "m=" mandatory extension, missing or empty n= / r=, bad saslname
  // escape ('=' not followed by 2C or 3D), NUL, non-printable nonce.
  Result<ScramClientFirst> ParseClientFirst(std::string_view message);

  // The server-first message "r=<client nonce><server nonce>,s=<base64 salt>,i=<iterations>".
  // Errors: called out of order, or credentials without 32-byte keys / zero iterations.
  Result<std::string> ServerFirst(const ScramCredentials& credentials);

  // As ServerFirst with MakeMockScramCredentials(server_secret, username, iterations); the
  // exchange then runs to the end and fails with e=invalid-proof. Pass the iteration count
  // real accounts get, or the i= value gives the game away.
  Result<std::string> ServerFirstForUnknownUser(std::string_view server_secret,
                                                uint32_t iterations = kScramDefaultIterations);

  // Checks the client-final message: c= must be the base64 of the gs2 header sent first, r=
  // exactly the combined nonce, p= the proof (compared in constant time).
  ScramServerFinal HandleClientFinal(std::string_view message);

  // After ParseClientFirst succeeded.
  const std::string& username() const { return username_; }
  const std::string& authzid() const { return authzid_; }
  // True once HandleClientFinal accepted the proof.
  bool succeeded() const { return state_ == State::kSucceeded; }

 private:
  enum class State { kStart, kClientFirstParsed, kServerFirstSent, kSucceeded, kFailed };

  Result<std::string> Fail(std::string message);

  State state_ = State::kStart;
  std::string server_nonce_;
  std::string gs2_header_;         // e.g. "n,,", what c= must encode
  std::string client_first_bare_;  // as received, for AuthMessage
  std::string client_nonce_;
  std::string username_;
  std::string authzid_;
  std::string server_first_;
  std::string stored_key_;
  std::string server_key_;
  bool unknown_user_ = false;
};

}  // namespace salon::accounts

// ScramClient: the client side of SCRAM-SHA-256 (RFC 5802/7677), for tests and tools that log
// in to a real server. Self-contained on OpenSSL + base/base64 + accounts/scram_crypto so the
// integration test binary (which does not link salon_lib) compiles it in.
// One object per exchange, used by one thread. No channel binding, no SASLprep.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace salon::accounts {

class ScramClient {
 public:
  // An empty client_nonce means 18 random bytes, base64-encoded.
  ScramClient(std::string username, std::string password, std::string client_nonce = "");

  // "n,,n=<saslname>,r=<client nonce>".
  std::string ClientFirst() const;

  // Checks the server-first (r= extends our nonce, s= base64, i= a positive number at most
  // 1,000,000) and returns the client-final "c=biws,r=<nonce>,p=<proof>". Blocking (PBKDF2).
  Result<std::string> HandleServerFirst(std::string_view server_first);

  // True when server_final is "v=<the ServerSignature we expect>" (compared in constant time).
  bool VerifyServerFinal(std::string_view server_final) const;

 private:
  std::string username_;
  std::string password_;
  std::string client_nonce_;
  std::string expected_server_signature_;  // set by HandleServerFirst
};

}  // namespace salon::accounts

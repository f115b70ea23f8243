// SCRAM-SHA-256 client: builds the messages a conforming client sends and checks the server's
// signature.
#include "accounts/scram_client.h"

#include <openssl/crypto.h>

#include <charconv>

#include "accounts/scram_crypto.h"
#include "base/base64.h"

namespace salon::accounts {
namespace {

constexpr uint32_t kMaxIterations = 1'000'000;  // a hostile server must not stall a test

}  // namespace

ScramClient::ScramClient(std::string username, std::string password, std::string client_nonce)
    : username_(std::move(username)),
      password_(std::move(password)),
      client_nonce_(client_nonce.empty() ? Base64Encode(scram::RandomBytes(18))
                                         : std::move(client_nonce)) {}

std::string ScramClient::ClientFirst() const {
  return "n,,n=" + scram::EscapeSaslName(username_) + ",r=" + client_nonce_;
}

Result<std::string> ScramClient::HandleServerFirst(std::string_view server_first) {
  // server-first-message = [reserved-mext ","] nonce "," salt "," iteration-count ["," ext]
  std::string_view rest = server_first;
  auto take = [&rest](std::string_view prefix) -> Result<std::string_view> {
    if (!rest.starts_with(prefix)) return Error{"server-first: expected " + std::string(prefix)};
    size_t comma = rest.find(',');
    std::string_view value = rest.substr(prefix.size(), comma - prefix.size());
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    return value;
  };
  auto nonce = take("r=");
  if (!nonce.ok()) return Error{nonce.error()};
  if (!nonce->starts_with(client_nonce_) || nonce->size() == client_nonce_.size()) {
    return Error{"server-first: nonce does not extend the client nonce"};
  }
  auto salt_b64 = take("s=");
  if (!salt_b64.ok()) return Error{salt_b64.error()};
  auto salt = Base64Decode(*salt_b64);
  if (!salt.ok() || salt->empty()) return Error{"server-first: bad salt"};
  auto iter_text = take("i=");
  if (!iter_text.ok()) return Error{iter_text.error()};
  uint32_t iterations = 0;
  auto [end, ec] =
      std::from_chars(iter_text->data(), iter_text->data() + iter_text->size(), iterations);
  if (ec != std::errc() || end != iter_text->data() + iter_text->size() || iterations == 0 ||
      iterations > kMaxIterations) {
    return Error{"server-first: bad iteration count"};
  }

  scram::DerivedKeys keys = scram::DeriveKeys(password_, *salt, iterations);
  std::string without_proof = "c=" + Base64Encode("n,,") + ",r=" + std::string(*nonce);
  std::string auth_message =
      ClientFirst().substr(3) + "," + std::string(server_first) + "," + without_proof;
  std::string client_signature = scram::HmacSha256(keys.stored_key, auth_message);
  std::string proof = scram::XorBytes(keys.client_key, client_signature);
  expected_server_signature_ = scram::HmacSha256(keys.server_key, auth_message);
  return without_proof + ",p=" + Base64Encode(proof);
}

bool ScramClient::VerifyServerFinal(std::string_view server_final) const {
  if (expected_server_signature_.empty() || !server_final.starts_with("v=")) return false;
  auto signature = Base64Decode(server_final.substr(2));
  return signature.ok() && signature->size() == expected_server_signature_.size() &&
         CRYPTO_memcmp(signature->data(), expected_server_signature_.data(), signature->size()) ==
             0;
}

}  // namespace salon::accounts

// SaslSession: the state of one SASL exchange (IRCv3 SASL 3.2) on a connection, from
// "AUTHENTICATE <mechanism>" to 903/904/906. Owned by its Client (Client::sasl); handled by
// core/commands/sasl.cc. Thread: the event-loop thread only.
#pragma once

#include <memory>
#include <string>

#include "accounts/scram.h"
#include "storage/store.h"

namespace salon::core {

struct SaslSession {
  enum class Mechanism { kPlain, kScramSha256 };
  enum class Step {
    kFirst,       // waiting for the client's first message
    kScramFinal,  // SCRAM: server-first sent, waiting for client-final
    kScramAck,    // SCRAM: server-final sent, waiting for the client's empty "+"
  };
  Mechanism mechanism = Mechanism::kPlain;
  Step step = Step::kFirst;
  std::string buffer;  // base64 chunks of 400 bytes gathered so far
  std::unique_ptr<accounts::ScramServer> scram;
  // SCRAM: the account being logged in to (found at client-first; empty name when unknown).
  storage::StoredAccount account;
  bool account_known = false;
};

}  // namespace salon::core

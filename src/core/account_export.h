// The GDPR export of an account (ACCOUNT EXPORT, docs/account-protocol.md): one JSON document
// made from everything the store keeps about the account (storage::AccountData), and its cutting
// into pieces small enough for IRC lines.
//
// What is left out, on purpose: the password hash, the SCRAM salt and keys and the verification
// code hash (secrets), and the IP addresses of audit entries whose actor is someone else (an
// address is shown only to its owner and to operators).
// Pure functions, any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/store.h"

namespace salon::core {

// The export document, serialized (UTF-8). `exported_at` is unix seconds.
std::string AccountExportJson(const storage::AccountData& data, int64_t exported_at);

// `text` cut into pieces of at most `max_bytes` (>= 4) that never split a UTF-8 sequence;
// joined, they are `text` again. The views point into `text`.
std::vector<std::string_view> SplitUtf8(std::string_view text, std::size_t max_bytes);

}  // namespace salon::core

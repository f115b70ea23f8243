// SASL PLAIN message splitting with the RFC 4616 field rules.
#include "accounts/sasl_plain.h"

namespace salon::accounts {

Result<SaslPlain> ParseSaslPlain(std::string_view message) {
  size_t first = message.find('\0');
  size_t second = first == std::string_view::npos ? first : message.find('\0', first + 1);
  if (second == std::string_view::npos ||
      message.find('\0', second + 1) != std::string_view::npos) {
    return Error{"PLAIN message must have exactly two NUL separators"};
  }
  std::string_view authzid = message.substr(0, first);
  std::string_view authcid = message.substr(first + 1, second - first - 1);
  std::string_view password = message.substr(second + 1);
  if (authcid.empty()) return Error{"PLAIN authcid is empty"};
  if (password.empty()) return Error{"PLAIN password is empty"};
  if (authzid.size() > kSaslPlainMaxIdentity) return Error{"PLAIN authzid is too long"};
  if (authcid.size() > kSaslPlainMaxIdentity) return Error{"PLAIN authcid is too long"};
  if (password.size() > kSaslPlainMaxPassword) return Error{"PLAIN password is too long"};
  return SaslPlain{std::string(authzid), std::string(authcid), std::string(password)};
}

}  // namespace salon::accounts

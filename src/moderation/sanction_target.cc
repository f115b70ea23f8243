// Reading a moderation command's target: see sanction_target.h.
#include "moderation/sanction_target.h"

#include "core/client.h"
#include "core/server.h"
#include "moderation/cidr.h"
#include "protocol/irc/mask.h"

namespace salon::moderation {

std::optional<SanctionTarget> ResolveTarget(core::Server& server, std::string_view text) {
  if (text.empty()) return std::nullopt;
  constexpr std::string_view kAccount = "account:";
  if (text.size() > kAccount.size() && text.substr(0, kAccount.size()) == kAccount) {
    return SanctionTarget{TargetKind::kAccount, std::string(text.substr(kAccount.size())), nullptr};
  }
  if (text.find('!') == std::string_view::npos && text.find('@') == std::string_view::npos) {
    if (auto range = CidrRange::Parse(text)) {
      return SanctionTarget{TargetKind::kCidr, range->ToString(), nullptr};
    }
    // Nicks contain neither '.' nor ':' nor wildcards: anything with one is a host.
    if (text.find_first_of(".:*?") == std::string_view::npos) {
      core::Client* client = server.users().Find(text);
      if (client == nullptr) return std::nullopt;
      if (!client->account().empty()) {
        return SanctionTarget{TargetKind::kAccount, client->account(), client};
      }
      return SanctionTarget{TargetKind::kMask, "*!*@" + client->host, client};
    }
  }
  return SanctionTarget{TargetKind::kMask, irc::NormalizeMask(text), nullptr};
}

}  // namespace salon::moderation

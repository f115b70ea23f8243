// The policy seam's defaults (allow, ignore) and the verdict replies: see policy.h.
#include "core/policy.h"

#include <string>

#include "core/capabilities.h"
#include "core/client.h"
#include "core/response_buffer.h"
#include "protocol/irc/line_builder.h"

namespace salon::core {

Verdict Policy::CheckMessage(const MessageAttempt&) { return {}; }
Verdict Policy::CheckPrivateOpen(const MessageAttempt&) { return {}; }
Verdict Policy::CheckJoin(Client&, Channel&, std::string_view) { return {}; }
Verdict Policy::CheckRoomCreation(Client&, std::string_view) { return {}; }
Verdict Policy::CheckNickChange(Client&, std::string_view) { return {}; }
Verdict Policy::CheckTopic(Client&, Channel&, std::string_view) { return {}; }
Verdict Policy::CheckProfile(Client&, const Profile&) { return {}; }
void Policy::OnConnected(Client&) {}
void Policy::OnRegistered(Client&) {}
void Policy::OnLoggedIn(Client&) {}
void Policy::OnDisconnected(Client&) {}
void Policy::OnRoomCreated(Client&, Channel&) {}
void Policy::OnKick(Client&, Client&, Channel&, std::string_view) {}

Verdict CheckPrivateMessage(Policy& policy, const MessageAttempt& attempt) {
  if (!attempt.from.HasConversationWith(attempt.recipient->id())) {
    Verdict verdict = policy.CheckPrivateOpen(attempt);
    if (!verdict.allowed()) return verdict;
  }
  return policy.CheckMessage(attempt);
}

void OpenConversation(Client& from, Client& to) {
  if (&from == &to) return;
  from.AddConversation(to.id());
  to.AddConversation(from.id());
}

void AppendVerdict(std::string* out, std::string_view server_name, const Client& client,
                   std::string_view command, std::string_view target, const Verdict& verdict) {
  if (verdict.allowed()) return;
  const bool hold = verdict.kind == Verdict::Kind::kHold;
  const bool replies = client.HasCap(kCapStandardReplies);
  if (verdict.code != nullptr && replies) {
    ResponseBuffer::AppendStandard(out, server_name, hold ? "NOTE" : "FAIL", command, verdict.code,
                                   {target}, verdict.reason);
  }
  if (verdict.numeric != nullptr) {
    ResponseBuffer::AppendNumeric(out, server_name, client.NickOrStar(), verdict.numeric,
                                  {target, verdict.reason});
  } else if (hold && !replies) {
    irc::LineBuilder(out)
        .Begin({}, server_name, "NOTICE")
        .Param(client.NickOrStar())
        .Trailing(verdict.reason)
        .End();
  }
}

void SendVerdict(Client& client, std::string_view command, std::string_view target,
                 const Verdict& verdict) {
  if (verdict.allowed()) return;
  const bool hold = verdict.kind == Verdict::Kind::kHold;
  const bool replies = client.HasCap(kCapStandardReplies);
  if (verdict.code != nullptr && replies) {
    client.Standard(hold ? "NOTE" : "FAIL", command, verdict.code, {target}, verdict.reason);
  }
  if (verdict.numeric != nullptr) {
    client.Numeric(verdict.numeric, {target, verdict.reason});
  } else if (hold && !replies) {
    client.ServerNotice(verdict.reason);
  }
}

}  // namespace salon::core

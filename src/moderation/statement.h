// Statements of reasons (docs/moderation.md): what the person a moderation decision is about is
// told — what was decided, on which rule or reason, for how long, how to contest it, and the
// reference that names the decision in the audit log. Standard-replies clients get
//   NOTE * DECISION <ref> <action> <scope> <expires> :<statement>
// (the web client shows it as a dialog); the others the same statement as a server NOTICE.
// Thread: the event-loop thread only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace salon::config {
struct Admin;
}

namespace salon::core {
class Client;
}

namespace salon::moderation {

struct Decision {
  std::string ref;           // "D-1a2b3c"
  std::string action;        // warn mute unmute kick ban unban suspend hold strike
  std::string scope;         // "*" (the server) or the room's name
  int64_t expires_at_s = 0;  // unix seconds, 0: no end (or not applicable)
  std::string reason;        // the moderator's reason or the rule's name
  // Said before the reason, e.g. "Strike 2 of the last 30 days." (may be empty).
  std::string preamble;
};

// A fresh reference: "D-" and six hex digits, random (not a counter, so that it tells nothing
// about how many decisions there were).
std::string NewDecisionRef();

// The statement's text (one line), with the contest sentence: admin.email when set, else "reply
// to a moderator".
std::string StatementText(const Decision& decision, const config::Admin& admin);

// Sends the statement to `client` (NOTE * DECISION to standard-replies clients, NOTICE
// otherwise).
void SendStatement(core::Client& client, const Decision& decision, const config::Admin& admin);

}  // namespace salon::moderation

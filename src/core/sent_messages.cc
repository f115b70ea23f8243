// SentMessages: see sent_messages.h.
#include "core/sent_messages.h"

#include <utility>

#include "core/client.h"
#include "protocol/irc/casemap.h"

namespace salon::core {

void SentMessages::Record(const Client& from, std::string_view target, std::string msgid) {
  Ring& ring = rings_[from.id()];
  Entry& entry = ring.entries[ring.next];
  entry.msgid = std::move(msgid);
  entry.folded_target.assign(target);
  irc::FoldInPlace(&entry.folded_target);
  ring.next = (ring.next + 1) % kPerClient;
}

bool SentMessages::SentBy(const Client& client, std::string_view target,
                          std::string_view msgid) const {
  auto it = rings_.find(client.id());
  if (it == rings_.end() || msgid.empty()) return false;
  const std::string folded = irc::Fold(target);
  for (const Entry& entry : it->second.entries) {
    if (entry.msgid == msgid && entry.folded_target == folded) return true;
  }
  return false;
}

void SentMessages::Forget(const Client& client, std::string_view msgid) {
  auto it = rings_.find(client.id());
  if (it == rings_.end()) return;
  for (Entry& entry : it->second.entries) {
    if (entry.msgid == msgid) entry = Entry{};
  }
}

void SentMessages::OnQuit(const Client& client) { rings_.erase(client.id()); }

}  // namespace salon::core

// Whowas: see whowas.h.
#include "core/whowas.h"

#include "core/client.h"

namespace salon::core {

void Whowas::Remember(const Client& client, int64_t now_unix) {
  if (capacity_ == 0) return;
  entries_.push_front(
      {client.nick, client.user, client.host, client.ip(), client.realname, now_unix});
  if (entries_.size() > capacity_) entries_.pop_back();
}

}  // namespace salon::core

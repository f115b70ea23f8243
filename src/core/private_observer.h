// PrivateObserver: the seam through which a part outside the core (moderation/reports/, wired by
// app/main.cc) sees every delivered private message, e.g. to keep the bounded evidence window
// of private conversations. The core calls it from History's recording of private messages
// (every path that delivers one: PRIVMSG/NOTICE/TAGMSG, a draft/multiline batch, a held message
// released), after delivery, whether or not history keeps the message. Installed once before
// Server::Start; none installed costs one null check per private message.
// Thread: the event-loop thread only.
#pragma once

#include <string_view>

namespace salon::core {

class Broadcast;
class Client;

class PrivateObserver {
 public:
  virtual ~PrivateObserver() = default;
  // A private message from `from` to `to` (never to oneself) was delivered: `msg` is the line
  // relayed (msgid, time, "PRIVMSG <nick> :<text>").
  virtual void OnPrivateMessage(const Client& from, const Client& to, const Broadcast& msg) = 0;
  // A draft/multiline message: `open` is its BATCH line's broadcast (msgid, time), `text` its
  // lines joined by '\n'.
  virtual void OnPrivateMultiline(const Client& from, const Client& to, const Broadcast& open,
                                  std::string_view command, std::string_view text) = 0;
};

}  // namespace salon::core

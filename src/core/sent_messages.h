// SentMessages: the msgids of the last kPerClient messages (PRIVMSG, NOTICE, TAGMSG, a
// multi-line message) each connection sent, with where it sent them. It tells REDACT
// (draft/message-redaction, core/commands/redact.cc) that a connection is the sender of a
// message, whatever the room's history keeps: a guest is known only by its connection, and a
// private message has history only when both sides opted in. No text is kept.
//
// Owned by the Server (Server::sent_messages()). Thread: the event-loop thread only.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace salon::core {

class Client;

class SentMessages {
 public:
  static constexpr std::size_t kPerClient = 16;

  // `from` sent the message `msgid` to `target` (a channel name or a nick, any case).
  void Record(const Client& from, std::string_view target, std::string msgid);
  // True when `client` sent `msgid` to `target` among its last kPerClient messages.
  bool SentBy(const Client& client, std::string_view target, std::string_view msgid) const;
  // The message was redacted: it is no longer known as sent.
  void Forget(const Client& client, std::string_view msgid);
  void OnQuit(const Client& client);

 private:
  struct Entry {
    std::string msgid;
    std::string folded_target;
  };
  struct Ring {
    std::array<Entry, kPerClient> entries;
    std::size_t next = 0;  // the slot the next message overwrites
  };
  std::unordered_map<uint64_t, Ring> rings_;  // by client id
};

}  // namespace salon::core

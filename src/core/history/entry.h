// HistoryEntry: one message or event kept for CHATHISTORY (docs/history.md), in a room's
// in-memory window, a private conversation's window, or read back from stored history.
//
// Messages (PRIVMSG, NOTICE, TAGMSG) keep their parts so that a replay can be built for each
// requester's capabilities and a multi-line message can be replayed as a draft/multiline batch;
// events (JOIN, PART, KICK, QUIT, NICK, TOPIC, MODE) keep the line as it was relayed.
#pragma once

#include <cstdint>
#include <string>

namespace salon::core {

enum class HistoryKind : uint8_t {
  kMessage,  // PRIVMSG, NOTICE, TAGMSG
  kEvent,    // replayed only to draft/event-playback clients
};

struct HistoryEntry {
  // The server's order of everything recorded (unique, increasing; continues across restarts
  // because stored rows keep it). Entries compare by (time_ms, id).
  int64_t id = 0;
  int64_t time_ms = 0;  // server-time, unix milliseconds
  HistoryKind kind = HistoryKind::kMessage;
  std::string msgid;
  std::string account;      // the sender's account, empty for a guest or the server
  std::string client_tags;  // the sender's '+' tags, escaped, ';'-joined (messages only)
  // kMessage: the parts of the line. text holds the lines of a multi-line message joined by
  // '\n'; it is empty for TAGMSG.
  std::string command;  // "PRIVMSG", "NOTICE" or "TAGMSG"
  std::string source;   // nick!user@host
  std::string target;   // the room, or the nick the private message was sent to
  std::string text;
  // kEvent: the line as relayed, without tags, CRLF-terminated.
  std::string line;

  // Replayed only to draft/event-playback clients: events and TAGMSG (the chathistory
  // specification allows only PRIVMSG and NOTICE to other clients).
  bool PlaybackOnly() const { return kind == HistoryKind::kEvent || command == "TAGMSG"; }
};

}  // namespace salon::core

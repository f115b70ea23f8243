// The data of stored room history (docs/history.md) as the Store interface carries it: one row
// per message, and the range a CHATHISTORY read asks for. The chat core's history
// (core/history/) builds on the same bound type, so that a range computed for the in-memory
// window is passed to the store unchanged.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace salon::storage {

// A stored message of a room with stored history. Events (JOIN, MODE...) are never stored.
struct HistoryRow {
  int64_t id = 0;       // the server's order of recorded entries (unique, increasing)
  std::string room;     // case-folded room name
  int64_t time_ms = 0;  // server-time, unix milliseconds
  std::string msgid;
  std::string command;  // PRIVMSG, NOTICE or TAGMSG
  std::string source;   // nick!user@host
  std::string account;  // the sender's account, empty for a guest
  std::string target;   // the room name as displayed
  std::string text;     // '\n' between the lines of a multi-line message
  std::string client_tags;
};

// One end of a range. Entries are ordered by (time_ms, id); a kTime bound compares the time
// only (CHATHISTORY's timestamp references), a kPosition bound both (a msgid reference).
struct HistoryBound {
  enum class Kind : uint8_t { kNone, kTime, kPosition };
  Kind kind = Kind::kNone;
  int64_t time_ms = 0;
  int64_t id = 0;          // kPosition only
  bool inclusive = false;  // the entry at the bound itself matches

  static HistoryBound Time(int64_t time_ms, bool inclusive = false) {
    return {Kind::kTime, time_ms, 0, inclusive};
  }
  static HistoryBound Position(int64_t time_ms, int64_t id, bool inclusive = false) {
    return {Kind::kPosition, time_ms, id, inclusive};
  }
  bool none() const { return kind == Kind::kNone; }
};

// Rows of one room strictly within (lo, hi) (or inclusive, per bound), not older than
// not_before_ms: the newest `limit` of them, or the oldest; returned oldest first.
struct HistoryQuery {
  std::string room;  // case-folded
  HistoryBound lo;
  HistoryBound hi;
  bool newest = true;
  std::size_t limit = 0;
  bool with_tagmsg = false;   // TAGMSG rows too (draft/event-playback clients)
  int64_t not_before_ms = 0;  // rows older than the room's retention are never returned
};

}  // namespace salon::storage

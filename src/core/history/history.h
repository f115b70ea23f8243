// History: what CHATHISTORY serves (docs/history.md). No general archive:
// - every room keeps an in-memory window of its last messages (config [history]
//   memory_messages / memory_minutes), with the events between them (JOIN, PART, KICK, QUIT,
//   NICK, TOPIC, MODE) for draft/event-playback clients. The window belongs to the Channel
//   (Channel::history): it goes with a room that disappears when empty, and a kept room
//   (declared or registered) keeps it while empty until it ages out. Nothing of it is written
//   to disk.
// - a room whose founder turned stored history on (ChanServ SET HISTORY, at most
//   stored_max_days) also has its messages (not events) written to the store, and deleted on
//   schedule; CHATHISTORY reads them back beyond the window. Rows go to the store in chunks
//   (every second, or 20,000 rows): a commit costs per page it touches (every room's index
//   leaf), so one transaction of many rows is what makes 20,000 stored messages a second
//   cheap. A crash loses the last second of stored messages, never a kept room's settings.
// - a private conversation has a window too, only while both sides are logged in and both
//   opted in (NickServ SET HISTORY ON); it is keyed by the two accounts, never stored.
//
// Order: entries carry an id from one counter (continued from the store's highest id at
// start-up), so the window and stored rows form one sequence ordered by (time, id). Times
// follow ids: an entry is never given a time before the previous one's (a clock stepped back,
// or a restart after one, would otherwise put new messages before stored ones); this differs
// from the relayed server-time only while the wall clock is behind. A window
// is a suffix of that sequence: whatever precedes its front is in the store or gone. A stored
// room's window keeps the entries the store has not committed yet (whatever the bounds), so a
// read never misses a message in between.
//
// Owned by the Server (Server::history()). Thread: the event-loop thread only; store reads
// complete there through the store's Poster.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/history/entry.h"
#include "core/history/message_ref.h"
#include "core/history/range.h"
#include "core/history/window.h"
#include "storage/store.h"

namespace salon::core {

class Broadcast;
class Channel;
class Client;
class PrivateObserver;
class Server;

// One CHATHISTORY subcommand that returns messages (TARGETS is Targets()).
struct HistoryRequest {
  enum class Sub : uint8_t { kLatest, kBefore, kAfter, kAround, kBetween };
  Sub sub = Sub::kLatest;
  std::string target;  // channel or nick, as given
  MessageRef first;    // LATEST: kStar allowed
  MessageRef second;   // BETWEEN only
  std::size_t limit = 0;
  bool playback = false;  // the requester has draft/event-playback
};

struct HistoryReply {
  enum class Status : uint8_t {
    kOk,
    kInvalidTarget,  // no such room or nick, or not a member
    kMessageError,   // the store could not be read
  };
  Status status = Status::kOk;
  std::string target;                 // canonical name for the batch (room name, nick as given)
  std::vector<HistoryEntry> entries;  // oldest first
};
using HistoryReplyDone = std::function<void(HistoryReply)>;

// One line of CHATHISTORY TARGETS.
struct HistoryTarget {
  std::string name;  // room name, or the other account of a private conversation
  int64_t last_ms = 0;
};

class History {
 public:
  explicit History(Server& server);
  History(const History&) = delete;
  History& operator=(const History&) = delete;

  // Start-up: reads the store's history state (blocking) and arms the sweeps on the
  // housekeeping (windows every 10 s; stored expiry every minute).
  void Start();
  // Shutdown: hands the rows still waiting for their chunk to the store (before its Flush).
  void Shutdown();

  // --- Recording (after the fan-out) ------------------------------------------------------
  // A message (PRIVMSG, NOTICE, TAGMSG without a status prefix) or an event of the room. A
  // TAGMSG that carries only typing notifications is not kept.
  void Record(Channel& channel, const Broadcast& msg, HistoryKind kind);
  // A private message; kept only when both are logged in and both opted in.
  void RecordPrivate(const Client& from, const Client& to, const Broadcast& msg);
  // A draft/multiline message, kept as one entry: `open` is the broadcast of its
  // "BATCH +id draft/multiline <target>" line (msgid, time, sender, client tags), `command`
  // PRIVMSG or NOTICE, `text` its lines joined by '\n' (a concat line joined without).
  void RecordMultiline(Channel& channel, const Broadcast& open, std::string_view command,
                       std::string text);
  void RecordPrivateMultiline(const Client& from, const Client& to, const Broadcast& open,
                              std::string_view command, std::string text);

  // --- Reading (CHATHISTORY) --------------------------------------------------------------
  // Returns the reply at once when the window answers it; otherwise returns nullopt and calls
  // `done` later, on the event loop, once the store has been read. The requester must be a
  // member of a room; for a nick, history exists only for two opted-in accounts.
  std::optional<HistoryReply> Fetch(const Client& client, const HistoryRequest& request,
                                    HistoryReplyDone done);
  // Rooms the client is in and private conversations of its account, whose latest message is
  // strictly between the two times (either order), ordered by that time; at most `limit`,
  // counted from `from_ms`.
  std::vector<HistoryTarget> Targets(const Client& client, int64_t from_ms, int64_t to_ms,
                                     std::size_t limit) const;

  // --- Redaction (draft/message-redaction) ------------------------------------------------
  // The entry with that msgid in the window of `target`: a room, or a nick (then the
  // conversations of its account). nullptr when not in a window (it may still be stored).
  const HistoryEntry* FindByMsgid(std::string_view target, std::string_view msgid) const;
  // Removes the message from the window and, for a room with stored history, from the store.
  // True when the window held it.
  bool Redact(std::string_view target, std::string_view msgid);

  // --- Private-message opt-in -------------------------------------------------------------
  bool OptedIn(std::string_view account) const;
  // After the store committed NickServ SET HISTORY: turning it off drops the account's
  // conversations at once.
  void SetOptedIn(std::string_view account, bool on);
  // The account was deleted: its opt-in and conversations go.
  void ForgetAccount(std::string_view account);

  // --- Stored history ---------------------------------------------------------------------
  // The longest retention a founder may set (stored_max_days), in seconds; 0: none allowed.
  int64_t max_retention_s() const;

  // --- Observer ---------------------------------------------------------------------------
  // Told of every private message recorded here (core/private_observer.h); null: none. Set
  // before Server::Start; the observer outlives the server's use of it.
  void SetPrivateObserver(PrivateObserver* observer) { private_observer_ = observer; }

  // For tests and metrics.
  std::size_t conversation_count() const { return conversations_.size(); }

 private:
  struct Conversation {
    std::string first, second;  // the accounts as displayed, in key order
    HistoryWindow window;
  };
  // Where a request reads: the window of a room or conversation, and the store for a room
  // with stored history. Looked up again by key after each asynchronous step.
  struct Source {
    bool room = true;
    std::string key;   // folded room name, or conversation key
    std::string name;  // canonical name for the reply
    int64_t retention_s = 0;
  };
  struct FetchState;

  void Sweep();
  void ScheduleSweep();
  void ScheduleExpiry();
  // Numbers an entry and keeps times in the order of ids (see Order above).
  void Stamp(HistoryEntry& entry);
  // Keeps a message entry (MakeEntry's) in the room's window and, with stored history, the
  // store; or in the conversation of two opted-in accounts.
  // Whether a message to the room / between the two would be kept at all.
  bool KeepsRoom(const Channel& channel) const;
  bool KeepsPrivate(const Client& from, const Client& to) const;
  void Keep(Channel& channel, HistoryEntry entry);
  void KeepPrivate(const Client& from, const Client& to, HistoryEntry entry);
  // Drops aged entries, respecting uncommitted ones of stored rooms.
  void Prune(HistoryWindow& window, bool stored);
  std::string ConversationKey(std::string_view a, std::string_view b) const;
  const HistoryWindow* WindowOf(const Source& source) const;
  HistoryReply::Status Resolve(const Client& client, const std::string& target,
                               std::optional<Source>* out) const;
  void ResolveRefs(std::shared_ptr<FetchState> state);
  void RunRanges(std::shared_ptr<FetchState> state);
  void Finish(std::shared_ptr<FetchState> state);
  void OnCommitted(int64_t max_id);
  // Hands pending_ to the store as one chunk.
  void FlushPending();

  Server& server_;
  int64_t last_id_ = 0;
  int64_t last_time_ms_ = 0;  // of the last entry numbered (or the newest stored row)
  int64_t committed_id_ = 0;  // highest id the store committed (stored rooms' windows)
  std::unordered_set<std::string> opted_in_;                     // folded accounts
  std::unordered_map<std::string, Conversation> conversations_;  // by ConversationKey
  std::unordered_map<std::string, int64_t> stored_last_ms_;      // folded room -> newest stored row
  std::vector<storage::HistoryRow> pending_;  // stored rows waiting for their chunk
  boost::asio::steady_timer flush_timer_;
  bool flush_armed_ = false;
  PrivateObserver* private_observer_ = nullptr;
};

}  // namespace salon::core

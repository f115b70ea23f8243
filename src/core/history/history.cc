// History: see history.h. Recording, the windows' bounds (sweeps), and CHATHISTORY reads that
// combine a window with stored rows.
#include "core/history/history.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <memory>
#include <utility>

#include "core/account_service.h"
#include "core/broadcast.h"
#include "core/channel.h"
#include "core/client.h"
#include "core/private_observer.h"
#include "core/server.h"
#include "protocol/irc/casemap.h"
#include "protocol/irc/message.h"
#include "protocol/irc/names.h"

namespace salon::core {
namespace {

constexpr int64_t kSweepMs = 10'000;   // windows lose aged entries at least this often
constexpr int64_t kExpiryMs = 60'000;  // stored rows past their retention are deleted
constexpr int64_t kNoLimit = std::numeric_limits<int64_t>::max();
constexpr std::size_t kChunkRows = 20000;  // stored rows handed to the store at once...
constexpr int kChunkMs = 1000;             // ...or after this long, whichever comes first

// A TAGMSG whose client tags are only typing notifications is not history.
bool OnlyTyping(std::string_view client_tags) {
  bool other = false;
  irc::ForEachTag(client_tags, [&](std::string_view key, std::string_view) {
    if (key != "+typing" && key != "+draft/typing") other = true;
  });
  return !other;
}

// The entry of a relayed line (without id: the caller numbers what it keeps).
HistoryEntry MakeEntry(const Broadcast& msg, HistoryKind kind) {
  HistoryEntry e;
  e.time_ms = msg.stamp().time_ms;
  e.msgid = msg.msgid();
  e.kind = kind;
  if (kind == HistoryKind::kEvent) {
    e.line = msg.body();
    return e;
  }
  std::string_view line = msg.body();
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  irc::Message parsed;
  if (irc::Parse(line, &parsed) != irc::ParseError::kNone) return e;  // command stays empty
  for (const char* command : {"PRIVMSG", "NOTICE", "TAGMSG"}) {
    if (irc::CommandIs(parsed.command, command)) e.command = command;
  }
  e.source = std::string(parsed.source);
  e.target = std::string(parsed.Param(0));
  e.text = std::string(parsed.Param(1));
  e.client_tags = msg.client_tags();
  e.account = msg.account();
  return e;
}

// The entry of a multi-line message from its "BATCH +id draft/multiline <target>" line.
HistoryEntry MakeMultilineEntry(const Broadcast& open, std::string_view command, std::string text) {
  HistoryEntry e = MakeEntry(open, HistoryKind::kMessage);
  std::string_view line = open.body();
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  irc::Message parsed;
  if (irc::Parse(line, &parsed) != irc::ParseError::kNone || parsed.param_count < 3) {
    e.command.clear();  // not kept
    return e;
  }
  e.command = irc::CommandIs(command, "NOTICE") ? "NOTICE" : "PRIVMSG";
  e.target = std::string(parsed.Param(2));
  e.text = std::move(text);
  return e;
}

HistoryEntry FromRow(storage::HistoryRow row) {
  HistoryEntry e;
  e.id = row.id;
  e.time_ms = row.time_ms;
  e.kind = HistoryKind::kMessage;
  e.msgid = std::move(row.msgid);
  e.account = std::move(row.account);
  e.client_tags = std::move(row.client_tags);
  e.command = std::move(row.command);
  e.source = std::move(row.source);
  e.target = std::move(row.target);
  e.text = std::move(row.text);
  return e;
}

storage::HistoryRow ToRow(const HistoryEntry& e, const std::string& folded_room) {
  return storage::HistoryRow{e.id,     folded_room, e.time_ms, e.msgid, e.command,
                             e.source, e.account,   e.target,  e.text,  e.client_tags};
}

// The tighter of an upper bound and "before the window's front entry".
HistoryBound BeforeFront(const HistoryBound& hi, const HistoryEntry& front) {
  const HistoryBound at_front = HistoryBound::Position(front.time_ms, front.id);
  switch (hi.kind) {
    case HistoryBound::Kind::kNone:
      return at_front;
    case HistoryBound::Kind::kTime:
      // Window entries are at or after the front's time: a time bound not later than it
      // already excludes them.
      return (hi.inclusive ? hi.time_ms < front.time_ms : hi.time_ms <= front.time_ms) ? hi
                                                                                       : at_front;
    case HistoryBound::Kind::kPosition:
      return std::make_pair(hi.time_ms, hi.id) < std::make_pair(front.time_ms, front.id) ? hi
                                                                                         : at_front;
  }
  return at_front;
}

}  // namespace

// One CHATHISTORY read in progress: resolving msgid references, then running its ranges,
// each over the window and, when it reaches past the window's front, the store.
struct History::FetchState {
  HistoryRequest request;
  Source source;
  HistoryReplyDone done;
  HistoryReply reply;
  std::vector<MessageRef> refs;      // the references still to resolve come first
  std::vector<HistoryBound> bounds;  // resolved references, in order
  bool unknown_ref = false;          // a msgid that is nowhere: an empty reply
  // A stored room's window may still hold messages the store has not committed, whatever their
  // age: past the retention they are as good as deleted (the expiry may not have run yet).
  int64_t not_before_ms = 0;
  std::vector<HistoryRange> ranges;
  std::size_t next_range = 0;
  bool returned = false;  // Fetch has returned: the reply goes to done
  bool finished = false;
};

History::History(Server& server) : server_(server), flush_timer_(server.io()) {}

void History::Start() {
  storage::HistoryState state = server_.store().LoadHistoryState();
  last_id_ = committed_id_ = state.max_id;
  last_time_ms_ = state.max_time_ms;
  for (const std::string& account : state.opted_in) opted_in_.insert(irc::Fold(account));
  for (auto& [room, last_ms] : state.last_message_ms) stored_last_ms_[room] = last_ms;
  server_.store().SetHistoryCommitListener([this](int64_t max_id) { OnCommitted(max_id); });
  ScheduleSweep();
  ScheduleExpiry();
}

void History::Shutdown() {
  flush_timer_.cancel();
  FlushPending();
}

void History::FlushPending() {
  if (pending_.empty()) return;
  std::vector<storage::HistoryRow> chunk;
  chunk.swap(pending_);
  pending_.reserve(kChunkRows);
  server_.store().AppendHistory(std::move(chunk));
}

int64_t History::max_retention_s() const {
  return int64_t{server_.config().history.stored_max_days} * 86400;
}

// --- Recording ------------------------------------------------------------------------------

void History::Record(Channel& channel, const Broadcast& msg, HistoryKind kind) {
  if (kind == HistoryKind::kEvent) {
    if (server_.config().history.memory_messages == 0) return;
    HistoryEntry entry = MakeEntry(msg, kind);
    Stamp(entry);
    if (!channel.history) channel.history = std::make_unique<HistoryWindow>();
    channel.history->Append(std::move(entry));
    Prune(*channel.history, channel.history_retention_s > 0);
    return;
  }
  if (KeepsRoom(channel)) Keep(channel, MakeEntry(msg, kind));
}

// The entry (a parse of the line, the msgid formatted, its strings copied) is built only once
// the message is known to be kept: most private messages are between guests and never are.
void History::RecordPrivate(const Client& from, const Client& to, const Broadcast& msg) {
  if (private_observer_ != nullptr && &from != &to)
    private_observer_->OnPrivateMessage(from, to, msg);
  if (KeepsPrivate(from, to)) KeepPrivate(from, to, MakeEntry(msg, HistoryKind::kMessage));
}

void History::RecordMultiline(Channel& channel, const Broadcast& open, std::string_view command,
                              std::string text) {
  if (KeepsRoom(channel)) Keep(channel, MakeMultilineEntry(open, command, std::move(text)));
}

void History::RecordPrivateMultiline(const Client& from, const Client& to, const Broadcast& open,
                                     std::string_view command, std::string text) {
  if (private_observer_ != nullptr && &from != &to) {
    private_observer_->OnPrivateMultiline(from, to, open, command, text);
  }
  if (KeepsPrivate(from, to)) {
    KeepPrivate(from, to, MakeMultilineEntry(open, command, std::move(text)));
  }
}

bool History::KeepsRoom(const Channel& channel) const {
  return server_.config().history.memory_messages != 0 || channel.history_retention_s > 0;
}

bool History::KeepsPrivate(const Client& from, const Client& to) const {
  return server_.config().history.memory_messages != 0 && !from.account().empty() &&
         !to.account().empty() && OptedIn(from.account()) && OptedIn(to.account());
}

// REQUIRES: KeepsRoom(channel).
void History::Keep(Channel& channel, HistoryEntry entry) {
  const bool stored = channel.history_retention_s > 0;
  if (entry.command.empty()) return;  // not a line this server builds
  if (entry.command == "TAGMSG" && OnlyTyping(entry.client_tags)) return;
  Stamp(entry);
  if (stored) {
    pending_.push_back(ToRow(entry, channel.folded()));
    stored_last_ms_[channel.folded()] = entry.time_ms;
    if (pending_.size() >= kChunkRows) {
      FlushPending();
    } else if (!flush_armed_) {
      flush_armed_ = true;
      flush_timer_.expires_after(std::chrono::milliseconds(kChunkMs));
      flush_timer_.async_wait([this](const boost::system::error_code& ec) {
        flush_armed_ = false;
        if (!ec) FlushPending();
      });
    }
  }
  if (!channel.history) channel.history = std::make_unique<HistoryWindow>();
  channel.history->Append(std::move(entry));
  Prune(*channel.history, stored);
}

// REQUIRES: KeepsPrivate(from, to).
void History::KeepPrivate(const Client& from, const Client& to, HistoryEntry entry) {
  if (entry.command.empty()) return;
  if (entry.command == "TAGMSG" && OnlyTyping(entry.client_tags)) return;
  Stamp(entry);
  entry.account = from.account();
  std::string key = ConversationKey(from.account(), to.account());
  auto [it, added] = conversations_.try_emplace(key);
  if (added) {
    const bool from_first = irc::Fold(from.account()) <= irc::Fold(to.account());
    it->second.first = from_first ? from.account() : to.account();
    it->second.second = from_first ? to.account() : from.account();
  }
  it->second.window.Append(std::move(entry));
  Prune(it->second.window, false);
}

void History::Stamp(HistoryEntry& entry) {
  entry.id = ++last_id_;
  entry.time_ms = std::max(entry.time_ms, last_time_ms_);
  last_time_ms_ = entry.time_ms;
}

void History::Prune(HistoryWindow& window, bool stored) {
  const auto& config = server_.config().history;
  const int64_t cutoff = server_.clock().UnixMs() - int64_t{config.memory_minutes} * 60'000;
  window.Prune(cutoff, config.memory_messages, stored ? committed_id_ : kNoLimit);
}

void History::OnCommitted(int64_t max_id) { committed_id_ = std::max(committed_id_, max_id); }

void History::ScheduleSweep() {
  server_.housekeeping().ScheduleAfter(kSweepMs, [this] {
    Sweep();
    ScheduleSweep();
  });
}

void History::ScheduleExpiry() {
  server_.housekeeping().ScheduleAfter(kExpiryMs, [this] {
    const int64_t now = server_.clock().UnixMs();
    FlushPending();  // the expiry must see (and delete) every row queued before it
    server_.store().ExpireHistory(now);
    for (auto it = stored_last_ms_.begin(); it != stored_last_ms_.end();) {
      Channel* channel = server_.channels_registry().Find(it->first);
      const int64_t retention_ms = channel != nullptr ? channel->history_retention_s * 1000 : 0;
      it = it->second < now - retention_ms ? stored_last_ms_.erase(it) : std::next(it);
    }
    ScheduleExpiry();
  });
}

void History::Sweep() {
  for (const auto& [folded, channel] : server_.channels_registry().all()) {
    if (!channel->history) continue;
    Prune(*channel->history, channel->history_retention_s > 0);
    if (channel->history->empty()) channel->history.reset();
  }
  for (auto it = conversations_.begin(); it != conversations_.end();) {
    Prune(it->second.window, false);
    it = it->second.window.empty() ? conversations_.erase(it) : std::next(it);
  }
}

// --- Targets and windows --------------------------------------------------------------------

std::string History::ConversationKey(std::string_view a, std::string_view b) const {
  std::string fa = irc::Fold(a), fb = irc::Fold(b);
  if (fb < fa) std::swap(fa, fb);
  // Account names are nicks: they never hold a space.
  return fa + ' ' + fb;
}

const HistoryWindow* History::WindowOf(const Source& source) const {
  if (source.room) {
    Channel* channel = server_.channels_registry().Find(source.key);
    return channel != nullptr ? channel->history.get() : nullptr;
  }
  auto it = conversations_.find(source.key);
  return it != conversations_.end() ? &it->second.window : nullptr;
}

HistoryReply::Status History::Resolve(const Client& client, const std::string& target,
                                      std::optional<Source>* out) const {
  if (irc::IsChannelName(target)) {
    Channel* channel = server_.channels_registry().Find(target);
    // Members only: the room's conversation is for those in it (and a room one is not in
    // does not show whether it exists).
    if (channel == nullptr || !client.IsOn(channel)) return HistoryReply::Status::kInvalidTarget;
    *out = Source{true, channel->folded(), channel->name(), channel->history_retention_s};
    return HistoryReply::Status::kOk;
  }
  std::string other_account;
  if (const Client* other = server_.users().Find(target)) {
    other_account = other->account();
  } else if (server_.accounts().IsRegistered(target)) {
    other_account = target;
  } else {
    return HistoryReply::Status::kInvalidTarget;
  }
  // A real person to talk to, but no history kept with them: an empty reply.
  if (client.account().empty() || other_account.empty() || !OptedIn(client.account()) ||
      !OptedIn(other_account)) {
    return HistoryReply::Status::kOk;
  }
  *out = Source{false, ConversationKey(client.account(), other_account), target, 0};
  return HistoryReply::Status::kOk;
}

// --- Reading --------------------------------------------------------------------------------

std::optional<HistoryReply> History::Fetch(const Client& client, const HistoryRequest& request,
                                           HistoryReplyDone done) {
  std::optional<Source> source;
  HistoryReply::Status status = Resolve(client, request.target, &source);
  if (status != HistoryReply::Status::kOk || !source) {
    return HistoryReply{status, request.target, {}};
  }
  auto state = std::make_shared<FetchState>();
  state->request = request;
  state->source = std::move(*source);
  state->done = std::move(done);
  state->reply.target = state->source.name;
  if (state->source.retention_s > 0) {
    state->not_before_ms = server_.clock().UnixMs() - state->source.retention_s * 1000;
  }
  // Lazily drop what aged since the last sweep: a read never shows it.
  if (state->source.room) {
    Channel* channel = server_.channels_registry().Find(state->source.key);
    if (channel != nullptr && channel->history)
      Prune(*channel->history, state->source.retention_s > 0);
  } else if (auto it = conversations_.find(state->source.key); it != conversations_.end()) {
    Prune(it->second.window, false);
  }
  state->refs.push_back(request.first);
  if (request.sub == HistoryRequest::Sub::kBetween) state->refs.push_back(request.second);
  ResolveRefs(state);
  state->returned = true;
  if (state->finished) return std::move(state->reply);
  return std::nullopt;
}

void History::ResolveRefs(std::shared_ptr<FetchState> state) {
  while (!state->unknown_ref && state->bounds.size() < state->refs.size()) {
    const MessageRef& ref = state->refs[state->bounds.size()];
    if (ref.kind != MessageRef::Kind::kMsgid) {
      // kStar (LATEST) is "no bound"; the bound's inclusiveness is set per range below.
      state->bounds.push_back(ref.kind == MessageRef::Kind::kTime ? HistoryBound::Time(ref.time_ms)
                                                                  : HistoryBound{});
      continue;
    }
    const HistoryWindow* window = WindowOf(state->source);
    const HistoryEntry* entry = window != nullptr ? window->Find(ref.msgid) : nullptr;
    if (entry != nullptr && entry->time_ms >= state->not_before_ms) {
      state->bounds.push_back(HistoryBound::Position(entry->time_ms, entry->id));
      continue;
    }
    if (entry != nullptr) {
      state->unknown_ref = true;
      break;
    }
    if (!state->source.room || state->source.retention_s <= 0) {
      state->unknown_ref = true;
      break;
    }
    // Older than the window: the store knows it, or no one does.
    server_.store().FindHistoryMessage(
        state->source.key, ref.msgid,
        [this, state](Result<std::optional<storage::HistoryRow>> row) {
          if (!row) {
            state->reply.status = HistoryReply::Status::kMessageError;
            Finish(state);
            return;
          }
          if (!row->has_value() || (*row)->time_ms < state->not_before_ms) {
            state->unknown_ref = true;
          } else {
            state->bounds.push_back(HistoryBound::Position((*row)->time_ms, (*row)->id));
          }
          ResolveRefs(state);
        });
    return;
  }
  if (state->unknown_ref) {
    Finish(state);  // an empty reply: there is nothing around a message no one has
    return;
  }
  const HistoryRequest& req = state->request;
  HistoryRange range;
  range.limit = req.limit;
  range.playback = req.playback;
  range.not_before_ms = state->not_before_ms;
  HistoryBound first = state->bounds[0];
  switch (req.sub) {
    case HistoryRequest::Sub::kLatest:
      range.lo = first;
      range.newest = true;
      state->ranges.push_back(range);
      break;
    case HistoryRequest::Sub::kBefore:
      range.hi = first;
      range.newest = true;
      state->ranges.push_back(range);
      break;
    case HistoryRequest::Sub::kAfter:
      range.lo = first;
      range.newest = false;
      state->ranges.push_back(range);
      break;
    case HistoryRequest::Sub::kBetween: {
      HistoryBound second = state->bounds[1];
      // Counted from the first reference, whichever way it lies from the second.
      const bool forward = CompareBounds(first, second) <= 0;
      range.lo = forward ? first : second;
      range.hi = forward ? second : first;
      range.newest = !forward;
      state->ranges.push_back(range);
      break;
    }
    case HistoryRequest::Sub::kAround: {
      // Half before the reference, the rest from it on (the referenced message included).
      const std::size_t before = req.limit / 2;
      if (before > 0) {
        HistoryRange older = range;
        older.hi = first;
        older.newest = true;
        older.limit = before;
        state->ranges.push_back(older);
      }
      range.lo = first;
      range.lo.inclusive = true;
      range.newest = false;
      range.limit = req.limit - before;
      state->ranges.push_back(range);
      break;
    }
  }
  RunRanges(state);
}

void History::RunRanges(std::shared_ptr<FetchState> state) {
  while (state->next_range < state->ranges.size()) {
    const HistoryRange& range = state->ranges[state->next_range];
    const HistoryWindow* window = WindowOf(state->source);
    std::vector<HistoryEntry> part;
    if (window != nullptr) part = window->Select(range);
    const bool stored = state->source.room && state->source.retention_s > 0;
    const bool window_empty = window == nullptr || window->empty();
    if (!stored || part.size() >= range.limit ||
        (!window_empty && !MayPrecede(range.lo, window->entries().front()))) {
      for (HistoryEntry& e : part) state->reply.entries.push_back(std::move(e));
      ++state->next_range;
      continue;
    }
    storage::HistoryQuery query;
    query.room = state->source.key;
    query.lo = range.lo;
    query.hi = window_empty ? range.hi : BeforeFront(range.hi, window->entries().front());
    query.newest = range.newest;
    // Newest first: the window's part is the newest, the store adds what is missing before it.
    // Oldest first: the store's rows come first, up to the whole limit.
    query.limit = range.newest ? range.limit - part.size() : range.limit;
    query.with_tagmsg = range.playback;
    query.not_before_ms = range.not_before_ms;
    server_.store().ReadHistory(
        std::move(query), [this, state, part = std::move(part)](
                              Result<std::vector<storage::HistoryRow>> rows) mutable {
          if (!rows) {
            state->reply.status = HistoryReply::Status::kMessageError;
            Finish(state);
            return;
          }
          const HistoryRange& range = state->ranges[state->next_range];
          std::vector<HistoryEntry> merged;
          merged.reserve(rows->size() + part.size());
          for (storage::HistoryRow& row : *rows) merged.push_back(FromRow(std::move(row)));
          for (HistoryEntry& e : part) merged.push_back(std::move(e));
          if (merged.size() > range.limit) {
            const std::size_t extra = merged.size() - range.limit;
            if (range.newest) {
              merged.erase(merged.begin(), merged.begin() + static_cast<std::ptrdiff_t>(extra));
            } else {
              merged.resize(range.limit);
            }
          }
          for (HistoryEntry& e : merged) state->reply.entries.push_back(std::move(e));
          ++state->next_range;
          RunRanges(state);
        });
    return;
  }
  Finish(state);
}

void History::Finish(std::shared_ptr<FetchState> state) {
  state->finished = true;
  if (state->returned && state->done) state->done(std::move(state->reply));
}

std::vector<HistoryTarget> History::Targets(const Client& client, int64_t from_ms, int64_t to_ms,
                                            std::size_t limit) const {
  const int64_t lo = std::min(from_ms, to_ms), hi = std::max(from_ms, to_ms);
  const int64_t now = server_.clock().UnixMs();
  const int64_t cutoff = now - int64_t{server_.config().history.memory_minutes} * 60'000;
  std::vector<HistoryTarget> found;
  auto consider = [&](const std::string& name, int64_t last_ms) {
    if (last_ms > lo && last_ms < hi) found.push_back({name, last_ms});
  };
  for (const Channel* channel : client.channels) {
    int64_t last = channel->history ? channel->history->LastMessageMs() : 0;
    if (last < cutoff) last = 0;
    if (channel->history_retention_s > 0) {
      auto it = stored_last_ms_.find(channel->folded());
      if (it != stored_last_ms_.end() && it->second >= now - channel->history_retention_s * 1000) {
        last = std::max(last, it->second);
      }
    }
    if (last > 0) consider(channel->name(), last);
  }
  if (!client.account().empty() && OptedIn(client.account())) {
    const std::string me = irc::Fold(client.account());
    for (const auto& [key, conversation] : conversations_) {
      const bool first = irc::Fold(conversation.first) == me;
      const bool second = irc::Fold(conversation.second) == me;
      if (!first && !second) continue;
      const int64_t last = conversation.window.LastMessageMs();
      if (last >= cutoff && last > 0)
        consider(first ? conversation.second : conversation.first, last);
    }
  }
  std::sort(found.begin(), found.end(), [](const HistoryTarget& a, const HistoryTarget& b) {
    return a.last_ms != b.last_ms ? a.last_ms < b.last_ms : a.name < b.name;
  });
  if (found.size() > limit) {
    // Counted from the first time given, as BETWEEN counts.
    if (from_ms <= to_ms) {
      found.resize(limit);
    } else {
      found.erase(found.begin(), found.end() - static_cast<std::ptrdiff_t>(limit));
    }
  }
  return found;
}

// --- Redaction ------------------------------------------------------------------------------

const HistoryEntry* History::FindByMsgid(std::string_view target, std::string_view msgid) const {
  if (irc::IsChannelName(target)) {
    Channel* channel = server_.channels_registry().Find(target);
    if (channel == nullptr || !channel->history) return nullptr;
    return channel->history->Find(msgid);
  }
  const Client* user = server_.users().Find(target);
  const std::string account =
      irc::Fold(user != nullptr ? std::string_view(user->account()) : target);
  if (account.empty()) return nullptr;
  for (const auto& [key, conversation] : conversations_) {
    if (irc::Fold(conversation.first) != account && irc::Fold(conversation.second) != account) {
      continue;
    }
    if (const HistoryEntry* entry = conversation.window.Find(msgid)) return entry;
  }
  return nullptr;
}

bool History::Redact(std::string_view target, std::string_view msgid) {
  if (irc::IsChannelName(target)) {
    Channel* channel = server_.channels_registry().Find(target);
    if (channel == nullptr) return false;
    if (channel->history_retention_s > 0) {
      std::erase_if(pending_, [&](const storage::HistoryRow& row) {
        return row.msgid == msgid && row.room == channel->folded();
      });
      server_.store().DeleteHistoryMessage(channel->folded(), std::string(msgid));
    }
    return channel->history && channel->history->Erase(msgid);
  }
  const Client* user = server_.users().Find(target);
  const std::string account =
      irc::Fold(user != nullptr ? std::string_view(user->account()) : target);
  if (account.empty()) return false;
  for (auto& [key, conversation] : conversations_) {
    if (irc::Fold(conversation.first) != account && irc::Fold(conversation.second) != account) {
      continue;
    }
    if (conversation.window.Erase(msgid)) return true;
  }
  return false;
}

// --- Opt-in ---------------------------------------------------------------------------------

bool History::OptedIn(std::string_view account) const {
  return !account.empty() && opted_in_.count(irc::Fold(account)) > 0;
}

void History::SetOptedIn(std::string_view account, bool on) {
  if (on) {
    opted_in_.insert(irc::Fold(account));
    return;
  }
  ForgetAccount(account);
}

void History::ForgetAccount(std::string_view account) {
  const std::string folded = irc::Fold(account);
  opted_in_.erase(folded);
  for (auto it = conversations_.begin(); it != conversations_.end();) {
    const bool involved =
        irc::Fold(it->second.first) == folded || irc::Fold(it->second.second) == folded;
    it = involved ? conversations_.erase(it) : std::next(it);
  }
}

}  // namespace salon::core

// ReadMarkers: see read_markers.h.
#include "core/read_markers.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>

#include "core/broadcast.h"
#include "core/capabilities.h"
#include "core/client.h"
#include "core/response_buffer.h"
#include "core/server.h"
#include "protocol/irc/casemap.h"
#include "protocol/irc/line_builder.h"

namespace salon::core {

ReadMarkers::ReadMarkers(Server& server, storage::Store& store) : server_(server), store_(store) {}

const ReadMarkers::Markers* ReadMarkers::MarkersOf(const Client& client) const {
  if (auto a = attached_.find(client.id()); a != attached_.end()) {
    auto it = accounts_.find(a->second);
    return it == accounts_.end() ? nullptr : &it->second.markers;
  }
  auto it = guests_.find(client.id());
  return it == guests_.end() ? nullptr : &it->second;
}

std::optional<int64_t> ReadMarkers::Get(const Client& client, std::string_view target) const {
  const Markers* markers = MarkersOf(client);
  if (markers == nullptr) return std::nullopt;
  auto it = markers->find(irc::Fold(target));
  if (it == markers->end()) return std::nullopt;
  return it->second.time_ms;
}

bool ReadMarkers::Advance(Markers& markers, const std::string& account, std::string_view target,
                          int64_t time_ms) {
  std::string folded = irc::Fold(target);
  if (auto it = markers.find(folded); it != markers.end()) {
    if (time_ms <= it->second.time_ms) return false;
    it->second = storage::ReadMarker{std::string(target), time_ms};
    return true;
  }
  if (markers.size() >= kMaxPerUser) {
    auto oldest = std::min_element(
        markers.begin(), markers.end(),
        [](const auto& a, const auto& b) { return a.second.time_ms < b.second.time_ms; });
    if (oldest->second.time_ms >= time_ms) return false;  // the new one would be the oldest
    if (!account.empty()) store_.DeleteReadMarker(account, oldest->second.target);
    markers.erase(oldest);
  }
  markers.emplace(std::move(folded), storage::ReadMarker{std::string(target), time_ms});
  return true;
}

void ReadMarkers::Set(Client& client, std::string_view target, int64_t time_ms, SetDone done) {
  const uint64_t id = client.id();
  auto attached = attached_.find(id);
  if (attached == attached_.end()) {
    Advance(guests_[id], {}, target, time_ms);
    done(client, true);
    return;
  }
  // Acknowledged means durable: memory (and so the reply) changes once the store committed.
  // The client's next lines wait for that, so its MARKREADs are answered in order.
  client.HoldInput();
  const std::string account = client.account();
  storage::ReadMarker marker{std::string(target), time_ms};
  store_.SaveReadMarker(account, marker,
                        [this, id, folded = attached->second, account, marker,
                         done = std::move(done)](storage::WriteResult result) {
                          if (!result.ok()) {
                            spdlog::error("read markers: saving a marker of {} failed: {}", account,
                                          result.status == storage::WriteStatus::kNotFound
                                              ? "no such account"
                                              : result.error);
                          } else if (auto it = accounts_.find(folded); it != accounts_.end()) {
                            Advance(it->second.markers, account, marker.target, marker.time_ms);
                          }
                          ResumeResponse resumed(server_, id);
                          Client* c = resumed.client();
                          if (c == nullptr) return;
                          done(*c, result.ok());
                          c->ReleaseInput();
                        });
}

std::string ReadMarkers::Line(const Client& client, std::string_view target) const {
  std::optional<int64_t> time_ms = Get(client, target);
  std::string line;
  irc::LineBuilder builder(&line);
  builder.Begin({}, server_.name(), "MARKREAD").Param(target);
  if (time_ms) {
    builder.Param("timestamp=" + Broadcast::FormatTime(*time_ms));
  } else {
    builder.Param("*");
  }
  builder.End();
  return line;
}

void ReadMarkers::SendToOtherConnections(const Client& client, std::string_view target) const {
  auto attached = attached_.find(client.id());
  if (attached == attached_.end()) return;  // a guest has one connection
  auto it = accounts_.find(attached->second);
  if (it == accounts_.end()) return;
  for (uint64_t id : it->second.clients) {
    if (id == client.id()) continue;
    Client* other = server_.FindClient(id);
    if (other != nullptr && other->HasCap(kCapReadMarker)) other->Send(Line(*other, target));
  }
}

void ReadMarkers::OnLogin(Client& client) {
  const uint64_t id = client.id();
  Markers guest;
  if (auto it = guests_.find(id); it != guests_.end()) {
    guest = std::move(it->second);
    guests_.erase(it);
  }
  Detach(id);  // logged in to another account before
  const std::string& account = client.account();
  std::string folded = irc::Fold(account);
  attached_[id] = folded;
  auto [it, fresh] = accounts_.try_emplace(folded);
  AccountState& state = it->second;
  state.clients.push_back(id);
  if (fresh) {
    state.loading = true;
    state.load_id = ++next_load_id_;
    store_.LoadReadMarkers(account, [this, folded, account, load_id = state.load_id](
                                        Result<std::vector<storage::ReadMarker>> loaded) {
      FinishLoad(folded, account, load_id, std::move(loaded));
    });
  }
  if (state.loading) {
    state.waiting.push_back(id);
    client.HoldInput();
  }
  // What the guest read is the same person's reading: the account keeps the later times. While
  // the account's markers load, FinishLoad saves what is ahead of the store.
  for (const auto& [key, marker] : guest) {
    if (Advance(state.markers, state.loading ? std::string() : account, marker.target,
                marker.time_ms) &&
        !state.loading) {
      store_.SaveReadMarker(account, marker, nullptr);
    }
  }
}

void ReadMarkers::FinishLoad(const std::string& folded, const std::string& account,
                             uint64_t load_id, Result<std::vector<storage::ReadMarker>> loaded) {
  auto it = accounts_.find(folded);
  if (it == accounts_.end() || it->second.load_id != load_id) return;  // every connection left
  AccountState& state = it->second;
  state.loading = false;
  if (!loaded.ok()) {
    spdlog::error("read markers: loading the markers of {} failed: {}", account, loaded.error());
  } else {
    std::unordered_map<std::string, int64_t> stored;
    for (const storage::ReadMarker& marker : *loaded) {
      stored[irc::Fold(marker.target)] = marker.time_ms;
      Advance(state.markers, account, marker.target, marker.time_ms);
    }
    for (const auto& [key, marker] : state.markers) {
      auto s = stored.find(key);
      if (s == stored.end() || s->second < marker.time_ms) {
        store_.SaveReadMarker(account, marker, nullptr);  // merged from the guest session
      }
    }
  }
  // ReleaseInput may run a client's buffered lines at once, which may come back here: nothing
  // of `state` is touched after this.
  std::vector<uint64_t> waiting = std::move(state.waiting);
  state.waiting.clear();
  for (uint64_t id : waiting) {
    if (Client* client = server_.FindClient(id)) client->ReleaseInput();
  }
}

void ReadMarkers::Detach(uint64_t client_id) {
  guests_.erase(client_id);
  auto attached = attached_.find(client_id);
  if (attached == attached_.end()) return;
  auto it = accounts_.find(attached->second);
  attached_.erase(attached);
  if (it == accounts_.end()) return;
  auto drop = [client_id](std::vector<uint64_t>& ids) {
    ids.erase(std::remove(ids.begin(), ids.end(), client_id), ids.end());
  };
  drop(it->second.clients);
  auto& waiting = it->second.waiting;
  if (std::find(waiting.begin(), waiting.end(), client_id) != waiting.end()) {
    drop(waiting);
    // Logged out (its account deleted from another connection) before the load ended. Input
    // resumes from a posted task: ReleaseInput may run the client's lines, not here in the
    // middle of a logout.
    boost::asio::post(server_.io(), [this, client_id] {
      if (Client* client = server_.FindClient(client_id)) client->ReleaseInput();
    });
  }
  // Everything is in the store already: the next login loads it again.
  if (it->second.clients.empty()) accounts_.erase(it);
}

void ReadMarkers::OnLogout(Client& client) { Detach(client.id()); }

void ReadMarkers::OnQuit(Client& client) { Detach(client.id()); }

}  // namespace salon::core

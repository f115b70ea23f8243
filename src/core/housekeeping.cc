// Housekeeping: see housekeeping.h. Timeouts read the server's Clock, never the system clock,
// so that DEBUG CLOCK ADVANCE (tests) moves them; only the timers' periods are real time.
#include "core/housekeeping.h"

#include <fmt/format.h>

#include <chrono>
#include <string>
#include <string_view>

#include "core/client.h"
#include "core/server.h"

namespace salon::core {

namespace {
constexpr int kTickMs = 1000;
constexpr int kFloodTickMs = 50;
}  // namespace

DeadlineId DeadlineQueue::Schedule(int64_t due_steady_ms, std::function<void()> callback) {
  DeadlineId id = next_id_++;
  queue_.emplace(std::make_pair(due_steady_ms, id), std::move(callback));
  due_.emplace(id, due_steady_ms);
  return id;
}

bool DeadlineQueue::Cancel(DeadlineId id) {
  auto it = due_.find(id);
  if (it == due_.end()) return false;
  queue_.erase({it->second, id});
  due_.erase(it);
  return true;
}

void DeadlineQueue::RunDue(int64_t now_steady_ms) {
  // Take the due ones out first: callbacks may change the queue.
  std::vector<std::function<void()>> due;
  while (!queue_.empty() && queue_.begin()->first.first <= now_steady_ms) {
    auto node = queue_.extract(queue_.begin());
    due_.erase(node.key().second);
    due.push_back(std::move(node.mapped()));
  }
  for (auto& callback : due) callback();
}

Housekeeping::Housekeeping(Server& server)
    : server_(server), tick_timer_(server.io()), flood_timer_(server.io()) {}

void Housekeeping::Start() {
  stopped_ = false;
  ScheduleTick();
}

void Housekeeping::Stop() {
  stopped_ = true;
  tick_timer_.cancel();
  flood_timer_.cancel();
}

void Housekeeping::RunNow() {
  if (!stopped_) Tick();
}

DeadlineId Housekeeping::ScheduleAfter(int64_t delay_ms, std::function<void()> callback) {
  return Schedule(server_.clock().SteadyMs() + delay_ms, std::move(callback));
}

void Housekeeping::ScheduleTick() {
  tick_timer_.expires_after(std::chrono::milliseconds(kTickMs));
  tick_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopped_) return;
    Tick();
    ScheduleTick();
  });
}

void Housekeeping::Tick() {
  const int64_t now = server_.clock().SteadyMs();
  const int64_t now_unix = server_.clock().UnixSeconds();
  const auto& l = server_.config().limits;
  const std::string ping_timeout = fmt::format("Ping timeout: {} seconds", l.ping_timeout_s);
  std::vector<std::pair<Client*, std::string_view>> expired;
  for (auto& [id, client_ptr] : server_.clients()) {
    Client& client = *client_ptr;
    if (!client.registered()) {
      if (now_unix - client.connected_at >= static_cast<int64_t>(l.registration_timeout_s)) {
        expired.push_back({&client, "Registration timed out"});
      }
      continue;
    }
    if (client.ping_sent_ms != 0) {
      if (now - client.ping_sent_ms >= static_cast<int64_t>(l.ping_timeout_s) * 1000) {
        expired.push_back({&client, ping_timeout});
      }
    } else if (now - client.last_activity_ms >= static_cast<int64_t>(l.ping_interval_s) * 1000) {
      client.ping_sent_ms = now;
      client.Send(fmt::format("PING :{}\r\n", server_.name()));
    }
  }
  for (auto& [client, reason] : expired) server_.Quit(*client, reason);
  deadlines_.RunDue(now);
}

void Housekeeping::Throttle(Client& client) {
  client.connection().Pause();
  throttled_.push_back(client.id());
  ScheduleFloodTick();
}

void Housekeeping::ScheduleFloodTick() {
  if (flood_timer_armed_ || stopped_) return;
  flood_timer_armed_ = true;
  flood_timer_.expires_after(std::chrono::milliseconds(kFloodTickMs));
  flood_timer_.async_wait([this](const boost::system::error_code& ec) {
    flood_timer_armed_ = false;
    if (!ec && !stopped_) FloodTick();
  });
}

void Housekeeping::FloodTick() {
  const auto& f = server_.config().flood;
  const int64_t now = server_.clock().SteadyMs();
  std::vector<uint64_t> waiting;
  waiting.swap(throttled_);
  for (uint64_t id : waiting) {
    Client* client = server_.FindClient(id);
    if (client == nullptr) continue;
    if (client->flood.WaitMs(now, f.burst, f.rate_per_s) > 0) {
      throttled_.push_back(id);
      continue;
    }
    client->connection().Resume();  // may throttle again, re-adding the id
  }
  if (!throttled_.empty()) ScheduleFloodTick();
}

}  // namespace salon::core

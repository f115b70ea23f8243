// Server: see server.h. Lifecycle of clients (accept, registration, quit, reaping), registries
// and fan-out. Command handlers are in core/commands/.
#include "core/server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <chrono>
#include <ctime>
#include <random>

#include "core/capabilities.h"
#include "core/channel.h"
#include "core/channel_modes.h"
#include "core/client.h"
#include "net/tcp_connection.h"
#include "protocol/irc/casemap.h"
#include "protocol/irc/line_builder.h"
#include "protocol/irc/numerics.h"

namespace salon::core {

namespace num = irc::numeric;

namespace {
constexpr int kTickMs = 1000;
constexpr int kFloodTickMs = 50;
}  // namespace

int64_t Server::NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int64_t Server::NowUnix() { return static_cast<int64_t>(std::time(nullptr)); }

Server::Server(boost::asio::io_context& io, const config::Config& config, storage::Store& store)
    : io_(io),
      config_(config),
      store_(store),
      flusher_(io),
      cloak_(config.cloak.secret, config.cloak.suffix),
      tick_timer_(io),
      flood_timer_(io),
      started_at_(NowUnix()) {
  limits_.sendq_max = config_.limits.sendq_bytes;
  limits_.recvq_max = config_.limits.recvq_bytes;
  AddRegistrationCommands(commands_);
  AddMessagingCommands(commands_);
  AddChannelCommands(commands_);
  AddModeCommands(commands_);
  AddQueryCommands(commands_);
  AddMonitorCommands(commands_);
  AddOperCommands(commands_);
  AddProfileCommands(commands_);
  std::random_device random;
  msgid_prefix_ = fmt::format("{:08x}", random());
}

Server::~Server() = default;

void Server::Start() {
  std::unordered_map<std::string, storage::StoredRoom> stored;
  for (auto& room : store_.LoadRooms()) stored[irc::Fold(room.name)] = std::move(room);
  for (const auto& decl : config_.rooms) {
    Channel& channel = CreateChannel(decl.name);
    channel.declared = true;
    channel.category = decl.category;
    channel.description = decl.description;
    auto it = stored.find(channel.folded());
    if (it != stored.end()) {
      channel.LoadStored(it->second);
      if (!ApplyModeString(channel, it->second.modes)) {
        spdlog::warn("room {}: stored modes '{}' ignored", decl.name, it->second.modes);
      }
    } else {
      channel.topic = decl.topic;
      channel.topic_set_by = config_.server_name;
      channel.topic_set_at = decl.topic.empty() ? 0 : NowUnix();
      ApplyModeString(channel, decl.modes);  // validated when the config was loaded
      PersistIfDeclared(channel);
    }
  }
  ScheduleTick();
}

void Server::Accept(net::TcpSocket socket) {
  if (shutting_down_) return;
  AddClient(std::make_shared<net::TcpConnection>(std::move(socket), flusher_, limits_));
}

void Server::AddClient(std::shared_ptr<net::Transport> conn) {
  if (shutting_down_) {
    conn->Close();
    return;
  }
  uint32_t& count = per_ip_[conn->remote_ip()];
  if (config_.limits.connections_per_ip != 0 && count >= config_.limits.connections_per_ip) {
    if (count == 0) per_ip_.erase(conn->remote_ip());
    conn->Send("ERROR :Closing Link: Too many connections from your IP address\r\n");
    conn->Close();
    return;
  }
  ++count;
  uint64_t id = next_client_id_++;
  net::Transport& transport = *conn;
  auto client = std::make_unique<Client>(*this, std::move(conn), id);
  client->host = cloak_.For(client->ip());
  client->connected_at = NowUnix();
  client->last_activity_ms = NowMs();
  Client* raw = client.get();
  clients_.emplace(id, std::move(client));
  transport.Start(raw);
}

void Server::Dispatch(Client& client, const irc::Message& msg) {
  const CommandSpec* spec = commands_.Find(msg.command);
  if (spec == nullptr) {
    if (client.registered()) {
      client.Numeric(num::kUnknownCommand, {msg.command, "Unknown command"});
    } else {
      client.Numeric(num::kNotRegistered, {"You have not registered"});
    }
    return;
  }
  if (!spec->before_registration && !client.registered()) {
    client.Numeric(num::kNotRegistered, {"You have not registered"});
    return;
  }
  if (msg.param_count < spec->min_params) {
    client.Numeric(num::kNeedMoreParams, {msg.command, "Not enough parameters"});
    return;
  }
  spec->handler(*this, client, msg);
}

Client* Server::FindNick(std::string_view nick) {
  auto it = nicks_.find(irc::Fold(nick));
  return it == nicks_.end() ? nullptr : it->second;
}

Channel* Server::FindChannel(std::string_view name) {
  auto it = channels_.find(irc::Fold(name));
  return it == channels_.end() ? nullptr : it->second.get();
}

Channel& Server::CreateChannel(std::string_view name) {
  std::string folded = irc::Fold(name);
  auto& slot = channels_[folded];
  if (!slot) slot = std::make_unique<Channel>(std::string(name), folded, NowUnix());
  return *slot;
}

void Server::DropChannelIfEmpty(Channel& channel) {
  if (channel.size() == 0 && !channel.declared) channels_.erase(channel.folded());
}

void Server::SetNick(Client& client, std::string_view nick) {
  std::string old_folded = irc::Fold(client.nick);
  std::string new_folded = irc::Fold(nick);
  bool was_registered = client.registered();
  if (was_registered && !client.nick.empty()) {
    nicks_.erase(old_folded);
    RememberWhowas(client);
    if (old_folded != new_folded) NotifyMonitors(client.nick, false, nullptr);
  }
  client.nick = std::string(nick);
  client.UpdatePrefix();
  if (was_registered) {
    nicks_[new_folded] = &client;
    if (old_folded != new_folded) NotifyMonitors(client.nick, true, &client);
  }
}

void Server::TryCompleteRegistration(Client& client) {
  if (client.registered() || client.nick.empty() || client.user.empty() || client.cap_negotiating) {
    return;
  }
  std::string folded = irc::Fold(client.nick);
  if (nicks_.count(folded) != 0) {
    // Someone registered the nick while this client was still negotiating.
    client.Numeric(num::kNicknameInUse, {client.nick, "Nickname is already in use"});
    return;
  }
  client.set_registered();
  nicks_[folded] = &client;
  client.UpdatePrefix();
  SendWelcome(client);
  NotifyMonitors(client.nick, true, &client);
}

void Server::Part(Client& client, Channel& channel) {
  channel.Remove(&client);
  auto& list = client.channels;
  list.erase(std::remove(list.begin(), list.end(), &channel), list.end());
  DropChannelIfEmpty(channel);
}

void Server::Quit(Client& client, std::string_view reason) {
  if (client.quitting) return;
  client.quitting = true;
  if (client.registered()) {
    std::string body;
    irc::LineBuilder(&body).Begin({}, client.Prefix(), "QUIT").Trailing(reason).End();
    Broadcast msg = MakeBroadcast(std::move(body));
    SendToCommonChannels(client, msg, false);
    for (Channel* channel : std::vector<Channel*>(client.channels)) Part(client, *channel);
    nicks_.erase(irc::Fold(client.nick));
    NotifyMonitors(client.nick, false, nullptr);
    RememberWhowas(client);
  }
  for (const auto& folded : client.monitoring) RemoveMonitor(client, folded);
  client.Send(fmt::format("ERROR :Closing Link: {} ({})\r\n", client.host, reason));
  client.connection().Close();
  auto ip_it = per_ip_.find(client.ip());
  if (ip_it != per_ip_.end() && --ip_it->second == 0) per_ip_.erase(ip_it);
  auto node = clients_.extract(client.id());
  if (!node.empty()) graveyard_.push_back(std::move(node.mapped()));
  if (!reap_scheduled_) {
    reap_scheduled_ = true;
    boost::asio::post(io_, [this] { ReapDead(); });
  }
}

void Server::RememberWhowas(const Client& client) {
  if (config_.limits.whowas_entries == 0) return;
  whowas_.push_front(
      {client.nick, client.user, client.host, client.ip(), client.realname, NowUnix()});
  if (whowas_.size() > config_.limits.whowas_entries) whowas_.pop_back();
}

void Server::ReapDead() {
  reap_scheduled_ = false;
  graveyard_.clear();
}

void Server::Shutdown(std::string_view reason) {
  shutting_down_ = true;
  tick_timer_.cancel();
  flood_timer_.cancel();
  std::vector<Client*> all;
  all.reserve(clients_.size());
  for (auto& [id, client] : clients_) all.push_back(client.get());
  for (Client* client : all) Quit(*client, reason);
  flusher_.FlushAll();
  graveyard_.clear();
  store_.Flush();
}

Broadcast Server::MakeBroadcast(std::string body, std::string client_tags) {
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  return Broadcast(std::move(body), {now_ms, ++msg_counter_}, msgid_prefix_,
                   std::move(client_tags));
}

void Server::SendToChannel(Channel& channel, Broadcast& msg, const Client* except,
                           uint8_t status_filter, uint32_t required_cap) {
  for (const Membership& m : channel.members()) {
    if (m.client == except) continue;
    if (status_filter != 0 && (m.status & status_filter) == 0) continue;
    if (required_cap != 0 && !m.client->HasCap(required_cap)) continue;
    m.client->Send(msg.For(m.client->caps));
  }
}

void Server::SendToCommonChannels(Client& client, Broadcast& msg, bool include_self,
                                  uint32_t required_cap) {
  // Each recipient once, however many channels it shares: a generation mark would need a field
  // on every client; a sorted id list costs only the sharing set.
  std::vector<Client*> targets;
  for (Channel* channel : client.channels) {
    for (const Membership& m : channel->members()) {
      if (m.client != &client) targets.push_back(m.client);
    }
  }
  std::sort(targets.begin(), targets.end());
  targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
  if (include_self) targets.push_back(&client);
  for (Client* target : targets) {
    if (required_cap != 0 && !target->HasCap(required_cap)) continue;
    target->Send(msg.For(target->caps));
  }
}

std::vector<Client*>* Server::MonitorWatchers(std::string_view folded_nick) {
  auto it = monitors_.find(std::string(folded_nick));
  return it == monitors_.end() ? nullptr : &it->second;
}

void Server::AddMonitor(Client& client, const std::string& folded_nick) {
  auto& watchers = monitors_[folded_nick];
  if (std::find(watchers.begin(), watchers.end(), &client) == watchers.end()) {
    watchers.push_back(&client);
  }
}

void Server::RemoveMonitor(Client& client, const std::string& folded_nick) {
  auto it = monitors_.find(folded_nick);
  if (it == monitors_.end()) return;
  auto& watchers = it->second;
  watchers.erase(std::remove(watchers.begin(), watchers.end(), &client), watchers.end());
  if (watchers.empty()) monitors_.erase(it);
}

void Server::NotifyMonitors(std::string_view nick, bool online, const Client* client) {
  auto* watchers = MonitorWatchers(irc::Fold(nick));
  if (watchers == nullptr) return;
  for (Client* watcher : *watchers) {
    if (online) {
      watcher->Numeric(num::kMonOnline, {client->Prefix()});
    } else {
      watcher->Numeric(num::kMonOffline, {nick});
    }
  }
}

std::size_t Server::CountConnections(std::string_view kind) const {
  std::size_t count = 0;
  for (const auto& [id, client] : clients_) count += client->connection().kind() == kind ? 1 : 0;
  return count;
}

std::size_t Server::oper_count() const {
  std::size_t count = 0;
  for (const auto& [folded, client] : nicks_) count += client->IsOper() ? 1 : 0;
  return count;
}

void Server::PersistIfDeclared(Channel& channel) {
  if (channel.declared) store_.SaveRoom(channel.ToStored());
}

void Server::Throttle(Client& client) {
  client.connection().Pause();
  throttled_.push_back(client.id());
  ScheduleFloodTick();
}

void Server::ScheduleFloodTick() {
  if (flood_timer_armed_ || shutting_down_) return;
  flood_timer_armed_ = true;
  flood_timer_.expires_after(std::chrono::milliseconds(kFloodTickMs));
  flood_timer_.async_wait([this](const boost::system::error_code& ec) {
    flood_timer_armed_ = false;
    if (!ec) FloodTick();
  });
}

void Server::FloodTick() {
  const auto& f = config_.flood;
  const int64_t now = NowMs();
  std::vector<uint64_t> waiting;
  waiting.swap(throttled_);
  for (uint64_t id : waiting) {
    auto it = clients_.find(id);
    if (it == clients_.end()) continue;
    Client& client = *it->second;
    if (client.flood.WaitMs(now, f.burst, f.rate_per_s) > 0) {
      throttled_.push_back(id);
      continue;
    }
    client.connection().Resume();  // may throttle again, re-adding the id
  }
  if (!throttled_.empty()) ScheduleFloodTick();
}

void Server::ScheduleTick() {
  tick_timer_.expires_after(std::chrono::milliseconds(kTickMs));
  tick_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) Tick();
  });
}

void Server::Tick() {
  const int64_t now = NowMs();
  const int64_t now_unix = NowUnix();
  const auto& l = config_.limits;
  const std::string ping_timeout = fmt::format("Ping timeout: {} seconds", l.ping_timeout_s);
  std::vector<std::pair<Client*, std::string_view>> expired;
  for (auto& [id, client_ptr] : clients_) {
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
      client.Send(fmt::format("PING :{}\r\n", name()));
    }
  }
  for (auto& [client, reason] : expired) Quit(*client, reason);
  ScheduleTick();
}

}  // namespace salon::core

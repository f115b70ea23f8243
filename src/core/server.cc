// Server: see server.h. Lifecycle of clients (accept, registration, quit, reaping), wiring of
// the registries and fan-out. Command handlers are in core/commands/, timers in
// core/housekeeping.cc.
#include "core/server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <random>

#include "core/account_service.h"
#include "core/capabilities.h"
#include "core/channel.h"
#include "core/channel_modes.h"
#include "core/client.h"
#include "core/history/history.h"
#include "core/read_markers.h"
#include "core/response_buffer.h"
#include "net/tcp_connection.h"
#include "protocol/irc/casemap.h"
#include "protocol/irc/line_builder.h"
#include "protocol/irc/numerics.h"

namespace salon::core {

namespace num = irc::numeric;

Server::Server(boost::asio::io_context& io, const config::Config& config, storage::Store& store)
    : io_(io),
      config_(config),
      store_(store),
      clock_(config.debug.clock_control ? std::unique_ptr<base::Clock>(new base::AdjustableClock)
                                        : std::unique_ptr<base::Clock>(new base::SystemClock)),
      adjustable_clock_(
          config.debug.clock_control ? static_cast<base::AdjustableClock*>(clock_.get()) : nullptr),
      flusher_(io),
      cloak_(config.cloak.secret, config.cloak.suffix),
      channels_(*clock_),
      whowas_(config.limits.whowas_entries),
      housekeeping_(*this),
      accounts_(std::make_unique<AccountService>(*this, store, config)),
      read_markers_(std::make_unique<ReadMarkers>(*this, store)),
      history_(std::make_unique<History>(*this)),
      policy_(std::make_unique<Policy>()),
      started_at_(clock_->UnixSeconds()) {
  limits_.sendq_max = config_.limits.sendq_bytes;
  limits_.recvq_max = config_.limits.recvq_bytes;
  AddRegistrationCommands(commands_);
  AddMessagingCommands(commands_);
  AddChannelCommands(commands_);
  AddInviteCommands(commands_);
  AddModeCommands(commands_);
  AddQueryCommands(commands_);
  AddServerInfoCommands(commands_);
  AddMonitorCommands(commands_);
  AddOperCommands(commands_);
  AddProfileCommands(commands_);
  AddAccountCommands(commands_);
  AddSaslCommands(commands_);
  AddAccountManagementCommands(commands_);
  AddReadMarkerCommands(commands_);
  AddIdentityCommands(commands_);
  AddMultilineCommands(commands_);
  AddChathistoryCommands(commands_);
  AddRedactCommands(commands_);
  if (config_.debug.clock_control) AddDebugCommands(commands_);
  AddRoleCommands(commands_);
  for (const auto& account : config_.moderation.moderators) {
    roles_.Bootstrap(account, ServerRole::kModerator);
  }
  for (const auto& account : config_.moderation.admins) {
    roles_.Bootstrap(account, ServerRole::kAdmin);
  }
  std::random_device random;
  msgid_prefix_ = fmt::format("{:08x}", random());
}

Server::~Server() = default;

namespace {
// Topic, lists, registration and modes of a kept room from its stored row.
void Restore(Channel& channel, const storage::StoredRoom& room) {
  channel.LoadStored(room);
  if (!ApplyModeString(channel, room.modes)) {
    spdlog::warn("room {}: stored modes '{}' ignored", room.name, room.modes);
  }
}
}  // namespace

void Server::Start() {
  std::unordered_map<std::string, storage::StoredRoom> stored;
  for (auto& room : store_.LoadRooms()) stored[irc::Fold(room.name)] = std::move(room);
  for (const auto& decl : config_.rooms) {
    Channel& channel = channels_.Create(decl.name);
    channel.declared = true;
    channel.category = decl.category;
    channel.description = decl.description;
    auto it = stored.find(channel.folded());
    if (it != stored.end()) {
      Restore(channel, it->second);
      channel.listed = true;  // declared rooms are the catalogue, whatever was stored
      stored.erase(it);
    } else {
      channel.topic = decl.topic;
      channel.topic_set_by = config_.server_name;
      channel.topic_set_at = decl.topic.empty() ? 0 : clock_->UnixSeconds();
      ApplyModeString(channel, decl.modes);  // validated when the config was loaded
      channel.listed = true;
      PersistIfKept(channel);
    }
    if (decl.adults_only) channel.modes |= kChanAdultsOnly;  // whatever was stored
  }
  // Registered rooms the config does not declare. A stored room that is neither (once declared,
  // since removed from the config) stays on disk but is not recreated.
  for (const auto& [folded, room] : stored) {
    if (room.founder.empty()) continue;
    Restore(channels_.Create(room.name), room);
  }
  // Roles granted with ROLE; a configured account keeps at least its configured role.
  for (const auto& role : store_.LoadRoles()) roles_.Set(role.account, ParseRole(role.role));
  accounts_->Start();
  history_->Start();
  housekeeping_.Start();
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
  const config::Records& waves = config_.records;
  const WaveLimits limits{config_.limits.connections_per_ip, waves.connections_per_prefix,
                          waves.connects_per_ip_per_minute, waves.connects_per_prefix_per_minute};
  const std::string& ip = conn->remote_ip();
  WaveRefusal refusal = per_ip_.TryAdd(ip, clock_->SteadyMs(), limits);
  if (refusal != WaveRefusal::kNone) {
    // Before registration nobody is known: the limits apply to everyone (moderators too).
    conn->Send("ERROR :" + WaveRefusalText(refusal, limits, ip) + "\r\n");
    conn->Close();
    return;
  }
  uint64_t id = next_client_id_++;
  net::Transport& transport = *conn;
  auto client = std::make_unique<Client>(*this, std::move(conn), id);
  client->host = cloak_.For(client->ip());
  client->connected_at = clock_->UnixSeconds();
  client->last_activity_ms = clock_->SteadyMs();
  Client* raw = client.get();
  clients_.emplace(id, std::move(client));
  policy_->OnConnected(*raw);
  transport.Start(raw);
}

void Server::Dispatch(Client& client, const irc::Message& msg) {
  // Every reply, refusals included, belongs to the command's (maybe labelled) response.
  ResponseBuffer response(*this, client, msg.tags);
  const CommandSpec* spec = commands_.Find(msg.command);
  if (spec == nullptr) {
    Service* service = services_.FindByAlias(msg.command);
    if (service != nullptr && client.registered()) {
      // "NS IDENTIFY secret" is "PRIVMSG NickServ :IDENTIFY secret".
      std::string text;
      for (std::size_t i = 0; i < msg.param_count; ++i) {
        if (i != 0) text += ' ';
        text += msg.Param(i);
      }
      service->OnMessage(*this, client, text);
      return;
    }
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

Client* Server::FindClient(uint64_t id) const {
  auto it = clients_.find(id);
  return it == clients_.end() ? nullptr : it->second.get();
}

void Server::SetNick(Client& client, std::string_view nick) {
  std::string old_folded = irc::Fold(client.nick);
  std::string new_folded = irc::Fold(nick);
  bool was_registered = client.registered();
  if (was_registered && !client.nick.empty()) {
    users_.Release(client.nick, client);
    whowas_.Remember(client, clock_->UnixSeconds());
    if (old_folded != new_folded) monitors_.Notify(client.nick, false, nullptr);
  }
  client.nick = std::string(nick);
  client.UpdatePrefix();
  if (was_registered) {
    users_.Claim(client.nick, client);  // the caller checked that the nick is free
    if (old_folded != new_folded) monitors_.Notify(client.nick, true, &client);
    accounts_->OnNickTaken(client);
  }
}

void Server::ChangeNick(Client& client, std::string_view nick) {
  std::string body;
  irc::LineBuilder(&body).Begin({}, client.Prefix(), "NICK").Trailing(nick).End();
  Broadcast out = MakeBroadcast(&client, std::move(body));
  SendToCommonChannels(client, out, true);
  for (Channel* channel : client.channels) history_->Record(*channel, out, HistoryKind::kEvent);
  SetNick(client, nick);
}

bool Server::IsReservedNick(std::string_view nick) const { return services_.Find(nick) != nullptr; }

void Server::TryCompleteRegistration(Client& client) {
  if (client.registered() || client.nick.empty() || client.user.empty() || client.cap_negotiating) {
    return;
  }
  if (!users_.Claim(client.nick, client)) {
    // Someone registered the nick while this client was still negotiating.
    client.Numeric(num::kNicknameInUse, {client.nick, "Nickname is already in use"});
    return;
  }
  client.set_registered();
  max_registered_ = std::max(max_registered_, users_.size());
  client.UpdatePrefix();
  SendWelcome(client);
  monitors_.Notify(client.nick, true, &client);
  accounts_->OnNickTaken(client);
  policy_->OnRegistered(client);
}

void Server::Part(Client& client, Channel& channel) {
  channel.Remove(&client);
  auto& list = client.channels;
  list.erase(std::remove(list.begin(), list.end(), &channel), list.end());
  channels_.DropIfEmpty(channel);
}

void Server::Quit(Client& client, std::string_view reason, std::string_view error) {
  if (client.quitting) return;
  client.quitting = true;
  policy_->OnDisconnected(client);
  accounts_->OnQuit(client);
  read_markers_->OnQuit(client);
  sent_messages_.OnQuit(client);
  if (client.registered()) {
    std::string body;
    irc::LineBuilder(&body).Begin({}, client.Prefix(), "QUIT").Trailing(reason).End();
    Broadcast msg = MakeBroadcast(&client, std::move(body));
    SendToCommonChannels(client, msg, false);
    for (Channel* channel : client.channels) history_->Record(*channel, msg, HistoryKind::kEvent);
    for (Channel* channel : std::vector<Channel*>(client.channels)) Part(client, *channel);
    users_.Release(client.nick, client);
    monitors_.Notify(client.nick, false, nullptr);
    whowas_.Remember(client, clock_->UnixSeconds());
  }
  for (const auto& folded : client.monitoring) monitors_.Remove(client, folded);
  // The replies of the running command (if it is this client's) go before the ERROR line, and
  // both before the connection closes; later output of that command is dropped.
  client.FlushResponses();
  if (error.empty()) {
    client.connection().Send(fmt::format("ERROR :Closing Link: {} ({})\r\n", client.host, reason));
  } else {
    client.connection().Send(fmt::format("ERROR :{}\r\n", error));
  }
  client.connection().Close();
  per_ip_.Remove(client.ip());
  auto node = clients_.extract(client.id());
  if (!node.empty()) graveyard_.push_back(std::move(node.mapped()));
  if (!reap_scheduled_) {
    reap_scheduled_ = true;
    boost::asio::post(io_, [this] { ReapDead(); });
  }
}

void Server::ReapDead() {
  reap_scheduled_ = false;
  graveyard_.clear();
}

void Server::Shutdown(std::string_view reason) {
  shutting_down_ = true;
  housekeeping_.Stop();
  accounts_->Shutdown();
  std::vector<Client*> all;
  all.reserve(clients_.size());
  for (auto& [id, client] : clients_) all.push_back(client.get());
  for (Client* client : all) Quit(*client, reason);
  flusher_.FlushAll();
  graveyard_.clear();
  history_->Shutdown();
  store_.Flush();
}

Broadcast Server::MakeBroadcast(const Client* from, std::string body, std::string client_tags) {
  BroadcastSender sender;
  if (from != nullptr) {
    sender.account = from->account();
    sender.bot = from->IsBot();
  }
  return Broadcast(std::move(body), {clock_->UnixMs(), ++msg_counter_}, msgid_prefix_,
                   std::move(client_tags), std::move(sender));
}

std::string Server::NewBatchId() {
  // Base 36 of a per-server counter: short, and only letters and digits as BATCH requires.
  uint64_t n = ++batch_counter_;
  std::string id;
  do {
    id += "0123456789abcdefghijklmnopqrstuvwxyz"[n % 36];
    n /= 36;
  } while (n != 0);
  return std::string(id.rbegin(), id.rend());
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
  SendToSharing(client, msg, include_self, required_cap, false);
}

void Server::SendToObservers(Client& client, Broadcast& msg, bool include_self,
                             uint32_t required_cap) {
  SendToSharing(client, msg, include_self, required_cap, true);
}

void Server::SendToSharing(Client& client, Broadcast& msg, bool include_self, uint32_t required_cap,
                           bool watchers) {
  // Each recipient once, however many channels it shares: a generation mark would need a field
  // on every client; a sorted id list costs only the sharing set.
  std::vector<Client*> targets;
  for (Channel* channel : client.channels) {
    for (const Membership& m : channel->members()) {
      if (m.client != &client) targets.push_back(m.client);
    }
  }
  if (watchers && client.registered()) {
    if (const auto* list = monitors_.Watchers(irc::Fold(client.nick))) {
      for (Client* watcher : *list) {
        if (watcher != &client && watcher->HasCap(kCapExtendedMonitor)) targets.push_back(watcher);
      }
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

std::size_t Server::CountConnections(std::string_view kind) const {
  std::size_t count = 0;
  for (const auto& [id, client] : clients_) count += client->connection().kind() == kind ? 1 : 0;
  return count;
}

void Server::PersistIfKept(Channel& channel) {
  if (channel.kept()) store_.SaveRoom(channel.ToStored());
}

}  // namespace salon::core

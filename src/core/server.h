// Server: the chat core's owner and wiring. Owns every Client, the registries (users and nicks,
// channels, WHOWAS, MONITOR, per-IP counts), the command table, the clock and the housekeeping;
// runs the client lifecycle (accept, registration, quit, reaping) and the fan-out of broadcasts.
// Command handlers (core/commands/) reach the parts through the accessors below.
//
// Concurrency model: one event-loop thread owns all chat state (no locks anywhere on the
// message path); storage writes go to the store's writer thread through its queue. See
// docs/decisions/threading.md for why, and how it grows to one loop per core.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/clock.h"
#include "config/config.h"
#include "core/broadcast.h"
#include "core/channel_registry.h"
#include "core/command_table.h"
#include "core/connection_counts.h"
#include "core/housekeeping.h"
#include "core/monitor_registry.h"
#include "core/policy.h"
#include "core/role_registry.h"
#include "core/sent_messages.h"
#include "core/service_registry.h"
#include "core/user_registry.h"
#include "core/whowas.h"
#include "moderation/cloak.h"
#include "net/flusher.h"
#include "net/transport.h"
#include "storage/store.h"

namespace salon::core {

class AccountService;
class Channel;
class Client;
class ReadMarkers;
class History;

class Server {
 public:
  static constexpr const char* kVersion = "salon-0.1";
  using ClientMap = std::unordered_map<uint64_t, std::unique_ptr<Client>>;

  // With config.debug.clock_control the server runs on an AdjustableClock (tests only).
  Server(boost::asio::io_context& io, const config::Config& config, storage::Store& store);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Creates the declared rooms and the registered ones with their stored state, starts the
  // housekeeping timers.
  void Start();
  // Takes ownership of an accepted plain TCP socket.
  void Accept(net::TcpSocket socket);
  // Adds a client over any transport (WebSocket connections arrive here after the upgrade).
  void AddClient(std::shared_ptr<net::Transport> conn);
  const net::ConnectionLimits& connection_limits() const { return limits_; }
  // Sends ERROR to everyone, closes all connections, flushes storage.
  void Shutdown(std::string_view reason);

  // Called by Client for every parsed line. The command's replies to `client` are gathered in
  // a ResponseBuffer and sent when the handler returns.
  void Dispatch(Client& client, const irc::Message& msg);

  // --- Client lifecycle -------------------------------------------------------------------
  // Takes `nick` for the client (REQUIRES: free). Updates registry, WHOWAS, monitor watchers,
  // and tells the accounts (nick protection) once the client is registered.
  void SetNick(Client& client, std::string_view nick);
  // A registered client's NICK change: the NICK line to everyone sharing a channel (and the
  // client), then SetNick. REQUIRES: nick valid and free.
  void ChangeNick(Client& client, std::string_view nick);
  // True when nobody may take or register `nick` (a service's name).
  bool IsReservedNick(std::string_view nick) const;
  // Completes registration once NICK and USER are in and CAP negotiation is over.
  void TryCompleteRegistration(Client& client);
  // Removes the client: QUIT to its channels, WHOWAS, MONITOR, then closes the connection.
  // The object itself is freed later (after the current event). `error` is the text of the
  // ERROR line the client gets last; empty: "Closing Link: <host> (<reason>)".
  void Quit(Client& client, std::string_view reason, std::string_view error = {});
  // Channel membership changes shared by JOIN/PART/KICK/QUIT; drops the channel if empty.
  void Part(Client& client, Channel& channel);
  // A connected client (registered or not) by id, or nullptr once it has quit. Asynchronous
  // completions and deadlines keep ids, never Client pointers.
  Client* FindClient(uint64_t id) const;
  const ClientMap& clients() const { return clients_; }

  // --- Fan-out ----------------------------------------------------------------------------
  // A new broadcast with a fresh msgid and the current server time (clock()). `from` (null:
  // server-originated) gives the sender's account (account-tag) and bot flag (`bot` tag).
  Broadcast MakeBroadcast(const Client* from, std::string body, std::string client_tags = {});
  // A short id unique on this server (base 36 of a counter), for BATCH references.
  std::string NewBatchId();
  // To every member of channel except `except` (may be null); with status_filter, only to
  // members whose status has one of those bits (STATUSMSG); with required_cap, only to members
  // that have it (TAGMSG).
  void SendToChannel(Channel& channel, Broadcast& msg, const Client* except,
                     uint8_t status_filter = 0, uint32_t required_cap = 0);
  // To every client sharing a channel with `client` (each once), and optionally itself.
  void SendToCommonChannels(Client& client, Broadcast& msg, bool include_self,
                            uint32_t required_cap = 0);
  // A change of `client` itself (AWAY, ACCOUNT, SETNAME, CHGHOST): SendToCommonChannels plus
  // the clients that MONITOR its nick with extended-monitor, each once, all with required_cap.
  void SendToObservers(Client& client, Broadcast& msg, bool include_self, uint32_t required_cap);

  // --- Shared replies (core/server_replies.cc) --------------------------------------------
  void SendWelcome(Client& client);
  void SendISupport(Client& client);  // the 005 lines
  void SendLusers(Client& client);
  void SendMotd(Client& client);
  // The 353 lines, then 366 unless !end (NAMES of several rooms ends with one 366).
  void SendNames(Client& client, Channel& channel, bool end = true);
  void SendTopic(Client& client, Channel& channel);
  std::vector<std::string> ISupportTokens() const;
  // Adds a token to ISUPPORT from outside the core (moderation/, wired by app/main.cc) before
  // Start(), e.g. "SALON_REPORT=...". Kept in the alphabetical order of the built-in ones.
  void AddISupportToken(std::string token) { extra_isupport_.push_back(std::move(token)); }

  // Every command, for HELP's index.
  const CommandTable& commands() const { return commands_; }
  // Adds a command from outside the core (moderation/, wired by app/main.cc) before Start().
  void AddCommand(std::string_view upper_name, CommandSpec spec) {
    commands_.Add(upper_name, std::move(spec));
  }

  // The policy layer (core/policy.h), consulted before every message, join, room creation,
  // nick, topic and profile change. app/main.cc installs moderation's before Start(); until
  // then everything is allowed.
  void SetPolicy(std::unique_ptr<Policy> policy) { policy_ = std::move(policy); }
  Policy& policy() { return *policy_; }

  // Kept rooms (declared or registered) are persisted whenever their topic, modes or lists
  // change: the handlers that change them call this.
  void PersistIfKept(Channel& channel);

  // --- Parts ------------------------------------------------------------------------------
  UserRegistry& users() { return users_; }
  const UserRegistry& users() const { return users_; }
  ChannelRegistry& channels_registry() { return channels_; }
  const ChannelRegistry& channels_registry() const { return channels_; }
  const Whowas& whowas() const { return whowas_; }
  MonitorRegistry& monitors() { return monitors_; }
  // Built-in services (NickServ, ChanServ), added by main.cc before Start().
  ServiceRegistry& services() { return services_; }
  const ServiceRegistry& services() const { return services_; }
  storage::Store& store() { return store_; }
  Housekeeping& housekeeping() { return housekeeping_; }
  AccountService& accounts() { return *accounts_; }
  ReadMarkers& read_markers() { return *read_markers_; }
  RoleRegistry& roles() { return roles_; }
  const RoleRegistry& roles() const { return roles_; }
  SentMessages& sent_messages() { return sent_messages_; }
  // Room and private-message history (core/history/history.h).
  History& history() { return *history_; }
  const base::Clock& clock() const { return *clock_; }
  // The adjustable clock when config.debug.clock_control is on, else nullptr.
  base::AdjustableClock* adjustable_clock() { return adjustable_clock_; }

  // --- Accessors --------------------------------------------------------------------------
  const config::Config& config() const { return config_; }
  const std::string& name() const { return config_.server_name; }
  boost::asio::io_context& io() { return io_; }
  std::size_t client_count() const { return clients_.size(); }
  // Connections over one transport ("tcp", "websocket"), for metrics.
  std::size_t CountConnections(std::string_view kind) const;
  std::size_t registered_count() const { return users_.size(); }
  // The most registered users seen at once since start (LUSERS 265/266).
  std::size_t max_registered() const { return max_registered_; }
  std::size_t channel_count() const { return channels_.size(); }
  int64_t started_at() const { return started_at_; }  // unix seconds
  // Flood: a throttled client is resumed by the housekeeping's flood tick.
  void Throttle(Client& client) { housekeeping_.Throttle(client); }

 private:
  void ReapDead();
  std::vector<std::string> BuiltInISupportTokens() const;  // sorted
  void SendToSharing(Client& client, Broadcast& msg, bool include_self, uint32_t required_cap,
                     bool watchers);

  boost::asio::io_context& io_;
  const config::Config& config_;
  storage::Store& store_;
  std::unique_ptr<base::Clock> clock_;
  base::AdjustableClock* adjustable_clock_ = nullptr;  // == clock_ when clock_control
  net::ConnectionLimits limits_;
  net::Flusher flusher_;
  moderation::Cloak cloak_;
  CommandTable commands_;
  ClientMap clients_;
  UserRegistry users_;
  ChannelRegistry channels_;
  MonitorRegistry monitors_;
  ServiceRegistry services_;
  ConnectionCounts per_ip_;
  Whowas whowas_;
  Housekeeping housekeeping_;
  std::unique_ptr<AccountService> accounts_;
  std::unique_ptr<ReadMarkers> read_markers_;
  SentMessages sent_messages_;
  std::unique_ptr<History> history_;
  std::unique_ptr<Policy> policy_;
  RoleRegistry roles_;
  std::vector<std::unique_ptr<Client>> graveyard_;
  bool reap_scheduled_ = false;
  bool shutting_down_ = false;
  uint64_t next_client_id_ = 1;
  std::size_t max_registered_ = 0;
  uint64_t msg_counter_ = 0;
  uint64_t batch_counter_ = 0;
  std::string msgid_prefix_;
  std::vector<std::string> extra_isupport_;
  int64_t started_at_;
};

}  // namespace salon::core

// Server: the chat core. Owns every Client and Channel, the nick and channel registries, the
// command table and the periodic housekeeping (registration and ping timeouts, flood resume).
//
// Concurrency model: one event-loop thread owns all chat state (no locks anywhere on the
// message path); storage writes go to the store's writer thread through its queue. See
// docs/decisions/threading.md for why, and how it grows to one loop per core.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/config.h"
#include "core/broadcast.h"
#include "core/command_table.h"
#include "moderation/cloak.h"
#include "net/flusher.h"
#include "net/transport.h"
#include "storage/store.h"

namespace salon::core {

class Channel;
class Client;

struct WhowasEntry {
  std::string nick, user, host, ip, realname;
  int64_t quit_at;
};

class Server {
 public:
  static constexpr const char* kVersion = "salon-0.1";

  Server(boost::asio::io_context& io, const config::Config& config, storage::Store& store);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Loads declared rooms, starts housekeeping timers.
  void Start();
  // Takes ownership of an accepted plain TCP socket.
  void Accept(net::TcpSocket socket);
  // Adds a client over any transport (WebSocket connections arrive here after the upgrade).
  void AddClient(std::shared_ptr<net::Transport> conn);
  const net::ConnectionLimits& connection_limits() const { return limits_; }
  // Sends ERROR to everyone, closes all connections, flushes storage.
  void Shutdown(std::string_view reason);

  // Called by Client for every parsed line.
  void Dispatch(Client& client, const irc::Message& msg);

  // --- Registries -------------------------------------------------------------------------
  Client* FindNick(std::string_view nick);
  Channel* FindChannel(std::string_view name);
  Channel& CreateChannel(std::string_view name);
  void DropChannelIfEmpty(Channel& channel);
  // Takes `nick` for the client (REQUIRES: free). Updates registry, monitor watchers.
  void SetNick(Client& client, std::string_view nick);
  // Completes registration once NICK and USER are in and CAP negotiation is over.
  void TryCompleteRegistration(Client& client);
  // Removes the client: QUIT to its channels, WHOWAS, MONITOR, then closes the connection.
  // The object itself is freed later (after the current event).
  void Quit(Client& client, std::string_view reason);
  // Channel membership changes shared by JOIN/PART/KICK/QUIT.
  void Part(Client& client, Channel& channel);

  // --- Fan-out ----------------------------------------------------------------------------
  // A new broadcast with a fresh msgid and the current server time.
  Broadcast MakeBroadcast(std::string body, std::string client_tags = {});
  // To every member of channel except `except` (may be null); with status_filter, only to
  // members whose status has one of those bits (STATUSMSG); with required_cap, only to members
  // that have it (TAGMSG).
  void SendToChannel(Channel& channel, Broadcast& msg, const Client* except,
                     uint8_t status_filter = 0, uint32_t required_cap = 0);
  // To every client sharing a channel with `client` (each once), and optionally itself.
  void SendToCommonChannels(Client& client, Broadcast& msg, bool include_self,
                            uint32_t required_cap = 0);
  void NotifyMonitors(std::string_view nick, bool online, const Client* client);

  // --- Shared replies ---------------------------------------------------------------------
  void SendWelcome(Client& client);
  void SendLusers(Client& client);
  void SendMotd(Client& client);
  void SendNames(Client& client, Channel& channel);
  void SendTopic(Client& client, Channel& channel);
  std::vector<std::string> ISupportTokens() const;

  // Declared rooms are persisted whenever their topic, modes or lists change.
  void PersistIfDeclared(Channel& channel);

  // --- Accessors --------------------------------------------------------------------------
  const config::Config& config() const { return config_; }
  const std::string& name() const { return config_.server_name; }
  boost::asio::io_context& io() { return io_; }
  std::size_t client_count() const { return clients_.size(); }
  // Connections over one transport ("tcp", "websocket"), for metrics.
  std::size_t CountConnections(std::string_view kind) const;
  std::size_t registered_count() const { return nicks_.size(); }
  std::size_t channel_count() const { return channels_.size(); }
  std::size_t oper_count() const;
  const std::unordered_map<std::string, std::unique_ptr<Channel>>& channels() const {
    return channels_;
  }
  const std::unordered_map<std::string, Client*>& nicks() const { return nicks_; }
  const std::deque<WhowasEntry>& whowas() const { return whowas_; }
  std::vector<Client*>* MonitorWatchers(std::string_view folded_nick);
  void AddMonitor(Client& client, const std::string& folded_nick);
  void RemoveMonitor(Client& client, const std::string& folded_nick);
  int64_t started_at() const { return started_at_; }
  // Flood: a throttled client is resumed by the housekeeping tick.
  void Throttle(Client& client);

  static int64_t NowMs();    // steady clock
  static int64_t NowUnix();  // wall clock seconds

 private:
  void Tick();
  void ScheduleTick();
  void ScheduleFloodTick();
  void FloodTick();
  void ReapDead();
  void RememberWhowas(const Client& client);

  boost::asio::io_context& io_;
  const config::Config& config_;
  storage::Store& store_;
  net::ConnectionLimits limits_;
  net::Flusher flusher_;
  moderation::Cloak cloak_;
  CommandTable commands_;
  std::unordered_map<uint64_t, std::unique_ptr<Client>> clients_;
  std::unordered_map<std::string, Client*> nicks_;  // folded nick -> registered client
  std::unordered_map<std::string, std::unique_ptr<Channel>> channels_;  // folded name
  std::unordered_map<std::string, std::vector<Client*>> monitors_;      // folded nick
  std::unordered_map<std::string, uint32_t> per_ip_;
  std::deque<WhowasEntry> whowas_;
  std::vector<std::unique_ptr<Client>> graveyard_;
  std::vector<uint64_t> throttled_;
  boost::asio::steady_timer tick_timer_;
  boost::asio::steady_timer flood_timer_;
  bool flood_timer_armed_ = false;
  bool reap_scheduled_ = false;
  bool shutting_down_ = false;
  uint64_t next_client_id_ = 1;
  uint64_t msg_counter_ = 0;
  std::string msgid_prefix_;
  int64_t started_at_;
};

}  // namespace salon::core

// salon: command line, configuration, signals and wiring of the layers. The only code not
// linked into the tests.
#include <signal.h>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/room_catalogue.h"
#include "core/server.h"
#include "http/http_server.h"
#include "http/websocket_connection.h"
#include "moderation/age_policy.h"
#include "moderation/automod/automod_module.h"
#include "moderation/channel_mode_policy.h"
#include "moderation/commands/sanctions.h"
#include "moderation/policy_chain.h"
#include "moderation/records/records.h"
#include "moderation/reports/report_service.h"
#include "moderation/reports/transparency_metrics.h"
#include "moderation/room_policy.h"
#include "moderation/sanction_policy.h"
#include "net/listener.h"
#include "services/chanserv.h"
#include "services/nickserv.h"
#include "storage/store.h"
#include "web_api/web_api.h"

namespace {

// Lets the process hold as many sockets as the hard limit allows.
void RaiseDescriptorLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

int HashPassword() {
  std::string password;
  std::getline(std::cin, password);
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    std::cerr << "salon: out of memory while hashing\n";
    return 1;
  }
  std::cout << hash << "\n";
  return 0;
}

std::string Metrics(const salon::core::Server& server) {
  return fmt::format(
      "# HELP salon_connections Open client connections.\n"
      "# TYPE salon_connections gauge\n"
      "salon_connections {}\n"
      "# HELP salon_transport_connections Open client connections by transport.\n"
      "# TYPE salon_transport_connections gauge\n"
      "salon_transport_connections{{transport=\"tcp\"}} {}\n"
      "salon_transport_connections{{transport=\"websocket\"}} {}\n"
      "# HELP salon_users Registered users.\n"
      "# TYPE salon_users gauge\n"
      "salon_users {}\n"
      "# HELP salon_channels Channels that exist.\n"
      "# TYPE salon_channels gauge\n"
      "salon_channels {}\n",
      server.client_count(), server.CountConnections("tcp"), server.CountConnections("websocket"),
      server.registered_count(), server.channel_count());
}

}  // namespace

int Run(int argc, char** argv) {
  CLI::App app{"Salon chat server"};
  std::string config_path;
  std::vector<std::string> irc_listen, http_listen;
  std::string data_dir;
  bool hash_password = false;
  bool verify_audit = false;
  app.add_option("--config", config_path, "TOML configuration file");
  app.add_option("--irc-listen", irc_listen, "IRC listener HOST:PORT (repeatable)");
  app.add_option("--http-listen", http_listen, "HTTP listener HOST:PORT (repeatable)");
  app.add_option("--data-dir", data_dir, "Data directory (SQLite database)");
  app.add_flag("--hash-password", hash_password,
               "Read a password on stdin, print its Argon2id hash for [[opers]]");
  app.add_flag("--verify-audit", verify_audit,
               "Check the audit log's hash chain in --data-dir (or the config's data_dir) and "
               "exit: 0 intact, 3 broken, 1 unreadable");
  CLI11_PARSE(app, argc, argv);

  if (sodium_init() < 0) {
    std::cerr << "salon: libsodium failed to initialise\n";
    return 1;
  }
  if (hash_password) return HashPassword();

  salon::config::Config config;
  try {
    if (!config_path.empty()) config = salon::config::LoadConfigFile(config_path);
    if (!irc_listen.empty()) {
      config.irc_listen.clear();
      for (const auto& text : irc_listen) {
        config.irc_listen.push_back(salon::config::ParseListenAddress(text, "--irc-listen"));
      }
    }
    if (!http_listen.empty()) {
      config.http_listen.clear();
      for (const auto& text : http_listen) {
        config.http_listen.push_back(salon::config::ParseListenAddress(text, "--http-listen"));
      }
    }
    if (!data_dir.empty()) config.data_dir = data_dir;
  } catch (const salon::config::ConfigError& e) {
    std::cerr << "salon: config error: " << e.what() << "\n";
    return 2;
  }
  if (verify_audit) {
    // Read-only: nothing is migrated nor written, so a copy of a suspect file can be checked.
    salon::storage::AuditVerification v = salon::storage::VerifySqliteAudit(config.data_dir);
    if (!v.error.empty()) {
      std::cerr << "salon: cannot verify the audit log: " << v.error << "\n";
      return 1;
    }
    if (v.first_broken_id != 0) {
      std::cout << "audit chain BROKEN at entry " << v.first_broken_id << " (" << v.count
                << " entries)\n";
      return 3;
    }
    std::cout << "audit chain intact: " << v.count << " entries, head "
              << (v.head_hash.empty() ? "-" : v.head_hash) << "\n";
    return 0;
  }
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");

  signal(SIGPIPE, SIG_IGN);  // a peer closing mid-write is handled as a write error
  RaiseDescriptorLimit();

  boost::asio::io_context io(1);
  std::unique_ptr<salon::storage::Store> store;
  try {
    // Store completions run on the loop thread; those posted after io.run() returns are dropped.
    store = salon::storage::OpenSqliteStore(config.data_dir, [&io](std::function<void()> task) {
      boost::asio::post(io, std::move(task));
    });
  } catch (const std::exception& e) {
    spdlog::critical("cannot open storage in {}: {}", config.data_dir, e.what());
    return 1;
  }

  salon::core::Server server(io, config, *store);
  server.services().Add(std::make_unique<salon::services::ChanServ>());
  server.services().Add(std::make_unique<salon::services::NickServ>());
  // The policy layer (docs/moderation.md): its parts in order; the first that does not allow
  // decides. Sanctions first (a muted or banned user is told so, whatever else applies), then
  // the room's rules, the age rules, and automod last (it scans the text).
  auto policy = std::make_unique<salon::moderation::PolicyChain>();
  std::unique_ptr<salon::moderation::SanctionPolicy> sanction_policy =
      salon::moderation::InstallSanctions(server);
  salon::moderation::Sanctions& sanctions = sanction_policy->sanctions();
  policy->Add(std::move(sanction_policy));
  policy->Add(std::make_unique<salon::moderation::ChannelModePolicy>());
  policy->Add(salon::moderation::InstallRoomPolicy(server));  // slow mode, new here, user rooms
  {  // the age rules (docs/moderation.md, "Protection of minors")
    const auto& m = config.minors;
    auto ages = std::make_unique<salon::moderation::AgePolicy>(
        server, salon::moderation::AgePolicyOptions{
                    m.minors_may_start_private, m.pending_requests_max, m.pending_requests_bytes,
                    m.age_change_interval_minutes * 60});
    ages->AddCommands(server);
    policy->Add(std::move(ages));
  }
  // Automod (moderation/automod/): a bad rules file stops the start like a bad config. Its mute
  // action is a sanction like a moderator's: stored, audited, with a statement of reasons.
  auto automod_loaded = salon::moderation::automod::AutomodModule::Create(
      server, [&sanctions](salon::core::Client& client, int64_t seconds, std::string reason) {
        sanctions.MuteConnected(client, seconds, "automod: " + reason);
      });
  if (!automod_loaded) {
    std::cerr << "salon: automod: " << automod_loaded.error() << "\n";
    return 2;
  }
  std::unique_ptr<salon::moderation::automod::AutomodModule> automod = std::move(*automod_loaded);
  automod->AddCommands(server);
  policy->Add(automod->MakePolicy());  // last: it scans the text
  // The connection log (events only) and the AUDIT / CONNLOG commands.
  salon::moderation::records::Records records(server);
  policy->Add(records.MakePolicy());
  // Reports (docs/report-protocol.md): REPORT / REPORTS, the private-conversation window.
  salon::moderation::reports::ReportService reports(server);
  if (reports.enabled()) policy->Add(reports.MakePolicy());
  salon::web_api::WebApi web_api(server, records, reports);
  server.SetPolicy(std::move(policy));
  server.Start();

  std::vector<std::unique_ptr<salon::net::Listener>> listeners;
  std::vector<std::unique_ptr<salon::http::HttpServer>> http_servers;
  std::string irc_addresses, http_addresses;
  try {
    for (const auto& address : config.irc_listen) {
      auto listener = std::make_unique<salon::net::Listener>(
          io, address.host, address.port,
          [&server](salon::net::TcpSocket socket) { server.Accept(std::move(socket)); });
      listener->Start();
      auto endpoint = listener->local_endpoint();
      irc_addresses += fmt::format("{}{}:{}", irc_addresses.empty() ? "" : ",",
                                   endpoint.address().to_string(), endpoint.port());
      listeners.push_back(std::move(listener));
    }
    for (const auto& address : config.http_listen) {
      salon::http::Routes routes;
      routes.metrics = [&server, &reports] {
        std::string text = Metrics(server);
        // The figures last read (at most a minute old): /metrics never waits on the store.
        if (reports.cached_figures()) {
          text += salon::moderation::reports::TransparencyMetrics(*reports.cached_figures());
        }
        return text;
      };
      routes.rooms_json = [&server] { return salon::core::RoomCatalogueJson(server); };
      routes.api = [&web_api](salon::http::ApiRequest request, salon::http::ApiReply reply) {
        web_api.Handle(std::move(request), std::move(reply));
      };
      routes.on_websocket = [&server](std::shared_ptr<salon::net::Transport> conn) {
        server.AddClient(std::move(conn));
      };
      routes.web_root = config.web.root;
      routes.allowed_origins = config.web.allowed_origins;
      routes.limits = server.connection_limits();
      routes.limits.line_max = config.web.max_message_bytes;
      auto http = std::make_unique<salon::http::HttpServer>(io, address.host, address.port,
                                                            std::move(routes));
      http->Start();
      auto endpoint = http->local_endpoint();
      http_addresses += fmt::format("{}{}:{}", http_addresses.empty() ? "" : ",",
                                    endpoint.address().to_string(), endpoint.port());
      http_servers.push_back(std::move(http));
    }
  } catch (const std::exception& e) {
    spdlog::critical("cannot listen: {}", e.what());
    return 1;
  }

  boost::asio::steady_timer grace_timer(io);
  std::chrono::steady_clock::time_point shutdown_deadline;
  std::function<void()> wait_for_websockets = [&] {
    if (salon::http::WebSocketConnection::live_count() == 0 ||
        std::chrono::steady_clock::now() >= shutdown_deadline) {
      io.stop();
      return;
    }
    grace_timer.expires_after(std::chrono::milliseconds(10));
    grace_timer.async_wait([&](const boost::system::error_code&) { wait_for_websockets(); });
  };
  boost::asio::signal_set signals(io, SIGTERM, SIGINT);
  signals.async_wait([&](const boost::system::error_code& ec, int signal_number) {
    if (ec) return;
    spdlog::info("signal {}: shutting down", signal_number);
    for (auto& listener : listeners) listener->Stop();
    for (auto& http : http_servers) http->Stop();
    server.Shutdown("Server shutting down");
    // TCP clients got their ERROR line synchronously; WebSocket clients need a few more loop
    // turns for the ERROR message and the close handshake. Wait for them, at most 2 seconds.
    shutdown_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    wait_for_websockets();
  });

  // SIGHUP reloads automod's rules file (a bad file is refused, the rules in force stay).
  boost::asio::signal_set reload_signals(io, SIGHUP);
  std::function<void()> wait_for_reload = [&] {
    reload_signals.async_wait([&](const boost::system::error_code& ec, int) {
      if (ec) return;
      spdlog::info("SIGHUP: reloading the automod rules");
      std::string error;
      if (!automod->Reload(
              nullptr, [](const std::string&) {}, &error)) {
        spdlog::warn("automod: reload refused: {}", error);
      }
      wait_for_reload();
    });
  };
  wait_for_reload();

  spdlog::info("ready irc={} http={} data={}", irc_addresses, http_addresses, config.data_dir);
  spdlog::default_logger()->flush();
  io.run();
  store->Flush();
  spdlog::info("stopped");
  return 0;
}

int main(int argc, char** argv) {
  // Exceptions belong to start-up (configuration, binding); one escaping the loop is fatal and
  // said so, never swallowed.
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    spdlog::critical("fatal: {}", e.what());
    return 1;
  }
}

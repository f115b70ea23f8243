// Salon configuration: one struct tree with defaults. An empty file is a valid configuration.
// Loaded once at start-up from TOML; unknown keys and bad values are rejected with a
// ConfigError that names the file, the line and the key. salon.example.toml documents every key
// and config_test.cc checks that the example loads and covers every key.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace salon::config {

struct ListenAddress {
  std::string host;
  uint16_t port = 0;  // 0 = pick a free port (tests); the ready line prints the real one

  bool operator==(const ListenAddress&) const = default;
};

// A room declared by the operator: always exists, keeps topic and modes across restarts.
struct RoomDecl {
  std::string name;           // "#friendship"
  std::string category;       // "Friendship"
  std::string description;    // one line shown in LIST / catalogue
  std::string topic;          // initial topic (only used before one is stored)
  std::string modes = "+nt";  // initial modes, e.g. "+ntl 50" (only used before stored)
  bool adults_only = false;   // +A at every start: closed to minors (docs/moderation.md)

  bool operator==(const RoomDecl&) const = default;
};

// An IRC operator block. password_hash is an Argon2id encoded hash ("$argon2id$...") as made
// by `salon --hash-password`; plain passwords are rejected at load.
struct OperDecl {
  std::string name;
  std::string password_hash;
  std::string host_mask = "*";  // user@host mask the oper must match (real host)

  bool operator==(const OperDecl&) const = default;
};

struct Limits {
  uint32_t nick_length = 30;
  uint32_t channel_length = 50;
  uint32_t topic_length = 390;
  uint32_t kick_length = 255;
  uint32_t away_length = 200;
  uint32_t realname_length = 128;
  uint32_t channels_per_user = 50;   // CHANLIMIT
  uint32_t list_entries = 100;       // MAXLIST for each of b, e, I
  uint32_t targets = 4;              // TARGMAX for PRIVMSG/NOTICE/JOIN...
  uint32_t modes_per_command = 6;    // MODES
  uint32_t monitor_entries = 100;    // MONITOR
  uint64_t sendq_bytes = 1 << 20;    // bytes queued to one client before disconnect
  uint32_t recvq_bytes = 8192;       // unprocessed input held for one client
  uint32_t connections_per_ip = 10;  // 0 = unlimited
  uint32_t registration_timeout_s = 30;
  uint32_t ping_interval_s = 90;  // idle time before the server sends PING
  uint32_t ping_timeout_s = 60;   // time to answer that PING
  uint32_t whowas_entries = 1000;
  // draft/multiline (docs/ircv3.md): one message's text, '\n' between lines included, and lines.
  uint32_t multiline_max_bytes = 4096;
  uint32_t multiline_max_lines = 24;

  bool operator==(const Limits&) const = default;
};

// Per-connection flood control: a token bucket of commands.
struct Flood {
  bool enabled = true;
  double burst = 10;      // commands allowed at once
  double rate_per_s = 2;  // refill rate

  bool operator==(const Flood&) const = default;
};

struct Cloak {
  std::string secret;            // HMAC key; empty = generated at start (cloaks change on restart)
  std::string suffix = "salon";  // shown hosts look like "a1b2c3d4.salon"

  bool operator==(const Cloak&) const = default;
};

// The web client and IRC-over-WebSocket on the HTTP listeners.
struct Web {
  std::string root = "web/dist";             // built client served at "/"
  std::vector<std::string> allowed_origins;  // empty: same origin as the Host header only
  uint32_t max_message_bytes = 8192 + 512;   // largest WebSocket message accepted
  // Web API sessions (POST /api/session): ended after this long, or this long unused.
  uint32_t session_hours = 12;
  uint32_t session_idle_minutes = 60;
  bool operator==(const Web&) const = default;
};

// The join profile (docs/profile-protocol.md).
struct Profile {
  uint32_t minimum_age = 15;  // the age of digital consent in France
  uint32_t town_length = 40;
  bool operator==(const Profile&) const = default;
};

// Accounts: registration, logins, nick protection (docs/account-protocol.md).
struct Accounts {
  uint32_t worker_threads = 1;                 // threads for Argon2id / PBKDF2 (fewer than cores)
  uint32_t argon2_opslimit = 2;                // Argon2id passes (libsodium opslimit)
  uint32_t argon2_memory_kib = 19456;          // Argon2id memory per hash, KiB (19 MiB)
  uint32_t nick_grace_s = 30;                  // a guest on a registered nick is renamed after this
  uint32_t max_failures = 5;                   // failed logins per account or IP in the window...
  uint32_t failure_window_s = 300;             // ...within this many seconds...
  uint32_t lockout_s = 300;                    // ...lock that account / IP out for this long
  uint32_t registrations_per_ip_per_hour = 0;  // 0 = unlimited
  // The same per /24 (IPv4) or /64 (IPv6) network: a registration wave from one network.
  uint32_t registrations_per_prefix_per_hour = 0;  // 0 = unlimited
  uint32_t min_password_length = 8;                // bytes
  bool registration_before_connect = true;         // REGISTER before the connection registers
  bool email_verification = false;                 // REGISTER needs an e-mail and a mailed code
  std::string sendmail_command = "/usr/sbin/sendmail -t -i";
  bool operator==(const Accounts&) const = default;
};

// Who runs this server, for the ADMIN command (256-259). One line each, at most 200 bytes.
struct Admin {
  std::string location = "";  // 257: where the server is, e.g. "Lyon, France"
  std::string name = "";      // 258: the person or organisation running it
  std::string email = "";     // 259: a contact address (must contain '@' when set)
  bool operator==(const Admin&) const = default;
};

// Room and private-message history (docs/history.md).
struct History {
  // The in-memory window of each room and private conversation: the last memory_messages
  // messages, none older than memory_minutes. Never written to disk. 0 messages: no window.
  uint32_t memory_messages = 50;
  uint32_t memory_minutes = 30;
  // Longest stored history a room founder may set (ChanServ SET HISTORY); 0: none allowed.
  uint32_t stored_max_days = 30;
  // Most messages one CHATHISTORY command returns (ISUPPORT CHATHISTORY=<n>).
  uint32_t query_limit = 100;
  bool operator==(const History&) const = default;
};

// Moderation roles and sanctions (docs/moderation.md). The accounts named here hold their
// role from start-up (bootstrap); ROLE grants and revokes others at run time.
// One rung of the strike ladder: what the n-th strike within the window does.
struct StrikeRung {
  enum class Action { kWarn, kTimeout, kSuspend };
  Action action = Action::kWarn;
  int64_t seconds = 0;  // timeout / suspend: how long (0: no end)
  bool operator==(const StrikeRung&) const = default;
};

struct Moderation {
  std::vector<std::string> admins;
  std::vector<std::string> moderators;
  // STRIKE applies the rung of the strikes the target had within strike_window_days (the
  // last rung again past the end). Written "warn", "timeout:<duration>", "suspend:<duration>".
  std::vector<StrikeRung> strike_ladder = {
      {StrikeRung::Action::kWarn, 0},
      {StrikeRung::Action::kTimeout, 3600},
      {StrikeRung::Action::kSuspend, 7 * 86400},
  };
  uint32_t strike_window_days = 30;
  bool operator==(const Moderation&) const = default;
};

// Automatic moderation (docs/moderation.md, "Automatic moderation").
struct Automod {
  // The rules file (TOML, [[rule]] tables); empty: no rules. A relative path is taken from the
  // directory of the config file (LoadConfigFile makes it absolute).
  std::string rules_file;
  // Messages held for review are kept in memory only, at most held_max of them (the oldest go
  // first) and none longer than held_max_minutes.
  uint32_t held_max = 200;
  uint32_t held_max_minutes = 1440;
  bool operator==(const Automod&) const = default;
};

// Protection of minors (docs/moderation.md, "Protection of minors"; moderation/age_policy.h).
struct Minors {
  // A minor may start a private conversation with an adult (who may then answer in it).
  bool minors_may_start_private = false;
  // Message requests waiting for one recipient: at most this many messages and bytes of text.
  uint32_t pending_requests_max = 10;
  uint32_t pending_requests_bytes = 4096;
  // A declared age changes at most once in this many minutes per connection.
  uint32_t age_change_interval_minutes = 60;
  bool operator==(const Minors&) const = default;
};

// Room controls and user-created rooms (docs/moderation.md, "Room controls and user-created
// rooms"; moderation/room_policy.h).
struct RoomPolicy {
  // What a JOIN of a room that does not exist does: creates an unlisted room (kept out of the
  // public catalogue until a server moderator lists it), a listed one, or nothing (only server
  // moderators create rooms).
  enum class UserRooms { kUnlisted, kListed, kForbidden };
  UserRooms user_rooms = UserRooms::kUnlisted;
  // "New here": a connection younger than this may not post links in rooms nor open private
  // conversations; 0: off (a room's +N still applies there).
  uint32_t new_user_minutes = 0;
  bool operator==(const RoomPolicy&) const = default;
};

// Records (docs/moderation.md, "Records"; docs/privacy.md): the connection log's retention, the
// HTTP admin API's token, and the limits on connection waves from one network.
struct Records {
  uint32_t connection_log_days = 365;  // 0: no connection log (nothing written, all purged)
  // Per /24 (IPv4) or /64 (IPv6) prefix: open connections at once; 0 = unlimited.
  uint32_t connections_per_prefix = 0;
  // New connections accepted per minute from one address, and from one prefix; 0 = unlimited.
  uint32_t connects_per_ip_per_minute = 0;
  uint32_t connects_per_prefix_per_minute = 0;
  bool operator==(const Records&) const = default;
};

// Reports (docs/report-protocol.md, moderation/reports/): REPORT and REPORTS, the evidence
// they capture, the private-conversation window that evidence comes from, limits, retention.
struct Reports {
  bool enabled = true;  // false: no REPORT / REPORTS, no ISUPPORT token, no private window
  // A reported message's context: this many messages before it and after it (and for a room
  // report, this many of the room's last messages).
  uint32_t context_messages = 5;
  // A report on a user: at most this many of their recent messages in shared rooms.
  uint32_t user_messages = 20;
  // The in-memory window of each private conversation (memory only; on disk only inside a
  // report): its last messages, none older than the minutes, at most that many conversations
  // (the one idle longest goes first).
  uint32_t private_window_messages = 50;
  uint32_t private_window_minutes = 60;
  uint32_t private_window_conversations = 10000;
  uint32_t text_max_bytes = 1000;  // the reporter's comment
  // Reports accepted per hour from one account (a guest: one connection), and one address.
  uint32_t per_user_per_hour = 10;
  uint32_t per_ip_per_hour = 30;
  // Notices accepted per hour from one address on the public form (POST /api/notices).
  uint32_t form_per_ip_per_hour = 5;
  // Days a report and its evidence are kept; 0: until an administrator deletes them.
  uint32_t keep_days = 365;
  bool operator==(const Reports&) const = default;
};

// Switches for tests only; never set in production.
struct Debug {
  // The server uses an adjustable clock and accepts DEBUG CLOCK ADVANCE <seconds> from any
  // registered client, so tests of timeouts need not wait in real time.
  bool clock_control = false;
  bool operator==(const Debug&) const = default;
};

struct Config {
  std::string server_name = "salon.local";
  std::string network = "Salon";
  std::string description = "Salon chat server";
  std::vector<ListenAddress> irc_listen{{"127.0.0.1", 6667}};
  std::vector<ListenAddress> http_listen{{"127.0.0.1", 8080}};
  std::string data_dir = "./data";
  std::string motd_file;  // empty: a built-in MOTD
  std::string log_level = "info";
  Limits limits;
  Flood flood;
  Cloak cloak;
  Web web;
  Profile profile;
  Accounts accounts;
  Admin admin;
  History history;
  Moderation moderation;
  Automod automod;
  Minors minors;
  RoomPolicy room_policy;
  Records records;
  Reports reports;
  Debug debug;
  std::vector<RoomDecl> rooms;
  std::vector<OperDecl> opers;

  bool operator==(const Config&) const = default;
};

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses TOML text. `origin` names the file in error messages.
// Throws ConfigError: "salon.toml:12: limits.nick_length: must be between 1 and 64".
Config ParseConfig(const std::string& toml_text, const std::string& origin);
Config LoadConfigFile(const std::string& path);

// "host:port" as given on the command line; throws ConfigError naming `key`.
ListenAddress ParseListenAddress(const std::string& text, const std::string& key);

// Every key the loader accepts, dotted, with "[]" for array-of-table elements:
// "server_name", "limits.nick_length", "rooms[].name"... config_test.cc checks that
// salon.example.toml documents exactly this set.
std::vector<std::string> KnownConfigKeys();

}  // namespace salon::config

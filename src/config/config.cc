// Loading and validation of the TOML configuration (start-up only, so errors are exceptions).
// Each section is described by a table of fields, in the spirit of Redis's static_configs[]:
// the same tables read the file, reject unknown keys and list the known keys for the test that
// checks salon.example.toml against the structs.
#include "config/config.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

// A pure parser with no dependency: the ladder's durations read as MUTE and BAN read them.
#include "moderation/duration.h"
#include "protocol/irc/casemap.h"
#include "protocol/irc/names.h"

namespace salon::config {
namespace {

const char* const kLogLevels[] = {"trace", "debug", "info", "warn", "error"};

// A value found in the document, with what is needed to blame it precisely.
class Value {
 public:
  Value(const toml::node& node, std::string key, const std::string& origin)
      : node_(node), key_(std::move(key)), origin_(origin) {}

  const toml::node& node() const { return node_; }
  const std::string& key() const { return key_; }
  const std::string& origin() const { return origin_; }

  [[noreturn]] void Fail(std::string_view reason) const {
    throw ConfigError(origin_ + ":" + std::to_string(node_.source().begin.line) + ": " + key_ +
                      ": " + std::string(reason));
  }

  std::string String() const {
    if (!node_.is_string()) Fail("must be a string");
    return node_.as_string()->get();
  }

  // A string that must not be empty nor contain control characters (names, suffixes...).
  std::string Word() const {
    std::string s = String();
    if (s.empty()) Fail("must not be empty");
    for (char c : s) {
      if (static_cast<unsigned char>(c) < 0x20 || c == ' ') Fail("must not contain spaces");
    }
    return s;
  }

  bool Bool() const {
    if (!node_.is_boolean()) Fail("must be a boolean (true or false)");
    return node_.as_boolean()->get();
  }

  uint64_t Uint(uint64_t lo, uint64_t hi) const {
    if (!node_.is_integer()) Fail("must be an integer");
    int64_t v = node_.as_integer()->get();
    if (v < 0 || static_cast<uint64_t>(v) < lo || static_cast<uint64_t>(v) > hi) {
      Fail("must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    }
    return static_cast<uint64_t>(v);
  }

  uint32_t Uint32(uint32_t lo, uint32_t hi) const { return static_cast<uint32_t>(Uint(lo, hi)); }

  // Accepts integers too: "burst = 10" is an integer in TOML.
  double Positive(double hi) const {
    double v;
    if (node_.is_floating_point()) {
      v = node_.as_floating_point()->get();
    } else if (node_.is_integer()) {
      v = static_cast<double>(node_.as_integer()->get());
    } else {
      Fail("must be a number");
    }
    if (!(v > 0 && v <= hi)) Fail("must be greater than 0 and at most " + FormatDouble(hi));
    return v;
  }

  const toml::array& Array() const {
    if (!node_.is_array()) Fail("must be an array");
    return *node_.as_array();
  }

  const toml::table& Table() const {
    if (!node_.is_table()) Fail("must be a table");
    return *node_.as_table();
  }

 private:
  static std::string FormatDouble(double d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", d);
    return buf;
  }

  const toml::node& node_;
  std::string key_;
  const std::string& origin_;
};

template <typename S>
struct Field {
  const char* name;
  void (*read)(const Value& v, S* out);
  // For sub-tables: appends the dotted keys below this one. Null for plain values.
  void (*list_keys)(const std::string& prefix, std::vector<std::string>* out) = nullptr;
};

template <typename S, std::size_t N>
void ReadTable(const toml::table& table, const std::string& prefix, const Field<S> (&fields)[N],
               const std::string& origin, S* out) {
  for (auto&& [key, node] : table) {
    std::string dotted =
        prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
    const Field<S>* field = nullptr;
    for (const Field<S>& f : fields) {
      if (key.str() == f.name) field = &f;
    }
    if (field == nullptr) {
      throw ConfigError(
          fmt::format("{}:{}: {}: unknown key", origin, key.source().begin.line, dotted));
    }
    field->read(Value(node, dotted, origin), out);
  }
}

template <typename S, std::size_t N>
void ListKeys(const Field<S> (&fields)[N], const std::string& prefix,
              std::vector<std::string>* out) {
  for (const Field<S>& f : fields) {
    std::string dotted = prefix.empty() ? std::string(f.name) : prefix + "." + f.name;
    if (f.list_keys != nullptr) {
      f.list_keys(dotted, out);
    } else {
      out->push_back(dotted);
    }
  }
}

// Reads an array of tables ([[rooms]] or rooms = [{...}]); keys are named "rooms[2].name",
// counting from 0.
template <typename S, std::size_t N>
std::vector<S> ReadArrayOfTables(const Value& v, const Field<S> (&fields)[N]) {
  std::vector<S> items;
  const toml::array& array = v.Array();
  for (std::size_t i = 0; i < array.size(); ++i) {
    Value element(array[i], v.key() + "[" + std::to_string(i) + "]", v.origin());
    if (!array[i].is_table()) element.Fail("must be a table");
    S item;
    ReadTable(*array[i].as_table(), element.key(), fields, v.origin(), &item);
    items.push_back(std::move(item));
  }
  return items;
}

std::optional<ListenAddress> TryParseListen(std::string_view text, std::string* reason) {
  std::string_view host, port;
  if (!text.empty() && text[0] == '[') {
    std::size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      *reason = "expected [ipv6]:port";
      return std::nullopt;
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      *reason = "expected host:port";
      return std::nullopt;
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      *reason = "IPv6 addresses must be written [addr]:port";
      return std::nullopt;
    }
  }
  if (host.empty()) {
    *reason = "missing host";
    return std::nullopt;
  }
  if (port.empty() || port.size() > 5) {
    *reason = "port must be between 0 and 65535";
    return std::nullopt;
  }
  uint32_t value = 0;
  for (char c : port) {
    if (c < '0' || c > '9') {
      *reason = "port must be between 0 and 65535";
      return std::nullopt;
    }
    value = value * 10 + static_cast<uint32_t>(c - '0');
  }
  if (value > 65535) {
    *reason = "port must be between 0 and 65535";
    return std::nullopt;
  }
  return ListenAddress{std::string(host), static_cast<uint16_t>(value)};
}

std::vector<ListenAddress> ReadListenArray(const Value& v) {
  std::vector<ListenAddress> out;
  const toml::array& array = v.Array();
  for (std::size_t i = 0; i < array.size(); ++i) {
    Value element(array[i], v.key() + "[" + std::to_string(i) + "]", v.origin());
    std::string reason;
    std::optional<ListenAddress> address = TryParseListen(element.String(), &reason);
    if (!address) element.Fail("invalid listen address \"" + element.String() + "\": " + reason);
    out.push_back(*address);
  }
  return out;
}

// Host names shown to clients (server name, cloak suffix): letters, digits, '-' and '.'.
std::string HostName(const Value& v) {
  std::string s = v.Word();
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.';
    if (!ok) v.Fail("must contain only letters, digits, '-' and '.'");
  }
  if (s.size() > 63) v.Fail("must be at most 63 characters");
  return s;
}

// Ranges: wide enough for any sane deployment, narrow enough to catch typos (an extra zero) and
// to keep replies within the 512-byte IRC line. salon.example.toml repeats them.
const Field<Limits> kLimitFields[] = {
    {"nick_length", [](const Value& v, Limits* l) { l->nick_length = v.Uint32(1, 64); }},
    {"channel_length", [](const Value& v, Limits* l) { l->channel_length = v.Uint32(2, 200); }},
    {"topic_length", [](const Value& v, Limits* l) { l->topic_length = v.Uint32(1, 400); }},
    {"kick_length", [](const Value& v, Limits* l) { l->kick_length = v.Uint32(1, 400); }},
    {"away_length", [](const Value& v, Limits* l) { l->away_length = v.Uint32(1, 400); }},
    {"realname_length", [](const Value& v, Limits* l) { l->realname_length = v.Uint32(1, 400); }},
    {"channels_per_user",
     [](const Value& v, Limits* l) { l->channels_per_user = v.Uint32(1, 10000); }},
    {"list_entries", [](const Value& v, Limits* l) { l->list_entries = v.Uint32(1, 10000); }},
    {"targets", [](const Value& v, Limits* l) { l->targets = v.Uint32(1, 100); }},
    {"modes_per_command",
     [](const Value& v, Limits* l) { l->modes_per_command = v.Uint32(1, 100); }},
    {"monitor_entries", [](const Value& v, Limits* l) { l->monitor_entries = v.Uint32(0, 10000); }},
    {"sendq_bytes", [](const Value& v, Limits* l) { l->sendq_bytes = v.Uint(4096, 1ull << 30); }},
    // One IRCv3 line is up to 8191 bytes of tags plus 512.
    {"recvq_bytes", [](const Value& v, Limits* l) { l->recvq_bytes = v.Uint32(512, 1u << 20); }},
    {"connections_per_ip",
     [](const Value& v, Limits* l) { l->connections_per_ip = v.Uint32(0, 100000); }},
    {"registration_timeout_s",
     [](const Value& v, Limits* l) { l->registration_timeout_s = v.Uint32(1, 3600); }},
    {"ping_interval_s", [](const Value& v, Limits* l) { l->ping_interval_s = v.Uint32(1, 86400); }},
    {"ping_timeout_s", [](const Value& v, Limits* l) { l->ping_timeout_s = v.Uint32(1, 3600); }},
    {"whowas_entries", [](const Value& v, Limits* l) { l->whowas_entries = v.Uint32(0, 1000000); }},
    {"multiline_max_bytes",
     [](const Value& v, Limits* l) { l->multiline_max_bytes = v.Uint32(512, 65536); }},
    {"multiline_max_lines",
     [](const Value& v, Limits* l) { l->multiline_max_lines = v.Uint32(2, 1000); }},
};

const Field<Flood> kFloodFields[] = {
    {"enabled", [](const Value& v, Flood* f) { f->enabled = v.Bool(); }},
    {"burst", [](const Value& v, Flood* f) { f->burst = v.Positive(1e6); }},
    {"rate_per_s", [](const Value& v, Flood* f) { f->rate_per_s = v.Positive(1e6); }},
};

const Field<Cloak> kCloakFields[] = {
    {"secret", [](const Value& v, Cloak* c) { c->secret = v.String(); }},
    {"suffix", [](const Value& v, Cloak* c) { c->suffix = HostName(v); }},
};

const Field<Web> kWebFields[] = {
    {"root", [](const Value& v, Web* w) { w->root = v.String(); }},
    {"allowed_origins",
     [](const Value& v, Web* w) {
       w->allowed_origins.clear();
       const toml::array& array = v.Array();
       for (std::size_t i = 0; i < array.size(); ++i) {
         Value element(array[i], v.key() + "[" + std::to_string(i) + "]", v.origin());
         std::string origin = element.String();
         if (origin.rfind("http://", 0) != 0 && origin.rfind("https://", 0) != 0) {
           element.Fail("must be an origin such as \"https://chat.example.org\"");
         }
         w->allowed_origins.push_back(origin);
       }
     }},
    {"max_message_bytes",
     [](const Value& v, Web* w) { w->max_message_bytes = v.Uint32(512, 1u << 20); }},
    {"session_hours", [](const Value& v, Web* w) { w->session_hours = v.Uint32(1, 720); }},
    {"session_idle_minutes",
     [](const Value& v, Web* w) { w->session_idle_minutes = v.Uint32(5, 43200); }},
};

const Field<Profile> kProfileFields[] = {
    {"minimum_age", [](const Value& v, Profile* p) { p->minimum_age = v.Uint32(1, 120); }},
    {"town_length", [](const Value& v, Profile* p) { p->town_length = v.Uint32(1, 200); }},
};

// libsodium's Argon2id accepts opslimit >= 1 and memlimit >= 8 KiB; the upper bounds catch a
// typo that would make every login take seconds.
const Field<Accounts> kAccountFields[] = {
    {"worker_threads", [](const Value& v, Accounts* a) { a->worker_threads = v.Uint32(1, 64); }},
    {"argon2_opslimit", [](const Value& v, Accounts* a) { a->argon2_opslimit = v.Uint32(1, 20); }},
    {"argon2_memory_kib",
     [](const Value& v, Accounts* a) { a->argon2_memory_kib = v.Uint32(8, 1u << 20); }},
    {"nick_grace_s", [](const Value& v, Accounts* a) { a->nick_grace_s = v.Uint32(1, 3600); }},
    {"max_failures", [](const Value& v, Accounts* a) { a->max_failures = v.Uint32(1, 1000); }},
    {"failure_window_s",
     [](const Value& v, Accounts* a) { a->failure_window_s = v.Uint32(1, 86400); }},
    {"lockout_s", [](const Value& v, Accounts* a) { a->lockout_s = v.Uint32(1, 86400); }},
    {"registrations_per_ip_per_hour",
     [](const Value& v, Accounts* a) { a->registrations_per_ip_per_hour = v.Uint32(0, 100000); }},
    {"registrations_per_prefix_per_hour",
     [](const Value& v, Accounts* a) {
       a->registrations_per_prefix_per_hour = v.Uint32(0, 100000);
     }},
    {"min_password_length",
     [](const Value& v, Accounts* a) { a->min_password_length = v.Uint32(1, 300); }},
    {"registration_before_connect",
     [](const Value& v, Accounts* a) { a->registration_before_connect = v.Bool(); }},
    {"email_verification", [](const Value& v, Accounts* a) { a->email_verification = v.Bool(); }},
    {"sendmail_command",
     [](const Value& v, Accounts* a) {
       a->sendmail_command = v.String();
       if (a->sendmail_command.find_first_not_of(' ') == std::string::npos) {
         v.Fail("must not be empty");
       }
     }},
};

// One line of text shown to clients: no control characters, at most 200 bytes.
std::string InfoLine(const Value& v) {
  std::string s = v.String();
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) v.Fail("must be one line of text");
  }
  if (s.size() > 200) v.Fail("must be at most 200 bytes");
  return s;
}

const Field<Admin> kAdminFields[] = {
    {"location", [](const Value& v, Admin* a) { a->location = InfoLine(v); }},
    {"name", [](const Value& v, Admin* a) { a->name = InfoLine(v); }},
    {"email",
     [](const Value& v, Admin* a) {
       a->email = InfoLine(v);
       if (!a->email.empty() &&
           (a->email.find('@') == std::string::npos || a->email.find(' ') != std::string::npos)) {
         v.Fail("must be an e-mail address such as \"admin@example.org\"");
       }
     }},
};

const Field<History> kHistoryFields[] = {
    {"memory_messages",
     [](const Value& v, History* h) { h->memory_messages = v.Uint32(0, 10000); }},
    {"memory_minutes", [](const Value& v, History* h) { h->memory_minutes = v.Uint32(1, 1440); }},
    {"stored_max_days", [](const Value& v, History* h) { h->stored_max_days = v.Uint32(0, 3650); }},
    {"query_limit", [](const Value& v, History* h) { h->query_limit = v.Uint32(1, 1000); }},
};

// Account names as a list of words; the accounts need not exist yet (a role waits for the
// account to be registered).
std::vector<std::string> AccountList(const Value& v) {
  std::vector<std::string> out;
  const toml::array& array = v.Array();
  for (std::size_t i = 0; i < array.size(); ++i) {
    Value element(array[i], v.key() + "[" + std::to_string(i) + "]", v.origin());
    out.push_back(element.Word());
  }
  return out;
}

// "warn", "timeout:1h", "suspend:7d" (durations as moderation/duration.h reads them).
std::vector<StrikeRung> StrikeLadder(const Value& v) {
  std::vector<StrikeRung> ladder;
  const toml::array& array = v.Array();
  if (array.empty()) v.Fail("must have at least one rung");
  for (std::size_t i = 0; i < array.size(); ++i) {
    Value element(array[i], v.key() + "[" + std::to_string(i) + "]", v.origin());
    std::string text = element.Word();
    std::size_t colon = text.find(':');
    std::string action = text.substr(0, colon);
    StrikeRung rung;
    if (action == "warn" && colon == std::string::npos) {
      ladder.push_back(rung);
      continue;
    }
    if (action == "timeout") {
      rung.action = StrikeRung::Action::kTimeout;
    } else if (action == "suspend") {
      rung.action = StrikeRung::Action::kSuspend;
    } else {
      element.Fail("must be \"warn\", \"timeout:<duration>\" or \"suspend:<duration>\"");
    }
    std::optional<int64_t> seconds =
        colon == std::string::npos
            ? std::nullopt
            : moderation::ParseDuration(std::string_view(text).substr(colon + 1));
    if (!seconds) element.Fail("needs a duration after ':' such as 1h, 7d or perm");
    rung.seconds = *seconds;
    ladder.push_back(rung);
  }
  return ladder;
}

const Field<Moderation> kModerationFields[] = {
    {"admins", [](const Value& v, Moderation* m) { m->admins = AccountList(v); }},
    {"moderators", [](const Value& v, Moderation* m) { m->moderators = AccountList(v); }},
    {"strike_ladder", [](const Value& v, Moderation* m) { m->strike_ladder = StrikeLadder(v); }},
    {"strike_window_days",
     [](const Value& v, Moderation* m) { m->strike_window_days = v.Uint32(1, 3650); }},
};

const Field<Minors> kMinorsFields[] = {
    {"minors_may_start_private",
     [](const Value& v, Minors* m) { m->minors_may_start_private = v.Bool(); }},
    {"pending_requests_max",
     [](const Value& v, Minors* m) { m->pending_requests_max = v.Uint32(1, 1000); }},
    {"pending_requests_bytes",
     [](const Value& v, Minors* m) { m->pending_requests_bytes = v.Uint32(512, 1048576); }},
    {"age_change_interval_minutes",
     [](const Value& v, Minors* m) { m->age_change_interval_minutes = v.Uint32(0, 10080); }},
};

const Field<Automod> kAutomodFields[] = {
    {"rules_file", [](const Value& v, Automod* a) { a->rules_file = v.String(); }},
    {"held_max", [](const Value& v, Automod* a) { a->held_max = v.Uint32(1, 100000); }},
    {"held_max_minutes",
     [](const Value& v, Automod* a) { a->held_max_minutes = v.Uint32(1, 10080); }},
};

const Field<RoomPolicy> kRoomPolicyFields[] = {
    {"user_rooms",
     [](const Value& v, RoomPolicy* r) {
       const std::string mode = v.String();
       if (mode == "unlisted") {
         r->user_rooms = RoomPolicy::UserRooms::kUnlisted;
       } else if (mode == "listed") {
         r->user_rooms = RoomPolicy::UserRooms::kListed;
       } else if (mode == "forbidden") {
         r->user_rooms = RoomPolicy::UserRooms::kForbidden;
       } else {
         v.Fail("must be \"unlisted\", \"listed\" or \"forbidden\"");
       }
     }},
    {"new_user_minutes",
     [](const Value& v, RoomPolicy* r) { r->new_user_minutes = v.Uint32(0, 10080); }},
};

const Field<Records> kRecordsFields[] = {
    {"connection_log_days",
     [](const Value& v, Records* r) { r->connection_log_days = v.Uint32(0, 3650); }},
    {"connections_per_prefix",
     [](const Value& v, Records* r) { r->connections_per_prefix = v.Uint32(0, 1000000); }},
    {"connects_per_ip_per_minute",
     [](const Value& v, Records* r) { r->connects_per_ip_per_minute = v.Uint32(0, 1000000); }},
    {"connects_per_prefix_per_minute",
     [](const Value& v, Records* r) { r->connects_per_prefix_per_minute = v.Uint32(0, 1000000); }},
};

const Field<Reports> kReportsFields[] = {
    {"enabled", [](const Value& v, Reports* r) { r->enabled = v.Bool(); }},
    {"context_messages", [](const Value& v, Reports* r) { r->context_messages = v.Uint32(0, 50); }},
    {"user_messages", [](const Value& v, Reports* r) { r->user_messages = v.Uint32(0, 200); }},
    {"private_window_messages",
     [](const Value& v, Reports* r) { r->private_window_messages = v.Uint32(0, 1000); }},
    {"private_window_minutes",
     [](const Value& v, Reports* r) { r->private_window_minutes = v.Uint32(1, 1440); }},
    {"private_window_conversations",
     [](const Value& v, Reports* r) { r->private_window_conversations = v.Uint32(1, 1000000); }},
    {"text_max_bytes", [](const Value& v, Reports* r) { r->text_max_bytes = v.Uint32(0, 4000); }},
    {"per_user_per_hour",
     [](const Value& v, Reports* r) { r->per_user_per_hour = v.Uint32(1, 10000); }},
    {"per_ip_per_hour",
     [](const Value& v, Reports* r) { r->per_ip_per_hour = v.Uint32(1, 100000); }},
    {"form_per_ip_per_hour",
     [](const Value& v, Reports* r) { r->form_per_ip_per_hour = v.Uint32(1, 100000); }},
    {"keep_days", [](const Value& v, Reports* r) { r->keep_days = v.Uint32(0, 3650); }},
};

const Field<Debug> kDebugFields[] = {
    {"clock_control", [](const Value& v, Debug* d) { d->clock_control = v.Bool(); }},
};

const Field<RoomDecl> kRoomFields[] = {
    // Checked against limits.channel_length once the whole file is read.
    {"name", [](const Value& v, RoomDecl* r) { r->name = v.String(); }},
    {"category", [](const Value& v, RoomDecl* r) { r->category = v.String(); }},
    {"description", [](const Value& v, RoomDecl* r) { r->description = v.String(); }},
    {"topic", [](const Value& v, RoomDecl* r) { r->topic = v.String(); }},
    {"modes",
     [](const Value& v, RoomDecl* r) {
       r->modes = v.String();
       if (!r->modes.empty() && r->modes[0] != '+') v.Fail("must start with '+', e.g. \"+nt\"");
     }},
    {"adults_only", [](const Value& v, RoomDecl* r) { r->adults_only = v.Bool(); }},
};

const Field<OperDecl> kOperFields[] = {
    {"name", [](const Value& v, OperDecl* o) { o->name = v.Word(); }},
    {"password_hash",
     [](const Value& v, OperDecl* o) {
       o->password_hash = v.String();
       if (o->password_hash.rfind("$argon2id$", 0) != 0) {
         v.Fail("must be an Argon2id hash (\"$argon2id$...\", see salon --hash-password)");
       }
     }},
    {"host_mask", [](const Value& v, OperDecl* o) { o->host_mask = v.Word(); }},
};

const Field<Config> kConfigFields[] = {
    {"server_name",
     [](const Value& v, Config* c) {
       c->server_name = HostName(v);
       // Clients tell a server from a nick by the dot.
       if (c->server_name.find('.') == std::string::npos) v.Fail("must contain a '.'");
     }},
    {"network", [](const Value& v, Config* c) { c->network = v.Word(); }},
    {"description", [](const Value& v, Config* c) { c->description = v.String(); }},
    {"irc_listen",
     [](const Value& v, Config* c) {
       c->irc_listen = ReadListenArray(v);
       if (c->irc_listen.empty()) v.Fail("must list at least one address");
     }},
    // Empty: no web client nor HTTP API.
    {"http_listen", [](const Value& v, Config* c) { c->http_listen = ReadListenArray(v); }},
    {"data_dir",
     [](const Value& v, Config* c) {
       c->data_dir = v.String();
       if (c->data_dir.empty()) v.Fail("must not be empty");
     }},
    {"motd_file", [](const Value& v, Config* c) { c->motd_file = v.String(); }},
    {"log_level",
     [](const Value& v, Config* c) {
       c->log_level = v.String();
       for (const char* level : kLogLevels) {
         if (c->log_level == level) return;
       }
       v.Fail("must be one of trace, debug, info, warn, error");
     }},
    {"limits",
     [](const Value& v, Config* c) {
       ReadTable(v.Table(), v.key(), kLimitFields, v.origin(), &c->limits);
     },
     [](const std::string& p, std::vector<std::string>* out) { ListKeys(kLimitFields, p, out); }},
    {"flood",
     [](const Value& v, Config* c) {
       ReadTable(v.Table(), v.key(), kFloodFields, v.origin(), &c->flood);
     },
     [](const std::string& p, std::vector<std::string>* out) { ListKeys(kFloodFields, p, out); }},
    {"cloak",
     [](const Value& v, Config* c) {
       ReadTable(v.Table(), v.key(), kCloakFields, v.origin(), &c->cloak);
     },
     [](const std::string& p, std::vector<std::string>* out) { ListKeys(kCloakFields, p, out); }},
    {"web",
     [](const Value& v, Config* c) {
       ReadTable(v.Table(), v.key(), kWebFields, v.origin(), &c->web);
     },
     [](const std::string& p, std::vector<std::string>* out) { ListKeys(kWebFields, p, out); }},
    {"profile",
     [](const Value& v, Config* c) {
       ReadTable(v.Table(), v.key(), kProfileFields, v.origin(), &c->profile);
     },
     [](const std::string& p, std::vector<std::string>* out) { ListKeys(kProfileFields, p, out); }},
    {"accounts",
     [](const Value& v, Config* c) {
       ReadTable(v.Table(), v.key(), kAccountFields, v.origin(), &c->accounts);
     },
     [](const std::string& p, std::vector<std::string>* out) { ListKeys(kAccountFields, p, out); }},
    {"admin",
     [](const Value& v, Config* c) {
       ReadTable(v.Table(), v.key(), kAdminFields, v.origin(), &c->admin);
     },
     [](const std::string& p, std::vector<std::string>* out) { ListKeys(kAdminFields, p, out); }},
    {"history",
     [](const Value& v, Config* c) {
       ReadTable(v.Table(), v.key(), kHistoryFields, v.origin(), &c->history);
     },
     [](const std::string& p, std::vector<std::string>* out) { ListKeys(kHistoryFields, p, out); }},
    {"moderation",
     [](const Value& v, Config* c) {
       ReadTable(v.Table(), v.key(), kModerationFields, v.origin(), &c->moderation);
     },
     [](const std::string& p, std::vector<std::string>* out) {
       ListKeys(kModerationFields, p, out);
     }},
    {"automod",
     [](const Value& v, Config* c) {
       ReadTable(v.Table(), v.key(), kAutomodFields, v.origin(), &c->automod);
     },
     [](const std::string& p, std::vector<std::string>* out) { ListKeys(kAutomodFields, p, out); }},
    {"minors",
     [](const Value& v, Config* c) {
       ReadTable(v.Table(), v.key(), kMinorsFields, v.origin(), &c->minors);
     },
     [](const std::string& p, std::vector<std::string>* out) { ListKeys(kMinorsFields, p, out); }},
    {"room_policy",
     [](const Value& v, Config* c) {
       ReadTable(v.Table(), v.key(), kRoomPolicyFields, v.origin(), &c->room_policy);
     },
     [](const std::string& p, std::vector<std::string>* out) {
       ListKeys(kRoomPolicyFields, p, out);
     }},
    {"records",
     [](const Value& v, Config* c) {
       ReadTable(v.Table(), v.key(), kRecordsFields, v.origin(), &c->records);
     },
     [](const std::string& p, std::vector<std::string>* out) { ListKeys(kRecordsFields, p, out); }},
    {"reports",
     [](const Value& v, Config* c) {
       ReadTable(v.Table(), v.key(), kReportsFields, v.origin(), &c->reports);
     },
     [](const std::string& p, std::vector<std::string>* out) { ListKeys(kReportsFields, p, out); }},
    {"debug",
     [](const Value& v, Config* c) {
       ReadTable(v.Table(), v.key(), kDebugFields, v.origin(), &c->debug);
     },
     [](const std::string& p, std::vector<std::string>* out) { ListKeys(kDebugFields, p, out); }},
    {"rooms", [](const Value& v, Config* c) { c->rooms = ReadArrayOfTables(v, kRoomFields); },
     [](const std::string& p, std::vector<std::string>* out) {
       ListKeys(kRoomFields, p + "[]", out);
     }},
    {"opers", [](const Value& v, Config* c) { c->opers = ReadArrayOfTables(v, kOperFields); },
     [](const std::string& p, std::vector<std::string>* out) {
       ListKeys(kOperFields, p + "[]", out);
     }},
};

// Checks that need more than one value: room names against limits.channel_length (which may
// come later in the file), uniqueness, required keys.
void CheckRooms(const toml::table& root, const std::string& origin, const Config& config) {
  const toml::array* array = root["rooms"].as_array();
  std::set<std::string> seen;
  for (std::size_t i = 0; i < config.rooms.size(); ++i) {
    const toml::table& table = *(*array)[i].as_table();
    std::string prefix = "rooms[" + std::to_string(i) + "]";
    const toml::node* name_node = table.get("name");
    if (name_node == nullptr) Value(table, prefix + ".name", origin).Fail("missing");
    Value name(*name_node, prefix + ".name", origin);
    const std::string& room = config.rooms[i].name;
    if (!irc::IsValidChannelName(room, config.limits.channel_length)) {
      name.Fail("invalid channel name (expected '#' then 1 to " +
                std::to_string(config.limits.channel_length - 1) +
                " characters, without space, comma, colon or BEL)");
    }
    if (!seen.insert(irc::Fold(room)).second) name.Fail("duplicate room " + room);
  }
}

void CheckOpers(const toml::table& root, const std::string& origin, const Config& config) {
  const toml::array* array = root["opers"].as_array();
  std::set<std::string> seen;
  for (std::size_t i = 0; i < config.opers.size(); ++i) {
    const toml::table& table = *(*array)[i].as_table();
    std::string prefix = "opers[" + std::to_string(i) + "]";
    for (const char* required : {"name", "password_hash"}) {
      if (table.get(required) == nullptr)
        Value(table, prefix + "." + required, origin).Fail("missing");
    }
    if (!seen.insert(config.opers[i].name).second) {
      Value(*table.get("name"), prefix + ".name", origin)
          .Fail("duplicate oper " + config.opers[i].name);
    }
  }
}

}  // namespace

Config ParseConfig(const std::string& toml_text, const std::string& origin) {
  toml::table root;
  try {
    root = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& e) {
    throw ConfigError(origin + ":" + std::to_string(e.source().begin.line) + ": " +
                      std::string(e.description()));
  }
  Config config;
  ReadTable(root, "", kConfigFields, origin, &config);
  CheckRooms(root, origin, config);
  CheckOpers(root, origin, config);
  return config;
}

Config LoadConfigFile(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) throw ConfigError("cannot read " + path + ": " + std::strerror(errno));
  std::string text;
  char buf[8192];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, file)) > 0) text.append(buf, n);
  int error = std::ferror(file) ? errno : 0;
  std::fclose(file);
  if (error != 0) throw ConfigError("cannot read " + path + ": " + std::strerror(error));
  Config config = ParseConfig(text, path);
  // Files named by the config are found beside it, wherever salon is started from.
  const std::string& rules = config.automod.rules_file;
  if (!rules.empty() && rules[0] != '/') {
    std::size_t slash = path.rfind('/');
    if (slash != std::string::npos) config.automod.rules_file = path.substr(0, slash + 1) + rules;
  }
  return config;
}

ListenAddress ParseListenAddress(const std::string& text, const std::string& key) {
  std::string reason;
  std::optional<ListenAddress> address = TryParseListen(text, &reason);
  if (!address) throw ConfigError(key + ": invalid listen address \"" + text + "\": " + reason);
  return *address;
}

std::vector<std::string> KnownConfigKeys() {
  std::vector<std::string> keys;
  ListKeys(kConfigFields, "", &keys);
  return keys;
}

}  // namespace salon::config

// Tests of config loading: defaults, the example file against the structs, and the precise
// error messages (file:line: key: reason) operators rely on.
#include "config/config.h"

#include <gtest/gtest.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace salon::config {
namespace {

std::string ReadExample() {
  // Found beside the sources (CMake passes absolute paths), else from the working directory.
  std::filesystem::path candidates[] = {
      std::filesystem::path(__FILE__).parent_path() / "../../salon.example.toml",
      "salon.example.toml", "../salon.example.toml"};
  for (const auto& path : candidates) {
    std::ifstream in(path);
    if (in) {
      std::stringstream ss;
      ss << in.rdbuf();
      return ss.str();
    }
  }
  ADD_FAILURE() << "salon.example.toml not found";
  return "";
}

// The example keeps its [[opers]] block commented out (it needs a real hash); uncomment it to
// check its keys too.
std::string UncommentOpers(const std::string& text) {
  std::istringstream in(text);
  std::string out, line;
  bool in_opers = false;
  while (std::getline(in, line)) {
    if (line == "# [[opers]]") in_opers = true;
    if (in_opers && line.rfind("# ", 0) == 0) line = line.substr(2);
    out += line + "\n";
  }
  EXPECT_TRUE(in_opers) << "no commented [[opers]] example";
  return out;
}

void CollectKeys(const toml::table& table, const std::string& prefix, std::set<std::string>* out) {
  for (auto&& [key, node] : table) {
    std::string dotted =
        prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
    if (const toml::table* sub = node.as_table()) {
      CollectKeys(*sub, dotted, out);
    } else if (const toml::array* array = node.as_array(); array && array->is_array_of_tables()) {
      for (const toml::node& element : *array) CollectKeys(*element.as_table(), dotted + "[]", out);
    } else {
      out->insert(dotted);
    }
  }
}

std::string ErrorOf(const std::string& text) {
  try {
    ParseConfig(text, "salon.toml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ConfigTest, EmptyDocumentGivesDefaults) {
  Config config = ParseConfig("", "salon.toml");
  EXPECT_EQ(config, Config{});
  EXPECT_EQ(config.server_name, "salon.local");
  ASSERT_EQ(config.irc_listen.size(), 1u);
  EXPECT_EQ(config.irc_listen[0].host, "127.0.0.1");
  EXPECT_EQ(config.irc_listen[0].port, 6667);
  EXPECT_EQ(config.http_listen[0].port, 8080);
  EXPECT_EQ(config.data_dir, "./data");
  EXPECT_TRUE(config.rooms.empty());
}

TEST(ConfigTest, ExampleParsesWithDefaultValuesAndRooms) {
  Config config = ParseConfig(ReadExample(), "salon.example.toml");
  std::set<std::string> categories;
  for (const RoomDecl& room : config.rooms) categories.insert(room.category);
  EXPECT_EQ(categories,
            (std::set<std::string>{"Friendship", "Regions", "Sports", "Games", "Over-18"}));
  // Apart from the example rooms, the example must show the defaults.
  config.rooms.clear();
  EXPECT_EQ(config, Config{});
}

TEST(ConfigTest, ExampleDocumentsEveryKnownKey) {
  std::string text = UncommentOpers(ReadExample());
  Config config = ParseConfig(text, "salon.example.toml");
  EXPECT_EQ(config.opers.size(), 1u);
  std::set<std::string> documented;
  CollectKeys(toml::parse(text), "", &documented);
  std::vector<std::string> known_list = KnownConfigKeys();
  std::set<std::string> known(known_list.begin(), known_list.end());
  EXPECT_EQ(known.size(), known_list.size()) << "duplicate key in the loader";
  EXPECT_EQ(documented, known);
  EXPECT_TRUE(known.count("limits.nick_length"));
  EXPECT_TRUE(known.count("rooms[].name"));
  EXPECT_TRUE(known.count("opers[].password_hash"));
}

TEST(ConfigTest, ReadsEveryKind) {
  Config config = ParseConfig(R"(
server_name = "irc.example.org"
irc_listen = ["0.0.0.0:6697", "[::1]:0"]
http_listen = []
log_level = "debug"
[limits]
nick_length = 16
sendq_bytes = 65536
[flood]
enabled = false
burst = 2.5
rate_per_s = 1
[[rooms]]
name = "#Sports"
modes = "+ntl 50"
[[opers]]
name = "alice"
password_hash = "$argon2id$v=19$abc"
)",
                              "salon.toml");
  EXPECT_EQ(config.server_name, "irc.example.org");
  ASSERT_EQ(config.irc_listen.size(), 2u);
  EXPECT_EQ(config.irc_listen[1].host, "::1");
  EXPECT_EQ(config.irc_listen[1].port, 0);
  EXPECT_TRUE(config.http_listen.empty());
  EXPECT_EQ(config.log_level, "debug");
  EXPECT_EQ(config.limits.nick_length, 16u);
  EXPECT_EQ(config.limits.channel_length, 50u);
  EXPECT_EQ(config.limits.sendq_bytes, 65536u);
  EXPECT_FALSE(config.flood.enabled);
  EXPECT_DOUBLE_EQ(config.flood.burst, 2.5);
  EXPECT_DOUBLE_EQ(config.flood.rate_per_s, 1.0);
  ASSERT_EQ(config.rooms.size(), 1u);
  EXPECT_EQ(config.rooms[0].modes, "+ntl 50");
  EXPECT_EQ(config.rooms[0].category, "");
  ASSERT_EQ(config.opers.size(), 1u);
  EXPECT_EQ(config.opers[0].host_mask, "*");
}

TEST(ConfigTest, UnknownKeysNamedWithLine) {
  EXPECT_EQ(ErrorOf("network = \"X\"\nservername = \"a.b\"\n"),
            "salon.toml:2: servername: unknown key");
  EXPECT_EQ(ErrorOf("[limits]\nnick_length = 9\nnicklen = 9\n"),
            "salon.toml:3: limits.nicklen: unknown key");
  EXPECT_EQ(ErrorOf("[[rooms]]\nname = \"#a\"\n[[rooms]]\nname = \"#b\"\ncolor = \"red\"\n"),
            "salon.toml:5: rooms[1].color: unknown key");
  EXPECT_EQ(ErrorOf("[sever]\n"), "salon.toml:1: sever: unknown key");
}

TEST(ConfigTest, TypeErrors) {
  EXPECT_EQ(ErrorOf("server_name = 3\n"), "salon.toml:1: server_name: must be a string");
  EXPECT_EQ(ErrorOf("\n[limits]\nnick_length = \"30\"\n"),
            "salon.toml:3: limits.nick_length: must be an integer");
  EXPECT_EQ(ErrorOf("[flood]\nenabled = 1\n"),
            "salon.toml:2: flood.enabled: must be a boolean (true or false)");
  EXPECT_EQ(ErrorOf("[flood]\nburst = \"x\"\n"), "salon.toml:2: flood.burst: must be a number");
  EXPECT_EQ(ErrorOf("irc_listen = \"127.0.0.1:6667\"\n"),
            "salon.toml:1: irc_listen: must be an array");
  EXPECT_EQ(ErrorOf("irc_listen = [6667]\n"), "salon.toml:1: irc_listen[0]: must be a string");
  EXPECT_EQ(ErrorOf("limits = 3\n"), "salon.toml:1: limits: must be a table");
  EXPECT_EQ(ErrorOf("rooms = [\"#a\"]\n"), "salon.toml:1: rooms[0]: must be a table");
}

TEST(ConfigTest, RangeErrors) {
  EXPECT_EQ(ErrorOf("[limits]\n\nnick_length = 0\n"),
            "salon.toml:3: limits.nick_length: must be between 1 and 64");
  EXPECT_EQ(ErrorOf("[limits]\nnick_length = -5\n"),
            "salon.toml:2: limits.nick_length: must be between 1 and 64");
  EXPECT_EQ(ErrorOf("[limits]\nnick_length = 65\n"),
            "salon.toml:2: limits.nick_length: must be between 1 and 64");
  EXPECT_EQ(ErrorOf("[flood]\nrate_per_s = 0\n"),
            "salon.toml:2: flood.rate_per_s: must be greater than 0 and at most 1e+06");
  EXPECT_EQ(ErrorOf("[flood]\nburst = nan\n"),
            "salon.toml:2: flood.burst: must be greater than 0 and at most 1e+06");
  EXPECT_EQ(ErrorOf("log_level = \"verbose\"\n"),
            "salon.toml:1: log_level: must be one of trace, debug, info, warn, error");
  EXPECT_EQ(ErrorOf("server_name = \"salon\"\n"), "salon.toml:1: server_name: must contain a '.'");
  EXPECT_EQ(ErrorOf("irc_listen = []\n"),
            "salon.toml:1: irc_listen: must list at least one address");
  EXPECT_EQ(ErrorOf("data_dir = \"\"\n"), "salon.toml:1: data_dir: must not be empty");
}

TEST(ConfigTest, AccountsKeys) {
  Config config = ParseConfig(
      "[accounts]\nworker_threads = 2\nnick_grace_s = 10\nmax_failures = 3\n"
      "registrations_per_ip_per_hour = 4\nmin_password_length = 6\nemail_verification = true\n"
      "sendmail_command = \"cat\"\n",
      "salon.toml");
  EXPECT_EQ(config.accounts.worker_threads, 2u);
  EXPECT_EQ(config.accounts.nick_grace_s, 10u);
  EXPECT_EQ(config.accounts.max_failures, 3u);
  EXPECT_EQ(config.accounts.registrations_per_ip_per_hour, 4u);
  EXPECT_EQ(config.accounts.min_password_length, 6u);
  EXPECT_TRUE(config.accounts.email_verification);
  EXPECT_EQ(config.accounts.sendmail_command, "cat");
  EXPECT_EQ(config.accounts.lockout_s, 300u);  // default kept
  EXPECT_EQ(ErrorOf("[accounts]\nworker_threads = 0\n"),
            "salon.toml:2: accounts.worker_threads: must be between 1 and 64");
  EXPECT_EQ(ErrorOf("[accounts]\nargon2_memory_kib = 4\n"),
            "salon.toml:2: accounts.argon2_memory_kib: must be between 8 and 1048576");
  EXPECT_EQ(ErrorOf("[accounts]\nemail_verification = 1\n"),
            "salon.toml:2: accounts.email_verification: must be a boolean (true or false)");
  EXPECT_EQ(ErrorOf("[accounts]\nsendmail_command = \" \"\n"),
            "salon.toml:2: accounts.sendmail_command: must not be empty");
  EXPECT_EQ(ErrorOf("[accounts]\nlockout = 5\n"), "salon.toml:2: accounts.lockout: unknown key");
}

TEST(ConfigTest, StrikeLadder) {
  Config config = ParseConfig(
      "[moderation]\nstrike_ladder = [\"warn\", \"warn\", \"timeout:1h30m\", \"suspend:perm\"]\n"
      "strike_window_days = 7\n",
      "salon.toml");
  using Action = StrikeRung::Action;
  EXPECT_EQ(config.moderation.strike_ladder, (std::vector<StrikeRung>{{Action::kWarn, 0},
                                                                      {Action::kWarn, 0},
                                                                      {Action::kTimeout, 5400},
                                                                      {Action::kSuspend, 0}}));
  EXPECT_EQ(config.moderation.strike_window_days, 7u);
  EXPECT_EQ(ParseConfig("", "salon.toml").moderation.strike_ladder.size(), 3u);
  EXPECT_EQ(ErrorOf("[moderation]\nstrike_ladder = [\"warn\", \"timeout:soon\"]\n"),
            "salon.toml:2: moderation.strike_ladder[1]: needs a duration after ':' such as 1h, "
            "7d or perm");
  EXPECT_EQ(ErrorOf("[moderation]\nstrike_ladder = [\"ban:1d\"]\n"),
            "salon.toml:2: moderation.strike_ladder[0]: must be \"warn\", "
            "\"timeout:<duration>\" or \"suspend:<duration>\"");
  EXPECT_EQ(ErrorOf("[moderation]\nstrike_ladder = []\n"),
            "salon.toml:2: moderation.strike_ladder: must have at least one rung");
  EXPECT_EQ(ErrorOf("[moderation]\nstrike_window_days = 0\n"),
            "salon.toml:2: moderation.strike_window_days: must be between 1 and 3650");
}

TEST(ConfigTest, RoomPolicy) {
  Config defaults = ParseConfig("", "salon.toml");
  EXPECT_EQ(defaults.room_policy.user_rooms, RoomPolicy::UserRooms::kUnlisted);
  EXPECT_EQ(defaults.room_policy.new_user_minutes, 0u);
  Config config = ParseConfig("[room_policy]\nuser_rooms = \"forbidden\"\nnew_user_minutes = 15\n",
                              "salon.toml");
  EXPECT_EQ(config.room_policy.user_rooms, RoomPolicy::UserRooms::kForbidden);
  EXPECT_EQ(config.room_policy.new_user_minutes, 15u);
  EXPECT_EQ(
      ParseConfig("[room_policy]\nuser_rooms = \"listed\"\n", "salon.toml").room_policy.user_rooms,
      RoomPolicy::UserRooms::kListed);
  EXPECT_EQ(ErrorOf("[room_policy]\nuser_rooms = \"public\"\n"),
            "salon.toml:2: room_policy.user_rooms: must be \"unlisted\", \"listed\" or "
            "\"forbidden\"");
  EXPECT_EQ(ErrorOf("[room_policy]\nuser_rooms = true\n"),
            "salon.toml:2: room_policy.user_rooms: must be a string");
  EXPECT_EQ(ErrorOf("[room_policy]\n\nnew_user_minutes = 10081\n"),
            "salon.toml:3: room_policy.new_user_minutes: must be between 0 and 10080");
  EXPECT_EQ(ErrorOf("[room_policy]\nslow_seconds = 5\n"),
            "salon.toml:2: room_policy.slow_seconds: unknown key");
}

TEST(ConfigTest, Records) {
  Config defaults = ParseConfig("", "salon.toml");
  EXPECT_EQ(defaults.records.connection_log_days, 365u);
  EXPECT_EQ(defaults.records.connections_per_prefix, 0u);
  Config config = ParseConfig(
      "[records]\nconnection_log_days = 0\n"
      "connections_per_prefix = 50\nconnects_per_ip_per_minute = 20\n"
      "connects_per_prefix_per_minute = 60\n",
      "salon.toml");
  EXPECT_EQ(config.records.connection_log_days, 0u);
  EXPECT_EQ(config.records.connections_per_prefix, 50u);
  EXPECT_EQ(config.records.connects_per_ip_per_minute, 20u);
  EXPECT_EQ(config.records.connects_per_prefix_per_minute, 60u);
  EXPECT_EQ(ErrorOf("[records]\nconnection_log_days = 4000\n"),
            "salon.toml:2: records.connection_log_days: must be between 0 and 3650");
  // The bearer token of the first admin API is gone: administrators log in (docs/web-api.md).
  EXPECT_EQ(ErrorOf("[records]\nadmin_api_token = \"0123456789abcdef0123456789abcdef\"\n"),
            "salon.toml:2: records.admin_api_token: unknown key");
  EXPECT_EQ(ErrorOf("[records]\nconnection_log = 3\n"),
            "salon.toml:2: records.connection_log: unknown key");
}

TEST(ConfigTest, WebSessions) {
  Config defaults = ParseConfig("", "salon.toml");
  EXPECT_EQ(defaults.web.session_hours, 12u);
  EXPECT_EQ(defaults.web.session_idle_minutes, 60u);
  Config config =
      ParseConfig("[web]\nsession_hours = 2\nsession_idle_minutes = 15\n", "salon.toml");
  EXPECT_EQ(config.web.session_hours, 2u);
  EXPECT_EQ(config.web.session_idle_minutes, 15u);
  EXPECT_EQ(ErrorOf("[web]\nsession_hours = 0\n"),
            "salon.toml:2: web.session_hours: must be between 1 and 720");
  EXPECT_EQ(ErrorOf("[web]\nsession_idle_minutes = 1\n"),
            "salon.toml:2: web.session_idle_minutes: must be between 5 and 43200");
}

TEST(ConfigTest, Reports) {
  Config defaults = ParseConfig("", "salon.toml");
  EXPECT_TRUE(defaults.reports.enabled);
  EXPECT_EQ(defaults.reports.context_messages, 5u);
  EXPECT_EQ(defaults.reports.private_window_messages, 50u);
  EXPECT_EQ(defaults.reports.private_window_minutes, 60u);
  EXPECT_EQ(defaults.reports.keep_days, 365u);
  Config config = ParseConfig(
      "[reports]\nenabled = false\ncontext_messages = 2\nuser_messages = 3\n"
      "private_window_messages = 4\nprivate_window_minutes = 5\n"
      "private_window_conversations = 6\ntext_max_bytes = 7\nper_user_per_hour = 8\n"
      "per_ip_per_hour = 9\nkeep_days = 0\n",
      "salon.toml");
  EXPECT_FALSE(config.reports.enabled);
  EXPECT_EQ(config.reports.context_messages, 2u);
  EXPECT_EQ(config.reports.user_messages, 3u);
  EXPECT_EQ(config.reports.private_window_messages, 4u);
  EXPECT_EQ(config.reports.private_window_minutes, 5u);
  EXPECT_EQ(config.reports.private_window_conversations, 6u);
  EXPECT_EQ(config.reports.text_max_bytes, 7u);
  EXPECT_EQ(config.reports.per_user_per_hour, 8u);
  EXPECT_EQ(config.reports.per_ip_per_hour, 9u);
  EXPECT_EQ(config.reports.keep_days, 0u);
  EXPECT_EQ(ErrorOf("[reports]\nprivate_window_minutes = 0\n"),
            "salon.toml:2: reports.private_window_minutes: must be between 1 and 1440");
  EXPECT_EQ(ErrorOf("[reports]\n\nper_ip_per_hour = 0\n"),
            "salon.toml:3: reports.per_ip_per_hour: must be between 1 and 100000");
  EXPECT_EQ(ErrorOf("[reports]\nkeep_days = 4000\n"),
            "salon.toml:2: reports.keep_days: must be between 0 and 3650");
  EXPECT_EQ(ErrorOf("[reports]\nenabled = \"yes\"\n"),
            "salon.toml:2: reports.enabled: must be a boolean (true or false)");
  EXPECT_EQ(ErrorOf("[reports]\nwindow = 3\n"), "salon.toml:2: reports.window: unknown key");
}

TEST(ConfigTest, RoomChecks) {
  EXPECT_EQ(ErrorOf("[[rooms]]\nname = \"#a\"\n[[rooms]]\nname = \"#A\"\n"),
            "salon.toml:4: rooms[1].name: duplicate room #A");
  // rfc1459 folding: [ and { are the same letter.
  EXPECT_EQ(ErrorOf("[[rooms]]\nname = \"#x[\"\n[[rooms]]\nname = \"#X{\"\n"),
            "salon.toml:4: rooms[1].name: duplicate room #X{");
  EXPECT_EQ(ErrorOf("[[rooms]]\nname = \"#a\"\n[[rooms]]\nname = \"#a\"\n[[rooms]]\n"
                    "name = \"paris\"\n")
                .substr(0, 40),
            "salon.toml:4: rooms[1].name: duplicate r");
  EXPECT_EQ(ErrorOf("[[rooms]]\nname = \"a\"\n[[rooms]]\nname = \"#b\"\n[[rooms]]\n"
                    "name = \"#a b\"\n")
                .substr(0, 45),
            "salon.toml:2: rooms[0].name: invalid channel ");
  EXPECT_NE(ErrorOf("[[rooms]]\nname = \"#\"\n").find("rooms[0].name: invalid channel name"),
            std::string::npos);
  EXPECT_NE(ErrorOf("[[rooms]]\nname = \"#a:b\"\n").find("invalid channel name"),
            std::string::npos);
  // The length limit follows limits.channel_length, even when [limits] comes later.
  EXPECT_EQ(ErrorOf("[[rooms]]\nname = \"#abcdef\"\n[limits]\nchannel_length = 5\n").substr(0, 44),
            "salon.toml:2: rooms[0].name: invalid channel");
  EXPECT_EQ(ErrorOf("[[rooms]]\ncategory = \"Games\"\n"), "salon.toml:1: rooms[0].name: missing");
  EXPECT_EQ(ErrorOf("[[rooms]]\nname = \"#a\"\nmodes = \"nt\"\n"),
            "salon.toml:3: rooms[0].modes: must start with '+', e.g. \"+nt\"");
}

TEST(ConfigTest, MinorsKeysAndAdultsOnlyRooms) {
  Config defaults = ParseConfig("", "salon.toml");
  EXPECT_FALSE(defaults.minors.minors_may_start_private);
  EXPECT_EQ(defaults.minors.pending_requests_max, 10u);
  EXPECT_EQ(defaults.minors.pending_requests_bytes, 4096u);
  EXPECT_EQ(defaults.minors.age_change_interval_minutes, 60u);
  Config config = ParseConfig(
      "[minors]\nminors_may_start_private = true\npending_requests_max = 3\n"
      "pending_requests_bytes = 1000\nage_change_interval_minutes = 0\n"
      "[[rooms]]\nname = \"#over18\"\nadults_only = true\n[[rooms]]\nname = \"#a\"\n",
      "salon.toml");
  EXPECT_TRUE(config.minors.minors_may_start_private);
  EXPECT_EQ(config.minors.pending_requests_max, 3u);
  EXPECT_EQ(config.minors.pending_requests_bytes, 1000u);
  EXPECT_EQ(config.minors.age_change_interval_minutes, 0u);
  ASSERT_EQ(config.rooms.size(), 2u);
  EXPECT_TRUE(config.rooms[0].adults_only);
  EXPECT_FALSE(config.rooms[1].adults_only);
  EXPECT_EQ(ErrorOf("[minors]\nminors_may_start_private = \"no\"\n"),
            "salon.toml:2: minors.minors_may_start_private: must be a boolean (true or false)");
  EXPECT_EQ(ErrorOf("[minors]\npending_requests_max = 0\n"),
            "salon.toml:2: minors.pending_requests_max: must be between 1 and 1000");
  EXPECT_EQ(ErrorOf("[minors]\npending_requests_bytes = 10\n"),
            "salon.toml:2: minors.pending_requests_bytes: must be between 512 and 1048576");
  EXPECT_EQ(ErrorOf("[minors]\nage_limit = 1\n"), "salon.toml:2: minors.age_limit: unknown key");
  EXPECT_EQ(ErrorOf("[[rooms]]\nname = \"#a\"\nadults_only = 1\n"),
            "salon.toml:3: rooms[0].adults_only: must be a boolean (true or false)");
}

TEST(ConfigTest, OperChecks) {
  EXPECT_EQ(ErrorOf("[[opers]]\nname = \"a\"\npassword_hash = \"hunter2\"\n"),
            "salon.toml:3: opers[0].password_hash: must be an Argon2id hash (\"$argon2id$...\", "
            "see salon --hash-password)");
  EXPECT_EQ(ErrorOf("[[opers]]\nname = \"a\"\n"), "salon.toml:1: opers[0].password_hash: missing");
}

TEST(ConfigTest, BadListenAddressInFile) {
  EXPECT_EQ(ErrorOf("irc_listen = [\"127.0.0.1:6667\", \"localhost\"]\n"),
            "salon.toml:1: irc_listen[1]: invalid listen address \"localhost\": expected "
            "host:port");
  EXPECT_EQ(ErrorOf("\nhttp_listen = [\"127.0.0.1:70000\"]\n"),
            "salon.toml:2: http_listen[0]: invalid listen address \"127.0.0.1:70000\": port must "
            "be between 0 and 65535");
}

TEST(ConfigTest, ParseListenAddress) {
  ListenAddress a = ParseListenAddress("127.0.0.1:6667", "--irc-listen");
  EXPECT_EQ(a.host, "127.0.0.1");
  EXPECT_EQ(a.port, 6667);
  ListenAddress b = ParseListenAddress("[::1]:6667", "--irc-listen");
  EXPECT_EQ(b.host, "::1");
  EXPECT_EQ(b.port, 6667);
  EXPECT_EQ(ParseListenAddress("localhost:0", "k").port, 0);
  EXPECT_EQ(ParseListenAddress("h:65535", "k").port, 65535);
  for (const char* bad : {"", "6667", ":6667", "host:", "host:-1", "host:65536", "host:66x",
                          "::1:6667", "[::1]6667", "[::1]:", "[]:1", "host:1234567"}) {
    try {
      ParseListenAddress(bad, "--http-listen");
      ADD_FAILURE() << "accepted " << bad;
    } catch (const ConfigError& e) {
      EXPECT_EQ(std::string(e.what()).rfind("--http-listen: invalid listen address", 0), 0u)
          << e.what();
    }
  }
}

TEST(ConfigTest, SyntaxErrorNamesLine) {
  std::string error = ErrorOf("network = \"Salon\"\nserver_name = \n");
  EXPECT_EQ(error.rfind("salon.toml:2: ", 0), 0u) << error;
  EXPECT_EQ(ErrorOf("a = 1\na = 2\n").rfind("salon.toml:2: ", 0), 0u);
}

TEST(ConfigTest, LoadConfigFile) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("salon_config_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::filesystem::path file = dir / "salon.toml";
  std::ofstream(file) << "network = \"Test\"\n[limits]\nbogus = 1\n";
  try {
    LoadConfigFile(file.string());
    ADD_FAILURE() << "accepted unknown key";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), file.string() + ":3: limits.bogus: unknown key");
  }
  std::ofstream(file) << "network = \"Test\"\n";
  EXPECT_EQ(LoadConfigFile(file.string()).network, "Test");
  std::filesystem::path missing = dir / "missing.toml";
  try {
    LoadConfigFile(missing.string());
    ADD_FAILURE() << "read a missing file";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot read " + missing.string() + ": No such file or directory");
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace salon::config

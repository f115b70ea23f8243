// Black-box test harness: starts the real salon binary (SALON_BINARY) on random ports with its
// own temporary config and data directory, and drives it over plain POSIX sockets.
//
// TestServer owns one server process at a time (Start/Stop/Kill9/Restart keep the same data
// directory). TestClient is one IRC connection; it keeps every received line it has not yet
// handed out, so Expect() can wait for "the next line that matches" without losing the others.
//
// Synchronisation rule: nothing here sleeps to wait for the server. Every wait is "until this
// line arrives or the timeout expires". To prove that something did NOT arrive, a client sends
// PING with a unique token and waits for its PONG (the server answers in order), then looks at
// what came before it (see TestClient::Sync and ExpectNone).
//
// Threads: a TestServer runs two reader threads (stdout, stderr) that only append to its output
// buffers under a mutex. A TestClient is used by one test thread only.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace salon::testing {

using namespace std::chrono_literals;
using Duration = std::chrono::milliseconds;
inline constexpr Duration kDefaultTimeout = 5000ms;

// Thrown when an expectation is not met in time; GoogleTest reports it as a test failure with
// the text, which lists the lines that did arrive.
class ExpectationFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One received IRC line, parsed.
struct Message {
  std::string raw;                          // the line without CR/LF
  std::map<std::string, std::string> tags;  // unescaped values
  std::string source;                       // without ':'
  std::string command;                      // upper-cased
  std::vector<std::string> params;          // the trailing parameter is the last one

  std::string Param(std::size_t i) const { return i < params.size() ? params[i] : std::string(); }
  std::string Last() const { return params.empty() ? std::string() : params.back(); }
  bool HasTag(const std::string& key) const { return tags.count(key) != 0; }
  std::string Tag(const std::string& key) const {
    auto it = tags.find(key);
    return it == tags.end() ? std::string() : it->second;
  }
  // "nick" of a "nick!user@host" source.
  std::string SourceNick() const { return source.substr(0, source.find('!')); }
  // "host" of a "nick!user@host" source.
  std::string SourceHost() const {
    auto at = source.find('@');
    return at == std::string::npos ? std::string() : source.substr(at + 1);
  }
};

Message ParseLine(std::string_view line);

using Predicate = std::function<bool(const Message&)>;

// Predicates for Expect().
Predicate Command(std::string command);  // "PRIVMSG", "001"...
Predicate CommandParam(std::string command, std::size_t index, std::string value);
Predicate Matches(const std::string& regex);  // regex_search over the raw line
Predicate AnyOf(std::vector<Predicate> predicates);

// Result of running the binary to completion (config tests).
struct RunResult {
  int exit_code = -1;  // -1: killed by a signal or timed out
  std::string out;
  std::string err;
};

class TestServer {
 public:
  // `config_toml` is written to <tmp>/salon.toml. Nothing starts until Start().
  explicit TestServer(std::string config_toml = "");
  ~TestServer();  // kills the server if it still runs, removes the temp directory

  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  // Starts the binary and waits for its ready line. Throws ExpectationFailed if it exits or
  // does not get ready within the timeout.
  void Start(Duration timeout = kDefaultTimeout);
  // SIGTERM, then waits for exit. Returns the exit code (-1 on signal death / timeout).
  int Stop(Duration timeout = kDefaultTimeout);
  // SIGKILL and reap.
  void Kill9();
  // Sends `signal` (e.g. SIGHUP) to the running server.
  void Signal(int signal);
  // Stop() (if running) and Start() again with the same config and data directory.
  void Restart();
  bool running() const { return pid_ > 0; }
  // True while the process has not exited (checked with waitpid, without reaping).
  bool Alive() const;

  uint16_t irc_port() const { return irc_port_; }
  uint16_t http_port() const { return http_port_; }
  const std::string& dir() const { return dir_; }
  const std::string& data_dir() const { return data_dir_; }
  const std::string& config_path() const { return config_path_; }
  // Replaces the config file (takes effect at the next Start()).
  void SetConfig(const std::string& toml) { WriteFile("salon.toml", toml); }
  // Writes a file in the temp directory and returns its path (MOTD files...).
  std::string WriteFile(const std::string& name, const std::string& content);
  // Everything the current process wrote on stdout and stderr so far.
  std::string Output() const;

  // Runs the binary with `args` (the config path is not added) until it exits, with optional
  // stdin text; kills it after `timeout`.
  static RunResult Run(const std::vector<std::string>& args, const std::string& stdin_text = "",
                       Duration timeout = kDefaultTimeout);
  // Argon2id hash of `password` made by `salon --hash-password` (cached per password).
  static std::string HashPassword(const std::string& password);
  // A fresh temp directory (removed by the caller or at exit of the TestServer that made it).
  static std::string MakeTempDir();

 private:
  void Reap(Duration timeout);
  void JoinReaders();

  std::string dir_;
  std::string data_dir_;
  std::string config_path_;
  pid_t pid_ = -1;
  int exit_code_ = -1;
  uint16_t irc_port_ = 0;
  uint16_t http_port_ = 0;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::string out_;      // stdout of the current process
  std::string err_;      // stderr of the current process
  std::string history_;  // output of earlier processes (after restarts)
  int open_pipes_ = 0;
  std::thread out_reader_;
  std::thread err_reader_;
};

class TestClient {
 public:
  // Connects to 127.0.0.1:port; throws ExpectationFailed on failure. `rcvbuf` > 0 sets a small
  // SO_RCVBUF before connecting (slow-reader tests).
  explicit TestClient(uint16_t port, int rcvbuf = 0);
  // Connects from `source_ip` (another loopback address such as "127.0.0.2", bound before
  // connecting), so that tests of per-address rules see a different client address.
  TestClient(uint16_t port, const std::string& source_ip);
  explicit TestClient(const TestServer& server) : TestClient(server.irc_port()) {}
  ~TestClient();

  TestClient(const TestClient&) = delete;
  TestClient& operator=(const TestClient&) = delete;

  // Sends `line` + CRLF (blocks until written).
  void Send(const std::string& line);
  // Sends bytes as they are. Returns false if the peer closed the connection.
  bool SendRaw(std::string_view bytes);

  // Waits for the first buffered or incoming line matching `pred`, removes it from the buffer
  // and returns it. Lines that do not match stay buffered for later calls. Throws on timeout or
  // when the connection closes first.
  Message Expect(const Predicate& pred, Duration timeout = kDefaultTimeout);
  Message Expect(const std::string& regex, Duration timeout = kDefaultTimeout);
  // A numeric or command reply, e.g. "433" or "PONG".
  Message ExpectNumeric(const std::string& code, Duration timeout = kDefaultTimeout);
  Message ExpectCommand(const std::string& command, Duration timeout = kDefaultTimeout);
  // Like Expect() but returns nothing instead of throwing on timeout (polling while doing
  // something else). Still throws if the connection closes first.
  std::optional<Message> ExpectWithin(const Predicate& pred, Duration timeout);
  // The very next unconsumed line must match.
  Message ExpectNext(const Predicate& pred, Duration timeout = kDefaultTimeout);
  // Collects lines until one matches `end` (included in the result).
  std::vector<Message> CollectUntil(const Predicate& end, Duration timeout = kDefaultTimeout);

  // Round-trip: sends PING with a unique token and waits for its PONG. Returns every line that
  // was buffered or arrived before the PONG (and removes them from the buffer).
  std::vector<Message> Sync(Duration timeout = kDefaultTimeout);
  // Sync(), then fails if any line before the PONG matches `pred`.
  void ExpectNone(const Predicate& pred, const std::string& what,
                  Duration timeout = kDefaultTimeout);
  // Discards what is buffered and what arrives before a Sync() round trip.
  void Drain() { Sync(); }

  // Waits until the server closes the connection; returns the lines received meanwhile
  // (buffered ones included). Throws on timeout.
  std::vector<Message> ExpectClosed(Duration timeout = kDefaultTimeout);
  bool closed() const { return closed_; }

  // NICK/USER and wait for 376 or 422. Returns every line up to and including it.
  std::vector<Message> Register(const std::string& nick, const std::string& user = "user",
                                const std::string& realname = "Real Name");
  // CAP LS 302, CAP REQ :caps, wait for ACK, then Register() (with CAP END). Throws on NAK.
  std::vector<Message> RegisterWithCaps(const std::string& nick, const std::string& caps);

  // Joins and waits for the end of NAMES (366) for that channel.
  std::vector<Message> Join(const std::string& channel, const std::string& key = "");
  // LIST: the 322 replies up to 323, by channel name.
  std::map<std::string, Message> List();

  const std::string& nick() const { return nick_; }
  std::string Describe() const;  // buffered lines, for failure messages
  int fd() const { return fd_; }
  void Close();

 private:
  void Connect(uint16_t port, int rcvbuf, const std::string& source_ip);
  // Reads once (waiting at most until deadline). Returns false on timeout or close.
  bool ReadSome(std::chrono::steady_clock::time_point deadline);
  [[noreturn]] void Fail(const std::string& what) const;

  int fd_ = -1;
  bool closed_ = false;
  std::string partial_;
  std::deque<Message> buffer_;
  std::vector<std::string> history_;  // last lines received, for failure messages
  std::string nick_;
  uint64_t next_token_ = 1;
};

// A new client registered as `nick` (with `caps` requested first when not empty), its welcome
// drained.
// `source_ip` (e.g. "127.0.0.3"): connect from that loopback address (its own cloaked host).
std::unique_ptr<TestClient> RegisteredClient(const TestServer& server, const std::string& nick,
                                             const std::string& caps = "",
                                             const std::string& source_ip = "");

// Parts of a test configuration. TOML wants top-level keys before any table, so the parts are
// assembled in order: top, [limits], [flood], tail ([[rooms]], [[opers]]...).
struct ConfigParts {
  std::string top = "";     // "motd_file = ...", "server_name = ..."
  std::string limits = "";  // body of [limits]
  // Body of [flood]. Tests default to a generous bucket so that only the flood tests throttle.
  std::string flood = "burst = 10000\nrate_per_s = 10000\n";
  std::string tail = "";
};
std::string TestConfig(const ConfigParts& parts = {});

}  // namespace salon::testing

#include "harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>

#ifndef SALON_BINARY
#error "SALON_BINARY must name the salon executable"
#endif

namespace salon::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string UnescapeTag(std::string_view v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] != '\\') {
      out += v[i];
      continue;
    }
    if (++i == v.size()) break;
    switch (v[i]) {
      case ':':
        out += ';';
        break;
      case 's':
        out += ' ';
        break;
      case 'r':
        out += '\r';
        break;
      case 'n':
        out += '\n';
        break;
      default:
        out += v[i];
    }
  }
  return out;
}

// argv for execv, built before fork(): the child of a multi-threaded process may only make
// async-signal-safe calls, so it must not allocate.
std::vector<char*> Argv(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  return argv;
}

// Child side of fork(): only async-signal-safe calls until exec.
[[noreturn]] void ExecChild(char* const* argv, int in_fd, int out_fd, int err_fd) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (in_fd >= 0) dup2(in_fd, 0);
  dup2(out_fd, 1);
  dup2(err_fd, 2);
  execv(argv[0], argv);
  _exit(127);
}

int DecodeStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return -1;
}

}  // namespace

// ----------------------------------------------------------------------------------------------
// Messages

Message ParseLine(std::string_view line) {
  Message m;
  m.raw = std::string(line);
  std::string_view rest = line;
  auto next_word = [&rest]() {
    std::size_t sp = rest.find(' ');
    std::string_view word = rest.substr(0, sp);
    rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    return word;
  };
  if (!rest.empty() && rest.front() == '@') {
    std::string_view tags = next_word().substr(1);
    while (!tags.empty()) {
      std::size_t semi = tags.find(';');
      std::string_view item = tags.substr(0, semi);
      std::size_t eq = item.find('=');
      if (!item.empty()) {
        m.tags[std::string(item.substr(0, eq))] =
            eq == std::string_view::npos ? std::string() : UnescapeTag(item.substr(eq + 1));
      }
      if (semi == std::string_view::npos) break;
      tags.remove_prefix(semi + 1);
    }
  }
  if (!rest.empty() && rest.front() == ':') m.source = std::string(next_word().substr(1));
  m.command = Upper(std::string(next_word()));
  while (!rest.empty()) {
    if (rest.front() == ':') {
      m.params.emplace_back(rest.substr(1));
      break;
    }
    m.params.emplace_back(next_word());
  }
  return m;
}

Predicate Command(std::string command) {
  return [command = Upper(std::move(command))](const Message& m) { return m.command == command; };
}

Predicate CommandParam(std::string command, std::size_t index, std::string value) {
  return [command = Upper(std::move(command)), index, value](const Message& m) {
    return m.command == command && m.Param(index) == value;
  };
}

Predicate Matches(const std::string& regex) {
  auto re = std::make_shared<std::regex>(regex);
  return [re](const Message& m) { return std::regex_search(m.raw, *re); };
}

Predicate AnyOf(std::vector<Predicate> predicates) {
  return [predicates = std::move(predicates)](const Message& m) {
    for (const auto& p : predicates) {
      if (p(m)) return true;
    }
    return false;
  };
}

std::string TestConfig(const ConfigParts& parts) {
  std::string out = parts.top;
  if (!out.empty() && out.back() != '\n') out += '\n';
  if (!parts.limits.empty()) out += "[limits]\n" + parts.limits + "\n";
  if (!parts.flood.empty()) out += "[flood]\n" + parts.flood + "\n";
  out += parts.tail;
  return out;
}

// ----------------------------------------------------------------------------------------------
// TestServer

std::string TestServer::MakeTempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern =
      std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/salon-it-XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data()) == nullptr) {
    throw ExpectationFailed(std::string("mkdtemp: ") + std::strerror(errno));
  }
  return std::string(buf.data());
}

TestServer::TestServer(std::string config_toml) {
  dir_ = MakeTempDir();
  data_dir_ = dir_ + "/data";
  std::filesystem::create_directories(data_dir_);
  config_path_ = WriteFile("salon.toml", config_toml);
}

TestServer::~TestServer() {
  if (running()) Kill9();
  if (::testing::Test::HasFailure()) {
    std::cerr << "---- salon output (" << dir_ << ") ----\n"
              << Output() << "---- end of salon output ----\n";
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string TestServer::WriteFile(const std::string& name, const std::string& content) {
  std::string path = dir_ + "/" + name;
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << content;
  return path;
}

std::string TestServer::Output() const {
  std::lock_guard lock(mu_);
  return history_ + out_ + (err_.empty() ? "" : "[stderr]\n" + err_);
}

void TestServer::Start(Duration timeout) {
  if (running()) throw ExpectationFailed("TestServer::Start: already running");
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
    throw ExpectationFailed(std::string("pipe2: ") + std::strerror(errno));
  }
  std::vector<std::string> args = {SALON_BINARY,   "--config",    config_path_,
                                   "--irc-listen", "127.0.0.1:0", "--http-listen",
                                   "127.0.0.1:0",  "--data-dir",  data_dir_};
  {
    std::lock_guard lock(mu_);
    if (!out_.empty() || !err_.empty()) {
      history_ += out_ + (err_.empty() ? "" : "[stderr]\n" + err_) + "---- restart ----\n";
    }
    out_.clear();
    err_.clear();
    open_pipes_ = 2;
  }
  std::vector<char*> argv = Argv(args);
  pid_t pid = fork();
  if (pid < 0) throw ExpectationFailed(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) ExecChild(argv.data(), -1, out_pipe[1], err_pipe[1]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  pid_ = pid;
  exit_code_ = -1;
  auto reader = [this](int fd, std::string* sink) {
    char buf[4096];
    for (;;) {
      ssize_t n = read(fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      std::lock_guard lock(mu_);
      if (n <= 0) {
        --open_pipes_;
        cv_.notify_all();
        break;
      }
      sink->append(buf, static_cast<std::size_t>(n));
      cv_.notify_all();
    }
    close(fd);
  };
  out_reader_ = std::thread(reader, out_pipe[0], &out_);
  err_reader_ = std::thread(reader, err_pipe[0], &err_);

  static const std::regex kReady(R"(ready irc=127\.0\.0\.1:(\d+) http=127\.0\.0\.1:(\d+))");
  std::smatch match;
  bool ready = false;
  {
    std::unique_lock lock(mu_);
    ready = cv_.wait_for(
        lock, timeout, [&] { return std::regex_search(out_, match, kReady) || open_pipes_ == 0; });
    ready = ready && !match.empty();
    if (ready) {
      irc_port_ = static_cast<uint16_t>(std::stoi(match[1].str()));
      http_port_ = static_cast<uint16_t>(std::stoi(match[2].str()));
    }
  }
  if (!ready) {
    Kill9();
    throw ExpectationFailed("salon did not print its ready line; output:\n" + Output());
  }
}

void TestServer::JoinReaders() {
  if (out_reader_.joinable()) out_reader_.join();
  if (err_reader_.joinable()) err_reader_.join();
}

void TestServer::Reap(Duration timeout) {
  auto deadline = Clock::now() + timeout;
  {
    std::unique_lock lock(mu_);
    cv_.wait_until(lock, deadline, [&] { return open_pipes_ == 0; });
  }
  int status = 0;
  for (;;) {
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) break;
    if (r < 0 && errno != EINTR) break;
    if (Clock::now() >= deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      status = -1;
      break;
    }
    // The pipes are closed, so the process is exiting; this only covers the last instants
    // between close and exit.
    std::this_thread::sleep_for(1ms);
  }
  exit_code_ = status == -1 ? -1 : DecodeStatus(status);
  pid_ = -1;
  JoinReaders();
}

int TestServer::Stop(Duration timeout) {
  if (!running()) return exit_code_;
  kill(pid_, SIGTERM);
  Reap(timeout);
  return exit_code_;
}

void TestServer::Signal(int signal) {
  if (pid_ > 0) kill(pid_, signal);
}

void TestServer::Kill9() {
  if (!running()) return;
  kill(pid_, SIGKILL);
  Reap(kDefaultTimeout);
}

bool TestServer::Alive() const {
  if (pid_ <= 0) return false;
  siginfo_t info{};
  return waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
         info.si_pid == 0;
}

void TestServer::Restart() {
  if (running()) {
    int code = Stop();
    if (code != 0) {
      throw ExpectationFailed("salon exited with " + std::to_string(code) + " on SIGTERM");
    }
  }
  Start();
}

RunResult TestServer::Run(const std::vector<std::string>& args, const std::string& stdin_text,
                          Duration timeout) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0 || pipe2(out_pipe, O_CLOEXEC) != 0 ||
      pipe2(err_pipe, O_CLOEXEC) != 0) {
    throw ExpectationFailed(std::string("pipe2: ") + std::strerror(errno));
  }
  std::vector<std::string> all_args = {SALON_BINARY};
  all_args.insert(all_args.end(), args.begin(), args.end());
  std::vector<char*> argv = Argv(all_args);
  pid_t pid = fork();
  if (pid < 0) throw ExpectationFailed(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) ExecChild(argv.data(), in_pipe[0], out_pipe[1], err_pipe[1]);
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  signal(SIGPIPE, SIG_IGN);
  if (!stdin_text.empty()) {
    ssize_t ignored = write(in_pipe[1], stdin_text.data(), stdin_text.size());
    (void)ignored;
  }
  close(in_pipe[1]);

  RunResult result;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open = 2;
  auto deadline = Clock::now() + timeout;
  bool timed_out = false;
  while (open > 0) {
    auto left = std::chrono::duration_cast<Duration>(deadline - Clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    int r = poll(fds, 2, static_cast<int>(left));
    if (r < 0 && errno == EINTR) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buf[4096];
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open;
      }
    }
  }
  for (auto& f : fds) {
    if (f.fd >= 0) close(f.fd);
  }
  if (timed_out) kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = timed_out ? -1 : DecodeStatus(status);
  return result;
}

std::string TestServer::HashPassword(const std::string& password) {
  static std::mutex mu;
  static std::map<std::string, std::string> cache;
  std::lock_guard lock(mu);
  auto it = cache.find(password);
  if (it != cache.end()) return it->second;
  RunResult r = Run({"--hash-password"}, password + "\n", 20000ms);
  std::string hash = r.out;
  while (!hash.empty() && (hash.back() == '\n' || hash.back() == '\r')) hash.pop_back();
  if (r.exit_code != 0 || hash.rfind("$argon2id$", 0) != 0) {
    throw ExpectationFailed("salon --hash-password failed: exit " + std::to_string(r.exit_code) +
                            " out=" + r.out + " err=" + r.err);
  }
  cache[password] = hash;
  return hash;
}

// ----------------------------------------------------------------------------------------------
// TestClient

TestClient::TestClient(uint16_t port, int rcvbuf) { Connect(port, rcvbuf, ""); }

TestClient::TestClient(uint16_t port, const std::string& source_ip) { Connect(port, 0, source_ip); }

void TestClient::Connect(uint16_t port, int rcvbuf, const std::string& source_ip) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw ExpectationFailed(std::string("socket: ") + std::strerror(errno));
  if (rcvbuf > 0) setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  auto fail = [&](const std::string& what) {
    std::string err = std::strerror(errno);
    close(fd_);
    fd_ = -1;
    throw ExpectationFailed(what + ": " + err);
  };
  if (!source_ip.empty()) {
    sockaddr_in source{};
    source.sin_family = AF_INET;
    if (inet_pton(AF_INET, source_ip.c_str(), &source.sin_addr) != 1) fail("bad source address");
    if (bind(fd_, reinterpret_cast<sockaddr*>(&source), sizeof source) != 0) {
      fail("bind to " + source_ip);
    }
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    fail("connect to 127.0.0.1:" + std::to_string(port));
  }
}

TestClient::~TestClient() { Close(); }

void TestClient::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  closed_ = true;
}

bool TestClient::SendRaw(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

void TestClient::Send(const std::string& line) {
  if (!SendRaw(line + "\r\n")) Fail("could not send \"" + line + "\": " + std::strerror(errno));
}

bool TestClient::ReadSome(Clock::time_point deadline) {
  if (closed_) return false;
  auto left = std::chrono::duration_cast<Duration>(deadline - Clock::now()).count();
  if (left < 0) left = 0;
  pollfd p{fd_, POLLIN, 0};
  int r = poll(&p, 1, static_cast<int>(left));
  if (r < 0) return errno == EINTR;
  if (r == 0) return false;
  char buf[65536];
  ssize_t n = recv(fd_, buf, sizeof buf, 0);
  if (n < 0 && errno == EINTR) return true;
  if (n <= 0) {
    closed_ = true;
    return false;
  }
  partial_.append(buf, static_cast<std::size_t>(n));
  std::size_t start = 0;
  for (;;) {
    std::size_t nl = partial_.find('\n', start);
    if (nl == std::string::npos) break;
    std::size_t end = nl;
    if (end > start && partial_[end - 1] == '\r') --end;
    std::string_view line(partial_.data() + start, end - start);
    buffer_.push_back(ParseLine(line));
    history_.emplace_back(line);
    if (history_.size() > 40) history_.erase(history_.begin());
    start = nl + 1;
  }
  partial_.erase(0, start);
  return true;
}

std::string TestClient::Describe() const {
  std::ostringstream s;
  s << "client " << (nick_.empty() ? "(unregistered)" : nick_)
    << (closed_ ? " [connection closed]" : "") << "\n  last lines received:\n";
  for (const auto& line : history_) s << "    " << line << "\n";
  s << "  still buffered: " << buffer_.size() << " line(s)\n";
  return s.str();
}

void TestClient::Fail(const std::string& what) const {
  throw ExpectationFailed(what + "\n" + Describe());
}

std::optional<Message> TestClient::ExpectWithin(const Predicate& pred, Duration timeout) {
  auto deadline = Clock::now() + timeout;
  std::size_t scanned = 0;
  for (;;) {
    for (; scanned < buffer_.size(); ++scanned) {
      if (pred(buffer_[scanned])) {
        Message m = std::move(buffer_[scanned]);
        buffer_.erase(buffer_.begin() + static_cast<std::ptrdiff_t>(scanned));
        return m;
      }
    }
    if (closed_) Fail("connection closed before the expected line arrived");
    if (Clock::now() >= deadline) return std::nullopt;
    ReadSome(deadline);
  }
}

Message TestClient::Expect(const Predicate& pred, Duration timeout) {
  auto m = ExpectWithin(pred, timeout);
  if (!m) Fail("timed out waiting for the expected line");
  return std::move(*m);
}

Message TestClient::Expect(const std::string& regex, Duration timeout) {
  try {
    return Expect(Matches(regex), timeout);
  } catch (const ExpectationFailed& e) {
    throw ExpectationFailed("expecting /" + regex + "/: " + e.what());
  }
}

Message TestClient::ExpectNumeric(const std::string& code, Duration timeout) {
  try {
    return Expect(Command(code), timeout);
  } catch (const ExpectationFailed& e) {
    throw ExpectationFailed("expecting " + code + ": " + e.what());
  }
}

Message TestClient::ExpectCommand(const std::string& command, Duration timeout) {
  return ExpectNumeric(command, timeout);
}

Message TestClient::ExpectNext(const Predicate& pred, Duration timeout) {
  auto deadline = Clock::now() + timeout;
  while (buffer_.empty()) {
    if (closed_) Fail("connection closed before the expected next line");
    if (Clock::now() >= deadline) Fail("timed out waiting for the next line");
    ReadSome(deadline);
  }
  Message m = std::move(buffer_.front());
  buffer_.pop_front();
  if (!pred(m)) Fail("unexpected next line: " + m.raw);
  return m;
}

std::vector<Message> TestClient::CollectUntil(const Predicate& end, Duration timeout) {
  auto deadline = Clock::now() + timeout;
  std::vector<Message> out;
  for (;;) {
    while (!buffer_.empty()) {
      out.push_back(std::move(buffer_.front()));
      buffer_.pop_front();
      if (end(out.back())) return out;
    }
    if (closed_) Fail("connection closed while collecting lines");
    if (Clock::now() >= deadline) Fail("timed out while collecting lines");
    ReadSome(deadline);
  }
}

std::vector<Message> TestClient::Sync(Duration timeout) {
  std::string token = "sync" + std::to_string(next_token_++);
  Send("PING :" + token);
  auto lines = CollectUntil(
      [&token](const Message& m) { return m.command == "PONG" && m.Last() == token; }, timeout);
  lines.pop_back();
  return lines;
}

void TestClient::ExpectNone(const Predicate& pred, const std::string& what, Duration timeout) {
  for (const auto& m : Sync(timeout)) {
    if (pred(m)) Fail("unexpected line (" + what + "): " + m.raw);
  }
}

std::vector<Message> TestClient::ExpectClosed(Duration timeout) {
  auto deadline = Clock::now() + timeout;
  while (!closed_) {
    if (Clock::now() >= deadline) Fail("timed out waiting for the server to close the connection");
    ReadSome(deadline);
  }
  std::vector<Message> out(std::make_move_iterator(buffer_.begin()),
                           std::make_move_iterator(buffer_.end()));
  buffer_.clear();
  return out;
}

std::vector<Message> TestClient::Register(const std::string& nick, const std::string& user,
                                          const std::string& realname) {
  Send("NICK " + nick);
  Send("USER " + user + " 0 * :" + realname);
  auto lines = CollectUntil([](const Message& m) {
    return m.command == "376" || m.command == "422" || m.command == "432" || m.command == "433" ||
           m.command == "ERROR";
  });
  const std::string& last = lines.back().command;
  if (last != "376" && last != "422")
    Fail("registration as " + nick + " failed: " + lines.back().raw);
  nick_ = nick;
  return lines;
}

std::vector<Message> TestClient::RegisterWithCaps(const std::string& nick,
                                                  const std::string& caps) {
  Send("CAP LS 302");
  CollectUntil([](const Message& m) {
    return m.command == "CAP" && m.Param(1) == "LS" && m.Param(2) != "*";
  });
  Send("CAP REQ :" + caps);
  Message reply = Expect([](const Message& m) {
    return m.command == "CAP" && (m.Param(1) == "ACK" || m.Param(1) == "NAK");
  });
  if (reply.Param(1) != "ACK") Fail("CAP REQ :" + caps + " refused: " + reply.raw);
  Send("NICK " + nick);
  Send("USER user 0 * :Real Name");
  Send("CAP END");
  auto lines = CollectUntil([](const Message& m) {
    return m.command == "376" || m.command == "422" || m.command == "432" || m.command == "433" ||
           m.command == "ERROR";
  });
  const std::string& last = lines.back().command;
  if (last != "376" && last != "422")
    Fail("registration as " + nick + " failed: " + lines.back().raw);
  nick_ = nick;
  return lines;
}

std::vector<Message> TestClient::Join(const std::string& channel, const std::string& key) {
  Send("JOIN " + channel + (key.empty() ? "" : " " + key));
  std::string folded = Upper(channel);
  auto lines = CollectUntil([&folded](const Message& m) {
    static const char* kErrors[] = {"403", "405", "471", "473", "474", "475", "476", "477"};
    for (const char* e : kErrors) {
      if (m.command == e) return true;
    }
    return m.command == "366" && Upper(m.Param(1)) == folded;
  });
  if (lines.back().command != "366") Fail("JOIN " + channel + " failed: " + lines.back().raw);
  return lines;
}

std::map<std::string, Message> TestClient::List() {
  Send("LIST");
  std::map<std::string, Message> out;
  for (const auto& m : CollectUntil(Command("323"))) {
    if (m.command == "322") out[m.Param(1)] = m;
  }
  return out;
}

std::unique_ptr<TestClient> RegisteredClient(const TestServer& server, const std::string& nick,
                                             const std::string& caps,
                                             const std::string& source_ip) {
  auto client = source_ip.empty() ? std::make_unique<TestClient>(server)
                                  : std::make_unique<TestClient>(server.irc_port(), source_ip);
  if (caps.empty()) {
    client->Register(nick);
  } else {
    client->RegisterWithCaps(nick, caps);
  }
  client->Drain();
  return client;
}

}  // namespace salon::testing

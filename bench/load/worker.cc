#include "worker.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "proc_stats.h"
#include "report.h"
#include "sasl.h"
#include "websocket.h"

namespace salon::bench {
namespace {

constexpr int64_t kSecond = 1000000000;
constexpr int64_t kStallNs = kSecond;              // closed loop: give up on a message after this
constexpr int64_t kCycleTimeoutNs = 10 * kSecond;  // churn; logins: --login-timeout
constexpr int kMaxLoggedErrors = 5;

// Replies that mean registration or JOIN will never complete.
bool IsFatalDuringSetup(std::string_view numeric) {
  static constexpr std::string_view kFatal[] = {"403", "405", "431", "432", "433", "436", "437",
                                                "461", "462", "463", "464", "465", "471", "473",
                                                "474", "475", "476", "477", "479"};
  for (std::string_view f : kFatal) {
    if (f == numeric) return true;
  }
  return false;
}

// kCapLs .. kWelcome: a login (CAP LS reply, CAP ACK, "AUTHENTICATE +", 903, 001);
// kCreating: an account registration waiting for REGISTER SUCCESS.
enum class State {
  kIdle,
  kConnecting,
  kRegistering,
  kJoining,
  kReady,
  kCapLs,
  kCapAck,
  kSaslContinue,
  kSaslResult,
  kWelcome,
  kCreating,
  kQuitting,
  kClosed
};

// A room or DM member (index >= 0), or a short-lived connection (index -1): a churn cycle, an
// account registration, a login.
enum class Kind { kMember, kChurn, kAccount, kLogin };

struct Client {
  int fd = -1;
  int index = -1;  // global index; -1 for a churn cycle, registration or login
  Kind kind = Kind::kMember;
  State state = State::kIdle;
  int account = -1;       // kAccount, kLogin: the account's number
  int64_t t_auth = 0;     // kLogin: when 903 arrived
  bool cap_sasl = false;  // kLogin: "sasl" was in the CAP LS reply so far
  std::string nick;
  std::string target;  // "#r12" or the DM partner's nick; churn: the room to join
  std::string in;
  std::string out;
  bool out_armed = false;
  bool accepted = false;  // the server has sent a byte, so it has accept()ed the connection
  int64_t t_connect = 0;
  int unit_base = 0;  // global index of the first member of its room / pair
  bool sender = false;
  uint64_t seq = 0;
  uint64_t acked = 0;
  int receivers = 0;           // ready members of its room, itself excluded
  std::vector<uint32_t> ring;  // closed loop: deliveries seen per in-flight seq
  int64_t last_progress = 0;
  std::vector<uint32_t> last_seen;  // per room member: highest seq received from it
  // --transport ws: the upgrade is answered (frames flow), the expected Sec-WebSocket-Accept,
  // the masking key of every frame this client sends, a fragmented message being reassembled.
  bool ws_open = false;
  uint32_t ws_mask = 0;
  std::string ws_accept;
  std::string ws_frag;
  // history: send times of the queries not answered yet (the server answers in order), and
  // the chathistory batch being received.
  std::vector<int64_t> queries;
  size_t queries_done = 0;
  std::string batch;
  int batch_lines = 0;
};

class Worker {
 public:
  Worker(const Options& o, const WorkerRange& r, int parent_fd)
      : o_(o), r_(r), parent_fd_(parent_fd) {}

  void Run();

 private:
  enum class Phase { kSetup, kWaitGo, kLoad, kDone };

  void StartConnections(int64_t now);
  bool Connect(Client& c, int source, int64_t now);
  void Fail(Client& c, const std::string& why);
  void Close(Client& c);
  void MarkReady(Client& c, int64_t now);
  // Sends IRC lines ("...\r\n", several allowed): as they are over TCP, one masked text frame
  // per line over WebSocket.
  void Send(Client& c, std::string_view data);
  void SendRaw(Client& c, std::string_view data);
  void Flush(Client& c);
  void OnEvent(Client& c, uint32_t events, int64_t now);
  // Consume complete lines (TCP) or frames (WebSocket) from `data`; return the bytes used.
  size_t OnLines(Client& c, char* data, size_t size, int64_t now);
  size_t OnFrames(Client& c, char* data, size_t size, int64_t now);
  size_t OnUpgradeResponse(Client& c, char* data, size_t size, int64_t now);
  void OnMessage(Client& c, std::string_view text, int64_t now);
  void OnLine(Client& c, std::string_view line, int64_t now);
  // Lines for registrations and logins (Kind::kAccount, Kind::kLogin).
  void OnAccountLine(Client& c, std::string_view line, std::string_view cmd,
                     std::string_view params, int64_t now);
  void OnPrivmsg(Client& c, std::string_view text, int64_t now);
  void OnClosed(Client& c, int64_t now);
  void SendMessage(Client& c, int64_t now);
  // history: CHATHISTORY LATEST and its answer (BATCH +, the lines, BATCH -; or a FAIL).
  void SendQuery(Client& c, int64_t now);
  bool OnHistoryLine(Client& c, std::string_view line, std::string_view cmd,
                     std::string_view params, int64_t now);
  void Acknowledge(Client& sender, uint64_t seq, int64_t now);
  void BeginLoad(const std::string& go_line);
  void DriveLoad(int64_t now, int64_t* deadline);
  // The first lines a connection sends (after the upgrade over WebSocket).
  std::string Greeting(const Client& c) const;
  Client& NewCycle(Kind kind, std::string nick);
  void StartCycle(int64_t now);
  void StartAccounts(int64_t now);
  void StartLogin(int64_t now);
  void ExpireCycles(int64_t now);
  bool AccountsDone() const { return accounts_created_ + accounts_failed_ >= accounts_wanted_; }
  std::string AccountName(int account) const { return "a" + tag_ + "_" + std::to_string(account); }
  std::string Password(int account) const {
    return "pw-" + tag_ + "-" + std::to_string(account) + "-salon-load";
  }
  void ReadParent();
  void Finish();
  void LogError(const Client& c, std::string_view line);
  // Nicks carry a per-run tag so that a run never collides with the previous run's clients
  // that the server has not finished closing yet.
  std::string NickOf(int index) const { return "u" + tag_ + "_" + std::to_string(index); }
  bool InWindow(int64_t t) const { return t >= t_measure_ && t < t_end_; }

  uint64_t Random();

  const Options& o_;
  const WorkerRange r_;
  const bool ws_ = o_.transport == Transport::kWs;
  uint64_t rng_ = 0;
  std::string frames_;  // scratch: frames being sent (WebSocket)
  std::string msg_;     // scratch: the PRIVMSG being sent
  const int parent_fd_;
  int epfd_ = -1;
  Phase phase_ = Phase::kSetup;
  std::vector<Client> clients_;
  std::unordered_map<Client*, std::unique_ptr<Client>> cycles_;
  std::vector<Client*> dead_cycles_;
  std::vector<int> senders_;  // indexes into clients_ of ready senders
  int next_to_start_ = 0;
  int in_progress_ = 0;
  int unaccepted_ = 0;
  int ready_ = 0;
  int failed_ = 0;
  int64_t setup_start_ = 0;
  int64_t setup_end_ = 0;
  int64_t setup_deadline_ = 0;
  int logged_errors_ = 0;
  int logged_cycle_errors_[4] = {};  // by Kind
  std::string parent_in_;
  std::string padding_;
  std::string tag_;
  std::string post_register_;  // raw lines sent after 001, "{nick}" substituted
  Report report_;
  bool closed_loop_ = false;
  // Load phase (CLOCK_MONOTONIC ns).
  int64_t t_start_ = 0, t_measure_ = 0, t_end_ = 0, t_stop_ = 0;
  double local_rate_ = 0;
  uint64_t sends_scheduled_ = 0;
  int64_t next_stall_check_ = 0;
  uint64_t cycles_started_ = 0;
  double cpu_at_measure_ = -1;
  double cpu_at_end_ = -1;
  // The login worker (r_.logins).
  int accounts_wanted_ = 0;
  int accounts_started_ = 0;
  int accounts_created_ = 0;
  int accounts_failed_ = 0;
  std::vector<int> created_;  // accounts logins cycle over
  uint64_t logins_scheduled_ = 0;
  int64_t login_timeout_ns_ = 0;
};

void Worker::Run() {
  epfd_ = epoll_create1(EPOLL_CLOEXEC);
  epoll_event pev{};
  pev.events = EPOLLIN;
  pev.data.ptr = nullptr;  // nullptr = the parent pipe
  epoll_ctl(epfd_, EPOLL_CTL_ADD, parent_fd_, &pev);

  closed_loop_ = o_.rate <= 0;
  rng_ = static_cast<uint64_t>(NowNs()) ^ (static_cast<uint64_t>(o_.run_id) << 32) ^
         static_cast<uint64_t>(r_.worker);
  {
    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz";
    unsigned run = static_cast<unsigned>(o_.run_id);
    tag_ = {kAlphabet[run % 26], kAlphabet[(run / 26) % 26]};
    for (char ch : o_.post_register)
      post_register_ += ch == '|' ? std::string("\r\n") : std::string(1, ch);
    if (!post_register_.empty()) post_register_ += "\r\n";
  }
  padding_.assign(static_cast<size_t>(o_.payload), 'x');
  clients_.resize(static_cast<size_t>(r_.count));
  int unit = o_.room_size > 0 ? o_.room_size : 1;
  for (int i = 0; i < r_.count; i++) {
    Client& c = clients_[i];
    c.index = r_.first + i;
    c.nick = NickOf(c.index);
    c.unit_base = c.index - c.index % unit;
    if (o_.scenario == Scenario::kDm) {
      c.target = NickOf(c.index ^ 1);
      c.sender = true;
    } else if (o_.scenario == Scenario::kHistory) {
      c.target = o_.history_room;
      c.sender = true;
    } else if (o_.room_size > 0) {
      c.target = "#r" + std::to_string(c.index / unit);
      int per_room = std::max(1, static_cast<int>(o_.senders * o_.room_size + 0.5));
      c.sender = o_.scenario == Scenario::kFanout && c.index % unit < per_room;
    }
    if (o_.room_size > 0) c.last_seen.assign(static_cast<size_t>(unit), 0);
  }
  if (r_.logins) accounts_wanted_ = o_.accounts;
  login_timeout_ns_ = static_cast<int64_t>(o_.login_timeout * kSecond);
  setup_start_ = NowNs();
  setup_deadline_ = setup_start_ + static_cast<int64_t>(o_.setup_timeout * kSecond);

  std::vector<epoll_event> events(1024);
  while (phase_ != Phase::kDone) {
    int64_t now = NowNs();
    int64_t deadline = now + 50 * 1000000;
    if (phase_ == Phase::kSetup) {
      StartConnections(now);
      StartAccounts(now);
      ExpireCycles(now);
      if (now > setup_deadline_) {
        for (Client& c : clients_) {
          if (c.state != State::kReady && c.state != State::kClosed) Fail(c, "setup timeout");
        }
        for (auto& [ptr, owned] : cycles_) {
          if (owned->state != State::kClosed) Fail(*owned, "setup timeout");
        }
      }
      if (ready_ + failed_ == r_.count && AccountsDone()) {
        setup_end_ = now;
        Report ready;
        ready.Add("ready", ready_);
        ready.Add("failed", failed_);
        ready.Add("min_setup_start", static_cast<double>(setup_start_));
        ready.Add("max_setup_end", static_cast<double>(setup_end_));
        if (r_.logins) {
          ready.Add("accounts_created", accounts_created_);
          ready.Add("accounts_failed", accounts_failed_);
          ready.Add("accounts_s", static_cast<double>(setup_end_ - setup_start_) / 1e9);
        }
        std::string line = ready.Serialize("ready");
        if (write(parent_fd_, line.data(), line.size()) < 0) return;
        phase_ = Phase::kWaitGo;
      }
    } else if (phase_ == Phase::kLoad) {
      DriveLoad(now, &deadline);
      if (phase_ == Phase::kDone) break;
    }
    int64_t wait = std::max<int64_t>(0, deadline - now);
    timespec ts{static_cast<time_t>(wait / kSecond), static_cast<long>(wait % kSecond)};
    int n = epoll_pwait2(epfd_, events.data(), static_cast<int>(events.size()), &ts, nullptr);
    if (n < 0 && errno != EINTR) {
      std::perror("epoll_pwait2");
      return;
    }
    now = NowNs();
    for (int i = 0; i < n; i++) {
      if (events[i].data.ptr == nullptr) {
        ReadParent();
        continue;
      }
      OnEvent(*static_cast<Client*>(events[i].data.ptr), events[i].events, now);
    }
    for (Client* c : dead_cycles_) cycles_.erase(c);
    dead_cycles_.clear();
  }
}

uint64_t Worker::Random() {  // splitmix64
  uint64_t z = (rng_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

void Worker::StartConnections(int64_t now) {
  while (in_progress_ < o_.connect_concurrency && unaccepted_ < o_.accept_window &&
         next_to_start_ < r_.count) {
    Client& c = clients_[next_to_start_++];
    if (Connect(c, c.index, now)) in_progress_++;
  }
}

bool Worker::Connect(Client& c, int source, int64_t now) {
  c.t_connect = now;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    Fail(c, std::string("socket: ") + std::strerror(errno));
    return false;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  if (o_.source_addrs > 0) {
    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_addr.s_addr = htonl(0x7f000001u + static_cast<uint32_t>(source % o_.source_addrs));
    if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof(local)) < 0) {
      Fail(c, std::string("bind: ") + std::strerror(errno));
      close(fd);
      return false;
    }
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(o_.port));
  inet_pton(AF_INET, o_.host.c_str(), &addr.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) < 0 && errno != EINPROGRESS) {
    Fail(c, std::string("connect: ") + std::strerror(errno));
    close(fd);
    return false;
  }
  c.fd = fd;
  c.state = State::kConnecting;
  // The PING draws a first byte from the server as soon as it has accept()ed us (PONG or 451):
  // at most --accept-window connections wait in the listen backlog, which some servers keep
  // tiny (ngIRCd: 10) — beyond it the kernel drops SYNs and clients stall for seconds.
  // Over WebSocket the 101 is that first byte; the registration lines follow it.
  if (ws_) {
    uint8_t key[16];
    for (int i = 0; i < 16; i += 8) {
      uint64_t r = Random();
      std::memcpy(key + i, &r, 8);
    }
    std::string key64 = Base64(key, sizeof(key));
    c.ws_accept = WsAccept(key64);
    c.ws_mask = static_cast<uint32_t>(Random());
    c.ws_open = false;
    c.ws_frag.clear();
    c.out = "GET " + o_.ws_path + " HTTP/1.1\r\nHost: " + o_.host + ":" + std::to_string(o_.port) +
            "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key64 +
            "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: text.ircv3.net\r\n\r\n";
  } else {
    c.out = Greeting(c);
  }
  c.accepted = false;
  unaccepted_++;
  c.out_armed = true;
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLOUT;
  ev.data.ptr = &c;
  epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev);
  return true;
}

std::string Worker::Greeting(const Client& c) const {
  std::string user = "NICK " + c.nick + "\r\nUSER " + c.nick + " 0 * :salon-load\r\n";
  // A login negotiates capabilities first (the server holds registration until CAP END); its
  // CAP LS reply is the first byte that proves the server has accept()ed.
  if (c.kind == Kind::kLogin) return "CAP LS 302\r\n" + user;
  if (o_.scenario == Scenario::kHistory) {
    // What a history client negotiates; CAP END right away: registration completes after it.
    return "CAP LS 302\r\nCAP REQ :batch message-tags server-time draft/chathistory\r\n" + user +
           "CAP END\r\nPING :hello\r\n";
  }
  return user + "PING :hello\r\n";
}

void Worker::LogError(const Client& c, std::string_view line) {
  if (logged_errors_++ >= kMaxLoggedErrors) return;
  std::fprintf(stderr, "salon-load[%d]: %s: %.*s\n", r_.worker, c.nick.c_str(),
               static_cast<int>(std::min<size_t>(line.size(), 200)), line.data());
}

void Worker::Fail(Client& c, const std::string& why) {
  if (c.index < 0) {
    if (c.state == State::kClosed) return;
    const char* what = "cycle";
    bool failure = true;
    if (c.kind == Kind::kChurn) {
      report_.Add("cycles_failed", 1);
    } else if (c.kind == Kind::kAccount) {
      what = "registration";
      failure = c.state != State::kQuitting;  // else REGISTER SUCCESS came: created already
      if (failure) accounts_failed_++;
    } else {
      what = "login";
      failure = c.state != State::kQuitting;  // else 001 came: counted as a login already
      if (failure && InWindow(c.t_connect)) report_.Add("logins_failed", 1);
      if (failure) report_.Add("logins_failed_total", 1);
    }
    // Each kind has its own budget: failed registrations must not hide why logins fail.
    if (failure && logged_cycle_errors_[static_cast<int>(c.kind)]++ < kMaxLoggedErrors) {
      std::fprintf(stderr, "salon-load[%d]: %s %s failed: %s\n", r_.worker, what, c.nick.c_str(),
                   why.c_str());
    }
    Close(c);
    return;
  }
  bool during_setup = c.state != State::kReady;
  if (during_setup && c.state != State::kClosed) {
    if (logged_errors_++ < kMaxLoggedErrors) {
      std::fprintf(stderr, "salon-load[%d]: %s failed: %s\n", r_.worker, c.nick.c_str(),
                   why.c_str());
    }
    failed_++;
    if (c.state != State::kIdle) in_progress_--;
  } else if (!during_setup) {
    report_.Add("disconnects", 1);
    if (logged_errors_++ < kMaxLoggedErrors) {
      std::fprintf(stderr, "salon-load[%d]: %s disconnected: %s\n", r_.worker, c.nick.c_str(),
                   why.c_str());
    }
  }
  Close(c);
}

void Worker::Close(Client& c) {
  if (c.fd >= 0 && !c.accepted) {
    c.accepted = true;
    unaccepted_--;
  }
  if (c.fd >= 0) {
    epoll_ctl(epfd_, EPOLL_CTL_DEL, c.fd, nullptr);
    close(c.fd);
    c.fd = -1;
  }
  c.state = State::kClosed;
  c.out.clear();
  if (c.index < 0 && cycles_.count(&c)) dead_cycles_.push_back(&c);
}

void Worker::MarkReady(Client& c, int64_t now) {
  c.state = State::kReady;
  if (phase_ == Phase::kSetup) {
    in_progress_--;
    ready_++;
  }
  (void)now;
}

void Worker::Send(Client& c, std::string_view data) {
  if (!ws_) return SendRaw(c, data);
  if (c.fd < 0) return;
  frames_.clear();
  size_t pos = 0;
  while (pos < data.size()) {
    size_t nl = data.find('\n', pos);
    size_t end = nl == std::string_view::npos ? data.size() : nl;
    size_t stop = end > pos && data[end - 1] == '\r' ? end - 1 : end;
    if (stop > pos) AppendWsFrame(&frames_, kWsText, data.substr(pos, stop - pos), c.ws_mask);
    pos = end + 1;
  }
  SendRaw(c, frames_);
}

void Worker::SendRaw(Client& c, std::string_view data) {
  if (c.fd < 0) return;
  if (c.out.empty() && c.state != State::kConnecting) {
    ssize_t n = send(c.fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n == static_cast<ssize_t>(data.size())) return;
    if (n < 0) {
      if (errno != EAGAIN) {
        OnClosed(c, NowNs());
        return;
      }
      n = 0;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  c.out.append(data);
  if (!c.out_armed) {
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT;
    ev.data.ptr = &c;
    epoll_ctl(epfd_, EPOLL_CTL_MOD, c.fd, &ev);
    c.out_armed = true;
  }
}

void Worker::Flush(Client& c) {
  while (!c.out.empty()) {
    ssize_t n = send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN) return;
      OnClosed(c, NowNs());
      return;
    }
    c.out.erase(0, static_cast<size_t>(n));
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = &c;
  epoll_ctl(epfd_, EPOLL_CTL_MOD, c.fd, &ev);
  c.out_armed = false;
}

void Worker::OnEvent(Client& c, uint32_t events, int64_t now) {
  if (c.fd < 0) return;
  if (c.state == State::kConnecting && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
    int err = 0;
    socklen_t len = sizeof(err);
    getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) {
      Fail(c, std::string("connect: ") + std::strerror(err));
      return;
    }
    c.state = c.kind == Kind::kLogin ? State::kCapLs : State::kRegistering;
  }
  if (events & EPOLLOUT) {
    Flush(c);
    if (c.fd < 0) return;
  }
  if (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
    static char buf[1 << 16];
    ssize_t n = recv(c.fd, buf, sizeof(buf), 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
      OnClosed(c, now);
      return;
    }
    if (n < 0) return;
    if (o_.quickack) {
      int one = 1;  // Linux clears TCP_QUICKACK by itself; set it again after every read
      setsockopt(c.fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
    }
    if (!c.accepted) {
      c.accepted = true;
      unaccepted_--;
    }
    // Parse straight from `buf` unless a partial line/frame is pending; keep only the rest.
    bool pending = !c.in.empty();
    if (pending) c.in.append(buf, static_cast<size_t>(n));
    char* data = pending ? c.in.data() : buf;
    size_t size = pending ? c.in.size() : static_cast<size_t>(n);
    size_t used = 0;
    if (ws_ && !c.ws_open) {
      used = OnUpgradeResponse(c, data, size, now);
      if (c.fd < 0) return;
    }
    if (!ws_) {
      used += OnLines(c, data + used, size - used, now);
    } else if (c.ws_open) {
      used += OnFrames(c, data + used, size - used, now);
    }
    if (c.fd < 0) return;
    if (pending) {
      c.in.erase(0, used);
    } else if (used < size) {
      c.in.assign(data + used, size - used);
    }
  }
}

size_t Worker::OnLines(Client& c, char* data, size_t size, int64_t now) {
  std::string_view in(data, size);
  size_t start = 0;
  while (true) {
    size_t nl = in.find('\n', start);
    if (nl == std::string_view::npos) break;
    size_t end = nl;
    if (end > start && in[end - 1] == '\r') end--;
    OnLine(c, in.substr(start, end - start), now);
    if (c.fd < 0) return 0;
    start = nl + 1;
  }
  return start;
}

// The server's answer to the upgrade request: "HTTP/1.1 101", the Sec-WebSocket-Accept for our
// key and the subprotocol we asked for. Returns the header bytes, 0 while incomplete.
size_t Worker::OnUpgradeResponse(Client& c, char* data, size_t size, int64_t now) {
  std::string_view in(data, size);
  size_t end = in.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    if (size > 16384) Fail(c, "websocket: upgrade response too long");
    return 0;
  }
  std::string_view head = in.substr(0, end);
  size_t eol = head.find("\r\n");
  std::string_view status = head.substr(0, eol);
  if (status.substr(0, 12) != "HTTP/1.1 101") {
    Fail(c, "websocket: upgrade refused: " + std::string(status));
    return 0;
  }
  std::string_view accept, protocol;
  while (eol != std::string_view::npos) {
    size_t next = head.find("\r\n", eol + 2);
    std::string_view h =
        head.substr(eol + 2, next == std::string_view::npos ? next : next - eol - 2);
    eol = next;
    size_t colon = h.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view name = h.substr(0, colon), value = h.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    auto is = [&](std::string_view want) {
      return name.size() == want.size() &&
             std::equal(name.begin(), name.end(), want.begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == b;
             });
    };
    if (is("sec-websocket-accept")) accept = value;
    if (is("sec-websocket-protocol")) protocol = value;
  }
  if (accept != c.ws_accept) {
    Fail(c, "websocket: bad Sec-WebSocket-Accept '" + std::string(accept) + "'");
    return 0;
  }
  if (protocol != "text.ircv3.net") {
    Fail(c, "websocket: subprotocol '" + std::string(protocol) + "', wanted text.ircv3.net");
    return 0;
  }
  c.ws_open = true;
  std::string().swap(c.ws_accept);
  (void)now;
  Send(c, Greeting(c));
  return end + 4;
}

size_t Worker::OnFrames(Client& c, char* data, size_t size, int64_t now) {
  size_t used = 0;
  while (used < size) {
    WsFrame f;
    WsParse r = ParseWsFrame(data + used, size - used, &f);
    if (r == WsParse::kNeedMore) break;
    if (r == WsParse::kBad) {
      Fail(c, "websocket: bad frame");
      return 0;
    }
    used += f.size;
    switch (f.opcode) {
      case kWsText:
      case kWsBinary:
        if (f.fin) {
          OnMessage(c, f.payload, now);
        } else {
          c.ws_frag.assign(f.payload);
        }
        break;
      case kWsContinuation:
        c.ws_frag.append(f.payload);
        if (f.fin) {
          std::string whole;
          whole.swap(c.ws_frag);
          OnMessage(c, whole, now);
        }
        break;
      case kWsPing:
        frames_.clear();
        AppendWsFrame(&frames_, kWsPong, f.payload, c.ws_mask);
        SendRaw(c, frames_);
        break;
      case kWsPong:
        break;
      case kWsClose:
        // Echo the status code and hang up: the close frame is where the server ends the
        // connection (churn cycles are timed up to here, as up to the FIN over TCP).
        frames_.clear();
        AppendWsFrame(&frames_, kWsClose, f.payload.substr(0, 2), c.ws_mask);
        SendRaw(c, frames_);
        if (c.fd >= 0) OnClosed(c, now);
        return 0;
      default:
        Fail(c, "websocket: unknown opcode " + std::to_string(f.opcode));
        return 0;
    }
    if (c.fd < 0) return 0;
  }
  return used;
}

// One WebSocket message: one IRC line, without CRLF (several lines tolerated).
void Worker::OnMessage(Client& c, std::string_view text, int64_t now) {
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) OnLine(c, line, now);
    if (c.fd < 0 || nl == std::string_view::npos) return;
    text.remove_prefix(nl + 1);
  }
}

void Worker::OnClosed(Client& c, int64_t now) {
  if (c.index < 0 && c.state == State::kQuitting) {
    if (c.kind == Kind::kChurn && InWindow(c.t_connect)) {
      report_.Add("cycles", 1);
      report_.cycle.Record(static_cast<uint64_t>(now - c.t_connect));
    }
    Close(c);
    return;
  }
  Fail(c, "connection closed by server");
}

void Worker::OnLine(Client& c, std::string_view line, int64_t now) {
  std::string_view rest = line;
  std::string_view tags;
  if (!rest.empty() && rest[0] == '@') {  // message tags (history clients negotiate them)
    size_t sp = rest.find(' ');
    if (sp == std::string_view::npos) return;
    tags = rest.substr(1, sp - 1);
    rest.remove_prefix(sp + 1);
  }
  if (!rest.empty() && rest[0] == ':') {
    size_t sp = rest.find(' ');
    if (sp == std::string_view::npos) return;
    rest.remove_prefix(sp + 1);
  }
  size_t sp = rest.find(' ');
  std::string_view cmd = rest.substr(0, sp);
  std::string_view params = sp == std::string_view::npos ? "" : rest.substr(sp + 1);
  if (c.kind == Kind::kAccount || c.kind == Kind::kLogin) {
    return OnAccountLine(c, line, cmd, params, now);
  }
  if (o_.scenario == Scenario::kHistory && c.state == State::kReady) {
    if (!c.batch.empty() && tags.find("batch=" + c.batch) != std::string_view::npos) {
      c.batch_lines++;  // a replayed line
      return;
    }
    if (OnHistoryLine(c, line, cmd, params, now)) return;
  }

  if (cmd == "PRIVMSG") {
    size_t colon = params.find(" :");
    if (colon != std::string_view::npos) OnPrivmsg(c, params.substr(colon + 2), now);
    return;
  }
  if (cmd == "PING") {
    Send(c, "PONG " + std::string(params) + "\r\n");
    return;
  }
  if (cmd == "001") {
    if (c.state != State::kRegistering) return;
    report_.reg.Record(static_cast<uint64_t>(now - c.t_connect));
    if (!post_register_.empty() && c.index >= 0) {
      std::string extra = post_register_;
      for (size_t at; (at = extra.find("{nick}")) != std::string::npos;) {
        extra.replace(at, 6, c.nick);
      }
      Send(c, extra);
    }
    if (!c.target.empty() && (c.index < 0 || o_.scenario != Scenario::kDm)) {
      c.state = State::kJoining;
      Send(c, "JOIN " + c.target + "\r\n");
    } else {
      MarkReady(c, now);
    }
    return;
  }
  if (cmd == "366") {
    if (c.state != State::kJoining) return;
    if (c.index < 0) {
      c.state = State::kQuitting;
      Send(c, "QUIT :cycle\r\n");
    } else {
      MarkReady(c, now);
    }
    return;
  }
  if (cmd == "ERROR") {
    if (c.state != State::kQuitting) LogError(c, line);
    return;
  }
  // Error numerics (4xx, 5xx). Harmless: 421 unknown command, 422 no MOTD, 451 not registered
  // (the answer some servers give to the PING sent with NICK/USER).
  if (cmd.size() == 3 && (cmd[0] == '4' || cmd[0] == '5') && cmd != "421" && cmd != "422" &&
      cmd != "451") {
    report_.Add("error_replies", 1);
    LogError(c, line);
    if (IsFatalDuringSetup(cmd) && (c.state == State::kRegistering || c.state == State::kJoining)) {
      Fail(c, "error reply " + std::string(cmd));
    }
  }
}

// Registration: NICK/USER, 001, "REGISTER * * <password>", "REGISTER SUCCESS", QUIT (as the
// irctest controller does). Login: CAP LS 302 + NICK/USER, the LS reply (must list sasl),
// CAP REQ :sasl, ACK, AUTHENTICATE PLAIN, "AUTHENTICATE +", the payload, 903, CAP END, 001,
// QUIT. Anything else that means "this will not succeed" fails the connection at once with the
// server's line as the reason, so a server without accounts shows up as counted failures.
void Worker::OnAccountLine(Client& c, std::string_view line, std::string_view cmd,
                           std::string_view params, int64_t now) {
  auto fail = [&](std::string_view why) {
    Fail(c,
         std::string(why) + ": " + std::string(line.substr(0, std::min<size_t>(line.size(), 200))));
  };
  if (cmd == "PING") {
    Send(c, "PONG " + std::string(params) + "\r\n");
    return;
  }
  if (c.state == State::kQuitting) return;  // counted already; waiting for the close
  if (cmd == "ERROR") return fail("server closed");
  if (cmd == "FAIL") return fail("standard reply");  // FAIL REGISTER ..., FAIL AUTHENTICATE ...
  if (c.kind == Kind::kAccount) {
    if (cmd == "001" && c.state == State::kRegistering) {
      c.state = State::kCreating;
      Send(c, "REGISTER * * " + Password(c.account) + "\r\n");
    } else if (cmd == "REGISTER" && c.state == State::kCreating) {
      if (params.substr(0, 8) != "SUCCESS ") return fail("unexpected REGISTER reply");
      accounts_created_++;
      created_.push_back(c.account);
      c.state = State::kQuitting;
      Send(c, "QUIT :registered\r\n");
    } else if (cmd.size() == 3 && (cmd[0] == '4' || cmd[0] == '5') && cmd != "422") {
      fail("error reply");  // 421 unknown command, 433 nick in use, ...
    }
    return;
  }
  if (cmd == "CAP") {
    CapReply cap;
    if (!ParseCapReply(params, &cap)) return fail("malformed CAP reply");
    if (cap.sub == "LS" && c.state == State::kCapLs) {
      c.cap_sasl = c.cap_sasl || CapListHas(cap.caps, "sasl");
      if (cap.more) return;
      if (!c.cap_sasl) return fail("the server offers no sasl capability");
      c.state = State::kCapAck;
      Send(c, "CAP REQ :sasl\r\n");
    } else if (cap.sub == "ACK" && c.state == State::kCapAck && CapListHas(cap.caps, "sasl")) {
      c.state = State::kSaslContinue;
      Send(c, "AUTHENTICATE PLAIN\r\n");
    } else if (cap.sub == "NAK") {
      fail("CAP REQ refused");
    }
    return;
  }
  if (cmd == "AUTHENTICATE" && c.state == State::kSaslContinue) {
    if (params != "+") return fail("unexpected AUTHENTICATE challenge");
    c.state = State::kSaslResult;
    std::string account = AccountName(c.account);
    Send(c, SaslPlainLines(account, Password(c.account)));
    return;
  }
  if (cmd == "903" && c.state == State::kSaslResult) {
    c.t_auth = now;
    c.state = State::kWelcome;
    Send(c, "CAP END\r\n");
    return;
  }
  if (cmd == "001") {
    if (c.state != State::kWelcome) return fail("registered before SASL succeeded");
    if (InWindow(c.t_connect)) {
      report_.Add("logins_ok", 1);
      report_.login.Record(static_cast<uint64_t>(c.t_auth - c.t_connect));
      report_.cycle.Record(static_cast<uint64_t>(now - c.t_connect));
    }
    c.state = State::kQuitting;
    Send(c, "QUIT :logged in\r\n");
    return;
  }
  // 900 (logged in) and 908 (mechanisms, before 904) need nothing; 422 is "no MOTD".
  if (cmd == "900" || cmd == "908" || cmd == "422") return;
  if (cmd.size() == 3 && ((cmd[0] == '4' || cmd[0] == '5') || (cmd[0] == '9' && cmd >= "902"))) {
    fail(cmd == "904" ? "SASL failed" : "error reply");  // 904-907, 421, 433, 451, ...
  }
}

void Worker::OnPrivmsg(Client& c, std::string_view text, int64_t now) {
  char* end;
  const char* p = text.data();
  // The text is followed by padding or by the end of the line, never by a digit.
  long long sender = std::strtoll(p, &end, 10);
  if (end == p) return;
  unsigned long long seq = std::strtoull(end, &end, 10);
  long long sent_at = std::strtoll(end, &end, 10);
  report_.Add("recv_total", 1);
  if (InWindow(sent_at)) {
    report_.Add("recv_window", 1);
    report_.latency.Record(static_cast<uint64_t>(std::max<int64_t>(0, now - sent_at)));
  }
  int64_t off = sender - c.unit_base;
  if (off >= 0 && off < static_cast<int64_t>(c.last_seen.size())) {
    uint32_t& last = c.last_seen[static_cast<size_t>(off)];
    if (seq == last + 1ull) {
      last = static_cast<uint32_t>(seq);
    } else if (seq > last) {
      report_.Add("seq_gaps", static_cast<double>(seq - last - 1));
      last = static_cast<uint32_t>(seq);
    } else {
      report_.Add("duplicates", 1);
    }
  }
  if (closed_loop_ && sender >= r_.first && sender < r_.first + r_.count) {
    Acknowledge(clients_[static_cast<size_t>(sender - r_.first)], seq, now);
  }
}

void Worker::SendQuery(Client& c, int64_t now) {
  c.seq++;
  c.queries.push_back(now);
  if (InWindow(now)) report_.Add("queries_window", 1);
  report_.Add("queries_total", 1);
  Send(c, "CHATHISTORY LATEST " + c.target + " * " + std::to_string(o_.history_limit) + "\r\n");
}

bool Worker::OnHistoryLine(Client& c, std::string_view line, std::string_view cmd,
                           std::string_view params, int64_t now) {
  bool done = false;
  if (cmd == "BATCH" && params.size() > 1 && params[0] == '+') {
    size_t sp = params.find(' ');
    c.batch = std::string(params.substr(1, sp == std::string_view::npos ? sp : sp - 1));
    c.batch_lines = 0;
    return true;
  }
  if (cmd == "BATCH" && !c.batch.empty() && params.substr(1) == c.batch) {
    done = true;
  } else if (cmd == "FAIL") {
    report_.Add("history_fails", 1);
    LogError(c, line);
    done = true;
  }
  if (!done) return false;
  if (c.queries_done >= c.queries.size()) return true;  // an answer to nothing: ignore
  const int64_t sent_at = c.queries[c.queries_done++];
  if (InWindow(sent_at)) {
    report_.Add("replies_window", 1);
    report_.Add("history_lines_window", c.batch_lines);
    if (c.batch_lines < o_.history_limit) report_.Add("short_replies", 1);
    report_.latency.Record(static_cast<uint64_t>(std::max<int64_t>(0, now - sent_at)));
  }
  if (c.queries_done == c.queries.size()) {
    c.queries.clear();
    c.queries_done = 0;
  }
  c.batch.clear();
  if (closed_loop_) {
    c.acked++;
    c.last_progress = now;
    while (now < t_end_ && c.seq - c.acked < c.ring.size() && c.fd >= 0) SendMessage(c, now);
  }
  return true;
}

void Worker::SendMessage(Client& c, int64_t now) {
  if (c.fd < 0 || c.state != State::kReady) return;
  if (o_.scenario == Scenario::kHistory) return SendQuery(c, now);
  c.seq++;
  char head[128];
  int n = std::snprintf(head, sizeof(head), "PRIVMSG %s :%d %llu %lld ", c.target.c_str(), c.index,
                        static_cast<unsigned long long>(c.seq), static_cast<long long>(now));
  // Pad the text (after " :") to --payload bytes.
  size_t text_len = static_cast<size_t>(n) - (8 + c.target.size() + 2);
  size_t pad = text_len < padding_.size() ? padding_.size() - text_len : 1;
  std::string& line = msg_;
  line.clear();
  line.append(head, static_cast<size_t>(n));
  line.append(padding_.data(), std::min(pad, padding_.size()));
  line.append("\r\n");
  if (InWindow(now)) {
    report_.Add("sent_window", 1);
    report_.Add("expected_window", c.receivers);
  }
  report_.Add("sent_total", 1);
  Send(c, line);
}

void Worker::Acknowledge(Client& s, uint64_t seq, int64_t now) {
  if (seq <= s.acked || seq > s.seq || s.ring.empty()) return;
  size_t w = s.ring.size();
  s.ring[seq % w]++;
  bool progressed = false;
  while (s.acked < s.seq && s.ring[(s.acked + 1) % w] >= static_cast<uint32_t>(s.receivers)) {
    s.ring[(s.acked + 1) % w] = 0;
    s.acked++;
    progressed = true;
  }
  if (!progressed) return;
  s.last_progress = now;
  while (now < t_end_ && s.seq - s.acked < w && s.fd >= 0) SendMessage(s, now);
}

void Worker::ReadParent() {
  char buf[4096];
  ssize_t n = read(parent_fd_, buf, sizeof(buf));
  if (n <= 0) {
    phase_ = Phase::kDone;  // parent gone
    return;
  }
  parent_in_.append(buf, static_cast<size_t>(n));
  size_t nl;
  while ((nl = parent_in_.find('\n')) != std::string::npos) {
    std::string line = parent_in_.substr(0, nl);
    parent_in_.erase(0, nl + 1);
    if (line.rfind("go ", 0) == 0 && phase_ == Phase::kWaitGo) BeginLoad(line);
  }
}

void Worker::BeginLoad(const std::string& go_line) {
  long long t0, tm, te, tstop;
  if (std::sscanf(go_line.c_str(), "go %lld %lld %lld %lld", &t0, &tm, &te, &tstop) != 4) return;
  t_start_ = t0;
  t_measure_ = tm;
  t_end_ = te;
  t_stop_ = tstop;
  // Receivers per room: ready members other than the sender itself.
  std::unordered_map<int, int> ready_per_unit;
  for (const Client& c : clients_) {
    if (c.state == State::kReady) ready_per_unit[c.unit_base]++;
  }
  for (size_t i = 0; i < clients_.size(); i++) {
    Client& c = clients_[i];
    if (c.state != State::kReady) continue;
    // A history client waits for answers from the server, not for other clients.
    c.receivers = o_.scenario == Scenario::kHistory ? 1 : ready_per_unit[c.unit_base] - 1;
    if (c.sender && c.receivers > 0) {
      senders_.push_back(static_cast<int>(i));
      if (closed_loop_) c.ring.assign(static_cast<size_t>(o_.window), 0);
    }
  }
  if (!closed_loop_) {
    double share = o_.scenario == Scenario::kChurn
                       ? 1.0 / r_.workers
                       : (r_.total_senders > 0 ? double(r_.nominal_senders) / r_.total_senders : 0);
    local_rate_ = o_.rate * share;
  }
  phase_ = Phase::kLoad;
}

Client& Worker::NewCycle(Kind kind, std::string nick) {
  auto owned = std::make_unique<Client>();
  Client& c = *owned;
  c.kind = kind;
  c.nick = std::move(nick);
  cycles_[&c] = std::move(owned);
  return c;
}

void Worker::StartCycle(int64_t now) {
  uint64_t n = cycles_started_++;
  Client& c =
      NewCycle(Kind::kChurn, "c" + tag_ + std::to_string(r_.worker) + "x" + std::to_string(n));
  c.target = "#c" + std::to_string(n % static_cast<uint64_t>(std::max(1, o_.churn_rooms)));
  if (InWindow(now)) report_.Add("cycles_started", 1);
  Connect(c, static_cast<int>(n % 100000) + r_.worker, now);
}

// Each registration from its own source address (account i from 127.0.0.(1 + i % 250)): a
// server may limit registrations per address.
void Worker::StartAccounts(int64_t now) {
  while (accounts_started_ < accounts_wanted_ &&
         accounts_started_ - accounts_created_ - accounts_failed_ < o_.register_concurrency) {
    int account = accounts_started_++;
    Client& c = NewCycle(Kind::kAccount, AccountName(account));
    c.account = account;
    Connect(c, account, now);  // a failure is counted by Connect()
  }
}

// Logins use a nick of their own ("l<tag>x<n>", not the account's): a login never waits for
// the previous login of the same account to release its nick, and no nick protection applies.
void Worker::StartLogin(int64_t now) {
  uint64_t n = logins_scheduled_;
  Client& c = NewCycle(Kind::kLogin, "l" + tag_ + "x" + std::to_string(n));
  // Over the accounts that were created; over all of them if none was (every login then fails,
  // and says why).
  c.account = created_.empty() ? static_cast<int>(n % static_cast<uint64_t>(accounts_wanted_))
                               : created_[n % created_.size()];
  if (InWindow(now)) report_.Add("logins_attempted", 1);
  Connect(c, static_cast<int>(n % 100000), now);
}

void Worker::ExpireCycles(int64_t now) {
  for (auto& [ptr, owned] : cycles_) {
    Client& c = *owned;
    if (c.state == State::kClosed) continue;
    int64_t limit = c.kind == Kind::kChurn ? kCycleTimeoutNs : login_timeout_ns_;
    if (now - c.t_connect <= limit) continue;
    // A registration or login that succeeded and is only waiting for the server to close
    // after QUIT is not a failure.
    if (c.kind != Kind::kChurn && c.state == State::kQuitting) {
      Close(c);
    } else {
      Fail(c, c.kind == Kind::kChurn ? "cycle timeout" : "timeout");
    }
  }
}

void Worker::DriveLoad(int64_t now, int64_t* deadline) {
  if (now < t_start_) {
    *deadline = std::min(*deadline, t_start_);
    return;
  }
  if (cpu_at_measure_ < 0 && now >= t_measure_) cpu_at_measure_ = SelfCpuSeconds();
  if (cpu_at_end_ < 0 && now >= t_end_) cpu_at_end_ = SelfCpuSeconds();
  bool churn = o_.scenario == Scenario::kChurn;
  bool sending = o_.scenario == Scenario::kFanout || o_.scenario == Scenario::kDm ||
                 o_.scenario == Scenario::kHistory;
  if (now < t_end_ && (churn || (sending && !senders_.empty()))) {
    if (closed_loop_ && churn) {
      while (static_cast<int>(cycles_.size()) < o_.window) StartCycle(now);
    } else if (closed_loop_) {
      if (sends_scheduled_ == 0) {
        sends_scheduled_ = 1;
        for (int i : senders_) {
          Client& c = clients_[static_cast<size_t>(i)];
          c.last_progress = now;
          while (c.seq - c.acked < c.ring.size() && c.fd >= 0) SendMessage(c, now);
        }
      }
      if (now >= next_stall_check_) {
        next_stall_check_ = now + kSecond / 10;
        for (int i : senders_) {
          Client& c = clients_[static_cast<size_t>(i)];
          if (c.seq > c.acked && now - c.last_progress > kStallNs) {
            report_.Add("stalls", 1);
            std::fill(c.ring.begin(), c.ring.end(), 0);
            c.acked = c.seq;
            c.last_progress = now;
            while (c.seq - c.acked < c.ring.size() && c.fd >= 0) SendMessage(c, now);
          }
        }
        *deadline = std::min(*deadline, next_stall_check_);
      }
    } else if (local_rate_ > 0) {
      double interval = 1e9 / local_rate_;
      int burst = 0;
      while (burst < 5000) {
        int64_t due = t_start_ + static_cast<int64_t>(sends_scheduled_ * interval);
        if (due > now || due >= t_end_) {
          *deadline = std::min(*deadline, due);
          break;
        }
        if (churn) {
          StartCycle(now);
        } else {
          SendMessage(clients_[static_cast<size_t>(senders_[sends_scheduled_ % senders_.size()])],
                      now);
        }
        sends_scheduled_++;
        burst++;
      }
      if (burst == 5000) *deadline = now;
    }
  }
  if (r_.logins && o_.login_rate > 0 && now < t_end_) {
    double interval = 1e9 / o_.login_rate;
    for (int burst = 0; burst < 1000; burst++) {
      int64_t due =
          t_start_ + static_cast<int64_t>(static_cast<double>(logins_scheduled_) * interval);
      if (due > now || due >= t_end_) {
        *deadline = std::min(*deadline, due);
        break;
      }
      StartLogin(now);
      logins_scheduled_++;
    }
  }
  ExpireCycles(now);
  // Cycles started before the end may finish (or time out) after the drain.
  bool cycles = churn || r_.logins;
  int64_t timeout = std::max(kCycleTimeoutNs, login_timeout_ns_);
  if (now >= t_stop_ && (!cycles || cycles_.empty() || now >= t_stop_ + timeout)) {
    Finish();
    return;
  }
  *deadline = std::min(*deadline, std::max(t_stop_, now + 1000000));
  if (now < t_measure_) *deadline = std::min(*deadline, t_measure_);
  if (now < t_end_) *deadline = std::min(*deadline, t_end_);
}

void Worker::Finish() {
  if (cpu_at_measure_ >= 0 && cpu_at_end_ >= 0) {
    report_.Add("max_tool_cpu_s", cpu_at_end_ - cpu_at_measure_);
    report_.Add("tool_cpu_s", cpu_at_end_ - cpu_at_measure_);
  }
  // Sequence gaps at the tail: messages sent by a local sender never seen by a receiver.
  if (o_.scenario == Scenario::kFanout || o_.scenario == Scenario::kDm) {
    for (const Client& rcv : clients_) {
      if (rcv.state != State::kReady) continue;
      for (size_t off = 0; off < rcv.last_seen.size(); off++) {
        int64_t s = rcv.unit_base + static_cast<int64_t>(off);
        if (s == rcv.index || s < r_.first || s >= r_.first + r_.count) continue;
        const Client& snd = clients_[static_cast<size_t>(s - r_.first)];
        if (snd.seq > rcv.last_seen[off]) {
          report_.Add("seq_gaps", static_cast<double>(snd.seq - rcv.last_seen[off]));
        }
      }
    }
  }
  report_.Add("ready", ready_);
  report_.Add("failed", failed_);
  std::string line = report_.Serialize("report");
  size_t off = 0;
  while (off < line.size()) {
    ssize_t n = write(parent_fd_, line.data() + off, line.size() - off);
    if (n <= 0) break;
    off += static_cast<size_t>(n);
  }
  phase_ = Phase::kDone;
}

}  // namespace

void RunWorker(const Options& options, const WorkerRange& range, int parent_fd) {
  Worker worker(options, range, parent_fd);
  worker.Run();
}

}  // namespace salon::bench

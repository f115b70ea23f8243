// salon-load — IRC load generator for Salon and peer servers (see bench/README.md).
//
// The parent process forks workers (at most --per-worker connections each, since a process may
// hold only so many descriptors), acts as the barrier between setup and load ("ready" / "go"),
// samples the server's CPU time and RSS from /proc around the measured window, merges the
// workers' reports and prints one human line plus one "RESULT key=value ..." line.
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "options.h"
#include "proc_stats.h"
#include "report.h"
#include "worker.h"

namespace salon::bench {
namespace {

constexpr int64_t kSecond = 1000000000;

struct Child {
  pid_t pid = -1;
  int fd = -1;
  std::string in;
  bool done = false;
};

void SleepUntil(int64_t t_ns) {
  timespec ts{static_cast<time_t>(t_ns / kSecond), static_cast<long>(t_ns % kSecond)};
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
  }
}

// Reads one line tagged `tag` from every child and merges them; false if a child died.
bool Collect(std::vector<Child>& children, const std::string& tag, Report* merged) {
  for (Child& c : children) c.done = false;
  size_t remaining = children.size();
  while (remaining > 0) {
    std::vector<pollfd> fds;
    std::vector<Child*> owners;
    for (Child& c : children) {
      if (c.done) continue;
      fds.push_back({c.fd, POLLIN, 0});
      owners.push_back(&c);
    }
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    for (size_t i = 0; i < fds.size(); i++) {
      if (!fds[i].revents) continue;
      Child& c = *owners[i];
      char buf[1 << 16];
      ssize_t n = read(c.fd, buf, sizeof(buf));
      if (n <= 0) {
        std::fprintf(stderr, "salon-load: worker %d exited early\n", static_cast<int>(c.pid));
        return false;
      }
      c.in.append(buf, static_cast<size_t>(n));
      size_t nl = c.in.find('\n');
      if (nl == std::string::npos) continue;
      Report r;
      std::string got = r.Parse(c.in.substr(0, nl));
      c.in.erase(0, nl + 1);
      if (got != tag) {
        std::fprintf(stderr, "salon-load: unexpected line from worker (wanted %s)\n", tag.c_str());
        return false;
      }
      merged->Merge(r);
      c.done = true;
      remaining--;
    }
  }
  return true;
}

double Ms(uint64_t ns) { return static_cast<double>(ns) / 1e6; }

int Main(int argc, char** argv) {
  Options o = ParseOptions(argc, argv);
  signal(SIGPIPE, SIG_IGN);
  rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    if (static_cast<rlim_t>(o.per_worker) + 64 > rl.rlim_max) {
      o.per_worker = static_cast<int>(rl.rlim_max) - 64;
    }
  }

  // Partition whole rooms (or DM pairs, or single clients) over workers.
  int unit = o.room_size > 0 ? o.room_size : 1;
  int units = o.clients / unit;
  int units_per_worker = std::max(1, o.per_worker / unit);
  int workers = std::max(1, (units + units_per_worker - 1) / units_per_worker);
  int senders_per_unit = 0;
  if (o.scenario == Scenario::kFanout) {
    senders_per_unit = std::max(1, static_cast<int>(o.senders * o.room_size + 0.5));
  } else if (o.scenario == Scenario::kDm) {
    senders_per_unit = 2;
  } else if (o.scenario == Scenario::kHistory) {
    senders_per_unit = 1;  // every client asks
  }
  std::vector<WorkerRange> ranges;
  int next_unit = 0;
  for (int w = 0; w < workers; w++) {
    int n = units / workers + (w < units % workers ? 1 : 0);
    WorkerRange r;
    r.worker = w;
    r.workers = workers;
    r.first = next_unit * unit;
    r.count = n * unit;
    r.nominal_senders = n * senders_per_unit;
    r.total_senders = units * senders_per_unit;
    ranges.push_back(r);
    next_unit += n;
  }
  if (o.login) {  // one more worker, with no room members: accounts, then logins
    WorkerRange r;
    r.worker = workers;
    r.first = o.clients;
    r.total_senders = units * senders_per_unit;
    r.logins = true;
    ranges.push_back(r);
    workers++;
  }
  for (WorkerRange& r : ranges) r.workers = workers;

  int64_t rss_before = o.server_pid ? ProcessRssKb(o.server_pid) : -1;
  std::vector<Child> children(static_cast<size_t>(workers));
  for (int w = 0; w < workers; w++) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
      std::perror("socketpair");
      return 1;
    }
    std::fflush(nullptr);
    pid_t pid = fork();
    if (pid < 0) {
      std::perror("fork");
      return 1;
    }
    if (pid == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the parent
      close(sv[0]);
      for (int i = 0; i < w; i++) close(children[static_cast<size_t>(i)].fd);
      RunWorker(o, ranges[static_cast<size_t>(w)], sv[1]);
      std::fflush(nullptr);
      _exit(0);
    }
    close(sv[1]);
    children[static_cast<size_t>(w)].pid = pid;
    children[static_cast<size_t>(w)].fd = sv[0];
  }

  Report setup;
  bool ok = Collect(children, "ready", &setup);
  int64_t rss_idle = -1;
  if (ok && o.scenario == Scenario::kIdle && o.server_pid) {
    SleepUntil(NowNs() + kSecond);  // let the server settle before reading RSS
    rss_idle = ProcessRssKb(o.server_pid);
  }

  bool timed = o.scenario != Scenario::kIdle;
  int64_t t0 = NowNs() + kSecond / 10;
  int64_t tm = timed ? t0 + static_cast<int64_t>(o.warmup * kSecond) : t0;
  int64_t te = timed ? tm + static_cast<int64_t>(o.duration * kSecond) : t0;
  int64_t tstop = timed ? te + static_cast<int64_t>(o.drain * kSecond) : t0;
  double cpu0 = -1, cpu1 = -1, core0 = -1, core1 = -1;
  // Salon's store threads (named by the server): what storing and reading history cost.
  double writer0 = -1, writer1 = -1, reader0 = -1, reader1 = -1;
  int64_t rss_load = -1;
  Report total;
  if (ok) {
    std::string go = "go " + std::to_string(t0) + " " + std::to_string(tm) + " " +
                     std::to_string(te) + " " + std::to_string(tstop) + "\n";
    for (Child& c : children) {
      if (write(c.fd, go.data(), go.size()) < 0) ok = false;
    }
    if (timed) {
      SleepUntil(tm);
      if (o.server_pid) {
        cpu0 = ProcessCpuSeconds(o.server_pid);
        writer0 = ThreadCpuSeconds(o.server_pid, "salon-writer");
        reader0 = ThreadCpuSeconds(o.server_pid, "salon-reader");
      }
      if (o.server_core >= 0) core0 = CoreBusySeconds(o.server_core);
      SleepUntil(te);
      if (o.server_core >= 0) core1 = CoreBusySeconds(o.server_core);
      if (o.server_pid) {
        cpu1 = ProcessCpuSeconds(o.server_pid);
        writer1 = ThreadCpuSeconds(o.server_pid, "salon-writer");
        reader1 = ThreadCpuSeconds(o.server_pid, "salon-reader");
        rss_load = ProcessRssKb(o.server_pid);
      }
    }
    ok = ok && Collect(children, "report", &total);
  }
  for (Child& c : children) {
    if (!ok) kill(c.pid, SIGKILL);
    waitpid(c.pid, nullptr, 0);
    close(c.fd);
  }
  if (!ok) {
    std::fprintf(stderr, "salon-load: run failed\n");
    return 1;
  }

  // Results.
  double dur = o.duration;
  double ready = setup.Get("ready");
  double failed = setup.Get("failed");
  double setup_s = (setup.Get("max_setup_end") - setup.Get("min_setup_start")) / 1e9;
  double cpu = (cpu0 >= 0 && cpu1 >= 0) ? cpu1 - cpu0 : -1;
  double core = (core0 >= 0 && core1 >= 0) ? core1 - core0 : -1;
  double writer = (writer0 >= 0 && writer1 >= 0) ? writer1 - writer0 : -1;
  double reader = (reader0 >= 0 && reader1 >= 0) ? reader1 - reader0 : -1;
  std::string res = "RESULT scenario=" + o.scenario_name;
  if (!o.label.empty()) res += " server=" + o.label;
  res += o.transport == Transport::kWs ? " transport=ws" : " transport=tcp";
  char buf[256];
  auto add = [&](const char* key, double v, const char* fmt = "%.6g") {
    std::snprintf(buf, sizeof(buf), fmt, v);
    res += std::string(" ") + key + "=" + buf;
  };
  add("clients", o.clients, "%.0f");
  add("workers", workers, "%.0f");
  add("ready", ready, "%.0f");
  add("failed", failed, "%.0f");
  add("reg_per_s", setup_s > 0 ? ready / setup_s : 0, "%.0f");
  add("reg_p50_ms", Ms(total.reg.Quantile(0.5)), "%.3f");
  add("reg_p99_ms", Ms(total.reg.Quantile(0.99)), "%.3f");
  std::string human;
  std::string login_human;
  if (o.login) {
    double attempted = total.Get("logins_attempted");
    double ok_logins = total.Get("logins_ok");
    add("login_rate_target", o.login_rate, "%.0f");
    add("accounts", o.accounts, "%.0f");
    add("accounts_created", setup.Get("accounts_created"), "%.0f");
    add("accounts_failed", setup.Get("accounts_failed"), "%.0f");
    add("accounts_s", setup.Get("accounts_s"), "%.3f");
    add("logins_attempted", attempted, "%.0f");
    add("logins_ok", ok_logins, "%.0f");
    add("logins_failed", total.Get("logins_failed"), "%.0f");
    add("logins_failed_total", total.Get("logins_failed_total"), "%.0f");
    add("logins_per_s", ok_logins / dur, "%.1f");
    add("login_p50_ms", Ms(total.login.Quantile(0.5)), "%.3f");
    add("login_p99_ms", Ms(total.login.Quantile(0.99)), "%.3f");
    add("login_max_ms", Ms(total.login.Max()), "%.3f");
    add("login_001_p99_ms", Ms(total.cycle.Quantile(0.99)), "%.3f");
    std::snprintf(buf, sizeof(buf),
                  "logins: %.1f/s (target %.0f): %.0f attempted, %.0f ok, %.0f failed; "
                  "connect->903 p50 %.3f ms p99 %.3f ms max %.3f ms; accounts %.0f/%d created "
                  "in %.2f s",
                  ok_logins / dur, o.login_rate, attempted, ok_logins, total.Get("logins_failed"),
                  Ms(total.login.Quantile(0.5)), Ms(total.login.Quantile(0.99)),
                  Ms(total.login.Max()), setup.Get("accounts_created"), o.accounts,
                  setup.Get("accounts_s"));
    login_human = buf;
  }
  if (o.scenario == Scenario::kIdle) {
    double per_conn = (rss_before >= 0 && rss_idle >= 0 && ready > 0)
                          ? (rss_idle - rss_before) * 1024.0 / ready
                          : -1;
    add("rss_before_kb", static_cast<double>(rss_before), "%.0f");
    add("rss_after_kb", static_cast<double>(rss_idle), "%.0f");
    add("bytes_per_conn", per_conn, "%.0f");
    std::snprintf(buf, sizeof(buf),
                  "idle: %.0f/%d clients registered (%.0f failed) in %.2f s (%.0f/s); server RSS "
                  "%lld -> %lld KB, %.0f bytes/connection",
                  ready, o.clients, failed, setup_s, setup_s > 0 ? ready / setup_s : 0,
                  static_cast<long long>(rss_before), static_cast<long long>(rss_idle), per_conn);
    human = buf;
  } else if (o.scenario == Scenario::kHistory) {
    double replies = total.Get("replies_window");
    double lines = total.Get("history_lines_window");
    add("rate_target", o.rate, "%.0f");
    add("history_limit", o.history_limit, "%.0f");
    add("queries", total.Get("queries_window"), "%.0f");
    add("replies", replies, "%.0f");
    add("queries_per_s", replies / dur, "%.1f");
    add("lines_per_reply", replies > 0 ? lines / replies : 0, "%.1f");
    add("short_replies", total.Get("short_replies"), "%.0f");
    add("history_fails", total.Get("history_fails"), "%.0f");
    add("p50_ms", Ms(total.latency.Quantile(0.5)), "%.3f");
    add("p99_ms", Ms(total.latency.Quantile(0.99)), "%.3f");
    add("max_ms", Ms(total.latency.Max()), "%.3f");
    add("server_cpu_s", cpu, "%.3f");
    add("server_reader_cpu_s", reader, "%.3f");
    add("queries_per_cpu_s", cpu > 0 ? replies / cpu : 0, "%.0f");
    add("server_core_busy_s", core, "%.3f");
    add("server_rss_kb", static_cast<double>(rss_load), "%.0f");
    add("tool_cpu_s", total.Get("tool_cpu_s"), "%.3f");
    add("stalls", total.Get("stalls"), "%.0f");
    add("disconnects", total.Get("disconnects"), "%.0f");
    std::snprintf(buf, sizeof(buf),
                  "history: %.1f CHATHISTORY LATEST %s * %d/s (%.1f lines each, %.0f short, %.0f "
                  "failed), latency p50 %.3f ms p99 %.3f ms max %.3f ms, server CPU %.2f s",
                  replies / dur, o.history_room.c_str(), o.history_limit,
                  replies > 0 ? lines / replies : 0, total.Get("short_replies"),
                  total.Get("history_fails"), Ms(total.latency.Quantile(0.5)),
                  Ms(total.latency.Quantile(0.99)), Ms(total.latency.Max()), cpu);
    human = buf;
  } else if (o.scenario == Scenario::kChurn) {
    double cycles = total.Get("cycles");
    add("rate_target", o.rate, "%.0f");
    add("cycles", cycles, "%.0f");
    add("cycles_failed", total.Get("cycles_failed"), "%.0f");
    add("cycles_per_s", cycles / dur, "%.1f");
    add("cycle_p50_ms", Ms(total.cycle.Quantile(0.5)), "%.3f");
    add("cycle_p99_ms", Ms(total.cycle.Quantile(0.99)), "%.3f");
    add("cycle_max_ms", Ms(total.cycle.Max()), "%.3f");
    add("server_cpu_s", cpu, "%.3f");
    add("cycles_per_cpu_s", cpu > 0 ? cycles / cpu : 0, "%.0f");
    add("server_core_busy_s", core, "%.3f");
    add("tool_cpu_s", total.Get("tool_cpu_s"), "%.3f");
    std::snprintf(buf, sizeof(buf),
                  "churn: %.1f cycles/s (target %.0f, %.0f failed), cycle p50 %.3f ms p99 %.3f ms "
                  "max %.3f ms, server CPU %.2f s",
                  cycles / dur, o.rate, total.Get("cycles_failed"), Ms(total.cycle.Quantile(0.5)),
                  Ms(total.cycle.Quantile(0.99)), Ms(total.cycle.Max()), cpu);
    human = buf;
  } else {
    double sent = total.Get("sent_window");
    double expected = total.Get("expected_window");
    double delivered = total.Get("recv_window");
    double lost = std::max(0.0, expected - delivered);
    add("rate_target", o.rate, "%.0f");
    add("room_size", o.room_size, "%.0f");
    add("payload", o.payload, "%.0f");
    add("sent_per_s", sent / dur, "%.0f");
    add("deliveries_per_s", delivered / dur, "%.0f");
    add("expected", expected, "%.0f");
    add("delivered", delivered, "%.0f");
    add("lost", lost, "%.0f");
    add("loss_pct", expected > 0 ? 100.0 * lost / expected : 0, "%.4f");
    add("seq_gaps", total.Get("seq_gaps"), "%.0f");
    add("duplicates", total.Get("duplicates"), "%.0f");
    add("p50_ms", Ms(total.latency.Quantile(0.5)), "%.3f");
    add("p99_ms", Ms(total.latency.Quantile(0.99)), "%.3f");
    add("max_ms", Ms(total.latency.Max()), "%.3f");
    add("server_cpu_s", cpu, "%.3f");
    add("server_writer_cpu_s", writer, "%.3f");
    add("deliveries_per_cpu_s", cpu > 0 ? delivered / cpu : 0, "%.0f");
    add("msgs_per_cpu_s", cpu > 0 ? sent / cpu : 0, "%.0f");
    add("server_core_busy_s", core, "%.3f");
    add("deliveries_per_core_s", core > 0 ? delivered / core : 0, "%.0f");
    add("server_rss_kb", static_cast<double>(rss_load), "%.0f");
    add("tool_cpu_s", total.Get("tool_cpu_s"), "%.3f");
    add("disconnects", total.Get("disconnects"), "%.0f");
    add("stalls", total.Get("stalls"), "%.0f");
    add("error_replies", total.Get("error_replies"), "%.0f");
    std::snprintf(buf, sizeof(buf),
                  "%s: %.0f msgs/s sent (target %s), %.0f deliveries/s, lost %.0f/%.0f, latency "
                  "p50 %.3f ms p99 %.3f ms max %.3f ms, server CPU %.2f s (%.0f deliveries/CPU-s)",
                  o.scenario_name.c_str(), sent / dur,
                  o.rate > 0 ? std::to_string(static_cast<long long>(o.rate)).c_str() : "max",
                  delivered / dur, lost, expected, Ms(total.latency.Quantile(0.5)),
                  Ms(total.latency.Quantile(0.99)), Ms(total.latency.Max()), cpu,
                  cpu > 0 ? delivered / cpu : 0);
    human = buf;
  }
  std::string prefix = o.label.empty() ? "" : "[" + o.label + "] ";
  if (o.transport == Transport::kWs) prefix += "[ws] ";
  std::printf("%s%s\n", prefix.c_str(), human.c_str());
  if (!login_human.empty()) std::printf("%s%s\n", prefix.c_str(), login_human.c_str());
  std::printf("%s\n", res.c_str());
  return 0;
}

}  // namespace
}  // namespace salon::bench

int main(int argc, char** argv) { return salon::bench::Main(argc, argv); }

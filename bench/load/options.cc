#include "options.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace salon::bench {
namespace {

[[noreturn]] void Usage(const char* error) {
  if (error) std::fprintf(stderr, "salon-load: %s\n\n", error);
  std::fprintf(
      stderr,
      "usage: salon-load SCENARIO [flags]\n"
      "scenarios: idle | fanout | dm | churn | login | history\n"
      "  --host H --port P          server address (127.0.0.1:6667)\n"
      "  --transport tcp|ws         plain IRC (tcp) or IRCv3 WebSocket (ws: --port = HTTP port)\n"
      "  --ws-path PATH             WebSocket path (/irc)\n"
      "  --clients N                registered clients (churn: background clients)\n"
      "  --room-size S              fanout room members (idle: join rooms of S)\n"
      "  --senders F                fraction of room members that send (1.0)\n"
      "  --rate R                   total messages/s, churn cycles/s; 0 = closed loop\n"
      "  --window W                 closed loop: in-flight messages per sender\n"
      "  --duration D --warmup W --drain D   seconds (10, 2, 2)\n"
      "  --payload B                message text bytes (100)\n"
      "  --per-worker N             connections per worker process (15000)\n"
      "  --connect-concurrency N    registrations in flight per worker (1000)\n"
      "  --accept-window N          connections awaiting accept() per worker (8)\n"
      "  --source-addrs N           spread over 127.0.0.1..N (250; 0 = no bind)\n"
      "  --server-pid PID           read server CPU/RSS from /proc\n"
      "  --server-core N            core the server is pinned to (busy time, softirq incl.)\n"
      "  --label NAME               server name in the RESULT line\n"
      "  --post-register 'L1|L2'    raw lines after 001 ({nick} = own nick)\n"
      "  --quickack 0|1             disable delayed ACKs on client sockets (0)\n"
      "login = fanout (defaults: --clients 2000 --rate 2000) plus SASL PLAIN logins:\n"
      "  --login-rate R             fresh connections logging in per second (50; 0 = none)\n"
      "  --accounts N               accounts created with REGISTER before the load (100)\n"
      "  --register-concurrency N   registrations in flight at once (8)\n"
      "  --login-timeout S          seconds before a login or registration fails (10)\n"
      "history = clients in one room asking CHATHISTORY LATEST (defaults: --clients 10, closed\n"
      "loop): --rate = queries/s in all\n"
      "  --history-room NAME        the room (#history)\n"
      "  --history-limit N          messages asked per query (100)\n");
  std::exit(2);
}

}  // namespace

Options ParseOptions(int argc, char** argv) {
  Options o;
  if (argc < 2) Usage(nullptr);
  o.scenario_name = argv[1];
  if (o.scenario_name == "idle") {
    o.scenario = Scenario::kIdle;
    o.room_size = 0;
  } else if (o.scenario_name == "fanout") {
    o.scenario = Scenario::kFanout;
  } else if (o.scenario_name == "login") {
    o.scenario = Scenario::kFanout;  // the fanout machinery, plus a login worker
    o.login = true;
    o.clients = 2000;
    o.rate = 2000;
  } else if (o.scenario_name == "dm") {
    o.scenario = Scenario::kDm;
  } else if (o.scenario_name == "history") {
    o.scenario = Scenario::kHistory;
    o.clients = 10;
  } else if (o.scenario_name == "churn") {
    o.scenario = Scenario::kChurn;
    o.clients = 0;
    o.rate = 200;
  } else {
    Usage("unknown scenario");
  }
  for (int i = 2; i < argc; i++) {
    std::string flag = argv[i];
    if (i + 1 >= argc) Usage(("missing value for " + flag).c_str());
    const char* v = argv[++i];
    bool login_flag = flag == "--login-rate" || flag == "--accounts" ||
                      flag == "--register-concurrency" || flag == "--login-timeout";
    if (login_flag && !o.login) Usage((flag + " is for the login scenario").c_str());
    if (flag == "--host")
      o.host = v;
    else if (flag == "--port")
      o.port = std::atoi(v);
    else if (flag == "--transport") {
      std::string t = v;
      if (t == "tcp")
        o.transport = Transport::kTcp;
      else if (t == "ws")
        o.transport = Transport::kWs;
      else
        Usage("--transport must be tcp or ws");
    } else if (flag == "--ws-path")
      o.ws_path = v;
    else if (flag == "--clients")
      o.clients = std::atoi(v);
    else if (flag == "--room-size")
      o.room_size = std::atoi(v);
    else if (flag == "--senders")
      o.senders = std::atof(v);
    else if (flag == "--rate")
      o.rate = std::atof(v);
    else if (flag == "--window")
      o.window = std::atoi(v);
    else if (flag == "--duration")
      o.duration = std::atof(v);
    else if (flag == "--warmup")
      o.warmup = std::atof(v);
    else if (flag == "--drain")
      o.drain = std::atof(v);
    else if (flag == "--payload")
      o.payload = std::atoi(v);
    else if (flag == "--per-worker")
      o.per_worker = std::atoi(v);
    else if (flag == "--connect-concurrency")
      o.connect_concurrency = std::atoi(v);
    else if (flag == "--quickack")
      o.quickack = std::atoi(v) != 0;
    else if (flag == "--post-register")
      o.post_register = v;
    else if (flag == "--accept-window")
      o.accept_window = std::atoi(v);
    else if (flag == "--server-core")
      o.server_core = std::atoi(v);
    else if (flag == "--setup-timeout")
      o.setup_timeout = std::atof(v);
    else if (flag == "--source-addrs")
      o.source_addrs = std::atoi(v);
    else if (flag == "--server-pid")
      o.server_pid = std::atoi(v);
    else if (flag == "--label")
      o.label = v;
    else if (flag == "--churn-rooms")
      o.churn_rooms = std::atoi(v);
    else if (flag == "--login-rate")
      o.login_rate = std::atof(v);
    else if (flag == "--accounts")
      o.accounts = std::atoi(v);
    else if (flag == "--register-concurrency")
      o.register_concurrency = std::atoi(v);
    else if (flag == "--login-timeout")
      o.login_timeout = std::atof(v);
    else if (flag == "--history-room")
      o.history_room = v;
    else if (flag == "--history-limit")
      o.history_limit = std::atoi(v);
    else
      Usage(("unknown flag " + flag).c_str());
  }
  o.run_id = static_cast<int>(getpid());
  if (o.scenario == Scenario::kDm) o.room_size = 2;
  if (o.scenario == Scenario::kChurn || o.scenario == Scenario::kHistory) o.room_size = 0;
  if (o.scenario == Scenario::kHistory && (o.history_limit < 1 || o.history_room.empty())) {
    Usage("history: --history-limit >= 1 and a --history-room are needed");
  }
  if (o.clients < 0 || o.room_size < 0 || o.window < 1 || o.per_worker < 1) Usage("bad sizes");
  if (o.scenario == Scenario::kFanout && o.room_size < 2) Usage("--room-size must be >= 2");
  if (o.room_size > 0 && o.clients % o.room_size != 0) {
    o.clients -= o.clients % o.room_size;  // whole rooms (dm: whole pairs) only
  }
  if (o.room_size > o.per_worker) Usage("--room-size larger than --per-worker");
  if (o.payload < 40) o.payload = 40;
  if (o.login &&
      (o.login_rate < 0 || o.accounts < 1 || o.register_concurrency < 1 || o.login_timeout <= 0)) {
    Usage(
        "login: --login-rate >= 0, --accounts >= 1, --register-concurrency >= 1 and "
        "--login-timeout > 0 are needed");
  }
  return o;
}

}  // namespace salon::bench

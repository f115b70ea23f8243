// Options — the load tool's command line, parsed once in the parent and copied into workers.
#pragma once

#include <string>

namespace salon::bench {

enum class Scenario { kIdle, kFanout, kDm, kChurn, kHistory };
enum class Transport { kTcp, kWs };

struct Options {
  Scenario scenario = Scenario::kFanout;
  std::string scenario_name = "fanout";
  std::string label;  // echoed as server=... in the RESULT line
  std::string host = "127.0.0.1";
  int port = 6667;  // with --transport ws: the server's HTTP port
  // tcp: IRC lines over plain TCP. ws: IRCv3 WebSocket transport (HTTP/1.1 upgrade on `port` at
  // `ws_path`, subprotocol text.ircv3.net, one line per masked text frame).
  Transport transport = Transport::kTcp;
  std::string ws_path = "/irc";
  int clients = 1000;              // registered clients (churn: background clients)
  int room_size = 20;              // fanout: members per room; idle: 0 = no JOIN
  double senders = 1.0;            // fraction of each room that sends
  double rate = 0;                 // total messages/s (churn: cycles/s); 0 = closed loop
  int window = 1;                  // closed loop: messages in flight per sender (churn: cycles)
  double duration = 10;            // measured seconds
  double warmup = 2;               // seconds of load before the measured window
  double drain = 2;                // seconds after the window to collect stragglers
  int payload = 100;               // bytes of message text after the ':'
  int per_worker = 15000;          // connections per worker process
  int connect_concurrency = 1000;  // per worker: registrations in progress at once
  int accept_window = 8;           // per worker: connections not yet accept()ed by the server
  double setup_timeout = 300;
  int source_addrs = 250;  // bind to 127.0.0.(1 + i % source_addrs); 0 = no bind
  int server_pid = 0;      // for CPU seconds and RSS from /proc
  int server_core = -1;    // the core the server is pinned to: busy time from /proc/stat
  int churn_rooms = 10;
  // login: the fanout background above plus one more worker that first creates `accounts`
  // accounts (REGISTER, at most `register_concurrency` at once), then opens `login_rate` fresh
  // connections per second, each logging in with SASL PLAIN over the accounts in turn.
  bool login = false;
  double login_rate = 50;  // logins/s; 0 = accounts only, no logins (the same background)
  int accounts = 100;
  int register_concurrency = 8;
  double login_timeout = 10;  // seconds a login or registration may take before it fails
  // Raw IRC lines sent after 001, separated by '|', "{nick}" replaced by the client's nick
  // (e.g. "OPER bench bench|MODE {nick} +F" to lift ngIRCd's flood protection).
  std::string post_register;
  // history: every client joins `history_room` (with batch, message-tags, server-time and
  // draft/chathistory) and asks `CHATHISTORY LATEST <room> * <history_limit>`, at --rate
  // queries/s in all or closed loop (--window per client); latency = query sent -> BATCH -.
  std::string history_room = "#history";
  int history_limit = 100;
  int run_id = 0;  // set from the parent's pid: tags nicks so runs never collide
  // ACK every segment at once instead of delaying ACKs (Linux: up to 40 ms). Off by default: real
  // clients delay ACKs, and a server that does not set TCP_NODELAY then waits on them (Nagle).
  bool quickack = false;
};

// Parses argv; prints usage and exits on error.
Options ParseOptions(int argc, char** argv);

}  // namespace salon::bench

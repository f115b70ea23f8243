// Worker — one load-generating process: a single-threaded epoll loop over its share of clients.
//
// The parent forks one worker per --per-worker connections. Rooms (and DM pairs) never straddle
// two workers, so a sender's receivers are all local: closed-loop flow control and sequence-gap
// accounting need no cross-process traffic. Protocol with the parent, one text line each:
//   worker -> parent  "ready k=v ..."   every client registered (and joined) or failed
//   parent -> worker  "go T0 Tm Te Tend" (CLOCK_MONOTONIC ns: load start, measured window, stop)
//   worker -> parent  "report k=v ... @lat=... @reg=... @cycle=... @login=..."   then it exits
// The login scenario adds one worker with no room members (`logins`): it creates the accounts
// before "ready" and runs the login generator during the load.
#pragma once

#include "options.h"

namespace salon::bench {

struct WorkerRange {
  int worker = 0;           // 0-based worker number
  int workers = 1;          // total worker count
  int first = 0;            // first global client index
  int count = 0;            // number of clients
  int nominal_senders = 0;  // senders in this range
  int total_senders = 0;    // senders over all workers
  bool logins = false;      // the login scenario's account and login worker
};

// Runs in the child process; returns when the report has been written.
void RunWorker(const Options& options, const WorkerRange& range, int parent_fd);

}  // namespace salon::bench

// proc_stats — CPU seconds and resident memory of a process, read from /proc.
#pragma once

#include <cstdint>

namespace salon::bench {

// utime + stime of `pid` in seconds; negative if unreadable.
double ProcessCpuSeconds(int pid);
// utime + stime, in seconds, of the threads of `pid` named `name` (their comm, e.g. the
// "salon-writer" thread of Salon's store); 0 when none has that name.
double ThreadCpuSeconds(int pid, const char* name);
// VmRSS of `pid` in kilobytes; negative if unreadable.
int64_t ProcessRssKb(int pid);
// Busy seconds of CPU `core` since boot (user, nice, system, irq, softirq, steal) from /proc/stat;
// negative if unreadable. Unlike ProcessCpuSeconds() this includes softirq time, where the kernel
// does much of the loopback TCP work, which is not charged to any process.
double CoreBusySeconds(int core);
// CLOCK_MONOTONIC in nanoseconds (shared by all processes of the machine).
int64_t NowNs();
// CPU seconds used by the calling process.
double SelfCpuSeconds();

}  // namespace salon::bench

#include "proc_stats.h"

#include <dirent.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace salon::bench {

namespace {

// utime + stime from a /proc/.../stat file; negative if unreadable.
double StatCpuSeconds(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "r");
  if (!f) return -1;
  char buf[4096];
  size_t n = std::fread(buf, 1, sizeof(buf) - 1, f);
  std::fclose(f);
  buf[n] = '\0';
  // The command name may contain spaces; fields resume after the last ')'.
  char* p = std::strrchr(buf, ')');
  if (!p) return -1;
  p += 2;  // now at field 3 (state)
  unsigned long long utime = 0, stime = 0;
  for (int field = 3; field <= 15 && *p; field++) {
    char* end;
    unsigned long long v = std::strtoull(p, &end, 10);
    if (field == 14) utime = v;
    if (field == 15) stime = v;
    p = std::strchr(p, ' ');
    if (!p) break;
    p++;
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace

double ProcessCpuSeconds(int pid) {
  return StatCpuSeconds("/proc/" + std::to_string(pid) + "/stat");
}

double ThreadCpuSeconds(int pid, const char* name) {
  std::string dir = "/proc/" + std::to_string(pid) + "/task";
  DIR* d = opendir(dir.c_str());
  if (!d) return -1;
  double total = 0;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] == '.') continue;
    std::string task = dir + "/" + e->d_name;
    FILE* f = std::fopen((task + "/comm").c_str(), "r");
    if (!f) continue;
    char comm[64] = {};
    bool named = std::fgets(comm, sizeof(comm), f) != nullptr;
    std::fclose(f);
    if (!named) continue;
    comm[std::strcspn(comm, "\n")] = '\0';
    if (std::strcmp(comm, name) != 0) continue;
    double s = StatCpuSeconds(task + "/stat");
    if (s > 0) total += s;
  }
  closedir(d);
  return total;
}

int64_t ProcessRssKb(int pid) {
  std::string path = "/proc/" + std::to_string(pid) + "/status";
  FILE* f = std::fopen(path.c_str(), "r");
  if (!f) return -1;
  char line[256];
  int64_t kb = -1;
  while (std::fgets(line, sizeof(line), f)) {
    if (std::strncmp(line, "VmRSS:", 6) == 0) {
      kb = std::strtoll(line + 6, nullptr, 10);
      break;
    }
  }
  std::fclose(f);
  return kb;
}

double CoreBusySeconds(int core) {
  FILE* f = std::fopen("/proc/stat", "r");
  if (!f) return -1;
  std::string prefix = "cpu" + std::to_string(core) + " ";
  char line[512];
  double busy = -1;
  while (std::fgets(line, sizeof(line), f)) {
    if (std::strncmp(line, prefix.c_str(), prefix.size()) != 0) continue;
    unsigned long long v[8] = {};
    std::sscanf(line + prefix.size(), "%llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1],
                &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
    // user nice system idle iowait irq softirq steal: everything but idle and iowait.
    unsigned long long ticks = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
    busy = static_cast<double>(ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
    break;
  }
  std::fclose(f);
  return busy;
}

int64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

double SelfCpuSeconds() {
  rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

}  // namespace salon::bench

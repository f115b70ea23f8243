#!/usr/bin/env bash
# Runs the same salon-load scenarios against salon, inspircd and ngircd and prints a side-by-side
# table with ratios (salon / peer). See bench/README.md.
#
# Every case gets a freshly started server, pinned to core 0, on a free loopback port; the load
# tool is pinned to core 1. Nothing is built here: build/salon and build/salon-load must exist
# (build/salon missing = salon is skipped, so the peers can be measured on their own).
#
# Usage: bench/run.sh [--quick] [--big]
#   --quick  small sizes and short runs (about a minute per server), to check the setup
#   --big    idle with 18,000 connections instead of 10,000
# Environment (defaults in brackets):
#   SERVERS="salon inspircd ngircd"   CASES="idle fanout bigroom dm churn"
#   IDLE_CLIENTS [10000]  FANOUT_CLIENTS [2000]  FANOUT_ROOM [20]  FANOUT_RATES ["5000 20000 40000 0"]
#   FANOUT_WINDOW [8]  (rate 0 = closed loop: at most this many messages in flight per sender)
#   BIGROOM_MEMBERS [1000]  BIGROOM_RATE [200]  DM_CLIENTS [2000]  DM_RATE [20000]
#   CHURN_RATE [200]  CHURN_CLIENTS [0]  DURATION [10]  WARMUP [2]  DRAIN [2]  PAYLOAD [100]
#   SALON [build/salon]  LOAD [build/salon-load]  SERVER_CPU [0]  LOAD_CPU [1]
#   RESULTS [bench/results/last-run.txt]   (RESULT lines of this run)
set -u
cd "$(dirname "$0")/.."

QUICK=0
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=1 ;;
    --big) IDLE_CLIENTS=18000 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

if [ "$QUICK" = 1 ]; then
  : "${IDLE_CLIENTS:=1000}" "${FANOUT_CLIENTS:=400}" "${FANOUT_RATES:=2000 0}"
  : "${BIGROOM_MEMBERS:=200}" "${DM_CLIENTS:=400}" "${DM_RATE:=4000}" "${CHURN_RATE:=50}"
  : "${DURATION:=3}" "${WARMUP:=1}" "${DRAIN:=1}"
fi
SERVERS=${SERVERS:-salon inspircd ngircd}
CASES=${CASES:-idle fanout bigroom dm churn}
IDLE_CLIENTS=${IDLE_CLIENTS:-10000}
FANOUT_CLIENTS=${FANOUT_CLIENTS:-2000}
FANOUT_ROOM=${FANOUT_ROOM:-20}
FANOUT_WINDOW=${FANOUT_WINDOW:-8}
FANOUT_RATES=${FANOUT_RATES:-5000 20000 40000 0}
BIGROOM_MEMBERS=${BIGROOM_MEMBERS:-1000}
BIGROOM_RATE=${BIGROOM_RATE:-200}
DM_CLIENTS=${DM_CLIENTS:-2000}
DM_RATE=${DM_RATE:-20000}
CHURN_RATE=${CHURN_RATE:-200}
CHURN_CLIENTS=${CHURN_CLIENTS:-0}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
DRAIN=${DRAIN:-2}
PAYLOAD=${PAYLOAD:-100}
SALON=${SALON:-build/salon}
LOAD=${LOAD:-build/salon-load}
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
RESULTS=${RESULTS:-bench/results/last-run.txt}

if [ ! -x "$LOAD" ]; then
  echo "run.sh: $LOAD not found; build it first (cmake --build build --target salon-load)" >&2
  exit 1
fi
ulimit -n "$(ulimit -Hn)"
# Anything else running on the two cores (a compiler, a browser) skews every figure.
read -r LOAD1 _ </proc/loadavg
if awk -v l="$LOAD1" 'BEGIN { exit !(l > 0.5) }'; then
  echo "run.sh: warning: load average is $LOAD1; figures will be noisy on a busy machine" >&2
fi
mkdir -p "$(dirname "$RESULTS")"
: > "$RESULTS"
WORK=$(mktemp -d /tmp/salon-bench.XXXXXX)
SERVER_PID=
cleanup() {
  stop_server
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    ss -Htan "( sport = :$port or dport = :$port )" | grep -q . || { echo "$port"; return; }
  done
}

# start_server NAME -> sets SERVER_PID and PORT, or returns 1.
start_server() {
  local name=$1 dir="$WORK/$1"
  rm -rf "$dir"
  mkdir -p "$dir"
  PORT=$(free_port)
  case "$name" in
    salon)
      taskset -c "$SERVER_CPU" "$SALON" --config bench/peers/salon.toml \
        --irc-listen "127.0.0.1:$PORT" --http-listen "127.0.0.1:$(free_port)" \
        --data-dir "$dir/data" >"$dir/out.log" 2>&1 &
      ;;
    inspircd)
      sed -e "s/@PORT@/$PORT/" -e "s,@DIR@,$dir," bench/peers/inspircd.conf >"$dir/inspircd.conf"
      taskset -c "$SERVER_CPU" inspircd --nofork --runasroot --config="$dir/inspircd.conf" \
        >"$dir/out.log" 2>&1 &
      ;;
    ngircd)
      sed -e "s/@PORT@/$PORT/" bench/peers/ngircd.conf >"$dir/ngircd.conf"
      chmod 755 "$dir"; chmod 644 "$dir/ngircd.conf"
      taskset -c "$SERVER_CPU" ngircd --nodaemon --config "$dir/ngircd.conf" >"$dir/out.log" 2>&1 &
      ;;
  esac
  SERVER_PID=$!
  for _ in $(seq 100); do
    if ss -Hltn "( sport = :$PORT )" | grep -q .; then return 0; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "run.sh: $name did not start listening on $PORT; log:" >&2
  tail -20 "$dir/out.log" >&2
  stop_server
  return 1
}

stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill -TERM "$SERVER_PID" 2>/dev/null
  for _ in $(seq 50); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$SERVER_PID" 2>/dev/null
  wait "$SERVER_PID" 2>/dev/null
  SERVER_PID=
}

# Case list: "label|salon-load arguments".
CASE_LINES=()
for c in $CASES; do
  case "$c" in
    idle) CASE_LINES+=("idle-$IDLE_CLIENTS|idle --clients $IDLE_CLIENTS") ;;
    fanout)
      for r in $FANOUT_RATES; do
        label=$([ "$r" = 0 ] && echo max || echo "$r")
        CASE_LINES+=("fanout-$label|fanout --clients $FANOUT_CLIENTS --room-size $FANOUT_ROOM --rate $r --window $FANOUT_WINDOW")
      done ;;
    bigroom)
      CASE_LINES+=("bigroom-$BIGROOM_MEMBERS|fanout --clients $BIGROOM_MEMBERS --room-size $BIGROOM_MEMBERS --rate $BIGROOM_RATE") ;;
    dm) CASE_LINES+=("dm-$DM_RATE|dm --clients $DM_CLIENTS --rate $DM_RATE") ;;
    churn) CASE_LINES+=("churn-$CHURN_RATE|churn --rate $CHURN_RATE --clients $CHURN_CLIENTS") ;;
    *) echo "run.sh: unknown case $c" >&2; exit 2 ;;
  esac
done

RAN_SERVERS=()
for server in $SERVERS; do
  case "$server" in
    salon)
      if [ ! -x "$SALON" ]; then
        echo "run.sh: $SALON not found, skipping salon (build it to compare)" >&2
        continue
      fi ;;
    inspircd|ngircd)
      command -v "$server" >/dev/null || { echo "run.sh: $server not installed, skipping" >&2; continue; } ;;
    *) echo "run.sh: unknown server $server" >&2; continue ;;
  esac
  RAN_SERVERS+=("$server")
  extra=()
  # ngIRCd's flood protection is only lifted by user mode +F, which an operator sets.
  [ "$server" = ngircd ] && extra=(--post-register 'OPER bench bench|MODE {nick} +F')
  for line in "${CASE_LINES[@]}"; do
    label=${line%%|*}
    args=${line#*|}
    start_server "$server" || continue
    echo "== $server $label" >&2
    # shellcheck disable=SC2086
    out=$(taskset -c "$LOAD_CPU" "$LOAD" $args --port "$PORT" --server-pid "$SERVER_PID" \
      --server-core "$SERVER_CPU" \
      --duration "$DURATION" --warmup "$WARMUP" --drain "$DRAIN" --payload "$PAYLOAD" \
      --label "$server" "${extra[@]}")
    echo "$out" | grep -v '^RESULT' >&2
    echo "$out" | grep '^RESULT' | sed "s/^RESULT /RESULT case=$label /" >>"$RESULTS"
    stop_server
  done
done

[ ${#RAN_SERVERS[@]} -gt 0 ] || exit 1
echo
echo "Results (RESULT lines in $RESULTS; ratio = salon / peer):"
awk -v servers="${RAN_SERVERS[*]}" '
  function metrics(c) {
    if (c ~ /^idle/) return "bytes_per_conn reg_per_s failed"
    if (c ~ /^fanout|^bigroom/) return "sent_per_s deliveries_per_s deliveries_per_cpu_s deliveries_per_core_s p50_ms p99_ms max_ms lost server_cpu_s server_core_busy_s tool_cpu_s"
    if (c ~ /^dm/) return "sent_per_s msgs_per_cpu_s p50_ms p99_ms max_ms lost server_cpu_s server_core_busy_s"
    if (c ~ /^churn/) return "cycles_per_s cycle_p50_ms cycle_p99_ms cycles_failed"
  }
  {
    delete kv
    for (i = 2; i <= NF; i++) { split($i, p, "="); kv[p[1]] = p[2] }
    c = kv["case"]; s = kv["server"]
    if (!(c in seen)) { seen[c] = 1; order[++n] = c }
    for (k in kv) val[c, s, k] = kv[k]
  }
  END {
    ns = split(servers, sv, " ")
    hdr = sprintf("%-16s %-22s", "case", "metric")
    for (j = 1; j <= ns; j++) hdr = hdr sprintf(" %12s", sv[j])
    has_salon = (sv[1] == "salon")
    if (has_salon) for (j = 2; j <= ns; j++) hdr = hdr sprintf(" %14s", "salon/" sv[j])
    print hdr
    for (i = 1; i <= n; i++) {
      c = order[i]
      nm = split(metrics(c), ms, " ")
      for (m = 1; m <= nm; m++) {
        row = sprintf("%-16s %-22s", c, ms[m])
        for (j = 1; j <= ns; j++) {
          v = ((c, sv[j], ms[m]) in val) ? val[c, sv[j], ms[m]] : "-"
          row = row sprintf(" %12s", v)
        }
        if (has_salon) for (j = 2; j <= ns; j++) {
          a = val[c, "salon", ms[m]]; b = val[c, sv[j], ms[m]]
          r = (a != "" && b != "" && b + 0 != 0) ? sprintf("%.2f", a / b) : "-"
          row = row sprintf(" %14s", r)
        }
        print row
      }
    }
  }' "$RESULTS"

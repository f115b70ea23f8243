#!/usr/bin/env bash
# Runs the same salon-load scenarios against salon, inspircd and ngircd and prints a side-by-side
# table with ratios (salon / peer). See bench/README.md.
# Salon also runs some cases over its WebSocket transport (ws://…/irc); the peers have no
# WebSocket listener, so those rows (idle-ws-N, fanout-ws-R, …) are salon's only, with a ratio
# ws / tcp against salon's row of the same case over plain TCP.
#
# Every case gets a freshly started server, pinned to core 0, on a free loopback port; the load
# tool is pinned to core 1. Nothing is built here: build/salon and build/salon-load must exist
# (build/salon missing = salon is skipped, so the peers can be measured on their own).
#
# The history cases (salon only, not in the default CASES; docs/history.md):
#   CASES=history  HISTORY_ROWS stored messages in one registered room (written straight into the
#                  database by bench/history-fill.sh before the server starts), then HISTORY_CLIENTS
#                  members asking CHATHISTORY LATEST <room> * 100 at each of HISTORY_RATES queries/s
#                  (0 = closed loop): history-<rows>-<rate>, latency to the end of the batch.
#   CASES=store    the fanout load at STORE_RATE msgs/s three times: store-nowindow (no history at
#                  all, [history] memory_messages = 0), store-window (the default in-memory window)
#                  and store-on (every room registered with stored history: all the messages
#                  written to SQLite): server CPU side by side.
#
# The login case (CASES=login, salon only: the peers have no built-in accounts) runs the same
# fanout load twice, without logins (login-0) and with LOGIN_RATE SASL logins/s (login-50),
# and prints them side by side; a peer in SERVERS runs login-0 as plain fanout, for reference.
#
# The automod case (CASES=automod, salon only; docs/moderation.md): the saturated fanout
# (closed loop) twice, automod-0 without rules and automod-<N> with AUTOMOD_PATTERNS words and
# patterns loaded (a rules file written by bench/automod-rules.sh, none of which matches the
# load's messages): deliveries per server CPU-second side by side.
#
# Usage: bench/run.sh [--quick] [--big] [--no-ws]
#   --quick  small sizes and short runs (about a minute per server), to check the setup
#   --big    idle with 18,000 connections instead of 10,000
#   --no-ws  no WebSocket cases (same as WS_CASES=)
# Environment (defaults in brackets):
#   SERVERS="salon inspircd ngircd"   CASES="idle fanout bigroom dm churn"
#   IDLE_CLIENTS [10000]  FANOUT_CLIENTS [2000]  FANOUT_ROOM [20]  FANOUT_RATES ["5000 20000 40000 0"]
#   FANOUT_WINDOW [8]  (rate 0 = closed loop: at most this many messages in flight per sender)
#   BIGROOM_MEMBERS [1000]  BIGROOM_RATE [200]  DM_CLIENTS [2000]  DM_RATE [20000]
#   CHURN_RATE [200]  CHURN_CLIENTS [0]  DURATION [10]  WARMUP [2]  DRAIN [2]  PAYLOAD [100]
#   LOGIN_CLIENTS [2000]  LOGIN_ROOM [20]  LOGIN_FANOUT_RATE [2000]  LOGIN_RATE [50]
#   LOGIN_ACCOUNTS [100]  (CASES="login" is not in the default CASES)
#   AUTOMOD_PATTERNS [10000]  (CASES="automod" is not in the default CASES)
#   HISTORY_ROWS [1000000]  HISTORY_CLIENTS [10]  HISTORY_RATES ["100 1000 0"]  STORE_RATE [20000]
#   STORE_THREADS_CPU [$LOAD_CPU]  (history and store cases: where salon's store threads run)
#   WS_CASES ["idle fanout"]  (of CASES, also run for salon over WebSocket; "dm churn" work too)
#   WS_FANOUT_RATES [$FANOUT_RATES]  WS_PATH [/irc]
#   SALON [build/salon]  LOAD [build/salon-load]  SERVER_CPU [0]  LOAD_CPU [1]
#   SERVER_CORE [first core of SERVER_CPU]  (whose busy time is read; SERVER_CPU may be "0,1")
#   RESULTS [bench/results/last-run.txt]   (RESULT lines of this run)
set -u
cd "$(dirname "$0")/.."

QUICK=0
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=1 ;;
    --big) IDLE_CLIENTS=18000 ;;
    --no-ws) WS_CASES= ;;
    -h|--help) sed -n '2,50p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

if [ "$QUICK" = 1 ]; then
  : "${IDLE_CLIENTS:=1000}" "${FANOUT_CLIENTS:=400}" "${FANOUT_RATES:=2000 0}"
  : "${BIGROOM_MEMBERS:=200}" "${DM_CLIENTS:=400}" "${DM_RATE:=4000}" "${CHURN_RATE:=50}"
  : "${LOGIN_CLIENTS:=400}" "${LOGIN_FANOUT_RATE:=400}" "${LOGIN_ACCOUNTS:=20}"
  : "${HISTORY_ROWS:=100000}" "${HISTORY_RATES:=100 0}" "${STORE_RATE:=2000}"
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
LOGIN_CLIENTS=${LOGIN_CLIENTS:-2000}
LOGIN_ROOM=${LOGIN_ROOM:-20}
LOGIN_FANOUT_RATE=${LOGIN_FANOUT_RATE:-2000}
LOGIN_RATE=${LOGIN_RATE:-50}
LOGIN_ACCOUNTS=${LOGIN_ACCOUNTS:-100}
HISTORY_ROWS=${HISTORY_ROWS:-1000000}
HISTORY_CLIENTS=${HISTORY_CLIENTS:-10}
HISTORY_RATES=${HISTORY_RATES:-100 1000 0}
STORE_RATE=${STORE_RATE:-20000}
AUTOMOD_PATTERNS=${AUTOMOD_PATTERNS:-10000}
SALON=${SALON:-build/salon}
LOAD=${LOAD:-build/salon-load}
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
SERVER_CORE=${SERVER_CORE:-${SERVER_CPU%%[,-]*}}
STORE_THREADS_CPU=${STORE_THREADS_CPU:-$LOAD_CPU}
RESULTS=${RESULTS:-bench/results/last-run.txt}
WS_CASES=${WS_CASES-idle fanout}
WS_FANOUT_RATES=${WS_FANOUT_RATES:-$FANOUT_RATES}
WS_PATH=${WS_PATH:-/irc}

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

# start_server NAME [keep] -> sets SERVER_PID, PORT (IRC) and HTTP_PORT (salon), or returns 1.
# With "keep", salon's data directory of the previous start stays (a prepared database).
# SALON_CONFIG (default bench/peers/salon.toml) is salon's config file.
start_server() {
  local name=$1 dir="$WORK/$1"
  if [ "${2:-}" != keep ]; then
    rm -rf "$dir"
    mkdir -p "$dir"
  fi
  PORT=$(free_port)
  HTTP_PORT=
  case "$name" in
    salon)
      HTTP_PORT=$(free_port)
      taskset -c "$SERVER_CPU" "$SALON" --config "${SALON_CONFIG:-bench/peers/salon.toml}" \
        --irc-listen "127.0.0.1:$PORT" --http-listen "127.0.0.1:$HTTP_PORT" \
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
  # Up to 30 s: a server with 10,000 automod patterns compiles them before it listens.
  for _ in $(seq 300); do
    if ss -Hltn "( sport = :$PORT )" | grep -q . &&
      { [ -z "$HTTP_PORT" ] || ss -Hltn "( sport = :$HTTP_PORT )" | grep -q .; }; then
      return 0
    fi
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

# Case list: "label|transport|salon-load arguments". WebSocket labels carry "-ws" after the
# scenario (fanout-ws-20000); removing it gives the TCP case they are compared with.
# PEER_ARGS[label]: what a peer runs instead (a login case without it is salon's only).
CASE_LINES=()
declare -A PEER_ARGS=()
# Salon-only cases that prepare the database first (PREPARE[label]: bench/history-fill.sh
# arguments after the data directory) or run with another config (CONFIG[label]).
declare -A PREPARE=()
declare -A CONFIG=()
NOWINDOW_CONFIG=$WORK/salon-nowindow.toml
{ cat bench/peers/salon.toml; printf '\n[history]\nmemory_messages = 0\n'; } >"$NOWINDOW_CONFIG"
AUTOMOD_CONFIG=$WORK/salon-automod.toml
if [[ " $CASES " == *" automod "* ]]; then
  bench/automod-rules.sh "$AUTOMOD_PATTERNS" >"$WORK/automod-rules.toml"
  { cat bench/peers/salon.toml; printf '\n[automod]\nrules_file = "%s"\n' "$WORK/automod-rules.toml"; } \
    >"$AUTOMOD_CONFIG"
fi
add_cases() {  # add_cases CASE TRANSPORT
  local c=$1 t=$2 ws='' rates=$FANOUT_RATES
  [ "$t" = ws ] && { ws=-ws; rates=$WS_FANOUT_RATES; }
  case "$c" in
    idle) CASE_LINES+=("idle$ws-$IDLE_CLIENTS|$t|idle --clients $IDLE_CLIENTS") ;;
    fanout)
      for r in $rates; do
        label=$([ "$r" = 0 ] && echo max || echo "$r")
        CASE_LINES+=("fanout$ws-$label|$t|fanout --clients $FANOUT_CLIENTS --room-size $FANOUT_ROOM --rate $r --window $FANOUT_WINDOW")
      done ;;
    bigroom)
      CASE_LINES+=("bigroom$ws-$BIGROOM_MEMBERS|$t|fanout --clients $BIGROOM_MEMBERS --room-size $BIGROOM_MEMBERS --rate $BIGROOM_RATE") ;;
    dm) CASE_LINES+=("dm$ws-$DM_RATE|$t|dm --clients $DM_CLIENTS --rate $DM_RATE") ;;
    churn) CASE_LINES+=("churn$ws-$CHURN_RATE|$t|churn --rate $CHURN_RATE --clients $CHURN_CLIENTS") ;;
    login)
      # The same fanout background without and with logins; accounts are created in both.
      bg="--clients $LOGIN_CLIENTS --room-size $LOGIN_ROOM --rate $LOGIN_FANOUT_RATE"
      CASE_LINES+=("login$ws-0|$t|login $bg --login-rate 0 --accounts $LOGIN_ACCOUNTS")
      CASE_LINES+=("login$ws-$LOGIN_RATE|$t|login $bg --login-rate $LOGIN_RATE --accounts $LOGIN_ACCOUNTS")
      PEER_ARGS["login$ws-0"]="fanout $bg" ;;
    history)
      for r in $HISTORY_RATES; do
        label=$([ "$r" = 0 ] && echo max || echo "$r")
        CASE_LINES+=("history-$HISTORY_ROWS-$label|$t|history --clients $HISTORY_CLIENTS --history-room #history --history-limit 100 --rate $r")
        PREPARE["history-$HISTORY_ROWS-$label"]="$HISTORY_ROWS #history"
      done ;;
    store)
      fan="fanout --clients $FANOUT_CLIENTS --room-size $FANOUT_ROOM --rate $STORE_RATE"
      rooms=$(seq -f '#r%g' 0 $((FANOUT_CLIENTS / FANOUT_ROOM - 1)) | tr '\n' ' ')
      CASE_LINES+=("store-nowindow-$STORE_RATE|$t|$fan")
      CONFIG["store-nowindow-$STORE_RATE"]=$NOWINDOW_CONFIG
      CASE_LINES+=("store-window-$STORE_RATE|$t|$fan")
      CASE_LINES+=("store-on-$STORE_RATE|$t|$fan")
      PREPARE["store-on-$STORE_RATE"]="0 $rooms" ;;
    automod)
      fan="fanout --clients $FANOUT_CLIENTS --room-size $FANOUT_ROOM --rate 0 --window $FANOUT_WINDOW"
      CASE_LINES+=("automod$ws-0|$t|$fan")
      CASE_LINES+=("automod$ws-$AUTOMOD_PATTERNS|$t|$fan")
      CONFIG["automod$ws-$AUTOMOD_PATTERNS"]=$AUTOMOD_CONFIG ;;
    *) echo "run.sh: unknown case $c" >&2; exit 2 ;;
  esac
}
for c in $CASES; do
  add_cases "$c" tcp
  # WebSocket cases right after the TCP ones of the same scenario: similar machine load.
  for w in $WS_CASES; do [ "$w" = "$c" ] && add_cases "$c" ws; done
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
    rest=${line#*|}
    transport=${rest%%|*}
    args=${rest#*|}
    # Only salon has a WebSocket listener (the peers' configurations have none) and accounts.
    [ "$transport" = ws ] && [ "$server" != salon ] && continue
    if [ "$server" != salon ] && [ "${label#login}" != "$label" ]; then
      args=${PEER_ARGS[$label]:-}
      [ -n "$args" ] || continue
    fi
    # History needs Salon's stored history: nothing to compare on the peers.
    if [ "$server" != salon ] && { [ "${label#history}" != "$label" ] || [ "${label#store}" != "$label" ] ||
      [ "${label#automod}" != "$label" ]; }; then
      continue
    fi
    SALON_CONFIG=${CONFIG[$label]:-bench/peers/salon.toml}
    if [ -n "${PREPARE[$label]:-}" ]; then
      # A first start creates the database and its schema; the rows go in while it is stopped.
      start_server "$server" || continue
      stop_server
      # shellcheck disable=SC2086
      bench/history-fill.sh "$WORK/$server/data" ${PREPARE[$label]} || continue
      start_server "$server" keep || continue
    else
      start_server "$server" || continue
    fi
    if [ "$server" = salon ] && { [ "${label#history}" != "$label" ] || [ "${label#store}" != "$label" ]; }; then
      # Salon's store threads (salon-writer, salon-reader) beside the load tool, the event loop
      # alone on its core: the loop is what the other cases measure, the threads' CPU is counted
      # apart (server_writer_cpu_s, server_reader_cpu_s) and in server_cpu_s.
      for task in /proc/"$SERVER_PID"/task/*; do
        case "$(cat "$task/comm" 2>/dev/null)" in
          salon-writer|salon-reader) taskset -p -c "$STORE_THREADS_CPU" "${task##*/}" >/dev/null ;;
        esac
      done
    fi
    port=$PORT
    [ "$transport" = ws ] && port=$HTTP_PORT
    echo "== $server $label" >&2
    # shellcheck disable=SC2086
    out=$(taskset -c "$LOAD_CPU" "$LOAD" $args --transport "$transport" --ws-path "$WS_PATH" \
      --port "$port" --server-pid "$SERVER_PID" \
      --server-core "$SERVER_CORE" \
      --duration "$DURATION" --warmup "$WARMUP" --drain "$DRAIN" --payload "$PAYLOAD" \
      --label "$server" "${extra[@]}")
    echo "$out" | grep -v '^RESULT' >&2
    echo "$out" | grep '^RESULT' | sed "s/^RESULT /RESULT case=$label /" >>"$RESULTS"
    stop_server
  done
done

[ ${#RAN_SERVERS[@]} -gt 0 ] || exit 1
echo
if grep -q ' case=[a-z]*-ws-' "$RESULTS"; then
  echo "Results (RESULT lines in $RESULTS; ratio = salon / peer; ws/tcp = salon over WebSocket /"
  echo "salon over TCP, same case; -ws rows are salon's only):"
else
  echo "Results (RESULT lines in $RESULTS; ratio = salon / peer):"
fi
awk -v servers="${RAN_SERVERS[*]}" '
  function metrics(c) {
    if (c ~ /^idle/) return "bytes_per_conn reg_per_s failed"
    if (c ~ /^fanout|^bigroom|^automod/) return "sent_per_s deliveries_per_s deliveries_per_cpu_s deliveries_per_core_s p50_ms p99_ms max_ms lost server_cpu_s server_core_busy_s tool_cpu_s"
    if (c ~ /^dm/) return "sent_per_s msgs_per_cpu_s p50_ms p99_ms max_ms lost server_cpu_s server_core_busy_s"
    if (c ~ /^churn/) return "cycles_per_s cycle_p50_ms cycle_p99_ms cycles_failed"
    if (c ~ /^login/) return "sent_per_s deliveries_per_s p50_ms p99_ms max_ms lost server_cpu_s server_core_busy_s tool_cpu_s accounts_created logins_per_s logins_failed login_p50_ms login_p99_ms"
    if (c ~ /^history/) return "queries_per_s lines_per_reply short_replies history_fails p50_ms p99_ms max_ms server_cpu_s server_reader_cpu_s queries_per_cpu_s server_core_busy_s"
    if (c ~ /^store/) return "sent_per_s deliveries_per_s p50_ms p99_ms max_ms lost server_cpu_s server_writer_cpu_s server_core_busy_s server_rss_kb"
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
    has_ws = 0
    for (i = 1; i <= n; i++) if (order[i] ~ /-ws-/) has_ws = 1
    if (has_ws) hdr = hdr sprintf(" %8s", "ws/tcp")
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
        if (has_ws) {
          r = "-"
          if (c ~ /-ws-/) {
            t = c; sub(/-ws-/, "-", t)
            a = val[c, "salon", ms[m]]; b = val[t, "salon", ms[m]]
            if (a != "" && b != "" && b + 0 != 0) r = sprintf("%.2f", a / b)
          }
          row = row sprintf(" %8s", r)
        }
        print row
      }
    }
  }' "$RESULTS"

# The login case side by side: the same fanout background without logins (login-0) and with
# LOGIN_RATE logins/s, salon only; the peers' plain fanout p99 at the same rate for reference.
if grep -Eq ' case=login(-ws)?-0 .*server=salon ' "$RESULTS"; then
  echo
  echo "Login ($LOGIN_RATE SASL PLAIN logins/s over $LOGIN_ACCOUNTS accounts) beside the same fanout"
  echo "load without logins ($LOGIN_CLIENTS clients, rooms of $LOGIN_ROOM, $LOGIN_FANOUT_RATE msgs/s); salon:"
  awk -v rate="$LOGIN_RATE" '
    {
      delete kv
      for (i = 2; i <= NF; i++) { split($i, p, "="); kv[p[1]] = p[2] }
      for (k in kv) val[kv["case"], kv["server"], k] = kv[k]
      if (kv["case"] ~ /^login/) servers[kv["server"]] = 1
    }
    END {
      split("sent_per_s deliveries_per_s lost p50_ms p99_ms max_ms server_cpu_s server_core_busy_s tool_cpu_s accounts_created accounts_failed logins_attempted logins_ok logins_failed logins_per_s login_p50_ms login_p99_ms login_max_ms", ms, " ")
      split("login login-ws", bases, " ")
      for (b = 1; b <= 2; b++) {
        off = bases[b] "-0"; on = bases[b] "-" rate
        if (!((off, "salon", "p99_ms") in val) || !((on, "salon", "p99_ms") in val)) continue
        printf "%-10s %-20s %14s %14s %10s\n", bases[b], "metric", "without", "with " rate "/s", "with/w.o."
        for (m = 1; m in ms; m++) {
          a = val[off, "salon", ms[m]]; w = val[on, "salon", ms[m]]
          r = (a != "" && w != "" && a + 0 != 0) ? sprintf("%.2f", w / a) : "-"
          printf "%-10s %-20s %14s %14s %10s\n", bases[b], ms[m], (a == "" ? "-" : a), (w == "" ? "-" : w), r
        }
        printf "room-message p99 with logins: %s ms (issue 6 asks for at most 5 ms)", val[on, "salon", "p99_ms"]
        ok = val[on, "salon", "logins_per_s"] + 0
        if (ok == 0) printf "; no login succeeded, so this measures no login load"
        else if (ok < 0.9 * rate) printf "; only %s of %s logins/s succeeded", ok, rate
        printf "\n"
      }
      for (s in servers) if (s != "salon" && (("login-0", s, "p99_ms") in val)) {
        printf "reference: %s, plain fanout at the same rate (no logins): p50 %s ms, p99 %s ms, max %s ms\n", s, val["login-0", s, "p50_ms"], val["login-0", s, "p99_ms"], val["login-0", s, "max_ms"]
      }
    }' "$RESULTS"
fi

# Stored history's cost: the same fanout load without any history, with the in-memory window
# (the default) and with every message stored, salon only.
if grep -Eq ' case=store-on-' "$RESULTS"; then
  echo
  echo "History cost at $STORE_RATE msgs/s ($FANOUT_CLIENTS clients, rooms of $FANOUT_ROOM); salon:"
  awk -v rate="$STORE_RATE" '
    {
      delete kv
      for (i = 2; i <= NF; i++) { split($i, p, "="); kv[p[1]] = p[2] }
      for (k in kv) val[kv["case"], k] = kv[k]
    }
    END {
      split("nowindow window on", vs, " ")
      base = val["store-nowindow-" rate, "server_cpu_s"]
      win = val["store-window-" rate, "server_cpu_s"]
      printf "%-22s %12s %12s %12s %10s %10s %16s\n", "case", "server_cpu_s", "writer_cpu_s", "others_cpu_s", "p99_ms", "sent_per_s", "cpu vs nowindow"
      for (v = 1; v <= 3; v++) {
        c = "store-" vs[v] "-" rate
        cpu = val[c, "server_cpu_s"]
        w = val[c, "server_writer_cpu_s"]
        r = (cpu != "" && base + 0 > 0) ? sprintf("%+.1f%%", 100 * (cpu / base - 1)) : "-"
        printf "%-22s %12s %12s %12.3f %10s %10s %16s\n", c, cpu, w, cpu - w, val[c, "p99_ms"], val[c, "sent_per_s"], r
      }
      on = val["store-on-" rate, "server_cpu_s"]
      if (win + 0 > 0 && on != "") printf "stored vs window only: %+.1f%% server CPU (issue 7 asks for at most +20%%)\n", 100 * (on / win - 1)
    }' "$RESULTS"
fi

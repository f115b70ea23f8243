#!/usr/bin/env bash
# Fills a stopped salon's database (<data_dir>/salon.db, already created by a first start so that
# the schema is there) with stored room history for the history benchmarks (bench/README.md):
# rooms registered (founder "bench", no such account needed) with stored history kept for
# RETENTION_DAYS, and ROWS messages in the first of them, written straight into the real schema
# (table room_history, docs/history.md) in one transaction with sqlite3's recursive CTE:
# 1,000,000 rows take seconds instead of hours of live traffic.
#
# Usage: bench/history-fill.sh DATA_DIR ROWS ROOM [ROOM...]
#   env: RETENTION_DAYS [30]  STEP_MS [50] (time between two stored messages; the newest is now)
#        PAYLOAD [100] (bytes of text per message)
set -euo pipefail
[ $# -ge 3 ] || { sed -n '2,10p' "$0" >&2; exit 2; }
db=$1/salon.db
rows=$2
shift 2
RETENTION_DAYS=${RETENTION_DAYS:-30}
STEP_MS=${STEP_MS:-50}
PAYLOAD=${PAYLOAD:-100}
[ -f "$db" ] || { echo "history-fill.sh: no $db (start and stop salon once first)" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "history-fill.sh: sqlite3 not installed" >&2; exit 1; }
fold() { tr 'A-Z[]\\~' 'a-z{}|^' <<<"$1"; }  # rfc1459, as irc::Fold
now_ms=$(($(date +%s%N) / 1000000))
{
  echo "BEGIN IMMEDIATE;"
  for room in "$@"; do
    f=$(fold "$room")
    echo "INSERT INTO rooms (name_folded, name, modes, created_at, founder, founder_folded,"
    echo "  registered_at, history_retention_s)"
    echo "VALUES ('$f', '$room', '+nt', $((now_ms / 1000)), 'bench', 'bench', $((now_ms / 1000)),"
    echo "  $((RETENTION_DAYS * 86400)))"
    echo "ON CONFLICT (name_folded) DO UPDATE SET founder = 'bench', founder_folded = 'bench',"
    echo "  history_retention_s = excluded.history_retention_s;"
  done
  first=$(fold "$1")
  if [ "$rows" -gt 0 ]; then
    # ids go on from the highest stored one, as the server's own counter does.
    echo "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $rows),"
    echo "  base(id) AS (SELECT COALESCE(MAX(id), 0) FROM room_history)"
    echo "INSERT INTO room_history (id, room_folded, time_ms, msgid, command, source, account,"
    echo "  target, text, client_tags)"
    echo "SELECT base.id + i, '$first', $now_ms - ($rows - i) * $STEP_MS, 'bench-' || (base.id + i),"
    echo "  'PRIVMSG', 'u' || (i % 100) || '!u@bench.salon', '', '$1',"
    echo "  substr('stored message ' || i || ' ' || replace(hex(zeroblob($PAYLOAD)), '0', 'x'), 1,"
    echo "  $PAYLOAD), '' FROM n, base;"
  fi
  echo "COMMIT;"
} | sqlite3 -bail "$db"
echo "history-fill.sh: $rows rows in $1 ($(du -h "$db" | cut -f1) database), rooms: $*" >&2

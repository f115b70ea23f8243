#!/usr/bin/env bash
# Writes an automod rules file with N words and patterns (default 10,000) to stdout, for the
# automod benchmark case (bench/run.sh CASES=automod; docs/moderation.md for the format).
# Deterministic: the same N gives the same file. 95% are words (whole-word literals), 5% regular
# expressions, in rules of at most 1,000 entries, all server-wide and all "block": the benchmark
# measures what every message pays for being scanned, so none of salon-load's messages
# ("<index> <seq> <time> xxxx...") may match — the generated words never contain an "x" nor a
# digit.
# Usage: bench/automod-rules.sh [N] > rules.toml
set -eu
N=${1:-10000}
awk -v n="$N" 'BEGIN {
  srand(1)
  letters = "abcdefghijklmnopqrstuvwyz"  # no x
  patterns = int(n / 20)
  words = n - patterns
  per_rule = 1000
  made = 0; rule = 0
  while (made < n) {
    rule++
    printf "[[rule]]\nname = \"bench-%d\"\n", rule
    count = (n - made < per_rule) ? n - made : per_rule
    if (made < words) {
      if (words - made < count) count = words - made
      printf "words = [\n"
      for (i = 0; i < count; i++) printf "  \"%s\",\n", word()
      printf "]\n\n"
    } else {
      printf "patterns = [\n"
      for (i = 0; i < count; i++) {
        k = (made + i) % 3
        if (k == 0) printf "  %cbuy\\s+%s\\s*now%c,\n", 39, word(), 39
        else if (k == 1) printf "  %c%s[0-9]{2,4}%c,\n", 39, word(), 39
        else printf "  %c(free|cheap)\\s+%s%c,\n", 39, word(), 39
      }
      printf "]\n\n"
    }
    made += count
  }
}
function word(   len, w, j) {
  len = 5 + int(rand() * 6)
  w = ""
  for (j = 0; j < len; j++) w = w substr(letters, 1 + int(rand() * 25), 1)
  return w
}'

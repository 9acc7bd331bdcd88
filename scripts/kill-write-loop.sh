#!/usr/bin/env bash
# Runs the kill-mid-write e2e test (test/e2e/kill-write.e2e.test.ts) N times (default 100) against the built
# CLI and prints how many runs passed, with what the kills hit: the old file intact, the new file complete,
# a writer's temp left behind (killed mid-write). Needs `npm run build` first.
#   scripts/kill-write-loop.sh [N]        KMODEL_KILL_ROUNDS=5 kills per run (the test's default)
set -uo pipefail
cd "$(dirname "$0")/.."
runs="${1:-100}"
log="$(mktemp -t kmodel-kill-log.XXXXXX)"
failures="${TMPDIR:-/tmp}/kmodel-kill-failures.log"   # vitest output of failed runs, kept for diagnosis
: > "$failures"
trap 'rm -f "$log"' EXIT
passed=0
started=$(date +%s)
for i in $(seq 1 "$runs"); do
  if out="$(KMODEL_KILL_LOG="$log" NO_COLOR=1 npx vitest run test/e2e/kill-write.e2e.test.ts 2>&1)"; then
    passed=$((passed + 1))
  else
    printf '=== run %d (%s)\n%s\n' "$i" "$(date -u +%H:%M:%S)" "$out" >> "$failures"
    echo " run $i FAILED (output in $failures)" >&2
  fi
  printf '\r%d/%d runs, %d passed' "$i" "$runs" "$passed" >&2
done
echo >&2
node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").filter(Boolean).map(JSON.parse)
const sum = (k) => lines.reduce((a, l) => a + l[k], 0)
const ms = lines.map((l) => l.fullMs).sort((a, b) => a - b)
console.log(`kills ${sum("rounds")}: old file intact ${sum("old")}, new file complete ${sum("new")}, killed mid-write (temp left) ${sum("tempLeft")}, finished before the kill ${sum("finishedBeforeKill")}; full write median ${ms[ms.length >> 1]} ms`)
' "$log"
echo "$passed/$runs passed in $(( $(date +%s) - started )) s"
[ "$passed" -eq "$runs" ]

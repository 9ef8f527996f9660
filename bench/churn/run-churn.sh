#!/usr/bin/env bash
# Churn: N load/unload cycles of one model version, each a copy into the models root (staged, then renamed
# in) and a removal by hand, as an operator or a CI pipeline would publish and retract it. After each copy
# the version must become available (and answer one prediction); after each removal it must leave. Prints
# RSS, open file descriptors and threads every 100 cycles: RSS must grow < 5 % and fds and threads must not
# grow (a leaked native handle shows as both).
# Usage: bench/churn/run-churn.sh [cycles=1000]   (MODEL_DIR=models/half_plus_two/123 for TensorFlow, ...)
set -euo pipefail
cd "$(dirname "$0")/../.."
CYCLES=${1:-1000}
PORT=${PORT:-18492}
MODEL_DIR=${MODEL_DIR:-models/sunspots-lstm/1}
BODY=${BODY-bench/sunspots-instance.json}   # one prediction per cycle; BODY= skips it (another model)
JAR=$(ls target/seqserve-*.jar 2>/dev/null | head -1 || true)
[ -n "$JAR" ] || { ./mvnw -q -B package -DskipTests; JAR=$(ls target/seqserve-*.jar | head -1); }

ROOT=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$ROOT"' EXIT
mkdir -p "$ROOT/models" "$ROOT/source"
cp -r "$MODEL_DIR" "$ROOT/source/1"
# another model stays loaded throughout, so the process never runs with no model at all
cp -r models/half_plus_two "$ROOT/models/"

OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} java ${JAVA_OPTS:-} -jar "$JAR" --server.port=$PORT \
  --seqserve.models.root="$ROOT/models" --seqserve.data.dir="$ROOT/data" --seqserve.models.poll-interval=100ms \
  --seqserve.runtime.drain-timeout=5s --logging.level.root=WARN > "$ROOT/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 240); do curl -sf "localhost:$PORT/readyz" >/dev/null && break; sleep 0.5; done
BASE="http://127.0.0.1:$PORT/v1/models/churn/versions/1"
rss() { awk '/VmRSS/ {print $2}' "/proc/$SERVER/status"; }
fds() { ls "/proc/$SERVER/fd" | wc -l; }
threads() { ls "/proc/$SERVER/task" | wc -l; }
state() { curl -s -o "$ROOT/view.json" -w '%{http_code}' "$BASE"; }

cycle() {
  rm -rf "$ROOT/models/.stage" && mkdir -p "$ROOT/models/.stage"
  cp -r "$ROOT/source/1" "$ROOT/models/.stage/1"
  mkdir -p "$ROOT/models/churn"
  mv "$ROOT/models/.stage/1" "$ROOT/models/churn/1"
  for _ in $(seq 1 600); do
    if [ "$(state)" = 200 ] && grep -q '"state":"available"' "$ROOT/view.json"; then break; fi
    if grep -q '"state":"failed"' "$ROOT/view.json" 2>/dev/null; then echo "load failed: $(cat "$ROOT/view.json")" >&2; exit 1; fi
    sleep 0.05
  done
  grep -q '"state":"available"' "$ROOT/view.json" || { echo "cycle $1: not available in 30 s" >&2; exit 1; }
  if [ -n "$BODY" ]; then
    code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary "@$BODY" "$BASE:predict")
    [ "$code" = 200 ] || { echo "cycle $1: prediction answered $code" >&2; exit 1; }
  fi
  rm -rf "$ROOT/models/churn/1"
  for _ in $(seq 1 600); do
    [ "$(state)" = 404 ] && break
    sleep 0.05
  done
  [ "$(state)" = 404 ] || { echo "cycle $1: still there 30 s after removal" >&2; exit 1; }
}

echo "seqserve $(git rev-parse --short HEAD 2>/dev/null), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), model $MODEL_DIR"
for i in $(seq 1 20); do cycle "$i"; done   # warm-up: class loading, JIT, the engine's own caches
sleep 3
RSS0=$(rss); FDS0=$(fds); THREADS0=$(threads)
START=$(date +%s)
printf '%6s %9s %6s %8s %6s\n' cycle "RSS MB" fds threads "s"
row() { printf '%6d %9.1f %6d %8d %6d\n' "$1" "$(awk -v k="$2" 'BEGIN {print k/1024}')" "$3" "$4" "$5"; }
row 0 "$RSS0" "$FDS0" "$THREADS0" 0
for i in $(seq 1 "$CYCLES"); do
  cycle "$i"
  if [ $((i % 100)) -eq 0 ] || [ "$i" -eq "$CYCLES" ]; then
    row "$i" "$(rss)" "$(fds)" "$(threads)" $(( $(date +%s) - START ))
  fi
done
sleep 3
awk -v b="$RSS0" -v a="$(rss)" -v fb="$FDS0" -v fa="$(fds)" -v tb="$THREADS0" -v ta="$(threads)" -v n="$CYCLES" 'BEGIN {
  printf "after %d cycles: RSS %+.1f %% (bound 5 %%), open fds %+d, threads %+d\n", n, (a-b)*100/b, fa-fb, ta-tb }'

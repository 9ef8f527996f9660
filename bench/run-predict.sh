#!/usr/bin/env bash
# :predict throughput and latency of the sunspots LSTM (TorchScript) over HTTP, with batching on and off,
# plus the HTTP floor (a trivial endpoint). Usage: bench/run-predict.sh [seconds-per-run]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-20}
PORT=${PORT:-8089}
JAR=$(ls target/seqserve-*.jar 2>/dev/null | head -1 || true)
[ -n "$JAR" ] || { ./mvnw -q -B package -DskipTests; JAR=$(ls target/seqserve-*.jar | head -1); }
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }

ROOT=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$ROOT"' EXIT
for variant in b32:32 b1:1; do
  name=sunspots-${variant%%:*}; size=${variant##*:}
  mkdir -p "$ROOT/$name/1"
  cp models/sunspots-lstm/1/sunspots_lstm_w24.pt "$ROOT/$name/1/"
  cat > "$ROOT/$name/1/seqserve.yaml" <<YAML
format: torchscript
inputs:
  - {name: input, dtype: float32, shape: [-1, 24, 1]}
batching: {max_batch_size: $size, max_delay_ms: 0}
YAML
done

OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} java -jar "$JAR" --server.port=$PORT --seqserve.models.root="$ROOT" --logging.level.root=WARN > "$ROOT/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 120); do curl -sf "localhost:$PORT/readyz" >/dev/null && break; sleep 0.5; done

run() { # label url connections script
  local label=$1 url=$2 conns=$3; shift 3
  local threads=$(( conns < 2 ? conns : 2 ))   # wrk needs connections >= threads
  wrk -t$threads -c"$conns" -d5s "$@" "$url" >/dev/null 2>&1   # warm-up
  local out; out=$(wrk -t$threads -c"$conns" -d"${DURATION}s" --latency "$@" "$url")
  printf '%-28s c=%-3s %10s req/s  %s\n' "$label" "$conns" "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" \
    "$(echo "$out" | grep -E '^p50=' || echo "$out" | awk '/ 50%/ {p50=$2} / 99%/ {p99=$2} END {print "p50=" p50 " p99=" p99}')"
}
echo "seqserve $(git rev-parse --short HEAD 2>/dev/null), $(nproc) cores, ${DURATION}s per run"
run "HTTP floor (/v2/health/live)" "http://127.0.0.1:$PORT/v2/health/live" 32
for c in 1 32; do
  run "predict batching on (b32)" "http://127.0.0.1:$PORT/v1/models/sunspots-b32:predict" $c -s bench/predict.lua
  run "predict batching off (b1)" "http://127.0.0.1:$PORT/v1/models/sunspots-b1:predict" $c -s bench/predict.lua
done
curl -s "localhost:$PORT/actuator/prometheus" | grep -E '^seqserve_batch_size_(sum|count)\{' | sed 's/application="seqserve",//'

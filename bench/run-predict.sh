#!/usr/bin/env bash
# :predict throughput and latency of the sunspots LSTM (TorchScript) over HTTP, with batching on and off,
# V2 infer on the same model, and the HTTP floor (a trivial endpoint), all against one server in one run.
# Starts the jar as a user would (no OMP_NUM_THREADS), warms up, measures, prints a summary, stops it.
# Usage: bench/run-predict.sh [seconds-per-run, default 20] [warm-up seconds, default 40]
# Prints per run: req/s, latency percentiles, non-2xx, and the server's CPU time per request (which
# other processes on the machine disturb far less than req/s). Then, with the server stopped, the same
# model's in-process call (bench/jmh, one DJL Predictor, batch 1, one intra-op thread) for the one-client
# comparison; INPROC=0 skips it.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
DURATION=${1:-20}
WARMUP=${2:-40}
PORT=${PORT:-8089}
bench_need wrk curl
JAR=${JAR:-$(bench_jar)}
WORK=$(mktemp -d)
trap 'bench_stop; rm -rf "$WORK"' EXIT
for variant in b32:32 b1:1; do
  name=sunspots-${variant%%:*}; size=${variant##*:}
  mkdir -p "$WORK/models/$name/1"
  cp models/sunspots-lstm/1/sunspots_lstm_w24.pt "$WORK/models/$name/1/"
  cat > "$WORK/models/$name/1/seqserve.yaml" <<YAML
format: torchscript
inputs:
  - {name: input, dtype: float32, shape: [-1, 24, 1]}
batching: {max_batch_size: $size, max_delay_ms: 0}
YAML
done

echo "run-predict: $(bench_machine), jar $JAR, ${DURATION}s per run after ${WARMUP}s of warm-up"
bench_start "$PORT" "$WORK/server.log" ${OMP_NUM_THREADS:+OMP_NUM_THREADS=$OMP_NUM_THREADS} -- --seqserve.models.root="$WORK/models"
bench_wait_ready "$PORT" 300 || { tail -20 "$WORK/server.log"; exit 1; }
URL=http://127.0.0.1:$PORT
B32=$URL/v1/models/sunspots-b32:predict
if [ "$WARMUP" -gt 0 ]; then   # steady state: the JIT has compiled the HTTP path of every run below
  half=$(( WARMUP / 2 > 0 ? WARMUP / 2 : 1 )); quarter=$(( WARMUP / 4 > 0 ? WARMUP / 4 : 1 ))  # wrk refuses 0 s
  wrk -t2 -c32 -d"${half}s" -s bench/predict.lua "$B32" >/dev/null
  wrk -t2 -c32 -d"${quarter}s" "$URL/v2/health/live" >/dev/null
  BODY=bench/sunspots-v2.json wrk -t2 -c32 -d"${quarter}s" -s bench/predict.lua "$URL/v2/models/sunspots-b32/infer" >/dev/null
fi

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER/stat"; }
declare -A RPS
run() { # key label url connections [wrk args...]
  local key=$1 label=$2 url=$3 conns=$4; shift 4
  local threads=$(( conns < 2 ? conns : 2 ))   # wrk needs connections >= threads
  local before after out rps
  before=$(cpu_ticks)
  out=$(wrk -t$threads -c"$conns" -d"${DURATION}s" --latency "$@" "$url")
  after=$(cpu_ticks)
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  RPS[$key]=$rps
  [ "$key" = b1c1 ] && P50_B1C1=$(echo "$out" | sed -n 's/^p50=\([0-9.]*\)ms.*/\1/p')
  local lat; lat=$(echo "$out" | grep -E '^p50=' || echo "$out" | awk '/ 50%/ {p50=$2} / 99%/ {p99=$2} END {print "p50=" p50 " p99=" p99}')
  local total; total=$(echo "$out" | awk '/requests in/ {print $1}')
  printf '%-34s c=%-3s %9s req/s  %s  server CPU %s us/req\n' "$label" "$conns" "$rps" "$lat" \
    "$(awk -v d=$((after - before)) -v n="$total" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", n ? d * 1e6 / hz / n : 0 }')"
}
run floor "HTTP floor (GET /v2/health/live)" "$URL/v2/health/live" 32 -s bench/get.lua
for c in 1 32; do
  run "b32c$c" "predict, batching on (b32)" "$B32" $c -s bench/predict.lua
  run "b1c$c" "predict, batching off (b1)" "$URL/v1/models/sunspots-b1:predict" $c -s bench/predict.lua
done
BODY=bench/sunspots-v2.json run v2 "V2 infer, batching on (b32)" "$URL/v2/models/sunspots-b32/infer" 32 -s bench/predict.lua
awk -v p="${RPS[b32c32]}" -v f="${RPS[floor]}" 'BEGIN { printf "predict (b32, 32 clients) / HTTP floor, same run: %.0f %%\n", 100 * p / f }'
curl -s "$URL/actuator/prometheus" | awk '/^seqserve_batch_size_(sum|count)\{.*sunspots-b32/ { v[$1 ~ /sum/ ? "sum" : "count"] = $2 }
  END { if (v["count"]) printf "b32 passes: %d for %d requests (%.1f per pass)\n", v["count"], v["sum"], v["sum"] / v["count"] }'

if [ "${INPROC:-1}" = 1 ]; then
  bench_stop
  [ -f bench/jmh/target/benchmarks.jar ] || (cd bench/jmh && ../../mvnw -q -B package >&2)
  java -jar bench/jmh/target/benchmarks.jar PredictorLoopBenchmark -p batch=1 -bm sample -tu ms -f 1 -wi 2 -w 3 -i 3 -r 5 \
    -jvmArgsAppend "-Dmodel.dir=$PWD/models/sunspots-lstm/1 -Dai.djl.pytorch.num_threads=1" >"$WORK/jmh.out" 2>&1 || true
  INPROC_P50=$(awk '/predict(·|:)p0.50 / { print $(NF-1) }' "$WORK/jmh.out")
  echo "in-process call (bench/jmh, batch 1): p50 ${INPROC_P50:-?} ms"
  awk -v h="$P50_B1C1" -v i="$INPROC_P50" 'BEGIN { if (h != "" && i != "") printf "one client over HTTP (batching off) p50 %.2f ms: %.2f ms above the in-process call, same run\n", h, h - i }'
fi

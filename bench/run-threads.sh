#!/usr/bin/env bash
# Thread defaults: the same :predict load against a plain `java -jar` (no OMP_NUM_THREADS, no flags) and
# against the jar started with OMP_NUM_THREADS=1 (the hand-tuned setting seqserve needed before its
# workers set their own OpenMP team size), one after the other in one run. Each server: the sunspots LSTM
# (TorchScript, max_batch_size 32), WARMUP seconds of load, then DURATION seconds measured with wrk -t2 -c32.
# Usage: bench/run-threads.sh [seconds, default 20] [warm-up seconds, default 40]
# ROUNDS=n runs n pairs, the first server alternating (use an even n); the summary compares the means.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
DURATION=${1:-20}
WARMUP=${2:-40}
PORT=${PORT:-8090}
bench_need wrk curl
JAR=${JAR:-$(bench_jar)}
WORK=$(mktemp -d)
trap 'bench_stop; rm -rf "$WORK"' EXIT
mkdir -p "$WORK/models/sunspots-b32/1"
cp models/sunspots-lstm/1/sunspots_lstm_w24.pt "$WORK/models/sunspots-b32/1/"
cat > "$WORK/models/sunspots-b32/1/seqserve.yaml" <<YAML
format: torchscript
inputs:
  - {name: input, dtype: float32, shape: [-1, 24, 1]}
batching: {max_batch_size: 32, max_delay_ms: 0}
YAML

echo "run-threads: $(bench_machine), ${DURATION}s measured after ${WARMUP}s of load"
declare -A RPS P99
ROUNDS=${ROUNDS:-1}
# Rounds alternate which server goes first (plain tuned, tuned plain, ...), so that the order, which moved
# single pairs by up to 20 % on this machine, cancels out over an even number of rounds.
for variant in $(for r in $(seq "$ROUNDS"); do if [ $((r % 2)) = 1 ]; then echo plain tuned; else echo tuned plain; fi; done); do
  if [ $variant = plain ]; then envs=(); else envs=(OMP_NUM_THREADS=1); fi
  bench_start "$PORT" "$WORK/$variant.log" "${envs[@]}" -- --seqserve.models.root="$WORK/models"
  bench_wait_ready "$PORT" 300 || { tail -20 "$WORK/$variant.log"; exit 1; }
  URL=http://127.0.0.1:$PORT/v1/models/sunspots-b32:predict
  wrk -t2 -c32 -d"${WARMUP}s" -s bench/predict.lua "$URL" >/dev/null
  # native threads of the worker: 1 means its PyTorch passes run on a team of one
  workers=$(for t in /proc/$SERVER/task/*; do cat "$t/comm"; done 2>/dev/null | grep -c '^worker-sunspots' || true)
  out=$(wrk -t2 -c32 -d"${DURATION}s" --latency -s bench/predict.lua "$URL")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | sed -n 's/.*p99=\([0-9.]*\)ms.*/\1/p')
  RPS[$variant]="${RPS[$variant]:-} $rps"
  P99[$variant]="${P99[$variant]:-} $p99"
  printf '%-6s %-22s %9s req/s  %s  native worker threads: %s\n' "$variant" "${envs[*]:-(no environment)}" \
    "$rps" "$(echo "$out" | grep -E '^p50=')" "$workers"
  bench_stop
done
mean() { echo "$1" | awk '{ s = 0; for (i = 1; i <= NF; i++) s += $i; printf "%.2f", s / NF }'; }
awk -v p="$(mean "${RPS[plain]}")" -v t="$(mean "${RPS[tuned]}")" -v pp="$(mean "${P99[plain]}")" \
  -v tp="$(mean "${P99[tuned]}")" -v n="$ROUNDS" \
  'BEGIN { printf "plain / tuned, same run (mean of %d): %.0f %% of the req/s (%.0f vs %.0f), p99 %.2f ms vs %.2f ms\n", n, 100 * p / t, p, t, pp, tp }'

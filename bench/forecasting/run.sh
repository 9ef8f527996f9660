#!/usr/bin/env bash
# Forecasting: 100 series x horizon 24 in one request vs 100 single-series requests (1 and 8 clients), on
# the demo models of each engine. Starts the jar on a copy of models/, waits for /readyz, runs
# forecast_bench.py (its own warm-up rounds first) per model, prints its summary, stops the jar.
# Usage: bench/forecasting/run.sh [rounds, default 10]
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib.sh
ROUNDS=${1:-10}
PORT=${PORT:-18123}
bench_need curl python3
JAR=${JAR:-$(bench_jar)}
WORK=$(mktemp -d)
trap 'bench_stop; rm -rf "$WORK"' EXIT
cp -r models "$WORK/models"
echo "forecasting/run.sh: $(bench_machine)"
bench_start "$PORT" "$WORK/server.log" -- --seqserve.models.root="$WORK/models"
bench_wait_ready "$PORT" 300 || { tail -20 "$WORK/server.log"; exit 1; }
for model in sunspots-lstm sunspots-lstm-onnx msft-lstm; do
  python3 bench/forecasting/forecast_bench.py --url "http://127.0.0.1:$PORT" --model "$model" --rounds "$ROUNDS"
done

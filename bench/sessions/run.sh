#!/usr/bin/env bash
# Live sessions vs resending the history, and 1,000 sessions at once: one self-contained run.
# Builds the jar if needed, starts it on a temporary models root (two copies of the stateful GRU export,
# gru-live for sessions and gru-fc for :forecast, so each has its own model-time meters), warms up, measures,
# prints, stops. Usage: bench/sessions/run.sh [seconds-of-the-1000-session-run] [warm-up-seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-20}
WARMUP=${2:-40}
PORT=${PORT:-8091}
BUILT=$(ls target/seqserve-*.jar 2>/dev/null | grep -v original | head -1 || true)
[ -n "$BUILT" ] || { ./mvnw -q -B package -DskipTests; BUILT=$(ls target/seqserve-*.jar | grep -v original | head -1); }
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
MODEL=src/test/resources/shared-models/pytorch/stateful/sunspots_gru_state
MEAN=$(python3 -c "import json;print(json.load(open('$MODEL/meta.json'))['mean'])")
STD=$(python3 -c "import json;print(json.load(open('$MODEL/meta.json'))['std'])")

ROOT=$(mktemp -d)
DATA=$(mktemp -d)
JAR="$DATA/seqserve.jar"   # a copy: a build during the run must not replace the jar under the server
cp "$BUILT" "$JAR"
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$ROOT" "$DATA"' EXIT
for name in gru-live gru-fc; do
  mkdir -p "$ROOT/$name/1"
  cp "$MODEL/model.pt" "$ROOT/$name/1/"
  cat > "$ROOT/$name/1/seqserve.yaml" <<YAML
format: torchscript
task: forecasting
inputs:
  - {name: input, dtype: float32, shape: [-1, -1, 1]}
  - {name: h0, dtype: float32, shape: [1, -1, 32]}
outputs:
  - {name: output, dtype: float32, shape: [-1, 1]}
  - {name: hN, dtype: float32, shape: [1, -1, 32]}
state: {inputs: [h0], outputs: [hN], batch_axis: 1}
forecasting: {window: 24, features: 1, output: next_step, scaling: {method: zscore, mean: [$MEAN], std: [$STD]}}
YAML
done

java -Xmx2g -jar "$JAR" --server.port=$PORT --seqserve.models.root="$ROOT" \
  --seqserve.data.dir="$DATA" --seqserve.sessions.max-sessions=20000 --seqserve.forecasting.max-points=2000000 \
  --seqserve.web.max-request-size=64MB --server.tomcat.max-connections=4096 --logging.level.root=WARN \
  > "$DATA/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 240); do curl -sf "localhost:$PORT/readyz" >/dev/null && break; sleep 0.5; done
curl -sf "localhost:$PORT/readyz" >/dev/null || { echo "server not ready"; tail -50 "$DATA/server.log"; exit 1; }
bench() { java bench/sessions/SessionBench.java "$PORT" "$SERVER" "$@"; }

echo "seqserve $(git rev-parse --short HEAD 2>/dev/null), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"
bench warmup "$WARMUP"
bench latency

# 1,000 sessions observing at once: wrk, one connection per session, one call at a time on each.
bench open 1000 "$DATA/sessions.txt"
read -r ROWS0 PASSES0 MODEL0 <<<"$(bench passes)"
OUT=$(SESSIONS="$DATA/sessions.txt" THREADS=2 wrk -t2 -c1000 -d"${DURATION}s" --latency -s bench/sessions/observe.lua "http://127.0.0.1:$PORT")
read -r ROWS1 PASSES1 MODEL1 <<<"$(bench passes)"
echo
echo "1,000 sessions observing at once (wrk -t2 -c1000, ${DURATION} s): $(echo "$OUT" | awk '/Requests\/sec/ {print $2}') observations/s,"\
 "p50 $(echo "$OUT" | awk '/ 50%/ {print $2}'), p99 $(echo "$OUT" | awk '/ 99%/ {print $2}'),"\
 "non-2xx: $(echo "$OUT" | awk '/Non-2xx/ {print $5}' | grep . || echo 0);"\
 "$(python3 -c "print(f'{($ROWS1-$ROWS0)/max(1,$PASSES1-$PASSES0):.1f} session steps per forward pass, {100*($MODEL1-$MODEL0)/$DURATION:.1f}% of the time in forward passes')")"
bench close "$DATA/sessions.txt"
echo
bench memory

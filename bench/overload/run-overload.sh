#!/usr/bin/env bash
# Overload: measures :predict capacity (sunspots LSTM, TorchScript, batching on) at C connections, then offers
# 10x that concurrency for 60 s. Every answer must be 200 or 429 with Retry-After; the p99 of admitted requests
# (server-side histogram) must stay bounded by the queue; RSS after the load must come back within 10 % of
# before. Usage: bench/overload/run-overload.sh [connections=32] [overload-seconds=60]
# (JAVA_OPTS: JVM options; APP_ARGS: extra application arguments, e.g. --server.tomcat.threads.max=64)
set -euo pipefail
cd "$(dirname "$0")/../.."
CONNS=${1:-32}
SECONDS_OVER=${2:-60}
PORT=${PORT:-18491}
QUEUE=${QUEUE:-256}
JAR=$(ls target/seqserve-*.jar 2>/dev/null | head -1 || true)
[ -n "$JAR" ] || { ./mvnw -q -B package -DskipTests; JAR=$(ls target/seqserve-*.jar | head -1); }
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }

ROOT=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$ROOT"' EXIT
mkdir -p "$ROOT/models/sunspots/1"
cp models/sunspots-lstm/1/sunspots_lstm_w24.pt "$ROOT/models/sunspots/1/"
cat > "$ROOT/models/sunspots/1/seqserve.yaml" <<YAML
format: torchscript
inputs:
  - {name: input, dtype: float32, shape: [-1, 24, 1]}
batching: {max_batch_size: 32, max_delay_ms: 0, queue_capacity: $QUEUE}
YAML

# as the image runs it (Dockerfile): glibc keeps at most 2 malloc arenas instead of one per busy thread
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} java ${JAVA_OPTS:-} -jar "$JAR" --server.port=$PORT \
  --seqserve.models.root="$ROOT/models" --seqserve.data.dir="$ROOT/data" --logging.level.root=WARN ${APP_ARGS:-} \
  > "$ROOT/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 240); do curl -sf "localhost:$PORT/readyz" >/dev/null && break; sleep 0.5; done
URL="http://127.0.0.1:$PORT/v1/models/sunspots:predict"
rss() { awk '/VmRSS/ {print $2}' "/proc/$SERVER/status"; }
fds() { ls "/proc/$SERVER/fd" | wc -l; }
threads() { ls "/proc/$SERVER/task" | wc -l; }

echo "seqserve $(git rev-parse --short HEAD 2>/dev/null), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
wrk -t2 -c"$CONNS" -d10s -s bench/overload/statuses.lua "$URL" > /dev/null   # warm-up
capacity=$(wrk -t2 -c"$CONNS" -d15s -s bench/overload/statuses.lua "$URL")
echo "== capacity: $CONNS connections, 15 s"
echo "$capacity" | grep -E 'Requests/sec|statuses|p99'
sleep 5
RSS_BEFORE=$(rss); FDS_BEFORE=$(fds); THREADS_BEFORE=$(threads)
curl -s "localhost:$PORT/actuator/prometheus" > "$ROOT/before.txt"

OVER=$((CONNS * 10))
echo "== overload: $OVER connections (10x the concurrency that saturates it), ${SECONDS_OVER} s, queue capacity $QUEUE"
overload=$(wrk -t2 -c"$OVER" -d"${SECONDS_OVER}s" --timeout 30s -s bench/overload/statuses.lua "$URL")
echo "$overload" | grep -E 'Requests/sec|statuses|Retry-After|socket|p99'
RSS_PEAK=$(rss); THREADS_PEAK=$(threads)
curl -s "localhost:$PORT/actuator/prometheus" > "$ROOT/after.txt"
python3 bench/overload/histogram.py "$ROOT/before.txt" "$ROOT/after.txt" sunspots

SETTLE=${SETTLE:-90}   # longer than Tomcat's 60 s idle timeout, after which its extra threads end
sleep "$SETTLE"
RSS_AFTER=$(rss)
echo "== memory and handles (RSS in MB)"
awk -v b="$RSS_BEFORE" -v p="$RSS_PEAK" -v a="$RSS_AFTER" -v s="$SETTLE" 'BEGIN {
  printf "RSS before %.0f, at the end of the load %.0f, %d s later %.0f: %+.1f %% against before (bound: 10 %%)\n",
    b/1024, p/1024, s, a/1024, (a-b)*100/b }'
echo "open fds before $FDS_BEFORE, after $(fds); threads before $THREADS_BEFORE, at the end of the load $THREADS_PEAK, after $(threads)"
curl -s "localhost:$PORT/actuator/prometheus" | grep -E '^seqserve_requests_rejected_total' | sed 's/application="seqserve",//'

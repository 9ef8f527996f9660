#!/usr/bin/env bash
# Throughput from the moment a replica says it is ready: launches the jar on a copy of the demo models,
# polls /readyz every 50 ms, and the instant it answers 200 starts wrk -t2 -c32 on sunspots-lstm:predict
# (one window per request) for DURATION seconds, then prints requests/s in 5-second buckets from ready,
# the launch-to-ready time, and the first 10 s against the steady state (the mean of the last 30 s).
# Usage: bench/run-from-ready.sh [seconds-from-ready, default 90] [extra app args...]
# IMAGE_JVM=1 starts the server as the container image does (Dockerfile): the extracted jar, a JVM
# cache recorded first by deploy/docker/train-aot-cache.sh, -XX:AOTCache, and the ENTRYPOINT's
# deploy/docker/seqserve-java (a second JIT compiler thread below 4 CPUs). It needs `java` 25 or
# later on the PATH (for example PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH); the recording
# (about 40 s) is not part of the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
DURATION=${1:-90}; shift || true
PORT=${PORT:-8091}
bench_need wrk curl
JAR=$(bench_jar)
WORK=$(mktemp -d)
trap 'bench_stop; rm -rf "$WORK"' EXIT
cp -r models "$WORK/models"

echo "run-from-ready: $(bench_machine)"
echo "java: $(java -version 2>&1 | head -1)"
if [ -n "${IMAGE_JVM:-}" ]; then
  java -Djarmode=tools -jar "$JAR" extract --destination "$WORK/app" --application-filename seqserve.jar >/dev/null
  cp -r models "$WORK/training-models"
  echo "recording the JVM cache (deploy/docker/train-aot-cache.sh):"
  # The ENTRYPOINT's "--" options (module and native access), read from the Dockerfile so the two agree.
  IMAGE_OPTS=$(sed -n '/^ENTRYPOINT/,/seqserve.jar/p' Dockerfile | grep -o '"--[^"]*"' | tr -d '"' | tr '\n' ' ')
  [ -n "$IMAGE_OPTS" ] || { echo "no JVM options found in the Dockerfile's ENTRYPOINT" >&2; exit 1; }
  deploy/docker/train-aot-cache.sh "$WORK/app/seqserve.jar" "$WORK/training-models" "$WORK/seqserve.aot" $IMAGE_OPTS | sed 's/^/  /'
  JAR=seqserve.jar JAR_DIR="$WORK/app" JAVA_CMD="$PWD/deploy/docker/seqserve-java"
  JAVA_OPTS="-XX:AOTCache=$WORK/seqserve.aot $IMAGE_OPTS ${JAVA_OPTS:-}"
fi
echo "environment: OMP_NUM_THREADS=${OMP_NUM_THREADS:-unset} JAVA_OPTS=${JAVA_OPTS:-none}"
if [ -n "${OMP_NUM_THREADS:-}" ]; then OMP=(OMP_NUM_THREADS="$OMP_NUM_THREADS"); else OMP=(); fi
bench_start "$PORT" "$WORK/server.log" "${OMP[@]}" -- --seqserve.models.root="$WORK/models" "$@"
bench_wait_ready "$PORT" 180 || { tail -20 "$WORK/server.log"; exit 1; }
if [ -n "${IMAGE_JVM:-}" ] && grep -E '\[(aot|cds) *\]' "$WORK/server.log"; then
  echo "the JVM cache did not load (above): no figures" >&2; exit 1
fi
if [ -n "${PRE_WARM:-}" ]; then  # experiment: light load before the curve, as a warm-up before readiness would
  wrk -t1 -c${PRE_WARM_CLIENTS:-2} -d"${PRE_WARM}s" -s bench/predict.lua "http://127.0.0.1:$PORT/v1/models/sunspots-lstm:predict" | grep -E 'Requests/sec'
  READY_MS=$(now_ms)
fi
bench_cpu_sampler "$SERVER" "$WORK/cpu" &
wrk -t2 -c32 -d"${DURATION}s" -s bench/curve.lua "http://127.0.0.1:$PORT/v1/models/sunspots-lstm:predict" >"$WORK/wrk.out"
grep -E '^(non2xx)' "$WORK/wrk.out" || true
grep -hoE '(HTTP warm-up: .*|[^ ]+ [0-9]+: [0-9]+ warm-up passes on each worker in [0-9]+ ms)' "$WORK/server.log" || true

# The server's CPU time per request in each bucket shows warm-up cost even when other processes share
# the cores and make req/s noisy.
awk -v ready_ms="$READY_MS" -v launch_ms="$LAUNCH_MS" -v duration="$DURATION" -v hz="$(getconf CLK_TCK)" '
  FILENAME ~ /cpu$/ { cpu[$1] = $2; next }
  /^second / { n[$2] = $3 }
  END {
    start = int(ready_ms / 1000)
    printf "ready %.1f s after launch\n", (ready_ms - launch_ms) / 1000
    buckets = int(duration / 5)
    for (s in n) { b = int((s - start) / 5); if (b >= 0 && b < buckets) sum[b] += n[s] }
    line = "req/s per 5 s from ready:"
    for (b = 0; b < buckets; b++) line = line sprintf(" %d", sum[b] / 5)
    print line
    line = "server CPU ms per request:"
    for (b = 0; b < buckets; b++) {
      a = start + 5 * b; z = a + 5
      for (k = 0; k < 3 && !(a in cpu); k++) a--   # the sampler can miss a second on a busy machine
      for (k = 0; k < 3 && !(z in cpu); k++) z--
      if ((a in cpu) && (z in cpu) && z > a && sum[b] > 0) line = line sprintf(" %.3f", (cpu[z] - cpu[a]) * 1000 / hz / sum[b])
      else line = line " ?"
    }
    print line
    first = (sum[0] + sum[1]) / 10
    steady_b = buckets - 2 < 6 ? buckets - 2 : 6; steady = 0   # the last 30 s, after the first 10 at least
    if (steady_b < 1) { print "(run at least 15 s from ready for a steady-state figure)"; exit }
    for (b = buckets - steady_b; b < buckets; b++) steady += sum[b]
    steady /= steady_b * 5
    printf "first 10 s: %d req/s; steady state (last %d s): %d req/s; first 10 s / steady = %.0f %%\n", first, steady_b * 5, steady, steady ? 100 * first / steady : 0
  }' "$WORK/cpu" "$WORK/wrk.out"

#!/bin/sh
# Records the JVM's ahead-of-time cache (JDK 25+: -XX:AOTCacheOutput, JEPs 483, 514 and 515) from one
# start of seqserve: the server's own HTTP warm-up sends :predict requests through every engine and model
# version before /readyz answers, which is the training workload; the server is then stopped (SIGTERM)
# and the JVM writes the cache as it exits. Used by the Dockerfile and by bench/run-from-ready.sh.
#   train-aot-cache.sh <seqserve.jar of an extracted layout> <models dir> <cache file> [java options...]
# The cache only fits the JVM, the jar files and the class path it was recorded with: run the server
# with the same java, from the same jar path, with -XX:AOTCache=<cache file>.
# The server takes a free port (an image build may share the host's network); AOT_TRAINING_WARM_UP
# (default 20s) sets its warm-up.
set -eu
jar=$1
models=$2
cache=$3
shift 3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$(dirname "$jar")"
java -XX:AOTCacheOutput="$cache" "$@" -jar "$(basename "$jar")" --server.port=0 \
  --seqserve.models.root="$models" --seqserve.data.dir="$work/data" \
  --seqserve.predict.warm-up="${AOT_TRAINING_WARM_UP:-20s}" >"$work/server.log" 2>&1 &
server=$!
ready=0
port=
for _ in $(seq 1 600); do
  [ -n "$port" ] || port=$(sed -n 's/.*Tomcat started on port \([0-9]*\).*/\1/p' "$work/server.log" | head -1)
  if [ -n "$port" ] && curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null; then ready=1; break; fi
  kill -0 "$server" 2>/dev/null || break
  sleep 0.5
done
if [ "$ready" != 1 ]; then
  echo "train-aot-cache.sh: the server did not get ready; its log:" >&2
  tail -40 "$work/server.log" >&2
  kill -9 "$server" 2>/dev/null || true
  exit 1
fi
grep -o 'HTTP warm-up: .*' "$work/server.log" || true
kill -TERM "$server"
wait "$server" || true   # a JVM stopped by SIGTERM exits with 143
if [ ! -s "$cache" ]; then
  echo "train-aot-cache.sh: no cache was written; the server's log:" >&2
  tail -40 "$work/server.log" >&2
  exit 1
fi
grep -E 'AOTCache creation is complete' "$work/server.log" || true

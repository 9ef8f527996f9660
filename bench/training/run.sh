#!/usr/bin/env bash
# Training throughput of a seqserve job (through the API of a real server) against bare DJL loops on the
# same data and architecture. Usage: bench/training/run.sh [rounds] [epochs] [warm-up rounds]  (defaults 5, 20, 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-5}
EPOCHS=${2:-20}
WARMUP=${3:-3}
PORT=${PORT:-18481}
./mvnw -o -q -DskipTests package
CP=$(./mvnw -o -q dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=/dev/stdout)
WORK=$(mktemp -d)
java -jar target/seqserve-*.jar --server.port="$PORT" --seqserve.models.root="$WORK/models" \
  --seqserve.data.dir="$WORK/data" > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER; rm -rf "$WORK"' EXIT
until curl -sf "http://127.0.0.1:$PORT/actuator/health/readiness" > /dev/null; do sleep 0.5; done
java -cp "target/classes:$CP" bench/training/TrainingBench.java "http://127.0.0.1:$PORT" "$ROUNDS" "$EPOCHS" "$WARMUP"

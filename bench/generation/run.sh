#!/usr/bin/env bash
# Text generation: tokens/s at 1 and 16 concurrent streams (step batching) for the whole-history,
# windowed and stateful GRU. Builds the bench models from the test sources (BenchModels), starts the jar on
# them, runs GenerationBench per model (best of REPEATS), prints the summary, stops the jar.
# Usage: bench/generation/run.sh [tokens, default 200] [streams, default 16] [repeats, default 5]
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib.sh
TOKENS=${1:-200}; STREAMS=${2:-16}; REPEATS=${3:-5}
PORT=${PORT:-19123}
bench_need curl
JAR=${JAR:-$(bench_jar)}
WORK=$(mktemp -d)
trap 'bench_stop; rm -rf "$WORK"' EXIT
./mvnw -q -B test-compile >&2
./mvnw -q -B dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test >&2
java -cp "target/test-classes:target/classes:$(cat "$WORK/cp.txt")" io.seqserve.generation.BenchModels "$WORK/models" >/dev/null 2>&1
echo "generation/run.sh: $(bench_machine)"
bench_start "$PORT" "$WORK/server.log" -- --seqserve.models.root="$WORK/models"
bench_wait_ready "$PORT" 300 || { tail -20 "$WORK/server.log"; exit 1; }
java bench/generation/GenerationBench.java "http://127.0.0.1:$PORT" shakespeare-gru 50 4 1 >/dev/null   # warm-up
for model in shakespeare-gru shakespeare-gru-window shakespeare-gru-stateful; do
  java bench/generation/GenerationBench.java "http://127.0.0.1:$PORT" "$model" "$TOKENS" "$STREAMS" "$REPEATS"
done

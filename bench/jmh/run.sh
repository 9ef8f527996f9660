#!/usr/bin/env bash
# In-process ceiling: the sunspots LSTM (models/sunspots-lstm/1, TorchScript) in one bare DJL Predictor,
# batch 1 and 32, no HTTP. Builds bench/jmh when its jar is missing, runs JMH, prints its summary.
# Usage: bench/jmh/run.sh [JMH options, default: -f 1 -wi 2 -w 3 -i 4 -r 4]
# INTRA_OP=n sets PyTorch's intra-op threads of the benchmark thread (default: DJL's default).
set -euo pipefail
cd "$(dirname "$0")"
. ../lib.sh
echo "jmh/run.sh: $(cd ../.. && bench_machine)"
[ -f target/benchmarks.jar ] || ../../mvnw -q -B package >&2
[ $# -gt 0 ] || set -- -f 1 -wi 2 -w 3 -i 4 -r 4
java -jar target/benchmarks.jar PredictorLoopBenchmark "$@" \
  -jvmArgsAppend "-Dmodel.dir=$PWD/../../models/sunspots-lstm/1${INTRA_OP:+ -Dai.djl.pytorch.num_threads=$INTRA_OP}"

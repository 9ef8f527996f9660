#!/usr/bin/env bash
# Trains the demo models that ship in models/ with seqserve itself, through its HTTP API:
#   sunspots-gru  GRU(32) one step ahead on yearly sunspots (statsmodels' sunspots.csv, public domain)
#   tiny-char-lm  LSTM(96) character LM on src/test/resources/training/harbour.txt (original text written
#                 for seqserve, distributed with it under the project's license)
# Usage: bench/training/train-demo-models.sh [target models dir]   (default: a temp dir, printed at the end)
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${PORT:-18482}
OUT=${1:-$(mktemp -d)}
./mvnw -o -q -DskipTests package
WORK=$(mktemp -d)
java -jar target/seqserve-*.jar --server.port="$PORT" --seqserve.models.root="$WORK/models" \
  --seqserve.data.dir="$WORK/data" > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER; rm -rf "$WORK"' EXIT
URL="http://127.0.0.1:$PORT"
until curl -sf "$URL/actuator/health/readiness" > /dev/null; do sleep 0.5; done

id() { grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4; }
train() {  # body -> waits on the job's event stream, prints the finished job
  local job
  job=$(curl -sf -X POST "$URL/v1/training-jobs" -H 'Content-Type: application/json' -d "$1" | id)
  curl -sfN "$URL/v1/training-jobs/$job/events" > /dev/null
  curl -sf "$URL/v1/training-jobs/$job"; echo
}

SUNSPOTS=$(curl -sf -X POST "$URL/v1/datasets?name=sunspots" -H 'Content-Type: text/csv' \
  --data-binary @src/test/resources/shared-models/datasets/sunspots.csv | id)
train '{"model_name": "sunspots-gru", "task": "forecasting", "dataset": {"id": "'"$SUNSPOTS"'", "column": "SUNACTIVITY"},
  "window": 24, "horizon": 1, "season": 11,
  "architecture": {"cell": "gru", "hidden_size": 32, "layers": 1},
  "training": {"epochs": 100, "batch_size": 16, "learning_rate": 0.01, "early_stopping_patience": 10, "seed": 0},
  "description": "GRU(32) one step ahead on yearly sunspots, 1700-2008 (statsmodels sunspots.csv, public domain), trained by seqserve"}'

TEXT=$(curl -sf -X POST "$URL/v1/datasets?name=harbour" -H 'Content-Type: text/plain; charset=utf-8' \
  --data-binary @src/test/resources/training/harbour.txt | id)
train '{"model_name": "tiny-char-lm", "task": "text-generation", "dataset": {"id": "'"$TEXT"'"},
  "sequence_length": 64, "embedding_size": 16,
  "architecture": {"cell": "lstm", "hidden_size": 96, "layers": 1, "dropout": 0.1},
  "training": {"epochs": 80, "batch_size": 16, "learning_rate": 0.005, "validation_fraction": 0.1, "test_fraction": 0.05,
               "early_stopping_patience": 10, "seed": 0},
  "description": "LSTM(96) character LM on harbour.txt (original text written for seqserve), trained by seqserve; carries its state: tokens + state_h/state_c in, logits + state_h/state_c out"}'

for model in sunspots-gru tiny-char-lm; do
  mkdir -p "$OUT/$model"
  rm -rf "${OUT:?}/$model/1"
  cp -r "$WORK/models/$model/1" "$OUT/$model/1"
done
echo "demo models written to $OUT"

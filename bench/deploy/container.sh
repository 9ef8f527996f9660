#!/usr/bin/env bash
# The image in numbers: size by layer; time from `docker run` to /readyz = 200 with the repository's
# demo models; memory when idle and under load. The container runs as the Kubernetes serving pod does:
# read-only root, /tmp a tmpfs, 4 GiB memory limit (so the heap is 55 % of that).
# Needs a Docker engine, the image (docker build -t seqserve:cpu .) and wrk (apt-get install wrk).
#   bench/deploy/container.sh [image] [start-up runs] [seconds of load]
set -euo pipefail
cd "$(dirname "$0")/../.."
image=${1:-seqserve:cpu}
runs=${2:-3}
seconds=${3:-30}
port=${PORT:-18090}
name=seqserve-bench-$$
trap 'docker rm -f "$name" >/dev/null 2>&1 || true' EXIT

echo "== $image, $(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== size"
docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' "$image"
docker history --no-trunc --format '{{.Size}}|{{.CreatedBy}}' "$image" | awk -F'|' '$1 != "0B" {
  what = $2; sub(/^\/bin\/sh -c (#\(nop\) )?/, "", what); sub(/COPY dir:[0-9a-f]+/, "COPY", what)
  printf "%8s  %s\n", $1, (what == "" ? "(base image)" : substr(what, 1, 100)) }'

start_container() {
  docker run -d --name "$name" --read-only --tmpfs /tmp --memory 4g -p "127.0.0.1:$port:8080" \
    -v "$PWD/models:/models:ro" "$image" >/dev/null
}
mem() { docker stats --no-stream --format '{{.MemUsage}}' "$name" | cut -d/ -f1 | tr -d ' '; }

echo "== docker run -> /readyz (7 demo versions, 3 engines)"
for run in $(seq 1 "$runs"); do
  docker rm -f "$name" >/dev/null 2>&1 || true
  begin=$(date +%s%N)
  start_container
  until curl -fs -o /dev/null "localhost:$port/readyz"; do sleep 0.1; done
  echo "run $run: $(( ($(date +%s%N) - begin) / 1000000 )) ms"
done

echo "== memory (docker stats, without page cache)"
sleep 30
echo "idle, 30 s after ready: $(mem)"
peak() { # samples memory every second while the given pid runs; prints the largest
  local pid=$1 top=0 value
  while kill -0 "$pid" 2>/dev/null; do
    value=$(docker stats --no-stream --format '{{.MemUsage}}' "$name" | cut -d/ -f1 | numfmt --from=iec-i --suffix=B 2>/dev/null | tr -d B || echo 0)
    [ "${value:-0}" -gt "$top" ] && top=$value
    sleep 1
  done
  numfmt --to=iec-i --suffix=B "$top"
}
wrk -t2 -c32 -d"${seconds}s" -s bench/predict.lua "http://127.0.0.1:$port/v1/models/sunspots-lstm:predict" >/tmp/$name.wrk &
echo "predict, wrk -t2 -c32 for ${seconds}s: peak $(peak $!); $(grep -E 'Requests/sec|non2xx' /tmp/$name.wrk | tr -s ' ' | tr '\n' ' ')"
gen() {
  local until=$(( $(date +%s) + seconds ))
  while [ "$(date +%s)" -lt "$until" ]; do
    curl -s -o /dev/null -H 'Content-Type: application/json' "localhost:$port/v1/models/shakespeare-gru:generate" \
      -d '{"prompt": "ROMEO:", "max_tokens": 200, "temperature": 0.8}'
  done
}
for _ in $(seq 1 16); do gen & done
wrk -t2 -c32 -d"${seconds}s" -s bench/predict.lua "http://127.0.0.1:$port/v1/models/sunspots-lstm:predict" >/tmp/$name.wrk &
echo "predict (32 clients) + 16 generation streams for ${seconds}s: peak $(peak $!)"
wait
sleep 10
echo "idle again, 10 s later: $(mem)"
rm -f /tmp/$name.wrk

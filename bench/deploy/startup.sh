#!/usr/bin/env bash
# Time from JVM start to /readyz = 200, with the repository's models/, for:
#   fat-jar-cold  java -jar target/seqserve-*.jar with an empty DJL cache (what a container without
#                 unpacked natives does on every start: it copies 1.5 GB of libraries first)
#   fat-jar-warm  the same with the cache already filled
#   image-layout  the layout the Dockerfile builds: layers extracted, natives unpacked by
#                 deploy/docker/unpack-natives.sh, engine paths set as in the image
# Usage: ./mvnw -o -q package -DskipTests && bench/deploy/startup.sh [port]   (needs ~5 GB in /tmp)
set -euo pipefail
cd "$(dirname "$0")/../.."
port=${1:-17090}
jar=$(ls target/seqserve-*.jar)
work=$(mktemp -d /tmp/seqserve-startup-XXXXXX)
trap 'rm -rf "$work"' EXIT
models=$PWD/models

ready_after() { # name, then the command
  local name=$1; shift
  local start; start=$(date +%s%N)
  "$@" --server.port="$port" --seqserve.models.root="$models" --seqserve.data.dir="$work/data" >"$work/$name.log" 2>&1 &
  local pid=$!
  until curl -sf "localhost:$port/readyz" >/dev/null; do
    kill -0 "$pid" 2>/dev/null || { echo "$name died: see $work/$name.log"; tail "$work/$name.log"; exit 1; }
    sleep 0.1
  done
  echo "$name: ready after $(( ($(date +%s%N) - start) / 1000000 )) ms"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

ready_after fat-jar-cold java -Duser.home="$work/home" -jar "$jar"
ready_after fat-jar-warm java -Duser.home="$work/home" -jar "$jar"
echo "DJL cache written by the fat jar: $(du -sh "$work/home/.djl.ai" | cut -f1)"

java -Djarmode=tools -jar "$jar" extract --layers --destination "$work/layers" --application-filename seqserve.jar >/dev/null
deploy/docker/unpack-natives.sh "$work/layers" "$work/natives" cpu >/dev/null
mkdir "$work/app"
for layer in engine-natives dependencies spring-boot-loader snapshot-dependencies application; do
  cp -a "$work/layers/$layer/." "$work/app/"
done
(cd "$work/app" && ready_after image-layout env TENSORFLOW_LIBRARY_PATH="$work/natives/tensorflow" \
  PYTORCH_LIBRARY_PATH="$work/natives/pytorch" PYTORCH_FLAVOR=cpu ENGINE_CACHE_DIR="$work/natives/engines" \
  DJL_CACHE_DIR="$work/djl" MALLOC_ARENA_MAX=2 \
  java -XX:MaxRAMPercentage=55 -Donnxruntime.native.path="$work/natives/onnxruntime" -jar seqserve.jar)
echo "DJL cache written by the image layout: $(du -sh "$work/djl" 2>/dev/null | cut -f1 || echo nothing)"

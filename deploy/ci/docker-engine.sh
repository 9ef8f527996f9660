#!/usr/bin/env bash
# A private Docker engine for one CI run (sourced by .ci/run):
#   docker_engine_start   starts dockerd (Debian's docker.io) with its data and state in a fresh folder
#                         under /var/tmp, waits until it answers
#   docker_engine_stop    stops it (SIGTERM: containers are stopped too) and deletes that folder, so
#                         nothing (images, layers, volumes) is kept from one run to the next
# The socket is the default /var/run/docker.sock, so the docker CLI and the tests need no settings.
DOCKER_ENGINE_DIR=""

docker_engine_answers() {
  timeout 20 docker version --format '{{.Server.Version}}' >/dev/null 2>&1
}

docker_engine_start() {
  DOCKER_ENGINE_DIR=$(mktemp -d /var/tmp/seqserve-ci-docker.XXXXXX)
  echo "ci: starting dockerd (data in $DOCKER_ENGINE_DIR, log $DOCKER_ENGINE_DIR/dockerd.log)"
  dockerd --data-root "$DOCKER_ENGINE_DIR/data" --exec-root "$DOCKER_ENGINE_DIR/exec" \
          --pidfile "$DOCKER_ENGINE_DIR/dockerd.pid" >"$DOCKER_ENGINE_DIR/dockerd.log" 2>&1 &
  echo $! >"$DOCKER_ENGINE_DIR/started.pid"
  for _ in $(seq 1 60); do
    if docker_engine_answers; then
      echo "ci: dockerd $(docker version --format '{{.Server.Version}}') answers"
      return 0
    fi
    if ! kill -0 "$(cat "$DOCKER_ENGINE_DIR/started.pid")" 2>/dev/null; then
      break
    fi
    sleep 1
  done
  echo "ci: dockerd did not come up; its log:" >&2
  tail -30 "$DOCKER_ENGINE_DIR/dockerd.log" >&2
  return 1
}

docker_engine_stop() {
  [ -n "$DOCKER_ENGINE_DIR" ] || return 0
  local pid
  pid=$(cat "$DOCKER_ENGINE_DIR/started.pid" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    echo "ci: stopping dockerd ($pid)"
    kill -TERM "$pid"
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 1
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  # Mounts dockerd may have left behind (a killed engine) would keep the folder from being deleted.
  grep -o " $DOCKER_ENGINE_DIR[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf "$DOCKER_ENGINE_DIR"
  DOCKER_ENGINE_DIR=""
}

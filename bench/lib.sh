# Shared by the bench scripts: find (or build) the jar, start it on a models root, wait until ready, stop it.
# Source it from a script that has done `cd` to the repository root.

bench_jar() {
  local jar
  jar=$(ls target/seqserve-*.jar 2>/dev/null | head -1 || true)
  if [ -z "$jar" ]; then
    ./mvnw -q -B package -DskipTests >&2
    jar=$(ls target/seqserve-*.jar | head -1)
  fi
  echo "$jar"
}

bench_need() { # tool...
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$tool is needed (apt-get install -y $tool)" >&2; exit 1; }
  done
}

now_ms() { date +%s%3N; }

# bench_start PORT LOG [env VAR=value ...] -- [app args...]: starts the jar in the background, sets SERVER
# (its pid) and LAUNCH_MS. Environment assignments before "--" are passed through env(1), so a run can
# start the jar exactly as a user would (no OMP_NUM_THREADS unless given here).
bench_start() {
  local port=$1 log=$2; shift 2
  local envs=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
  [ "${1:-}" = "--" ] && shift
  LAUNCH_MS=$(now_ms)
  # JAR_DIR: start from the jar's folder with a relative jar path, as the image does (a JVM cache only
  # maps for the class path it was recorded with). JAVA_CMD: what starts java (default: java).
  (if [ -n "${JAR_DIR:-}" ]; then cd "$JAR_DIR"; fi
   exec env -u OMP_NUM_THREADS "${envs[@]}" ${JAVA_CMD:-java} ${JAVA_OPTS:-} -jar "$JAR" --server.port="$port" \
    --seqserve.data.dir="$(dirname "$log")/data-$port" --logging.level.root=WARN \
    --logging.level.io.seqserve.predict.HttpWarmUp=INFO --logging.level.io.seqserve.registry.ModelLoader=INFO "$@" >"$log" 2>&1) &
  SERVER=$!
}

# bench_wait_ready PORT [timeout-s]: polls /readyz every 50 ms; sets READY_MS; fails if the server died.
bench_wait_ready() {
  local port=$1 timeout=${2:-180} deadline
  deadline=$(( $(now_ms) + timeout * 1000 ))
  while [ "$(now_ms)" -lt "$deadline" ]; do
    if curl -sf -o /dev/null "http://127.0.0.1:$port/readyz"; then READY_MS=$(now_ms); return 0; fi
    kill -0 "$SERVER" 2>/dev/null || { echo "the server exited before it was ready" >&2; return 1; }
    sleep 0.05
  done
  echo "not ready after ${timeout}s" >&2
  return 1
}

bench_stop() {
  if [ -n "${SERVER:-}" ]; then
    kill "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
    SERVER=
  fi
}

# bench_machine: one line saying where and when a run happened.
bench_machine() {
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(getconf _NPROCESSORS_ONLN) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

# bench_cpu_sampler PID FILE: appends "epoch-second cpu-ticks" for PID every second until PID ends
# (utime + stime from /proc, in clock ticks of $(getconf CLK_TCK) per second).
bench_cpu_sampler() {
  local pid=$1 file=$2
  while [ -r "/proc/$pid/stat" ]; do
    awk -v t="$(date +%s)" '{ print t, $14 + $15 }' "/proc/$pid/stat" >>"$file" 2>/dev/null || true
    sleep 1
  done
}

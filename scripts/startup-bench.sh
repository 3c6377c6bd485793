#!/usr/bin/env bash
# Start time of Clearance against a bare Spring Boot web app (bench/bare-app), measured in the same run on the same
# machine: wall time from `java -jar` to HTTP 200 from /actuator/health, each app started RUNS times, alternating.
# Clearance starts on an existing, up-to-date H2 database (its first start, which creates the schema, is not counted).
#   ./mvnw -q -DskipTests package && scripts/startup-bench.sh [RUNS] [extra JVM flags...]
# Prints one line per start and the medians; docs/BENCHMARKS.md keeps the results.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"; shift || true
jvm_flags=("$@")
clearance=bot-app/target/clearance.jar
bare=bench/bare-app/target/bare-app.jar
for jar in "$clearance" "$bare"; do
  [ -f "$jar" ] || { echo "$jar is missing: run ./mvnw -q -DskipTests package first" >&2; exit 2; }
done
work="$(mktemp -d)"
trap 'pkill -f "$work" 2>/dev/null || true; rm -rf "$work"' EXIT
port=18181

# one start: prints the milliseconds from launch to a healthy answer, then stops the process
start_ms() {
  local log="$1"; shift
  local t0 t1 pid
  t0=$(date +%s%N)
  "$@" > "$log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/actuator/health"; do
    kill -0 "$pid" 2>/dev/null || { echo "exited while starting, see $log" >&2; tail -20 "$log" >&2; exit 1; }
    sleep 0.05
  done
  t1=$(date +%s%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo $(( (t1 - t0) / 1000000 ))
}

clearance_cmd=(java "${jvm_flags[@]}" -jar "$clearance" --server.port=$port --clearance.data-dir="$work/data"
  --clearance.config=config/clearance.example.yml --clearance.api.tokens=startup-bench-token-0123456789)
bare_cmd=(java "${jvm_flags[@]}" -jar "$bare" --server.port=$port)

start_ms "$work/first.log" "${clearance_cmd[@]}" > /dev/null   # creates the database; not counted
declare -a c b
for i in $(seq 1 "$runs"); do
  b+=("$(start_ms "$work/bare-$i.log" "${bare_cmd[@]}")")
  c+=("$(start_ms "$work/clearance-$i.log" "${clearance_cmd[@]}")")
  echo "run $i: bare ${b[-1]} ms, clearance ${c[-1]} ms"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }
mb=$(median "${b[@]}"); mc=$(median "${c[@]}")
echo "median: bare $mb ms, clearance $mc ms, ratio $(awk -v c="$mc" -v b="$mb" 'BEGIN {printf "%.2f", c/b}')"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)${jvm_flags[*]:+, flags: ${jvm_flags[*]}}"

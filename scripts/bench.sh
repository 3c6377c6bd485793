#!/usr/bin/env bash
# The benchmark (docs/BENCHMARKS.md): builds the jars, then starts Clearance and its floors on loopback with a fake
# Slack Web API and measures each figure beside its floor, interleaved, over repetitions.
#   scripts/bench.sh [--reps 3] [--open 20000] [--phase-seconds 10] [--write-docs]
# --write-docs replaces the generated section of docs/BENCHMARKS.md; the report is always in
# bench/runner/target/bench-report.md. Needs the two cores to itself: stop other work first.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -DskipTests package
exec java -jar bench/runner/target/bench-runner.jar "$@"

#!/usr/bin/env bash
# The visitor rollup and the other background jobs over one very busy pixel-day (issue 25):
#   bench/rollup.sh [events=5000000] [dir=a new temp folder] [memory=256MB] [threads=2]
# Prints per step: time, DuckDB's peak memory (duckdb_memory(), sampled every 20 ms) and ok or the
# error; then the process's peak RSS. Filling 5 million events takes a minute or two.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/jdk.sh"
cd "$root"
mvn -B -ntp -q -o compile dependency:build-classpath -Dmdep.outputFile=target/rollup-bench.classpath >&2 \
  || mvn -B -ntp -q compile dependency:build-classpath -Dmdep.outputFile=target/rollup-bench.classpath >&2
out="$root/target/rollup-bench"
mkdir -p "$out"
cp="$root/target/classes:$(cat target/rollup-bench.classpath)"
"$JAVA_HOME/bin/javac" -d "$out" -cp "$cp" bench/jmh/src/main/java/dev/speck/bench/RollupBenchmark.java
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx256m -XX:+UseSerialGC -Dspeck.root="$root" -cp "$out:$cp" dev.speck.bench.RollupBenchmark "$@"

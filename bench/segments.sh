#!/usr/bin/env bash
# Segments over a month of a busy pixel (issue 20): backfills of five kinds of rule over all of it,
# and the live job's work for 200 rule segments when a run finds K visitors with new hits:
#   bench/segments.sh [events=10000000] [days=30] [dir=a new temp folder] [memory=256MB] [threads=2] [touched=5000]
# Prints per step: time, DuckDB's peak memory and the outcome; then the process's peak RSS.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/jdk.sh"
cd "$root"
mvn -B -ntp -q -o compile dependency:build-classpath -Dmdep.outputFile=target/segment-bench.classpath >&2 \
  || mvn -B -ntp -q compile dependency:build-classpath -Dmdep.outputFile=target/segment-bench.classpath >&2
out="$root/target/segment-bench"
mkdir -p "$out"
cp="$root/target/classes:$(cat target/segment-bench.classpath)"
"$JAVA_HOME/bin/javac" -d "$out" -cp "$cp" bench/jmh/src/main/java/dev/speck/bench/RollupBenchmark.java bench/jmh/src/main/java/dev/speck/bench/SegmentBenchmark.java
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx256m -XX:+UseSerialGC -Dspeck.root="$root" -cp "$out:$cp" dev.speck.bench.SegmentBenchmark "$@"

#!/usr/bin/env bash
# Builds and runs Speck's JMH benchmarks (enrichment, journal append, store append).
#   bench/jmh/run.sh                      both, short runs (-f1 -wi 2 -i 3 -w 3s -r 5s)
#   bench/jmh/run.sh Journal -i 5         any JMH arguments instead of the defaults
# Needs the server built first (the script builds it when target/ is missing or older than src/main).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

jar="$root/target/speck-0.1.0-SNAPSHOT.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root/src/main" "$root/pom.xml" -newer "$jar" -print -quit)" ]; then
  echo "building Speck (mvn -DskipTests package) ..." >&2
  (cd "$root" && mvn -q -B -DskipTests package) >&2
fi
# clean: the benchmarks compile against the server jar, and Maven does not recompile them when only it changed
(cd "$here" && mvn -q -B clean package dependency:build-classpath -Dmdep.outputFile=target/jmh.classpath \
  -Dmdep.includeScope=runtime) >&2

cp="$here/target/classes:$(cat "$here/target/jmh.classpath"):$jar:$root/target/lib/*"
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(-f1 -wi 2 -i 3 -w 3s -r 5s)
# The forks inherit this class path; the options are the server's own (./speck).
exec "$JAVA" -cp "$cp" org.openjdk.jmh.Main -jvmArgsAppend "-Xms64m -Xmx768m -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED -Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory -Dorg.apache.logging.log4j.simplelog.level=WARN" "${args[@]}"

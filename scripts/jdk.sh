# Sourced by ./speck, ./run-tests and bench scripts: sets JAVA_HOME to a JDK of 21 or newer
# (JAVA_HOME first, then the usual install folders, then the java on PATH), or explains and exits.
java_spec_version() { "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}'; }

speck_find_jdk() {
  local candidates=() home v
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for home in /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/lib/jvm/*; do [ -d "$home" ] && candidates+=("$home"); done
  command -v java >/dev/null 2>&1 && candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  for home in "${candidates[@]}"; do
    if [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ]; then
      v="$(java_spec_version "$home/bin/java")"
      if [ -n "$v" ] && [ "${v%%.*}" -ge 21 ] 2>/dev/null; then echo "$home"; return 0; fi
    fi
  done
  return 1
}

if ! SPECK_JDK="$(speck_find_jdk)"; then
  echo "speck: no JDK 21 or newer found (looked at JAVA_HOME, /usr/lib/jvm, /opt and the java on PATH)." >&2
  echo "       Install one (for example: apt-get install openjdk-21-jdk) or set JAVA_HOME to it." >&2
  exit 1
fi
export JAVA_HOME="$SPECK_JDK"
SPECK_JDK_VERSION="$(java_spec_version "$JAVA_HOME/bin/java")"
SPECK_JDK_VERSION="${SPECK_JDK_VERSION%%.*}"
# Maven's own Guava calls sun.misc.Unsafe; from JDK 24 that prints a four-line warning into every
# build (JEP 498). Allowing it for Maven's JVM keeps a user's terminal to Speck's own output.
if [ "${SPECK_JDK_VERSION:-0}" -ge 24 ] 2>/dev/null; then
  case " ${MAVEN_OPTS:-} " in *sun-misc-unsafe-memory-access*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow" ;; esac
fi

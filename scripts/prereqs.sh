# Sourced by ./run-tests: checks in seconds what the tests need, and says what to install, instead of
# failing classes minutes into the run. SPECK_SKIP_PREREQS=1 skips it.
speck_check_test_prereqs() {
  local missing=() hints=()
  command -v mvn >/dev/null 2>&1 || { missing+=(maven); hints+=("mvn: Maven 3.8+, runs the build"); }
  command -v chromium >/dev/null 2>&1 || { missing+=(chromium); hints+=("chromium: the console tests drive a real browser"); }
  command -v chromedriver >/dev/null 2>&1 || { missing+=(chromium-driver); hints+=("chromedriver: drives chromium"); }
  perl -MMaxMind::DB::Writer::Tree -e 1 >/dev/null 2>&1 \
    || { missing+=(libmaxmind-db-writer-perl); hints+=("MaxMind::DB::Writer (perl): builds the small geo databases the tests use"); }
  if [ ${#missing[@]} -gt 0 ]; then
    echo "run-tests: missing what the tests need:" >&2
    printf '  - %s\n' "${hints[@]}" >&2
    echo "install (as root): apt-get update && apt-get install -y ${missing[*]}" >&2
    echo "(or run bash .ci/run as root: it installs them, then runs the tests)" >&2
    return 1
  fi
}

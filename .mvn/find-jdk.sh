# Finds a JDK of version $LMSERVE_JDK_VERSION (default 25) or newer and exports JAVA_HOME.
# Sourced (POSIX sh) by ./mvnw and bin/lmserve, so the build and the launcher pick the same JDK.
#
# Order: JAVA_HOME, then every JDK under the folders in LMSERVE_JDK_SEARCH_PATH (colon-separated;
# defaults to the usual install roots, newest version first), then the `java` on PATH.

lmserve_jdk_major() {
  # The feature version of the JDK at $1, read from its `release` file; empty if $1 is no JDK.
  if [ -x "$1/bin/javac" ] && [ -f "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
  fi
}

lmserve_jdk_candidates() {
  [ -n "${JAVA_HOME:-}" ] && printf '%s\n' "$JAVA_HOME"
  printf '%s\n' "$lmserve_jdk_search" | tr ':' '\n' | while IFS= read -r root; do
    [ -d "$root" ] && ls -1d "$root"/*/ 2>/dev/null | sed 's:/$::' | sort -rV
  done
  if [ -z "${LMSERVE_JDK_SEARCH_PATH+x}" ] && command -v java >/dev/null 2>&1; then
    dirname "$(dirname "$(readlink -f "$(command -v java)")")"
  fi
}

lmserve_jdk_want="${LMSERVE_JDK_VERSION:-25}"
lmserve_jdk_search="${LMSERVE_JDK_SEARCH_PATH-/usr/lib/jvm:/usr/java:/opt/java:/opt:$HOME/.sdkman/candidates/java:$HOME/.jdks}"
lmserve_jdk_found="$(lmserve_jdk_candidates | while IFS= read -r jdk; do
  major="$(lmserve_jdk_major "$jdk")"
  if [ -n "$major" ] && [ "$major" -ge "$lmserve_jdk_want" ]; then printf '%s\n' "$jdk"; break; fi
done || true)"  # the early break ends the pipe on purpose; callers may run under `set -e -o pipefail`
if [ -z "$lmserve_jdk_found" ]; then
  echo "lmserve needs a JDK $lmserve_jdk_want or newer and found none in JAVA_HOME or under $lmserve_jdk_search; install one (e.g. Temurin $lmserve_jdk_want) or point JAVA_HOME at it." >&2
  exit 1
fi
JAVA_HOME="$lmserve_jdk_found"
export JAVA_HOME
unset lmserve_jdk_want lmserve_jdk_search lmserve_jdk_found

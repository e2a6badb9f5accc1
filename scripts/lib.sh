# Shared helpers for the scripts in this folder. Source it; don't run it.

WASMSCOPE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Prints a section header so long logs stay readable.
say() { printf '\n==> %s\n' "$*"; }

# Third-party code is built from Debian's source packages and cached here,
# one directory per package and version, so a second run is fast.
WASMSCOPE_CACHE="${WASMSCOPE_CACHE:-$HOME/.cache/wasmscope}"

# Makes `apt-get source` work: a deb-src entry for the same suites and
# mirror as the machine's binary packages (added once).
enable_deb_src() {
  local list=/etc/apt/sources.list.d/wasmscope-src.sources
  [ -f "$list" ] && return 0
  say "apt: adding a deb-src entry for bookworm"
  as_root tee "$list" >/dev/null <<'SOURCES'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  as_root apt-get update -q
}

# debian_source PACKAGE: unpacks Debian's source of PACKAGE (once) and prints
# its directory, $WASMSCOPE_CACHE/src/PACKAGE-VERSION.
debian_source() {
  local package="$1" version dir scratch
  enable_deb_src >&2
  version=$(apt-cache showsrc "$package" | sed -n 's/^Version: //p' | sort -V | tail -n 1)
  [ -n "$version" ] || { echo "no Debian source package '$package'" >&2; return 1; }
  dir="$WASMSCOPE_CACHE/src/$package-${version#*:}"  # no epoch: colons upset make
  if [ ! -f "$dir/.complete" ]; then
    scratch=$(mktemp -d)
    (cd "$scratch" && apt-get source -q --download-only "$package=$version" >&2 &&
      dpkg-source -x ./*.dsc unpacked >&2) || { rm -rf "$scratch"; return 1; }
    rm -rf "$dir" && mkdir -p "$(dirname "$dir")" && mv "$scratch/unpacked" "$dir"
    rm -rf "$scratch"
    touch "$dir/.complete"
  fi
  echo "$dir"
}

# cached_build NAME COMMAND...: runs COMMAND (with $OUT set to
# $WASMSCOPE_CACHE/NAME) unless an earlier run completed; NAME includes the
# version, so a new version builds afresh. Prints nothing but the build log.
cached_build() {
  local name="$1"; shift
  local out="$WASMSCOPE_CACHE/$name"
  [ -f "$out/.complete" ] && return 0
  say "building $name (cached in $out)"
  rm -rf "$out" && mkdir -p "$out"
  # The command runs in a subshell with `set -e`, so a failing step fails
  # the whole build. Call cached_build as a plain command: inside an `if`,
  # `&&` or `||` bash ignores -e, down to the subshell.
  local errexit=$- status
  set +e
  (export OUT="$out"; set -e; "$@")
  status=$?
  [[ $errexit == *e* ]] && set -e
  if [ "$status" -ne 0 ]; then rm -rf "$out"; return 1; fi
  touch "$out/.complete"
}

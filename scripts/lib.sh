# Shared helpers for the scripts in this folder. Source it; don't run it.

WASMSCOPE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Prints a section header so long logs stay readable.
say() { printf '\n==> %s\n' "$*"; }

# Third-party code built from Debian sources lives outside the repo, in one
# folder per name and version, and is built once:
#   cached_build NAME VERSION BUILD_FUNCTION
# calls `BUILD_FUNCTION DIR` with an empty DIR (under ~/.cache/wasmscope)
# unless an earlier call finished it, then prints DIR. A failed build leaves
# no stamp, so the next call starts it again from scratch.
cached_build() {
  local name="$1" version="$2" build_fn="$3"
  local dir="${XDG_CACHE_HOME:-$HOME/.cache}/wasmscope/$name-$version"
  if [ ! -f "$dir/.wasmscope-done" ]; then
    rm -rf "$dir" && mkdir -p "$dir"
    "$build_fn" "$dir" >&2 || { echo "cached_build: building $name $version failed" >&2; return 1; }
    touch "$dir/.wasmscope-done"
  fi
  printf '%s\n' "$dir"
}

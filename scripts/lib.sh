# Shared helpers for the scripts in this folder. Source it; don't run it.

WASMSCOPE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Prints a section header so long logs stay readable.
say() { printf '\n==> %s\n' "$*"; }

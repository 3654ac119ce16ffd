# Shared shell helpers for the test and build scripts (sourced, not run).

step() { printf '\n==> %s\n' "$*" >&2; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

# need_debs PKG...: installs the Debian packages that are missing.
need_debs() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  step "installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq >&2 || fail "apt-get update failed (needed for ${missing[*]})"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2 \
    || fail "could not install Debian packages: ${missing[*]}"
}

# need_cmd CMD WHY: fails with a message when CMD is not on PATH.
need_cmd() {
  command -v "$1" >/dev/null 2>&1 || fail "'$1' is not installed; it is needed for $2"
}

# Shared helpers of scripts/run and scripts/test. Sourced, not executed.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Debian packages the build needs (Debian 12 names).
BUILD_PACKAGES=(g++ cmake ninja-build pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev libpq-dev libsodium-dev libfmt-dev libspdlog-dev libcli11-dev
  libqrencode-dev libssl-dev libmagic-dev libxlsxwriter-dev
  libcairo2-dev libpango1.0-dev fonts-noto-core fonts-hosny-amiri fonts-sil-abyssinica fonttools python3-brotli
  libicu-dev libstemmer-dev libcmark-gfm-dev libcmark-gfm-extensions-dev john-data
  libpoppler-cpp-dev zlib1g-dev)
# What the tests need on top: GoogleTest/Benchmark, a PostgreSQL server, Debian's Chromium.
TEST_PACKAGES=(libgtest-dev libgmock-dev libbenchmark-dev postgresql chromium fonts-dejavu-core sqlite3 poppler-utils libglpk-dev glpk-utils unzip nginx-light qpdf openssl)

# Installs the packages that are missing; does nothing (and needs no network) when all are there.
ensure_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if ! command -v node >/dev/null 2>&1; then missing+=(nodejs npm); fi
  if [ ${#missing[@]} -gt 0 ]; then
    say "Installing Debian packages: ${missing[*]}"
    if [ "$(id -u)" -ne 0 ]; then echo "Run as root (apt-get install needed)." >&2; exit 1; fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# npm ci only when the lock file changed since the last install.
ensure_node_modules() {
  # Vite 8 needs Node.js 20.19 or newer (the machine image has Node 20; Debian 12's own nodejs is 18).
  if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
    echo "fairdesk needs Node.js >= 20.19 for the web build; found $(node --version)." >&2
    exit 1
  fi
  local stamp=node_modules/.fairdesk-lock
  if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
    say "Installing npm packages (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
    cp package-lock.json "$stamp"
  fi
}

build_web() {
  say "Building the web app"
  npm run --silent build
}

# build_server DIR TYPE [cmake args...]: configure once, then incremental ninja builds of the
# targets in $NINJA_TARGETS (space-separated; default: all).
build_server() {
  local dir=$1 type=$2
  shift 2
  if [ ! -f "$dir/build.ninja" ]; then
    cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" "$@" >/dev/null
  fi
  say "Building the server ($dir)"
  # Progress lines are dropped; on failure the whole log is shown and the script stops.
  local log
  log=$(mktemp)
  # shellcheck disable=SC2086 # the target list is meant to split
  if ! ninja -C "$dir" ${NINJA_TARGETS:-all} >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    return 1
  fi
  grep -v '^\[' "$log" | grep -v '^ninja: ' || true
  rm -f "$log"
}

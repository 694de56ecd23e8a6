#!/usr/bin/env bash
# Installs the Debian packages suiji needs; skips apt entirely when all are present (idempotent).
set -euo pipefail
PKGS=(build-essential cmake pkg-config git
  libeigen3-dev libboost-random-dev libboost-graph-dev libsoci-dev libpistache-dev
  libthrift-dev thrift-compiler libgtest-dev libgmock-dev libbenchmark-dev
  postgresql postgresql-client libpq-dev libsqlite3-dev nlohmann-json3-dev libssl-dev
  liblemon-dev zlib1g-dev libyaml-cpp-dev libcli11-dev python3 python3-thrift python3-networkx
  python3-prometheus-client python3-jsonschema python3-yaml curl
  libxlsxwriter-dev chromium fonts-wqy-microhei clang libclang-rt-14-dev clang-tidy libtsan2 nginx-light)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The browser tests' npm (playwright-core): the machine's own Node.js and npm when it has them (they may
# come from NodeSource, whose nodejs bundles npm and conflicts with Debian's npm), else Debian's.
command -v npm >/dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all ${#PKGS[@]} packages present"
  exit 0
fi
echo "deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"

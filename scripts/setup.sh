#!/usr/bin/env bash
# Installs what THB Suite needs on Debian 12, and only what is missing (safe to run again):
# the Debian packages of the toolchain and libraries, then the npm tools from package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git curl ca-certificates
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler libabsl-dev
  prometheus-cpp-dev libsqlite3-dev libglpk-dev libpqxx-dev libjwt-dev libssl-dev libboost-dev
  nlohmann-json3-dev libgtest-dev libgmock-dev golang-github-gogo-googleapis-dev grpc-proto
  nghttp2-client wrk python3-grpcio python3-protobuf nodejs npm sqlite3 clang libclang-rt-14-dev
  clang-format clang-tidy chromium protoc-gen-go protoc-gen-go-grpc python3-pip python3-wheel
  python3-setuptools libgrpc-java libprotobuf-java protobuf-compiler-grpc-java-plugin libnetty-java libperfmark-java libcsv-dev
  openjdk-17-jdk-headless
  openssl postgresql-15
)

missing=()
for p in "${PACKAGES[@]}"; do
  # A package counts as present when it is installed, or when its command is already on PATH
  # (nodejs/npm may come from elsewhere on a developer's machine).
  case "$p" in
    nodejs) command -v node >/dev/null && continue ;;
    npm) command -v npm >/dev/null && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm tools (buf for contract lint), pinned by package-lock.json; reinstalled when it changes.
stamp=node_modules/.thb-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
echo "setup: ready"

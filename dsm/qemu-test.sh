#!/usr/bin/env bash
# Build pomp-dsm's in-process tests for aarch64 (statically linked: dynamic
# aarch64 programs that start threads hang under qemu-user 7.2) and run them
# under qemu-aarch64-static: fault capture, the protocol and the heap on an
# arm64 signal frame. Needs Debian's rustc-web, libstd-rust-web-dev:arm64,
# gcc-aarch64-linux-gnu, libc6-dev-arm64-cross and qemu-user-static (.ci/run
# installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
export RUSTC=/usr/bin/rustc
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
export RUSTFLAGS="-C target-feature=+crt-static"
out=$(cargo test --release -p pomp-dsm --target aarch64-unknown-linux-gnu \
  --test inproc --no-run --message-format=json 2>/dev/null |
  sed -n 's|.*"executable":"\([^"]*/inproc-[^"]*\)".*|\1|p' | tail -1) || true
if [ -z "$out" ]; then
  echo "qemu-test: the aarch64 build of pomp-dsm's tests failed" >&2
  cargo test --release -p pomp-dsm --target aarch64-unknown-linux-gnu --test inproc --no-run
  exit 1
fi
file "$out" | grep -q "ARM aarch64.*statically linked" || {
  echo "qemu-test: $out is not a static aarch64 executable" >&2
  exit 1
}
timeout 300 qemu-aarch64-static "$out" --test-threads 1

#!/bin/sh
# Linker driver for the workspace (see .cargo/config.toml).
#
# When the link is libpomp.so's (it names abi/libgomp.map), drop the anonymous
# version script rustc generates, so that ours alone assigns version nodes.
# The C compiler is $POMP_LINK_CC, else aarch64-linux-gnu-gcc for aarch64
# targets, else cc.
cc=${POMP_LINK_CC:-}
if [ -z "$cc" ]; then
  case "$*" in
    *aarch64-unknown-linux-gnu*) cc=aarch64-linux-gnu-gcc ;;
    *) cc=cc ;;
  esac
fi
case "$*" in
  *libgomp.map*) ;;
  *) exec "$cc" "$@" ;;
esac
for a; do
  shift
  case "$a" in
    -Wl,--version-script=*libgomp.map) set -- "$@" "$a" ;;
    -Wl,--version-script=*) ;;
    *) set -- "$@" "$a" ;;
  esac
done
exec "$cc" "$@"

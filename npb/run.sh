#!/bin/sh
# Run NPB kernels and print their RESULT lines.
#
#   npb/run.sh [-b BINDIR] [-r RUNTIME_DIR] [-t "1 2"] [-k "ep is cg mg ft"] [CLASS...]
#
#   -b BINDIR       where the binaries are (default: npb/bin next to this script)
#   -r RUNTIME_DIR  a directory holding the libgomp.so.1 to run with (put first
#                   on LD_LIBRARY_PATH; e.g. a link to pomp's libpomp.so)
#   -t THREADS      OMP_NUM_THREADS values to run (default: "1 2")
#   -k KERNELS      kernels to run (default: all five)
#   CLASS...        classes to run (default: S W A)
#
# Exits non-zero if any run fails or does not verify.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin="$here/bin"
rt=""
threads="1 2"
kernels="ep is cg mg ft"
while getopts b:r:t:k: opt; do
    case $opt in
    b) bin=$OPTARG ;;
    r) rt=$OPTARG ;;
    t) threads=$OPTARG ;;
    k) kernels=$OPTARG ;;
    *) sed -n '2,14p' "$0"; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
classes=${*:-S W A}

status=0
for k in $kernels; do
    for c in $classes; do
        for t in $threads; do
            if [ -n "$rt" ]; then
                out=$(LD_LIBRARY_PATH="$rt${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
                      OMP_NUM_THREADS=$t "$bin/$k" "$c" 2>&1)
            else
                out=$(OMP_NUM_THREADS=$t "$bin/$k" "$c" 2>&1)
            fi
            rc=$?
            line=$(printf '%s\n' "$out" | grep '^RESULT ' | tail -n 1)
            if [ $rc -ne 0 ] || [ -z "$line" ]; then
                status=1
                echo "FAILED kernel=$k class=$c threads=$t exit=$rc ${line:-}"
            else
                echo "$line"
            fi
        done
    done
done
exit $status

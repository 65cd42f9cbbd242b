#!/usr/bin/env bash
# Copyright 2026 The fwupd-quectel authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Benchmark of a whole update on the simulated EC25-E (not a timed test, not in the test suite):
# this project's plugin with the stock fwupdtool from normal mode, fwupd's built-in qc_firehose
# plugin and Debian's qdl, each started in EDL, on the seed-sized package
# (tests/gen-vendor-folder.py --full), with the simulator's timing model off (host cost) and on
# (a real module's delays). Prints a table, writes bench.json, bench.txt and bench.png.
#
#   contrib/bench.sh [BUILDDIR] [OUTDIR] [-- update-bench.py options]
#
# BUILDDIR defaults to build (built by contrib/setup.sh), OUTDIR to BUILDDIR/bench. Options after
# -- go to tests/bench/update-bench.py, e.g. --modes on, --tools ours,qdl, --qc-labels sbl,tz.
# Installs what it needs (qdl, python3-matplotlib, time, gcab) when it runs as root.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
builddir=build
outdir=
if [ $# -gt 0 ] && [ "$1" != "--" ]; then builddir=$1; shift; fi
if [ $# -gt 0 ] && [ "$1" != "--" ]; then outdir=$1; shift; fi
[ "${1:-}" = "--" ] && shift
case "$builddir" in /*) ;; *) builddir="$top/$builddir" ;; esac
outdir=${outdir:-$builddir/bench}

need=()
command -v qdl >/dev/null || need+=(qdl)
command -v gcab >/dev/null || need+=(gcab)
[ -x /usr/bin/time ] || need+=(time)
/usr/bin/python3 -c 'import matplotlib' 2>/dev/null || need+=(python3-matplotlib)
if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "bench.sh: install ${need[*]} first (apt-get install ${need[*]})" >&2
        exit 1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}" >&2
fi

[ -x "$builddir/tests/ec25-sim" ] && [ -f "$builddir/plugins/quectel/libfu_plugin_quectel.so" ] ||
    "$top/contrib/setup.sh" "$builddir"
ninja -C "$builddir" >/dev/null

exec /usr/bin/python3 "$top/tests/bench/update-bench.py" --source "$top" --build "$builddir" \
    --out "$outdir" "$@"

#!/usr/bin/env bash
# Copyright 2026 The fwupd-quectel authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Benchmark of quectel-fw2cab on a real-size vendor folder (not a timed test).
#   tests/bench/convert-bench.sh [BUILDDIR] [LAYOUT] [RUNS]
# BUILDDIR defaults to build, LAYOUT to ec25e, RUNS to 3. Generates the --full folder of
# tests/gen-vendor-folder.py, converts it RUNS times under /usr/bin/time -v and hashes the same
# files with md5sum and sha256sum, then prints the best wall time, the peak RSS and the ratio.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
builddir=${1:-build}
layout=${2:-ec25e}
runs=${3:-3}
case "$builddir" in /*) ;; *) builddir="$top/$builddir" ;; esac
tool="$builddir/contrib/quectel-fw2cab/quectel-fw2cab"
[ -x "$tool" ] || { echo "build the converter first: $tool is missing" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing (apt-get install time)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
folder=$(/usr/bin/python3 "$top/tests/gen-vendor-folder.py" "$work" --layout "$layout" --full)
mapfile -t files < <(find "$folder" -type f | sort)
folder_bytes=$(cat "${files[@]}" | wc -c)

# the fastest of RUNS wall times of a command, in seconds; its peak RSS in KiB
measure() {
    local best="" rss=0 log="$work/time.log"
    for _ in $(seq "$runs"); do
        /usr/bin/time -v -o "$log" "$@" >/dev/null 2>&1
        local wall kib
        wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {
            n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$log")
        kib=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
        if [ -z "$best" ] || awk "BEGIN {exit !($wall < $best)}"; then best=$wall; fi
        [ "$kib" -gt "$rss" ] && rss=$kib
    done
    echo "$best $rss"
}

read -r t_conv rss_conv < <(measure "$tool" "$folder" -o "$work/out.cab" --force -q \
                                    --release-date 2026-01-15)
read -r t_md5 rss_md5 < <(measure md5sum "${files[@]}")
read -r t_sha rss_sha < <(measure sha256sum "${files[@]}")
cab_bytes=$(stat -c %s "$work/out.cab")

awk -v layout="$layout" -v nfiles="${#files[@]}" -v fbytes="$folder_bytes" \
    -v cbytes="$cab_bytes" -v tc="$t_conv" -v rc="$rss_conv" -v tm="$t_md5" -v ts="$t_sha" \
    -v runs="$runs" 'BEGIN {
    printf "layout              %s --full, %d files, %d bytes on disk\n", layout, nfiles, fbytes
    printf "cabinet             %d bytes\n", cbytes
    printf "quectel-fw2cab      %.2f s wall (best of %d), peak RSS %.1f MiB\n", tc, runs, rc / 1024
    printf "md5sum + sha256sum  %.2f s + %.2f s = %.2f s\n", tm, ts, tm + ts
    printf "ratio               %.2f\n", tc / (tm + ts)
}'

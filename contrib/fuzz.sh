#!/usr/bin/env bash
# Build the libFuzzer targets of tests/fuzz with clang under ASan/UBSan and run each for
# SECONDS (default 60) with its seed corpus and dictionary; print executions and findings.
#
#   contrib/fuzz.sh [SECONDS] [TARGET...]     (default: every target)
#
# The build folder is build-fuzz (FUZZ_BUILDDIR overrides); new corpus entries stay in
# build-fuzz/corpus/TARGET, findings (crash-*, leak-*, timeout-*, oom-*) go to
# build-fuzz/findings/TARGET with the fuzzer's log next to them. Exits 1 if anything was found.
# Needs the fwupd source that contrib/setup.sh fetches (build/fwupd-src) and clang, which is
# installed when missing (as root).
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${1:-60}
shift || true
builddir=${FUZZ_BUILDDIR:-$top/build-fuzz}
case "$builddir" in /*) ;; *) builddir="$top/$builddir" ;; esac
fuzzdir="$top/tests/fuzz"

say() { printf 'fuzz: %s\n' "$*" >&2; }
die() {
    printf 'fuzz: error: %s\n' "$*" >&2
    exit 2
}
case "$seconds" in '' | *[!0-9]* | 0) die "SECONDS must be a positive number, not '$seconds'" ;; esac

# clang with its libFuzzer runtime (Debian: clang pulls libclang-common-*-dev)
if ! command -v clang >/dev/null || ! echo 'int LLVMFuzzerTestOneInput(const char *d, long s) { return 0; }' |
    clang -x c -fsanitize=fuzzer -o /dev/null - 2>/dev/null; then
    [ "$(id -u)" = 0 ] || die "clang with libFuzzer is missing; run this script as root to install it"
    say "installing clang"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null || die "apt-get update failed"
    apt-get install -y -qq --no-install-recommends clang >/dev/null || die "apt-get install clang failed"
fi

# the fwupd headers: contrib/setup.sh fetches them (and installs the other packages)
fwupd_src=${FWUPD_SOURCE:-$top/build/fwupd-src}
if [ ! -f "$fwupd_src/.version" ]; then
    "$top/contrib/setup.sh" "$top/build"
fi

# GCC's #pragma once treats the libfwupd headers of the source tree and the installed copies
# (the same version, the same bytes) as one file, clang only if they are one file: a view of
# the source where the installed libfwupd headers stand in for the source's own
view="$builddir/fwupd-src-view"
installed=$(pkg-config --variable=includedir fwupd)/fwupd-3/libfwupd
if [ ! -f "$view/.version" ] || [ "$(cat "$view/.version")" != "$(cat "$fwupd_src/.version")" ]; then
    rm -rf "$view"
    mkdir -p "$view/libfwupd"
    for f in "$fwupd_src"/* "$fwupd_src"/.version; do
        [ "$(basename "$f")" = libfwupd ] || ln -s "$f" "$view/$(basename "$f")"
    done
    for f in "$fwupd_src"/libfwupd/*; do
        b=$(basename "$f")
        if [ -f "$installed/$b" ]; then ln -s "$installed/$b" "$view/libfwupd/$b"; else ln -s "$f" "$view/libfwupd/$b"; fi
    done
fi

if [ ! -f "$builddir/build.ninja" ]; then
    mkdir -p "$builddir"
    CC=clang meson setup "$builddir" "$top" -Dfwupd_source="$view" -Dfuzzing=true \
        -Db_sanitize=address,undefined -Db_lundef=false \
        "-Dc_args=['-fsanitize=fuzzer-no-link','-fno-sanitize-recover=all']" \
        >"$builddir/setup.log" 2>&1 || {
        cat "$builddir/setup.log" >&2
        die "meson setup failed"
    }
fi

mapfile -t all < <(sed -n "s/^  '\([a-z0-9-]*\)': \[.*/\1/p" "$fuzzdir/meson.build")
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
ninja -C "$builddir" "${targets[@]/#/tests/fuzz/fuzz-}" >"$builddir/ninja.log" 2>&1 || {
    cat "$builddir/ninja.log" >&2
    die "build failed"
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
total_found=0
printf '%-18s %8s %12s %9s %7s %s\n' target seconds executions exec/s corpus findings
for t in "${targets[@]}"; do
    bin="$builddir/tests/fuzz/fuzz-$t"
    corpus="$builddir/corpus/$t"
    findings="$builddir/findings/$t"
    log="$findings/fuzz.log"
    mkdir -p "$corpus" "$findings/previous"
    # only what this run finds counts: earlier findings are kept aside
    find "$findings" -maxdepth 1 -type f -exec mv -f {} "$findings/previous/" \;
    args=(-max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048
        -artifact_prefix="$findings/")
    [ -f "$fuzzdir/$t.dict" ] && args+=(-dict="$fuzzdir/$t.dict")
    rc=0
    "$bin" "${args[@]}" "$corpus" "$fuzzdir/corpus/$t" >"$log" 2>&1 || rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n1)
    size=$(find "$corpus" "$fuzzdir/corpus/$t" -type f | wc -l)
    found=$(find "$findings" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' \
        -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
    if [ "$rc" != 0 ] && [ "$found" = 0 ]; then
        found=1 # the fuzzer failed without an artifact (e.g. it could not start)
    fi
    printf '%-18s %8s %12s %9s %7s %s\n' "$t" "$seconds" "${execs:-?}" "${rate:-?}" "$size" \
        "$([ "$found" = 0 ] && echo none || echo "$found: see $findings")"
    if [ "$found" != 0 ]; then
        grep -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|ERROR:|\*\*' "$log" >&2 || tail -n5 "$log" >&2
    fi
    total_found=$((total_found + found))
done
[ "$total_found" = 0 ] || exit 1

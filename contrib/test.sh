#!/usr/bin/env bash
# Set the machine up (contrib/setup.sh), then run every test: fwupd's style checks, the unit
# tests, the converter tests, the integration tests with the stock fwupdtool against the
# simulated module, then the unit and integration tests again under AddressSanitizer and
# UndefinedBehaviorSanitizer, and every fuzz target briefly.
#   contrib/test.sh [BUILDDIR]   (default: build; the sanitizer build goes to BUILDDIR-asan)
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
builddir=${1:-build}
case "$builddir" in /*) ;; *) builddir="$top/$builddir" ;; esac
cd "$top"

"$top/contrib/setup.sh" "$builddir"
"$top/contrib/setup.sh" "$builddir-asan" -Db_sanitize=address,undefined -Db_lundef=false

passed=0
failed=0
count() {
    # meson's machine-readable log: one JSON object per test
    local log="$1/meson-logs/testlog.json" p f
    p=$(grep -c '"result": "OK"' "$log" || true)
    f=$(grep -c -E '"result": "(FAIL|TIMEOUT|ERROR|UNEXPECTEDPASS)"' "$log" || true)
    passed=$((passed + p))
    failed=$((failed + f))
}

status=0
echo "== style"
if "$top/contrib/check-style.sh" "$builddir"; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; fi

echo "== unit and integration tests"
meson test -C "$builddir" --print-errorlogs --num-processes 2 || status=1
count "$builddir"

# the Debian packages: built, lintian-clean, and the install and daemon tests (suite "daemon",
# the stock fwupd and fwupdmgr on a private bus) again against their unpacked contents
echo "== Debian package, and the daemon tests against its contents"
debdir="$builddir/deb"
if "$top/contrib/build-deb.sh" "$debdir" "$builddir"; then
    passed=$((passed + 1))
    rm -rf "$debdir/root"
    for deb in "$debdir"/fwupd-plugin-quectel_*.deb "$debdir"/quectel-fw2cab_*.deb; do
        dpkg-deb -x "$deb" "$debdir/root"
    done
    QUECTEL_INSTALL_ROOT="$debdir/root" meson test -C "$builddir" --suite daemon \
        --print-errorlogs --num-processes 2 || status=1
    count "$builddir"
else
    failed=$((failed + 1))
    status=1
fi

echo "== unit tests under ASan/UBSan, with leak detection"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    meson test -C "$builddir-asan" --suite unit --print-errorlogs || status=1
count "$builddir-asan"

# the sanitized plugin inside the stock fwupdtool: the runtime must be loaded first, and the
# stock tools' own leaks are not ours to report
echo "== integration tests with the plugin under ASan/UBSan"
LD_PRELOAD=$(gcc -print-file-name=libasan.so) \
    ASAN_OPTIONS=detect_leaks=0:verify_asan_link_order=0 \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    meson test -C "$builddir-asan" --suite integration --print-errorlogs || status=1
count "$builddir-asan"

# the converter suite: the converter is sanitized itself (leaks included); the runtime is
# preloaded into the stock fwupdtool that loads the sanitized plugin, and into no other stock
# tool (tests/converter/fw2cab.py says why)
echo "== converter tests under ASan/UBSan"
QUECTEL_SANITIZER_PRELOAD=$(gcc -print-file-name=libasan.so) \
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    meson test -C "$builddir-asan" --suite converter --print-errorlogs || status=1
count "$builddir-asan"

# every libFuzzer target a few seconds under ASan/UBSan (contrib/fuzz.sh runs them longer)
echo "== fuzz targets under ASan/UBSan"
if FWUPD_SOURCE="$builddir/fwupd-src" FUZZ_BUILDDIR="$builddir-fuzz" "$top/contrib/fuzz.sh" 4; then
    passed=$((passed + 1))
else
    failed=$((failed + 1))
    status=1
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] || status=1
exit $status

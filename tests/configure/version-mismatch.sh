#!/usr/bin/env bash
# Configuring against fwupd headers of another version must stop with a clear message.
#   version-mismatch.sh SOURCE_DIR FWUPD_SOURCE
set -euo pipefail
src=$1
fwupd_src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# a copy of the real fwupd source tree that claims another release
mkdir -p "$work/fwupd"
cp -r "$fwupd_src/libfwupd" "$fwupd_src/libfwupdplugin" "$work/fwupd/"
sed -E "0,/version: '[^']+'/s//version: '2.0.19'/" "$fwupd_src/meson.build" >"$work/fwupd/meson.build"

if meson setup "$work/build" "$src" -Dfwupd_source="$work/fwupd" >"$work/log" 2>&1; then
    echo "FAIL: configure accepted fwupd 2.0.19 headers for an installed $(pkg-config --modversion fwupd)"
    exit 1
fi
if ! grep -q "ABI mismatch: the fwupd headers in $work/fwupd are from 2.0.19 but the installed fwupd is" "$work/log"; then
    echo "FAIL: configure failed without the ABI mismatch message:"
    cat "$work/log"
    exit 1
fi
grep -o "ABI mismatch.*" "$work/log"

# and no fwupd source at all
if meson setup "$work/build2" "$src" >"$work/log2" 2>&1 || ! grep -q "fwupd_source=DIR is required" "$work/log2"; then
    echo "FAIL: configure without -Dfwupd_source did not explain itself:"
    cat "$work/log2"
    exit 1
fi
echo "PASS"

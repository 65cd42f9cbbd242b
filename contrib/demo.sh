#!/usr/bin/env bash
# Set the machine up (contrib/setup.sh), then show the main job on a simulated module: the stock
# fwupdtool, with this project's plugin, looking at an EC25.
#   contrib/demo.sh [BUILDDIR]   (default: build)
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
builddir=${1:-build}
case "$builddir" in /*) ;; *) builddir="$top/$builddir" ;; esac

"$top/contrib/setup.sh" "$builddir"

work=$(mktemp -d "${TMPDIR:-/tmp}/quectel-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/quirks.d"
cp "$top/plugins/quectel/quectel.quirk" "$work/quirks.d/"

# the stock daemon's tool, loading our plugin and quirk beside the distribution's
run_fwupdtool() {
    "$builddir/tests/ec25-sim" --state "$work/module" --model EC25 --revision EC25EFAR06A08M4G -- \
        env FWUPD_LIBDIR_PKG="$builddir/plugins/quectel" \
        FWUPD_LOCALSTATEDIR_QUIRKS="$work/quirks.d" \
        FWUPD_LOCALSTATEDIR="$work/var" STATE_DIRECTORY="$work/state" CACHE_DIRECTORY="$work/cache" \
        fwupdtool "$@"
}

echo "== fwupdtool $(fwupdtool --version 2>/dev/null | awk '$2 == "org.freedesktop.fwupd" {print $3; exit}'), plugin from $builddir"
echo "== a simulated EC25 (EC25EFAR06A08M4G) as fwupdtool get-devices sees it:"
run_fwupdtool get-devices --plugins quectel 2>/dev/null

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

# the stock daemon's tool, loading our plugin and quirk beside the distribution's; the module's
# state (NAND, revision) persists in $work/module between the runs
run_fwupdtool() {
    "$builddir/tests/ec25-sim" --state "$work/module" -- \
        env FWUPD_LIBDIR_PKG="$builddir/plugins/quectel" \
        FWUPD_LOCALSTATEDIR_QUIRKS="$work/quirks.d" \
        FWUPD_LOCALSTATEDIR="$work/var" STATE_DIRECTORY="$work/state" CACHE_DIRECTORY="$work/cache" \
        fwupdtool "$@"
}
show_version() {
    run_fwupdtool get-devices --plugins quectel --json 2>/dev/null |
        python3 -c 'import json,sys; d=[x for x in json.load(sys.stdin)["Devices"] if x.get("Plugin")=="quectel"]; print(d[0]["Version"] if d else "no module")'
}

new=EC25EFAR06A09M4G
echo "== fwupdtool $(fwupdtool --version 2>/dev/null | awk '$2 == "org.freedesktop.fwupd" {print $3; exit}'), plugin from $builddir"

echo "== the vendor's firmware folder for $new (generated sample)"
folder=$(python3 "$top/tests/gen-vendor-folder.py" "$work/folders" --layout ec25e --revision "$new")
(cd "$folder" && find . -type f | sort | sed 's/^/   /')

echo "== converting it into a cabinet"
"$builddir/contrib/quectel-fw2cab/quectel-fw2cab" "$folder" -o "$work/$new.cab"
gcab -t "$work/$new.cab" | sed 's/^/   /'

echo "== a simulated EC25 running EC25EFAR06A08M4G, as fwupdtool get-devices sees it"
"$builddir/tests/ec25-sim" --state "$work/module" --model EC25 --revision EC25EFAR06A08M4G -- true
run_fwupdtool get-devices --plugins quectel 2>/dev/null
echo "== version before: $(show_version)"

echo "== fwupdtool install $new.cab"
run_fwupdtool install "$work/$new.cab" --plugins quectel --no-reboot-check -y 2>&1 |
    awk '!/: [0-9]+%/ || /^(Writing|Restarting|Waiting).*0%/' # one progress line in ten

echo "== version after: $(show_version)"
echo "== what the simulated module saw"
python3 - "$work/module/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print(f"   revision {s['revision']}, bootable {s['bootable']}")
print(f"   {len(s['erases'])} erases, {len(s['programs'])} programs, "
      f"{s['bytes_received']} bytes of images in {s['transfers']} transfers, {s['naks']} NAK")
print(f"   EFS2 (calibration) unchanged: {s['efs2']['unchanged']}")
for p in s["programs"]:
    print(f"   {p['label'] or '':10} {p['filename']:45} page {p['start_sector']:>6} "
          f"x{p['sectors']:<5} {p['status']}")
PY

#!/usr/bin/env bash
# A screenshot of GNOME Firmware listing a simulated EC25 and the release a vendor-directory
# remote offers for it, as a user of the packaged plugin sees it.
#
#   contrib/screenshot-gnome-firmware.sh [OUT.png]     (default: docs/gnome-firmware.png)
#
# Runs, all private to this script: a system bus with polkitd, the simulated module, the stock
# fwupd daemon with the plugin installed from the build (tests/integration/daemon.py), a
# vendor-directory remote holding a newer release, and Debian's gnome-firmware on Xvfb.
# Needs root (to install the packages below when missing, and for the daemon).
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-$top/docs/gnome-firmware.png}
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac

packages=(gnome-firmware xvfb xauth imagemagick xdotool)
missing=()
for p in "${packages[@]}"; do
    st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
    [ "${st:0:2}" = "ii" ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
"$top/contrib/setup.sh" "$top/build"
mkdir -p "$(dirname "$out")"

QUECTEL_BUILD_DIR="$top/build" QUECTEL_SOURCE_DIR="$top" /usr/bin/python3 - "$out" <<'PY'
import os
import shutil
import subprocess
import sys
import tempfile
import time

top = os.environ["QUECTEL_SOURCE_DIR"]
sys.path.insert(0, os.path.join(top, "tests", "integration"))
import daemon as d  # noqa: E402

OLD, NEW = "EC25EFAR06A08M4G", "EC25EFAR06A09M4G"
out = sys.argv[1]
workdir = tempfile.mkdtemp(prefix="quectel-screenshot-")
os.chmod(workdir, 0o755)
stack = []
try:
    tree = d.InstalledTree.from_build(os.path.join(workdir, "destdir"))
    bus = d.SystemBus(workdir).start()
    stack.append(bus)
    stack.append(d.Polkit(bus, workdir).start())
    module = d.Module(workdir, ["--model", "EC25", "--revision", OLD]).start()
    stack.append(module)
    fwupd = d.Daemon(workdir, tree, bus, module)
    vendor = os.path.join(workdir, "vendor", "firmware")
    fwupd.add_vendor_directory("vendor-directory", vendor)
    folder = subprocess.run(
        ["/usr/bin/python3", os.path.join(top, "tests", "gen-vendor-folder.py"),
         os.path.join(workdir, "folders"), "--layout", "ec25e", "--revision", NEW],
        capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    tool = os.path.join(os.environ["QUECTEL_BUILD_DIR"], "contrib", "quectel-fw2cab",
                        "quectel-fw2cab")
    subprocess.run([tool, folder, "-q", "-o", os.path.join(vendor, NEW + ".cab")], check=True)
    fwupd.start()
    stack.append(fwupd)
    env = dict(os.environ, **bus.env(), GTK_A11Y="none", NO_AT_BRIDGE="1", LANG="C.UTF-8")
    for _ in range(100):
        if NEW in subprocess.run(["fwupdmgr", "get-updates", "--no-metadata-check"], env=env,
                                 capture_output=True, text=True).stdout:
            break
        time.sleep(0.2)
    else:
        raise SystemExit("the daemon offers no update for the simulated module")
    # the device page: the module selected, its release listed
    shot = f"""
gnome-firmware & app=$!
win=; for i in $(seq 150); do win=$(xdotool search --onlyvisible --name Firmware | head -n1); [ -n "$win" ] && break; sleep 0.2; done
[ -n "$win" ] || exit 1
xdotool windowsize "$win" 900 700; sleep 3
xdotool windowactivate --sync "$win" 2>/dev/null || true
xdotool mousemove --window "$win" 300 110 click 1; sleep 3
import -window "$win" "{out}"
kill $app
"""
    subprocess.run(["xvfb-run", "-a", "-e", os.path.join(workdir, "xvfb.log"), "-s",
                    "-screen 0 1280x900x24", "dbus-run-session", "--",
                    "sh", "-c", shot], env=env, check=True, timeout=120)
    print(out)
finally:
    for piece in reversed(stack):
        piece.stop()
    shutil.rmtree(workdir, ignore_errors=True)
PY

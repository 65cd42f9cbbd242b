#!/usr/bin/env bash
# Build the Debian packages from the checkout, for the fwupd installed on this machine.
#
#   contrib/build-deb.sh [OUTDIR [BUILDDIR]]    (default: build/deb, build)
#
# Copies the tracked sources to OUTDIR/src, builds there with dpkg-buildpackage (so nothing is
# written next to the checkout) and leaves in OUTDIR:
#   fwupd-plugin-quectel_*.deb   the plugin, its quirk and the fwupd.service drop-in
#   quectel-fw2cab_*.deb         the cabinet converter
# then runs lintian on them. The plugin package depends on exactly the installed fwupd version:
# rebuild after every fwupd upgrade.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
outdir=${1:-$top/build/deb}
builddir=${2:-$top/build}
case "$outdir" in /*) ;; *) outdir="$PWD/$outdir" ;; esac
case "$builddir" in /*) ;; *) builddir="$PWD/$builddir" ;; esac

say() { printf 'build-deb: %s\n' "$*" >&2; }
die() {
    printf 'build-deb: error: %s\n' "$*" >&2
    exit 1
}

# the fwupd source of the installed version, fetched by setup.sh into its build folder
"$top/contrib/setup.sh" "$builddir"
fwupd_src="$builddir/fwupd-src"
[ -f "$fwupd_src/meson.build" ] || die "no fwupd source in $fwupd_src"

version=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
src="$outdir/src/fwupd-quectel-$version"
rm -rf "$outdir"
mkdir -p "$src"
(cd "$top" && git ls-files -z --cached --others --exclude-standard) |
    (cd "$top" && xargs -0 cp --parents -t "$src")

say "building fwupd-quectel $version against fwupd $(dpkg-query -W -f='${Version}' fwupd)"
(cd "$src" && FWUPD_SOURCE="$fwupd_src" dpkg-buildpackage -b -us -uc) >"$outdir/build.log" 2>&1 || {
    tail -n 60 "$outdir/build.log" >&2
    die "dpkg-buildpackage failed (log: $outdir/build.log)"
}
mv "$outdir"/src/*.deb "$outdir"/src/*.changes "$outdir"/src/*.buildinfo "$outdir/"

say "lintian"
lintian --fail-on error,warning --display-info --suppress-tags-from-file /dev/null \
    "$outdir"/*.changes || die "lintian found problems"
ls "$outdir"/*.deb

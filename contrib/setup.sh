#!/usr/bin/env bash
# Prepare a Debian 12 machine and build the project.
#
#   contrib/setup.sh [BUILDDIR]        (default: build)
#
# - installs only the Debian packages that are missing (needs root when something is missing);
# - fetches the Debian source of the *installed* fwupd version into BUILDDIR/fwupd-src, using a
#   private apt configuration under BUILDDIR (the system's apt sources are not touched);
# - configures and builds with meson.
# Idempotent: on a prepared machine it only runs an incremental build and prints nothing else.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
builddir=${1:-build}
case "$builddir" in /*) ;; *) builddir="$top/$builddir" ;; esac
meson_args=("${@:2}")

say() { printf 'setup: %s\n' "$*" >&2; }
die() {
    printf 'setup: error: %s\n' "$*" >&2
    exit 1
}

# every package the build, the tests and the demo need
packages=(
    gcc libc6-dev pkg-config meson ninja-build git
    python3 python3-jinja2 dpkg-dev xz-utils ca-certificates
    clang-format
    fwupd libfwupd-dev libglib2.0-dev libjson-glib-dev libjcat-dev jcat libxmlb-dev libzstd-dev liblzma-dev
    libusb-1.0-0-dev libarchive-dev libgcab-dev gcab libcurl4-gnutls-dev zlib1g-dev openssl
    umockdev libumockdev-dev python3-dbusmock dbus-daemon
    dbus-bin polkitd systemd build-essential debhelper lintian
    modemmanager
)

missing=()
for p in "${packages[@]}"; do
    st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
    [ "${st:0:2}" = "ii" ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || die "missing packages (${missing[*]}); run this script as root to install them"
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null || die "apt-get update failed"
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
        die "apt-get install ${missing[*]} failed"
fi

# the simulated module: umockdev hands each uevent to every listener as a datagram on a
# non-blocking unix socket and aborts the simulator when a listener's queue is full; plugging a
# module adds some twenty devices at once, beyond the kernel's default queue of 10 datagrams
# (net.unix.max_dgram_qlen, per network namespace)
qlen_file=/proc/sys/net/unix/max_dgram_qlen
qlen_min=512
if [ -r "$qlen_file" ] && [ "$(cat "$qlen_file")" -lt "$qlen_min" ]; then
    if [ "$(id -u)" = 0 ] && echo "$qlen_min" >"$qlen_file" 2>/dev/null; then
        say "raised net.unix.max_dgram_qlen to $qlen_min for the simulated module's uevents"
    else
        say "warning: net.unix.max_dgram_qlen is $(cat "$qlen_file"); the simulator may abort" \
            "while a busy fwupd reads its uevents (as root: sysctl net.unix.max_dgram_qlen=$qlen_min)"
    fi
fi

# the fwupd version the system runs: the plugin ABI is tied to it
fwupd_version=$(dpkg-query -W -f='${Version}' fwupd)
fwupd_upstream=${fwupd_version%%-*}
fwupd_upstream=${fwupd_upstream#*:}

mkdir -p "$builddir"
srcdir="$builddir/fwupd-src"
stamp="$srcdir/.version"
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$fwupd_version" ]; then
    say "fetching the fwupd $fwupd_version source package"
    aptdir="$builddir/fwupd-apt"
    rm -rf "$srcdir" "$aptdir"
    mkdir -p "$aptdir/lists/partial" "$aptdir/cache/archives/partial" "$aptdir/download" "$srcdir"
    # reuse the system's Debian mirror, as a deb-src line in a private list
    mirror=$(grep -rhoE '^(URIs:|deb) *https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list \
        /etc/apt/sources.list.d/ 2>/dev/null | head -n1 | grep -oE 'https?://[^ ]+' || true)
    mirror=${mirror:-http://deb.debian.org/debian}
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
    printf 'deb-src %s %s main\n' "${mirror%/}" "$codename" >"$aptdir/sources.list"
    aptopts=(-o "Dir::Etc::SourceList=$aptdir/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
        -o "Dir::State::Lists=$aptdir/lists" -o "Dir::Cache=$aptdir/cache"
        -o "APT::Sandbox::User=root")
    apt-get "${aptopts[@]}" update -qq >/dev/null || die "could not read the deb-src index of $mirror"
    (cd "$aptdir/download" &&
        apt-get "${aptopts[@]}" source --download-only -qq "fwupd=$fwupd_version" >/dev/null) ||
        die "could not download the source of fwupd $fwupd_version"
    rm -rf "$srcdir"
    dpkg-source --no-check -x "$aptdir/download/fwupd_${fwupd_version#*:}.dsc" "$srcdir" >/dev/null 2>&1 ||
        die "could not unpack the fwupd source"
    echo "$fwupd_version" >"$stamp"
fi

if [ ! -f "$builddir/build.ninja" ]; then
    meson setup "$builddir" "$top" -Dfwupd_source="$srcdir" "${meson_args[@]}" >"$builddir/setup.log" 2>&1 || {
        cat "$builddir/setup.log" >&2
        die "meson setup failed"
    }
elif [ ${#meson_args[@]} -gt 0 ]; then
    meson configure "$builddir" "${meson_args[@]}" >/dev/null
fi
ninja -C "$builddir" >"$builddir/ninja.log" 2>&1 || {
    cat "$builddir/ninja.log" >&2
    die "build failed"
}

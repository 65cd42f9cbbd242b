#!/usr/bin/env bash
# fwupd's formatting and lint rules over the project's C sources and quirks.
#   contrib/check-style.sh [BUILDDIR]   (BUILDDIR holds the fwupd source that contrib/setup.sh fetched)
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
builddir=${1:-build}
case "$builddir" in /*) ;; *) builddir="$top/$builddir" ;; esac
ci="$builddir/fwupd-src/contrib/ci"
cd "$top"

rc=0
mapfile -t c_files < <(git ls-files -co --exclude-standard '*.c' '*.h')
unformatted=()
for f in "${c_files[@]}"; do
    [ -f "$f" ] || continue
    clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || unformatted+=("$f")
done
if [ ${#unformatted[@]} -gt 0 ]; then
    printf 'style: not formatted with .clang-format (run clang-format -i): %s\n' "${unformatted[*]}" >&2
    rc=1
fi

# fwupd's own rules apply to the plugin and the tools built on libfwupdplugin
mapfile -t fwupd_files < <(git ls-files -co --exclude-standard 'plugins/*.c' 'plugins/*.h' 'contrib/*.c' 'contrib/*.h')
if [ ${#fwupd_files[@]} -gt 0 ]; then
    python3 "$ci/check-source.py" "${fwupd_files[@]}" 2>&1 | grep -v '^checking ' >&2 || true
    python3 "$ci/check-source.py" "${fwupd_files[@]}" >/dev/null 2>&1 || {
        echo "style: contrib/ci/check-source.py failed" >&2
        rc=1
    }
    python3 "$ci/check-license.py" "${fwupd_files[@]}" || rc=1
fi
python3 "$ci/check-quirks.py" || rc=1
[ $rc = 0 ] && echo "style: ok"
exit $rc

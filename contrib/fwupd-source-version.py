#!/usr/bin/env python3
"""Print the version of an unpacked fwupd source tree (the project() version of its meson.build)."""
import re
import sys

path = sys.argv[1] + "/meson.build"
try:
    with open(path, encoding="utf-8") as f:
        text = f.read(4096)
except OSError as e:
    sys.exit(f"cannot read {path}: {e.strerror}")
m = re.search(r"project\(\s*'fwupd'\s*,.*?version:\s*'([^']+)'", text, re.S)
if not m:
    sys.exit(f"{path} is not the meson.build of a fwupd source tree")
print(m.group(1))

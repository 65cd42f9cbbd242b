#!/usr/bin/python3
# Copyright 2026 The fwupd-quectel authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The installed files land where the stock fwupd and systemd read them, whatever the prefix."""

import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from daemon import BUILD_DIR, INSTALL_ROOT, SOURCE_DIR, InstalledTree, stock_folders

PLUGIN = "libfu_plugin_quectel.so"
QUIRK = "quectel.quirk"
DROPIN = "fwupd.service.d/quectel.conf"


def runpath(binary):
    out = subprocess.run(["readelf", "-d", binary], capture_output=True, text=True,
                         check=True).stdout
    found = re.findall(r"\((?:RUNPATH|RPATH)\)\s+Library r(?:un)?path: \[([^\]]*)\]", out)
    return found


class Install(unittest.TestCase):
    def setUp(self):
        self.workdir = tempfile.mkdtemp(prefix="quectel-install-")
        self.addCleanup(shutil.rmtree, self.workdir, ignore_errors=True)
        self.stock = stock_folders()
        if INSTALL_ROOT:
            self.tree = InstalledTree(INSTALL_ROOT)
        else:
            self.tree = InstalledTree.from_build(os.path.join(self.workdir, "destdir"))

    def expected(self, bindir):
        return {os.path.join(self.stock["plugins"], PLUGIN),
                os.path.join(self.stock["quirks"], QUIRK),
                os.path.join(self.stock["units"], DROPIN),
                os.path.join(bindir, "quectel-fw2cab")}

    def installed_files(self):
        # a package also carries its documentation and lintian overrides
        return {f for f in self.tree.files()
                if not f.startswith(("/usr/share/doc/", "/usr/share/man/", "/usr/share/lintian/"))}

    def converter(self):
        tools = [f for f in self.tree.files() if f.endswith("/bin/quectel-fw2cab")]
        self.assertEqual(len(tools), 1, self.tree.files())
        return tools[0]

    def test_layout(self):
        """Plugin and quirk next to the stock package's, the drop-in next to its unit."""
        files = self.installed_files()
        self.assertEqual(files, self.expected(os.path.dirname(self.converter())))

    def test_any_prefix(self):
        """Another prefix moves the converter only."""
        if INSTALL_ROOT:
            self.skipTest("checks meson's prefix handling; the package has its own test")
        builddir = os.path.join(self.workdir, "build")
        options = json.loads(subprocess.run(["meson", "introspect", BUILD_DIR, "--buildoptions"],
                                            capture_output=True, text=True, check=True).stdout)
        fwupd_src = [o["value"] for o in options if o["name"] == "fwupd_source"][0]
        proc = subprocess.run(["meson", "setup", builddir, SOURCE_DIR, "--prefix", "/opt/quectel",
                               f"-Dfwupd_source={fwupd_src}"],
                              capture_output=True, text=True, check=False)
        self.assertEqual(proc.returncode, 0, proc.stdout[-3000:] + proc.stderr[-3000:])
        installed = json.loads(subprocess.run(["meson", "introspect", builddir, "--installed"],
                                              capture_output=True, text=True,
                                              check=True).stdout)
        self.assertEqual(set(installed.values()), self.expected("/opt/quectel/bin"))

    def test_converter_runs_installed(self):
        """The converter needs fwupd's private libfwupdplugin (it shares the plugin's firmware
        parser): its RUNPATH names exactly that folder, as fwupdtool's does, and nothing of
        the build."""
        tool = self.tree.path(self.converter())
        self.assertEqual(runpath(tool), [self.stock["plugins"]])
        self.assertEqual(runpath(tool), runpath("/usr/bin/fwupdtool"))
        env = {k: v for k, v in os.environ.items() if k != "LD_LIBRARY_PATH"}
        proc = subprocess.run([tool, "--help"], capture_output=True, text=True, env=env,
                              check=False)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("quectel-fw2cab", proc.stdout + proc.stderr)

    def test_plugin_has_no_build_paths(self):
        plugin = self.tree.path(os.path.join(self.stock["plugins"], PLUGIN))
        for path in runpath(plugin):
            for entry in path.split(":"):
                self.assertFalse(entry.startswith(BUILD_DIR), path)
                self.assertFalse(entry.startswith(SOURCE_DIR), path)

    def test_dropin(self):
        """systemd accepts the unit with the drop-in, and the drop-in does not depend on
        usbserial being loaded before fwupd starts."""
        dropin = self.tree.path(os.path.join(self.stock["units"], DROPIN))
        units = os.path.join(self.workdir, "units")
        os.makedirs(os.path.join(units, "fwupd.service.d"))
        shutil.copy(os.path.join(self.stock["units"], "fwupd.service"), units)
        shutil.copy(dropin, os.path.join(units, DROPIN))
        env = dict(os.environ, SYSTEMD_UNIT_PATH=units + ":")
        proc = subprocess.run(["systemd-analyze", "verify", os.path.join(units, "fwupd.service")],
                              capture_output=True, text=True, env=env, check=False)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout + proc.stderr, "")

        with open(dropin, encoding="utf-8") as f:
            ours = [line.strip() for line in f if line.strip() and not line.startswith("#")]
        with open(os.path.join(self.stock["units"], "fwupd.service"), encoding="utf-8") as f:
            stock = [line.strip() for line in f]
        allow = [line for line in ours if line.startswith("DeviceAllow=")]
        self.assertEqual(allow, ["DeviceAllow=char-ttyUSB rw"])
        for line in allow:
            self.assertNotIn(line, stock, "already allowed by the stock unit")
        # "char-ttyUSB" resolves from /proc/devices when fwupd starts: usbserial, which
        # registers the group, is loaded first, through systemd's own modprobe@ template
        self.assertIn("Wants=modprobe@usbserial.service", ours)
        self.assertIn("After=modprobe@usbserial.service", ours)
        self.assertTrue(os.path.exists(os.path.join(self.stock["units"], "modprobe@.service")))
        # the EDL side: /dev/bus/usb is the stock unit's
        self.assertIn("DeviceAllow=char-usb_device rw", stock)


if __name__ == "__main__":
    unittest.main()

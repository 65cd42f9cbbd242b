#!/usr/bin/python3
# Copyright 2026 The fwupd-quectel authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Replay the recorded update with the stock fwupdtool, without the simulator.

plugins/quectel/tests/quectel-ec25.json is a device test in fwupd's format: an enumeration step
(quectel-ec25-setup.json) and an update step (quectel-ec25-update.zip, every phase from
enumeration through detach, Sahara, Firehose, attach and reload, with the cabinet the
recording installed). tests/emulation/record.py made both from ec25-sim and rebuilds the
cabinet here from the same generator options. No ec25-sim and no umockdev take part: fwupd's
emulation feeds the plugin the recorded USB and tty events, and fails at the first transfer
the plugin makes that was not recorded.
"""

import importlib.util
import json
import os
import re
import subprocess
import unittest

from harness import BUILD_DIR, FWUPDTOOL, SOURCE_DIR, TIMEOUT_S, SimTestCase

TESTS_DIR = os.path.join(SOURCE_DIR, "plugins", "quectel", "tests")
DEVICE_TEST = os.path.join(TESTS_DIR, "quectel-ec25.json")
# the engine's log line once an install went through every phase
UPDATED = r"FuEngine +updating [0-9a-f]{40} \[EC25\] took "


def load_recorder():
    spec = importlib.util.spec_from_file_location(
        "record", os.path.join(SOURCE_DIR, "tests", "emulation", "record.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


record = load_recorder()


class Emulation(SimTestCase):
    """fwupd's device test of the plugin, replayed with `fwupdtool emulation-load`."""

    def steps(self):
        with open(DEVICE_TEST, encoding="utf-8") as f:
            doc = json.load(f)
        self.assertFalse(doc["interactive"])
        return doc["steps"]

    def emulation_file(self, step):
        return step["emulation-file"].replace("@enumeration_datadir@", TESTS_DIR)

    def emulate(self, emulation_file, cab=None):
        env = self.fwupd_env()
        # no simulated module: no umockdev testbed (a sanitizer runtime may stay preloaded)
        env.pop("UMOCKDEV_DIR", None)
        preload = [p for p in env.get("LD_PRELOAD", "").split() if "umockdev" not in p]
        env["LD_PRELOAD"] = " ".join(preload)
        env["FWUPD_VERBOSE"] = "1"
        args = [FWUPDTOOL, "emulation-load", emulation_file]
        if cab is not None:
            args += [cab, "--no-reboot-check", "-y"]
        proc = subprocess.run([*args, "--plugins", "quectel", "-vv"], env=env,
                              capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
        self.assertGreaterEqual(proc.returncode, 0, proc.stderr[-3000:])
        self.assertFalse("CRITICAL" in proc.stderr, proc.stderr[-3000:])
        return proc

    def make_cab(self, revision):
        return record.make_package(self.workdir, BUILD_DIR, revision)

    def assertDevice(self, stderr, component):
        """The module's device, as the engine last printed it, has the component's version and
        GUIDs."""
        dumps = re.findall(r"FuQuectelDevice:\n((?:  .*\n)+)", stderr)
        self.assertTrue(dumps, "the plugin added no device for the module")
        dump = dumps[-1]
        self.assertRegex(dump, r"\n  Version: +%s\n" % component["version"])
        for guid in component["guids"]:
            self.assertIn(guid, dump)
        self.assertRegex(dump, r"Flags: +\S*updatable\S*emulated")

    def test_enumeration(self):
        step = self.steps()[0]
        self.assertNotIn("url", step)
        proc = self.emulate(self.emulation_file(step))
        self.assertEqual(proc.returncode, 0, proc.stderr[-3000:])
        self.assertDevice(proc.stderr, step["components"][0])

    def test_update(self):
        step = self.steps()[1]
        component = step["components"][0]
        cab = self.make_cab(component["version"])
        self.assertEqual(os.path.basename(cab), step["url"])
        proc = self.emulate(self.emulation_file(step), cab)
        self.assertEqual(proc.returncode, 0, proc.stderr[-3000:])
        # every phase came from the recording, with the plugin's whole update in between
        for phase in ("setup", "prepare", "detach", "install", "attach", "reload"):
            if phase != "setup":
                self.assertTrue(f"emulator loading {phase}.json" in proc.stderr,
                                f"the {phase} phase was not replayed")
        for text in ("programmer loaded", "flash: 2048 erase blocks, the package needs 2048"):
            self.assertTrue(text in proc.stderr, f"no '{text}' in the replay's log")
        for pattern in (r"firehose tx: .*<program [^>]*label=\"sbl\"",
                        r"firehose tx: .*<power value=\"reset\""):
            self.assertTrue(re.search(pattern, proc.stderr), f"no {pattern} in the replay's log")
        # the module reported the new version after the update
        self.assertDevice(proc.stderr, component)
        self.assertTrue(re.search(UPDATED, proc.stderr), "the engine did not finish the update")

    def test_other_payload_refused(self):
        # the recording is of one package: another one is caught at the first transfer that
        # differs, so the replay checks every byte the plugin sends
        step = self.steps()[1]
        cab = self.make_cab("EC25EFAR06A10M4G")
        proc = self.emulate(self.emulation_file(step), cab)
        self.assertNotEqual(proc.returncode, 0)
        self.assertTrue(re.search(r"no event with ID BulkTransfer:Endpoint=0x01", proc.stderr),
                        proc.stderr[-1000:])
        self.assertFalse(re.search(UPDATED, proc.stderr), "the engine finished the update")


if __name__ == "__main__":
    unittest.main()

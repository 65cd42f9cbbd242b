#!/usr/bin/python3
# Copyright 2026 The fwupd-quectel authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Unsolicited result codes anywhere on the AT port do not change what the plugin reads."""

import os
import re
import shutil
import unittest

import test_enumerate
from harness import SimTestCase
from test_enumerate import EC25_REV, IMEI
from test_update import EC25_NEW, EC25_OLD, UpdateCase

# every command the plugin sends on the AT port
AT_COMMANDS = ["ATE0", "ATI", "AT+QGMR", "AT+CGSN"]
BOOT_BURST = ["RDY", "+CFUN: 1", "+CPIN: READY", "+QUSIM: 1", "+QIND: SMS DONE",
              "+QIND: PB DONE"]
POINTS = ["after-echo", "before-final", "after-final"]


def urcs(sim_log):
    """(urc, point, command) for every URC the module sent; command is None before the echo."""
    found = []
    for m in re.finditer(r"(?m)^urc: (.*) \(([a-z-]+)(?: of (.*))?\)$", sim_log):
        found.append((m.group(1), m.group(2), m.group(3)))
    return found


def commands(sim_log):
    return re.findall(r"(?m)^at: (.*)$", sim_log)


class Urc(SimTestCase):
    """Enumeration with URCs from the simulator gives the same identity as without."""

    # the enumeration checks, without running the enumeration tests again here
    get_devices = test_enumerate.Enumerate.get_devices
    check_module = test_enumerate.Enumerate.check_module

    def enumerate_with(self, sim_args):
        result = self.get_devices(["--model", "EC25", "--revision", EC25_REV, *sim_args])
        self.check_module(result, "EC25", EC25_REV)
        self.assertNotIn("no IMEI", result.stderr)
        self.assertEqual(commands(result.sim_log), AT_COMMANDS)
        return result

    def test_everywhere(self):
        result = self.enumerate_with(["--urc", "all"])
        sent = urcs(result.sim_log)
        # the boot burst came with the first command, between its echo and its answer
        self.assertEqual([u for u, point, cmd in sent if point == "boot"], BOOT_BURST)
        self.assertEqual({cmd for _, point, cmd in sent if point == "boot"}, {"ATE0"})
        # one before each command, and one at each point of the answer of each command
        self.assertEqual(len([1 for _, point, _ in sent if point == "before-echo"]),
                         len(AT_COMMANDS))
        for cmd in AT_COMMANDS:
            for point in POINTS:
                self.assertIn(point, [p for _, p, c in sent if c == cmd],
                              f"no URC {point} of {cmd}")

    def test_boot_burst(self):
        result = self.enumerate_with(["--urc", "boot"])
        self.assertEqual([u for u, _, _ in urcs(result.sim_log)], BOOT_BURST)

    def test_between_command_and_answer(self):
        # the field report: a +QIND line before the AT+CGSN answer lost the IMEI
        result = self.enumerate_with(["--urc", "after-echo"])
        points = {(p, c) for _, p, c in urcs(result.sim_log)}
        self.assertEqual(points, {("after-echo", c) for c in AT_COMMANDS})

    def test_random(self):
        # seeded: each seed is one reproducible pattern; together they put URCs at every point
        seen = set()
        for seed in ("1", "2", "3"):
            with self.subTest(seed=seed):
                # a fresh module, and so a fresh log, for each seed
                shutil.rmtree(os.path.join(self.workdir, "module"), ignore_errors=True)
                result = self.enumerate_with(["--urc", "random", "--urc-seed", seed])
                sent = urcs(result.sim_log)
                self.assertGreater(len(sent), len(BOOT_BURST))
                seen |= {p for _, p, _ in sent}
        self.assertEqual(seen, {"boot", "before-echo", *POINTS})

    def test_old_firmware_with_urcs(self):
        # AT+QGMR answered ERROR, with URCs around the error
        result = self.get_devices(["--at-fault", "no-qgmr", "--urc", "all"])
        devices = result.devices("quectel")
        self.assertEqual(len(devices), 1)
        self.assertEqual(devices[0]["Version"], EC25_REV)
        self.assertEqual(devices[0]["Serial"], IMEI)
        self.assertIn("AT+QGMR is not supported by this firmware", result.stderr)

    def test_bad_option(self):
        result = self.run_tool(["get-devices"], ["--urc", "sometimes"])
        self.assertEqual(result.returncode, 125)
        self.assertIn("--urc is a list of boot", result.stderr)


class UrcUpdate(UpdateCase):
    """The module answers with URCs before and after the update, and after its reboot."""

    def test_update(self):
        folder = self.make_folder("ec25e", EC25_NEW)
        cab = self.make_cab(folder)
        result = self.install(cab, ["--model", "EC25", "--revision", EC25_OLD, "--urc", "all"])
        self.assertNoCrash(result)
        self.assertEqual(result.returncode, 0, result.stderr[-4000:])
        self.assertRegex(result.sim_log, r"mode: normal .*" + EC25_NEW)
        # the boot burst came again after the update, and the new version was still read
        boots = [c for _, p, c in urcs(result.sim_log) if p == "boot"]
        self.assertEqual(len(boots), 2 * len(BOOT_BURST), result.sim_log[-3000:])
        after = result.sim_log[result.sim_log.rindex("mode: normal"):]
        self.assertEqual(commands(after), AT_COMMANDS)


if __name__ == "__main__":
    unittest.main()

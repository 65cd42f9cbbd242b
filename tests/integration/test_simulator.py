#!/usr/bin/python3
# Copyright 2026 The fwupd-quectel authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The simulator's faults, variants and power cycles on the bus, as a host sees them.

These check the module (its USB identity, its log, module.ini), not what the plugin makes
of it: the plugin's recovery tests build on them.
"""

import configparser
import os
import subprocess
import unittest

from harness import TIMEOUT_S
from test_update import EC25_NEW, EC25_OLD, UpdateCase

# what a host reads of the only USB device, under the simulator's testbed
SHOW_USB = ("d=/sys/bus/usb/devices/1-1; cat $d/idVendor $d/idProduct $d/bcdDevice $d/product "
            "$d/bNumInterfaces; ls /dev | grep -c '^ttyUSB' || true")


class Simulator(UpdateCase):
    def run_sim(self, *args, command=("true",)):
        """ec25-sim on this test's state folder; COMMAND () for none."""
        state = os.path.join(self.workdir, "module")
        cmd = [self.sim, "--state", state, *args]
        if command:
            cmd += ["--", *command]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S,
                              check=False)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc.stdout

    def module_ini(self):
        ini = configparser.ConfigParser()
        ini.read(os.path.join(self.workdir, "module", "module.ini"))
        return ini["module"]

    def sim_log(self):
        with open(os.path.join(self.workdir, "module", "sim.log"), encoding="utf-8") as f:
            return f.read()

    def usb(self, *args):
        return self.run_sim(*args, command=("sh", "-c", SHOW_USB)).split()

    def test_dump_mode_variants(self):
        # Quectel's dump mode with and without a tty bound to its one interface
        self.assertEqual(self.usb("--start-mode", "dump"),
                         ["2c7c", "0125", "0000", "QHSUSB__BULK", "1", "1"])
        self.assertEqual(self.usb("--start-mode", "dump", "--dump-tty", "no"),
                         ["2c7c", "0125", "0000", "QHSUSB__BULK", "1", "0"])
        # a persistent one survives a power cycle until USB_BOOT
        self.run_sim("--power-cycle", command=())
        self.assertEqual(self.module_ini()["mode"], "dump")
        self.assertEqual(self.usb("--usb-boot")[:2], ["05c6", "9008"])
        self.run_sim("--power-cycle", command=())
        self.assertEqual(self.module_ini()["mode"], "dump")
        # one that clears boots the NAND after a power cycle
        self.run_sim("--start-mode", "dump", "--dump-kind", "clears", "--power-cycle", command=())
        self.assertEqual(self.module_ini()["mode"], "dump")
        self.run_sim("--power-cycle", command=())
        self.assertEqual(self.module_ini()["mode"], "normal")
        self.assertEqual(self.usb()[:3], ["2c7c", "0125", "0318"])

    def test_programmer_running(self):
        self.assertEqual(self.usb("--programmer-running")[:2], ["05c6", "9008"])
        self.assertIn("firehose: the programmer is still running", self.sim_log())
        # nothing told it to stop: still running for the next host, until a power cycle
        self.assertEqual(self.module_ini()["edl_stage"], "1")
        self.usb()
        self.assertEqual(self.sim_log().count("firehose: the programmer is still running"), 2)
        self.run_sim("--power-cycle", command=())
        self.assertEqual(self.module_ini()["edl_stage"], "0")
        self.assertEqual(self.module_ini()["mode"], "normal")

    def test_power_loss_in_sbl(self):
        # the power goes while the SBL is written: off the bus at once, back in the PBL's
        # EDL, and a power cycle does not change that
        folder = self.make_folder("ec25e", EC25_NEW)
        cab = self.make_cab(folder)
        result = self.install(cab, ["--model", "EC25", "--revision", EC25_OLD,
                                    "--fault", "power-loss:sbl"])
        self.assertNoCrash(result)
        log = result.sim_log
        self.assertIn("firehose: power lost after", log)
        after = log[log.index("mode: edl, power lost"):]
        self.assertIn("the PBL falls back to download mode", after)
        self.assertEqual(self.module_ini()["mode"], "edl")
        summary = self.summary()
        self.assertEqual(summary["state"], "power-lost")
        self.assertEqual(summary["programs"][-1]["status"], "power-lost")
        self.assertTrue(summary["efs2"]["unchanged"])
        self.run_sim("--power-cycle", command=())
        self.assertEqual(self.module_ini()["mode"], "edl")


if __name__ == "__main__":
    unittest.main()

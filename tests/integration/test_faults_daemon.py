#!/usr/bin/python3
# Copyright 2026 The fwupd-quectel authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Rows of the fault matrix through the stock fwupd daemon and `fwupdmgr update`.

The daemon runs on a private bus with a vendor-directory remote holding the cabinet. After the
failure the daemon stops, the module is unplugged (power-cycled where the fault needs it) and
plugged back, the daemon starts again with the same local state, and the same `fwupdmgr update`
must finish the update.
"""

import os
import re
import shutil
import subprocess
import unittest

from daemon import BUILD_DIR
from test_daemon import EC25_NEW, EC25_OLD, SUBVERSION, UPDATE_STATE_FAILED, DaemonCase
import test_faults


class FaultsDaemon(DaemonCase):
    def vendor_update(self, sim_args):
        vendor = os.path.join(self.workdir, "vendor", "firmware")
        self.start_daemon(sim_args=["--model", "EC25", "--revision", EC25_OLD, *sim_args],
                          setup=lambda d: d.add_vendor_directory("quectel-vendor", vendor))
        self.wait_for_module()
        shutil.copy(self.make_cab(EC25_NEW), vendor)
        self.daemon.restart()
        self.wait_for_module()
        return self.update()

    def update(self):
        return self.fwupdmgr("update", "--assume-yes", "--no-reboot-check",
                             "--no-metadata-check")

    def check_failure(self, case, result):
        self.assertNotEqual(result.returncode, 0, result.stdout)
        self.assertNotIn("CRITICAL", self.daemon.output())
        self.assertRegex(result.stdout + result.stderr, re.compile(
            f"{case.phase}.*{case.cause}.*{case.state}", re.DOTALL))
        history = self.history()
        self.assertEqual(len(history), 1, history)
        self.assertEqual(history[0]["UpdateState"], UPDATE_STATE_FAILED, history[0])
        self.assertTrue(self.module.summary()["efs2"]["unchanged"])

    def replug(self, case):
        """Daemon down, module unplugged (power-cycled if the fault needs it), both back."""
        self.daemon.stop()
        self.module.stop()
        if case.power_cycle:
            sim = os.path.join(BUILD_DIR, "tests", "ec25-sim")
            subprocess.run([sim, "--state", self.module.state, "--power-cycle"], check=True,
                           capture_output=True, timeout=60)
        self.module.sim_args = ["--model", "EC25"]
        self.module.start()
        self.daemon.start()

    def check_recovered(self, result):
        self.assertEqual(result.returncode, 0, result.stdout[-3000:] + result.stderr[-3000:])
        summary = self.module.summary()
        self.assertEqual(summary["revision"], f"{EC25_NEW}_{SUBVERSION}")
        self.assertTrue(summary["efs2"]["unchanged"])
        self.assertEqual(self.wait_for_module()[0]["Version"], EC25_NEW)
        self.assertNotIn("CRITICAL", self.daemon.output())

    def run_case(self, name, recovery=True):
        case = {c.name: c for c in test_faults.CASES}[name]
        result = self.vendor_update(case.sim)
        self.check_failure(case, result)
        if not recovery:
            return
        self.replug(case)
        self.wait_for_module()
        self.check_recovered(self.update())

    def test_configure_nak(self):
        # the module was reset untouched: the same update after a daemon restart finishes it
        self.run_case("configure-nak")

    def test_power_loss_mibib_failure(self):
        self.run_case("power-loss-mibib", recovery=False)

    def test_power_loss_mibib(self):
        # the module left in EDL is found again as itself after the restart and power cycle
        self.run_case("power-loss-mibib")

    def test_power_loss_middle_install_file(self):
        # the cabinet as the user has it, signed by a vendor CA the daemon trusts:
        # `fwupdmgr install X.cab` fails, and after a daemon restart and a power cycle the same
        # `fwupdmgr install X.cab` finishes the update on the module found in EDL
        case = {c.name: c for c in test_faults.CASES}["power-loss-middle"]
        ca = self.make_ca()
        cab = self.make_cab(EC25_NEW, "--sign-cert", ca["cert"], "--sign-key", ca["key"])
        self.start_daemon(sim_args=["--model", "EC25", "--revision", EC25_OLD, *case.sim],
                          setup=lambda d: d.trust(ca["ca"]))
        self.wait_for_module()
        result = self.fwupdmgr("install", cab, "--assume-yes", "--no-reboot-check")
        self.check_failure(case, result)
        self.replug(case)
        # what GNOME Firmware shows: the module as itself, its recorded version, the state
        module = self.wait_for_module()[0]
        self.assertEqual(module["Name"], "EC25")
        self.assertEqual(module["Version"], EC25_OLD)
        self.assertIn("updatable", module["Flags"])
        # the daemon exports the device's update error, which GNOME Firmware shows
        self.assertRegex(module.get("UpdateError", ""),
                         r"Interrupted update to \S+: the module is in emergency download mode")
        self.check_recovered(self.fwupdmgr("install", cab, "--assume-yes", "--no-reboot-check"))


if __name__ == "__main__":
    unittest.main()

#!/usr/bin/python3
# Copyright 2026 The fwupd-quectel authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Modules found stuck in EDL or in Quectel's SBL dump mode."""

import unittest

from test_update import EC25_NEW, SUBVERSION, UpdateCase


def module_devices(result):
    return [d for d in result.devices()
            if any("2C7C" in i or "05C6" in i for i in d.get("InstanceIds", []))]


class Recovery(UpdateCase):
    def test_dump_mode(self):
        result = self.run_tool(["get-devices", "--json"], ["--start-mode", "dump"])
        self.assertNoCrash(result)
        devices = module_devices(result)
        self.assertEqual(len(devices), 1, devices)
        dev = devices[0]
        self.assertEqual(dev["Plugin"], "quectel")
        self.assertEqual(dev["Name"], "EC25/EG25 in SBL dump mode")
        self.assertNotIn("updatable", dev["Flags"])
        self.assertIn("USB_BOOT", dev["UpdateError"])
        # the port that only speaks Sahara memory debug was not sent AT commands
        self.assertNotIn("at: ", result.sim_log)

    def test_stuck_in_edl(self):
        result = self.run_tool(["get-devices", "--json", "-vv"], ["--start-mode", "edl"])
        self.assertNoCrash(result)
        devices = module_devices(result)
        updatable = [d for d in devices if "updatable" in d["Flags"]]
        self.assertEqual(len(updatable), 1, devices)
        self.assertEqual(updatable[0]["Plugin"], "quectel")
        self.assertEqual(updatable[0]["Name"], "EC25/EG25 in emergency download mode")
        # the stock qc_firehose plugin, loaded, was not offered the module: no second device,
        # hidden or not
        self.assertIn("qc_firehose", result.stderr)
        self.assertEqual([d["Plugin"] for d in devices], ["quectel"], devices)
        self.assertNotRegex(result.stderr, r"(?m)^FuQcFirehoseUsbDevice:")

    def test_recover_from_edl(self):
        # the payload of a cabinet, pushed to the EDL device: the way back for a module left
        # in EDL by an interrupted update
        folder = self.make_folder("ec25e", EC25_NEW)
        payload = self.make_payload(folder)
        sim_args = ["--model", "EC25", "--start-mode", "edl"]
        devices = self.run_tool(["get-devices", "--json", "--plugins", "quectel"], sim_args)
        device_id = devices.devices("quectel")[0]["DeviceId"]
        result = self.run_tool(["install-blob", payload, device_id, "--plugins", "quectel",
                                "--no-reboot-check", "-vv"], sim_args)
        self.assertNoCrash(result)
        self.assertEqual(result.returncode, 0, result.stderr[-3000:])
        summary = self.summary()
        self.assertEqual(summary["revision"], f"{EC25_NEW}_{SUBVERSION}")
        self.assertTrue(summary["efs2"]["unchanged"])
        self.check_programs(folder, summary, 4096)
        self.check_order(result.sim_log)
        self.assertRegex(result.sim_log, r"mode: normal .*" + EC25_NEW)


if __name__ == "__main__":
    unittest.main()

#!/usr/bin/python3
# Copyright 2026 The fwupd-quectel authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The stock fwupdtool enumerates simulated EC25/EG25 modules through the plugin."""

import re
import unittest

from harness import SimTestCase

EC25_REV = "EC25EFAR06A08M4G"
EG25_REV = "EG25GGBR07A08M2G"
IMEI = "867698041234562"


class Enumerate(SimTestCase):
    def get_devices(self, sim_args, plugins=("--plugins", "quectel"), system_quirks=True):
        result = self.run_tool(["get-devices", "--json", *plugins, "-vv"], sim_args,
                               system_quirks=system_quirks, extra_env={"FWUPD_VERBOSE": "1"})
        self.assertNoCrash(result)
        self.assertEqual(result.returncode, 0, result.stderr[-2000:])
        return result

    def check_module(self, result, model, revision, subversion="01.001.01.001"):
        devices = result.devices("quectel")
        self.assertEqual(len(devices), 1, f"expected one device per module, got {devices}")
        dev = devices[0]
        variant = revision[: revision.index("R", 4)]
        flash = revision[revision.rindex("M"):]
        self.assertEqual(dev["Name"], model)
        self.assertEqual(dev["Vendor"], "Quectel")
        self.assertEqual(dev["VendorIds"], ["USB:0x2C7C"])
        self.assertEqual(dev["Version"], revision)
        self.assertEqual(dev["VersionFormat"], "plain")
        self.assertEqual(dev["Serial"], IMEI)
        self.assertEqual(dev["Protocols"], ["com.qualcomm.firehose"])
        self.assertEqual(dev["Icons"], ["modem"])
        self.assertIn("updatable", dev["Flags"])
        self.assertEqual(dev["InstanceIds"], [
            "USB\\VID_2C7C&PID_0125",
            "USB\\VID_2C7C&PID_0125&REV_0318",
            f"QUECTEL\\VARIANT_{variant}",
            f"QUECTEL\\VARIANT_{variant}&FLASH_{flash}",
        ])
        # the full AT+QGMR version is kept and shown by to_string
        self.assertRegex(result.stderr, rf"FullVersion:\s+{re.escape(revision + '_' + subversion)}")
        return dev

    def test_ec25_qmi(self):
        result = self.get_devices(["--model", "EC25", "--revision", EC25_REV])
        self.check_module(result, "EC25", EC25_REV)
        self.assertIn("at: ATI", result.sim_log)
        # the DM port is the first serial function in the QMI layout
        self.assertRegex(result.stderr, r"DmPort:\s+/dev/ttyUSB0")

    def test_ec25_rndis(self):
        result = self.get_devices(["--model", "EC25", "--usb-layout", "rndis"])
        self.check_module(result, "EC25", EC25_REV)
        self.assertRegex(result.stderr, r"DmPort:\s+/dev/ttyUSB0")
        self.assertRegex(result.sim_log, r"port: /dev/ttyUSB2 is at")

    def test_eg25_qmi(self):
        result = self.get_devices(["--model", "EG25", "--subversion", "30.202.30.202"])
        self.check_module(result, "EG25", EG25_REV, "30.202.30.202")

    def test_eg25_rndis(self):
        result = self.get_devices(["--model", "EG25", "--usb-layout", "rndis"])
        self.check_module(result, "EG25", EG25_REV)

    def test_other_revision(self):
        rev = "EC25AFXGAR07A03M1G"
        result = self.get_devices(["--model", "EC25", "--revision", rev])
        dev = self.check_module(result, "EC25", rev)
        self.assertIn("QUECTEL\\VARIANT_EC25AFXGA&FLASH_M1G", dev["InstanceIds"])

    def test_old_firmware_without_qgmr(self):
        result = self.get_devices(["--at-fault", "no-qgmr"])
        devices = result.devices("quectel")
        self.assertEqual(len(devices), 1)
        self.assertEqual(devices[0]["Version"], EC25_REV)
        self.assertIn("AT+QGMR is not supported by this firmware", result.stderr)
        self.assertRegex(result.stderr, rf"FullVersion:\s+{EC25_REV}\n")

    def test_silent_at_port(self):
        # all plugins, so the host's other devices make "no device" distinct from a failure
        result = self.get_devices(["--at-fault", "silent"], plugins=())
        self.assertEqual(result.devices("quectel"), [])
        self.assertRegex(result.stderr,
                         r"quectel ignoring: .*failed to setup: AT port /dev/ttyUSB2 of module 1-1 "
                         r"is unusable: .*no answer to ATE0 within \d+ ms")

    def test_garbage_at_port(self):
        result = self.get_devices(["--at-fault", "garbage"], plugins=())
        self.assertEqual(result.devices("quectel"), [])
        self.assertRegex(result.stderr,
                         r"quectel ignoring: .*failed to setup: AT port /dev/ttyUSB2 of module 1-1 "
                         r"is unusable: .*response to ATE0 is not text: byte 0x[0-9a-f]{2}")

    def test_coexistence_with_stock_plugins(self):
        # every plugin of the stock daemon, the distribution's quirks plus ours
        result = self.get_devices([], plugins=())
        self.check_module(result, "EC25", EC25_REV)
        updatable = [d for d in result.devices()
                     if "updatable" in d.get("Flags", [])
                     and any("2C7C" in i or "05C6" in i for i in d.get("InstanceIds", []))]
        self.assertEqual(len(updatable), 1, updatable)

    def test_plugin_loaded_from_build(self):
        result = self.run_tool(["get-plugins", "--json", "-vv"])
        self.assertEqual(result.returncode, 0)
        plugins = {p["Name"]: p for p in result.json()["Plugins"]}
        self.assertIn("quectel", plugins, "the plugin was not loaded from the build folder")
        self.assertIn("modular", plugins["quectel"]["Flags"])
        self.assertIn(f"load({self.plugin_dir}/libfu_plugin_quectel.so)", result.stderr)


if __name__ == "__main__":
    unittest.main()

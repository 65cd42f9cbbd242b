#!/usr/bin/python3
# Copyright 2026 The fwupd-quectel authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The plugin and a running ModemManager: who talks to the module, and when.

RealModemManager runs Debian's ModemManager on a private system bus against the simulated
module: the simulator serves the tty ioctls it needs (umockdev's default handler answers ENOTTY
to TIOCEXCL, with which ModemManager locks every port), its ports carry the udev properties
ModemManager's rules set, and it answers the AT commands of ModemManager's probing. polkit is
python-dbusmock's polkitd mock. ModemManager covers the states a real ModemManager does not
reach easily here (NotFound, another modem, a bus policy refusal) with a python-dbusmock template
(modemmanager_mock.py) that answers as ModemManager 1.20 does.
"""

import os
import re
import subprocess
import unittest

import dbus
import dbusmock

from harness import FWUPDTOOL, TIMEOUT_S, Result, SimTestCase
from test_update import EC25_NEW, EC25_OLD, SUBVERSION, UpdateCase

MM_TEMPLATE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "modemmanager_mock.py")
MM_MODEM = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-1"
MM_OTHER_MODEM = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2"
MM_PORTS = [("cdc-wdm0", 6), ("ttyUSB0", 4), ("ttyUSB1", 5), ("ttyUSB2", 3), ("ttyUSB3", 3),
            ("wwan0", 2)]
# what ModemManager read from the module: different from what the simulator answers over AT,
# so that the test sees where the plugin got it from
MM_IMEI = "867698041234570"
MM_QMI_REVISION = f"{EC25_OLD}  1  [Oct 10 2019 10:00:00]"
MM_FULL_VERSION = f"{EC25_OLD}_01.001.01.002"
NOT_FOUND = "org.freedesktop.ModemManager1.Error.Core.NotFound"
POLKIT_CONTROL = "org.freedesktop.ModemManager1.Control"
REAL_MARKER = "test: ModemManager manages the module"


class ModemManager(UpdateCase, dbusmock.DBusTestCase):
    """A mock ModemManager on a private system bus, in the states the plugin must handle."""

    @classmethod
    def setUpClass(cls):
        cls.start_system_bus()

    def setUp(self):
        SimTestCase.setUp(self)
        self.mm, mm_obj = self.spawn_server_template(MM_TEMPLATE, {}, stdout=subprocess.DEVNULL)
        self.mm_mock = dbus.Interface(mm_obj, dbusmock.MOCK_IFACE)
        self.env = {"DBUS_SYSTEM_BUS_ADDRESS": os.environ["DBUS_SYSTEM_BUS_ADDRESS"]}

    def tearDown(self):
        self.mm.terminate()
        self.mm.wait()
        SimTestCase.tearDown(self)

    def manage(self, uid=MM_MODEM, revision=EC25_OLD, imei=MM_IMEI,
               firmware_version=f"{EC25_OLD}_{SUBVERSION}", ports=MM_PORTS):
        """ModemManager probed the module and exports it as a modem."""
        return self.mm_mock.AddModem(uid, "EC25", revision, imei, firmware_version, ports)

    def inhibit_calls(self):
        return [(str(args[0]), bool(args[1]))
                for _, name, args in self.mm_mock.GetCalls() if name == "InhibitDevice"]

    def inhibit_log(self):
        return [(str(u), bool(i), str(r)) for u, i, r in self.mm_mock.GetInhibitLog()]

    def update(self, sim_args=()):
        folder = self.make_folder("ec25e", EC25_NEW)
        cab = self.make_cab(folder)
        return self.install(cab, ["--model", "EC25", "--revision", EC25_OLD, *sim_args],
                            extra_env=self.env)

    def assertNoAtBeforeEdl(self, result):
        """Nothing was said on the AT port before the module left for EDL."""
        before = result.sim_log[:result.sim_log.index("mode: edl")]
        self.assertNotRegex(before, r"(?m)^at: ", before)

    def test_inhibited_during_update(self):
        self.manage()
        result = self.update()
        self.assertEqual(result.returncode, 0, result.stderr[-3000:])
        self.assertEqual(self.inhibit_calls(), [(MM_MODEM, True), (MM_MODEM, False)])
        self.assertEqual(self.inhibit_log(), [(MM_MODEM, True, "ok"), (MM_MODEM, False, "ok")])
        # identity from ModemManager, then the port only after the inhibit: the module was
        # asked for its new version once it came back, while ModemManager still let go of it
        self.assertNoAtBeforeEdl(result)
        self.assertRegex(result.sim_log, r"(?s)mode: normal .*" + EC25_NEW + r".*at: ATI")

    def test_uninhibited_after_failure(self):
        self.manage()
        result = self.update(["--edl-fault", "end-of-image"])
        self.assertNotEqual(result.returncode, 0)
        self.assertEqual(self.inhibit_calls(), [(MM_MODEM, True), (MM_MODEM, False)])
        self.assertEqual(self.inhibit_log(), [(MM_MODEM, True, "ok"), (MM_MODEM, False, "ok")])

    def test_not_managed(self):
        # ModemManager runs but has not probed the module, or its udev rules ignore it
        result = self.update()
        self.assertEqual(result.returncode, 0, result.stderr[-3000:])
        self.assertIn(f"ModemManager does not manage {MM_MODEM}, nothing to inhibit",
                      result.stderr)
        self.assertEqual(self.inhibit_log(), [(MM_MODEM, True, NOT_FOUND),
                                              (MM_MODEM, False, NOT_FOUND)])
        # the plugin read the module itself
        self.assertRegex(result.sim_log.split("mode: edl")[0], r"(?m)^at: ATI$")

    def test_other_modem_managed(self):
        self.manage(uid=MM_OTHER_MODEM, imei="867698041234588",
                    ports=[("cdc-wdm1", 6), ("ttyUSB4", 4), ("ttyUSB5", 5), ("ttyUSB6", 3),
                           ("ttyUSB7", 3), ("wwan1", 2)])
        result = self.update()
        self.assertEqual(result.returncode, 0, result.stderr[-3000:])
        self.assertEqual(self.inhibit_log(), [(MM_MODEM, True, NOT_FOUND),
                                              (MM_MODEM, False, NOT_FOUND)])

    def check_refused(self, refusal, error_name):
        self.manage()
        self.mm_mock.SetRefusal(refusal)
        result = self.update()
        self.assertNoCrash(result)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn(f"ModemManager refused to release module {MM_MODEM} ({error_name}",
                      result.stderr)
        self.assertIn("run the update as root", result.stderr)
        self.assertIn("polkit action org.freedesktop.ModemManager1.Control", result.stderr)
        self.assertIn("systemctl stop ModemManager", result.stderr)
        self.assertIn("the module was not changed", result.stderr)
        self.assertUntouched(result, entered_edl=False)
        self.assertNotRegex(result.sim_log, r"(?m)^at: ")

    def test_polkit_refused(self):
        self.check_refused("polkit", "org.freedesktop.ModemManager1.Error.Core.Unauthorized")

    def test_bus_refused(self):
        self.check_refused("bus", "org.freedesktop.DBus.Error.AccessDenied")

    def test_identity_from_modemmanager(self):
        self.manage(revision=MM_QMI_REVISION, firmware_version=MM_FULL_VERSION)
        result = self.run_tool(["get-devices", "--json", "--plugins", "quectel", "-vv"],
                               ["--model", "EC25", "--revision", EC25_OLD],
                               extra_env=self.env)
        self.assertNoCrash(result)
        self.assertEqual(result.returncode, 0, result.stderr[-3000:])
        devices = result.devices("quectel")
        self.assertEqual(len(devices), 1, result.stderr[-3000:])
        dev = devices[0]
        self.assertEqual(dev["Name"], "EC25")
        self.assertEqual(dev["Version"], EC25_OLD)
        self.assertEqual(dev["Serial"], MM_IMEI)
        self.assertIn("updatable", dev["Flags"])
        self.assertIn("QUECTEL\\VARIANT_EC25EFA&FLASH_M4G", dev["InstanceIds"])
        self.assertRegex(result.stderr, rf"FullVersion:\s+{re.escape(MM_FULL_VERSION)}")
        self.assertRegex(result.stderr, r"MmModem:\s+/org/freedesktop/ModemManager1/Modem/0")
        # not a word on the ports ModemManager owns, and nothing inhibited
        self.assertNotRegex(result.sim_log, r"(?m)^at: ")
        self.assertEqual(self.inhibit_log(), [])

    def test_identity_from_modemmanager_model_with_variant(self):
        # "EG25-G" as the module names itself on USB: the model is the EG25
        self.mm_mock.AddModem(MM_MODEM, "EG25-G", "EG25GGBR07A08M2G", MM_IMEI, "", MM_PORTS)
        result = self.run_tool(["get-devices", "--json", "--plugins", "quectel", "-vv"],
                               ["--model", "EG25"], extra_env=self.env)
        self.assertNoCrash(result)
        devices = result.devices("quectel")
        self.assertEqual(len(devices), 1, result.stderr[-3000:])
        self.assertEqual(devices[0]["Name"], "EG25")
        self.assertEqual(devices[0]["Version"], "EG25GGBR07A08M2G")
        self.assertRegex(result.stderr, r"FullVersion:\s+EG25GGBR07A08M2G\n")
        self.assertNotRegex(result.sim_log, r"(?m)^at: ")

    def test_identity_from_modemmanager_wrong_model(self):
        # ModemManager's answer goes through the same checks as the module's own
        self.mm_mock.AddModem(MM_MODEM, "EG25", EC25_OLD, MM_IMEI, "", MM_PORTS)
        result = self.run_tool(["get-devices", "--json", "--plugins", "quectel", "-vv"],
                               ["--model", "EC25"], extra_env=self.env)
        self.assertNoCrash(result)
        self.assertEqual(result.devices("quectel"), [])
        self.assertRegex(result.stderr, r"ModemManager /org/freedesktop/ModemManager1/Modem/0: "
                                        r"revision EC25EFAR06A08M4G is for EC25 but the module "
                                        r"says it is an EG25")


class RealModemManager(UpdateCase, dbusmock.DBusTestCase):
    """Debian's ModemManager on a private system bus manages the simulated module.

    The simulator serves the tty ioctls ModemManager needs (--tty-ioctls) and its ports carry
    the udev properties ModemManager's rules set; polkit is python-dbusmock's polkitd mock.
    """

    @classmethod
    def setUpClass(cls):
        cls.start_system_bus()

    def setUp(self):
        SimTestCase.setUp(self)
        self.polkit, polkit_obj = self.spawn_server_template("polkitd", {},
                                                             stdout=subprocess.DEVNULL)
        self.polkit_mock = dbus.Interface(polkit_obj, dbusmock.MOCK_IFACE)
        self.polkit_mock.SetAllowed([POLKIT_CONTROL])
        self.mm_log = os.path.join(self.workdir, "modemmanager.log")

    def tearDown(self):
        self.polkit.terminate()
        self.polkit.wait()
        SimTestCase.tearDown(self)

    def run_with_mm(self, tool_args, sim_args=()):
        env = self.fwupd_env()
        env["DBUS_SYSTEM_BUS_ADDRESS"] = os.environ["DBUS_SYSTEM_BUS_ADDRESS"]
        state = os.path.join(self.workdir, "module")
        helper = os.path.join(os.path.dirname(os.path.abspath(__file__)), "with-modemmanager.py")
        cmd = [self.sim, "--state", state, "--tty-ioctls", "--model", "EC25", "--revision",
               EC25_OLD, *sim_args, "--", "/usr/bin/python3", helper, MM_MODEM,
               os.path.join(state, "sim.log"), self.mm_log, FWUPDTOOL, *tool_args]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True,
                              timeout=TIMEOUT_S + 90, check=False)
        result = Result(proc, self.workdir)
        self.assertNotEqual(result.returncode, 125, result.stderr[-3000:])
        self.assertIn(REAL_MARKER, result.sim_log)
        return result

    def after_marker(self, result):
        return result.sim_log[result.sim_log.index(REAL_MARKER):]

    def mm_log_text(self):
        with open(self.mm_log, encoding="utf-8") as f:
            return f.read()

    def test_enumerate(self):
        result = self.run_with_mm(["get-devices", "--json", "--plugins", "quectel", "-vv"])
        self.assertNoCrash(result)
        self.assertEqual(result.returncode, 0, result.stderr[-3000:])
        devices = result.devices("quectel")
        self.assertEqual(len(devices), 1, result.stderr[-3000:])
        self.assertEqual(devices[0]["Version"], EC25_OLD)
        self.assertEqual(devices[0]["Serial"], "867698041234562")
        self.assertRegex(result.stderr, r"MmModem:\s+/org/freedesktop/ModemManager1/Modem/")
        self.assertRegex(result.stderr, rf"FullVersion:\s+{EC25_OLD}_{SUBVERSION}")
        # the plugin said nothing on the ports ModemManager owns
        self.assertNotRegex(self.after_marker(result), r"(?m)^at: ")

    def test_update(self):
        folder = self.make_folder("ec25e", EC25_NEW)
        cab = self.make_cab(folder)
        result = self.run_with_mm(["install", cab, "--no-reboot-check", "-y", "-vv",
                                   "--plugins", "quectel"])
        self.assertNoCrash(result)
        self.assertEqual(result.returncode, 0, result.stderr[-4000:])
        self.assertRegex(result.sim_log, r"mode: normal .*" + EC25_NEW)
        mm_log = self.mm_log_text()
        self.assertIn(f"device inhibition setup for uid '{MM_MODEM}'", mm_log)
        self.assertIn(f"device inhibition teardown for uid '{MM_MODEM}'", mm_log)
        after = self.after_marker(result)
        self.assertNotRegex(after[:after.index("mode: edl")], r"(?m)^at: ")

    def test_polkit_refused(self):
        self.polkit_mock.SetAllowed(dbus.Array([], signature="s"))
        folder = self.make_folder("ec25e", EC25_NEW)
        cab = self.make_cab(folder)
        result = self.run_with_mm(["install", cab, "--no-reboot-check", "-y", "-vv",
                                   "--plugins", "quectel"])
        self.assertNoCrash(result)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn(f"ModemManager refused to release module {MM_MODEM} "
                      "(org.freedesktop.ModemManager1.Error.Core.Unauthorized", result.stderr)
        self.assertIn("polkit action org.freedesktop.ModemManager1.Control", result.stderr)
        self.assertUntouched(result, entered_edl=False)


if __name__ == "__main__":
    unittest.main()

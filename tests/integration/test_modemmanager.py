#!/usr/bin/python3
# Copyright 2026 The fwupd-quectel authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The plugin keeps a running ModemManager away from the module during an update."""

import os
import subprocess
import unittest

import dbus
import dbusmock

from harness import SimTestCase
from test_update import EC25_NEW, EC25_OLD, UpdateCase

MM_SERVICE = "org.freedesktop.ModemManager1"
MM_PATH = "/org/freedesktop/ModemManager1"
MM_MODEM = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-1"


class ModemManager(UpdateCase, dbusmock.DBusTestCase):
    """A mock ModemManager on a private system bus records InhibitDevice calls."""

    @classmethod
    def setUpClass(cls):
        cls.start_system_bus()

    def setUp(self):
        SimTestCase.setUp(self)
        self.mm = self.spawn_server(MM_SERVICE, MM_PATH, MM_SERVICE, system_bus=True,
                                    stdout=subprocess.DEVNULL)
        self.mm_mock = dbus.Interface(self.get_dbus(system_bus=True).get_object(MM_SERVICE, MM_PATH),
                                      dbusmock.MOCK_IFACE)
        self.mm_mock.AddMethod(MM_SERVICE, "InhibitDevice", "sb", "", "")

    def tearDown(self):
        self.mm.terminate()
        self.mm.wait()
        SimTestCase.tearDown(self)

    def inhibit_calls(self):
        return [(str(args[0]), bool(args[1]))
                for _, name, args in self.mm_mock.GetCalls() if name == "InhibitDevice"]

    def test_inhibited_during_update(self):
        env = {"DBUS_SYSTEM_BUS_ADDRESS": os.environ["DBUS_SYSTEM_BUS_ADDRESS"]}
        folder = self.make_folder("ec25e", EC25_NEW)
        cab = self.make_cab(folder)
        result = self.install(cab, ["--model", "EC25", "--revision", EC25_OLD], extra_env=env)
        self.assertEqual(result.returncode, 0, result.stderr[-3000:])
        self.assertEqual(self.inhibit_calls(), [(MM_MODEM, True), (MM_MODEM, False)])

    def test_uninhibited_after_failure(self):
        env = {"DBUS_SYSTEM_BUS_ADDRESS": os.environ["DBUS_SYSTEM_BUS_ADDRESS"]}
        folder = self.make_folder("ec25e", EC25_NEW)
        cab = self.make_cab(folder)
        result = self.install(cab, ["--model", "EC25", "--revision", EC25_OLD,
                                    "--edl-fault", "end-of-image"], extra_env=env)
        self.assertNotEqual(result.returncode, 0)
        self.assertEqual(self.inhibit_calls(), [(MM_MODEM, True), (MM_MODEM, False)])


if __name__ == "__main__":
    unittest.main()

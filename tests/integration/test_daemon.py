#!/usr/bin/python3
# Copyright 2026 The fwupd-quectel authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The stock fwupd daemon with the installed plugin, driven by the stock fwupdmgr."""

import os
import re
import shutil
import subprocess
import unittest

import daemon as harness
from daemon import DaemonTestCase, SOURCE_DIR

EC25_OLD = "EC25EFAR06A08M4G"
EC25_NEW = "EC25EFAR06A09M4G"
SUBVERSION = "01.001.01.001"
IMEI = "867698041234562"
# FwupdUpdateState
UPDATE_STATE_SUCCESS = 2
UPDATE_STATE_FAILED = 3


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


class DaemonCase(DaemonTestCase):
    """Vendor folders, cabinets and a test CA in the test's work folder."""

    def make_folder(self, revision, layout="ec25e"):
        out = os.path.join(self.workdir, "folders")
        os.makedirs(out, exist_ok=True)
        proc = subprocess.run(
            ["/usr/bin/python3", os.path.join(SOURCE_DIR, "tests", "gen-vendor-folder.py"),
             out, "--layout", layout, "--revision", revision, "--subversion", SUBVERSION],
            capture_output=True, text=True, check=True)
        return proc.stdout.strip().splitlines()[-1]

    def converter(self):
        """The installed quectel-fw2cab, with its installed RUNPATH."""
        tools = [f for f in self.tree.files() if f.endswith("/bin/quectel-fw2cab")]
        self.assertEqual(len(tools), 1, self.tree.files())
        return self.tree.path(tools[0])

    def make_cab(self, revision, *args, name=None):
        folder = self.make_folder(revision)
        cab = os.path.join(self.workdir, name or f"{revision}.cab")
        proc = subprocess.run([self.converter(), folder, "-o", cab, *args],
                              capture_output=True, text=True, check=False)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return cab

    def make_ca(self):
        """A vendor CA and a firmware signing certificate it issued."""
        pki = os.path.join(self.workdir, "vendor-pki")
        os.makedirs(pki)
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key",
                "-out", "ca.pem", "-days", "2", "-subj", "/O=Test Vendor/CN=Test Vendor CA",
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=pki)
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "sign.key", "-out",
                "sign.csr", "-subj", "/O=Test Vendor/CN=Test Vendor Firmware Signing", cwd=pki)
        with open(os.path.join(pki, "ext.cnf"), "w", encoding="utf-8") as f:
            f.write("basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n")
        openssl("x509", "-req", "-in", "sign.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", "sign.pem", "-days", "2", "-extfile", "ext.cnf",
                cwd=pki)
        return {k: os.path.join(pki, v) for k, v in
                (("ca", "ca.pem"), ("cert", "sign.pem"), ("key", "sign.key"))}

    def check_module(self, dev, version, replugged=False):
        self.assertEqual(dev["Name"], "EC25")
        self.assertEqual(dev["Vendor"], "Quectel")
        if replugged:
            # fwupd's device list keeps the vendor IDs of every mode the module went through
            # (05c6 is the EDL enumeration's); a fresh enumeration shows Quectel's only
            self.assertEqual(dev["VendorIds"][0], "USB:0x2C7C")
        else:
            self.assertEqual(dev["VendorIds"], ["USB:0x2C7C"])
        self.assertEqual(dev["Version"], version)
        self.assertEqual(dev["Serial"], IMEI)
        self.assertEqual(dev["Summary"], "LTE Cat 4 module")
        self.assertIn("updatable", dev["Flags"])
        # a device of its own, not the child of a placeholder
        self.assertNotIn("ParentDeviceId", dev)

    def history(self):
        result = self.fwupdmgr("get-history", "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        return [d for d in result.json().get("Devices", []) if d.get("Plugin") == "quectel"]

    def check_installed(self, result):
        self.assertEqual(result.returncode, 0, result.stdout[-3000:] + result.stderr[-3000:])
        self.assertEqual(self.module.summary()["revision"], f"{EC25_NEW}_{SUBVERSION}")
        self.check_module(self.wait_for_module()[0], EC25_NEW, replugged=True)
        history = self.history()
        self.assertEqual(len(history), 1, history)
        self.assertEqual(history[0]["UpdateState"], UPDATE_STATE_SUCCESS, history[0])
        self.assertEqual(history[0]["Releases"][0]["Version"], EC25_NEW)
        return history[0]


class Daemon(DaemonCase):
    def test_get_devices(self):
        self.start_daemon()
        self.check_module(self.wait_for_module()[0], EC25_OLD)
        # what a user reads: the computer, then the module under it
        result = self.fwupdmgr("get-devices")
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.splitlines()
        self.assertEqual(lines[0], "Test Vendor Test Computer", result.stdout)
        self.assertNotIn("Unknown", result.stdout)
        self.assertRegex(result.stdout, r"(?m)^└─EC25:$")
        for field, value in (("Summary", "LTE Cat 4 module"), ("Current version", EC25_OLD),
                             ("Vendor", r"Quectel \(USB:0x2C7C\)"), ("Serial Number", IMEI)):
            self.assertRegex(result.stdout, rf"(?m)^ +{field}: +{value}$")

    def test_install_signed(self):
        ca = self.make_ca()
        cab = self.make_cab(EC25_NEW, "--sign-cert", ca["cert"], "--sign-key", ca["key"])
        self.start_daemon(setup=lambda d: d.trust(ca["ca"]))
        self.wait_for_module()
        signals = self.bus.monitor(os.path.join(self.workdir, "signals.txt"),
                                   "type='signal',sender='org.freedesktop.fwupd'")
        result = self.fwupdmgr("install", cab, "--assume-yes", "--no-reboot-check")
        signals.terminate()
        signals.wait()
        self.check_installed(result)
        # the daemon reported its progress to the client: a rising percentage to 100
        with open(os.path.join(self.workdir, "signals.txt"), encoding="utf-8") as f:
            text = f.read()
        percentages = [int(p) for p in re.findall(
            r'string "Percentage"\s+variant\s+uint32 (\d+)', text)]
        self.assertGreater(len(set(percentages)), 10, percentages)
        self.assertIn(100, percentages)
        self.assertRegex(text, r'string "Status"\s+variant\s+uint32 \d+')
        # and the client showed it as it went
        shown = [int(p) for p in re.findall(r"Writing…: (\d+)%", result.stderr)]
        self.assertGreater(len(set(shown)), 5, result.stderr[-2000:])
        self.assertIn("Successfully installed firmware", result.stdout)

        # history and device survive a restart of the daemon
        self.daemon.restart()
        self.check_module(self.wait_for_module()[0], EC25_NEW)
        self.assertEqual(self.history()[0]["UpdateState"], UPDATE_STATE_SUCCESS)

    def test_unsigned_refused(self):
        cab = self.make_cab(EC25_NEW)
        self.start_daemon()
        self.wait_for_module()
        result = self.fwupdmgr("install", cab, "--assume-yes", "--no-reboot-check")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("firmware signature missing or not trusted; set OnlyTrusted=false",
                      result.stdout + result.stderr)
        self.assertNotIn("programs", self.module.summary() if os.path.exists(
            os.path.join(self.module.state, "summary.json")) else {})
        self.check_module(self.wait_for_module()[0], EC25_OLD)

    def test_signed_by_unknown_ca_refused(self):
        ca = self.make_ca()
        cab = self.make_cab(EC25_NEW, "--sign-cert", ca["cert"], "--sign-key", ca["key"])
        self.start_daemon()
        self.wait_for_module()
        result = self.fwupdmgr("install", cab, "--assume-yes", "--no-reboot-check")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("firmware signature missing or not trusted", result.stdout + result.stderr)
        self.check_module(self.wait_for_module()[0], EC25_OLD)

    def test_unprivileged_user_refused(self):
        # polkitd answers for the daemon: without an agent an ordinary user is not allowed
        ca = self.make_ca()
        cab = self.make_cab(EC25_NEW, "--sign-cert", ca["cert"], "--sign-key", ca["key"])
        os.chmod(cab, 0o644)
        self.start_daemon(setup=lambda d: d.trust(ca["ca"]))
        self.wait_for_module()
        result = self.fwupdmgr("install", cab, "--assume-yes", "--no-reboot-check",
                               user="nobody")
        self.assertNotEqual(result.returncode, 0)
        self.assertRegex(result.stdout + result.stderr, r"Failed to obtain auth\b(?! as not)")
        self.check_module(self.wait_for_module()[0], EC25_OLD)

    def test_vendor_directory(self):
        # a remote over a folder of cabinets, like the stock vendor-directory.conf: trusted
        # because only root can write the folder, so the cabinet needs no signature
        vendor = os.path.join(self.workdir, "vendor", "firmware")
        self.start_daemon(setup=lambda d: d.add_vendor_directory("quectel-vendor", vendor))
        self.wait_for_module()
        shutil.copy(self.make_cab(EC25_NEW), vendor)
        self.daemon.restart()
        self.wait_for_module()
        result = self.fwupdmgr("get-updates", "--json", "--no-metadata-check")
        self.assertEqual(result.returncode, 0, result.stderr)
        devices = [d for d in result.json().get("Devices", []) if d.get("Plugin") == "quectel"]
        self.assertEqual(len(devices), 1, result.stdout)
        self.assertEqual([r["Version"] for r in devices[0]["Releases"]], [EC25_NEW])
        self.assertEqual(devices[0]["Releases"][0]["RemoteId"], "quectel-vendor")
        result = self.fwupdmgr("update", "--assume-yes", "--no-reboot-check",
                               "--no-metadata-check")
        self.check_installed(result)


class Harness(DaemonCase):
    """The pieces later tests build on: restarts, replugs, mocks on the bus, teardown."""

    bus_services = ("org.freedesktop.ModemManager1",)

    def test_failure_restart_replug(self):
        ca = self.make_ca()
        cab = self.make_cab(EC25_NEW, "--sign-cert", ca["cert"], "--sign-key", ca["key"])
        self.start_daemon(sim_args=["--model", "EC25", "--revision", EC25_OLD,
                                    "--edl-fault", "end-of-image"],
                          setup=lambda d: d.trust(ca["ca"]))
        device_id = self.wait_for_module()[0]["DeviceId"]
        result = self.fwupdmgr("install", cab, "--assume-yes", "--no-reboot-check")
        self.assertNotEqual(result.returncode, 0, result.stdout)
        history = self.history()
        self.assertEqual(len(history), 1, history)
        self.assertEqual(history[0]["UpdateState"], UPDATE_STATE_FAILED, history[0])
        # the client tells what happened and where the module is
        self.assertRegex(result.stderr, r"failed to write-firmware: .*the PBL refused the "
                                        r"programmer.*boots its current firmware.*run the same "
                                        r"command again")

        # a daemon restart: the module stays on the bus, the history stays
        pid = self.daemon.proc.pid
        self.daemon.restart()
        self.assertNotEqual(self.daemon.proc.pid, pid)
        self.assertEqual(self.wait_for_module()[0]["DeviceId"], device_id)
        self.assertEqual(self.history()[0]["UpdateState"], UPDATE_STATE_FAILED)

        # a power cycle of the host: the module keeps its state folder
        self.daemon.stop()
        self.module.stop()
        self.module.sim_args = ["--model", "EC25"]
        self.module.start()
        self.daemon.start()
        self.assertEqual(self.wait_for_module()[0]["DeviceId"], device_id)
        self.assertEqual(self.history()[0]["UpdateState"], UPDATE_STATE_FAILED)

    def test_mock_service_and_teardown(self):
        self.start_daemon()
        env = dict(os.environ, **self.bus.env())
        mock = subprocess.Popen(["/usr/bin/python3", "-m", "dbusmock", "--system",
                                 "org.freedesktop.ModemManager1", "/org/freedesktop/ModemManager1",
                                 "org.freedesktop.ModemManager1"],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addCleanup(mock.wait)
        self.addCleanup(mock.terminate)
        harness._wait_for(lambda: self.bus.has_owner("org.freedesktop.ModemManager1"), 30,
                          "the mock on the bus")
        # names nobody allowed stay unowned, as on a real system bus
        proc = subprocess.run(["/usr/bin/python3", "-m", "dbusmock", "--system",
                               "com.example.NotAllowed", "/", "com.example.NotAllowed"],
                              env=env, capture_output=True, text=True, timeout=30, check=False)
        self.assertNotEqual(proc.returncode, 0)

        procs = [self.bus.proc, self.polkit.proc, self.module.proc, self.daemon.proc, mock]
        self.doCleanups()
        for proc in procs:
            self.assertIsNotNone(proc.poll(), proc.args)
        with open(os.path.join("/proc", "self", "stat"), encoding="utf-8") as f:
            me = f.read().split()[0]
        # nothing the test started is left, not even a child of the simulator or the daemon
        children = subprocess.run(["ps", "-o", "pid=,comm=", "--ppid", me],
                                  capture_output=True, text=True, check=False).stdout.split("\n")
        self.assertEqual([c for c in children if c.strip() and " ps" not in c], [])
        self.assertFalse(os.path.exists(self.workdir))


class States(DaemonCase):
    """What the daemon lists for a module in each mode it can be found in."""

    def devices(self):
        self.wait_for_module()
        result = self.fwupdmgr("get-devices", "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.json()["Devices"]

    def test_edl(self):
        self.start_daemon(sim_args=["--model", "EC25", "--start-mode", "edl"])
        devices = self.devices()
        ours = [d for d in devices if d.get("Plugin") == "quectel"]
        self.assertEqual(len(ours), 1, devices)
        self.assertEqual(ours[0]["Name"], "EC25/EG25 in emergency download mode")
        self.assertEqual(ours[0]["Vendor"], "Quectel")
        self.assertIn("updatable", ours[0]["Flags"])
        self.assertIn("is-bootloader", ours[0]["Flags"])
        self.assertNotIn("ParentDeviceId", ours[0])
        # the module cannot tell its revision or IMEI in EDL: nothing is made up
        self.assertNotIn("Version", ours[0])
        self.assertNotIn("Serial", ours[0])
        # exactly one updatable device for the module
        updatable = [d for d in devices if "updatable" in d.get("Flags", [])]
        self.assertEqual(updatable, ours)

    def test_dump(self):
        self.start_daemon(sim_args=["--model", "EC25", "--start-mode", "dump"])
        ours = [d for d in self.devices() if d.get("Plugin") == "quectel"]
        self.assertEqual(len(ours), 1, ours)
        self.assertEqual(ours[0]["Name"], "EC25/EG25 in SBL dump mode")
        self.assertEqual(ours[0]["Vendor"], "Quectel")
        self.assertEqual(ours[0]["VendorIds"], ["USB:0x2C7C"])
        self.assertNotIn("updatable", ours[0]["Flags"])
        self.assertIn("came back to it after a Sahara reset", ours[0]["UpdateError"])
        self.assertIn("USB_BOOT", ours[0]["UpdateError"])

    def test_dump_clears(self):
        # a dump mode that the safe exit clears: the daemon lists the module in normal mode,
        # updatable, as if it had never been in dump mode
        self.start_daemon(sim_args=["--model", "EC25", "--revision", EC25_OLD,
                                    "--start-mode", "dump", "--dump-kind", "clears"])
        ours = [d for d in self.devices() if d.get("Plugin") == "quectel"]
        self.assertEqual(len(ours), 1, ours)
        self.assertEqual(ours[0]["Name"], "EC25")
        self.assertEqual(ours[0]["Version"], EC25_OLD)
        self.assertIn("updatable", ours[0]["Flags"])
        with open(os.path.join(self.module.state, "sim.log"), encoding="utf-8") as f:
            log = f.read()
        self.assertEqual(log.count("dump: reset\n"), 1, log)
        self.assertRegex(log, r"dump: reset\n(.*\n)*mode: normal EC25 " + EC25_OLD)


class Tool(DaemonCase):
    """fwupdtool names the computer at the top of its tree from DMI, which the testbed lacks:
    given the host's DMI, the module is listed right under the computer's name."""

    def test_get_devices_title(self):
        module = self.start_module()
        env = dict(os.environ)
        fwupd = harness.Daemon(self.workdir, self.tree, self.bus, module)
        env.update(fwupd.env())
        proc = subprocess.run(["fwupdtool", "get-devices", "--plugins", "quectel"], env=env,
                              capture_output=True, text=True, timeout=120, check=False)
        self.assertEqual(proc.returncode, 0, proc.stderr[-3000:])
        lines = proc.stdout.splitlines()
        self.assertEqual(lines[0], "Test Vendor Test Computer", proc.stdout)
        self.assertEqual(lines[2], "└─EC25:", proc.stdout)
        self.assertNotIn("Unknown", proc.stdout)


if __name__ == "__main__":
    unittest.main()

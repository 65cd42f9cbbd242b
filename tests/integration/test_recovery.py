#!/usr/bin/python3
# Copyright 2026 The fwupd-quectel authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Modules found stuck in EDL or in Quectel's SBL dump mode."""

import glob
import os
import re
import subprocess
import unittest

from test_update import EC25_NEW, EC25_OLD, EG25_NEW, SUBVERSION, UpdateCase


def module_devices(result):
    return [d for d in result.devices()
            if any("2C7C" in i or "05C6" in i for i in d.get("InstanceIds", []))]


class Recovery(UpdateCase):
    def test_dump_mode(self):
        # get-devices watches no hotplug: the first one sends the safe exit (Sahara RESET) and
        # the module leaves; it comes back in dump mode, which the next one lists
        result = self.run_tool(["get-devices", "--json"], ["--start-mode", "dump"])
        self.assertNoCrash(result)
        self.assertEqual(module_devices(result), [])
        self.assertRegex(result.sim_log, r"dump: hello_resp, memory debug table\n"
                                         r"dump: reset\n")
        self.assertNotIn("dump: memory read", result.sim_log)
        result = self.run_tool(["get-devices", "--json"], [])
        self.assertNoCrash(result)
        devices = module_devices(result)
        self.assertEqual(len(devices), 1, devices)
        dev = devices[0]
        self.assertEqual(dev["Plugin"], "quectel")
        self.assertEqual(dev["Name"], "EC25/EG25 in SBL dump mode")
        self.assertNotIn("updatable", dev["Flags"])
        self.assertIn("came back to it after a Sahara reset", dev["UpdateError"])
        self.assertIn("USB_BOOT", dev["UpdateError"])
        # not reset twice; the port that only speaks Sahara memory debug was not sent AT
        self.assertEqual(result.sim_log.count("dump: reset\n"), 1, result.sim_log)
        self.assertNotIn("at: ", result.sim_log)

    def test_dump_mode_reset_again_later(self):
        # a module found in dump mode long after the last reset (here: the marker aged) is
        # reset again, and one that left dump mode in between is a new case too
        self.run_tool(["get-devices", "--json"], ["--start-mode", "dump"])
        marker = os.path.join(self.workdir, "var", "lib", "fwupd", "quectel", "dump-exits.ini")
        with open(marker, encoding="utf-8") as f:
            text = f.read()
        self.assertRegex(text, r"(?m)^Time=\d+$")
        with open(marker, "w", encoding="utf-8") as f:
            f.write(re.sub(r"(?m)^Time=\d+$", "Time=1", text))
        result = self.run_tool(["get-devices", "--json"], [])
        self.assertNoCrash(result)
        self.assertEqual(module_devices(result), [])
        self.assertEqual(result.sim_log.count("dump: reset\n"), 2, result.sim_log)

    def test_stuck_in_edl(self):
        result = self.run_tool(["get-devices", "--json", "-vv"], ["--start-mode", "edl"])
        self.assertNoCrash(result)
        devices = module_devices(result)
        updatable = [d for d in devices if "updatable" in d["Flags"]]
        self.assertEqual(len(updatable), 1, devices)
        self.assertEqual(updatable[0]["Plugin"], "quectel")
        self.assertEqual(updatable[0]["Name"], "EC25/EG25 in emergency download mode")
        # the stock qc_firehose plugin, loaded, is offered every 05c6:9008 device; its device
        # of this MDM9607 module is not updatable
        self.assertIn("qc_firehose", result.stderr)
        others = [d for d in devices if d["Plugin"] != "quectel"]
        self.assertEqual([d["Plugin"] for d in others], ["qc_firehose"], devices)
        self.assertNotIn("updatable", others[0]["Flags"])
        self.assertIn("is updated by the quectel plugin, not qc_firehose", result.stderr)

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

    def power_cycle(self):
        subprocess.run([self.sim, "--state", os.path.join(self.workdir, "module"),
                        "--power-cycle"], check=True, capture_output=True)

    def records(self):
        return glob.glob(os.path.join(self.workdir, "var", "lib", "fwupd", "quectel", "*.conf"))

    def test_interrupted_update_finished_by_same_command(self):
        # the power goes while a middle image is written, after the SBL was erased
        folder = self.make_folder("ec25e", EC25_NEW)
        cab = self.make_cab(folder)
        sim_args = ["--model", "EC25", "--revision", EC25_OLD]
        result = self.install(cab, [*sim_args, "--fault", "power-loss:modem"])
        self.assertNoCrash(result)
        self.assertNotEqual(result.returncode, 0)
        efs2_before = self.summary()["efs2"]["sha256"]
        # the record written before the detach now holds the chip's identity too
        records = self.records()
        self.assertEqual(len(records), 1, records)
        with open(records[0], encoding="utf-8") as f:
            record = f.read()
        self.assertIn(f"Revision={EC25_OLD}", record)
        self.assertIn(f"VersionInstalling={EC25_NEW}", record)
        self.assertIn("MsmHwId=0x000480e100000000", record)

        # after a power cycle the module waits in the PBL's EDL, and is that module again
        self.power_cycle()
        result = self.run_tool(["get-devices", "--json", "--plugins", "quectel"])
        self.assertNoCrash(result)
        devices = module_devices(result)
        self.assertEqual(len(devices), 1, devices)
        dev = devices[0]
        self.assertEqual(dev["Name"], "EC25")
        self.assertEqual(dev["Version"], EC25_OLD)
        self.assertIn("updatable", dev["Flags"])
        self.assertIn("QUECTEL\\VARIANT_EC25EFA&FLASH_M4G", dev["InstanceIds"])
        self.assertIn("USB:0x2C7C", dev["VendorIds"])
        self.assertIn("emergency download mode", dev["UpdateError"])
        self.assertIn("run the same command again", dev["UpdateError"])
        # identified without uploading anything
        after_cycle = result.sim_log[result.sim_log.rindex("power: cycled"):]
        self.assertIn("sahara: execute_data 0x01", after_cycle)
        self.assertNotIn("sahara: read_data", after_cycle)

        # a package of another model is refused, even through install-blob, untouched
        other = self.make_cab(self.make_folder("eg25g", EG25_NEW))
        result = self.run_tool(["install-blob", other, dev["DeviceId"], "--plugins", "quectel",
                                "--no-reboot-check"])
        self.assertNoCrash(result)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("the module in emergency download mode was not touched", result.stderr)
        self.assertNotIn("firehose: erase", result.sim_log[result.sim_log.rindex("power: cycled"):])

        # the same command finishes the update
        result = self.install(cab, [])
        self.assertNoCrash(result)
        self.assertEqual(result.returncode, 0, result.stderr[-4000:])
        summary = self.summary()
        self.assertEqual(summary["revision"], f"{EC25_NEW}_{SUBVERSION}")
        self.assertEqual(summary["efs2"]["sha256"], efs2_before)
        self.assertTrue(summary["efs2"]["unchanged"])
        self.check_order(result.sim_log[result.sim_log.rindex("power: cycled"):])
        # the module reported the new revision: its record is done
        self.assertEqual(self.records(), [])

    def test_non_mdm9607_left_alone(self):
        # another Qualcomm chip in EDL: identified through command mode, then declined and
        # left to the stock qc_firehose plugin (every stock plugin loaded)
        result = self.run_tool(["get-devices", "--json", "-vv"],
                               ["--start-mode", "edl", "--hw-id", "0x000C30E1"])
        self.assertNoCrash(result)
        devices = module_devices(result)
        self.assertEqual([d["Plugin"] for d in devices], ["qc_firehose"], devices)
        self.assertIn("updatable", devices[0]["Flags"])
        self.assertIn("has MSM ID 0x000c30e1, not the MDM9607", result.stderr)
        self.assertNotIn("sahara: read_data", result.sim_log)

    def test_programmer_running_at_start(self):
        # a host stopped mid-update, after the boot loader was erased, and left the programmer
        # running: no Sahara HELLO, XML in answer to HELLO_RESP; it is reset (no power cycle),
        # comes back in the PBL's EDL, is identified from its record, and the same command
        # finishes the update in that one run
        folder = self.make_folder("ec25e", EC25_NEW)
        cab = self.make_cab(folder)
        result = self.install(cab, ["--model", "EC25", "--revision", EC25_OLD,
                                    "--fault", "program-nak:modem"])
        self.assertNoCrash(result)
        self.assertEqual(result.returncode, 1, result.stderr[-3000:])
        self.assertEqual(len(self.records()), 1)
        result = self.install(cab, ["--programmer-running"])
        self.assertNoCrash(result)
        self.assertNotIn("Sahara (null) packet", result.stderr)
        self.assertIn("was still running on the module in emergency download mode: it was "
                      "reset", result.stderr)
        self.assertRegex(result.sim_log, r"firehose: the programmer is still running\n"
                                         r"(.*\n)*firehose: power value=reset")
        self.assertNoCrash(result)
        self.assertEqual(result.returncode, 0, result.stderr[-4000:])
        summary = self.summary()
        self.assertEqual(summary["revision"], f"{EC25_NEW}_{SUBVERSION}")
        self.assertTrue(summary["efs2"]["unchanged"])

    def test_stalled_programmer_needs_power_cycle(self):
        # the programmer stopped answering in the middle of an image: only a power cycle
        # helps, and the message says so; after it the same command finishes the update
        folder = self.make_folder("ec25e", EC25_NEW)
        cab = self.make_cab(folder)
        result = self.install(cab, ["--model", "EC25", "--revision", EC25_OLD,
                                    "--fault", "raw-stall:modem"])
        self.assertNoCrash(result)
        self.assertNotEqual(result.returncode, 0)
        result = self.install(cab, [])
        self.assertNoCrash(result)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("does not answer Sahara", result.stderr)
        self.assertIn("power-cycle it and run the same command again", result.stderr)
        self.power_cycle()
        result = self.install(cab, [])
        self.assertNoCrash(result)
        self.assertEqual(result.returncode, 0, result.stderr[-4000:])
        summary = self.summary()
        self.assertEqual(summary["revision"], f"{EC25_NEW}_{SUBVERSION}")
        self.assertTrue(summary["efs2"]["unchanged"])
        self.assertEqual(self.records(), [])

    def test_cold_edl_recovered_with_cabinet(self):
        # a module this host never saw, in EDL: listed with an exact message, then recovered
        # by the documented command with the cabinet as the user has it
        folder = self.make_folder("ec25e", EC25_NEW)
        cab = self.make_cab(folder)
        sim_args = ["--model", "EC25", "--start-mode", "edl"]
        result = self.run_tool(["get-devices", "--json", "--plugins", "quectel"], sim_args)
        self.assertNoCrash(result)
        dev = result.devices("quectel")[0]
        self.assertEqual(dev["Name"], "EC25/EG25 in emergency download mode")
        self.assertIn("Unknown module in emergency download mode", dev["UpdateError"])
        self.assertIn("fwupdtool install-blob FILE.cab DEVICE-ID", dev["UpdateError"])
        result = self.run_tool(["install-blob", cab, dev["DeviceId"], "--plugins", "quectel",
                                "--no-reboot-check", "-vv"], sim_args)
        self.assertNoCrash(result)
        self.assertEqual(result.returncode, 0, result.stderr[-3000:])
        summary = self.summary()
        self.assertEqual(summary["revision"], f"{EC25_NEW}_{SUBVERSION}")
        self.assertTrue(summary["efs2"]["unchanged"])
        # the version from the cabinet's metainfo was checked after the reboot
        self.assertRegex(result.stderr, r"VersionExpected: +" + EC25_NEW)

    def test_cold_edl_cabinet_checks_version(self):
        # the module comes back on its old revision: the recovery command fails
        folder = self.make_folder("ec25e", EC25_NEW)
        cab = self.make_cab(folder)
        sim_args = ["--model", "EC25", "--revision", EC25_OLD, "--start-mode", "edl"]
        dev = self.run_tool(["get-devices", "--json", "--plugins", "quectel"],
                            sim_args).devices("quectel")[0]
        result = self.run_tool(["install-blob", cab, dev["DeviceId"], "--plugins", "quectel",
                                "--no-reboot-check"], [*sim_args, "--fault", "old-revision"])
        self.assertNoCrash(result)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn(f"not the installed {EC25_NEW}", result.stderr)

    def test_cold_edl_other_layout_refused(self):
        # a module this host never saw whose flash holds another variant's partition table:
        # the cabinet is refused before anything is erased, and the module boots as it was
        folder = self.make_folder("ec25e", EC25_NEW)
        cab = self.make_cab(folder)
        sim_args = ["--model", "EC25", "--revision", EC25_OLD, "--start-mode", "edl",
                    "--layout-shift", "modem"]
        dev = self.run_tool(["get-devices", "--json", "--plugins", "quectel"],
                            sim_args).devices("quectel")[0]
        result = self.run_tool(["install-blob", cab, dev["DeviceId"], "--plugins", "quectel",
                                "--no-reboot-check"], [])
        self.assertNoCrash(result)
        self.assertEqual(result.returncode, 1, result.stderr[-3000:])
        self.assertRegex(result.stderr,
                         r"failed to write-firmware: the partition table on the module's flash "
                         r"is not the package's \(MIBIB entry #\d+ is 0:modem at block 0x[0-9a-f]+ "
                         r"length 0x[0-9a-f]+, expected 0:modem .*\): the package is for another "
                         r"variant or layout; nothing was erased; the module was reset and boots "
                         r"its current firmware; use the package made for this module's variant")
        self.assertRegex(result.sim_log, r"firehose: read start=640 ")
        self.assertUntouched(result, entered_edl=True)
        self.assertRegex(result.sim_log, rf"boot: {EC25_OLD}_\S+ from NAND")
        self.assertEqual(self.records(), [])


if __name__ == "__main__":
    unittest.main()

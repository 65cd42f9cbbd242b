#!/usr/bin/python3
# Copyright 2026 The fwupd-quectel authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The fault matrix: ec25-sim faults at every phase of an update through the stock fwupdtool.

Each case is one row of CASES. A case whose first run must fail checks that the message names
the phase, the cause, the module's resulting state and the next step; that nothing crashed;
what the module holds (summary.json, EFS2, mode); then, after a power cycle where the fault
needs one and with the plugin's local state kept as a daemon keeps it, that the same command
finishes the update with the new revision and EFS2 unchanged. A case whose first run must
succeed (the plugin copes with the fault) checks the update and what proves the fault fired.

A row with pending=True needs a recovery step the plugin does not have yet (a module in EDL
identified as the module it was, a module left in dump mode or with the programmer running):
its first half is a test of its own, and the whole case is an expected failure until the
recovery lands.

tests/meson.build registers one test per row (faults-<name>, and faults-<name>-recovery for a
pending row); contrib/faults-matrix.py rewrites the matrix table of plugins/quectel/README.md
from CASES and a test log, and checks the table is current.
"""

import os
import re
import subprocess
import sys
import unittest
from dataclasses import dataclass, field

from test_update import EC25_NEW, EC25_OLD, SUBVERSION, UpdateCase

# the message's phase and cause come before its state and next step
STATE_SBL_ERASED = (r"the module is in emergency download mode with its boot loader erased "
                    r"\(safe\); power-cycle it if needed and run the same command again")
STATE_SBL_WRITING = (r"the module's boot loader, written last, may be incomplete: the module "
                     r"starts in emergency download mode, or with the new firmware if the boot "
                     r"loader was complete \(safe either way\); power-cycle it if needed and run "
                     r"the same command again")
STATE_RESET = r"the module was reset and boots its current firmware; run the same command again"
STATE_NORMAL = r"the module is in normal mode with its firmware unchanged; run the same command again"
STATE_WRITTEN = (r"the flash is written but the module ignored the reset and still runs the "
                 r"programmer in emergency download mode; power-cycle the module to boot the "
                 r"new firmware")
STATE_EDL_PBL = r"emergency download mode"
DUMP_RECOVERY = (r"power it off, connect USB_BOOT to VDD_EXT through a 10 kOhm resistor.*"
                 r"power it on so that it starts in emergency download mode \(05c6:9008\).*"
                 r"fwupdtool install-blob FILE\.cab DEVICE-ID")
NEXT_STEP_ANY = r"(run the same command again|power-cycle)"

# what the module holds after the first run
HELD_NOTHING = "nothing"          # never left normal mode: no EDL session at all
HELD_UNCHANGED = "unchanged"      # went to EDL, nothing erased or programmed
HELD_ERASED = "erased"            # the SBL erased, not programmed
HELD_WRITTEN = "written"          # everything programmed, SBL last


@dataclass
class Case:
    name: str
    summary: str                       # what the fault is, for the README table
    sim: list                          # ec25-sim arguments of the first run
    fails: bool = True                 # the first run fails
    phase: str = ""                    # regexes the printed message must match, in order
    cause: str = ""
    state: str = ""
    held: str = HELD_NOTHING
    mode: str = "normal"               # module.ini's mode after the first run
    power_cycle: bool = False          # the fault needs one before the same command
    usb_boot: bool = False             # the power cycle holds USB_BOOT
    pending: bool = False              # the recovery half needs the recovery work
    log: list = field(default_factory=list)      # regexes the simulator log must match
    no_log: list = field(default_factory=list)   # and must not
    already: bool = False              # the module boots the new revision before the retry
    start: bool = False                # a state the module is found in, not a fault of a run
    # the message's state without its next step: the step is recovery's, checked in the
    # whole (pending) case only
    state_now: str = ""
    # the documented command for a module this host never saw: the cabinet pushed to the EDL
    # device by its ID (plugins/quectel/README.md)
    blob: bool = False
    # the module stays where no cabinet can match it (dump mode): the first run lists it with
    # the cause, state and next step as its update error, and the next step is the command of
    # a module this host never saw (install-blob) after the hardware step
    listed: bool = False
    # a quirk file added to the run's quirks, e.g. a shorter RemoveDelay
    quirks: str = ""


CASES = [
    # normal mode → EDL
    Case("diag-no-echo", "DIAG EDL command switches the module without an echo",
         ["--fault", "diag-no-echo"], fails=False,
         log=[r"diag: no echo \(fault\)"],
         no_log=[r"(?s)diag: download mode \(EDL\) command.*diag: download mode \(EDL\) command"]),
    Case("diag-no-reenum", "DIAG EDL command echoed, the module stays in normal mode",
         ["--fault", "diag-no-reenum"],
         phase=r"failed to detach: .*failed to switch to EDL through /dev/tty\S+: ",
         cause=r"the module echoed the EDL command but was still in normal mode \d+ ms later",
         state=STATE_NORMAL, held=HELD_NOTHING),
    Case("edl-gone", "the module leaves normal mode but does not show up in EDL",
         ["--fault", "edl-gone"],
         phase=r"failed to detach: ",
         cause=r"the module did not come back on USB port \S+ as 05c6:9008 \(emergency "
               r"download mode\) within 5 s",
         state=r"the module left normal mode for emergency download mode but is not on USB, "
               r"with its flash unchanged; power-cycle it and run the same command again",
         held=HELD_NOTHING, power_cycle=True,
         # the test waits 5 s for the module, not the 30 s a real one is given
         quirks="[USB\\VID_2C7C&PID_0125]\nRemoveDelay = 5000\n"),
    # Sahara
    Case("hello-lost", "the PBL's HELLO read by someone else", ["--fault", "hello-lost"],
         fails=False, log=[r"sahara: "]),
    Case("end-of-image", "END_OF_IMAGE with a read data error",
         ["--fault", "end-of-image"],
         phase=r"failed to write-firmware: failed to load the programmer: ",
         cause=r"the PBL refused the programmer: read-data-error \(0xd\)",
         state=r"boots its current firmware.*run the same command again",
         held=HELD_UNCHANGED),
    # Firehose before any erase
    Case("configure-small", "<configure> NAKed with a payload hint",
         ["--fault", "configure-small"], fails=False,
         log=[r"firehose: configure .*NAK|configure"],
         # a module identified in normal mode: its variant is known, no read is needed
         no_log=[r"firehose: read "]),
    Case("configure-nak", "<configure> NAKed without a payload hint",
         ["--fault", "configure-nak"],
         phase=r"failed to write-firmware: failed to configure the programmer: ",
         cause=r"<configure> was refused without a payload size to use: ERROR: storage "
               r"initialisation failed \(fault\): nothing was erased",
         state=STATE_RESET, held=HELD_UNCHANGED),
    Case("xml-garbage", "binary noise for the <configure> answer",
         ["--fault", "xml-garbage"],
         phase=r"failed to write-firmware: failed to configure the programmer: ",
         cause=r"firehose response does not start with an XML declaration: \"(\\[0-7]{3}|[ -~])+\""
               r": nothing was erased",
         state=STATE_RESET, held=HELD_UNCHANGED),
    Case("xml-truncated", "the <configure> answer cut in its XML",
         ["--fault", "xml-truncated"],
         phase=r"failed to write-firmware: failed to configure the programmer: ",
         cause=r"invalid firehose response: .*: nothing was erased",
         state=STATE_RESET, held=HELD_UNCHANGED),
    Case("log-flood", "1000 <log> lines before the <configure> answer",
         ["--fault", "log-flood:1000"], fails=False,
         log=[r"firehose: 1000 log lines \(fault\)"]),
    # Firehose after the SBL erase
    Case("program-nak-first", "the first <program> (MIBIB) NAKed",
         ["--fault", "program-nak:1"],
         phase=r"failed to write-firmware: failed to program partition_complete_\S+\.mbn at page "
               r"0x[0-9a-f]+: ",
         cause=r"NAK: ERROR: .*\(fault\)", state=STATE_SBL_ERASED, held=HELD_ERASED,
         mode="edl"),
    Case("program-nak-middle", "a middle <program> (modem) NAKed",
         ["--fault", "program-nak:modem"],
         phase=r"failed to write-firmware: failed to program \S+ at page 0x[0-9a-f]+: ",
         cause=r"NAK: ERROR: .*\(fault\)", state=STATE_SBL_ERASED, held=HELD_ERASED,
         mode="edl"),
    Case("program-nak-sbl", "the SBL <program>, the last, NAKed",
         ["--fault", "program-nak:sbl"],
         phase=r"failed to write-firmware: failed to program sbl1\.mbn at page 0x0: ",
         cause=r"NAK: ERROR: .*\(fault\)", state=STATE_SBL_WRITING, held=HELD_ERASED,
         mode="edl"),
    Case("xml-garbage-program", "binary noise for the first <program> answer",
         ["--fault", "xml-garbage:program"],
         phase=r"failed to write-firmware: failed to program \S+ at page 0x[0-9a-f]+: ",
         cause=r"firehose response does not start with an XML declaration",
         state=STATE_SBL_ERASED, held=HELD_ERASED, mode="edl"),
    Case("raw-stall", "the programmer stops answering in the data of the second program",
         ["--fault", "raw-stall:2"],
         phase=r"failed to write-firmware: failed to program \S+ at page 0x[0-9a-f]+: ",
         cause=r"(timed out|Operation timed out)", state=STATE_SBL_ERASED, held=HELD_ERASED,
         mode="edl", power_cycle=True),
    # power loss: the module drops off the bus, the PBL starts when the power returns
    Case("power-loss-sbl", "power lost in the middle of the SBL program",
         ["--fault", "power-loss:sbl"],
         phase=r"failed to write-firmware: failed to program sbl1\.mbn at page 0x0: ",
         cause=r"No such device", state=STATE_SBL_WRITING, held=HELD_ERASED, mode="edl",
         power_cycle=True),
    Case("power-loss-mibib", "power lost in the middle of the MIBIB program",
         ["--fault", "power-loss:mibib"],
         phase=r"failed to write-firmware: failed to program partition_complete_\S+\.mbn at page "
               r"0x[0-9a-f]+: ",
         cause=r"No such device", state=STATE_SBL_ERASED, held=HELD_ERASED, mode="edl",
         power_cycle=True),
    Case("power-loss-middle", "power lost in the middle of a middle image (modem)",
         ["--fault", "power-loss:modem"],
         phase=r"failed to write-firmware: failed to program \S+ at page 0x[0-9a-f]+: ",
         cause=r"No such device", state=STATE_SBL_ERASED, held=HELD_ERASED, mode="edl",
         power_cycle=True),
    Case("power-loss-last-image", "power lost in the middle of the last image before the SBL",
         ["--fault", "power-loss:system"],
         phase=r"failed to write-firmware: failed to program \S+ at page 0x[0-9a-f]+: ",
         cause=r"No such device", state=STATE_SBL_ERASED, held=HELD_ERASED, mode="edl",
         power_cycle=True),
    Case("power-loss-after-sbl", "power lost after the last SBL byte, before its answer",
         ["--fault", "power-loss:sbl:end"],
         phase=r"failed to write-firmware: failed to program sbl1\.mbn at page 0x0: ",
         cause=r"No such device", state=STATE_SBL_WRITING, held=HELD_WRITTEN,
         already=True),
    # after the write
    Case("reset-ignored", "<power value=\"reset\"/> ACKed, the programmer keeps running",
         ["--fault", "reset-ignored"],
         phase=r"failed to attach: .*failed to reset the module: ",
         cause=r"the programmer ACKed <power value=\"reset\"/> but still answers <nop/> \d+ ms "
               r"later",
         state=STATE_WRITTEN, held=HELD_WRITTEN, mode="edl", power_cycle=True, already=True),
    Case("no-boot", "the module does not come back on USB after the reset",
         ["--fault", "no-boot"],
         phase=r"failed to attach: ",
         cause=r"the module did not come back on USB port \S+ as 2c7c:0125 \(normal mode\) or "
               r"05c6:9008 \(emergency download mode\) within 5 s",
         state=r"the flash is written and the module was reset but is not on USB; power-cycle "
               r"it: it boots the new firmware.*then run the same command again",
         # the simulator keeps the mode the module left in
         held=HELD_WRITTEN, mode="edl", power_cycle=True, already=True,
         # the test waits 5 s for the module, not the 90 s a real one may take to boot
         quirks="[USB\\VID_05C6&PID_9008]\nRemoveDelay = 5000\n"),
    Case("old-revision", "the module comes back on its old revision",
         ["--fault", "old-revision"],
         phase=r"failed to reload: ",
         cause=rf"the module came back with {EC25_OLD}, not the installed {EC25_NEW}",
         state=r"the update did not take effect; the module is in normal mode and runs its "
               r"previous firmware.*; run the same command again", held=HELD_WRITTEN),
    # where the module is found at the start: recovery's cases, the same command finishes
    Case("programmer-running", "EDL with the programmer of an earlier run still running",
         ["--programmer-running"], fails=False, start=True,
         log=[r"firehose: the programmer is still running\n(.*\n)*firehose: power value=reset"]),
    Case("dump-clears-tty", "dump mode that Sahara RESET clears, tty bound",
         ["--start-mode", "dump", "--dump-kind", "clears", "--dump-tty", "yes"], fails=False,
         start=True, log=[r"dump: reset"], no_log=[r"(?s)dump: reset.*dump: reset"]),
    Case("dump-clears-no-tty", "dump mode that Sahara RESET clears, no tty",
         ["--start-mode", "dump", "--dump-kind", "clears", "--dump-tty", "no"], fails=False,
         start=True, log=[r"dump: reset"], no_log=[r"(?s)dump: reset.*dump: reset"]),
    Case("dump-persists-tty", "dump mode that persists, tty bound",
         ["--start-mode", "dump", "--dump-kind", "persists", "--dump-tty", "yes"],
         cause=r"dump mode .*after a Sahara reset", state=DUMP_RECOVERY, mode="dump",
         power_cycle=True, usb_boot=True, start=True, listed=True,
         log=[r"dump: reset"], no_log=[r"(?s)dump: reset.*dump: reset"]),
    Case("dump-persists-no-tty", "dump mode that persists, no tty",
         ["--start-mode", "dump", "--dump-kind", "persists", "--dump-tty", "no"],
         cause=r"dump mode .*after a Sahara reset", state=DUMP_RECOVERY, mode="dump",
         power_cycle=True, usb_boot=True, start=True, listed=True,
         log=[r"dump: reset"], no_log=[r"(?s)dump: reset.*dump: reset"]),
    Case("cold-edl", "a module this host never saw, in PBL EDL, recovered with install-blob",
         ["--start-mode", "edl"], fails=False, start=True, blob=True,
         # its identity unknown, the partition table on its flash is compared with the
         # package's before the first erase
         log=[r"firehose: getstorageinfo\nfirehose: read start=640 num=\d+\n"
              r"firehose: erase start=0 "]),
]


def error_message(stderr):
    """What fwupdtool printed as the error: the lines that are not log lines."""
    lines = [line for line in stderr.splitlines()
             if line.strip() and not re.match(r"^\d\d:\d\d:\d\d\.\d{3} ", line)
             and not line.startswith((" ", "\t", "Waiting", "Writing", "Decompressing",
                                      "Restarting", "Loading", "Idle", "Verifying",
                                      "Erasing", "Reading", "Scheduling"))]
    return "\n".join(lines[-3:])


class FaultCase(UpdateCase):
    """One row of the matrix: the first run, then the same command finishing the job."""

    MODEL = "EC25"

    def setUp(self):
        super().setUp()
        folder = self.make_folder("ec25e", EC25_NEW, "--tiny")
        self.folder = folder
        self.cab = self.make_cab(folder)

    def module_ini(self):
        path = os.path.join(self.workdir, "module", "module.ini")
        with open(path, encoding="utf-8") as f:
            return dict(re.findall(r"(?m)^(\w+)=(.*)$", f.read()))

    def sim_tool(self, *args):
        proc = subprocess.run([self.sim, "--state", os.path.join(self.workdir, "module"),
                               *args], capture_output=True, text=True, timeout=60, check=False)
        self.assertEqual(proc.returncode, 0, proc.stderr)

    def check_held(self, case, result):
        """What the EDL sessions of the first run (a fresh module) erased and programmed."""
        if case.held == HELD_NOTHING:
            self.assertUntouched(result, entered_edl=False)
            return
        summary = self.summary()
        self.assertTrue(summary["efs2"]["unchanged"], summary["efs2"])
        sessions = [*summary.get("previous_sessions", []), summary]
        erases = [e for s in sessions for e in s["erases"]]
        programs = [p for s in sessions for p in s["programs"]]
        starts = [p["start_sector"] for p in programs]
        if case.held == HELD_UNCHANGED:
            self.assertEqual(erases, [], sessions)
            self.assertEqual(programs, [], sessions)
        elif case.held == HELD_ERASED:
            # the SBL erased first; its program, if started, did not complete
            self.assertEqual(erases[0]["start_sector"], 0, erases)
            self.assertNotIn(0, [p["start_sector"] for p in programs if p["status"] == "ok"],
                             "the SBL was programmed")
        elif case.held == HELD_WRITTEN:
            self.assertEqual(erases[0]["start_sector"], 0, erases)
            self.assertEqual(starts[-1], 0, "the SBL is not programmed last")
            self.assertNotIn(0, starts[:-1], "the SBL is not programmed last")
            self.assertEqual([p for p in programs[:-1] if p["status"] != "ok"], [])

    def check_updated(self, result, already=False, log_from=0):
        """The update finished; LOG_FROM: where this run's part of the simulator log starts."""
        log = result.sim_log[log_from:]
        self.assertNoCrash(result)
        if already:
            # the module booted the new firmware before the retry: fwupd has nothing to do
            self.assertTrue(result.returncode == 0 or "is already installed" in result.stderr,
                            result.stderr[-3000:])
        else:
            self.assertEqual(result.returncode, 0, result.stderr[-4000:])
            self.check_order(log)
        summary = self.summary()
        self.assertEqual(summary["revision"], f"{EC25_NEW}_{SUBVERSION}")
        self.assertTrue(summary["efs2"]["unchanged"], summary["efs2"])
        self.assertRegex(log, r"mode: normal .*" + EC25_NEW)

    def first_run(self, case, whole=True):
        sim_args = ["--model", self.MODEL, "--revision", EC25_OLD, *case.sim]
        if case.quirks:
            quirks = os.path.join(self.workdir, "quirks.d")
            os.makedirs(quirks, exist_ok=True)
            with open(os.path.join(quirks, "test-fault.quirk"), "w", encoding="utf-8") as f:
                f.write(case.quirks)
        if case.blob:
            devices = self.run_tool(["get-devices", "--json", "--plugins", "quectel"], sim_args)
            self.assertNoCrash(devices)
            device_id = devices.devices("quectel")[0]["DeviceId"]
            result = self.run_tool(["install-blob", self.cab, device_id, "--plugins", "quectel",
                                    "--no-reboot-check", "-vv"], sim_args)
        else:
            result = self.install(self.cab, sim_args)
        self.assertNoCrash(result)
        if case.listed:
            return self.first_run_listed(case, result)
        for pattern in case.log:
            self.assertRegex(result.sim_log, pattern)
        for pattern in case.no_log:
            self.assertNotRegex(result.sim_log, pattern)
        if not case.fails:
            self.check_updated(result)
            return result
        # fwupd's conventions: a failed update exits 1 with its message printed
        self.assertEqual(result.returncode, 1, result.stderr[-4000:])
        message = error_message(result.stderr)
        state = case.state if whole or not case.state_now else case.state_now
        self.assertRegex(message, re.compile(
            f"{case.phase}.*{case.cause}.*{state}", re.DOTALL), result.stderr[-3000:])
        self.check_held(case, result)
        self.assertEqual(self.module_ini().get("mode"), case.mode, result.sim_log[-2000:])
        return result

    def first_run_listed(self, case, result):
        """The module stays where no cabinet matches it: listed with what to do."""
        for pattern in case.log:
            self.assertRegex(result.sim_log, pattern)
        for pattern in case.no_log:
            self.assertNotRegex(result.sim_log, pattern)
        self.assertNotEqual(result.returncode, 0, result.stderr[-3000:])
        self.assertEqual(self.module_ini().get("mode"), case.mode, result.sim_log[-2000:])
        devices = self.run_tool(["get-devices", "--json", "--plugins", "quectel"],
                                ["--model", self.MODEL])
        self.assertNoCrash(devices)
        ours = devices.devices("quectel")
        self.assertEqual(len(ours), 1, ours)
        self.assertNotIn("updatable", ours[0]["Flags"])
        self.assertRegex(ours[0].get("UpdateError", ""),
                         re.compile(f"{case.cause}.*{case.state}", re.DOTALL))
        # the safe exit is tried once: not again when the module is back in dump mode, nor by
        # the next command a moment later
        self.assertEqual(len(re.findall(r"dump: reset\n", devices.sim_log)), 1, devices.sim_log)
        self.assertUntouched(result, entered_edl=False)
        return result

    def sim_log_size(self):
        path = os.path.join(self.workdir, "module", "sim.log")
        with open(path, encoding="utf-8") as f:
            return len(f.read())

    def recover(self, case):
        if case.power_cycle:
            self.sim_tool("--usb-boot" if case.usb_boot else "--power-cycle")
        # the same command, the module as it is now; the plugin's local state kept
        log_from = self.sim_log_size()
        if case.listed:
            # the hardware step left a module this host never saw in the PBL's EDL
            devices = self.run_tool(["get-devices", "--json", "--plugins", "quectel"],
                                    ["--model", self.MODEL])
            device_id = devices.devices("quectel")[0]["DeviceId"]
            result = self.run_tool(["install-blob", self.cab, device_id, "--plugins", "quectel",
                                    "--no-reboot-check", "-vv"], ["--model", self.MODEL])
            self.check_updated(result, log_from=log_from)
            return result
        result = self.install(self.cab, ["--model", self.MODEL])
        self.check_updated(result, already=case.already, log_from=log_from)
        return result

    def run_case(self, name, recovery=True):
        case = {c.name: c for c in CASES}[name]
        self.first_run(case, whole=recovery)
        if recovery and (case.fails or case.listed):
            self.recover(case)


def _make_test(name, recovery):
    def test(self):
        self.run_case(name, recovery)
    return test


class Faults(FaultCase):
    """test_<case>: the whole row; test_<case>_failure: the first half of a pending row whose
    first run is a fault (a start state's first half is recovery's too)."""


for _case in CASES:
    _id = _case.name.replace("-", "_")
    if _case.pending:
        if not _case.start:
            setattr(Faults, f"test_{_id}_failure", _make_test(_case.name, False))
        setattr(Faults, f"test_{_id}", unittest.expectedFailure(_make_test(_case.name, True)))
    else:
        setattr(Faults, f"test_{_id}", _make_test(_case.name, True))


def meson_names():
    """The test methods, one a line, for tests/meson.build."""
    for case in CASES:
        _id = case.name.replace("-", "_")
        if case.pending and not case.start:
            print(f"test_{_id}_failure")
        print(f"test_{_id}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--list"]:
        meson_names()
        sys.exit(0)
    unittest.main()

#!/usr/bin/python3
# Copyright 2026 The fwupd-quectel authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""with-modemmanager.py DEVICE SIM_LOG MM_LOG COMMAND...

Run under ec25-sim (--tty-ioctls) on a private system bus: start Debian's ModemManager, wait
until it manages the simulated module (a Modem object whose Device is DEVICE, with its revision
and IMEI read), mark that point in the simulator's log, run COMMAND, stop ModemManager and exit
with COMMAND's status (125 if ModemManager never managed the module).
"""

import os
import re
import subprocess
import sys
import time

import dbus

MM_SERVICE = "org.freedesktop.ModemManager1"
MM_PATH = "/org/freedesktop/ModemManager1"
MM_MODEM = MM_SERVICE + ".Modem"
READY_TIMEOUT_S = 90
POLL_S = 0.5
MARKER = "test: ModemManager manages the module"


def managed_modem(bus, device):
    """The modem object of DEVICE once ModemManager has read its identity, else None."""
    try:
        manager = dbus.Interface(bus.get_object(MM_SERVICE, MM_PATH),
                                 "org.freedesktop.DBus.ObjectManager")
        for path, interfaces in manager.GetManagedObjects().items():
            modem = interfaces.get(MM_MODEM)
            if modem is not None and modem.get("Device") == device and \
                    modem.get("Revision") and modem.get("EquipmentIdentifier"):
                return str(path)
    except dbus.exceptions.DBusException:
        pass
    return None


def modemmanager_env():
    """umockdev's preload, without the sanitizer runtime the sanitized test run preloads:
    ModemManager is not ours to sanitize, and it hangs at start-up with it."""
    env = dict(os.environ)
    preload = [p for p in re.split(r"[\s:]+", env.get("LD_PRELOAD", ""))
               if p and "libasan" not in p and "libubsan" not in p]
    env["LD_PRELOAD"] = ":".join(preload)
    return env


def main():
    device, sim_log, mm_log, *command = sys.argv[1:]
    mm = subprocess.Popen(["ModemManager", "--debug", "--log-level=DEBUG",
                           f"--log-file={mm_log}", "--test-no-suspend-resume"],
                          env=modemmanager_env())
    try:
        bus = dbus.SystemBus()
        deadline = time.monotonic() + READY_TIMEOUT_S
        path = None
        while path is None and time.monotonic() < deadline and mm.poll() is None:
            time.sleep(POLL_S)
            path = managed_modem(bus, device)
        if path is None:
            print(f"with-modemmanager: ModemManager did not manage {device} within "
                  f"{READY_TIMEOUT_S} s (see {mm_log})", file=sys.stderr)
            return 125
        with open(sim_log, "a", encoding="utf-8") as f:
            f.write(f"{MARKER} as {path}\n")
        return subprocess.call(command)
    finally:
        mm.terminate()
        try:
            mm.wait(timeout=30)
        except subprocess.TimeoutExpired:
            mm.kill()
            mm.wait()


if __name__ == "__main__":
    sys.exit(main())

# Copyright 2026 The fwupd-quectel authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The stock fwupd daemon, as installed, on a private system bus, against a simulated module.

Pieces, each started and stopped on its own so that a test can restart one of them:

- InstalledTree: the project's files at their installed paths (a `meson install --destdir`
  tree or an unpacked Debian package) mapped onto the stock fwupd's folders;
- SystemBus: a dbus-daemon with its own configuration, holding the system's bus policies
  (fwupd's among them) and, for mocks such as a ModemManager one, policies of the test's own
  (DaemonTestCase.bus_services; spawn them with DBUS_SYSTEM_BUS_ADDRESS=bus.address);
- Polkit: the distribution's polkitd on that bus, so the daemon's authorisation is real;
- Module: ec25-sim with its persistent state folder, serving the testbed until stopped;
- Daemon: /usr/libexec/fwupd/fwupd with fu-path.c's folders in a private work folder, in the
  testbed of a Module, restartable while the module stays on the bus;
- fwupdmgr(): the stock client on the private bus.

Every process is started in its own process group and dies with the test process; stop()
and DaemonTestCase.tearDown() end them all, so no process outlives a test.
"""

import ctypes
import json
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

BUILD_DIR = os.environ.get("QUECTEL_BUILD_DIR", "")
SOURCE_DIR = os.environ.get("QUECTEL_SOURCE_DIR", "")
# an already installed tree (an unpacked package); without it the build is installed first
INSTALL_ROOT = os.environ.get("QUECTEL_INSTALL_ROOT", "")
FWUPD_DAEMON = os.environ.get("FWUPD_DAEMON", "/usr/libexec/fwupd/fwupd")
FWUPDMGR = os.environ.get("FWUPDMGR", "fwupdmgr")
DBUS_DAEMON = "dbus-daemon"
POLKITD = "/usr/lib/polkit-1/polkitd"
SYSTEM_BUS_POLICIES = "/usr/share/dbus-1/system.d"
UMOCKDEV_PRELOAD = "libumockdev-preload.so.0"
FWUPD_BUS_NAME = "org.freedesktop.fwupd"
POLKIT_BUS_NAME = "org.freedesktop.PolicyKit1"
START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 20
CLIENT_TIMEOUT_S = 240
PR_SET_PDEATHSIG = 1
HOST_DMI = {"sys_vendor": "Test Vendor", "product_name": "Test Computer",
            "product_sku": "TEST-1", "chassis_type": "10"}

_libc = ctypes.CDLL(None, use_errno=True)


def _die_with_parent():
    """In the child before exec: end with the test process, in a process group of its own."""
    os.setpgid(0, 0)
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _end(proc, timeout=STOP_TIMEOUT_S, sig=signal.SIGTERM):
    """Stop PROC and everything in its process group; return its exit status."""
    if proc is None:
        return None
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
    # whatever is left in its group (a child that ignored the signal) goes too
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    if proc.poll() is None:
        proc.wait(STOP_TIMEOUT_S)
    return proc.returncode


def _wait_for(predicate, timeout, what, check=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if check is not None:
            check()
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def stock_folders():
    """The folders the stock fwupd package puts its plugins and quirks in, from dpkg."""
    files = subprocess.run(["dpkg-query", "-L", "fwupd"], capture_output=True, text=True,
                           check=True).stdout.splitlines()
    plugins = [os.path.dirname(f) for f in files if os.path.basename(f) == "libfwupdplugin.so"]
    quirks = [os.path.dirname(f) for f in files if f.endswith("/quirks.d/builtin.quirk.gz")]
    units = [os.path.dirname(f) for f in files if f.endswith("/system/fwupd.service")]
    if len(plugins) != 1 or len(quirks) != 1 or len(units) != 1:
        raise AssertionError(f"cannot find fwupd's folders in its package: {plugins} {quirks} {units}")
    return {"plugins": plugins[0], "quirks": quirks[0], "units": units[0]}


class InstalledTree:
    """The project as installed under ROOT, seen by the stock daemon through its folders."""

    def __init__(self, root):
        self.root = root
        self.stock = stock_folders()

    @classmethod
    def from_build(cls, destdir):
        """`meson install --destdir DESTDIR` of the build folder."""
        proc = subprocess.run(["meson", "install", "-C", BUILD_DIR, "--destdir", destdir,
                               "--no-rebuild", "--quiet"],
                              capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise AssertionError(f"meson install failed: {proc.stdout}{proc.stderr}")
        return cls(destdir)

    def path(self, absolute):
        return os.path.join(self.root, absolute.lstrip("/"))

    def files(self):
        out = []
        for top, _, names in os.walk(self.root):
            for name in names:
                out.append("/" + os.path.relpath(os.path.join(top, name), self.root))
        return sorted(out)

    def merged(self, kind, dest):
        """A folder holding the stock package's files of KIND and ours, as on an installed system."""
        os.makedirs(dest, exist_ok=True)
        for top in (self.stock[kind], self.path(self.stock[kind])):
            if not os.path.isdir(top):
                continue
            for name in os.listdir(top):
                # fwupd skips symlinks in these folders: hard links, or copies
                target = os.path.join(dest, name)
                if os.path.lexists(target):
                    os.unlink(target)
                try:
                    os.link(os.path.join(top, name), target)
                except OSError:
                    shutil.copy2(os.path.join(top, name), target)
        return dest


class SystemBus:
    """A dbus-daemon of type system on a socket in WORKDIR, with the system's bus policies."""

    CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <!-- the stock system bus's default policy: services decide who may own names -->
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Introspectable"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Properties"/>
  </policy>
  <!-- root may also watch everything (the tests record the daemon's signals) -->
  <policy user="root">
    <allow eavesdrop="true"/>
    <allow eavesdrop="true" send_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Monitoring"/>
  </policy>
  <includedir>{policies}</includedir>
  <includedir>{extra}</includedir>
</busconfig>
"""
    OWN_POLICY = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <policy user="root"><allow own="{name}"/></policy>
  <policy context="default"><allow send_destination="{name}"/></policy>
</busconfig>
"""

    def __init__(self, workdir):
        self.workdir = os.path.join(workdir, "bus")
        self.socket = os.path.join(self.workdir, "system_bus_socket")
        self.address = f"unix:path={self.socket}"
        self.policies = os.path.join(self.workdir, "system.d")
        self.proc = None

    def allow_own(self, name):
        """Let root own NAME and anyone call it, for a service the distribution's policies
        do not cover (a mock, e.g. python-dbusmock's ModemManager); before start()."""
        os.makedirs(self.policies, exist_ok=True)
        with open(os.path.join(self.policies, f"{name}.conf"), "w", encoding="utf-8") as f:
            f.write(self.OWN_POLICY.format(name=name))

    def start(self):
        os.makedirs(self.policies, exist_ok=True)
        config = os.path.join(self.workdir, "system.conf")
        with open(config, "w", encoding="utf-8") as f:
            f.write(self.CONFIG.format(socket=self.socket, policies=SYSTEM_BUS_POLICIES,
                                       extra=self.policies))
        self.proc = subprocess.Popen([DBUS_DAEMON, "--config-file", config, "--nofork",
                                      "--nopidfile", "--print-address"],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, preexec_fn=_die_with_parent)
        line = self.proc.stdout.readline()
        if not line.startswith("unix:"):
            _end(self.proc)
            raise AssertionError(f"dbus-daemon did not start: {self.proc.stderr.read()}")
        return self

    def env(self):
        return {"DBUS_SYSTEM_BUS_ADDRESS": self.address}

    def has_owner(self, name):
        proc = subprocess.run(["dbus-send", "--bus=" + self.address, "--print-reply",
                               "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
                               "org.freedesktop.DBus.NameHasOwner", f"string:{name}"],
                              capture_output=True, text=True, check=False)
        return proc.returncode == 0 and "boolean true" in proc.stdout

    def monitor(self, path, match):
        """Record the bus's messages matching MATCH into PATH until stopped."""
        out = open(path, "w", encoding="utf-8")
        proc = subprocess.Popen(["dbus-monitor", "--address", self.address, match],
                                stdout=out, stderr=subprocess.STDOUT,
                                preexec_fn=_die_with_parent)
        out.close()
        return proc

    def stop(self):
        _end(self.proc)
        self.proc = None


class Polkit:
    """The distribution's polkitd on the private bus (started as root, it becomes its own user)."""

    def __init__(self, bus, workdir):
        self.bus = bus
        self.log = os.path.join(workdir, "polkitd.log")
        self.proc = None

    def start(self):
        env = dict(os.environ)
        env.update(self.bus.env())
        with open(self.log, "w", encoding="utf-8") as out:
            self.proc = subprocess.Popen(
                [POLKITD],
                env=env, stdout=out, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)
        _wait_for(lambda: self.bus.has_owner(POLKIT_BUS_NAME), START_TIMEOUT_S, "polkitd",
                  self._check)
        return self

    def _check(self):
        if self.proc.poll() is not None:
            with open(self.log, encoding="utf-8") as f:
                raise AssertionError(f"polkitd exited ({self.proc.returncode}): {f.read()}")

    def stop(self):
        _end(self.proc)
        self.proc = None


class Module:
    """ec25-sim with a persistent state folder; serves the testbed until stopped.

    The simulator's command only reports the testbed's folder and waits for its stdin to
    close, so daemons can come and go while the module stays on the bus; stopping it is
    unplugging the module (its NAND and mode are saved in the state folder and a new Module
    on the same folder continues from there)."""

    def __init__(self, workdir, sim_args=()):
        self.state = os.path.join(workdir, "module")
        self.sim_args = list(sim_args)
        self.dir_file = os.path.join(workdir, "umockdev-dir")
        self.log = os.path.join(workdir, "ec25-sim.log")
        self.proc = None
        self.umockdev_dir = None

    def start(self):
        sim = os.path.join(BUILD_DIR, "tests", "ec25-sim")
        if os.path.exists(self.dir_file):
            os.unlink(self.dir_file)
        holder = 'printf %s "$UMOCKDEV_DIR" >"$0.tmp" && mv "$0.tmp" "$0" && exec cat >/dev/null'
        with open(self.log, "a", encoding="utf-8") as out:
            self.proc = subprocess.Popen(
                [sim, "--state", self.state, *self.sim_args, "--",
                 "/bin/sh", "-c", holder, self.dir_file],
                stdin=subprocess.PIPE, stdout=out, stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent)
        _wait_for(lambda: os.path.exists(self.dir_file), START_TIMEOUT_S, "ec25-sim",
                  self._check)
        with open(self.dir_file, encoding="utf-8") as f:
            self.umockdev_dir = f.read()
        return self

    def _check(self):
        if self.proc.poll() is not None:
            raise AssertionError(f"ec25-sim exited ({self.proc.returncode}): {self.sim_log()}")

    def env(self):
        preload = os.environ.get("LD_PRELOAD", "")
        return {"UMOCKDEV_DIR": self.umockdev_dir,
                "LD_PRELOAD": f"{UMOCKDEV_PRELOAD}:{preload}" if preload else UMOCKDEV_PRELOAD}

    def sim_log(self):
        path = os.path.join(self.state, "sim.log")
        return open(path, encoding="utf-8").read() if os.path.exists(path) else ""

    def summary(self):
        with open(os.path.join(self.state, "summary.json"), encoding="utf-8") as f:
            return json.load(f)

    def stop(self):
        """Unplug: the simulator saves the module's state and exits."""
        if self.proc is None:
            return None
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            pass
        status = _end(self.proc)
        self.proc = None
        return status


class Daemon:
    """/usr/libexec/fwupd/fwupd with the installed tree and a private configuration and state.

    fu-path.c's folders: FWUPD_LIBDIR_PKG (plugins) and FWUPD_DATADIR_QUIRKS (quirks) hold the
    stock files and the installed ones; FWUPD_SYSCONFDIR (fwupd.conf, remotes.d, pki),
    STATE_DIRECTORY (history), CACHE_DIRECTORY, FWUPD_LOCALSTATEDIR and FWUPD_RUNDIR are in
    WORKDIR/daemon; FWUPD_LOCKDIR is private; FWUPD_SYSFSDMIDIR describes a host computer.
    Configuration and state survive restart()."""

    def __init__(self, workdir, tree, bus, module):
        self.top = os.path.join(workdir, "daemon")
        self.tree = tree
        self.bus = bus
        self.module = module
        self.sysconfdir = os.path.join(self.top, "etc")
        self.confdir = os.path.join(self.sysconfdir, "fwupd")
        self.remotesdir = os.path.join(self.confdir, "remotes.d")
        self.pkidir = os.path.join(self.sysconfdir, "pki", "fwupd")
        self.pkidir_metadata = os.path.join(self.sysconfdir, "pki", "fwupd-metadata")
        self.log = os.path.join(self.top, "fwupd.log")
        self.proc = None
        self.starts = 0
        for d in (self.remotesdir, self.pkidir, self.pkidir_metadata):
            os.makedirs(d, exist_ok=True)
        # the stock configuration, OnlyTrusted and all
        shutil.copy("/etc/fwupd/fwupd.conf", os.path.join(self.confdir, "fwupd.conf"))
        self.paths = {
            "FWUPD_LIBDIR_PKG": tree.merged("plugins", os.path.join(self.top, "libdir-pkg")),
            "FWUPD_DATADIR_QUIRKS": tree.merged("quirks", os.path.join(self.top, "quirks.d")),
            "FWUPD_SYSCONFDIR": self.sysconfdir,
            "STATE_DIRECTORY": os.path.join(self.top, "state"),
            "CACHE_DIRECTORY": os.path.join(self.top, "cache"),
            "FWUPD_LOCALSTATEDIR": os.path.join(self.top, "var"),
            "FWUPD_RUNDIR": os.path.join(self.top, "run"),
            "FWUPD_LOCKDIR": os.path.join(self.top, "lock"),
        }
        for key, value in self.paths.items():
            if key not in ("FWUPD_LIBDIR_PKG", "FWUPD_DATADIR_QUIRKS"):
                os.makedirs(value, exist_ok=True)
        # the computer the module is plugged into: the testbed has no /sys/class/dmi, and
        # without it fwupd names the host "Unknown Vendor Unknown Product"
        dmi = os.path.join(self.top, "dmi")
        os.makedirs(dmi, exist_ok=True)
        for name, value in HOST_DMI.items():
            with open(os.path.join(dmi, name), "w", encoding="utf-8") as f:
                f.write(value + "\n")
        self.paths["FWUPD_SYSFSDMIDIR"] = dmi

    def trust(self, cert):
        """Trust CERT (PEM) for firmware and metadata, as a vendor's CA in /etc/pki would be."""
        for d in (self.pkidir, self.pkidir_metadata):
            shutil.copy(cert, d)

    def add_vendor_directory(self, name, folder):
        """A directory remote like the stock vendor-directory.conf, over FOLDER."""
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(self.remotesdir, f"{name}.conf"), "w", encoding="utf-8") as f:
            f.write("[fwupd Remote]\nEnabled=true\nTitle=Vendor (Automatic)\n"
                    f"MetadataURI=file://{folder}\nApprovalRequired=false\n")

    def env(self):
        env = dict(os.environ)
        env.update(self.paths)
        env.update(self.bus.env())
        env.update(self.module.env())
        return env

    def start(self):
        self.starts += 1
        with open(self.log, "a", encoding="utf-8") as out:
            out.write(f"==== start {self.starts}\n")
            out.flush()
            self.proc = subprocess.Popen([FWUPD_DAEMON, "--verbose"], env=self.env(),
                                         stdout=out, stderr=subprocess.STDOUT,
                                         preexec_fn=_die_with_parent)
        _wait_for(lambda: self.bus.has_owner(FWUPD_BUS_NAME), START_TIMEOUT_S, "fwupd",
                  self._check)
        return self

    def _check(self):
        if self.proc.poll() is not None:
            raise AssertionError(f"fwupd exited ({self.proc.returncode}): {self.output()[-4000:]}")

    def output(self):
        return open(self.log, encoding="utf-8").read() if os.path.exists(self.log) else ""

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        """SIGTERM, as systemd stops it; returns its exit status."""
        status = _end(self.proc)
        self.proc = None
        _wait_for(lambda: not self.bus.has_owner(FWUPD_BUS_NAME), STOP_TIMEOUT_S,
                  "fwupd to leave the bus")
        return status

    def restart(self):
        self.stop()
        return self.start()


class ClientResult:
    def __init__(self, proc):
        self.returncode = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr

    def json(self):
        try:
            doc, _ = json.JSONDecoder().raw_decode(self.stdout.lstrip())
            return doc
        except ValueError as e:
            raise AssertionError(f"fwupdmgr did not print JSON ({e}):\n{self.stdout[-2000:]}"
                                 f"\n{self.stderr[-2000:]}")


class DaemonTestCase(unittest.TestCase):
    """Per test: a work folder, the installed tree, a private bus with polkitd, a module and
    the daemon (started by start_daemon()); all of it gone after the test."""

    sim_args = ("--model", "EC25", "--revision", "EC25EFAR06A08M4G")

    # bus names the test's own services (mocks) own on the private bus
    bus_services = ()

    def setUp(self):
        if not BUILD_DIR or not os.path.isdir(BUILD_DIR):
            self.fail("QUECTEL_BUILD_DIR must name the meson build folder")
        self.workdir = tempfile.mkdtemp(prefix="quectel-daemon-")
        # polkitd and the unprivileged client reach the bus's socket in here
        os.chmod(self.workdir, 0o755)
        self.addCleanup(self._remove_workdir)
        if INSTALL_ROOT:
            self.tree = InstalledTree(INSTALL_ROOT)
        else:
            self.tree = InstalledTree.from_build(os.path.join(self.workdir, "destdir"))
        self.bus = SystemBus(self.workdir)
        for name in self.bus_services:
            self.bus.allow_own(name)
        self.bus.start()
        self.addCleanup(self.bus.stop)
        self.polkit = Polkit(self.bus, self.workdir).start()
        self.addCleanup(self.polkit.stop)
        self.module = None
        self.daemon = None
        self.home = os.path.join(self.workdir, "home")
        os.makedirs(self.home)

    def _remove_workdir(self):
        if os.environ.get("QUECTEL_KEEP_WORKDIR"):
            print(f"work folder kept: {self.workdir}")
            return
        shutil.rmtree(self.workdir, ignore_errors=True)

    def _print_logs(self):
        # shown by meson --print-errorlogs when the test failed
        if self.daemon is not None and self._outcome_failed():
            print("---- fwupd log (tail)\n" + self.daemon.output()[-6000:])
            print("---- sim log (tail)\n" + self.module.sim_log()[-3000:])

    def _outcome_failed(self):
        outcome = getattr(self, "_outcome", None)
        result = getattr(outcome, "result", None)
        if result is None:
            return True
        return bool(result.failures or result.errors)

    def start_module(self, sim_args=None):
        self.module = Module(self.workdir, self.sim_args if sim_args is None else sim_args)
        self.module.start()
        self.addCleanup(self.module.stop)
        return self.module

    def start_daemon(self, sim_args=None, setup=None):
        """The module, then the daemon; SETUP(daemon) runs before the daemon starts."""
        if self.module is None:
            self.start_module(sim_args)
        self.daemon = Daemon(self.workdir, self.tree, self.bus, self.module)
        if setup is not None:
            setup(self.daemon)
        self.addCleanup(self._stop_daemon)
        self.addCleanup(self._print_logs)
        return self.daemon.start()

    def _stop_daemon(self):
        if self.daemon is not None and self.daemon.running():
            self.daemon.stop()

    def fwupdmgr(self, *args, user=None, timeout=CLIENT_TIMEOUT_S):
        """The stock client on the private bus; as USER (a user name) if given."""
        env = dict(os.environ)
        env.update(self.bus.env())
        env.update({"HOME": self.home, "XDG_CACHE_HOME": os.path.join(self.home, "cache"),
                    "XDG_CONFIG_HOME": os.path.join(self.home, "config"), "LANG": "C.UTF-8"})
        cmd = [FWUPDMGR, *args]
        if user is not None:
            gid = pwd.getpwnam(user).pw_gid
            cmd = ["setpriv", f"--reuid={user}", f"--regid={gid}", "--clear-groups", *cmd]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL, check=False)
        return ClientResult(proc)

    def quectel_devices(self, result):
        return [d for d in result.json().get("Devices", []) if d.get("Plugin") == "quectel"]

    def wait_for_module(self, timeout=START_TIMEOUT_S):
        """The daemon lists the module (coldplug runs after the daemon owns its name)."""
        found = []

        def listed():
            result = self.fwupdmgr("get-devices", "--json")
            if result.returncode == 0:
                found[:] = self.quectel_devices(result)
            return bool(found)

        _wait_for(listed, timeout, "the daemon to list the module", self.daemon._check)
        return found

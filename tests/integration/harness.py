# Copyright 2026 The fwupd-quectel authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Run the stock fwupdtool with the plugin from the build against a simulated module."""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import unittest

BUILD_DIR = os.environ.get("QUECTEL_BUILD_DIR", "")
SOURCE_DIR = os.environ.get("QUECTEL_SOURCE_DIR", "")
FWUPDTOOL = os.environ.get("FWUPDTOOL", "fwupdtool")
TIMEOUT_S = 120


def run_group(cmd, env, timeout=TIMEOUT_S):
    """Run CMD in a process group of its own; on a timeout the whole group goes (fwupdtool
    too, not only the simulator that started it), and the test fails saying so."""
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate()
        raise AssertionError(f"timed out after {timeout} s: {' '.join(cmd)}\n{stderr[-4000:]}")
    return subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr)


class Result:
    """What one fwupdtool run under the simulator produced."""

    def __init__(self, proc, workdir):
        self.returncode = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        log = os.path.join(workdir, "module", "sim.log")
        self.sim_log = open(log, encoding="utf-8").read() if os.path.exists(log) else ""

    def json(self):
        # fwupdtool may print a start-up profile after the document when loading was slow
        try:
            doc, _ = json.JSONDecoder().raw_decode(self.stdout.lstrip())
            return doc
        except ValueError as e:
            raise AssertionError(f"fwupdtool did not print JSON ({e}):\n{self.stdout[-2000:]}")

    def devices(self, plugin=None):
        devices = self.json().get("Devices", [])
        return [d for d in devices if plugin is None or d.get("Plugin") == plugin]


class SimTestCase(unittest.TestCase):
    """A test that needs a fresh work folder and the built simulator and plugin."""

    def setUp(self):
        if not BUILD_DIR or not os.path.isdir(BUILD_DIR):
            self.fail("QUECTEL_BUILD_DIR must name the meson build folder")
        self.plugin_dir = os.path.join(BUILD_DIR, "plugins", "quectel")
        plugin = os.path.join(self.plugin_dir, "libfu_plugin_quectel.so")
        if not os.path.exists(plugin):
            self.fail(f"the plugin was not built: {plugin} is missing")
        self.sim = os.path.join(BUILD_DIR, "tests", "ec25-sim")
        self.workdir = tempfile.mkdtemp(prefix="quectel-test-")

    def tearDown(self):
        if os.environ.get("QUECTEL_KEEP_WORKDIR"):
            print(f"work folder kept: {self.workdir}")
            return
        shutil.rmtree(self.workdir, ignore_errors=True)

    def fwupd_env(self, system_quirks=True):
        """The environment for fwupdtool: our plugin and quirk, private state."""
        env = dict(os.environ)
        env["FWUPD_LIBDIR_PKG"] = self.plugin_dir
        env["STATE_DIRECTORY"] = os.path.join(self.workdir, "state")
        env["CACHE_DIRECTORY"] = os.path.join(self.workdir, "cache")
        env["FWUPD_LOCALSTATEDIR"] = os.path.join(self.workdir, "var")
        # fwupdtool takes a global lock: a private one lets tests (and checkouts) run concurrently
        env["FWUPD_LOCKDIR"] = os.path.join(self.workdir, "lock")
        os.makedirs(env["FWUPD_LOCKDIR"], exist_ok=True)
        quirks = os.path.join(self.workdir, "quirks.d")
        os.makedirs(quirks, exist_ok=True)
        shutil.copy(os.path.join(SOURCE_DIR, "plugins", "quectel", "quectel.quirk"), quirks)
        if system_quirks:
            # our quirk on top of the distribution's, as an installed plugin would have it
            env["FWUPD_LOCALSTATEDIR_QUIRKS"] = quirks
        else:
            env["FWUPD_DATADIR_QUIRKS"] = quirks
        return env

    def run_tool(self, tool_args, sim_args=(), system_quirks=True, extra_env=None):
        """Run fwupdtool TOOL_ARGS under ec25-sim SIM_ARGS."""
        env = self.fwupd_env(system_quirks)
        if extra_env:
            env.update(extra_env)
        state = os.path.join(self.workdir, "module")
        cmd = [self.sim, "--state", state, *sim_args, "--", FWUPDTOOL, *tool_args]
        return Result(run_group(cmd, env), self.workdir)

    def assertNoCrash(self, result):
        self.assertGreaterEqual(result.returncode, 0, f"fwupdtool died: {result.stderr[-2000:]}")
        self.assertNotIn("CRITICAL", result.stderr, result.stderr[-4000:])
        self.assertNotIn("AddressSanitizer", result.stderr)

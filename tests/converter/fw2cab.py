# Copyright 2026 The fwupd-quectel authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Run quectel-fw2cab on generated vendor folders, and the stock fwupd tools on the result."""

import os
import re
import shutil
import subprocess
import tempfile
import unittest
import uuid
import zipfile

BUILD_DIR = os.environ.get("QUECTEL_BUILD_DIR", "")
SOURCE_DIR = os.environ.get("QUECTEL_SOURCE_DIR", "")
PYTHON3 = "/usr/bin/python3"
FWUPDTOOL = os.environ.get("FWUPDTOOL", "fwupdtool")
TIMEOUT_S = 120
RELEASE_DATE = "2026-01-15"

# contrib/test.sh's sanitizer pass: the sanitizer runtime that the plugin of an ASan build
# needs, preloaded into the stock fwupdtool that loads it, and only there. The converter is
# our own sanitized executable and needs no preload; the other stock tools (gcab, jcat-tool,
# openssl) run none of our code, and jcat-tool cannot run under the preload at all: the
# constructor of libgpg-error (jcat -> gpgme) calls bindtextdomain(), whose first malloc()
# starts ASan's lazy initialisation while glibc's gettext lock is held; ASan's dlsym() ->
# dlerror() -> dcgettext() takes and releases the same lock inside, and the next
# bindtextdomain() in jcat-tool's main() waits for it forever.
SANITIZER_PRELOAD = os.environ.get("QUECTEL_SANITIZER_PRELOAD", "")
SANITIZER_PRELOAD_ASAN_OPTIONS = "detect_leaks=0:verify_asan_link_order=0"

EC25_REV = "EC25EFAR06A09M4G"
EG25_REV = "EG25GGBR07A08M2G"


def fwupd_guid(instance_id):
    """fwupd_guid_hash_string(): a UUIDv5 in the DNS namespace."""
    return str(uuid.uuid5(uuid.NAMESPACE_DNS, instance_id))


class Fw2CabTestCase(unittest.TestCase):
    """A work folder, the vendor-folder generator, the converter and private fwupd state."""

    def setUp(self):
        if not BUILD_DIR or not os.path.isdir(BUILD_DIR):
            self.fail("QUECTEL_BUILD_DIR must name the meson build folder")
        self.tool = os.path.join(BUILD_DIR, "contrib", "quectel-fw2cab", "quectel-fw2cab")
        if not os.path.exists(self.tool):
            self.fail(f"the converter was not built: {self.tool} is missing")
        self.plugin_dir = os.path.join(BUILD_DIR, "plugins", "quectel")
        self.workdir = tempfile.mkdtemp(prefix="quectel-fw2cab-test-")
        self.outdir = os.path.join(self.workdir, "out")
        os.makedirs(self.outdir)

    def tearDown(self):
        if os.environ.get("QUECTEL_KEEP_WORKDIR"):
            print(f"work folder kept: {self.workdir}")
            return
        shutil.rmtree(self.workdir, ignore_errors=True)

    # the vendor folder and the converter

    def generate(self, layout, *args, parent="folders"):
        """A generated vendor folder, OUTDIR/<REVISION>."""
        out = os.path.join(self.workdir, parent)
        os.makedirs(out, exist_ok=True)
        proc = subprocess.run(
            [PYTHON3, os.path.join(SOURCE_DIR, "tests", "gen-vendor-folder.py"), out,
             "--layout", layout, *args],
            capture_output=True, text=True, check=False)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc.stdout.strip().splitlines()[-1]

    def convert(self, folder, *args, output=None):
        """Run the converter; the cabinet goes to the empty folder self.outdir."""
        if output is None:
            output = os.path.join(self.outdir, "out.cab")
        cmd = [self.tool, folder, "-o", output, "--release-date", RELEASE_DATE, *args]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S,
                              check=False)

    def convert_ok(self, folder, *args, output=None):
        proc = self.convert(folder, *args, output=output)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertNotIn("CRITICAL", proc.stderr)
        return output or os.path.join(self.outdir, "out.cab")

    def assertRefused(self, proc, filename, rule):
        """Non-zero exit, one message naming the file and the rule, and nothing written."""
        self.assertNotEqual(proc.returncode, 0, proc.stdout)
        self.assertGreater(proc.returncode, 0, f"the converter died: {proc.stderr}")
        self.assertNotIn("CRITICAL", proc.stderr)
        match = re.search(r"^quectel-fw2cab: refused: (.*)$", proc.stderr, re.MULTILINE)
        self.assertIsNotNone(match, proc.stderr)
        message = match.group(1)
        self.assertIn(filename, message)
        self.assertIn(f": {rule}: ", message)
        self.assertEqual(os.listdir(self.outdir), [], "the converter left files behind")
        return message

    # the cabinet

    def extract(self, cab):
        """gcab -x into a new folder."""
        dest = tempfile.mkdtemp(dir=self.workdir, prefix="cab-")
        proc = subprocess.run(["gcab", "-x", "-C", dest, cab], capture_output=True, text=True,
                              check=False)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return dest

    def fwupd_env(self):
        """fwupdtool with the plugin from this build and its own state, lock and quirks."""
        env = dict(os.environ)
        env["FWUPD_LIBDIR_PKG"] = self.plugin_dir
        for key, sub in (("STATE_DIRECTORY", "state"), ("CACHE_DIRECTORY", "cache"),
                         ("FWUPD_LOCALSTATEDIR", "var"), ("FWUPD_LOCKDIR", "lock")):
            env[key] = os.path.join(self.workdir, "fwupd", sub)
            os.makedirs(env[key], exist_ok=True)
        quirks = os.path.join(self.workdir, "fwupd", "quirks.d")
        os.makedirs(quirks, exist_ok=True)
        shutil.copy(os.path.join(SOURCE_DIR, "plugins", "quectel", "quectel.quirk"), quirks)
        env["FWUPD_LOCALSTATEDIR_QUIRKS"] = quirks
        if SANITIZER_PRELOAD:
            # the stock daemon's own leaks are not ours to report
            env["LD_PRELOAD"] = ":".join(p for p in (SANITIZER_PRELOAD, env.get("LD_PRELOAD"))
                                         if p)
            env["ASAN_OPTIONS"] = SANITIZER_PRELOAD_ASAN_OPTIONS
        return env

    def fwupdtool(self, *args, env=None, sim_args=None):
        """The stock fwupdtool, optionally under a simulated module."""
        cmd = [FWUPDTOOL, *args]
        if sim_args is not None:
            sim = os.path.join(BUILD_DIR, "tests", "ec25-sim")
            cmd = [sim, "--state", os.path.join(self.workdir, "module"), *sim_args, "--", *cmd]
        return subprocess.run(cmd, env=env or self.fwupd_env(), capture_output=True,
                              text=True, timeout=TIMEOUT_S, check=False)

    def firmware_parse(self, payload):
        """fwupdtool firmware-parse PAYLOAD quectel: the plugin's FuQuectelFirmware."""
        return self.fwupdtool("firmware-parse", payload, "quectel", "--plugins", "quectel")

    @staticmethod
    def release_block(stderr):
        """The FuRelease of get-details -vv, as a dict."""
        match = re.search(r"^  FuRelease:\n((?:    .*\n)+)", stderr, re.MULTILINE)
        if match is None:
            return {}
        release = {}
        for line in match.group(1).splitlines():
            key, _, value = line.strip().partition(":")
            release.setdefault(key, value.strip())
        return release

    def rewrite_zip(self, src, dst, edit):
        """Copy a zip, letting edit(name, data) return the new data, None to drop it."""
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
            for info in zin.infolist():
                data = edit(info.filename, zin.read(info.filename))
                if data is not None:
                    zout.writestr(info, data)
        return dst

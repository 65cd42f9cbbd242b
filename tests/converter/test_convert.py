#!/usr/bin/python3
# Copyright 2026 The fwupd-quectel authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""quectel-fw2cab writes cabinets that the stock gcab, jcat-tool and fwupdtool accept."""

import gzip
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import time
import unittest
import xml.etree.ElementTree as ET
import zipfile

from fw2cab import EC25_REV, EG25_REV, RELEASE_DATE, Fw2CabTestCase, fwupd_guid

CAB_FILES = ["firmware.zip", "firmware.metainfo.xml", "firmware.jcat"]


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def read_jcat(path):
    """The JSON of a .jcat file (gzip, possibly with trailing bytes)."""
    with open(path, "rb") as f:
        data = f.read()
    return json.loads(gzip.GzipFile(fileobj=__import__("io").BytesIO(data)).read())


class RoundTrip(Fw2CabTestCase):
    """Convert, then check every file of the cabinet with the stock tools."""

    def check_cab(self, folder, cab, revision, geometry, firehose_files):
        # gcab lists exactly the three files
        proc = subprocess.run(["gcab", "-t", cab], capture_output=True, text=True, check=False)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(sorted(proc.stdout.split()), sorted(CAB_FILES))
        dest = self.extract(cab)
        payload = os.path.join(dest, "firmware.zip")
        metainfo = os.path.join(dest, "firmware.metainfo.xml")
        jcat = os.path.join(dest, "firmware.jcat")

        # the payload: flattened, the Firehose files and every image, UBI images stored
        with zipfile.ZipFile(payload) as zf:
            self.assertIsNone(zf.testzip())
            names = zf.namelist()
            for name in names:
                self.assertNotIn("/", name)
            for name in firehose_files:
                self.assertIn(name, names)
            rawprogram = [n for n in names if n.startswith("rawprogram")][0]
            self.assertTrue(rawprogram.endswith("_update.xml"))
            self.assertIn(geometry, rawprogram)
            programmed = set(re.findall(r'filename="(?:\.\.\\)?([^"]+)"',
                                        zf.read(rawprogram).decode()))
            self.assertTrue(programmed)
            self.assertEqual(programmed - set(names), set())
            for info in zf.infolist():
                if info.filename.endswith(".ubi"):
                    self.assertEqual(info.compress_type, zipfile.ZIP_STORED, info.filename)
            # first and stored: the release the payload installs, written by the converter
            self.assertEqual(names[0], "quectel-release.ini")
            self.assertEqual(zf.infolist()[0].compress_type, zipfile.ZIP_STORED)
            manifest = zf.read("quectel-release.ini").decode()
            self.assertIn(f"\nVersion={revision}\n", manifest)
            self.assertIn(f"\nGeometry={geometry}\n", manifest)
            # byte for byte the vendor's files
            for name in names[1:]:
                hits = [os.path.join(root, name) for root, _, files in os.walk(folder)
                        if name in files]
                self.assertTrue(hits, name)
                with open(hits[0], "rb") as f:
                    self.assertEqual(zf.read(name), f.read(), name)
            self.assertNotIn("NPRG9x07.mbn", names)
            self.assertNotIn("partition_nand.xml", names)

        # the metainfo
        root = ET.parse(metainfo).getroot()
        self.assertEqual(root.tag, "component")
        self.assertEqual(root.get("type"), "firmware")
        variant = revision[:revision.index("R", 4)]
        flash = revision[revision.rindex("M"):]
        guid = fwupd_guid(f"QUECTEL\\VARIANT_{variant}&FLASH_{flash}")
        self.assertEqual(root.findtext("id"), f"com.quectel.{variant.lower()}_{flash.lower()}.firmware")
        self.assertEqual([e.text for e in root.findall("provides/firmware[@type='flashed']")],
                         [guid])
        self.assertEqual(root.findtext("metadata_license"), "CC0-1.0")
        self.assertEqual(root.findtext("project_license"), "proprietary")
        self.assertEqual(root.findtext("developer_name"), "Quectel")
        self.assertEqual(root.findtext("categories/category"), "X-NetworkInterface")
        custom = {e.get("key"): e.text for e in root.findall("custom/value")}
        self.assertEqual(custom["LVFS::VersionFormat"], "plain")
        self.assertEqual(custom["LVFS::UpdateProtocol"], "com.qualcomm.firehose")
        release = root.find("releases/release")
        self.assertEqual(release.get("version"), revision)
        self.assertEqual(release.get("date"), RELEASE_DATE)
        self.assertGreater(int(release.get("install_duration")), 0)
        checksum = release.find("checksum[@target='content']")
        self.assertEqual(checksum.get("filename"), "firmware.zip")
        self.assertEqual(checksum.text, sha256_file(payload))
        self.assertEqual(int(release.findtext("size[@type='installed']")),
                         os.path.getsize(payload))
        req = root.find("requires/firmware")
        self.assertEqual(req.get("compare"), "regex")
        self.assertEqual(req.get("version"), "^" + re.match(r"(.*R\d\dA)", revision).group(1))
        self.assertIsNone(req.text)

        # the Jcat: SHA-256 of both files, which jcat-tool verifies
        proc = subprocess.run(["jcat-tool", "info", jcat], capture_output=True, text=True,
                              check=False)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        for name in ("firmware.zip", "firmware.metainfo.xml"):
            self.assertIn(f"ID:                  {name}", proc.stdout)
        self.assertIn(sha256_file(payload), proc.stdout)
        self.assertIn(sha256_file(metainfo), proc.stdout)
        proc = subprocess.run(["jcat-tool", "verify", jcat], capture_output=True, text=True,
                              cwd=dest, check=False)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertEqual(proc.stdout.count("PASSED sha256: OK"), 2, proc.stdout)

        # the stock fwupdtool reads the release
        proc = self.fwupdtool("get-details", cab, "--plugins", "quectel", "-vv")
        self.assertEqual(proc.returncode, 0, proc.stderr[-2000:])
        rel = self.release_block(proc.stderr)
        self.assertEqual(rel.get("Version"), revision, proc.stderr[-3000:])
        self.assertEqual(rel.get("Protocol"), "com.qualcomm.firehose")
        self.assertEqual(rel.get("AppstreamId"), root.findtext("id"))
        self.assertIn(f"Guid:                 {guid}", proc.stderr)

        # and the plugin's own parser accepts the payload
        proc = self.firmware_parse(payload)
        self.assertEqual(proc.returncode, 0, proc.stderr[-2000:])
        self.assertIn(f"<geometry>{geometry}</geometry>", proc.stdout)
        return dest

    def test_ec25e(self):
        folder = self.generate("ec25e")
        cab = self.convert_ok(folder)
        self.check_cab(folder, cab, EC25_REV, "p4K_b256K",
                       ["prog_nand_firehose_9x07.mbn", "rawprogram_nand_p4K_b256K_update.xml",
                        "patch_p4K_b256K.xml", "partition_complete_p4K_b256K.mbn", "sbl1.mbn"])
        self.assertEqual(os.listdir(self.outdir), ["out.cab"])

    def test_eg25g(self):
        folder = self.generate("eg25g", "--no-labels")
        cab = self.convert_ok(folder)
        self.check_cab(folder, cab, EG25_REV, "p2K_b128K",
                       ["prog_nand_firehose_9x07.mbn", "rawprogram_nand_p2K_b128K_update.xml",
                        "patch_p2K_b128K.xml", "partition_complete_p2K_b128K.mbn",
                        "usrdata.ubi", "data.ubi"])

    def test_default_output_and_summary(self):
        folder = self.generate("ec25e")
        proc = subprocess.run([self.tool, folder, "--release-date", RELEASE_DATE],
                              cwd=self.outdir, capture_output=True, text=True, check=False)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(os.listdir(self.outdir), [f"{EC25_REV}.cab"])
        self.assertIn(f"wrote {EC25_REV}.cab", proc.stdout)
        self.assertIn(fwupd_guid("QUECTEL\\VARIANT_EC25EFA&FLASH_M4G"), proc.stdout)
        # no progress on a pipe
        self.assertNotIn("\r", proc.stderr)

    def test_version_option(self):
        folder = self.generate("ec25e")
        renamed = os.path.join(os.path.dirname(folder), "firmware from support")
        os.rename(folder, renamed)
        proc = self.convert(renamed)
        self.assertRefused(proc, "firmware from support", "version")
        cab = self.convert_ok(renamed, "--version", "EC25EFAR06A09M4G_01.001.01.001")
        dest = self.extract(cab)
        root = ET.parse(os.path.join(dest, "firmware.metainfo.xml")).getroot()
        self.assertEqual(root.find("releases/release").get("version"), EC25_REV)

    def test_release_options(self):
        folder = self.generate("ec25e")
        text = 'Fixes <script>alert("x")</script> & more.\n\nSecond paragraph.'
        cab = self.convert_ok(folder, "--urgency", "critical", "--description", text,
                              "--install-duration", "321")
        dest = self.extract(cab)
        root = ET.parse(os.path.join(dest, "firmware.metainfo.xml")).getroot()
        release = root.find("releases/release")
        self.assertEqual(release.get("urgency"), "critical")
        self.assertEqual(release.get("install_duration"), "321")
        self.assertEqual([p.text for p in release.findall("description/p")],
                         ['Fixes <script>alert("x")</script> & more.', "Second paragraph."])
        for args in (["--urgency", "now"], ["--release-date", "2026-13-01"],
                     ["--sign-cert", "x.pem"], ["--install-duration", "-5"]):
            proc = self.convert(folder, *args)
            self.assertEqual(proc.returncode, 2, args)
            self.assertEqual(os.listdir(self.outdir), ["out.cab"])

    def test_reproducible(self):
        folder = self.generate("ec25e")
        cab1 = self.convert_ok(folder, output=os.path.join(self.outdir, "1.cab"))
        cab2 = self.convert_ok(folder, output=os.path.join(self.outdir, "2.cab"))
        self.assertEqual(sha256_file(cab1), sha256_file(cab2))

    def test_existing_output(self):
        folder = self.generate("ec25e")
        output = os.path.join(self.outdir, "out.cab")
        with open(output, "wb") as f:
            f.write(b"keep me")
        proc = self.convert(folder)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("already exists", proc.stderr)
        with open(output, "rb") as f:
            self.assertEqual(f.read(), b"keep me")
        self.assertEqual(os.listdir(self.outdir), ["out.cab"])
        self.convert_ok(folder, "--force")
        self.assertEqual(os.listdir(self.outdir), ["out.cab"])
        self.assertGreater(os.path.getsize(output), 1000)

    def test_warnings(self):
        # listed but absent and not needed, no partition_nand.xml, no patch file
        folder = self.generate("ec25e", "--missing", "NPRG9x07.mbn", "--missing",
                               "partition_nand.xml", "--missing", "patch_p4K_b256K.xml")
        proc = self.convert(folder)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertRegex(proc.stderr, r"warning: update/NPRG9x07\.mbn: listed in md5\.txt "
                                      r"line \d+ but absent; the update does not need it")
        self.assertIn("warning: update/partition_nand.xml: absent", proc.stderr)
        self.assertIn("warning: update/firehose: no patch file (patch*.xml), none is sent",
                      proc.stderr)
        dest = self.extract(os.path.join(self.outdir, "out.cab"))
        with zipfile.ZipFile(os.path.join(dest, "firmware.zip")) as zf:
            self.assertNotIn("patch_p4K_b256K.xml", zf.namelist())

    def test_no_md5_option(self):
        folder = self.generate("ec25e", "--missing", "md5.txt")
        proc = self.convert(folder, "--no-md5")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("warning: md5.txt: absent, no file is verified", proc.stderr)

    def test_signed(self):
        pki = os.path.join(self.workdir, "pki")
        os.makedirs(pki)
        cert = os.path.join(pki, "cert.pem")
        key = os.path.join(pki, "key.pem")
        proc = subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
             "-out", cert, "-days", "2", "-subj", "/O=Test/CN=quectel-fw2cab test",
             "-addext", "keyUsage=digitalSignature,keyCertSign",
             "-addext", "basicConstraints=critical,CA:TRUE"],
            capture_output=True, text=True, check=False)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        folder = self.generate("ec25e")
        cab = self.convert_ok(folder, "--sign-cert", cert, "--sign-key", key)
        dest = self.extract(cab)

        # jcat-tool verifies both signatures against the test CA
        keys = os.path.join(self.workdir, "keys")
        os.makedirs(keys)
        shutil.copy(cert, keys)
        proc = subprocess.run(["jcat-tool", "verify", "--public-keys", keys, "firmware.jcat"],
                              capture_output=True, text=True, cwd=dest, check=False)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertEqual(proc.stdout.count("PASSED pkcs7: "), 2, proc.stdout)
        self.assertEqual(proc.stdout.count("CN=quectel-fw2cab test"), 2, proc.stdout)

        # and so does fwupd, given the CA
        env = self.fwupd_env()
        sysconf = os.path.join(self.workdir, "etc")
        for sub in ("fwupd", "fwupd-metadata"):
            os.makedirs(os.path.join(sysconf, "pki", sub))
            shutil.copy(cert, os.path.join(sysconf, "pki", sub))
        env["FWUPD_SYSCONFDIR"] = sysconf
        proc = self.fwupdtool("get-details", cab, "--plugins", "quectel", "-vv", env=env)
        self.assertEqual(proc.returncode, 0, proc.stderr[-2000:])
        self.assertIn("verified payload firmware.zip", proc.stderr)
        self.assertIn("verified metadata firmware.metainfo.xml", proc.stderr)
        self.assertEqual(self.release_block(proc.stderr).get("Flags"),
                         "trusted-payload|trusted-metadata")

    def test_requires_baseline(self):
        # a module of the same baseline may take it, one of another baseline may not
        sim = os.path.join(os.environ.get("QUECTEL_BUILD_DIR", ""), "tests", "ec25-sim")
        if not os.path.exists(sim):
            self.fail(f"the module simulator was not built: {sim} is missing")
        folder = self.generate("ec25e")
        cab = self.convert_ok(folder)
        proc = self.fwupdtool("get-details", cab, "--plugins", "quectel",
                              sim_args=["--model", "EC25", "--revision", "EC25EFAR06A08M4G"])
        self.assertEqual(proc.returncode, 0, proc.stderr[-2000:])
        self.assertIn("New version:      EC25EFAR06A09M4G", proc.stdout)
        self.assertNotIn("Update Error", proc.stdout)
        proc = self.fwupdtool("get-details", cab, "--plugins", "quectel",
                              sim_args=["--model", "EC25", "--revision", "EC25EFAR08A01M4G"])
        self.assertEqual(proc.returncode, 0, proc.stderr[-2000:])
        self.assertIn("Not compatible with firmware version: failed predicate "
                      "[^EC25EFAR06A regex EC25EFAR08A01M4G]", proc.stdout)

    def payload_open(self, pid):
        """Whether the process has the temporary payload open: it is still archiving images."""
        fd_dir = f"/proc/{pid}/fd"
        for fd in os.listdir(fd_dir):
            try:
                target = os.readlink(os.path.join(fd_dir, fd))
            except OSError:
                continue
            if os.path.dirname(target) == self.outdir and \
                    os.path.basename(target).startswith(".out.cab.zip-"):
                return True
        return False

    def test_interrupted(self):
        # interrupt at a known point: the converter is stopped while it holds the temporary
        # payload open, so work that checks for the signal (the cabinet) is still ahead of it
        folder = self.generate("ec25e", "--full")
        proc = subprocess.Popen([self.tool, folder, "-o", os.path.join(self.outdir, "out.cab")],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        caught = False
        deadline = time.monotonic() + 60
        while not caught and proc.poll() is None and time.monotonic() < deadline:
            proc.send_signal(signal.SIGSTOP)
            caught = self.payload_open(proc.pid)
            if caught:
                proc.send_signal(signal.SIGINT)
            proc.send_signal(signal.SIGCONT)
            if not caught:
                time.sleep(0.001)
        if not caught:
            proc.kill()
        _, stderr = proc.communicate(timeout=60)
        self.assertTrue(caught, "the converter was never seen archiving the payload: "
                        f"exit status {proc.returncode}, {stderr[-2000:]}")
        self.assertEqual(proc.returncode, 1, stderr)
        self.assertIn("refused: interrupted", stderr)
        self.assertEqual(os.listdir(self.outdir), [])

if __name__ == "__main__":
    unittest.main()

#!/usr/bin/python3
# Copyright 2026 The fwupd-quectel authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The stock fwupdtool updates a simulated module end to end through the plugin."""

import hashlib
import json
import os
import re
import subprocess
import unittest
import zipfile

from harness import BUILD_DIR, SOURCE_DIR, SimTestCase

EC25_OLD = "EC25EFAR06A08M4G"
EC25_NEW = "EC25EFAR06A09M4G"
EG25_OLD = "EG25GGBR07A08M2G"
EG25_NEW = "EG25GGBR07A09M2G"
SUBVERSION = "01.001.01.001"
PAGE_ERASED = b"\xff"


class UpdateCase(SimTestCase):
    """Convert a generated vendor folder, install it with fwupdtool, check the NAND."""

    def make_folder(self, layout, revision, *fault_args):
        out = os.path.join(self.workdir, "folders")
        os.makedirs(out, exist_ok=True)
        proc = subprocess.run(
            ["/usr/bin/python3", os.path.join(SOURCE_DIR, "tests", "gen-vendor-folder.py"),
             out, "--layout", layout, "--revision", revision, "--subversion", SUBVERSION,
             *fault_args],
            capture_output=True, text=True, check=True)
        return proc.stdout.strip().splitlines()[-1]

    def make_cab(self, folder, *args):
        cab = os.path.join(self.workdir, os.path.basename(folder) + ".cab")
        tool = os.path.join(BUILD_DIR, "contrib", "quectel-fw2cab", "quectel-fw2cab")
        proc = subprocess.run([tool, folder, "-o", cab, *args], capture_output=True, text=True,
                              check=False)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return cab

    @staticmethod
    def release_manifest(folder, revision=None, subversion=SUBVERSION):
        """The quectel-release.ini the converter stores first in the payload."""
        if revision is None:
            revision = os.path.basename(folder.rstrip("/")).split("_")[0]
        m = re.fullmatch(r"([A-Z]{2}[0-9]{2})([A-Z0-9]+)R([0-9]{2})A[0-9]{2}(M[0-9]+G)", revision)
        geometry = None
        for _, _, files in os.walk(os.path.join(folder, "update")):
            for name in files:
                g = re.search(r"_(p[0-9]+K_b[0-9]+K)_update\.xml$", name)
                if name.startswith("rawprogram") and g:
                    geometry = g.group(1)
        lines = ["[quectel-release]", "Format=1", f"Version={revision}"]
        if subversion:
            lines.append(f"Subversion={subversion}")
        lines += [f"Model={m.group(1)}", f"Variant={m.group(2)}",
                  f"Baseline={m.group(1)}{m.group(2)}R{m.group(3)}A", f"Flash={m.group(4)}",
                  f"Geometry={geometry}"]
        return "\n".join(lines) + "\n"

    def make_payload(self, folder, revision=None, release=True):
        """The flattened Firehose payload, as a cab from elsewhere might carry it."""
        payload = os.path.join(self.workdir, "firmware.zip")
        with zipfile.ZipFile(payload, "w", zipfile.ZIP_STORED) as z:
            if release:
                z.writestr("quectel-release.ini", self.release_manifest(folder, revision))
            for root, _, files in os.walk(os.path.join(folder, "update")):
                for name in files:
                    if name.endswith((".mbn", ".img", ".ubi", ".xml")) and \
                            name not in ("partition_nand.xml", "partition.mbn",
                                         "NPRG9x07.mbn", "ENPRG9x07.mbn"):
                        z.write(os.path.join(root, name), name)
        return payload

    def install(self, cab, sim_args, plugins=("--plugins", "quectel"), extra_env=None):
        return self.run_tool(["install", cab, "--no-reboot-check", "-y", "-vv", *plugins],
                             sim_args, extra_env=extra_env)

    def summary(self):
        with open(os.path.join(self.workdir, "module", "summary.json"), encoding="utf-8") as f:
            return json.load(f)

    def assertUntouched(self, result, entered_edl, efs2_before=None):
        """Nothing was erased or programmed.

        A module that entered EDL must have written its summary, and the summary must show no
        erase and no program; one that never left normal mode must have no summary at all.
        """
        self.assertNotRegex(result.sim_log, r"firehose: (erase|program) .*start=")
        summary_path = os.path.join(self.workdir, "module", "summary.json")
        if not entered_edl:
            self.assertNotIn("mode: edl", result.sim_log)
            self.assertFalse(os.path.exists(summary_path),
                             "the module wrote an EDL summary but should never have left "
                             "normal mode")
            return
        self.assertIn("mode: edl", result.sim_log)
        self.assertTrue(os.path.exists(summary_path), "the module in EDL wrote no summary")
        summary = self.summary()
        self.assertEqual(summary["programs"], [])
        self.assertEqual(summary["erases"], [])
        if efs2_before is not None:
            self.assertEqual(summary["efs2"]["sha256"], efs2_before)

    def check_programs(self, folder, summary, page_size):
        """Every programmed partition holds its image, padded to whole pages as erased NAND."""
        images = {}
        for root, _, files in os.walk(os.path.join(folder, "update")):
            for name in files:
                images[name] = os.path.join(root, name)
        image_bytes = 0
        padded_bytes = 0
        self.assertGreater(len(summary["programs"]), 0)
        for program in summary["programs"]:
            with open(images[program["filename"]], "rb") as f:
                data = f.read()
            pad = -len(data) % page_size
            image_bytes += len(data)
            padded_bytes += len(data) + pad
            self.assertEqual(program["sectors"], (len(data) + pad) // page_size, program)
            self.assertEqual(program["sha256"],
                             hashlib.sha256(data + PAGE_ERASED * pad).hexdigest(),
                             f"{program['filename']} differs on NAND")
        return image_bytes, padded_bytes

    def check_order(self, log):
        """SBL erased first, programmed last."""
        ops = re.findall(r"firehose: (erase|program) .*?start=(\d+)", log)
        self.assertGreater(len(ops), 2, log[-3000:])
        self.assertEqual(ops[0], ("erase", "0"), ops)
        self.assertEqual(ops[-1], ("program", "0"), ops)
        self.assertNotIn(("program", "0"), ops[:-1])

    def update(self, layout, model, old, new, page_size, sim_args=(), plugins=("--plugins", "quectel")):
        folder = self.make_folder(layout, new)
        cab = self.make_cab(folder)
        result = self.install(cab, ["--model", model, "--revision", old, *sim_args], plugins)
        self.assertNoCrash(result)
        self.assertEqual(result.returncode, 0, result.stderr[-4000:])
        summary = self.summary()
        self.assertEqual(summary["revision"], f"{new}_{SUBVERSION}")
        self.assertIn("efs2", summary)
        self.assertTrue(summary["efs2"]["unchanged"], summary["efs2"])
        image_bytes, padded_bytes = self.check_programs(folder, summary, page_size)
        # the images only, each rounded up to whole pages: never whole partitions; the
        # rounding is at most one page an image, under 1 % of a real package
        self.assertEqual(summary["bytes_received"], padded_bytes)
        self.assertLess(summary["bytes_received"] - image_bytes,
                        page_size * len(summary["programs"]))
        self.check_order(result.sim_log)
        # the module was asked for its version after the update
        self.assertRegex(result.sim_log, r"mode: normal .*" + new)
        return result



class Update(UpdateCase):
    """Updates that must succeed, and packages or faults that must be refused safely."""

    def test_ec25(self):
        self.update("ec25e", "EC25", EC25_OLD, EC25_NEW, 4096)

    def test_eg25(self):
        self.update("eg25g", "EG25", EG25_OLD, EG25_NEW, 2048)

    def test_ec25_all_plugins(self):
        # the stock qc_firehose plugin is offered 05c6:9008 too; its device of the MDM9607
        # module is not updatable, so the update stays ours
        result = self.update("ec25e", "EC25", EC25_OLD, EC25_NEW, 4096, plugins=())
        self.assertIn("qc_firehose", result.stderr)  # the plugin was loaded
        self.assertIn("is updated by the quectel plugin, not qc_firehose", result.stderr)

    def test_hello_consumed(self):
        result = self.update("ec25e", "EC25", EC25_OLD, EC25_NEW, 4096,
                             ["--edl-fault", "hello-consumed"])
        self.assertIn("sending an unsolicited HELLO_RESP", result.stderr)

    def test_configure_smaller_payload(self):
        result = self.update("ec25e", "EC25", EC25_OLD, EC25_NEW, 4096,
                             ["--edl-fault", "configure-small"])
        self.assertIn("programmer wants a payload of 0x1000 bytes", result.stderr)

    def test_end_of_image_error(self):
        folder = self.make_folder("ec25e", EC25_NEW)
        cab = self.make_cab(folder)
        result = self.install(cab, ["--model", "EC25", "--revision", EC25_OLD,
                                    "--edl-fault", "end-of-image"])
        self.assertNoCrash(result)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("the PBL refused the programmer: read-data-error (0xd)", result.stderr)
        self.assertUntouched(result, entered_edl=True)

    def test_programmer_stalls(self):
        # the programmer stops answering during a write: the update fails naming the image,
        # and since the SBL was erased first the module can only come back in EDL
        folder = self.make_folder("ec25e", EC25_NEW)
        cab = self.make_cab(folder)
        result = self.install(cab, ["--model", "EC25", "--revision", EC25_OLD,
                                    "--edl-fault", "stall-program"])
        self.assertNoCrash(result)
        self.assertNotEqual(result.returncode, 0)
        self.assertRegex(result.stderr, r"failed to program \S+ at page 0x[0-9a-f]+: ")
        summary = self.summary()
        self.assertEqual(summary["erases"][0]["start_sector"], 0)
        self.assertNotIn(0, [p["start_sector"] for p in summary["programs"]])
        self.assertTrue(summary["efs2"]["unchanged"])
        self.assertNotRegex(result.sim_log, r"mode: normal .*" + EC25_NEW)

    def test_reports_other_version(self):
        # a cabinet whose release says A10 around images of A09: the module boots, but not
        # into the release, and the update must say so
        folder = self.make_folder("ec25e", EC25_NEW)
        cab = self.make_cab(folder, "--version", "EC25EFAR06A10M4G")
        result = self.install(cab, ["--model", "EC25", "--revision", EC25_OLD])
        self.assertNoCrash(result)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn(f"the module came back with {EC25_NEW}, not the installed "
                      "EC25EFAR06A10M4G", result.stderr)

    def test_wrong_variant(self):
        # an EG25-G package offered to an EC25-E: the GUIDs do not match
        folder = self.make_folder("eg25g", EG25_NEW)
        cab = self.make_cab(folder)
        result = self.install(cab, ["--model", "EC25", "--revision", EC25_OLD])
        self.assertNoCrash(result)
        self.assertNotEqual(result.returncode, 0)
        self.assertNotIn("mode: edl", result.sim_log)
        self.assertUntouched(result, entered_edl=False)

    def test_wrong_baseline(self):
        # same variant and flash, another baseline: Quectel forbids crossing it
        folder = self.make_folder("ec25e", "EC25EFAR07A01M4G")
        cab = self.make_cab(folder)
        result = self.install(cab, ["--model", "EC25", "--revision", EC25_OLD])
        self.assertNoCrash(result)
        self.assertNotEqual(result.returncode, 0)
        # the cabinet's version requirement, not the module's own version in the debug output
        self.assertRegex(result.stderr,
                         r"Not compatible with firmware version: failed predicate "
                         r"\[\^EC25EFAR07A regex EC25EFAR06A08M4G\]")
        self.assertNotIn("mode: edl", result.sim_log)
        self.assertUntouched(result, entered_edl=False)

    def test_wrong_geometry(self):
        # a 2 KiB-page payload naming the module's variant on its vendor line, pushed past the
        # cabinet checks with install-blob: getstorageinfo stops it before any erase
        folder = self.make_folder("eg25g", EC25_NEW)
        payload = self.make_payload(folder)
        sim_args = ["--model", "EC25", "--revision", EC25_OLD]
        devices = self.run_tool(["get-devices", "--json", "--plugins", "quectel"], sim_args)
        device_id = devices.devices("quectel")[0]["DeviceId"]
        result = self.run_tool(["install-blob", payload, device_id, "--plugins", "quectel",
                                "--no-reboot-check", "-vv"], sim_args)
        self.assertNoCrash(result)
        self.assertNotEqual(result.returncode, 0)
        self.assertRegex(result.stderr, r"the package is for .* NAND but the module has .*: "
                                        r"nothing was erased")
        self.assertIn("mode: edl", result.sim_log)
        self.assertUntouched(result, entered_edl=True)
        # the programmer rebooted the module into normal mode, unchanged
        self.assertIn("firehose: power value=reset", result.sim_log)
        self.assertTrue(self.summary()["efs2"]["unchanged"])

    def test_small_flash(self):
        # the right variant and NAND geometry, but 1536 erase blocks where the package's
        # partition table covers 2048: getstorageinfo stops it before any erase
        folder = self.make_folder("ec25e", EC25_NEW)
        cab = self.make_cab(folder)
        state = os.path.join(self.workdir, "module")
        os.makedirs(state, exist_ok=True)
        with open(os.path.join(state, "module.ini"), "w", encoding="utf-8") as f:
            f.write("[module]\nblocks=1536\n")
        result = self.install(cab, ["--model", "EC25", "--revision", EC25_OLD])
        self.assertNoCrash(result)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("the package needs a flash of 2048 erase blocks but the module has 1536: "
                      "nothing was erased; use the package made for this module's flash size; "
                      "the module was reset and boots its current firmware", result.stderr)
        self.assertIn("1536 blocks", result.sim_log)
        self.assertUntouched(result, entered_edl=True)
        self.assertIn("firehose: power value=reset", result.sim_log)
        self.assertTrue(self.summary()["efs2"]["unchanged"])
        self.assertRegex(result.sim_log, r"mode: normal .*" + EC25_OLD)


if __name__ == "__main__":
    unittest.main()

#!/usr/bin/python3
# Copyright 2026 The fwupd-quectel authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The bare payload pushed with install-blob: what it installs comes from its own manifest."""

import os
import unittest

from test_update import EC25_NEW, EC25_OLD, EG25_NEW, UpdateCase


class Payload(UpdateCase):
    def install_blob(self, payload, sim_args):
        devices = self.run_tool(["get-devices", "--json", "--plugins", "quectel"], sim_args)
        device_id = devices.devices("quectel")[0]["DeviceId"]
        result = self.run_tool(["install-blob", payload, device_id, "--plugins", "quectel",
                                "--no-reboot-check", "-vv"], sim_args)
        self.assertNoCrash(result)
        return result

    def test_blob_wrong_variant(self):
        # an EG25-G payload pushed to an EC25-E: no GUID to stop it, the manifest does
        folder = self.make_folder("eg25g", EG25_NEW)
        payload = self.make_payload(folder)
        result = self.install_blob(payload, ["--model", "EC25", "--revision", EC25_OLD])
        self.assertNotEqual(result.returncode, 0)
        self.assertRegex(result.stderr, r"the module was not touched: the payload "
                                        rf"{EG25_NEW} is for an EG25 but the module "
                                        rf"\({EC25_OLD}\) is an EC25")
        self.assertUntouched(result, entered_edl=False)

    def test_blob_wrong_baseline(self):
        folder = self.make_folder("ec25e", "EC25EFAR07A01M4G")
        payload = self.make_payload(folder)
        result = self.install_blob(payload, ["--model", "EC25", "--revision", EC25_OLD])
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("is on baseline R07 but the module (EC25EFAR06A08M4G) is on baseline "
                      "R06, and Quectel forbids crossing baselines", result.stderr)
        self.assertUntouched(result, entered_edl=False)

    def test_blob_other_version(self):
        # the manifest says A10 around images of A09: the module comes back on A09, and the
        # update must fail (it used to exit 0 without a version to compare)
        folder = self.make_folder("ec25e", EC25_NEW)
        payload = self.make_payload(folder, revision="EC25EFAR06A10M4G")
        result = self.install_blob(payload, ["--model", "EC25", "--revision", EC25_OLD])
        self.assertNotEqual(result.returncode, 0)
        self.assertIn(f"the module came back with {EC25_NEW}, not the installed "
                      "EC25EFAR06A10M4G", result.stderr)

    def test_blob_without_release(self):
        # a payload of an older converter: refused before the module is touched
        folder = self.make_folder("ec25e", EC25_NEW)
        payload = self.make_payload(folder, release=False)
        result = self.install_blob(payload, ["--model", "EC25", "--revision", EC25_OLD])
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("payload has no quectel-release.ini", result.stderr)
        self.assertIn("quectel-fw2cab 0.2.0", result.stderr)
        self.assertUntouched(result, entered_edl=False)

    def test_blob_vendor_line_efs2(self):
        # a vendor line that also carries the sectors of EFS2: it used to pass every rule,
        # install-blob exited 0 and the module's EFS2 was erased
        folder = self.make_folder("ec25e", EC25_NEW)
        path = os.path.join(folder, "update", "firehose", "rawprogram_nand_p4K_b256K_update.xml")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        text = text.replace(' vendor="quectel"', ' num_partition_sectors="5632" '
                            'physical_partition_number="0" start_sector="1280" '
                            'vendor="quectel"', 1)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        payload = self.make_payload(folder)
        result = self.install_blob(payload, ["--model", "EC25", "--revision", EC25_OLD])
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("vendor line: line ", result.stderr)
        self.assertIn('num_partition_sectors="5632" is not one of the known vendor attributes',
                      result.stderr)
        self.assertUntouched(result, entered_edl=False)


if __name__ == "__main__":
    unittest.main()

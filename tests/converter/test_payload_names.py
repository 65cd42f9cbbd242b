#!/usr/bin/python3
# Copyright 2026 The fwupd-quectel authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The plugin and the converter select the rawprogram by the same rule: one table of names,
plugins/quectel/tests/payload-names.txt, which the plugin's self-test also checks, decides for
both which package is taken."""

import os
import unittest
import zipfile

from fw2cab import SOURCE_DIR, Fw2CabTestCase

RAWPROGRAM = "rawprogram_nand_p4K_b256K_update.xml"
FIREHOSE_DIR = os.path.join("update", "firehose")


def rawprogram_names():
    """(name, accepted) for every rawprogram line of the shared table."""
    path = os.path.join(SOURCE_DIR, "plugins", "quectel", "tests", "payload-names.txt")
    names = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            cols = line.split()
            if not cols or cols[0].startswith("#") or cols[0] != "rawprogram":
                continue
            names.append((cols[1], cols[2] == "accept"))
    return names


class PayloadNames(Fw2CabTestCase):
    def setUp(self):
        super().setUp()
        self.names = rawprogram_names()
        self.assertGreaterEqual(len([n for n, ok in self.names if ok]), 2)
        self.assertGreaterEqual(len([n for n, ok in self.names if not ok]), 2)

    def test_plugin(self):
        # the payload of a good package, its rawprogram renamed
        folder = self.generate("ec25e")
        payload = os.path.join(self.extract(self.convert_ok(folder)), "firmware.zip")
        for i, (name, accepted) in enumerate(self.names):
            with self.subTest(name=name):
                renamed = os.path.join(self.workdir, f"renamed-{i}.zip")
                with zipfile.ZipFile(payload) as zin, zipfile.ZipFile(renamed, "w") as zout:
                    for info in zin.infolist():
                        data = zin.read(info.filename)
                        if info.filename == RAWPROGRAM:
                            info.filename = name
                        zout.writestr(info, data)
                proc = self.firmware_parse(renamed)
                self.assertNotIn("CRITICAL", proc.stderr)
                if accepted:
                    self.assertEqual(proc.returncode, 0, proc.stderr[-2000:])
                    self.assertIn(f"<rawprogram>{name}</rawprogram>", proc.stdout)
                else:
                    self.assertNotEqual(proc.returncode, 0, proc.stdout[-2000:])

    def test_converter(self):
        # a vendor folder whose rawprogram (and its md5.txt line) is renamed
        for i, (name, accepted) in enumerate(self.names):
            with self.subTest(name=name):
                parent = f"folders-{i}"
                folder = self.generate("ec25e", parent=parent)
                os.rename(os.path.join(folder, FIREHOSE_DIR, RAWPROGRAM),
                          os.path.join(folder, FIREHOSE_DIR, name))
                md5_txt = os.path.join(folder, "md5.txt")
                with open(md5_txt, encoding="utf-8") as f:
                    text = f.read()
                self.assertIn(RAWPROGRAM, text)
                with open(md5_txt, "w", encoding="utf-8") as f:
                    f.write(text.replace(RAWPROGRAM, name))
                output = os.path.join(self.outdir, "out.cab")
                proc = self.convert(folder, output=output)
                self.assertNotIn("CRITICAL", proc.stderr)
                if accepted:
                    self.assertEqual(proc.returncode, 0, proc.stderr[-2000:])
                    payload = os.path.join(self.extract(output), "firmware.zip")
                    with zipfile.ZipFile(payload) as zf:
                        self.assertIn(name, zf.namelist())
                    os.unlink(output)
                else:
                    self.assertNotEqual(proc.returncode, 0, proc.stdout[-2000:])
                    self.assertIn("quectel-fw2cab: refused: ", proc.stderr)
                    self.assertEqual(os.listdir(self.outdir), [])


if __name__ == "__main__":
    unittest.main()

#!/usr/bin/python3
# Copyright 2026 The fwupd-quectel authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""quectel-fw2cab refuses every broken or hostile folder, naming the file and the rule,
and writes nothing."""

import os
import unittest

from fw2cab import Fw2CabTestCase

EC25_RAWPROGRAM = "update/firehose/rawprogram_nand_p4K_b256K_update.xml"
EG25_RAWPROGRAM = "update/firehose/rawprogram_nand_p2K_b128K_update.xml"


class Refuse(Fw2CabTestCase):
    def refused(self, layout, fault_args, filename, rule, convert_args=()):
        folder = self.generate(layout, *fault_args)
        return self.assertRefused(self.convert(folder, *convert_args), filename, rule)

    # md5.txt

    def test_bad_md5_image(self):
        message = self.refused("ec25e", ["--bad-md5", "sbl1.mbn"], "update/sbl1.mbn",
                               "md5 mismatch")
        self.assertRegex(message, r"md5\.txt line \d+ says 4")

    def test_bad_md5_last_image(self):
        # found only after most of the payload was streamed: the temporary file goes too
        self.refused("ec25e", ["--full", "--bad-md5", "mdm9607-perf-sysfs.ubi"],
                     "update/mdm9607-perf-sysfs.ubi", "md5 mismatch")

    def test_bad_md5_not_needed(self):
        # every entry that exists is verified, even one the update does not send
        self.refused("ec25e", ["--bad-md5", "NPRG9x07.mbn"], "update/NPRG9x07.mbn",
                     "md5 mismatch")

    def test_missing_needed(self):
        message = self.refused("ec25e", ["--missing", "tz.mbn"], "update/tz.mbn",
                               "missing file")
        self.assertIn("listed in md5.txt", message)

    def test_missing_rawprogram(self):
        self.refused("ec25e", ["--missing", "rawprogram_nand_p4K_b256K_update.xml"],
                     EC25_RAWPROGRAM, "missing file")

    def test_missing_programmer(self):
        self.refused("eg25g", ["--missing", "prog_nand_firehose_9x07.mbn"],
                     "update/firehose/prog_nand_firehose_9x07.mbn", "missing file")

    def test_no_md5(self):
        self.refused("ec25e", ["--missing", "md5.txt"], "md5.txt", "no md5.txt")

    # factory packages and protected partitions

    def test_factory(self):
        message = self.refused("ec25e", ["--factory"], "update/", "factory package")
        self.assertRegex(message, r"(_factory\.xml|cefs\.mbn|factory\.xqcn|zero\.bin)")

    def test_factory_eg25g(self):
        self.refused("eg25g", ["--factory"], "update/", "factory package")

    def test_efs_write(self):
        message = self.refused("ec25e", ["--efs-write"], EC25_RAWPROGRAM,
                               "protected partition")
        self.assertIn("efs2", message)

    def test_efs_write_without_labels(self):
        # no label to go by: the sectors are checked against the MIBIB's EFS2
        message = self.refused("eg25g", ["--no-labels", "--efs-write"], EG25_RAWPROGRAM,
                               "protected partition")
        self.assertIn("0:EFS2", message)
        self.assertIn("sectors 0x500-0x26ff", message)

    def test_vendor_line_efs2(self):
        # a vendor line carrying the sectors of EFS2, which the programmer would erase
        folder = self.generate("ec25e")
        path = os.path.join(folder, EC25_RAWPROGRAM)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        text = text.replace(' vendor="quectel"', ' num_partition_sectors="5632" '
                            'start_sector="1280" vendor="quectel"', 1)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        message = self.assertRefused(self.convert(folder, "--no-md5"), EC25_RAWPROGRAM,
                                     "vendor line")
        self.assertIn('num_partition_sectors="5632" is not one of the known', message)

    # paths

    def test_escape_path(self):
        message = self.refused("ec25e", ["--escape-path"], EC25_RAWPROGRAM,
                               "path escapes the folder")
        self.assertIn("outside-tz.mbn", message)

    def test_absolute_path(self):
        message = self.refused("ec25e", ["--absolute-path"], EC25_RAWPROGRAM,
                               "absolute path")
        self.assertIn("outside-appsboot.mbn", message)

    def test_symlink_out(self):
        message = self.refused("ec25e", ["--symlink-out"], "update/rpm.mbn",
                               "symlink leaves the folder")
        self.assertIn("outside-rpm.mbn", message)

    def test_dup_basename(self):
        message = self.refused("ec25e", ["--dup-basename"],
                               "update/firehose/mdm9607-perf-boot.img", "duplicate basename")
        self.assertIn("update/mdm9607-perf-boot.img", message)

    # consistency

    def test_mixed_geometry(self):
        message = self.refused("ec25e", ["--mixed-geometry"],
                               "update/firehose/partition_complete_p4K_b256K.mbn",
                               "mixed geometry")
        self.assertIn("p4K_b256K", message)

    def test_mixed_geometry_eg25g(self):
        self.refused("eg25g", ["--mixed-geometry"],
                     "update/firehose/partition_complete_p2K_b128K.mbn", "mixed geometry")

    def test_oversize(self):
        message = self.refused("ec25e", ["--oversize", "NON-HLOS.ubi"], "NON-HLOS.ubi",
                               "image does not fit")
        self.assertIn(EC25_RAWPROGRAM, message)

    def test_oversize_sbl(self):
        self.refused("eg25g", ["--oversize", "sbl1.mbn"], "sbl1.mbn", "image does not fit")

    def test_overlap(self):
        message = self.refused("ec25e", ["--overlap"], EC25_RAWPROGRAM,
                               "overlapping programs")
        self.assertIn("mdm9607-perf-boot.img", message)

    def test_overlap_without_labels(self):
        self.refused("eg25g", ["--no-labels", "--overlap"], EG25_RAWPROGRAM,
                     "overlapping programs")

    def test_no_sbl(self):
        self.refused("ec25e", ["--no-sbl"], EC25_RAWPROGRAM, "no SBL")

    # the version against the package

    def test_wrong_flash_size(self):
        # an M4G version on a package whose map covers 256 MiB
        message = self.refused("eg25g", ["--revision", "EG25GGBR07A08M4G"],
                               "update/firehose/partition_complete_p2K_b128K.mbn",
                               "partition map")
        self.assertIn("M4G", message)

    def test_wrong_project(self):
        # an EG25-G package under an EC25-E version of the same flash size
        message = self.refused("eg25g", ["--revision", "EC25EFAR06A09M2G"], EG25_RAWPROGRAM,
                               "wrong project")
        self.assertIn("EG25GGB", message)
        self.assertIn("EC25EFA", message)

    def test_bad_version(self):
        self.refused("ec25e", [], "--version", "version",
                     convert_args=["--version", "EC25-latest"])

    def test_invalid_rawprogram(self):
        folder = self.generate("ec25e")
        with open(os.path.join(folder, EC25_RAWPROGRAM), "w", encoding="utf-8") as f:
            f.write('<?xml version="1.0" ?>\n<!DOCTYPE data [<!ENTITY x SYSTEM "/etc/passwd">]>'
                    '\n<data><program filename="&x;"/></data>\n')
        self.assertRefused(self.convert(folder), EC25_RAWPROGRAM, "invalid file")

    def test_wrong_chip(self):
        folder = self.generate("ec25e")
        path = os.path.join(folder, "contents.xml")
        with open(path, "rb") as f:
            data = f.read()
        with open(path, "wb") as f:
            f.write(data.replace(b"MDM9607", b"SDX55"))
        message = self.assertRefused(self.convert(folder), "contents.xml",
                                     "wrong chip")
        self.assertIn("SDX55", message)

    def test_not_a_folder(self):
        proc = self.convert(os.path.join(self.workdir, "nothing-here"))
        self.assertRefused(proc, "nothing-here", "not a Firehose update package")


if __name__ == "__main__":
    unittest.main()

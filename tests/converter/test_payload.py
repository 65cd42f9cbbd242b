#!/usr/bin/python3
# Copyright 2026 The fwupd-quectel authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The plugin's FuQuectelFirmware applies the converter's rules to a payload that may come
from elsewhere: the stock fwupdtool parses it through the plugin and refuses a bad one."""

import os
import re
import struct
import unittest
import zipfile

from fw2cab import Fw2CabTestCase

RAWPROGRAM = "rawprogram_nand_p4K_b256K_update.xml"


class Payload(Fw2CabTestCase):
    def setUp(self):
        super().setUp()
        plugin = os.path.join(self.plugin_dir, "libfu_plugin_quectel.so")
        if not os.path.exists(plugin):
            self.fail(f"the plugin was not built: {plugin} is missing")
        folder = self.generate("ec25e")
        dest = self.extract(self.convert_ok(folder))
        self.payload = os.path.join(dest, "firmware.zip")

    def tampered(self, edit, name="bad.zip"):
        return self.rewrite_zip(self.payload, os.path.join(self.workdir, name), edit)

    def assertParseRefused(self, payload, *needles):
        proc = self.firmware_parse(payload)
        self.assertNotEqual(proc.returncode, 0, proc.stdout[-2000:])
        self.assertNotIn("CRITICAL", proc.stderr)
        for needle in needles:
            self.assertIn(needle, proc.stderr)
        return proc.stderr

    @staticmethod
    def edit_rawprogram(pattern, repl, count=1):
        def edit(name, data):
            if name != RAWPROGRAM:
                return data
            text, done = re.subn(pattern, repl, data.decode(), count=count)
            assert done >= 1, pattern
            return text.encode()
        return edit

    def test_valid(self):
        proc = self.firmware_parse(self.payload)
        self.assertEqual(proc.returncode, 0, proc.stderr[-2000:])
        for needle in ("<geometry>p4K_b256K</geometry>",
                       "<programmer>prog_nand_firehose_9x07.mbn</programmer>",
                       f"<rawprogram>{RAWPROGRAM}</rawprogram>",
                       "<mibib>partition_complete_p4K_b256K.mbn</mibib>",
                       "<id>NON-HLOS.ubi</id>"):
            self.assertIn(needle, proc.stdout)

    def test_deflated_and_in_folders(self):
        # another zip tool: everything deflated, files in a folder
        bad = os.path.join(self.workdir, "other.zip")
        with zipfile.ZipFile(self.payload) as zin, \
                zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                zout.writestr("update/" + info.filename, zin.read(info.filename))
        proc = self.firmware_parse(bad)
        self.assertEqual(proc.returncode, 0, proc.stderr[-2000:])

    def test_protected_partition(self):
        # the TZ program moved onto EFS2, without a label to give it away
        edit = self.edit_rawprogram(
            r'filename="\.\.\\tz\.mbn" label="tz" num_partition_sectors="320" '
            r'physical_partition_number="0" start_sector="8960"',
            'filename="..\\\\tz.mbn" num_partition_sectors="320" '
            'physical_partition_number="0" start_sector="1280"')
        self.assertParseRefused(self.tampered(edit), RAWPROGRAM, "protected partition",
                                "0:EFS2")

    def test_protected_erase(self):
        edit = self.edit_rawprogram(r'label="tz" num_partition_sectors="320" '
                                    r'physical_partition_number="0" start_sector="8960"/>\n'
                                    r'  <erase',
                                    'label="tz" num_partition_sectors="320" '
                                    'physical_partition_number="0" start_sector="8960"/>\n'
                                    '  <erase PAGES_PER_BLOCK="64" SECTOR_SIZE_IN_BYTES="4096" '
                                    'num_partition_sectors="768" physical_partition_number="0" '
                                    'start_sector="8192"/>\n  <erase')
        self.assertParseRefused(self.tampered(edit), "protected partition", "0:RAWDATA")

    def test_factory_file(self):
        bad = self.tampered(lambda name, data: data)
        with zipfile.ZipFile(bad, "a") as zf:
            zf.writestr("zero.bin", b"\0" * 4096)
        self.assertParseRefused(bad, "zero.bin", "factory package")

    def test_duplicate_basename(self):
        bad = self.tampered(lambda name, data: data)
        with zipfile.ZipFile(bad, "a") as zf:
            zf.writestr("other/sbl1.mbn", b"not the SBL")
        self.assertParseRefused(bad, "duplicate basename", "sbl1.mbn")

    def test_path_in_zip(self):
        bad = self.tampered(lambda name, data: data)
        with zipfile.ZipFile(bad, "a") as zf:
            zf.writestr("../evil.mbn", b"x")
        self.assertParseRefused(bad, "invalid payload zip", "'..'")

    def test_missing_image(self):
        bad = self.tampered(lambda name, data: None if name == "tz.mbn" else data)
        self.assertParseRefused(bad, "missing image", "tz.mbn")

    def test_oversize_image(self):
        def edit(name, data):
            return data + b"\xff" * (320 * 4096) if name == "tz.mbn" else data
        self.assertParseRefused(self.tampered(edit), "tz.mbn", "image does not fit")

    def test_no_sbl(self):
        edit = self.edit_rawprogram(r'  <program [^>]*filename="\.\.\\sbl1\.mbn"[^>]*/>\n', "")
        self.assertParseRefused(self.tampered(edit), "no SBL")

    def test_overlap(self):
        edit = self.edit_rawprogram(r'label="recovery" num_partition_sectors="2304" '
                                    r'physical_partition_number="0" start_sector="12288"/>\n'
                                    r'  <erase',
                                    'label="recovery" num_partition_sectors="2304" '
                                    'physical_partition_number="0" start_sector="12224"/>\n'
                                    '  <erase')
        self.assertParseRefused(self.tampered(edit), "overlapping programs")

    def test_other_mibib(self):
        # the map that would be written is not the one that was checked
        edit = self.edit_rawprogram(r'filename="partition_complete_p4K_b256K\.mbn"',
                                    'filename="..\\\\tz.mbn"')
        self.assertParseRefused(self.tampered(edit), "partition map")

    def test_mixed_geometry(self):
        edit = self.edit_rawprogram(r'SECTOR_SIZE_IN_BYTES="4096"', 'SECTOR_SIZE_IN_BYTES="2048"',
                                    count=0)
        self.assertParseRefused(self.tampered(edit), "mixed geometry")

    def test_two_rawprograms(self):
        bad = self.tampered(lambda name, data: data)
        with zipfile.ZipFile(bad, "a") as zf, zipfile.ZipFile(self.payload) as zin:
            zf.writestr("rawprogram_nand_p4K_b256K_other.xml", zin.read(RAWPROGRAM))
        self.assertParseRefused(bad, "second rawprogram XML")

    def test_corrupt_image(self):
        # one flipped bit in a stored image: the CRC-32 catches it
        with open(self.payload, "rb") as f:
            data = bytearray(f.read())
        with zipfile.ZipFile(self.payload) as zf:
            info = zf.getinfo("NON-HLOS.ubi")
        # the local header: 30 bytes, then the name and its own extra field
        name_len = int.from_bytes(data[info.header_offset + 26:info.header_offset + 28], "little")
        extra_len = int.from_bytes(data[info.header_offset + 28:info.header_offset + 30], "little")
        offset = info.header_offset + 30 + name_len + extra_len + 1000
        data[offset] ^= 0x10
        bad = os.path.join(self.workdir, "corrupt.zip")
        with open(bad, "wb") as f:
            f.write(data)
        self.assertParseRefused(bad, "NON-HLOS.ubi", "CRC-32")

    # Quectel's vendor line is sent verbatim: nothing in it may escape the rules
    VENDOR = r'<erase PAGES_PER_BLOCK="64" SECTOR_SIZE_IN_BYTES="4096" a_rawdata_start_sector'

    def test_vendor_line_sectors(self):
        # a vendor erase that also says where: the sectors of EFS2
        edit = self.edit_rawprogram(
            self.VENDOR,
            '<erase PAGES_PER_BLOCK="64" SECTOR_SIZE_IN_BYTES="4096" '
            'num_partition_sectors="5632" physical_partition_number="0" start_sector="1280" '
            'a_rawdata_start_sector')
        self.assertParseRefused(self.tampered(edit), RAWPROGRAM, "vendor line",
                                'num_partition_sectors="5632" is not one of the known '
                                'vendor attributes')

    def test_vendor_line_rawdata_outside(self):
        # the RAWDATA numbers pointing at EFS2
        edit = self.edit_rawprogram(r'a_rawdata_start_sector="\d+"',
                                    'a_rawdata_start_sector="1280"')
        self.assertParseRefused(self.tampered(edit), RAWPROGRAM, "vendor line",
                                "RAWDATA sectors 0x500+0x300 are not inside 0:RAWDATA")

    def test_vendor_line_program(self):
        edit = self.edit_rawprogram(
            self.VENDOR,
            '<program PAGES_PER_BLOCK="64" SECTOR_SIZE_IN_BYTES="4096" a_rawdata_start_sector')
        self.assertParseRefused(self.tampered(edit), RAWPROGRAM, "vendor line",
                                "only vendor <erase> lines are known")

    def test_disk_patch_beyond_flash(self):
        # a numeric DISK patch past the 2048 blocks of 64 pages of the M4G flash
        def edit(name, data):
            if not name.startswith("patch_"):
                return data
            text, done = re.subn(r'filename="partition_complete_p4K_b256K\.mbn" '
                                 r'physical_partition_number="0" size_in_bytes="4" '
                                 r'start_sector="1"',
                                 'filename="DISK" physical_partition_number="0" '
                                 'size_in_bytes="4" start_sector="200000"',
                                 data.decode(), count=1)
            assert done == 1
            return text.encode()
        self.assertParseRefused(self.tampered(edit), "patch_p4K_b256K.xml",
                                "DISK <patch> writes sector 0x30d40")

    def test_disk_patch_beyond_grown_flash(self):
        # the same with a last partition that grows: only the release's flash size bounds it
        def edit(name, data):
            if name.startswith("patch_"):
                return data.replace(b'filename="partition_complete_p4K_b256K.mbn" '
                                    b'physical_partition_number="0" size_in_bytes="4" '
                                    b'start_sector="1"',
                                    b'filename="DISK" physical_partition_number="0" '
                                    b'size_in_bytes="4" start_sector="200000"')
            if name.startswith("partition_complete"):
                mibib = bytearray(data)
                table = 4096
                self.assertEqual(struct.unpack_from("<I", mibib, table)[0], 0x55EE73AA)
                count = struct.unpack_from("<I", mibib, table + 12)[0]
                struct.pack_into("<I", mibib, table + 16 + (count - 1) * 28 + 20, 0xFFFFFFFF)
                return bytes(mibib)
            return data
        self.assertParseRefused(self.tampered(edit), "patch_p4K_b256K.xml",
                                "DISK <patch> writes sector 0x30d40, beyond the 0x20000 "
                                "sectors of the 4 Gbit flash")

    def test_not_a_zip(self):
        bad = os.path.join(self.workdir, "junk.zip")
        with open(bad, "wb") as f:
            f.write(os.urandom(4096))
        proc = self.firmware_parse(bad)
        self.assertNotEqual(proc.returncode, 0)


if __name__ == "__main__":
    unittest.main()

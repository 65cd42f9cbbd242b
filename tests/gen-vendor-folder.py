#!/usr/bin/python3
#
# Copyright 2026 The fwupd-quectel authors
#
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Generate a synthetic Quectel EC25/EG25 (MDM9607, NAND) firmware folder.

The folder mirrors what Quectel ships (contents.xml, md5.txt, update/...,
update/firehose/...) so that the cabinet converter and the module simulator
can be tested and benchmarked without redistributing real firmware.  Every
image is deterministic pseudo-random data carrying the markers described in
tests/vendor-folder.md.  Fault options produce broken or hostile folders.

The folder is created as OUTDIR/<REVISION>/ and its path is printed on stdout.
"""

import argparse
import binascii
import hashlib
import os
import random
import re
import shutil
import struct
import sys
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

# --- format constants --------------------------------------------------------

# MIBIB (partition_complete_p*.mbn), as Qualcomm's nand_mbn_generator writes it
MIBIB_MAGIC1 = 0xFE569FAC
MIBIB_MAGIC2 = 0xCD7F127A
MIBIB_VERSION = 4
MIBIB_AGE = 1
FLASH_PART_MAGIC1 = 0x55EE73AA
FLASH_PART_MAGIC2 = 0xE35EBDDB
FLASH_PARTITION_VERSION = 4
MIBIB_CRC_MAGIC1 = 0x9D41BEA1
MIBIB_CRC_MAGIC2 = 0xF1DED2EA
MIBIB_CRC_VERSION = 1
MIBIB_TABLE_PAGE = 1
MIBIB_CRC_PAGE = 3
MIBIB_ENTRY = struct.Struct("<16sII4B")
MIBIB_HEADER = struct.Struct("<4I")

# QPST user partition table (update/partition.mbn), from partition_nand.xml
USR_PART_MAGIC1 = 0xAA7D1B9A
USR_PART_MAGIC2 = 0x1F7D48BC
USR_PART_VERSION = 4
USR_PART_MIN_SIZE = 464
USR_PART_ENTRY = struct.Struct("<16sII4B")

# the "grow to the end of the flash" partition in partition_nand.xml
GROW_SIZE = 0xFFFFFFFF
GROW_PAD = 0xFFFF
NUM_PARTITION_SECTORS = 131072  # what the vendor XML comments say

# synthetic image markers (the contract with the simulator)
IMAGE_MAGIC = b"QSIMIMG1"
IMAGE_HEADER_SIZE = 16
FIREHOSE_MARKER = b"QUECTEL-SIM-FIREHOSE-PROGRAMMER:9x07\0"
REVISION_PREFIX = "QUECTEL-SIM-REVISION="

# UBI erase-counter header (big endian, 64 bytes)
UBI_EC_MAGIC = b"UBI#"
UBI_EC_HEADER = struct.Struct(">4sB3xQIII32x")
UBI_EC_HEADER_SIZE = 64

# ELF32 little endian, ARM, MBN style (NULL + hash + LOAD segments)
ELF_HEADER = struct.Struct("<16sHHIIIIIHHHHHH")
ELF_PHDR = struct.Struct("<8I")
ELF_EM_ARM = 40
ELF_ET_EXEC = 2
ELF_PT_NULL = 0
ELF_PT_LOAD = 1
ELF_HASH_OFFSET = 0x1000
ELF_PAGE = 0x1000
ELF_LOAD_ALIGN = 4
ELF_PHNUM = 3
ELF_FLAGS_PHDR_SEG = 0x07000000
ELF_FLAGS_HASH_SEG = 0x02200000
ELF_FLAGS_RWX = 0x7
MBN_HEADER = struct.Struct("<10I")
MBN_HEADER_VERSION = 3
MBN_SIGNATURE_SIZE = 256
SHA256_SIZE = 32
ARM_LDR_PC = 0xE59FF018  # "ldr pc, [pc, #0x18]": a plausible vector table
ARM_VECTORS = 8

# filler generator
CHUNK_SIZE = 1 << 20
STAMP_STRIDE = 4096
STAMP = struct.Struct("<Q")

# file names that do not depend on the layout
PROGRAMMER = "prog_nand_firehose_9x07.mbn"
NPRG = "NPRG9x07.mbn"
ENPRG = "ENPRG9x07.mbn"
USER_PARTITION_MBN = "partition.mbn"
PARTITION_NAND_XML = "partition_nand.xml"
CONTENTS_XML = "contents.xml"
MD5_TXT = "md5.txt"
UPDATE_DIR = "update"
FIREHOSE_DIR = "update/firehose"
FACTORY_CEFS = "cefs.mbn"
FACTORY_QCN = "factory.xqcn"
FACTORY_ZERO = "zero.bin"
DEFAULT_SUBVERSION = "01.001.01.001"
VERSION_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]*"  # also a safe folder name
VENDOR_PROJECT_TYPE = "STD"
CEFS_SIZE = 65_536

# name -> (load address, hash segment size, fixed size or None, marker);
# load addresses and hash sizes as in the real EG25 package (protocol notes)
PROGRAMMERS = {
    PROGRAMMER: (0x08005800, 0x88, 128_376, FIREHOSE_MARKER),
    ENPRG: (0x08006050, 0x1988, None,
            b"QUECTEL-SIM-STREAMING-PROGRAMMER:ENPRG9x07\0"),
    NPRG: (0x80000028, 0x1988, None,
           b"QUECTEL-SIM-STREAMING-PROGRAMMER:NPRG9x07\0"),
}
# --tiny: every image and the Firehose programmer this small (a few NAND pages), for recordings
# of a whole update that must stay small
TINY_IMAGE_SIZE = 16_384
SBL_LOAD_ADDR = 0x08006000  # synthetic
SBL_HASH_SIZE = 0x1988

# partition_nand.xml size units
UNIT_BLOCKS = "blks"
UNIT_KB = "kb"
UNIT_GROW = "grow"

ATTR_BOOT = (0xFF, 0x01, 0x00, 0xFE)  # sizes in blocks
ATTR_MIBIB = (0xFF, 0x01, 0xFF, 0xFE)
ATTR_EFS = (0xFF, 0x01, 0xFF, 0xFF)
ATTR_DATA = (0xFF, 0x01, 0x00, 0xFF)


# --- layouts -----------------------------------------------------------------

@dataclass
class Partition:
    """One <partition> of partition_nand.xml, placed on the flash."""
    name: str           # MIBIB name, e.g. "0:SBL"
    unit: str           # UNIT_BLOCKS, UNIT_KB or UNIT_GROW
    size: int
    pad: int
    attrs: tuple
    role: str = None    # image role programmed here (None: never written)
    start_block: int = 0
    num_blocks: int = 0

    @property
    def label(self):
        return self.name.split(":", 1)[1].lower()


@dataclass
class Layout:
    key: str
    page_size: int
    pages_per_block: int
    total_blocks: int
    default_revision: str
    project_name: str
    images: dict            # role -> file name in update/
    partitions: list
    late_programs: tuple    # roles whose <program> is the last line
    small_sizes: dict       # role -> size in bytes (default mode)
    full_sizes: dict        # role -> size in bytes (--full)
    full_qflash_total: int = None  # --full: size the largest image to this

    @property
    def block_size(self):
        return self.page_size * self.pages_per_block

    @property
    def geometry(self):
        return "p%dK_b%dK" % (self.page_size // 1024, self.block_size // 1024)

    @property
    def mibib_file(self):
        return "partition_complete_%s.mbn" % self.geometry

    @property
    def patch_file(self):
        return "patch_%s.xml" % self.geometry

    def rawprogram_file(self, kind="update"):
        return "rawprogram_nand_%s_%s.xml" % (self.geometry, kind)

    def partition(self, label):
        return next(p for p in self.partitions if p.label == label)

    def programmed(self):
        return [p for p in self.partitions if p.role is not None]


def _part(name, unit, size, pad, attrs, role=None):
    return Partition(name, unit, size, pad, attrs, role)


def _grow(name, role):
    return Partition(name, UNIT_GROW, GROW_SIZE, GROW_PAD, ATTR_DATA, role)


# Image roles are named after the primary partition they are flashed to; the
# QSIMIMG1 header carries the role (truncated to 8 bytes).
COMMON_SMALL_SIZES = {
    "sbl": 49_152, "tz": 24_000, "rpm": 16_384, "aboot": 20_480,
    "boot": 65_536, "recoveryfs": 49_000, "modem": 98_765, "system": 102_400,
    NPRG: 40_960, ENPRG: 40_960,
}


def _ec25e_layout():
    """EC25-E (EC25EFAR06A0xM4G), Toshiba 4 KiB pages, 256 KiB blocks, 512 MiB.

    Offsets/lengths match the MIBIB of EC25EFAR06A01M4G (defencore notes);
    the size/pad split in KiB is ours (only the block totals are known).
    """
    kb = UNIT_KB
    parts = [
        _part("0:SBL", UNIT_BLOCKS, 0x8, 0x2, ATTR_BOOT, "sbl"),
        _part("0:MIBIB", UNIT_BLOCKS, 0x6, 0x4, ATTR_MIBIB, "mibib"),
        _part("0:EFS2", kb, 21504, 1024, ATTR_EFS),
        _part("0:sys_rev", kb, 4864, 256, ATTR_DATA),
        _part("0:RAWDATA", kb, 2816, 256, ATTR_DATA),
        _part("0:TZ", kb, 1024, 256, ATTR_DATA, "tz"),
        _part("0:RPM", kb, 1280, 256, ATTR_DATA, "rpm"),
        _part("0:aboot", kb, 1024, 256, ATTR_DATA, "aboot"),
        _part("0:boot", kb, 8960, 256, ATTR_DATA, "boot"),
        _part("0:recovery", kb, 8960, 256, ATTR_DATA, "boot"),
        _part("0:image_back", kb, 6144, 256, ATTR_DATA),
        _part("0:recoveryfs_B", kb, 14080, 256, ATTR_DATA, "recoveryfs"),
        _part("0:scrub", kb, 16640, 256, ATTR_DATA),
        _part("0:modem", kb, 62976, 512, ATTR_DATA, "modem"),
        _part("0:misc", kb, 1024, 256, ATTR_DATA),
        _part("0:recoveryfs", kb, 30464, 256, ATTR_DATA, "recoveryfs"),
        _part("0:qdsp6sw_B", kb, 56832, 512, ATTR_DATA, "modem"),
        _part("0:sys_back", kb, 58880, 512, ATTR_DATA, "system"),
        _grow("0:system", "system"),
    ]
    return Layout(
        key="ec25e", page_size=4096, pages_per_block=64, total_blocks=2048,
        default_revision="EC25EFAR06A09M4G", project_name="EC25EFA",
        images={
            "sbl": "sbl1.mbn", "tz": "tz.mbn", "rpm": "rpm.mbn",
            "aboot": "appsboot.mbn", "boot": "mdm9607-perf-boot.img",
            "recoveryfs": "mdm-perf-recovery-image-mdm9607-perf.ubi",
            "modem": "NON-HLOS.ubi", "system": "mdm9607-perf-sysfs.ubi",
        },
        partitions=parts, late_programs=(),
        small_sizes=dict(COMMON_SMALL_SIZES),
        full_sizes={
            "sbl": 223_176, "tz": 479_044, "rpm": 159_312, "aboot": 331_776,
            "boot": 6_455_296, "recoveryfs": 10_485_760,
            "modem": 42_729_472, NPRG: 253_952, ENPRG: 212_992,
        },
        # "file total size: 216027339" in the QFlash log of the forum thread
        full_qflash_total=216_027_339,
    )


def _eg25g_layout():
    """EG25-G (EG25GGBR07A08M2G), 2 KiB pages, 128 KiB blocks, 256 MiB.

    Sizes and attributes copied from the real update/partition_nand.xml.
    """
    kb = UNIT_KB
    parts = [
        _part("0:SBL", UNIT_BLOCKS, 0x8, 0x2, ATTR_BOOT, "sbl"),
        _part("0:MIBIB", UNIT_BLOCKS, 0x6, 0x4, ATTR_MIBIB, "mibib"),
        _part("0:EFS2", kb, 16384, 1024, ATTR_EFS),
        _part("0:sys_rev", kb, 4864, 256, ATTR_DATA),
        _part("0:RAWDATA", kb, 1024, 256, ATTR_DATA),
        _part("0:TZ", kb, 1280, 256, ATTR_DATA, "tz"),
        _part("0:RPM", kb, 1024, 128, ATTR_DATA, "rpm"),
        _part("0:cust_info", kb, 1536, 512, ATTR_DATA),
        _part("0:aboot", kb, 1280, 256, ATTR_DATA, "aboot"),
        _part("0:boot", kb, 7680, 256, ATTR_DATA, "boot"),
        _part("0:recovery", kb, 7680, 256, ATTR_DATA, "boot"),
        _part("0:modem", kb, 54272, 512, ATTR_DATA, "modem"),
        _part("0:misc", kb, 512, 128, ATTR_DATA),
        _part("0:recoveryfs", kb, 11008, 256, ATTR_DATA, "recoveryfs"),
        _part("0:usr_data", kb, 50688, 512, ATTR_DATA, "usr_data"),
        _part("0:data", kb, 21504, 512, ATTR_DATA, "data"),
        _part("0:sec", kb, 256, 256, ATTR_DATA),
        _grow("0:system", "system"),
    ]
    small = dict(COMMON_SMALL_SIZES)
    small.update({"usr_data": 16_384, "data": 12_288})
    return Layout(
        key="eg25g", page_size=2048, pages_per_block=64, total_blocks=2048,
        default_revision="EG25GGBR07A08M2G", project_name="EG25GGB",
        images={
            "sbl": "sbl1.mbn", "tz": "tz.mbn", "rpm": "rpm.mbn",
            "aboot": "appsboot.mbn", "boot": "mdm9607-boot.img",
            "recoveryfs": "mdm9607-recovery.ubi", "modem": "NON-HLOS.ubi",
            "usr_data": "usrdata.ubi", "data": "data.ubi",
            "system": "mdm9607-sysfs.ubi",
        },
        partitions=parts, late_programs=("rpm",),
        small_sizes=small,
        full_sizes={
            "sbl": 223_176, "tz": 479_044, "rpm": 159_312, "aboot": 331_776,
            "boot": 6_455_296, "recoveryfs": 9_437_184, "modem": 42_729_472,
            "usr_data": 4_194_304, "data": 2_097_152, "system": 51_380_224,
            NPRG: 253_952, ENPRG: 212_992,
        },
    )


LAYOUTS = {"ec25e": _ec25e_layout, "eg25g": _eg25g_layout}


def place_partitions(layout):
    """Assign start/length in blocks exactly like nand_mbn_generator does."""
    block_kb = layout.block_size // 1024
    next_block = 0
    for part in layout.partitions:
        if part.unit == UNIT_BLOCKS:
            blocks = part.size + part.pad
        elif part.unit == UNIT_KB:
            blocks = -(-part.size // block_kb) + -(-part.pad // block_kb)
        else:
            blocks = layout.total_blocks - next_block
        part.start_block = next_block
        part.num_blocks = blocks
        next_block += blocks
    if next_block != layout.total_blocks:
        raise ValueError("%s: partition map covers %d of %d blocks"
                         % (layout.key, next_block, layout.total_blocks))


def partition_pages(layout, part):
    """Return (start_sector, num_partition_sectors) in pages."""
    ppb = layout.pages_per_block
    return part.start_block * ppb, part.num_blocks * ppb


# --- deterministic content ---------------------------------------------------

def filler_chunks(key, size):
    """Yield (offset, bytearray) chunks of seeded pseudo-random data.

    A 1 MiB random pool is reused for every chunk; the last 8 bytes of every
    4 KiB are overwritten with a salted counter so no two pages are equal
    (headers at the start of a page do not hide the counter).
    """
    rng = random.Random(key)
    pool = rng.randbytes(CHUNK_SIZE)
    salt = rng.getrandbits(64)
    first = STAMP_STRIDE - STAMP.size
    for offset in range(0, size, CHUNK_SIZE):
        chunk = bytearray(pool[:min(CHUNK_SIZE, size - offset)])
        for pos in range(first, len(chunk) - STAMP.size + 1, STAMP_STRIDE):
            page_index = (offset + pos) // STAMP_STRIDE
            STAMP.pack_into(chunk, pos, salt ^ page_index)
        yield offset, chunk


def apply_overlays(chunk, offset, overlays):
    """Copy the parts of (position, bytes) overlays that fall in this chunk."""
    end = offset + len(chunk)
    for position, data in overlays:
        lo = max(position, offset)
        hi = min(position + len(data), end)
        if lo < hi:
            chunk[lo - offset:hi - offset] = data[lo - position:hi - position]


def write_stream(path, key, size, overlays=()):
    """Write SIZE bytes of filler with OVERLAYS on top, never all in memory."""
    with open(path, "wb") as out:
        for offset, chunk in filler_chunks(key, size):
            apply_overlays(chunk, offset, overlays)
            out.write(chunk)


def make_bytes(key, size):
    """The same filler as write_stream(), in memory (small files only)."""
    data = bytearray()
    for _, chunk in filler_chunks(key, size):
        data += chunk
    return data


def image_header(role):
    """The 16-byte QSIMIMG1 header: magic + role, NUL padded/truncated."""
    width = IMAGE_HEADER_SIZE - len(IMAGE_MAGIC)
    return IMAGE_MAGIC + role.encode("ascii")[:width].ljust(width, b"\0")


def revision_line(revision, subversion):
    return ("%s%s_%s\n" % (REVISION_PREFIX, revision, subversion)).encode()


def ubi_ec_header(layout, image_seq):
    """A UBI erase-counter header (EC 0) for this geometry."""
    raw = UBI_EC_HEADER.pack(UBI_EC_MAGIC, 1, 0, layout.page_size,
                             2 * layout.page_size, image_seq)
    crc = binascii.crc32(raw) ^ 0xFFFFFFFF  # UBI: crc32_le seeded with ~0
    return raw + struct.pack(">I", crc)


def build_elf(key, size, load_addr, hash_size, load_prefix):
    """A synthetic MBN-style ELF32 (ARM, little endian, 3 program headers).

    Segment 0: PT_NULL covering the ELF and program headers; segment 1:
    PT_NULL hash segment at 0x1000 (MBN v3 header + SHA-256 of every
    segment, then a fake signature and certificate chain if HASH_SIZE allows);
    segment 2: PT_LOAD at LOAD_ADDR starting with LOAD_PREFIX.
    """
    headers_size = ELF_HEADER.size + ELF_PHNUM * ELF_PHDR.size
    load_offset = align_up(ELF_HASH_OFFSET + hash_size, ELF_PAGE)
    if size < load_offset + len(load_prefix):
        raise ValueError("ELF image too small")
    load_size = size - load_offset
    hash_addr = align_up(load_addr + load_size, ELF_PAGE)

    data = make_bytes(key, size)
    data[:load_offset] = bytes(load_offset)
    data[load_offset:load_offset + len(load_prefix)] = load_prefix

    ident = b"\x7fELF" + bytes([1, 1, 1]) + bytes(9)  # 32-bit, LE, v1
    struct.pack_into(ELF_HEADER.format, data, 0, ident, ELF_ET_EXEC,
                     ELF_EM_ARM, 1, load_addr, ELF_HEADER.size, 0, 0,
                     ELF_HEADER.size, ELF_PHDR.size, ELF_PHNUM, 0, 0, 0)
    phdrs = [
        (ELF_PT_NULL, 0, 0, 0, headers_size, 0, ELF_FLAGS_PHDR_SEG, 0),
        (ELF_PT_NULL, ELF_HASH_OFFSET, hash_addr, hash_addr, hash_size,
         align_up(hash_size, ELF_PAGE), ELF_FLAGS_HASH_SEG, ELF_PAGE),
        (ELF_PT_LOAD, load_offset, load_addr, load_addr, load_size,
         load_size, ELF_FLAGS_RWX, ELF_LOAD_ALIGN),
    ]
    for index, phdr in enumerate(phdrs):
        ELF_PHDR.pack_into(data, ELF_HEADER.size + index * ELF_PHDR.size,
                           *phdr)

    hashes = (hashlib.sha256(data[:headers_size]).digest()
              + bytes(SHA256_SIZE)
              + hashlib.sha256(data[load_offset:]).digest())
    code_size = len(hashes)
    extra = hash_size - MBN_HEADER.size - code_size
    sig_size = min(extra, MBN_SIGNATURE_SIZE)
    cert_size = extra - sig_size
    dest = hash_addr + MBN_HEADER.size
    mbn = MBN_HEADER.pack(0, MBN_HEADER_VERSION, 0, dest,
                          hash_size - MBN_HEADER.size, code_size,
                          dest + code_size, sig_size,
                          dest + code_size + sig_size, cert_size)
    trailer = random.Random(key + "/sig").randbytes(extra)
    data[ELF_HASH_OFFSET:ELF_HASH_OFFSET + hash_size] = mbn + hashes + trailer
    return bytes(data)


def align_up(value, alignment):
    return -(-value // alignment) * alignment


def programmer_prefix(marker):
    """A fake ARM vector table followed by the marker string."""
    vectors = struct.pack("<%dI" % ARM_VECTORS, *([ARM_LDR_PC] * ARM_VECTORS))
    return vectors + marker


# --- partition tables --------------------------------------------------------

def _msb_crc32_table(poly=0x04C11DB7):
    table = []
    for byte in range(256):
        crc = byte << 24
        for _ in range(8):
            crc = (crc << 1) ^ (poly if crc & 0x80000000 else 0)
        table.append(crc & 0xFFFFFFFF)
    return table


MIBIB_CRC_TABLE = _msb_crc32_table()


def crc32_msb(data):
    """CRC-32 as the MIBIB uses it: poly 0x04C11DB7, MSB first, init 0,
    no final XOR (the "CRC32(0,N)" of the patch file)."""
    crc = 0
    for byte in data:
        index = ((crc >> 24) ^ byte) & 0xFF
        crc = ((crc << 8) & 0xFFFFFFFF) ^ MIBIB_CRC_TABLE[index]
    return crc


def pad_page(data, page_size):
    if len(data) > page_size:
        raise ValueError("table does not fit in one page")
    return data + b"\xff" * (page_size - len(data))


def build_mibib(layout):
    """partition_complete_p*.mbn: 4 pages (header, table, user, CRC).

    The user table page is left blank (0xFF) as nand_mbn_generator does.
    """
    page = layout.page_size
    header = pad_page(MIBIB_HEADER.pack(MIBIB_MAGIC1, MIBIB_MAGIC2,
                                        MIBIB_VERSION, MIBIB_AGE), page)
    table = MIBIB_HEADER.pack(FLASH_PART_MAGIC1, FLASH_PART_MAGIC2,
                              FLASH_PARTITION_VERSION, len(layout.partitions))
    for part in layout.partitions:
        # the fourth byte is which_flash, always 0 (attr[3] is a unit flag)
        table += MIBIB_ENTRY.pack(part.name.encode(), part.start_block,
                                  part.num_blocks, *part.attrs[:3], 0)
    table = pad_page(table, page)
    user = b"\xff" * page
    crc = crc32_msb(header + table)
    crc_page = pad_page(MIBIB_HEADER.pack(MIBIB_CRC_MAGIC1, MIBIB_CRC_MAGIC2,
                                          MIBIB_CRC_VERSION, crc), page)
    return header + table + user + crc_page


def build_user_partition_mbn(layout):
    """update/partition.mbn: partition_nand.xml as QPST's binary table."""
    data = MIBIB_HEADER.pack(USR_PART_MAGIC1, USR_PART_MAGIC2,
                             USR_PART_VERSION, len(layout.partitions))
    for part in layout.partitions:
        data += USR_PART_ENTRY.pack(part.name.encode(), part.size, part.pad,
                                    *part.attrs)
    return data.ljust(USR_PART_MIN_SIZE, b"\0")


# --- XML ---------------------------------------------------------------------

def xml_element(tag, attrs):
    """One self-closing element, attributes sorted like the vendor files."""
    body = " ".join("%s=%s" % (k, quoteattr(str(attrs[k])))
                    for k in sorted(attrs))
    return "<%s %s/>" % (tag, body)


@dataclass
class Command:
    """An <erase>, <program> or vendor line of a rawprogram XML."""
    tag: str
    attrs: dict = field(default_factory=dict)

    @property
    def start(self):
        return int(self.attrs["start_sector"])


def nand_attrs(layout):
    return {"PAGES_PER_BLOCK": layout.pages_per_block,
            "SECTOR_SIZE_IN_BYTES": layout.page_size}


def erase_cmd(layout, part, labels):
    start, count = partition_pages(layout, part)
    attrs = nand_attrs(layout)
    attrs.update(num_partition_sectors=count, physical_partition_number=0,
                 start_sector=start)
    if labels:
        attrs["label"] = part.label
    return Command("erase", attrs)


def program_cmd(layout, part, filename, labels):
    cmd = erase_cmd(layout, part, labels)
    cmd.tag = "program"
    cmd.attrs["filename"] = filename
    return cmd


def vendor_cmd(layout):
    """The Quectel vendor line (meaning unknown; points at RAWDATA)."""
    start, count = partition_pages(layout, layout.partition("rawdata"))
    attrs = nand_attrs(layout)
    attrs.update(a_rawdata_start_sector=start, b_rawdata_num_sector=count,
                 c_project_name=layout.project_name,
                 d_project_type=VENDOR_PROJECT_TYPE, vendor="quectel")
    return Command("erase", attrs)


def rawprogram_filename(layout, role):
    """filename= relative to update/firehose, Windows separators."""
    if role == "mibib":
        return layout.mibib_file
    return "..\\" + layout.images[role]


def build_commands(layout, labels):
    """The update rawprogram, ordered like the vendor files.

    sbl, MIBIB and TZ are programmed first without an erase; every other
    programmed partition gets <erase> then <program> in flash order; the
    erases of TZ, MIBIB and SBL and the vendor line close the list, followed
    by the programs of LATE_PROGRAMS (RPM on EG25, as in the real file).
    """
    head = {"sbl", "mibib", "tz"}
    parts = layout.programmed()
    first, body, late = [], [], []
    for part in parts:
        program = program_cmd(layout, part, rawprogram_filename(
            layout, part.role), labels)
        if part.label in head:
            first.append(program)
            continue
        body.append(erase_cmd(layout, part, labels))
        if part.role in layout.late_programs:
            late.append(program)
        else:
            body.append(program)
    tail = [erase_cmd(layout, p, labels)
            for p in reversed(parts) if p.label in head]
    return first + body + tail + [vendor_cmd(layout)] + late


def render_rawprogram(layout, commands):
    lines = [
        '<?xml version="1.0" ?>',
        "<data>",
        "  <!--NOTE: This is an ** Autogenerated file **-->",
        "  <!--BlockSize = %d KB-->" % (layout.block_size // 1024),
        "  <!--PageSize  = %d KB-->" % (layout.page_size // 1024),
        "  <!--NUM_PARTITION_SECTORS  = %d-->" % NUM_PARTITION_SECTORS,
    ]
    lines += ["  " + xml_element(c.tag, c.attrs) for c in commands]
    lines.append("</data>")
    return ("\n".join(lines) + "\n").encode()


def render_patch(layout):
    """Two host-side patches of the MIBIB file (last length, CRC)."""
    last = layout.partitions[-1]
    table_len = MIBIB_HEADER.size + MIBIB_ENTRY.size * len(layout.partitions)
    common = {"SECTOR_SIZE_IN_BYTES": layout.page_size,
              "filename": layout.mibib_file, "physical_partition_number": 0,
              "size_in_bytes": 4}
    patches = [
        dict(common, byte_offset=table_len - 8, start_sector=MIBIB_TABLE_PAGE,
             value="NUM_DISK_BLOCKS-%d." % last.start_block,
             what="Update MIBIB partition last sector size limit"),
        dict(common, byte_offset=12, start_sector=MIBIB_CRC_PAGE,
             value="CRC32(0,%d)" % (2 * layout.page_size),
             what="Update MIBIB partition with CRC of MIBIB header sector "
                  "and Syster partition sector."),
    ]
    lines = [
        '<?xml version="1.0" ?>',
        "<patches>",
        "  <!--NOTE: This is an ** Autogenerated file **-->",
        "  <!--NOTE: Patching is in little endian format, i.e. 0xAABBCCDD "
        "will look like DD CC BB AA in the file or on disk-->",
    ]
    lines += ["  " + xml_element("patch", p) for p in patches]
    lines.append("</patches>")
    return ("\n".join(lines) + "\n").encode()


def render_partition_nand(layout):
    """update/partition_nand.xml in the vendor's layout (tabs, units)."""
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<nandboot>",
        "\t<magic_numbers>",
        "\t\t<usr_part_magic1>0x%08X</usr_part_magic1>" % USR_PART_MAGIC1,
        "\t\t<usr_part_magic2>0x%08X</usr_part_magic2>" % USR_PART_MAGIC2,
        "\t</magic_numbers>",
        '\t<partition_version length="4">0x%X</partition_version>'
        % USR_PART_VERSION,
        "\t<partitions>",
    ]
    for part in layout.partitions:
        out.append("\t\t<partition>")
        out.append('\t\t\t<name length="16" type="string">%s</name>'
                   % escape(part.name))
        if part.unit == UNIT_BLOCKS:
            out.append('\t\t\t<size_blks length="4">0x%X</size_blks>'
                       % part.size)
            out.append('\t\t\t<pad_blks length="4">0x%X</pad_blks>'
                       % part.pad)
        elif part.unit == UNIT_KB:
            out.append('\t\t\t<size_kb length="4">%d</size_kb>' % part.size)
            out.append('\t\t\t<pad_kb length="4">%d</pad_kb>' % part.pad)
        else:
            out.append('\t\t\t<flags length="4">0x%X</flags>' % part.size)
            out.append('\t\t\t<flags length="4">0x%X</flags>' % part.pad)
        out.append("\t\t\t<which_flash>0</which_flash>")
        out += ["\t\t\t<attr>0x%02X</attr>" % a for a in part.attrs]
        image = nand_image_name(layout, part.role)
        if image:
            out.append('\t\t\t<img_name type="string">%s</img_name>'
                       % escape(image))
        out.append("\t\t</partition>")
    out += ["\t</partitions>", "</nandboot>"]
    return ("\n".join(out) + "\n").encode()


def nand_image_name(layout, role):
    if role is None:
        return None
    if role == "mibib":
        return USER_PARTITION_MBN
    return layout.images[role]


CONTENTS_BUILDS = [
    # (name, role, cmm variable, file, extra attributes)
    ("apps", "apps", "APSS", "aboot", ""),
    ("tz", "tz", "TZ", "tz", ' get_binary="True"'),
    ("boot", "boot", "BOOT", "sbl", ' get_binary="True"'
                                    ' fastboot_complete="sbl"'),
    ("rpm", "rpm", "RPM", "rpm", ' get_binary="True"'
                                 ' fastboot_complete="rpm"'),
]


def render_contents(layout):
    """contents.xml: QPST meta build description, UTF-8 with a BOM."""
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<!-- contents.xml: component builds of this target"
        " (synthetic test package) -->",
        "<contents>",
        "  <product_info>",
        "    <product_name>MDM9607.LE.1.0</product_name>",
        '    <hlos_type cmm_var="HLOS_TYPE">LE</hlos_type>',
        '    <chipid cmm_var="CHIPID">MDM9607</chipid>',
        "  </product_info>",
        "  <builds_flat>",
        "    <build>",
        "      <name>common</name>",
        "      <role>common</role>",
        "      <chipset>MDM9607</chipset>",
        "      <build_id></build_id>",
        "      <windows_root_path>.\\</windows_root_path>",
        "      <linux_root_path>./</linux_root_path>",
        "      <image_dir>update</image_dir>",
        "      <partition_file>",
        "        <file_name>%s</file_name>" % PARTITION_NAND_XML,
        "        <file_path>update/</file_path>",
        "      </partition_file>",
        "    </build>",
    ]
    for name, role, var, image, extra in CONTENTS_BUILDS:
        out += [
            "    <build>",
            "      <name>%s</name>" % name,
            "      <role>%s</role>" % role,
            "      <chipset>MDM9607</chipset>",
            "      <build_id></build_id>",
            '      <windows_root_path cmm_root_path_var="%s_BUILDROOT">.\\'
            "</windows_root_path>" % var,
            '      <linux_root_path cmm_root_path_var="%s_BUILDROOT">./'
            "</linux_root_path>" % var,
            "      <image_dir>update</image_dir>",
        ]
        if name == "boot":
            out += [
                '      <flash_programmer minimized="true" get_binary="True">',
                "        <file_name>%s</file_name>" % NPRG,
                "        <file_path>update/</file_path>",
                "      </flash_programmer>",
            ]
        out += [
            '      <download_file cmm_file_var="%s_BINARY" minimized="true"%s>'
            % (var, extra),
            "        <file_name>%s</file_name>" % layout.images[image],
            "        <file_path>update/</file_path>",
            "      </download_file>",
            "    </build>",
        ]
    out += ["  </builds_flat>", "</contents>"]
    return b"\xef\xbb\xbf" + ("\r\n".join(out) + "\r\n").encode()


def render_qcn(layout, revision):
    return ('<?xml version="1.0" encoding="utf-8"?>\r\n'
            "<!-- synthetic factory QCN: not a real NV backup -->\r\n"
            '<NvSource chip="MDM9607" model="%s" build="%s"/>\r\n'
            % (layout.project_name, revision)).encode()


def render_md5(folder):
    """md5.txt in the vendor format, covering every file but itself."""
    entries = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in files:
            path = os.path.join(root, name)
            rel = os.path.relpath(path, folder)
            if rel == MD5_TXT:
                continue
            entries.append(("\\" + rel.replace(os.sep, "\\"), md5_file(path)))
    # vendor order: case-insensitive, punctuation ignored (Windows-like)
    entries.sort(key=lambda e: (re.sub(r"[^0-9a-z]", "", e[0].lower()), e[0]))
    lines = ["VERSION:1.0", "FILE:START"]
    lines += ["FILE:%s:%s" % (rel, digest) for rel, digest in entries]
    lines.append("FILE:END")
    return ("\r\n".join(lines) + "\r\n").encode()


def md5_file(path):
    digest = hashlib.md5()
    with open(path, "rb") as src:
        for block in iter(lambda: src.read(CHUNK_SIZE), b""):
            digest.update(block)
    return digest.hexdigest().upper()


# --- folder generation -------------------------------------------------------

class Generator:
    """Writes one vendor folder; fault options are applied on the way."""

    def __init__(self, layout, args):
        self.layout = layout
        self.args = args
        self.revision = args.revision or layout.default_revision
        self.folder = os.path.join(args.outdir, self.revision)
        self.outdir = args.outdir
        self.sizes = dict(layout.full_sizes if args.full
                          else layout.small_sizes)
        if args.tiny:
            self.sizes = {role: min(size, TINY_IMAGE_SIZE)
                          for role, size in self.sizes.items()}
        self.commands = build_commands(layout, not args.no_labels)

    # helpers

    def key(self, name):
        return "%d/%s/%s/%s" % (self.args.seed, self.layout.key,
                                self.revision, name)

    def path(self, *parts):
        return os.path.join(self.folder, *parts)

    def write(self, relpath, data):
        path = self.path(relpath)
        with open(path, "wb") as out:
            out.write(data)
        return path

    def role_of_file(self, name):
        base = re.split(r"[\\/]", name)[-1]
        for role, image in self.layout.images.items():
            if image == base:
                return role
        raise SystemExit("error: %s is not a partition image of %s"
                         % (name, self.layout.key))

    def program_for(self, label):
        return next(c for c in self.commands if c.tag == "program"
                    and c.start == partition_pages(
                        self.layout, self.layout.partition(label))[0])

    def outside_path(self, name):
        return os.path.join(self.outdir, "%s-outside-%s"
                            % (self.revision, name))

    # sizes

    def plan_sizes(self, fixed_files):
        """Complete self.sizes; with --full hit the QFlash total exactly.

        QFlash sums contents.xml, partition_nand.xml, every <img_name> of
        partition_nand.xml (duplicates included) and both NAND programmers.
        The largest image (the sysfs UBI) absorbs the difference.
        """
        target = self.layout.full_qflash_total
        if self.args.full and target is not None:
            counts = {}
            for part in self.layout.programmed():
                if part.role != "mibib":
                    counts[part.role] = counts.get(part.role, 0) + 1
            known = sum(len(d) for d in fixed_files.values())
            known += self.sizes[NPRG] + self.sizes[ENPRG]
            known += sum(self.sizes[r] * n for r, n in counts.items()
                         if r != "system")
            rest = target - known
            self.sizes["system"] = rest // counts["system"]
            self.sizes[ENPRG] += rest % counts["system"]
        if self.args.oversize:
            role = self.role_of_file(self.args.oversize)
            smallest = min(p.num_blocks for p in self.layout.programmed()
                           if p.role == role)
            self.sizes[role] = (smallest * self.layout.block_size
                                + self.layout.page_size)

    # images

    def write_image(self, relpath, role, key_name=None):
        """Write the image of ROLE at RELPATH (header/markers by kind)."""
        layout = self.layout
        size = self.sizes[role]
        key = self.key(key_name or relpath)
        if role == "sbl":
            data = build_elf(key, size, SBL_LOAD_ADDR, SBL_HASH_SIZE,
                             image_header(role))
            return self.write(relpath, data)
        overlays, header_at = [], 0
        if relpath.endswith(".ubi"):
            # an EC header at every PEB, the QSIMIMG1 header right after it
            ec = ubi_ec_header(layout, random.Random(key).getrandbits(32))
            overlays = [(o, ec) for o in range(0, size, layout.block_size)]
            header_at = UBI_EC_HEADER_SIZE
        overlays.append((header_at, image_header(role)))
        if role == "modem":
            overlays.append((header_at + IMAGE_HEADER_SIZE, revision_line(
                self.revision, self.args.subversion)))
        write_stream(self.path(relpath), key, size, overlays)
        return self.path(relpath)

    def write_programmers(self):
        for name, (addr, hash_size, size, marker) in PROGRAMMERS.items():
            size = size or self.sizes[name]
            if self.args.tiny:
                size = min(size, TINY_IMAGE_SIZE)
            data = build_elf(self.key(name), size, addr, hash_size,
                             programmer_prefix(marker))
            folder = FIREHOSE_DIR if name == PROGRAMMER else UPDATE_DIR
            self.write(os.path.join(folder, name), data)

    # fault options that change the command list or add files

    def apply_command_faults(self):
        args, layout = self.args, self.layout
        if args.no_sbl:
            self.commands.remove(self.program_for("sbl"))
        if args.overlap:
            self.program_for("recovery").attrs["start_sector"] -= \
                layout.pages_per_block
        if args.escape_path:
            name = self.outside_path(layout.images["tz"])
            self.program_for("tz").attrs["filename"] = \
                "..\\..\\..\\" + os.path.basename(name)
            self.write_outside(name, "tz")
        if args.absolute_path:
            name = os.path.abspath(self.outside_path(layout.images["aboot"]))
            self.program_for("aboot").attrs["filename"] = name
            self.write_outside(name, "aboot")
        if args.dup_basename:
            image = layout.images["boot"]
            self.program_for("recovery").attrs["filename"] = image
            self.write_image(os.path.join(FIREHOSE_DIR, image), "boot",
                             key_name="dup/" + image)
        if args.efs_write:
            self.write_cefs()
            index = self.commands.index(self.program_for("mibib")) + 1
            self.commands[index:index] = self.efs_commands()

    def efs_commands(self):
        efs2 = self.layout.partition("efs2")
        labels = not self.args.no_labels
        return [erase_cmd(self.layout, efs2, labels),
                program_cmd(self.layout, efs2, "..\\" + FACTORY_CEFS, labels)]

    def write_cefs(self):
        self.sizes["efs2"] = CEFS_SIZE
        self.write_image(os.path.join(UPDATE_DIR, FACTORY_CEFS), "efs2")

    def write_outside(self, path, role):
        """A decoy outside the folder, so following the path 'works'."""
        write_stream(path, self.key("outside/" + role), self.sizes[role],
                     [(0, image_header(role))])

    def write_factory(self):
        """Factory package extras: programs EFS2 and clears calibration."""
        layout = self.layout
        labels = not self.args.no_labels
        self.write_cefs()
        zero_size = layout.block_size
        self.write(os.path.join(UPDATE_DIR, FACTORY_ZERO), bytes(zero_size))
        self.write(os.path.join(UPDATE_DIR, FACTORY_QCN),
                   render_qcn(layout, self.revision))
        sys_rev = layout.partition("sys_rev")
        commands = list(self.commands)
        commands[1:1] = self.efs_commands() + [
            erase_cmd(layout, sys_rev, labels),
            program_cmd(layout, sys_rev, "..\\" + FACTORY_ZERO, labels)]
        self.write(os.path.join(FIREHOSE_DIR, layout.rawprogram_file(
            "factory")), render_rawprogram(layout, commands))

    def apply_file_faults(self):
        """Faults applied once every file exists (before md5.txt)."""
        args, layout = self.args, self.layout
        if args.symlink_out:
            link = self.path(UPDATE_DIR, layout.images["rpm"])
            target = self.outside_path(layout.images["rpm"])
            os.replace(link, target)
            os.symlink(os.path.relpath(target, os.path.dirname(link)), link)
        if args.mixed_geometry:
            other = LAYOUTS["eg25g" if layout.key == "ec25e" else "ec25e"]()
            place_partitions(other)
            self.write(os.path.join(FIREHOSE_DIR, layout.mibib_file),
                       build_mibib(other))
            self.write(os.path.join(FIREHOSE_DIR, layout.patch_file),
                       render_patch(other))

    def resolve(self, name):
        """A folder-relative path (/ or \\) or a unique basename."""
        rel = name.replace("\\", "/").lstrip("/")
        if os.path.lexists(self.path(rel)):
            return self.path(rel)
        hits = [os.path.join(root, f) for root, _, files
                in os.walk(self.folder) for f in files if f == rel]
        if len(hits) != 1:
            raise SystemExit("error: %s matches %d files in %s"
                             % (name, len(hits), self.folder))
        return hits[0]

    def apply_md5_faults(self, md5_text):
        for name in self.args.bad_md5:
            rel = os.path.relpath(self.resolve(name), self.folder)
            tag = ("FILE:\\%s:" % rel.replace(os.sep, "\\")).encode()
            if tag not in md5_text:
                raise SystemExit("error: %s is not listed in %s"
                                 % (name, MD5_TXT))
            start = md5_text.index(tag) + len(tag)
            flipped = b"%X" % (int(md5_text[start:start + 1], 16) ^ 0xF)
            md5_text = md5_text[:start] + flipped + md5_text[start + 1:]
        return md5_text

    # main entry

    def run(self):
        layout = self.layout
        if os.path.lexists(self.folder):
            if not self.args.force:
                raise SystemExit("error: %s exists (use --force)"
                                 % self.folder)
            shutil.rmtree(self.folder)
        os.makedirs(self.path(FIREHOSE_DIR))

        fixed = {
            CONTENTS_XML: render_contents(layout),
            os.path.join(UPDATE_DIR, PARTITION_NAND_XML):
                render_partition_nand(layout),
            os.path.join(UPDATE_DIR, USER_PARTITION_MBN):
                build_user_partition_mbn(layout),
        }
        self.plan_sizes(fixed)
        for relpath, data in fixed.items():
            self.write(relpath, data)
        self.write_programmers()
        for role, image in layout.images.items():
            self.write_image(os.path.join(UPDATE_DIR, image), role)
        self.write(os.path.join(FIREHOSE_DIR, layout.mibib_file),
                   build_mibib(layout))
        self.write(os.path.join(FIREHOSE_DIR, layout.patch_file),
                   render_patch(layout))
        if self.args.factory:
            self.write_factory()
        self.apply_command_faults()
        self.write(os.path.join(FIREHOSE_DIR, layout.rawprogram_file()),
                   render_rawprogram(layout, self.commands))
        self.apply_file_faults()

        md5_text = self.apply_md5_faults(render_md5(self.folder))
        self.write(MD5_TXT, md5_text)
        for name in self.args.missing:
            os.unlink(self.resolve(name))
        return self.folder


# --- command line ------------------------------------------------------------

FAULT_HELP = """\
fault options (each makes a broken or hostile folder; combine freely):
  --bad-md5 FILE      md5.txt carries a wrong digest for FILE
  --missing FILE      FILE is deleted after md5.txt was written
  --factory           add a factory package: rawprogram_nand_<geo>_factory.xml
                      (also programs update/cefs.mbn into EFS2 and
                      update/zero.bin into sys_rev), update/factory.xqcn
  --efs-write         the update rawprogram erases and programs EFS2
                      (..\\cefs.mbn)
  --escape-path       TZ's filename= is ..\\..\\..\\<REV>-outside-tz.mbn, a
                      decoy written next to the folder (escapes it)
  --absolute-path     aboot's filename= is the absolute path of a decoy
                      outside the folder
  --symlink-out       update/rpm.mbn is a symlink to a file outside the
                      folder (its md5 in md5.txt matches the target)
  --dup-basename      recovery programs update/firehose/<boot image>, a
                      different file with the same basename as ..\\<boot image>
  --mixed-geometry    the MIBIB and patch file are those of the other layout
                      (other page size and partition map)
  --oversize IMAGE    IMAGE is one page larger than its (smallest) partition
  --overlap           recovery's <program> starts one block early, inside
                      boot (the two are adjacent in both layouts)
  --no-sbl            no <program> at sector 0 (its <erase> stays)
FILE is a path relative to the folder (/ or \\) or a unique basename.
Decoys are written in OUTDIR as <REVISION>-outside-<name>."""


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=FAULT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("outdir", metavar="OUTDIR",
                        help="parent directory; the folder is "
                             "OUTDIR/<REVISION>/")
    parser.add_argument("--layout", required=True, choices=sorted(LAYOUTS))
    parser.add_argument("--revision",
                        help="default EC25EFAR06A09M4G (ec25e) or "
                             "EG25GGBR07A08M2G (eg25g)")
    parser.add_argument("--subversion", default=DEFAULT_SUBVERSION,
                        help="default %(default)s")
    parser.add_argument("--full", action="store_true",
                        help="real-package sizes (ec25e: QFlash total "
                             "216027339 bytes)")
    parser.add_argument("--tiny", action="store_true",
                        help="images and programmer of %d bytes at most, for "
                             "recordings" % TINY_IMAGE_SIZE)
    parser.add_argument("--seed", type=int, default=1,
                        help="content seed (default %(default)s)")
    parser.add_argument("--no-labels", action="store_true",
                        help="omit label= like the real EG25 rawprogram")
    parser.add_argument("--force", action="store_true",
                        help="replace an existing OUTDIR/<REVISION>")
    faults = parser.add_argument_group("fault options (see below)")
    faults.add_argument("--bad-md5", metavar="FILE", action="append",
                        default=[])
    faults.add_argument("--missing", metavar="FILE", action="append",
                        default=[])
    for flag in ("--factory", "--efs-write", "--escape-path",
                 "--absolute-path", "--symlink-out", "--dup-basename",
                 "--mixed-geometry", "--overlap", "--no-sbl"):
        faults.add_argument(flag, action="store_true")
    faults.add_argument("--oversize", metavar="IMAGE")
    args = parser.parse_args(argv)
    if args.full and args.tiny:
        parser.error("--full and --tiny exclude each other")
    for value in (args.revision, args.subversion):
        if value is not None and not re.fullmatch(VERSION_PATTERN, value):
            parser.error("invalid revision or subversion: %r" % value)
    return args


def main(argv=None):
    args = parse_args(argv)
    layout = LAYOUTS[args.layout]()
    place_partitions(layout)
    os.makedirs(args.outdir, exist_ok=True)
    print(Generator(layout, args).run())
    return 0


if __name__ == "__main__":
    sys.exit(main())

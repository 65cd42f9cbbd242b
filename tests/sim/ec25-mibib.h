/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

/*
 * The MDM9607 NAND partition table (MIBIB, partition_complete_p*.mbn) as Qualcomm's
 * nand_mbn_generator.py writes it and tests/gen-vendor-folder.py reproduces it: four pages
 * (header, partition table, blank user table, CRC), all fields u32 little endian, unused
 * bytes 0xFF. See tests/vendor-folder.md.
 */

#define EC25_MIBIB_PAGES     4
#define EC25_MIBIB_NAME_SIZE 16

/* partition names as they are in the table */
#define EC25_MIBIB_NAME_SBL    "0:SBL"
#define EC25_MIBIB_NAME_MIBIB  "0:MIBIB"
#define EC25_MIBIB_NAME_EFS2   "0:EFS2"
#define EC25_MIBIB_NAME_TZ     "0:TZ"
#define EC25_MIBIB_NAME_RPM    "0:RPM"
#define EC25_MIBIB_NAME_ABOOT  "0:aboot"
#define EC25_MIBIB_NAME_BOOT   "0:boot"
#define EC25_MIBIB_NAME_MODEM  "0:modem"
#define EC25_MIBIB_NAME_SYSTEM "0:system"

typedef struct {
	gchar name[EC25_MIBIB_NAME_SIZE + 1]; /* always NUL terminated */
	guint32 start_block;
	guint32 num_blocks;
	guint8 attr[3];
	guint8 which_flash;
} Ec25MibibEntry;

/* the factory partition table of @model (EC25: EC25-E map, EG25: EG25-G map) on a flash of
 * @blocks erase blocks; the last partition grows to the end of the flash. @shift (or NULL)
 * names a partition (without "0:") made one block larger, the next one starting a block
 * later: the table of another variant of the model */
GArray *
ec25_mibib_factory_layout(const gchar *model, guint blocks, const gchar *shift, GError **error);

/* the four MIBIB pages for @entries */
GByteArray *
ec25_mibib_build(GArray *entries, guint page_size, GError **error);

/* parse four MIBIB pages; checks the magic numbers, versions, entry count and CRC */
GArray *
ec25_mibib_parse(const guint8 *buf, gsize bufsz, guint page_size, GError **error);

const Ec25MibibEntry *
ec25_mibib_find(GArray *entries, const gchar *name);

/* CRC-32 poly 0x04C11DB7, MSB first, init 0, no final XOR ("CRC32(0,N)" of the patch file) */
guint32
ec25_mibib_crc32(const guint8 *buf, gsize bufsz);

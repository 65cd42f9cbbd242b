/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "ec25-mibib.h"

#include <gio/gio.h>
#include <string.h>

#define EC25_MIBIB_MAGIC1	     0xFE569FACu
#define EC25_MIBIB_MAGIC2	     0xCD7F127Au
#define EC25_MIBIB_VERSION	     4u
#define EC25_MIBIB_AGE		     1u
#define EC25_MIBIB_PART_MAGIC1	     0x55EE73AAu
#define EC25_MIBIB_PART_MAGIC2	     0xE35EBDDBu
#define EC25_MIBIB_PART_VERSION	     4u
#define EC25_MIBIB_CRC_MAGIC1	     0x9D41BEA1u
#define EC25_MIBIB_CRC_MAGIC2	     0xF1DED2EAu
#define EC25_MIBIB_CRC_VERSION	     1u
#define EC25_MIBIB_CRC_POLY	     0x04C11DB7u
#define EC25_MIBIB_HEADER_SIZE	     16 /* four u32 */
#define EC25_MIBIB_ENTRY_SIZE	     28 /* name[16], offset, length, attr1..3, which_flash */
#define EC25_MIBIB_PAGE_HEADER	     0
#define EC25_MIBIB_PAGE_TABLE	     1
#define EC25_MIBIB_PAGE_CRC	     3
#define EC25_MIBIB_CRC_COVERED_PAGES 2 /* the CRC covers the header and table pages */
#define EC25_MIBIB_ERASED	     0xFF
#define EC25_MIBIB_ATTR_DEFAULT	     0x00
#define EC25_MIBIB_ATTR_NO_UPDATE    0xFF /* MIBIB and EFS2: ff/01/ff */
#define EC25_MIBIB_BLOCKS_GROW	     0	  /* the last partition takes the rest */

typedef struct {
	const gchar *name;
	guint32 blocks; /* EC25_MIBIB_BLOCKS_GROW for the last one */
	guint8 attr3;
} Ec25MibibFactoryPart;

/* tests/vendor-folder.md, "Partition maps": the EC25-E map (EC25EFAR06A01M4G) */
static const Ec25MibibFactoryPart ec25_mibib_layout_ec25e[] = {
    {"0:SBL", 10, EC25_MIBIB_ATTR_DEFAULT},
    {"0:MIBIB", 10, EC25_MIBIB_ATTR_NO_UPDATE},
    {"0:EFS2", 88, EC25_MIBIB_ATTR_NO_UPDATE},
    {"0:sys_rev", 20, EC25_MIBIB_ATTR_DEFAULT},
    {"0:RAWDATA", 12, EC25_MIBIB_ATTR_DEFAULT},
    {"0:TZ", 5, EC25_MIBIB_ATTR_DEFAULT},
    {"0:RPM", 6, EC25_MIBIB_ATTR_DEFAULT},
    {"0:aboot", 5, EC25_MIBIB_ATTR_DEFAULT},
    {"0:boot", 36, EC25_MIBIB_ATTR_DEFAULT},
    {"0:recovery", 36, EC25_MIBIB_ATTR_DEFAULT},
    {"0:image_back", 25, EC25_MIBIB_ATTR_DEFAULT},
    {"0:recoveryfs_B", 56, EC25_MIBIB_ATTR_DEFAULT},
    {"0:scrub", 66, EC25_MIBIB_ATTR_DEFAULT},
    {"0:modem", 248, EC25_MIBIB_ATTR_DEFAULT},
    {"0:misc", 5, EC25_MIBIB_ATTR_DEFAULT},
    {"0:recoveryfs", 120, EC25_MIBIB_ATTR_DEFAULT},
    {"0:qdsp6sw_B", 224, EC25_MIBIB_ATTR_DEFAULT},
    {"0:sys_back", 232, EC25_MIBIB_ATTR_DEFAULT},
    {"0:system", EC25_MIBIB_BLOCKS_GROW, EC25_MIBIB_ATTR_DEFAULT},
    {NULL, 0, 0},
};

/* the EG25-G map (EG25GGBR07A08M2G partition_nand.xml) */
static const Ec25MibibFactoryPart ec25_mibib_layout_eg25g[] = {
    {"0:SBL", 10, EC25_MIBIB_ATTR_DEFAULT},
    {"0:MIBIB", 10, EC25_MIBIB_ATTR_NO_UPDATE},
    {"0:EFS2", 136, EC25_MIBIB_ATTR_NO_UPDATE},
    {"0:sys_rev", 40, EC25_MIBIB_ATTR_DEFAULT},
    {"0:RAWDATA", 10, EC25_MIBIB_ATTR_DEFAULT},
    {"0:TZ", 12, EC25_MIBIB_ATTR_DEFAULT},
    {"0:RPM", 9, EC25_MIBIB_ATTR_DEFAULT},
    {"0:cust_info", 16, EC25_MIBIB_ATTR_DEFAULT},
    {"0:aboot", 12, EC25_MIBIB_ATTR_DEFAULT},
    {"0:boot", 62, EC25_MIBIB_ATTR_DEFAULT},
    {"0:recovery", 62, EC25_MIBIB_ATTR_DEFAULT},
    {"0:modem", 428, EC25_MIBIB_ATTR_DEFAULT},
    {"0:misc", 5, EC25_MIBIB_ATTR_DEFAULT},
    {"0:recoveryfs", 88, EC25_MIBIB_ATTR_DEFAULT},
    {"0:usr_data", 400, EC25_MIBIB_ATTR_DEFAULT},
    {"0:data", 172, EC25_MIBIB_ATTR_DEFAULT},
    {"0:sec", 4, EC25_MIBIB_ATTR_DEFAULT},
    {"0:system", EC25_MIBIB_BLOCKS_GROW, EC25_MIBIB_ATTR_DEFAULT},
    {NULL, 0, 0},
};

static void
ec25_mibib_write_u32(guint8 *buf, gsize offset, guint32 value)
{
	guint32 le = GUINT32_TO_LE(value);
	memcpy(buf + offset, &le, sizeof(le));
}

static guint32
ec25_mibib_read_u32(const guint8 *buf, gsize offset)
{
	guint32 le;
	memcpy(&le, buf + offset, sizeof(le));
	return GUINT32_FROM_LE(le);
}

guint32
ec25_mibib_crc32(const guint8 *buf, gsize bufsz)
{
	guint32 crc = 0;
	for (gsize i = 0; i < bufsz; i++) {
		crc ^= (guint32)buf[i] << 24;
		for (guint bit = 0; bit < 8; bit++)
			crc = (crc & 0x80000000u) ? (crc << 1) ^ EC25_MIBIB_CRC_POLY : crc << 1;
	}
	return crc;
}

/* @shift one block larger, the partition after it one block later and smaller */
static gboolean
ec25_mibib_shift(GArray *entries, const gchar *shift, GError **error)
{
	for (guint i = 0; i + 1 < entries->len; i++) {
		Ec25MibibEntry *entry = &g_array_index(entries, Ec25MibibEntry, i);
		Ec25MibibEntry *next = &g_array_index(entries, Ec25MibibEntry, i + 1);
		const gchar *name = strchr(entry->name, ':') != NULL ? strchr(entry->name, ':') + 1
								     : entry->name;
		if (g_ascii_strcasecmp(name, shift) != 0)
			continue;
		if (next->num_blocks < 2) {
			g_set_error(error,
				    G_IO_ERROR,
				    G_IO_ERROR_INVALID_ARGUMENT,
				    "%s cannot give a block to %s",
				    next->name,
				    entry->name);
			return FALSE;
		}
		entry->num_blocks++;
		next->start_block++;
		next->num_blocks--;
		return TRUE;
	}
	g_set_error(error,
		    G_IO_ERROR,
		    G_IO_ERROR_INVALID_ARGUMENT,
		    "no partition %s followed by another in the factory table",
		    shift);
	return FALSE;
}

GArray *
ec25_mibib_factory_layout(const gchar *model, guint blocks, const gchar *shift, GError **error)
{
	const Ec25MibibFactoryPart *parts = NULL;
	g_autoptr(GArray) entries = g_array_new(FALSE, TRUE, sizeof(Ec25MibibEntry));
	guint32 next = 0;

	if (g_strcmp0(model, "EC25") == 0)
		parts = ec25_mibib_layout_ec25e;
	else if (g_strcmp0(model, "EG25") == 0)
		parts = ec25_mibib_layout_eg25g;
	if (parts == NULL) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_NOT_SUPPORTED,
			    "no factory partition table for model %s",
			    model);
		return NULL;
	}
	for (guint i = 0; parts[i].name != NULL; i++) {
		Ec25MibibEntry entry = {.attr = {EC25_MIBIB_ERASED, 0x01, parts[i].attr3}};
		guint32 size = parts[i].blocks;
		if (size == EC25_MIBIB_BLOCKS_GROW)
			size = blocks > next ? blocks - next : 0;
		if (size == 0 || size > blocks - MIN(next, blocks)) {
			g_set_error(error,
				    G_IO_ERROR,
				    G_IO_ERROR_INVALID_ARGUMENT,
				    "%u blocks cannot hold the %s partition table (%s)",
				    blocks,
				    model,
				    parts[i].name);
			return NULL;
		}
		g_strlcpy(entry.name, parts[i].name, sizeof(entry.name));
		entry.start_block = next;
		entry.num_blocks = size;
		g_array_append_val(entries, entry);
		next += size;
	}
	if (shift != NULL && !ec25_mibib_shift(entries, shift, error))
		return NULL;
	return g_steal_pointer(&entries);
}

static gsize
ec25_mibib_max_entries(guint page_size)
{
	if (page_size < EC25_MIBIB_HEADER_SIZE)
		return 0;
	return (page_size - EC25_MIBIB_HEADER_SIZE) / EC25_MIBIB_ENTRY_SIZE;
}

static void
ec25_mibib_write_header(guint8 *page, guint32 magic1, guint32 magic2, guint32 v3, guint32 v4)
{
	ec25_mibib_write_u32(page, 0, magic1);
	ec25_mibib_write_u32(page, 4, magic2);
	ec25_mibib_write_u32(page, 8, v3);
	ec25_mibib_write_u32(page, 12, v4);
}

GByteArray *
ec25_mibib_build(GArray *entries, guint page_size, GError **error)
{
	g_autoptr(GByteArray) buf = g_byte_array_sized_new(EC25_MIBIB_PAGES * page_size);
	guint8 *table;

	if (entries->len == 0 || entries->len > ec25_mibib_max_entries(page_size)) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    "%u partitions do not fit a %u-byte page",
			    entries->len,
			    page_size);
		return NULL;
	}
	g_byte_array_set_size(buf, EC25_MIBIB_PAGES * page_size);
	memset(buf->data, EC25_MIBIB_ERASED, buf->len);
	ec25_mibib_write_header(buf->data + EC25_MIBIB_PAGE_HEADER * page_size,
				EC25_MIBIB_MAGIC1,
				EC25_MIBIB_MAGIC2,
				EC25_MIBIB_VERSION,
				EC25_MIBIB_AGE);
	table = buf->data + EC25_MIBIB_PAGE_TABLE * page_size;
	ec25_mibib_write_header(table,
				EC25_MIBIB_PART_MAGIC1,
				EC25_MIBIB_PART_MAGIC2,
				EC25_MIBIB_PART_VERSION,
				entries->len);
	for (guint i = 0; i < entries->len; i++) {
		const Ec25MibibEntry *entry = &g_array_index(entries, Ec25MibibEntry, i);
		guint8 *raw = table + EC25_MIBIB_HEADER_SIZE + i * EC25_MIBIB_ENTRY_SIZE;
		memset(raw, 0, EC25_MIBIB_NAME_SIZE);
		memcpy(raw, entry->name, strnlen(entry->name, EC25_MIBIB_NAME_SIZE));
		ec25_mibib_write_u32(raw, 16, entry->start_block);
		ec25_mibib_write_u32(raw, 20, entry->num_blocks);
		memcpy(raw + 24, entry->attr, sizeof(entry->attr));
		raw[27] = entry->which_flash;
	}
	ec25_mibib_write_header(
	    buf->data + EC25_MIBIB_PAGE_CRC * page_size,
	    EC25_MIBIB_CRC_MAGIC1,
	    EC25_MIBIB_CRC_MAGIC2,
	    EC25_MIBIB_CRC_VERSION,
	    ec25_mibib_crc32(buf->data, EC25_MIBIB_CRC_COVERED_PAGES * page_size));
	return g_steal_pointer(&buf);
}

static gboolean
ec25_mibib_check_header(const guint8 *page,
			guint32 magic1,
			guint32 magic2,
			guint32 version,
			const gchar *what,
			GError **error)
{
	if (ec25_mibib_read_u32(page, 0) != magic1 || ec25_mibib_read_u32(page, 4) != magic2) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_DATA,
			    "MIBIB %s page: bad magic 0x%08x 0x%08x",
			    what,
			    ec25_mibib_read_u32(page, 0),
			    ec25_mibib_read_u32(page, 4));
		return FALSE;
	}
	if (ec25_mibib_read_u32(page, 8) != version) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_DATA,
			    "MIBIB %s page: version %u, expected %u",
			    what,
			    ec25_mibib_read_u32(page, 8),
			    version);
		return FALSE;
	}
	return TRUE;
}

static gboolean
ec25_mibib_check_crc(const guint8 *buf, guint page_size, GError **error)
{
	const guint8 *crc_page = buf + EC25_MIBIB_PAGE_CRC * page_size;
	guint32 stored;
	guint32 actual;

	if (!ec25_mibib_check_header(crc_page,
				     EC25_MIBIB_CRC_MAGIC1,
				     EC25_MIBIB_CRC_MAGIC2,
				     EC25_MIBIB_CRC_VERSION,
				     "CRC",
				     error))
		return FALSE;
	stored = ec25_mibib_read_u32(crc_page, 12);
	actual = ec25_mibib_crc32(buf, EC25_MIBIB_CRC_COVERED_PAGES * page_size);
	if (stored != actual) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_DATA,
			    "MIBIB CRC 0x%08x does not match its pages (0x%08x)",
			    stored,
			    actual);
		return FALSE;
	}
	return TRUE;
}

GArray *
ec25_mibib_parse(const guint8 *buf, gsize bufsz, guint page_size, GError **error)
{
	const guint8 *table;
	guint32 count;
	g_autoptr(GArray) entries = g_array_new(FALSE, TRUE, sizeof(Ec25MibibEntry));

	if (page_size < EC25_MIBIB_HEADER_SIZE || bufsz < (gsize)EC25_MIBIB_PAGES * page_size) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_DATA,
			    "MIBIB needs %u pages of %u bytes",
			    (guint)EC25_MIBIB_PAGES,
			    page_size);
		return NULL;
	}
	if (!ec25_mibib_check_header(buf + EC25_MIBIB_PAGE_HEADER * page_size,
				     EC25_MIBIB_MAGIC1,
				     EC25_MIBIB_MAGIC2,
				     EC25_MIBIB_VERSION,
				     "header",
				     error))
		return NULL;
	table = buf + EC25_MIBIB_PAGE_TABLE * page_size;
	if (!ec25_mibib_check_header(table,
				     EC25_MIBIB_PART_MAGIC1,
				     EC25_MIBIB_PART_MAGIC2,
				     EC25_MIBIB_PART_VERSION,
				     "partition table",
				     error))
		return NULL;
	if (!ec25_mibib_check_crc(buf, page_size, error))
		return NULL;
	count = ec25_mibib_read_u32(table, 12);
	if (count == 0 || count > ec25_mibib_max_entries(page_size)) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_DATA,
			    "MIBIB holds an invalid number of partitions: %u",
			    count);
		return NULL;
	}
	for (guint32 i = 0; i < count; i++) {
		const guint8 *raw = table + EC25_MIBIB_HEADER_SIZE + i * EC25_MIBIB_ENTRY_SIZE;
		Ec25MibibEntry entry = {0};
		memcpy(entry.name, raw, EC25_MIBIB_NAME_SIZE);
		entry.start_block = ec25_mibib_read_u32(raw, 16);
		entry.num_blocks = ec25_mibib_read_u32(raw, 20);
		memcpy(entry.attr, raw + 24, sizeof(entry.attr));
		entry.which_flash = raw[27];
		g_array_append_val(entries, entry);
	}
	return g_steal_pointer(&entries);
}

const Ec25MibibEntry *
ec25_mibib_find(GArray *entries, const gchar *name)
{
	for (guint i = 0; i < entries->len; i++) {
		const Ec25MibibEntry *entry = &g_array_index(entries, Ec25MibibEntry, i);
		if (g_strcmp0(entry->name, name) == 0)
			return entry;
	}
	return NULL;
}

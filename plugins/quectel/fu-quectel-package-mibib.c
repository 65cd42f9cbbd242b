/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * partition_complete_p*.mbn: the MIBIB partition table that an update programs.
 */

#include "config.h"

#include <string.h>

#include "fu-quectel-package-mibib.h"
#include "fu-quectel-package-struct.h"
#include "fu-quectel-package-text.h"

#define FU_QUECTEL_PACKAGE_KIB			1024
#define FU_QUECTEL_PACKAGE_PAGE_KIB_MAX		16
#define FU_QUECTEL_PACKAGE_BLOCKS_MAX		65536
#define FU_QUECTEL_PACKAGE_MIBIB_HEADER_VER_MAX 4
#define FU_QUECTEL_PACKAGE_MIBIB_VERSION_V3	3
#define FU_QUECTEL_PACKAGE_MIBIB_VERSION_V4	4

void
fu_quectel_package_mibib_free(FuQuectelPackageMibib *self)
{
	if (self->partitions != NULL)
		g_ptr_array_unref(self->partitions);
	g_free(self);
}

/* the name field: printable ASCII, then NUL padding to 16 bytes */
static gchar *
fu_quectel_package_mibib_parse_name(const guint8 *buf, gsize offset, GError **error)
{
	gsize len = 0;
	g_autoptr(GString) str = g_string_new(NULL);

	while (len < FU_STRUCT_QUECTEL_MIBIB_ENTRY_SIZE_NAME && buf[offset + len] != '\0') {
		if (!g_ascii_isgraph(buf[offset + len])) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "invalid byte 0x%02x in the partition name",
				    buf[offset + len]);
			return NULL;
		}
		g_string_append_c(str, (gchar)buf[offset + len]);
		len++;
	}
	if (len == 0) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "empty partition name");
		return NULL;
	}
	for (gsize i = len; i < FU_STRUCT_QUECTEL_MIBIB_ENTRY_SIZE_NAME; i++) {
		if (buf[offset + i] != '\0') {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "partition name %s is followed by byte 0x%02x, expected NUL "
				    "padding",
				    str->str,
				    buf[offset + i]);
			return NULL;
		}
	}
	return g_string_free(g_steal_pointer(&str), FALSE);
}

static FuQuectelPackagePartition *
fu_quectel_package_mibib_parse_entry(GBytes *blob, gsize offset, gboolean is_last, GError **error)
{
	const guint8 *buf = g_bytes_get_data(blob, NULL);
	guint32 length;
	g_autoptr(FuStructQuectelMibibEntry) st = NULL;
	g_autoptr(FuQuectelPackagePartition) part = g_new0(FuQuectelPackagePartition, 1);

	st = fu_struct_quectel_mibib_entry_parse_bytes(blob, offset, error);
	if (st == NULL)
		return NULL;
	part->name = fu_quectel_package_mibib_parse_name(buf, offset, error);
	if (part->name == NULL)
		return NULL;
	part->start_block = fu_struct_quectel_mibib_entry_get_offset(st);
	part->attr1 = fu_struct_quectel_mibib_entry_get_attr1(st);
	part->attr2 = fu_struct_quectel_mibib_entry_get_attr2(st);
	part->attr3 = fu_struct_quectel_mibib_entry_get_attr3(st);
	part->which_flash = fu_struct_quectel_mibib_entry_get_which_flash(st);
	length = fu_struct_quectel_mibib_entry_get_length(st);
	if (length == FU_QUECTEL_PACKAGE_MIBIB_LENGTH_GROW) {
		if (!is_last) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "partition %s takes the rest of the flash but is not the last",
				    part->name);
			return NULL;
		}
		if (part->start_block >= FU_QUECTEL_PACKAGE_BLOCKS_MAX) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "partition %s takes the rest of the flash from block 0x%x, "
				    "expected a start below block 0x%x",
				    part->name,
				    part->start_block,
				    (guint)FU_QUECTEL_PACKAGE_BLOCKS_MAX);
			return NULL;
		}
		part->grow = TRUE;
		return g_steal_pointer(&part);
	}
	if (length == 0 || (guint64)part->start_block + length > FU_QUECTEL_PACKAGE_BLOCKS_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "partition %s has offset 0x%x and length 0x%x blocks, expected a "
			    "non-empty partition below block 0x%x",
			    part->name,
			    part->start_block,
			    length,
			    (guint)FU_QUECTEL_PACKAGE_BLOCKS_MAX);
		return NULL;
	}
	part->num_blocks = length;
	return g_steal_pointer(&part);
}

/* the table is at offset 0, or at page 1 after a mi_boot_info header page */
static gboolean
fu_quectel_package_mibib_find_table(FuQuectelPackageMibib *self,
				    GBytes *blob,
				    guint32 page_size,
				    GError **error)
{
	g_autoptr(FuStructQuectelMibibHeader) st_hdr = NULL;

	if (fu_struct_quectel_mibib_table_validate_bytes(blob, 0x0, NULL)) {
		self->table_offset = 0;
		return TRUE;
	}
	st_hdr = fu_struct_quectel_mibib_header_parse_bytes(blob, 0x0, NULL);
	if (st_hdr == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "no partition table magic 0x%x or MIBIB header magic 0x%x at offset "
			    "0x0",
			    (guint)FU_STRUCT_QUECTEL_MIBIB_TABLE_DEFAULT_MAGIC1,
			    (guint)FU_STRUCT_QUECTEL_MIBIB_HEADER_DEFAULT_MAGIC1);
		return FALSE;
	}
	self->has_header = TRUE;
	self->header_version = fu_struct_quectel_mibib_header_get_version(st_hdr);
	self->header_age = fu_struct_quectel_mibib_header_get_age(st_hdr);
	if (self->header_version == 0 ||
	    self->header_version > FU_QUECTEL_PACKAGE_MIBIB_HEADER_VER_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "unsupported MIBIB header version %u, expected 1 to %u",
			    self->header_version,
			    (guint)FU_QUECTEL_PACKAGE_MIBIB_HEADER_VER_MAX);
		return FALSE;
	}

	/* page 1: at the given page size, or at each supported page size in turn */
	for (guint32 ps = FU_QUECTEL_PACKAGE_KIB;
	     ps <= FU_QUECTEL_PACKAGE_PAGE_KIB_MAX * FU_QUECTEL_PACKAGE_KIB;
	     ps *= 2) {
		if (page_size != 0 && ps != page_size)
			continue;
		if (fu_struct_quectel_mibib_table_validate_bytes(blob, ps, NULL)) {
			self->table_offset = ps;
			return TRUE;
		}
	}
	if (page_size != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "header found but no partition table magic 0x%x at page 1 "
			    "(offset 0x%x)",
			    (guint)FU_STRUCT_QUECTEL_MIBIB_TABLE_DEFAULT_MAGIC1,
			    page_size);
		return FALSE;
	}
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_INVALID_DATA,
		    "header found but no partition table magic 0x%x at page 1 for any page "
		    "size from 0x%x to 0x%x",
		    (guint)FU_STRUCT_QUECTEL_MIBIB_TABLE_DEFAULT_MAGIC1,
		    (guint)FU_QUECTEL_PACKAGE_KIB,
		    (guint)(FU_QUECTEL_PACKAGE_PAGE_KIB_MAX * FU_QUECTEL_PACKAGE_KIB));
	return FALSE;
}

static gboolean
fu_quectel_package_mibib_parse_table(FuQuectelPackageMibib *self, GBytes *blob, GError **error)
{
	guint32 numparts;
	guint numparts_max;
	gsize entries_end;
	g_autoptr(FuStructQuectelMibibTable) st = NULL;

	st = fu_struct_quectel_mibib_table_parse_bytes(blob, self->table_offset, error);
	if (st == NULL)
		return FALSE;
	self->version = fu_struct_quectel_mibib_table_get_version(st);
	if (self->version == FU_QUECTEL_PACKAGE_MIBIB_VERSION_V3) {
		numparts_max = FU_QUECTEL_PACKAGE_PARTITIONS_V3_MAX;
	} else if (self->version == FU_QUECTEL_PACKAGE_MIBIB_VERSION_V4) {
		numparts_max = FU_QUECTEL_PACKAGE_PARTITIONS_MAX;
	} else {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "unsupported partition table version %u at offset 0x%x, expected %u "
			    "or %u",
			    self->version,
			    (guint)self->table_offset,
			    (guint)FU_QUECTEL_PACKAGE_MIBIB_VERSION_V3,
			    (guint)FU_QUECTEL_PACKAGE_MIBIB_VERSION_V4);
		return FALSE;
	}
	numparts = fu_struct_quectel_mibib_table_get_numparts(st);
	if (numparts == 0 || numparts > numparts_max) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%u partitions at offset 0x%x, expected 1 to %u for version %u",
			    numparts,
			    (guint)self->table_offset,
			    numparts_max,
			    self->version);
		return FALSE;
	}

	/* after a header the table has to fit in its page */
	entries_end = self->table_offset + FU_STRUCT_QUECTEL_MIBIB_TABLE_SIZE +
		      (gsize)numparts * FU_STRUCT_QUECTEL_MIBIB_ENTRY_SIZE;
	if (self->has_header && entries_end > 2 * self->table_offset) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%u partitions do not fit in the 0x%x byte page at offset 0x%x",
			    numparts,
			    (guint)self->table_offset,
			    (guint)self->table_offset);
		return FALSE;
	}
	if (entries_end > g_bytes_get_size(blob)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "truncated: %u partitions need 0x%x bytes but the file has 0x%x",
			    numparts,
			    (guint)entries_end,
			    (guint)g_bytes_get_size(blob));
		return FALSE;
	}
	for (guint i = 0; i < numparts; i++) {
		gsize offset = self->table_offset + FU_STRUCT_QUECTEL_MIBIB_TABLE_SIZE +
			       (gsize)i * FU_STRUCT_QUECTEL_MIBIB_ENTRY_SIZE;
		FuQuectelPackagePartition *part =
		    fu_quectel_package_mibib_parse_entry(blob, offset, i == numparts - 1, error);
		if (part == NULL ||
		    !fu_quectel_package_partition_add(self->partitions, part, error)) {
			g_prefix_error(error, "entry #%u at offset 0x%x: ", i, (guint)offset);
			return FALSE;
		}
	}
	return TRUE;
}

/**
 * fu_quectel_package_mibib_parse_bytes:
 * @blob: the contents of partition_complete_p*.mbn
 * @page_size: the NAND page size, or 0 to try each supported page size
 * @error: (nullable): optional return location for an error
 *
 * Parses the Qualcomm NAND system partition table (magic 0x55EE73AA 0xE35EBDDB), either at
 * offset 0 or at page 1 after a MIBIB header page (magic 0xFE569FAC 0xCD7F127A).
 *
 * Returns: (transfer full): a #FuQuectelPackageMibib, or %NULL on error
 **/
FuQuectelPackageMibib *
fu_quectel_package_mibib_parse_bytes(GBytes *blob, guint32 page_size, GError **error)
{
	gsize bufsz = g_bytes_get_size(blob);
	g_autoptr(FuQuectelPackageMibib) self = g_new0(FuQuectelPackageMibib, 1);

	self->partitions =
	    g_ptr_array_new_with_free_func((GDestroyNotify)fu_quectel_package_partition_free);
	if (bufsz > FU_QUECTEL_PACKAGE_MIBIB_SIZE_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "MIBIB: file is 0x%x bytes, the limit is 0x%x",
			    (guint)bufsz,
			    (guint)FU_QUECTEL_PACKAGE_MIBIB_SIZE_MAX);
		return NULL;
	}
	if (page_size != 0 &&
	    (!fu_quectel_package_text_is_pow2(page_size) || page_size < FU_QUECTEL_PACKAGE_KIB ||
	     page_size > FU_QUECTEL_PACKAGE_PAGE_KIB_MAX * FU_QUECTEL_PACKAGE_KIB)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "MIBIB: unsupported page size 0x%x",
			    page_size);
		return NULL;
	}
	if (!fu_quectel_package_mibib_find_table(self, blob, page_size, error) ||
	    !fu_quectel_package_mibib_parse_table(self, blob, error)) {
		g_prefix_error_literal(error, "MIBIB: ");
		return NULL;
	}
	return g_steal_pointer(&self);
}

/**
 * fu_quectel_package_mibib_parse:
 * @buf: the contents of partition_complete_p*.mbn
 * @bufsz: size of @buf
 * @page_size: the NAND page size, or 0 to try each supported page size
 * @error: (nullable): optional return location for an error
 *
 * Returns: (transfer full): a #FuQuectelPackageMibib, or %NULL on error
 **/
FuQuectelPackageMibib *
fu_quectel_package_mibib_parse(const guint8 *buf, gsize bufsz, guint32 page_size, GError **error)
{
	g_autoptr(GBytes) blob = NULL;
	g_return_val_if_fail(buf != NULL || bufsz == 0, NULL);
	blob = g_bytes_new_static(buf, bufsz);
	return fu_quectel_package_mibib_parse_bytes(blob, page_size, error);
}

/**
 * fu_quectel_package_mibib_check_partitions:
 * @self: a #FuQuectelPackageMibib
 * @partitions: (element-type FuQuectelPackagePartition): e.g. from partition_nand.xml
 * @error: (nullable): optional return location for an error
 *
 * Checks that the MIBIB has the same partitions, in the same order, at the same blocks.
 * The length of a growing last partition is compared only if both sides know it.
 *
 * Returns: %TRUE if they match
 **/
gboolean
fu_quectel_package_mibib_check_partitions(const FuQuectelPackageMibib *self,
					  GPtrArray *partitions,
					  GError **error)
{
	if (self->partitions->len != partitions->len) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "MIBIB has %u partitions, expected %u",
			    self->partitions->len,
			    partitions->len);
		return FALSE;
	}
	for (guint i = 0; i < partitions->len; i++) {
		FuQuectelPackagePartition *part1 = g_ptr_array_index(self->partitions, i);
		FuQuectelPackagePartition *part2 = g_ptr_array_index(partitions, i);
		gboolean known = part1->num_blocks != 0 && part2->num_blocks != 0;
		if (g_strcmp0(part1->name, part2->name) != 0 ||
		    part1->start_block != part2->start_block ||
		    (known && part1->num_blocks != part2->num_blocks)) {
			g_set_error(
			    error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "MIBIB entry #%u is %s at block 0x%x length 0x%x, expected %s at "
			    "block 0x%x length 0x%x",
			    i,
			    part1->name,
			    part1->start_block,
			    part1->num_blocks,
			    part2->name,
			    part2->start_block,
			    part2->num_blocks);
			return FALSE;
		}
	}
	return TRUE;
}

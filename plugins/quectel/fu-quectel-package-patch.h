/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

/* the most patches of a patch XML */
#define FU_QUECTEL_PACKAGE_PATCHES_MAX 64
/* the filename of a <patch> that is applied to the device, not to a file */
#define FU_QUECTEL_PACKAGE_PATCH_FILENAME_DISK "DISK"

/**
 * FuQuectelPackagePatch:
 *
 * One `<patch>` element of a patch XML file.
 **/
typedef struct {
	guint32 sector_size; /* SECTOR_SIZE_IN_BYTES */
	guint64 byte_offset; /* within the sector */
	gchar *filename;     /* DISK, or a file such as partition_complete_p2K_b128K.mbn */
	guint32 physical_partition_number; /* always 0 on NAND */
	guint32 size_in_bytes;		   /* 1 to 8 */
	gchar *start_sector;		   /* as written: 1, or NUM_DISK_SECTORS-33. */
	guint64 start_sector_value;	   /* only valid if start_sector_is_numeric */
	gboolean start_sector_is_numeric;
	gchar *value; /* as written: CRC32(0,4096) */
	gchar *what;  /* or NULL */
} FuQuectelPackagePatch;

void
fu_quectel_package_patch_free(FuQuectelPackagePatch *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelPackagePatch, fu_quectel_package_patch_free)

GPtrArray *
fu_quectel_package_patch_parse(const gchar *buf,
			       gsize bufsz,
			       GError **error) G_GNUC_WARN_UNUSED_RESULT;
GPtrArray *
fu_quectel_package_patch_parse_bytes(GBytes *blob, GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1);
gboolean
fu_quectel_package_patch_is_disk(const FuQuectelPackagePatch *self) G_GNUC_NON_NULL(1);

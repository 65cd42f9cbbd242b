/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

#include "fu-quectel-package-partition.h"

/* the largest partition_complete_p*.mbn we accept */
#define FU_QUECTEL_PACKAGE_MIBIB_SIZE_MAX (1024 * 1024)
/* the MIBIB value of a partition length that takes the rest of the flash */
#define FU_QUECTEL_PACKAGE_MIBIB_LENGTH_GROW G_MAXUINT32
/* the most partitions of a version 3 MIBIB */
#define FU_QUECTEL_PACKAGE_PARTITIONS_V3_MAX 16

/**
 * FuQuectelPackageMibib:
 *
 * The system partition table of a MIBIB image (partition_complete_p*.mbn).
 **/
typedef struct {
	gsize table_offset;  /* byte offset of the 0x55EE73AA table */
	gboolean has_header; /* a 0xFE569FAC mi_boot_info page precedes the table */
	guint32 header_version;
	guint32 header_age;
	guint32 version;       /* partition table version: 3 or 4 */
	GPtrArray *partitions; /* of FuQuectelPackagePartition, in flash order */
} FuQuectelPackageMibib;

void
fu_quectel_package_mibib_free(FuQuectelPackageMibib *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelPackageMibib, fu_quectel_package_mibib_free)

FuQuectelPackageMibib *
fu_quectel_package_mibib_parse(const guint8 *buf, gsize bufsz, guint32 page_size, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;
FuQuectelPackageMibib *
fu_quectel_package_mibib_parse_bytes(GBytes *blob,
				     guint32 page_size,
				     GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1);
gboolean
fu_quectel_package_mibib_check_partitions(const FuQuectelPackageMibib *self,
					  GPtrArray *partitions,
					  GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1, 2);
gboolean
fu_quectel_package_mibib_check_total_blocks(const FuQuectelPackageMibib *self,
					    guint32 total_blocks,
					    GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1);

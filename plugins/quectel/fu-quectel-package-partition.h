/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

/* the most partitions of partition_nand.xml or of a version 4 MIBIB */
#define FU_QUECTEL_PACKAGE_PARTITIONS_MAX 48
/* the longest partition name, the size of the MIBIB name field */
#define FU_QUECTEL_PACKAGE_PARTITION_NAME_LEN_MAX 16

/**
 * FuQuectelPackagePartition:
 *
 * One NAND partition, from partition_nand.xml or from a MIBIB.
 **/
typedef struct {
	gchar *name;	     /* as written: 0:SBL */
	guint32 start_block; /* in erase blocks from block 0 */
	guint32 num_blocks;  /* including padding; 0 if grow and the flash size is unknown */
	gboolean grow;	     /* takes the rest of the flash (last partition only) */
	guint8 attr1;
	guint8 attr2;
	guint8 attr3;
	guint8 which_flash;
	gchar *img_name; /* partition_nand.xml only: sbl1.mbn, or NULL */
} FuQuectelPackagePartition;

void
fu_quectel_package_partition_free(FuQuectelPackagePartition *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelPackagePartition, fu_quectel_package_partition_free)

FuQuectelPackagePartition *
fu_quectel_package_partition_find(GPtrArray *partitions, const gchar *name) G_GNUC_NON_NULL(1, 2);
/* the partition the MIBIB (partition table) image is programmed into, less its flash prefix */
#define FU_QUECTEL_PACKAGE_MIBIB_NAME "mibib"

FuQuectelPackagePartition *
fu_quectel_package_partition_find_bare(GPtrArray *partitions, const gchar *name)
    G_GNUC_NON_NULL(1, 2);

gboolean
fu_quectel_package_partition_add(GPtrArray *partitions,
				 FuQuectelPackagePartition *part,
				 GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean
fu_quectel_package_partition_check_name(const gchar *name,
					GError **error) G_GNUC_WARN_UNUSED_RESULT;

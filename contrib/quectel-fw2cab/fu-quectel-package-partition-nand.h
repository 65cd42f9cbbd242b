/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

#include "fu-quectel-package-geometry.h"
#include "fu-quectel-package-partition.h"

/**
 * FuQuectelPackagePartitionNand:
 *
 * The QPST partition file update/partition_nand.xml, laid out for one geometry.
 **/
typedef struct {
	guint32 version;       /* <partition_version>, 0 if absent */
	GPtrArray *partitions; /* of FuQuectelPackagePartition, in flash order */
} FuQuectelPackagePartitionNand;

void
fu_quectel_package_partition_nand_free(FuQuectelPackagePartitionNand *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelPackagePartitionNand, fu_quectel_package_partition_nand_free)

FuQuectelPackagePartitionNand *
fu_quectel_package_partition_nand_parse(const gchar *buf,
					gsize bufsz,
					const FuQuectelPackageGeometry *geometry,
					guint32 total_blocks,
					GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(3);
FuQuectelPackagePartitionNand *
fu_quectel_package_partition_nand_parse_bytes(GBytes *blob,
					      const FuQuectelPackageGeometry *geometry,
					      guint32 total_blocks,
					      GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1, 2);

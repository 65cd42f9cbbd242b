/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

#include "fu-quectel-package-geometry.h"
#include "fu-quectel-package-op.h"

/* the most erase/program operations of a rawprogram XML */
#define FU_QUECTEL_PACKAGE_OPS_MAX 512

/**
 * FuQuectelPackageRawprogram:
 *
 * A rawprogram XML file in document order; document order is not an execution order.
 **/
typedef struct {
	GPtrArray *ops;		 /* of FuQuectelPackageOp */
	guint32 sector_size;	 /* shared by every checked op */
	guint32 pages_per_block; /* shared by every op that has it, or 0 */
} FuQuectelPackageRawprogram;

void
fu_quectel_package_rawprogram_free(FuQuectelPackageRawprogram *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelPackageRawprogram, fu_quectel_package_rawprogram_free)

FuQuectelPackageRawprogram *
fu_quectel_package_rawprogram_parse(const gchar *buf,
				    gsize bufsz,
				    GError **error) G_GNUC_WARN_UNUSED_RESULT;
FuQuectelPackageRawprogram *
fu_quectel_package_rawprogram_parse_bytes(GBytes *blob, GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1);
gboolean
fu_quectel_package_rawprogram_check_geometry(const FuQuectelPackageRawprogram *self,
					     const FuQuectelPackageGeometry *geometry,
					     GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1, 2);
gboolean
fu_quectel_package_rawprogram_check_partitions(const FuQuectelPackageRawprogram *self,
					       const FuQuectelPackageGeometry *geometry,
					       GPtrArray *partitions,
					       GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1, 2, 3);

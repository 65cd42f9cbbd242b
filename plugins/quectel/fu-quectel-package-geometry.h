/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

/**
 * FuQuectelPackageGeometry:
 *
 * A NAND geometry, as encoded in file names such as `rawprogram_nand_p2K_b128K_update.xml`.
 * On NAND a firehose "sector" is one page.
 **/
typedef struct {
	guint32 page_size;	 /* bytes, also SECTOR_SIZE_IN_BYTES: 2048 */
	guint32 block_size;	 /* bytes, one erase block: 131072 */
	guint32 pages_per_block; /* also PAGES_PER_BLOCK: 64 */
} FuQuectelPackageGeometry;

gboolean
fu_quectel_package_geometry_parse(const gchar *filename,
				  FuQuectelPackageGeometry *geometry,
				  GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1, 2);
gchar *
fu_quectel_package_geometry_to_string(const FuQuectelPackageGeometry *geometry) G_GNUC_NON_NULL(1);
gboolean
fu_quectel_package_geometry_equal(const FuQuectelPackageGeometry *geometry1,
				  const FuQuectelPackageGeometry *geometry2) G_GNUC_NON_NULL(1, 2);
gboolean
fu_quectel_package_geometry_check_sector(const FuQuectelPackageGeometry *geometry,
					 guint32 sector_size,
					 guint32 pages_per_block,
					 GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1);
gboolean
fu_quectel_package_geometry_get_total_blocks(const FuQuectelPackageGeometry *geometry,
					     guint flash_gbit,
					     guint32 *total_blocks,
					     GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1, 3);

/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

/**
 * FuQuectelPackageContents:
 *
 * What is useful in the QPST meta file contents.xml.
 **/
typedef struct {
	gchar *chipid;		      /* product_info/chipid, or the build chipset: MDM9607 */
	gchar *product_name;	      /* MDM9607.LE.1.0, or NULL */
	gchar *partition_file;	      /* update/partition_nand.xml, or NULL */
	GPtrArray *flash_programmers; /* of gchar: update/NPRG9x07.mbn */
	GPtrArray *download_files;    /* of gchar: update/sbl1.mbn */
} FuQuectelPackageContents;

void
fu_quectel_package_contents_free(FuQuectelPackageContents *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelPackageContents, fu_quectel_package_contents_free)

FuQuectelPackageContents *
fu_quectel_package_contents_parse(const gchar *buf,
				  gsize bufsz,
				  GError **error) G_GNUC_WARN_UNUSED_RESULT;
FuQuectelPackageContents *
fu_quectel_package_contents_parse_bytes(GBytes *blob, GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1);
gboolean
fu_quectel_package_contents_check_chipid(const FuQuectelPackageContents *self,
					 const gchar *chipid,
					 GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1, 2);

/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupd.h>

#include "fu-quectel-package-geometry.h"
#include "fu-quectel-package-mibib.h"
#include "fu-quectel-package-patch.h"
#include "fu-quectel-package-rawprogram.h"

/*
 * The safety rules a Firehose payload must pass before anything touches a module. The cab
 * converter applies them to a vendor folder and FuQuectelFirmware to the payload of a cab,
 * which may come from elsewhere. Every error names the file and the rule:
 * `FILE: RULE: detail`.
 */

/* the rules, as they appear in error messages */
#define FU_QUECTEL_PACKAGE_CHECK_RULE_FACTORY	"factory package"
#define FU_QUECTEL_PACKAGE_CHECK_RULE_GEOMETRY	"mixed geometry"
#define FU_QUECTEL_PACKAGE_CHECK_RULE_SBL	"no SBL"
#define FU_QUECTEL_PACKAGE_CHECK_RULE_OVERLAP	"overlapping programs"
#define FU_QUECTEL_PACKAGE_CHECK_RULE_PROTECTED "protected partition"
#define FU_QUECTEL_PACKAGE_CHECK_RULE_MAP	"partition map"
#define FU_QUECTEL_PACKAGE_CHECK_RULE_IMAGE	"image does not fit"
#define FU_QUECTEL_PACKAGE_CHECK_RULE_MISSING	"missing image"
#define FU_QUECTEL_PACKAGE_CHECK_RULE_PATCH	"patch"
#define FU_QUECTEL_PACKAGE_CHECK_RULE_PROJECT	"wrong project"
#define FU_QUECTEL_PACKAGE_CHECK_RULE_PLAN	"update plan"
#define FU_QUECTEL_PACKAGE_CHECK_RULE_VENDOR	"vendor line"

/**
 * FuQuectelPackageCheckInput:
 *
 * What a payload consists of, parsed. The file names are those shown in error messages: a
 * path inside the vendor folder or an entry of the payload zip.
 **/
typedef struct {
	const gchar *programmer_fn; /* the Firehose programmer: prog_nand_firehose_9x07.mbn */
	const gchar *rawprogram_fn; /* rawprogram_nand_p4K_b256K_update.xml */
	const FuQuectelPackageRawprogram *rawprogram;
	const gchar *patch_fn; /* patch_p4K_b256K.xml, or NULL */
	GPtrArray *patches;    /* of FuQuectelPackagePatch, or NULL */
	const gchar *mibib_fn; /* partition_complete_p4K_b256K.mbn */
	const FuQuectelPackageMibib *mibib;
	GHashTable *image_sizes; /* basename → guint64 size of every file of the payload */
	const gchar *project;	 /* model and variant from the version, e.g. EC25EFA, or NULL */
} FuQuectelPackageCheckInput;

gboolean
fu_quectel_package_check_is_protected(const gchar *partition_name) G_GNUC_NON_NULL(1);
gboolean
fu_quectel_package_check_filename(const gchar *filename, GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1);
gboolean
fu_quectel_package_check_geometry(const FuQuectelPackageCheckInput *input,
				  FuQuectelPackageGeometry *geometry,
				  GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1, 2);
GPtrArray *
fu_quectel_package_check_run(const FuQuectelPackageCheckInput *input,
			     FuQuectelPackageGeometry *geometry,
			     GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1, 2);
GHashTable *
fu_quectel_package_check_image_sizes_new(void) G_GNUC_WARN_UNUSED_RESULT;
void
fu_quectel_package_check_image_sizes_add(GHashTable *image_sizes,
					 const gchar *basename,
					 guint64 size) G_GNUC_NON_NULL(1, 2);

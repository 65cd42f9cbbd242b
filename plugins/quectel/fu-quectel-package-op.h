/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

#include "fu-quectel-package-struct.h"
#include "fu-quectel-package-xml.h"

/**
 * FuQuectelPackageOp:
 *
 * One `<erase>` or `<program>` element of a rawprogram XML file.
 **/
typedef struct {
	FuQuectelPackageOpKind kind;
	guint index;			   /* 0-based position among the children of <data> */
	guint line;			   /* 1-based line of the element in the file */
	gchar *filename;		   /* as written, e.g. ..\sbl1.mbn, or NULL */
	gchar *basename;		   /* sbl1.mbn, or NULL if filename is NULL or "" */
	gchar *label;			   /* or NULL */
	guint64 start_sector;		   /* in pages */
	guint64 num_partition_sectors;	   /* in pages */
	guint32 sector_size;		   /* SECTOR_SIZE_IN_BYTES */
	guint32 pages_per_block;	   /* PAGES_PER_BLOCK, 0 if absent */
	guint32 physical_partition_number; /* always 0 on NAND */
	gboolean is_vendor;		   /* vendor="quectel": send verbatim, numbers unchecked */
	gboolean is_empty_filename;	   /* a <program filename=""> the engine skips */
	GPtrArray *attrs;		   /* of FuQuectelPackageAttr, in document order */
} FuQuectelPackageOp;

void
fu_quectel_package_op_free(FuQuectelPackageOp *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelPackageOp, fu_quectel_package_op_free)

const gchar *
fu_quectel_package_op_get_attr(const FuQuectelPackageOp *self, const gchar *name)
    G_GNUC_NON_NULL(1, 2);

FuQuectelPackageOp *
fu_quectel_package_op_parse(XbNode *xn,
			    FuQuectelPackageXmlElement *element,
			    guint idx,
			    GError **error) G_GNUC_WARN_UNUSED_RESULT;

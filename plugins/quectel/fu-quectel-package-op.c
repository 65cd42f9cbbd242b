/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * One <erase> or <program> element of a rawprogram XML.
 */

#include "config.h"

#include <string.h>

#include "fu-quectel-package-op.h"
#include "fu-quectel-package-text.h"

#define FU_QUECTEL_PACKAGE_PAGES_PER_BLOCK_MAX 1024
#define FU_QUECTEL_PACKAGE_PHYS_PART_MAX       7
#define FU_QUECTEL_PACKAGE_VENDOR_QUECTEL      "quectel"

void
fu_quectel_package_op_free(FuQuectelPackageOp *self)
{
	g_free(self->filename);
	g_free(self->basename);
	g_free(self->label);
	if (self->attrs != NULL)
		g_ptr_array_unref(self->attrs);
	g_free(self);
}

/**
 * fu_quectel_package_op_get_attr:
 * @self: a #FuQuectelPackageOp
 * @name: an attribute name, e.g. `start_sector`
 *
 * Returns: (transfer none): the value as written, or %NULL if absent
 **/
const gchar *
fu_quectel_package_op_get_attr(const FuQuectelPackageOp *self, const gchar *name)
{
	for (guint i = 0; i < self->attrs->len; i++) {
		FuQuectelPackageAttr *attr = g_ptr_array_index(self->attrs, i);
		if (g_strcmp0(attr->name, name) == 0)
			return attr->value;
	}
	return NULL;
}

static gboolean
fu_quectel_package_op_parse_filename(FuQuectelPackageOp *self, XbNode *xn, GError **error)
{
	const gchar *filename = xb_node_get_attr(xn, "filename");

	/* only a <program> sends a file */
	if (self->kind != FU_QUECTEL_PACKAGE_OP_KIND_PROGRAM)
		return TRUE;
	if (filename == NULL) {
		if (self->is_vendor)
			return TRUE;
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "missing attribute filename");
		return FALSE;
	}
	self->filename = g_strdup(filename);
	if (filename[0] == '\0') {
		self->is_empty_filename = TRUE;
		return TRUE;
	}
	self->basename = fu_quectel_package_text_basename(filename, error);
	if (self->basename == NULL) {
		g_prefix_error_literal(error, "attribute filename: ");
		return FALSE;
	}
	return TRUE;
}

static gboolean
fu_quectel_package_op_parse_numbers(FuQuectelPackageOp *self, XbNode *xn, GError **error)
{
	gboolean required = !self->is_vendor;
	guint64 num_min = 1;
	guint64 pages_per_block = 0;
	guint64 phys = 0;
	guint64 last_sector = G_MAXUINT64;

	/* vendor lines are sent verbatim: numbers are checked only if present */
	if (self->is_vendor) {
		if (xb_node_get_attr(xn, "SECTOR_SIZE_IN_BYTES") != NULL &&
		    !fu_quectel_package_xml_attr_sector_size(xn, &self->sector_size, error))
			return FALSE;
	} else {
		if (!fu_quectel_package_xml_attr_sector_size(xn, &self->sector_size, error))
			return FALSE;
	}
	if (!fu_quectel_package_xml_attr_uint(xn,
					      "PAGES_PER_BLOCK",
					      FALSE,
					      1,
					      FU_QUECTEL_PACKAGE_PAGES_PER_BLOCK_MAX,
					      &pages_per_block,
					      error))
		return FALSE;
	if (pages_per_block != 0 && !fu_quectel_package_text_is_pow2(pages_per_block)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "PAGES_PER_BLOCK %u is not a power of two",
			    (guint)pages_per_block);
		return FALSE;
	}
	self->pages_per_block = (guint32)pages_per_block;
	if (!fu_quectel_package_xml_attr_uint(xn,
					      "physical_partition_number",
					      required,
					      0,
					      FU_QUECTEL_PACKAGE_PHYS_PART_MAX,
					      &phys,
					      error))
		return FALSE;
	self->physical_partition_number = (guint32)phys;
	if (!fu_quectel_package_xml_attr_uint(xn,
					      "start_sector",
					      required,
					      0,
					      G_MAXUINT32,
					      &self->start_sector,
					      error))
		return FALSE;

	/* a skipped <program filename=""> may have no size */
	if (self->is_vendor || self->is_empty_filename)
		num_min = 0;
	if (!fu_quectel_package_xml_attr_uint(xn,
					      "num_partition_sectors",
					      required,
					      num_min,
					      G_MAXUINT32,
					      &self->num_partition_sectors,
					      error))
		return FALSE;
	if (self->start_sector + self->num_partition_sectors > G_MAXUINT32) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "start_sector %u + num_partition_sectors %u is beyond sector 0x%x",
			    (guint)self->start_sector,
			    (guint)self->num_partition_sectors,
			    (guint)G_MAXUINT32);
		return FALSE;
	}

	/* optional, but must agree */
	if (!fu_quectel_package_xml_attr_uint(xn,
					      "last_sector",
					      FALSE,
					      0,
					      G_MAXUINT32,
					      &last_sector,
					      error))
		return FALSE;
	if (last_sector != G_MAXUINT64 && self->num_partition_sectors > 0 &&
	    last_sector != self->start_sector + self->num_partition_sectors - 1) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "last_sector %u does not match start_sector %u + "
			    "num_partition_sectors %u - 1",
			    (guint)last_sector,
			    (guint)self->start_sector,
			    (guint)self->num_partition_sectors);
		return FALSE;
	}
	return TRUE;
}

FuQuectelPackageOp *
fu_quectel_package_op_parse(XbNode *xn,
			    FuQuectelPackageXmlElement *element,
			    guint idx,
			    GError **error)
{
	const gchar *element_name = xb_node_get_element(xn);
	const gchar *vendor = xb_node_get_attr(xn, "vendor");
	const gchar *label = xb_node_get_attr(xn, "label");
	g_autoptr(FuQuectelPackageOp) self = g_new0(FuQuectelPackageOp, 1);

	self->index = idx;
	if (g_strcmp0(element_name, "erase") == 0) {
		self->kind = FU_QUECTEL_PACKAGE_OP_KIND_ERASE;
	} else if (g_strcmp0(element_name, "program") == 0) {
		self->kind = FU_QUECTEL_PACKAGE_OP_KIND_PROGRAM;
	} else {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "unexpected element, expected <erase> or <program>");
		return NULL;
	}
	if (!fu_quectel_package_xml_check_no_children(xn, error))
		return NULL;
	self->line = element->line;
	self->attrs = fu_quectel_package_xml_get_attrs(xn, element, error);
	if (self->attrs == NULL)
		return NULL;
	if (vendor != NULL) {
		if (g_strcmp0(vendor, FU_QUECTEL_PACKAGE_VENDOR_QUECTEL) != 0) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "unsupported vendor '%s', expected '%s'",
				    vendor,
				    FU_QUECTEL_PACKAGE_VENDOR_QUECTEL);
			return NULL;
		}
		self->is_vendor = TRUE;
	}
	if (label != NULL)
		self->label = g_strdup(label);
	if (!fu_quectel_package_op_parse_filename(self, xn, error))
		return NULL;
	if (!fu_quectel_package_op_parse_numbers(self, xn, error))
		return NULL;
	return g_steal_pointer(&self);
}

/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * rawprogram*.xml: the erase and program operations of an update.
 */

#include "config.h"

#include <string.h>

#include "fu-quectel-package-partition.h"
#include "fu-quectel-package-rawprogram.h"
#include "fu-quectel-package-xml.h"

void
fu_quectel_package_rawprogram_free(FuQuectelPackageRawprogram *self)
{
	if (self->ops != NULL)
		g_ptr_array_unref(self->ops);
	g_free(self);
}

/* every checked op uses the same page size and pages per block; takes ownership of @op */
static gboolean
fu_quectel_package_rawprogram_add_op(FuQuectelPackageRawprogram *self,
				     FuQuectelPackageOp *op,
				     GError **error)
{
	g_autoptr(FuQuectelPackageOp) op_owned = op;

	if (!op->is_vendor) {
		if (self->sector_size == 0)
			self->sector_size = op->sector_size;
		if (op->sector_size != self->sector_size) {
			g_set_error(
			    error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "SECTOR_SIZE_IN_BYTES %u differs from %u of the elements before",
			    op->sector_size,
			    self->sector_size);
			return FALSE;
		}
	}
	if (op->pages_per_block != 0) {
		if (self->pages_per_block == 0)
			self->pages_per_block = op->pages_per_block;
		if (op->pages_per_block != self->pages_per_block) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "PAGES_PER_BLOCK %u differs from %u of the elements before",
				    op->pages_per_block,
				    self->pages_per_block);
			return FALSE;
		}
	}
	g_ptr_array_add(self->ops, g_steal_pointer(&op_owned));
	return TRUE;
}

/**
 * fu_quectel_package_rawprogram_parse:
 * @buf: the contents of a rawprogram XML file, not NUL-terminated
 * @bufsz: size of @buf
 * @error: (nullable): optional return location for an error
 *
 * Parses the `<erase>` and `<program>` children of `<data>`, keeping every attribute in
 * order. Lines with `vendor="quectel"` are kept for verbatim pass-through and only the
 * numbers they have are checked.
 *
 * Returns: (transfer full): a #FuQuectelPackageRawprogram, or %NULL on error
 **/
FuQuectelPackageRawprogram *
fu_quectel_package_rawprogram_parse(const gchar *buf, gsize bufsz, GError **error)
{
	const gchar *kind = "rawprogram XML";
	g_autoptr(FuQuectelPackageRawprogram) self = g_new0(FuQuectelPackageRawprogram, 1);
	g_autoptr(XbSilo) silo = NULL;
	g_autoptr(XbNode) root = NULL;
	g_autoptr(GPtrArray) children = NULL;
	g_autoptr(GPtrArray) elements = NULL;

	g_return_val_if_fail(buf != NULL || bufsz == 0, NULL);

	self->ops = g_ptr_array_new_with_free_func((GDestroyNotify)fu_quectel_package_op_free);
	silo = fu_quectel_package_xml_load(kind, buf, bufsz, &elements, error);
	if (silo == NULL)
		return NULL;
	root = fu_quectel_package_xml_get_root(kind, silo, "data", NULL, error);
	if (root == NULL)
		return NULL;
	children = xb_node_get_children(root);
	if (!fu_quectel_package_xml_check_elements(kind, children, elements, error))
		return NULL;
	if (children->len == 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: no <erase> or <program> elements",
			    kind);
		return NULL;
	}
	if (children->len > FU_QUECTEL_PACKAGE_OPS_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: %u elements, the limit is %u",
			    kind,
			    children->len,
			    (guint)FU_QUECTEL_PACKAGE_OPS_MAX);
		return NULL;
	}
	for (guint i = 0; i < children->len; i++) {
		XbNode *child = g_ptr_array_index(children, i);
		FuQuectelPackageXmlElement *element = g_ptr_array_index(elements, i);
		g_autoptr(FuQuectelPackageOp) op =
		    fu_quectel_package_op_parse(child, element, i, error);
		if (op == NULL ||
		    !fu_quectel_package_rawprogram_add_op(self, g_steal_pointer(&op), error)) {
			g_prefix_error(error,
				       "%s line %u: element #%u <%s>: ",
				       kind,
				       element->line,
				       i,
				       xb_node_get_element(child));
			return NULL;
		}
	}
	return g_steal_pointer(&self);
}

/**
 * fu_quectel_package_rawprogram_parse_bytes:
 * @blob: the contents of a rawprogram XML file
 * @error: (nullable): optional return location for an error
 *
 * Returns: (transfer full): a #FuQuectelPackageRawprogram, or %NULL on error
 **/
FuQuectelPackageRawprogram *
fu_quectel_package_rawprogram_parse_bytes(GBytes *blob, GError **error)
{
	gsize bufsz = 0;
	const gchar *buf = g_bytes_get_data(blob, &bufsz);
	return fu_quectel_package_rawprogram_parse(buf, bufsz, error);
}

/**
 * fu_quectel_package_rawprogram_check_geometry:
 * @self: a #FuQuectelPackageRawprogram
 * @geometry: the geometry from the file name or the device
 * @error: (nullable): optional return location for an error
 *
 * Checks SECTOR_SIZE_IN_BYTES and PAGES_PER_BLOCK of every op that has them.
 *
 * Returns: %TRUE if they all match @geometry
 **/
gboolean
fu_quectel_package_rawprogram_check_geometry(const FuQuectelPackageRawprogram *self,
					     const FuQuectelPackageGeometry *geometry,
					     GError **error)
{
	for (guint i = 0; i < self->ops->len; i++) {
		FuQuectelPackageOp *op = g_ptr_array_index(self->ops, i);
		if (op->is_vendor && op->sector_size == 0)
			continue;
		if (!fu_quectel_package_geometry_check_sector(geometry,
							      op->sector_size,
							      op->pages_per_block,
							      error)) {
			g_prefix_error(error,
				       "rawprogram XML line %u: element #%u <%s>: ",
				       op->line,
				       op->index,
				       fu_quectel_package_op_kind_to_string(op->kind));
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
fu_quectel_package_rawprogram_check_op_partition(FuQuectelPackageOp *op,
						 const FuQuectelPackageGeometry *geometry,
						 GPtrArray *partitions,
						 GError **error)
{
	guint64 ppb = geometry->pages_per_block;
	guint64 start_block;

	if (ppb == 0 || op->start_sector % ppb != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "start_sector %u is not at the start of a %u-page block",
			    (guint)op->start_sector,
			    (guint)ppb);
		return FALSE;
	}
	start_block = op->start_sector / ppb;
	for (guint i = 0; i < partitions->len; i++) {
		FuQuectelPackagePartition *part = g_ptr_array_index(partitions, i);
		guint64 expected = (guint64)part->num_blocks * ppb;
		if (part->start_block != start_block)
			continue;
		if (part->num_blocks != 0 && op->num_partition_sectors != expected) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "num_partition_sectors is %u but partition %s has %u sectors",
				    (guint)op->num_partition_sectors,
				    part->name,
				    (guint)expected);
			return FALSE;
		}
		if (part->num_blocks == 0 && !part->grow) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "partition %s is empty",
				    part->name);
			return FALSE;
		}
		return TRUE;
	}
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_INVALID_DATA,
		    "start_sector %u (block %u) is not the start of any partition",
		    (guint)op->start_sector,
		    (guint)start_block);
	return FALSE;
}

/**
 * fu_quectel_package_rawprogram_check_partitions:
 * @self: a #FuQuectelPackageRawprogram
 * @geometry: the geometry of the package
 * @partitions: (element-type FuQuectelPackagePartition): from partition_nand.xml or the MIBIB
 * @error: (nullable): optional return location for an error
 *
 * Checks that every erase and program covers exactly one partition. Vendor lines and
 * empty-filename programs are not checked.
 *
 * Returns: %TRUE if all ops match the partition map
 **/
gboolean
fu_quectel_package_rawprogram_check_partitions(const FuQuectelPackageRawprogram *self,
					       const FuQuectelPackageGeometry *geometry,
					       GPtrArray *partitions,
					       GError **error)
{
	for (guint i = 0; i < self->ops->len; i++) {
		FuQuectelPackageOp *op = g_ptr_array_index(self->ops, i);
		if (op->is_vendor || op->is_empty_filename)
			continue;
		if (!fu_quectel_package_rawprogram_check_op_partition(op,
								      geometry,
								      partitions,
								      error)) {
			g_prefix_error(error,
				       "rawprogram XML line %u: element #%u <%s>: ",
				       op->line,
				       op->index,
				       fu_quectel_package_op_kind_to_string(op->kind));
			return FALSE;
		}
	}
	return TRUE;
}

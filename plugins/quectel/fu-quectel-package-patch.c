/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * patch*.xml: the patches of an update.
 */

#include "config.h"

#include <string.h>

#include "fu-quectel-package-patch.h"
#include "fu-quectel-package-text.h"
#include "fu-quectel-package-xml.h"

#define FU_QUECTEL_PACKAGE_PHYS_PART_MAX       7
#define FU_QUECTEL_PACKAGE_PATCH_SIZE_MAX      8
#define FU_QUECTEL_PACKAGE_PATCH_VALUE_LEN_MAX 128

void
fu_quectel_package_patch_free(FuQuectelPackagePatch *self)
{
	g_free(self->filename);
	g_free(self->start_sector);
	g_free(self->value);
	g_free(self->what);
	g_free(self);
}

/**
 * fu_quectel_package_patch_is_disk:
 * @self: a #FuQuectelPackagePatch
 *
 * Returns: %TRUE if the patch is applied to the device (`filename="DISK"`) rather than to a
 * file of the package before it is sent
 **/
gboolean
fu_quectel_package_patch_is_disk(const FuQuectelPackagePatch *self)
{
	return g_strcmp0(self->filename, FU_QUECTEL_PACKAGE_PATCH_FILENAME_DISK) == 0;
}

/* numeric, or for a DISK patch an expression such as NUM_DISK_SECTORS-33. */
static gboolean
fu_quectel_package_patch_parse_start_sector(FuQuectelPackagePatch *self, XbNode *xn, GError **error)
{
	const gchar *str = xb_node_get_attr(xn, "start_sector");

	if (str == NULL) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "missing attribute start_sector");
		return FALSE;
	}
	self->start_sector = g_strdup(str);
	if (str[0] != '\0' && strspn(str, "0123456789") == strlen(str)) {
		if (!fu_quectel_package_text_strtoull(str,
						      FU_INTEGER_BASE_10,
						      0,
						      G_MAXUINT32,
						      &self->start_sector_value,
						      error)) {
			g_prefix_error_literal(error, "attribute start_sector: ");
			return FALSE;
		}
		self->start_sector_is_numeric = TRUE;
		return TRUE;
	}
	if (!fu_quectel_package_patch_is_disk(self)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "start_sector '%s' of a file patch is not a number",
			    str);
		return FALSE;
	}
	if (str[0] == '\0' ||
	    strspn(str, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.+-*/()") != strlen(str)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "invalid start_sector '%s', expected a number or an expression "
			    "such as NUM_DISK_SECTORS-33.",
			    str);
		return FALSE;
	}
	return TRUE;
}

static FuQuectelPackagePatch *
fu_quectel_package_patch_parse_element(XbNode *xn,
				       FuQuectelPackageXmlElement *element,
				       GError **error)
{
	const gchar *filename = xb_node_get_attr(xn, "filename");
	const gchar *value = xb_node_get_attr(xn, "value");
	const gchar *what = xb_node_get_attr(xn, "what");
	guint64 byte_offset = 0;
	guint64 size_in_bytes = 0;
	guint64 phys = 0;
	g_autofree gchar *basename = NULL;
	g_autoptr(GPtrArray) attrs = NULL;
	g_autoptr(FuQuectelPackagePatch) self = g_new0(FuQuectelPackagePatch, 1);

	if (g_strcmp0(xb_node_get_element(xn), "patch") != 0) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "unexpected element, expected <patch>");
		return NULL;
	}
	if (!fu_quectel_package_xml_check_no_children(xn, error))
		return NULL;
	attrs = fu_quectel_package_xml_get_attrs(xn, element, error);
	if (attrs == NULL)
		return NULL;

	/* filename: DISK or a file of the package */
	if (filename == NULL) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "missing attribute filename");
		return NULL;
	}
	basename = fu_quectel_package_text_basename(filename, error);
	if (basename == NULL) {
		g_prefix_error_literal(error, "attribute filename: ");
		return NULL;
	}
	self->filename = g_strdup(filename);

	/* where */
	if (!fu_quectel_package_xml_attr_sector_size(xn, &self->sector_size, error))
		return NULL;
	if (!fu_quectel_package_xml_attr_uint(xn,
					      "size_in_bytes",
					      TRUE,
					      1,
					      FU_QUECTEL_PACKAGE_PATCH_SIZE_MAX,
					      &size_in_bytes,
					      error))
		return NULL;
	self->size_in_bytes = (guint32)size_in_bytes;
	if (!fu_quectel_package_xml_attr_uint(xn,
					      "byte_offset",
					      TRUE,
					      0,
					      self->sector_size - self->size_in_bytes,
					      &byte_offset,
					      error))
		return NULL;
	self->byte_offset = byte_offset;
	if (!fu_quectel_package_xml_attr_uint(xn,
					      "physical_partition_number",
					      TRUE,
					      0,
					      FU_QUECTEL_PACKAGE_PHYS_PART_MAX,
					      &phys,
					      error))
		return NULL;
	self->physical_partition_number = (guint32)phys;
	if (!fu_quectel_package_patch_parse_start_sector(self, xn, error))
		return NULL;

	/* what */
	if (value == NULL || value[0] == '\0') {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "missing attribute value");
		return NULL;
	}
	if (strlen(value) > FU_QUECTEL_PACKAGE_PATCH_VALUE_LEN_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "attribute value is longer than %u bytes",
			    (guint)FU_QUECTEL_PACKAGE_PATCH_VALUE_LEN_MAX);
		return NULL;
	}
	self->value = g_strdup(value);
	self->what = g_strdup(what);
	return g_steal_pointer(&self);
}

/**
 * fu_quectel_package_patch_parse:
 * @buf: the contents of a patch XML file, not NUL-terminated
 * @bufsz: size of @buf
 * @error: (nullable): optional return location for an error
 *
 * Parses the `<patch>` children of `<patches>` (or `<data>`).
 *
 * Returns: (transfer container) (element-type FuQuectelPackagePatch): patches, or %NULL
 **/
GPtrArray *
fu_quectel_package_patch_parse(const gchar *buf, gsize bufsz, GError **error)
{
	const gchar *kind = "patch XML";
	g_autoptr(GPtrArray) patches =
	    g_ptr_array_new_with_free_func((GDestroyNotify)fu_quectel_package_patch_free);
	g_autoptr(XbSilo) silo = NULL;
	g_autoptr(XbNode) root = NULL;
	g_autoptr(GPtrArray) children = NULL;
	g_autoptr(GPtrArray) elements = NULL;

	g_return_val_if_fail(buf != NULL || bufsz == 0, NULL);

	silo = fu_quectel_package_xml_load(kind, buf, bufsz, &elements, error);
	if (silo == NULL)
		return NULL;
	root = fu_quectel_package_xml_get_root(kind, silo, "patches", "data", error);
	if (root == NULL)
		return NULL;
	children = xb_node_get_children(root);
	if (!fu_quectel_package_xml_check_elements(kind, children, elements, error))
		return NULL;
	if (children->len > FU_QUECTEL_PACKAGE_PATCHES_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: %u elements, the limit is %u",
			    kind,
			    children->len,
			    (guint)FU_QUECTEL_PACKAGE_PATCHES_MAX);
		return NULL;
	}
	for (guint i = 0; i < children->len; i++) {
		XbNode *child = g_ptr_array_index(children, i);
		FuQuectelPackageXmlElement *element = g_ptr_array_index(elements, i);
		FuQuectelPackagePatch *patch =
		    fu_quectel_package_patch_parse_element(child, element, error);
		if (patch == NULL) {
			g_prefix_error(error,
				       "%s line %u: element #%u <%s>: ",
				       kind,
				       element->line,
				       i,
				       xb_node_get_element(child));
			return NULL;
		}
		g_ptr_array_add(patches, patch);
	}
	return g_steal_pointer(&patches);
}

/**
 * fu_quectel_package_patch_parse_bytes:
 * @blob: the contents of a patch XML file
 * @error: (nullable): optional return location for an error
 *
 * Returns: (transfer container) (element-type FuQuectelPackagePatch): patches, or %NULL
 **/
GPtrArray *
fu_quectel_package_patch_parse_bytes(GBytes *blob, GError **error)
{
	gsize bufsz = 0;
	const gchar *buf = g_bytes_get_data(blob, &bufsz);
	return fu_quectel_package_patch_parse(buf, bufsz, error);
}

/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * contents.xml: the build description of the vendor folder.
 */

#include "config.h"

#include <string.h>

#include "fu-quectel-package-contents.h"
#include "fu-quectel-package-path.h"
#include "fu-quectel-package-text.h"
#include "fu-quectel-package-xml.h"

#define FU_QUECTEL_PACKAGE_CHIPID_LEN_MAX 32
#define FU_QUECTEL_PACKAGE_BUILDS_MAX	  64

void
fu_quectel_package_contents_free(FuQuectelPackageContents *self)
{
	g_free(self->chipid);
	g_free(self->product_name);
	g_free(self->partition_file);
	if (self->flash_programmers != NULL)
		g_ptr_array_unref(self->flash_programmers);
	if (self->download_files != NULL)
		g_ptr_array_unref(self->download_files);
	g_free(self);
}

static gboolean
fu_quectel_package_contents_check_chip(const gchar *chip, GError **error)
{
	gsize len = strlen(chip);
	if (len == 0 || len > FU_QUECTEL_PACKAGE_CHIPID_LEN_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "invalid chip name length %u, expected 1 to %u",
			    (guint)len,
			    (guint)FU_QUECTEL_PACKAGE_CHIPID_LEN_MAX);
		return FALSE;
	}
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isalnum(chip[i]) && chip[i] != '.' && chip[i] != '_' &&
		    chip[i] != '-') {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "invalid chip name '%s', expected letters and digits",
				    chip);
			return FALSE;
		}
	}
	return TRUE;
}

/* <download_file><file_name>sbl1.mbn</file_name><file_path>update/</file_path></...> */
static gchar *
fu_quectel_package_contents_parse_file(XbNode *xn, GError **error)
{
	const gchar *file_name = NULL;
	const gchar *file_path = NULL;
	g_autoptr(GPtrArray) children = xb_node_get_children(xn);

	for (guint i = 0; i < children->len; i++) {
		XbNode *child = g_ptr_array_index(children, i);
		const gchar *element = xb_node_get_element(child);
		if (g_strcmp0(element, "file_name") == 0) {
			if (file_name != NULL) {
				g_set_error_literal(error,
						    FWUPD_ERROR,
						    FWUPD_ERROR_INVALID_DATA,
						    "more than one <file_name>");
				return NULL;
			}
			file_name = fu_quectel_package_xml_get_text(child, error);
			if (file_name == NULL)
				return NULL;
		} else if (g_strcmp0(element, "file_path") == 0) {
			file_path = xb_node_get_text(child);
		}
	}
	if (file_name == NULL) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "missing <file_name>");
		return NULL;
	}
	return fu_quectel_package_path_build(file_path, file_name, FALSE, error);
}

static gboolean
fu_quectel_package_contents_parse_build(FuQuectelPackageContents *self,
					XbNode *xn,
					guint *nfiles,
					GError **error)
{
	g_autoptr(GPtrArray) children = xb_node_get_children(xn);

	for (guint i = 0; i < children->len; i++) {
		XbNode *child = g_ptr_array_index(children, i);
		const gchar *element = xb_node_get_element(child);
		const gchar *chipset;
		g_autofree gchar *path = NULL;

		/* the chip each build is for */
		if (g_strcmp0(element, "chipset") == 0) {
			chipset = xb_node_get_text(child);
			if (chipset == NULL || chipset[0] == '\0')
				continue;
			if (!fu_quectel_package_contents_check_chip(chipset, error))
				return FALSE;
			if (self->chipid == NULL) {
				self->chipid = g_strdup(chipset);
			} else if (g_ascii_strcasecmp(self->chipid, chipset) != 0) {
				g_set_error(error,
					    FWUPD_ERROR,
					    FWUPD_ERROR_INVALID_DATA,
					    "<chipset> is %s but the chip is %s",
					    chipset,
					    self->chipid);
				return FALSE;
			}
			continue;
		}

		/* files */
		if (g_strcmp0(element, "partition_file") != 0 &&
		    g_strcmp0(element, "flash_programmer") != 0 &&
		    g_strcmp0(element, "download_file") != 0)
			continue;
		if (++(*nfiles) > FU_QUECTEL_PACKAGE_FILES_MAX) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "more than %u files",
				    (guint)FU_QUECTEL_PACKAGE_FILES_MAX);
			return FALSE;
		}
		path = fu_quectel_package_contents_parse_file(child, error);
		if (path == NULL) {
			g_prefix_error(error, "<%s>: ", element);
			return FALSE;
		}
		if (g_strcmp0(element, "flash_programmer") == 0) {
			g_ptr_array_add(self->flash_programmers, g_steal_pointer(&path));
		} else if (g_strcmp0(element, "download_file") == 0) {
			g_ptr_array_add(self->download_files, g_steal_pointer(&path));
		} else if (self->partition_file == NULL) {
			self->partition_file = g_steal_pointer(&path);
		} else {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "second <partition_file> %s, already have %s",
				    path,
				    self->partition_file);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
fu_quectel_package_contents_parse_product_info(FuQuectelPackageContents *self,
					       XbNode *xn,
					       GError **error)
{
	const gchar *chipid = xb_node_query_text(xn, "chipid", NULL);
	const gchar *product_name = xb_node_query_text(xn, "product_name", NULL);

	if (chipid != NULL) {
		if (!fu_quectel_package_contents_check_chip(chipid, error)) {
			g_prefix_error_literal(error, "<chipid>: ");
			return FALSE;
		}
		self->chipid = g_strdup(chipid);
	}
	if (product_name != NULL) {
		if (!fu_quectel_package_xml_check_value("<product_name>", product_name, error))
			return FALSE;
		self->product_name = g_strdup(product_name);
	}
	return TRUE;
}

static gboolean
fu_quectel_package_contents_parse_builds(FuQuectelPackageContents *self, XbNode *xn, GError **error)
{
	guint nbuilds = 0;
	guint nfiles = 0;
	g_autoptr(GPtrArray) children = xb_node_get_children(xn);

	for (guint i = 0; i < children->len; i++) {
		XbNode *child = g_ptr_array_index(children, i);
		if (g_strcmp0(xb_node_get_element(child), "build") != 0)
			continue;
		if (++nbuilds > FU_QUECTEL_PACKAGE_BUILDS_MAX) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "more than %u <build> elements",
				    (guint)FU_QUECTEL_PACKAGE_BUILDS_MAX);
			return FALSE;
		}
		if (!fu_quectel_package_contents_parse_build(self, child, &nfiles, error)) {
			const gchar *name = xb_node_query_text(child, "name", NULL);
			g_prefix_error(error,
				       "<build> #%u (%s): ",
				       nbuilds,
				       name != NULL ? name : "unnamed");
			return FALSE;
		}
	}
	return TRUE;
}

/**
 * fu_quectel_package_contents_parse:
 * @buf: the contents of contents.xml, not NUL-terminated, optionally with a UTF-8 BOM
 * @bufsz: size of @buf
 * @error: (nullable): optional return location for an error
 *
 * Extracts the chip, the flash programmers, the downloaded files and the partition file from
 * the QPST meta file. Paths are `file_path` + `file_name`, relative to the folder.
 *
 * Returns: (transfer full): a #FuQuectelPackageContents, or %NULL on error
 **/
FuQuectelPackageContents *
fu_quectel_package_contents_parse(const gchar *buf, gsize bufsz, GError **error)
{
	const gchar *kind = "contents.xml";
	g_autoptr(FuQuectelPackageContents) self = g_new0(FuQuectelPackageContents, 1);
	g_autoptr(XbSilo) silo = NULL;
	g_autoptr(XbNode) root = NULL;
	g_autoptr(GPtrArray) children = NULL;
	g_autoptr(GPtrArray) elements = NULL;

	g_return_val_if_fail(buf != NULL || bufsz == 0, NULL);

	self->flash_programmers = g_ptr_array_new_with_free_func(g_free);
	self->download_files = g_ptr_array_new_with_free_func(g_free);
	silo = fu_quectel_package_xml_load(kind, buf, bufsz, &elements, error);
	if (silo == NULL)
		return NULL;
	root = fu_quectel_package_xml_get_root(kind, silo, "contents", NULL, error);
	if (root == NULL)
		return NULL;

	/* product_info first: its chipid is the reference for each build */
	children = xb_node_get_children(root);
	if (!fu_quectel_package_xml_check_elements(kind, children, elements, error))
		return NULL;
	for (guint i = 0; i < children->len; i++) {
		XbNode *child = g_ptr_array_index(children, i);
		if (g_strcmp0(xb_node_get_element(child), "product_info") != 0)
			continue;
		if (!fu_quectel_package_contents_parse_product_info(self, child, error)) {
			g_prefix_error(error, "%s: <product_info>: ", kind);
			return NULL;
		}
	}
	for (guint i = 0; i < children->len; i++) {
		XbNode *child = g_ptr_array_index(children, i);
		if (g_strcmp0(xb_node_get_element(child), "builds_flat") != 0)
			continue;
		if (!fu_quectel_package_contents_parse_builds(self, child, error)) {
			g_prefix_error(error, "%s: ", kind);
			return NULL;
		}
	}
	if (self->chipid == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: no <chipid> or <chipset>",
			    kind);
		return NULL;
	}
	return g_steal_pointer(&self);
}

/**
 * fu_quectel_package_contents_parse_bytes:
 * @blob: the contents of contents.xml
 * @error: (nullable): optional return location for an error
 *
 * Returns: (transfer full): a #FuQuectelPackageContents, or %NULL on error
 **/
FuQuectelPackageContents *
fu_quectel_package_contents_parse_bytes(GBytes *blob, GError **error)
{
	gsize bufsz = 0;
	const gchar *buf = g_bytes_get_data(blob, &bufsz);
	return fu_quectel_package_contents_parse(buf, bufsz, error);
}

/**
 * fu_quectel_package_contents_check_chipid:
 * @self: a #FuQuectelPackageContents
 * @chipid: the expected chip, e.g. `MDM9607`
 * @error: (nullable): optional return location for an error
 *
 * Returns: %TRUE if the package is for @chipid (case-insensitive)
 **/
gboolean
fu_quectel_package_contents_check_chipid(const FuQuectelPackageContents *self,
					 const gchar *chipid,
					 GError **error)
{
	if (g_ascii_strcasecmp(self->chipid, chipid) != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "contents.xml: package is for %s, expected %s",
			    self->chipid,
			    chipid);
		return FALSE;
	}
	return TRUE;
}

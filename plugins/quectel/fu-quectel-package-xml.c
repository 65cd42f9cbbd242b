/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The one hardened loader of the vendor XML files: size, depth, tag and attribute limits checked
 * before libxmlb sees the text.
 */

#include "config.h"

#include <string.h>

#include "fu-quectel-package-text.h"
#include "fu-quectel-package-xml.h"

#define FU_QUECTEL_PACKAGE_VALUE_LEN_MAX     255
#define FU_QUECTEL_PACKAGE_ATTR_NAME_LEN_MAX 64
#define FU_QUECTEL_PACKAGE_XML_DEPTH_MAX     16
#define FU_QUECTEL_PACKAGE_SECTOR_SIZE_MIN   512
#define FU_QUECTEL_PACKAGE_SECTOR_SIZE_MAX   65536

void
fu_quectel_package_xml_element_free(FuQuectelPackageXmlElement *self)
{
	g_strfreev(self->attr_names);
	g_free(self);
}

typedef struct {
	guint depth;
	guint count;
	GPtrArray *elements; /* of FuQuectelPackageXmlElement */
} FuQuectelPackageXmlHelper;

static gboolean
fu_quectel_package_xml_check_start_element(FuQuectelPackageXmlHelper *helper,
					   GMarkupParseContext *context,
					   const gchar *element_name,
					   const gchar **attribute_names,
					   GError **error)
{
	guint n_attrs = g_strv_length((gchar **)attribute_names);
	gint line = 0;
	gint column = 0;
	g_autoptr(FuQuectelPackageXmlElement) element = NULL;

	g_markup_parse_context_get_position(context, &line, &column);
	if (++helper->depth > FU_QUECTEL_PACKAGE_XML_DEPTH_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "elements nested deeper than %u",
			    (guint)FU_QUECTEL_PACKAGE_XML_DEPTH_MAX);
		return FALSE;
	}
	if (++helper->count > FU_QUECTEL_PACKAGE_XML_TAGS_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "more than %u elements",
			    (guint)FU_QUECTEL_PACKAGE_XML_TAGS_MAX);
		return FALSE;
	}
	if (n_attrs > FU_QUECTEL_PACKAGE_ATTRS_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "<%s> has more than %u attributes",
			    element_name,
			    (guint)FU_QUECTEL_PACKAGE_ATTRS_MAX);
		return FALSE;
	}

	/* GMarkup accepts a repeated attribute and libxmlb keeps only the last value */
	for (guint i = 0; i < n_attrs; i++) {
		for (guint j = i + 1; j < n_attrs; j++) {
			if (g_strcmp0(attribute_names[i], attribute_names[j]) == 0) {
				g_set_error(error,
					    FWUPD_ERROR,
					    FWUPD_ERROR_INVALID_DATA,
					    "<%s> has attribute %s twice",
					    element_name,
					    attribute_names[i]);
				return FALSE;
			}
		}
	}

	/* libxmlb does not keep the attribute order, so remember it for the root children */
	if (helper->depth != 2)
		return TRUE;
	element = g_new0(FuQuectelPackageXmlElement, 1);
	element->line = (guint)line;
	element->attr_names = g_strdupv((gchar **)attribute_names);
	g_ptr_array_add(helper->elements, g_steal_pointer(&element));
	return TRUE;
}

static void
fu_quectel_package_xml_start_element_cb(GMarkupParseContext *context,
					const gchar *element_name,
					const gchar **attribute_names,
					const gchar **attribute_values,
					gpointer user_data,
					GError **error)
{
	FuQuectelPackageXmlHelper *helper = (FuQuectelPackageXmlHelper *)user_data;

	/* on failure GMarkup stops and returns @error */
	fu_quectel_package_xml_check_start_element(helper,
						   context,
						   element_name,
						   attribute_names,
						   error);
}

static void
fu_quectel_package_xml_end_element_cb(GMarkupParseContext *context,
				      const gchar *element_name,
				      gpointer user_data,
				      GError **error)
{
	FuQuectelPackageXmlHelper *helper = (FuQuectelPackageXmlHelper *)user_data;
	helper->depth--;
}

/* GMarkup, which libxmlb also uses, has no DTD support: a DOCTYPE is skipped and any entity
 * other than the five predefined ones and character references is an error, so nothing is
 * read from a file or expanded; this pass also bounds depth and count and rejects repeated
 * attributes before libxmlb builds its tree */
static GPtrArray *
fu_quectel_package_xml_validate(const gchar *buf, gsize bufsz, GError **error)
{
	g_autoptr(GPtrArray) elements =
	    g_ptr_array_new_with_free_func((GDestroyNotify)fu_quectel_package_xml_element_free);
	FuQuectelPackageXmlHelper helper = {
	    .depth = 0,
	    .count = 0,
	    .elements = elements,
	};
	GMarkupParser parser = {
	    .start_element = fu_quectel_package_xml_start_element_cb,
	    .end_element = fu_quectel_package_xml_end_element_cb,
	};
	g_autoptr(GMarkupParseContext) ctx =
	    g_markup_parse_context_new(&parser, G_MARKUP_PREFIX_ERROR_POSITION, &helper, NULL);
	g_autoptr(GError) error_local = NULL;

	if (!g_markup_parse_context_parse(ctx, buf, (gssize)bufsz, &error_local) ||
	    !g_markup_parse_context_end_parse(ctx, &error_local)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "invalid XML: %s",
			    error_local->message);
		return NULL;
	}
	return g_steal_pointer(&elements);
}

XbSilo *
fu_quectel_package_xml_load(const gchar *kind,
			    const gchar *buf,
			    gsize bufsz,
			    GPtrArray **elements,
			    GError **error)
{
	gsize offset;
	guint tags = 0;
	const gchar *end = NULL;
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GPtrArray) elements_tmp = NULL;
	g_autoptr(XbBuilder) builder = xb_builder_new();
	g_autoptr(XbBuilderSource) source = xb_builder_source_new();
	g_autoptr(XbSilo) silo = NULL;

	if (bufsz > FU_QUECTEL_PACKAGE_XML_SIZE_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: file is 0x%x bytes, the limit is 0x%x",
			    kind,
			    (guint)bufsz,
			    (guint)FU_QUECTEL_PACKAGE_XML_SIZE_MAX);
		return NULL;
	}
	offset = fu_quectel_package_text_bom_len(buf, bufsz);
	if (offset == bufsz) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: file is empty",
			    kind);
		return NULL;
	}
	for (gsize i = offset; i < bufsz; i++) {
		if (buf[i] == '\0') {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "%s: NUL byte at offset 0x%x",
				    kind,
				    (guint)i);
			return NULL;
		}
		if (buf[i] == '<' && ++tags > FU_QUECTEL_PACKAGE_XML_TAGS_MAX) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "%s: more than %u tags",
				    kind,
				    (guint)FU_QUECTEL_PACKAGE_XML_TAGS_MAX);
			return NULL;
		}
	}
	if (!g_utf8_validate_len(buf + offset, bufsz - offset, &end)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: invalid UTF-8 at offset 0x%x",
			    kind,
			    (guint)(end - buf));
		return NULL;
	}
	elements_tmp = fu_quectel_package_xml_validate(buf + offset, bufsz - offset, error);
	if (elements_tmp == NULL) {
		g_prefix_error(error, "%s: ", kind);
		return NULL;
	}

	blob = g_bytes_new(buf + offset, bufsz - offset);
	if (!xb_builder_source_load_bytes(source,
					  blob,
					  XB_BUILDER_SOURCE_FLAG_NONE,
					  &error_local)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: cannot load XML: %s",
			    kind,
			    error_local->message);
		return NULL;
	}
	xb_builder_import_source(builder, source);
	silo = xb_builder_compile(builder, XB_BUILDER_COMPILE_FLAG_SINGLE_ROOT, NULL, &error_local);
	if (silo == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: invalid XML: %s",
			    kind,
			    error_local->message);
		return NULL;
	}
	*elements = g_steal_pointer(&elements_tmp);
	return g_steal_pointer(&silo);
}

/* the children of the root as libxmlb sees them match what the pre-pass recorded */
gboolean
fu_quectel_package_xml_check_elements(const gchar *kind,
				      GPtrArray *children,
				      GPtrArray *elements,
				      GError **error)
{
	if (children->len != elements->len) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: %u elements under the root, but %u were parsed",
			    kind,
			    children->len,
			    elements->len);
		return FALSE;
	}
	return TRUE;
}

/* the root element, which must be @name1 or @name2 */
XbNode *
fu_quectel_package_xml_get_root(const gchar *kind,
				XbSilo *silo,
				const gchar *name1,
				const gchar *name2,
				GError **error)
{
	g_autoptr(XbNode) root = xb_silo_get_root(silo);
	const gchar *element;

	if (root == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: no root element, expected <%s>",
			    kind,
			    name1);
		return NULL;
	}
	element = xb_node_get_element(root);
	if (g_strcmp0(element, name1) != 0 && (name2 == NULL || g_strcmp0(element, name2) != 0)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: root element is <%s>, expected <%s>",
			    kind,
			    element,
			    name1);
		return NULL;
	}
	return g_steal_pointer(&root);
}

gboolean
fu_quectel_package_xml_check_value(const gchar *name, const gchar *value, GError **error)
{
	gsize len = strlen(value);
	if (len > FU_QUECTEL_PACKAGE_VALUE_LEN_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s is 0x%x bytes long, the limit is 0x%x",
			    name,
			    (guint)len,
			    (guint)FU_QUECTEL_PACKAGE_VALUE_LEN_MAX);
		return FALSE;
	}
	if (!fu_quectel_package_text_is_printable(value, TRUE)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s has a non-printable or non-ASCII character",
			    name);
		return FALSE;
	}
	return TRUE;
}

/* all attributes in document order, each checked for length and printable ASCII */
GPtrArray *
fu_quectel_package_xml_get_attrs(XbNode *xn, FuQuectelPackageXmlElement *element, GError **error)
{
	XbNodeAttrIter iter;
	const gchar *iter_name = NULL;
	const gchar *iter_value = NULL;
	guint n_attrs = 0;
	g_autoptr(GPtrArray) attrs =
	    g_ptr_array_new_with_free_func((GDestroyNotify)fu_quectel_package_xml_attr_free);

	xb_node_attr_iter_init(&iter, xn);
	while (n_attrs <= FU_QUECTEL_PACKAGE_ATTRS_MAX &&
	       xb_node_attr_iter_next(&iter, &iter_name, &iter_value))
		n_attrs++;
	if (n_attrs != g_strv_length(element->attr_names)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%u attributes, but %u were parsed",
			    n_attrs,
			    g_strv_length(element->attr_names));
		return NULL;
	}
	for (guint i = 0; element->attr_names[i] != NULL; i++) {
		const gchar *name = element->attr_names[i];
		const gchar *value = xb_node_get_attr(xn, name);
		FuQuectelPackageAttr *attr;

		if (value == NULL) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "attribute %s was not parsed",
				    name);
			return NULL;
		}
		if (strlen(name) > FU_QUECTEL_PACKAGE_ATTR_NAME_LEN_MAX) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "attribute name is longer than %u bytes",
				    (guint)FU_QUECTEL_PACKAGE_ATTR_NAME_LEN_MAX);
			return NULL;
		}
		if (!fu_quectel_package_xml_check_value(name, value, error))
			return NULL;
		attr = g_new0(FuQuectelPackageAttr, 1);
		attr->name = g_strdup(name);
		attr->value = g_strdup(value);
		g_ptr_array_add(attrs, attr);
	}
	return g_steal_pointer(&attrs);
}

gboolean
fu_quectel_package_xml_attr_uint(XbNode *xn,
				 const gchar *name,
				 gboolean required,
				 guint64 min,
				 guint64 max,
				 guint64 *value,
				 GError **error)
{
	const gchar *str = xb_node_get_attr(xn, name);
	if (str == NULL) {
		if (!required)
			return TRUE;
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "missing attribute %s",
			    name);
		return FALSE;
	}
	if (!fu_quectel_package_text_strtoull(str, FU_INTEGER_BASE_10, min, max, value, error)) {
		g_prefix_error(error, "attribute %s: ", name);
		return FALSE;
	}
	return TRUE;
}

gboolean
fu_quectel_package_xml_attr_sector_size(XbNode *xn, guint32 *sector_size, GError **error)
{
	guint64 tmp = 0;
	if (!fu_quectel_package_xml_attr_uint(xn,
					      "SECTOR_SIZE_IN_BYTES",
					      TRUE,
					      FU_QUECTEL_PACKAGE_SECTOR_SIZE_MIN,
					      FU_QUECTEL_PACKAGE_SECTOR_SIZE_MAX,
					      &tmp,
					      error))
		return FALSE;
	if (!fu_quectel_package_text_is_pow2(tmp)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "SECTOR_SIZE_IN_BYTES %u is not a power of two",
			    (guint)tmp);
		return FALSE;
	}
	*sector_size = (guint32)tmp;
	return TRUE;
}

/* elements such as <program> and <patch> carry everything in attributes */
gboolean
fu_quectel_package_xml_check_no_children(XbNode *xn, GError **error)
{
	g_autoptr(XbNode) child = xb_node_get_child(xn);
	if (child != NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "unexpected child element <%s>",
			    xb_node_get_element(child));
		return FALSE;
	}
	return TRUE;
}

/* the trimmed text of an element, required to be present */
const gchar *
fu_quectel_package_xml_get_text(XbNode *xn, GError **error)
{
	const gchar *text = xb_node_get_text(xn);
	if (text == NULL || text[0] == '\0') {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "empty element <%s>",
			    xb_node_get_element(xn));
		return NULL;
	}
	if (!fu_quectel_package_xml_check_value(xb_node_get_element(xn), text, error))
		return NULL;
	return text;
}

gboolean
fu_quectel_package_xml_get_text_uint(XbNode *xn,
				     FuIntegerBase base,
				     guint64 max,
				     guint64 *value,
				     GError **error)
{
	const gchar *text = fu_quectel_package_xml_get_text(xn, error);
	if (text == NULL)
		return FALSE;
	if (!fu_quectel_package_text_strtoull(text, base, 0, max, value, error)) {
		g_prefix_error(error, "<%s>: ", xb_node_get_element(xn));
		return FALSE;
	}
	return TRUE;
}

void
fu_quectel_package_xml_attr_free(FuQuectelPackageAttr *self)
{
	g_free(self->name);
	g_free(self->value);
	g_free(self);
}

/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "fu-quectel-firehose-command.h"
#include "fu-quectel-package-xml.h"

/**
 * fu_quectel_firehose_command_build_attrs:
 * @element: e.g. `erase`
 * @attrs: (element-type FuQuectelPackageAttr): attributes in the order to send them
 *
 * Builds a command document; values are escaped, and the element is self-closing because
 * programmers are picky about XML.
 *
 * Returns: (transfer full): the document
 **/
gchar *
fu_quectel_firehose_command_build_attrs(const gchar *element, GPtrArray *attrs)
{
	GString *str = g_string_new("<?xml version=\"1.0\" ?><data><");
	g_string_append(str, element);
	for (guint i = 0; i < attrs->len; i++) {
		FuQuectelPackageAttr *attr = g_ptr_array_index(attrs, i);
		g_autofree gchar *value = g_markup_escape_text(attr->value, -1);
		g_string_append_printf(str, " %s=\"%s\"", attr->name, value);
	}
	g_string_append(str, " /></data>");
	return g_string_free(str, FALSE);
}

/**
 * fu_quectel_firehose_command_build:
 * @element: e.g. `configure`
 * @...: attribute name and value pairs, then %NULL
 *
 * Returns: (transfer full): the document
 **/
gchar *
fu_quectel_firehose_command_build(const gchar *element, ...)
{
	va_list args;
	const gchar *name;
	g_autoptr(GPtrArray) attrs =
	    g_ptr_array_new_with_free_func((GDestroyNotify)fu_quectel_package_xml_attr_free);

	va_start(args, element);
	for (name = va_arg(args, const gchar *); name != NULL; name = va_arg(args, const gchar *)) {
		FuQuectelPackageAttr *attr = g_new0(FuQuectelPackageAttr, 1);
		attr->name = g_strdup(name);
		attr->value = g_strdup(va_arg(args, const gchar *));
		g_ptr_array_add(attrs, attr);
	}
	va_end(args);
	return fu_quectel_firehose_command_build_attrs(element, attrs);
}

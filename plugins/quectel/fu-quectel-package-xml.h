/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

/* the largest XML file we accept */
#define FU_QUECTEL_PACKAGE_XML_SIZE_MAX (1024 * 1024)
/* the most '<' an XML file may contain, which bounds elements and nesting */
#define FU_QUECTEL_PACKAGE_XML_TAGS_MAX 8192
/* the most attributes of one XML element */
#define FU_QUECTEL_PACKAGE_ATTRS_MAX 32

/**
 * FuQuectelPackageAttr:
 *
 * One XML attribute, kept so that an element can be sent on verbatim.
 **/
typedef struct {
	gchar *name;
	gchar *value;
} FuQuectelPackageAttr;

void
fu_quectel_package_xml_attr_free(FuQuectelPackageAttr *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelPackageAttr, fu_quectel_package_xml_attr_free)

/* what the GMarkup pre-pass learns about each child element of the root */
typedef struct {
	guint line;	  /* 1-based line of the start tag */
	GStrv attr_names; /* in document order */
} FuQuectelPackageXmlElement;

void
fu_quectel_package_xml_element_free(FuQuectelPackageXmlElement *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelPackageXmlElement, fu_quectel_package_xml_element_free)

gboolean
fu_quectel_package_xml_attr_sector_size(XbNode *xn,
					guint32 *sector_size,
					GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean
fu_quectel_package_xml_attr_uint(XbNode *xn,
				 const gchar *name,
				 gboolean required,
				 guint64 min,
				 guint64 max,
				 guint64 *value,
				 GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean
fu_quectel_package_xml_check_elements(const gchar *kind,
				      GPtrArray *children,
				      GPtrArray *elements,
				      GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean
fu_quectel_package_xml_check_no_children(XbNode *xn, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean
fu_quectel_package_xml_check_value(const gchar *name,
				   const gchar *value,
				   GError **error) G_GNUC_WARN_UNUSED_RESULT;
GPtrArray *
fu_quectel_package_xml_get_attrs(XbNode *xn,
				 FuQuectelPackageXmlElement *element,
				 GError **error) G_GNUC_WARN_UNUSED_RESULT;
XbNode *
fu_quectel_package_xml_get_root(const gchar *kind,
				XbSilo *silo,
				const gchar *name1,
				const gchar *name2,
				GError **error) G_GNUC_WARN_UNUSED_RESULT;
const gchar *
fu_quectel_package_xml_get_text(XbNode *xn, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean
fu_quectel_package_xml_get_text_uint(XbNode *xn,
				     FuIntegerBase base,
				     guint64 max,
				     guint64 *value,
				     GError **error) G_GNUC_WARN_UNUSED_RESULT;
XbSilo *
fu_quectel_package_xml_load(const gchar *kind,
			    const gchar *buf,
			    gsize bufsz,
			    GPtrArray **elements,
			    GError **error) G_GNUC_WARN_UNUSED_RESULT;

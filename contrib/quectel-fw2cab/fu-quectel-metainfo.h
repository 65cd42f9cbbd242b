/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

#include "fu-quectel-revision.h"

/**
 * FuQuectelMetainfo:
 *
 * What goes into the firmware.metainfo.xml of a cabinet.
 **/
typedef struct {
	const FuQuectelRevision *revision;
	const gchar *payload_filename; /* firmware.zip */
	const gchar *payload_sha256;
	guint64 payload_size;
	const gchar *release_date; /* YYYY-MM-DD */
	const gchar *urgency;	   /* low, medium, high or critical */
	const gchar *description;  /* plain text, paragraphs split by blank lines, or NULL */
	guint install_duration;	   /* seconds */
	const gchar *geometry;	   /* p4K_b256K */
} FuQuectelMetainfo;

gchar *
fu_quectel_metainfo_get_component_id(const FuQuectelRevision *revision) G_GNUC_NON_NULL(1);
gchar *
fu_quectel_metainfo_get_guid(const FuQuectelRevision *revision) G_GNUC_NON_NULL(1);
gboolean
fu_quectel_metainfo_check_urgency(const gchar *urgency, GError **error) G_GNUC_NON_NULL(1);
gboolean
fu_quectel_metainfo_check_date(const gchar *date, GError **error) G_GNUC_NON_NULL(1);
GBytes *
fu_quectel_metainfo_to_bytes(const FuQuectelMetainfo *self,
			     GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1);

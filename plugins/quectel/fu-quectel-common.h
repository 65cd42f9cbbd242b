/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupd.h>

#include "fu-quectel-struct.h"

/* instance-ID namespace of the variant GUIDs, shared by the plugin and the cab converter */
#define FU_QUECTEL_INSTANCE_ID_PREFIX "QUECTEL"

/* the longest AT response we accept before calling the port broken */
#define FU_QUECTEL_AT_RESPONSE_MAX 4096

/**
 * FuQuectelRevision:
 *
 * A firmware revision such as `EC25EFAR06A08M4G`, optionally with the `_01.001.01.001`
 * sub-version that `AT+QGMR` appends, split into its parts.
 **/
typedef struct {
	gchar *revision;   /* EC25EFAR06A08M4G */
	gchar *model;	   /* EC25 */
	gchar *variant;	   /* EFA: region and feature set */
	guint baseline;	   /* 6, printed as R06 */
	guint release;	   /* 8, printed as A08 */
	guint flash_gbit;  /* 4, printed as M4G */
	gchar *subversion; /* 01.001.01.001, or NULL */
} FuQuectelRevision;

void
fu_quectel_revision_free(FuQuectelRevision *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelRevision, fu_quectel_revision_free)

FuQuectelRevision *
fu_quectel_revision_parse(const gchar *str, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gchar *
fu_quectel_revision_get_variant_id(const FuQuectelRevision *self) G_GNUC_NON_NULL(1);
gchar *
fu_quectel_revision_get_flash_id(const FuQuectelRevision *self) G_GNUC_NON_NULL(1);
gchar *
fu_quectel_revision_get_baseline_prefix(const FuQuectelRevision *self) G_GNUC_NON_NULL(1);
GPtrArray *
fu_quectel_revision_get_instance_ids(const FuQuectelRevision *self) G_GNUC_NON_NULL(1);

gboolean
fu_quectel_at_response_parse(const gchar *buf,
			     gsize bufsz,
			     const gchar *cmd,
			     FuQuectelAtStatus *status,
			     GPtrArray **lines,
			     GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean
fu_quectel_at_parse_ati(GPtrArray *lines,
			gchar **manufacturer,
			gchar **model,
			gchar **revision,
			GError **error) G_GNUC_WARN_UNUSED_RESULT;
gchar *
fu_quectel_at_parse_qgmr(GPtrArray *lines,
			 const gchar *revision,
			 GError **error) G_GNUC_WARN_UNUSED_RESULT;
gchar *
fu_quectel_at_parse_imei(GPtrArray *lines, GError **error) G_GNUC_WARN_UNUSED_RESULT;

gboolean
fu_quectel_port_roles_parse(const gchar *str,
			    GArray **roles,
			    GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* DIAG's asynchronous HDLC framing */
#define FU_QUECTEL_DIAG_FLAG 0x7E

guint16
fu_quectel_diag_crc16(const guint8 *buf, gsize bufsz);
GByteArray *
fu_quectel_diag_frame_encode(const guint8 *buf, gsize bufsz) G_GNUC_NON_NULL(1);

/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupd.h>

#include "fu-quectel-package-geometry.h"

/**
 * FuQuectelFirehoseResponse:
 *
 * What one or more Firehose documents from the target said: the `<log>` lines and, if one
 * arrived, the `<response>` with its attributes.
 **/
typedef struct {
	GPtrArray *logs;    /* of gchar: the latest 256 lines */
	guint logs_dropped; /* older lines no longer in @logs */
	gchar *value;	    /* ACK, NAK, or NULL if no <response> yet */
	GHashTable *attrs;  /* of the <response>: rawmode, MaxPayloadSizeToTargetInBytes… */
} FuQuectelFirehoseResponse;

FuQuectelFirehoseResponse *
fu_quectel_firehose_response_new(void);
void
fu_quectel_firehose_response_free(FuQuectelFirehoseResponse *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelFirehoseResponse, fu_quectel_firehose_response_free)

gboolean
fu_quectel_firehose_response_parse(FuQuectelFirehoseResponse *self,
				   const gchar *buf,
				   gsize bufsz,
				   GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1);
gboolean
fu_quectel_firehose_response_is_ack(const FuQuectelFirehoseResponse *self) G_GNUC_NON_NULL(1);
const gchar *
fu_quectel_firehose_response_get_attr(const FuQuectelFirehoseResponse *self, const gchar *key)
    G_GNUC_NON_NULL(1, 2);
gchar *
fu_quectel_firehose_response_get_reason(const FuQuectelFirehoseResponse *self) G_GNUC_NON_NULL(1);
gboolean
fu_quectel_firehose_response_get_attr_u64(const FuQuectelFirehoseResponse *self,
					  const gchar *key,
					  guint64 *value,
					  GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1, 2);
gboolean
fu_quectel_firehose_response_get_storage(const FuQuectelFirehoseResponse *self,
					 FuQuectelPackageGeometry *geometry,
					 guint64 *total_blocks,
					 GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1, 2);

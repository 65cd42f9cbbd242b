/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

#include "fu-quectel-struct.h"

/* the longest AT response we accept before calling the port broken */
#define FU_QUECTEL_AT_RESPONSE_MAX 4096

gboolean
fu_quectel_at_response_line_is_urc(const gchar *line, const gchar *cmd);
gboolean
fu_quectel_at_response_parse(const gchar *buf,
			     gsize bufsz,
			     const gchar *cmd,
			     FuQuectelAtStatus *status,
			     GPtrArray **lines,
			     GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean
fu_quectel_at_response_parse_ati(GPtrArray *lines,
				 gchar **manufacturer,
				 gchar **model,
				 gchar **revision,
				 GError **error) G_GNUC_WARN_UNUSED_RESULT;
gchar *
fu_quectel_at_response_parse_qgmr(GPtrArray *lines,
				  const gchar *revision,
				  GError **error) G_GNUC_WARN_UNUSED_RESULT;
gchar *
fu_quectel_at_response_parse_imei(GPtrArray *lines, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gchar *
fu_quectel_at_response_parse_relayed_revision(const gchar *revision,
					      const gchar *firmware_version,
					      gchar **full_version,
					      GError **error) G_GNUC_WARN_UNUSED_RESULT;

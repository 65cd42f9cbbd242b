/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

#include "fu-quectel-struct.h"

GPtrArray *
fu_quectel_at_client_transaction(FuUdevDevice *port,
				 const gchar *cmd,
				 FuQuectelAtStatus *status,
				 GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1, 2, 3);
GPtrArray *
fu_quectel_at_client_cmd(FuUdevDevice *port,
			 const gchar *cmd,
			 GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1, 2);
gboolean
fu_quectel_at_client_echo_off(FuUdevDevice *port, GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1);

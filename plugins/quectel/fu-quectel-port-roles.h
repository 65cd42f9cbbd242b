/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

#include "fu-quectel-struct.h"

gboolean
fu_quectel_port_roles_parse(const gchar *str,
			    GArray **roles,
			    GError **error) G_GNUC_WARN_UNUSED_RESULT;

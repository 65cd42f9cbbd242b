/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

#include "fu-quectel-package-struct.h"

const gchar *
fu_quectel_payload_rules_get_what(FuQuectelPayloadFile kind);
const gchar *
fu_quectel_payload_rules_get_globs(FuQuectelPayloadFile kind);
gboolean
fu_quectel_payload_rules_is_required(FuQuectelPayloadFile kind);
gboolean
fu_quectel_payload_rules_match(FuQuectelPayloadFile kind, const gchar *basename) G_GNUC_NON_NULL(2);
gboolean
fu_quectel_payload_rules_check(FuQuectelPayloadFile kind,
			       const gchar *basename,
			       GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(2);

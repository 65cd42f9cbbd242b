/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

gchar *
fu_quectel_firehose_command_build(const gchar *element, ...) G_GNUC_NULL_TERMINATED
    G_GNUC_NON_NULL(1);
gchar *
fu_quectel_firehose_command_build_attrs(const gchar *element, GPtrArray *attrs)
    G_GNUC_NON_NULL(1, 2);

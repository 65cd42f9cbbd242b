/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "fu-quectel-record.h"

gboolean
fu_quectel_record_store_save(const FuQuectelRecord *record, GError **error) G_GNUC_NON_NULL(1);
gboolean
fu_quectel_record_store_remove(const FuQuectelRecord *record, GError **error) G_GNUC_NON_NULL(1);
GPtrArray *
fu_quectel_record_store_load_all(GError **error);
gboolean
fu_quectel_record_store_set_dump_exit(const gchar *physical_id, gint64 when, GError **error)
    G_GNUC_NON_NULL(1);
gint64
fu_quectel_record_store_get_dump_exit(const gchar *physical_id) G_GNUC_NON_NULL(1);

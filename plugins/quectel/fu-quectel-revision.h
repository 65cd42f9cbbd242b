/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

#include "fu-quectel-module.h"

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
fu_quectel_revision_is_upper_alnum(const gchar *str, gsize len) G_GNUC_NON_NULL(1);

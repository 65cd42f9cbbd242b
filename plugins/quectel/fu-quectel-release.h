/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

#include "fu-quectel-package-geometry.h"
#include "fu-quectel-revision.h"

/* the release manifest the converter stores as the first entry of the payload zip */
#define FU_QUECTEL_RELEASE_FILENAME "quectel-release.ini"
/* the converter version that started writing it, for the message on older payloads */
#define FU_QUECTEL_RELEASE_CONVERTER_SINCE "quectel-fw2cab 0.2.0"
/* the largest manifest accepted */
#define FU_QUECTEL_RELEASE_SIZE_MAX 0x1000

/**
 * FuQuectelRelease:
 *
 * What a payload installs: the revision (with its model, variant, baseline, flash size and
 * optional sub-version) and the NAND geometry it was built for.
 **/
typedef struct {
	FuQuectelRevision *revision;
	FuQuectelPackageGeometry geometry;
} FuQuectelRelease;

void
fu_quectel_release_free(FuQuectelRelease *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelRelease, fu_quectel_release_free)

FuQuectelRelease *
fu_quectel_release_new(const FuQuectelRevision *revision,
		       const FuQuectelPackageGeometry *geometry,
		       GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1, 2);
FuQuectelRelease *
fu_quectel_release_parse(const guint8 *buf, gsize bufsz, GError **error) G_GNUC_WARN_UNUSED_RESULT;
GBytes *
fu_quectel_release_to_bytes(const FuQuectelRelease *self) G_GNUC_NON_NULL(1);
gboolean
fu_quectel_release_check_flash(const FuQuectelRelease *self,
			       GPtrArray *partitions,
			       GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1, 2);
gboolean
fu_quectel_release_check_fit(const FuQuectelRelease *self,
			     const FuQuectelRevision *module,
			     GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1, 2);
gboolean
fu_quectel_release_check_fit_version(const FuQuectelRelease *self,
				     const gchar *module_version,
				     GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1);

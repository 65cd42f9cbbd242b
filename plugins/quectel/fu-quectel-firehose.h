/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "fu-quectel-edl-device.h"
#include "fu-quectel-package-geometry.h"

/* the image of a plan step, by its basename in the payload */
typedef GInputStream *(*FuQuectelFirehoseImageFunc)(const gchar *basename,
						    gpointer user_data,
						    GError **error);

gboolean
fu_quectel_firehose_write(FuQuectelEdlDevice *device,
			  GPtrArray *plan,
			  const FuQuectelPackageGeometry *geometry,
			  FuQuectelFirehoseImageFunc image_func,
			  gpointer user_data,
			  FuProgress *progress,
			  GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1, 2, 3, 4, 6);
gboolean
fu_quectel_firehose_power_reset(FuQuectelEdlDevice *device,
				GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1);

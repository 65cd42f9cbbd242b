/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "fu-quectel-edl-transport.h"
#include "fu-quectel-package-geometry.h"

/* the image of a plan step, by its basename in the payload */
typedef GInputStream *(*FuQuectelFirehoseImageFunc)(const gchar *basename,
						    gpointer user_data,
						    GError **error);

typedef enum {
	FU_QUECTEL_FIREHOSE_WRITE_FLAG_NONE = 0,
	/* the module's identity is unknown: a partition table still on the flash must be the
	 * package's before anything is erased */
	FU_QUECTEL_FIREHOSE_WRITE_FLAG_CHECK_FLASH_MIBIB = 1 << 0,
} FuQuectelFirehoseWriteFlags;

gboolean
fu_quectel_firehose_write(FuQuectelEdlTransport *transport,
			  GPtrArray *plan,
			  const FuQuectelPackageGeometry *geometry,
			  GPtrArray *partitions,
			  FuQuectelFirehoseImageFunc image_func,
			  gpointer user_data,
			  FuQuectelFirehoseWriteFlags flags,
			  FuProgress *progress,
			  GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1, 2, 3, 5, 8);
gboolean
fu_quectel_firehose_power_reset(FuQuectelEdlTransport *transport,
				GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1);

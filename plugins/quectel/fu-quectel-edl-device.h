/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

#define FU_TYPE_QUECTEL_EDL_DEVICE (fu_quectel_edl_device_get_type())
G_DECLARE_FINAL_TYPE(FuQuectelEdlDevice, fu_quectel_edl_device, FU, QUECTEL_EDL_DEVICE, FuUsbDevice)

/* the largest transfer the host reads from the target: a Firehose document */
#define FU_QUECTEL_EDL_DEVICE_READ_MAX 0x1000

gboolean
fu_quectel_edl_device_write(FuQuectelEdlDevice *self,
			    guint8 *buf,
			    gsize bufsz,
			    gboolean zlp,
			    guint timeout_ms,
			    GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1);
GByteArray *
fu_quectel_edl_device_read(FuQuectelEdlDevice *self,
			   guint timeout_ms,
			   GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1);
const gchar *
fu_quectel_edl_device_get_version_expected(FuQuectelEdlDevice *self) G_GNUC_NON_NULL(1);

/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

#define FU_TYPE_QUECTEL_EDL_DEVICE (fu_quectel_edl_device_get_type())
G_DECLARE_FINAL_TYPE(FuQuectelEdlDevice, fu_quectel_edl_device, FU, QUECTEL_EDL_DEVICE, FuUsbDevice)

const gchar *
fu_quectel_edl_device_get_version_expected(FuQuectelEdlDevice *self) G_GNUC_NON_NULL(1);
gboolean
fu_quectel_edl_device_get_restarting(FuQuectelEdlDevice *self) G_GNUC_NON_NULL(1);
gboolean
fu_quectel_edl_device_get_dump_mode(FuQuectelEdlDevice *self) G_GNUC_NON_NULL(1);
void
fu_quectel_edl_device_set_dump_exit_tried(FuQuectelEdlDevice *self) G_GNUC_NON_NULL(1);

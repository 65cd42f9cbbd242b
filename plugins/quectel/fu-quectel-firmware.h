/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

#include "fu-quectel-package-geometry.h"
#include "fu-quectel-package-mibib.h"
#include "fu-quectel-package-rawprogram.h"
#include "fu-quectel-release.h"

#define FU_TYPE_QUECTEL_FIRMWARE (fu_quectel_firmware_get_type())
G_DECLARE_FINAL_TYPE(FuQuectelFirmware, fu_quectel_firmware, FU, QUECTEL_FIRMWARE, FuFirmware)

FuFirmware *
fu_quectel_firmware_new(void);
const FuQuectelPackageGeometry *
fu_quectel_firmware_get_geometry(FuQuectelFirmware *self) G_GNUC_NON_NULL(1);
GBytes *
fu_quectel_firmware_get_programmer_bytes(FuQuectelFirmware *self,
					 GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1);
GInputStream *
fu_quectel_firmware_get_image_stream(FuQuectelFirmware *self,
				     const gchar *basename,
				     GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1, 2);
GPtrArray *
fu_quectel_firmware_get_plan(FuQuectelFirmware *self) G_GNUC_NON_NULL(1);
GPtrArray *
fu_quectel_firmware_get_partitions(FuQuectelFirmware *self) G_GNUC_NON_NULL(1);
const FuQuectelRelease *
fu_quectel_firmware_get_release(FuQuectelFirmware *self) G_GNUC_NON_NULL(1);

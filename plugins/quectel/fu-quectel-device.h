/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

#define FU_TYPE_QUECTEL_DEVICE (fu_quectel_device_get_type())
G_DECLARE_FINAL_TYPE(FuQuectelDevice, fu_quectel_device, FU, QUECTEL_DEVICE, FuUdevDevice)

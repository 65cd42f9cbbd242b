/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

#include "fu-quectel-struct.h"

/**
 * FuQuectelSerialPorts:
 *
 * Where a module's serial functions are: the role of the port a device was created for, and
 * the DM port that the DIAG switch to emergency download mode needs.
 **/
typedef struct {
	FuQuectelPortRole role; /* of the port that was probed */
	guint64 ifnum;		/* its USB interface number */
	gchar *dm_port;		/* e.g. /dev/ttyUSB0, or NULL */
	gchar *dm_sysfs_path;	/* its tty class device, or NULL */
	guint count;		/* serial functions found */
} FuQuectelSerialPorts;

void
fu_quectel_serial_ports_free(FuQuectelSerialPorts *proxy);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelSerialPorts, fu_quectel_serial_ports_free)

FuQuectelSerialPorts *
fu_quectel_serial_ports_probe(FuDevice *proxy,
			      FuUdevDevice *usb_device,
			      GArray *roles,
			      GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1, 2, 3);
gboolean
fu_quectel_serial_ports_set_raw(FuUdevDevice *port, GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1);

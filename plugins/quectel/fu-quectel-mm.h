/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

/* a modem ModemManager manages, as its org.freedesktop.ModemManager1.Modem object says */
typedef struct {
	gchar *object_path;
	gchar *device;		     /* the uid InhibitDevice takes: the USB device's sysfs path */
	gchar *manufacturer;	     /* e.g. Quectel */
	gchar *model;		     /* e.g. EC25 */
	gchar *revision;	     /* e.g. EC25EFAR06A08M4G, maybe followed by a build date */
	gchar *equipment_identifier; /* the IMEI */
	gchar *firmware_version;     /* Modem.Firmware UpdateSettings version, or NULL */
} FuQuectelMmModem;

void
fu_quectel_mm_modem_free(FuQuectelMmModem *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelMmModem, fu_quectel_mm_modem_free)

FuQuectelMmModem *
fu_quectel_mm_find_modem(const gchar *usb_sysfs_path, GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1);
gboolean
fu_quectel_mm_inhibit_device(const gchar *uid,
			     gboolean *inhibited,
			     GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1, 2);
gboolean
fu_quectel_mm_inhibit(const gchar *uid, gboolean inhibit, GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1);

/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "fu-quectel-mm.h"

#define FU_QUECTEL_MM_SERVICE	 "org.freedesktop.ModemManager1"
#define FU_QUECTEL_MM_PATH	 "/org/freedesktop/ModemManager1"
#define FU_QUECTEL_MM_INTERFACE	 "org.freedesktop.ModemManager1"
#define FU_QUECTEL_MM_TIMEOUT_MS 5000

/**
 * fu_quectel_mm_inhibit:
 * @uid: the modem as ModemManager names it: the sysfs path of its USB device
 * @inhibit: %TRUE to make ModemManager let go of the modem, %FALSE to give it back
 * @error: (nullable): optional return location for an error
 *
 * ModemManager probes and drives the module's ports, and would race the update; an inhibited
 * modem is left alone until uninhibited or until this process leaves the system bus. Without
 * a system bus or without ModemManager there is nothing to do.
 *
 * Returns: %TRUE for success, or if ModemManager is not running
 **/
gboolean
fu_quectel_mm_inhibit(const gchar *uid, gboolean inhibit, GError **error)
{
	gboolean running = FALSE;
	g_autoptr(GDBusConnection) connection = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GVariant) owner = NULL;
	g_autoptr(GVariant) rsp = NULL;

	connection = g_bus_get_sync(G_BUS_TYPE_SYSTEM, NULL, &error_local);
	if (connection == NULL) {
		g_debug("no system bus, so no ModemManager to inhibit: %s", error_local->message);
		return TRUE;
	}
	owner = g_dbus_connection_call_sync(connection,
					    "org.freedesktop.DBus",
					    "/org/freedesktop/DBus",
					    "org.freedesktop.DBus",
					    "NameHasOwner",
					    g_variant_new("(s)", FU_QUECTEL_MM_SERVICE),
					    G_VARIANT_TYPE("(b)"),
					    G_DBUS_CALL_FLAGS_NONE,
					    FU_QUECTEL_MM_TIMEOUT_MS,
					    NULL,
					    &error_local);
	if (owner != NULL)
		g_variant_get(owner, "(b)", &running);
	if (!running) {
		g_debug("ModemManager is not running, nothing to inhibit");
		return TRUE;
	}
	rsp = g_dbus_connection_call_sync(connection,
					  FU_QUECTEL_MM_SERVICE,
					  FU_QUECTEL_MM_PATH,
					  FU_QUECTEL_MM_INTERFACE,
					  "InhibitDevice",
					  g_variant_new("(sb)", uid, inhibit),
					  NULL,
					  G_DBUS_CALL_FLAGS_NONE,
					  FU_QUECTEL_MM_TIMEOUT_MS,
					  NULL,
					  error);
	if (rsp == NULL) {
		fwupd_error_convert(error);
		g_prefix_error(error,
			       "ModemManager failed to %s %s: ",
			       inhibit ? "inhibit" : "uninhibit",
			       uid);
		return FALSE;
	}
	g_debug("ModemManager %s %s", inhibit ? "inhibited" : "uninhibited", uid);
	return TRUE;
}

/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "fu-quectel-mm.h"

#define FU_QUECTEL_MM_SERVICE		 "org.freedesktop.ModemManager1"
#define FU_QUECTEL_MM_PATH		 "/org/freedesktop/ModemManager1"
#define FU_QUECTEL_MM_INTERFACE		 "org.freedesktop.ModemManager1"
#define FU_QUECTEL_MM_MODEM_INTERFACE	 "org.freedesktop.ModemManager1.Modem"
#define FU_QUECTEL_MM_FIRMWARE_INTERFACE "org.freedesktop.ModemManager1.Modem.Firmware"
#define FU_QUECTEL_MM_TIMEOUT_MS	 5000
/* inhibiting closes the ports and waits for running operations to end */
#define FU_QUECTEL_MM_INHIBIT_TIMEOUT_MS 20000

/* errors of ModemManager's InhibitDevice that the plugin handles itself */
#define FU_QUECTEL_MM_ERROR_NOT_FOUND	  "org.freedesktop.ModemManager1.Error.Core.NotFound"
#define FU_QUECTEL_MM_ERROR_UNAUTHORIZED  "org.freedesktop.ModemManager1.Error.Core.Unauthorized"
#define FU_QUECTEL_MM_ERROR_ACCESS_DENIED "org.freedesktop.DBus.Error.AccessDenied"
/* the polkit action InhibitDevice needs */
#define FU_QUECTEL_MM_POLKIT_ACTION "org.freedesktop.ModemManager1.Control"

void
fu_quectel_mm_modem_free(FuQuectelMmModem *self)
{
	g_free(self->object_path);
	g_free(self->device);
	g_free(self->manufacturer);
	g_free(self->model);
	g_free(self->revision);
	g_free(self->equipment_identifier);
	g_free(self->firmware_version);
	g_free(self);
}

/* the system bus if ModemManager is on it; NOT_FOUND otherwise */
static GDBusConnection *
fu_quectel_mm_connect(GError **error)
{
	gboolean running = FALSE;
	g_autoptr(GDBusConnection) connection = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GVariant) owner = NULL;

	connection = g_bus_get_sync(G_BUS_TYPE_SYSTEM, NULL, &error_local);
	if (connection == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_FOUND,
			    "no system bus, so no ModemManager: %s",
			    error_local->message);
		return NULL;
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
	if (owner == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_FOUND,
			    "cannot ask the system bus for ModemManager: %s",
			    error_local->message);
		return NULL;
	}
	g_variant_get(owner, "(b)", &running);
	if (!running) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_NOT_FOUND,
				    "ModemManager is not running");
		return NULL;
	}
	return g_steal_pointer(&connection);
}

static gchar *
fu_quectel_mm_dup_string(GVariant *props, const gchar *key)
{
	const gchar *value = NULL;
	if (props == NULL || !g_variant_lookup(props, key, "&s", &value))
		return NULL;
	return g_strdup(value);
}

/* Modem.Firmware UpdateSettings is (ua{sv}); for Quectel modules "version" is AT+QGMR */
static gchar *
fu_quectel_mm_firmware_version(GVariant *firmware_props)
{
	const gchar *version = NULL;
	guint32 methods = 0;
	g_autoptr(GVariant) settings = NULL;
	g_autoptr(GVariant) dict = NULL;

	if (firmware_props == NULL)
		return NULL;
	settings =
	    g_variant_lookup_value(firmware_props, "UpdateSettings", G_VARIANT_TYPE("(ua{sv})"));
	if (settings == NULL)
		return NULL;
	g_variant_get(settings, "(u@a{sv})", &methods, &dict);
	if (!g_variant_lookup(dict, "version", "&s", &version) || version[0] == '\0')
		return NULL;
	return g_strdup(version);
}

/**
 * fu_quectel_mm_find_modem:
 * @usb_sysfs_path: the module's USB device, as ModemManager names it
 * @error: (nullable): optional return location for an error
 *
 * Finds the modem object ModemManager exports for the module: the one whose `Device` is the
 * USB device. Port names are no key: the kernel gives them to the next module once this one
 * leaves the bus, and ModemManager's objects may still list them. Only reads properties,
 * which the bus allows everyone.
 *
 * Returns: (transfer full): the modem, or %NULL with %FWUPD_ERROR_NOT_FOUND if ModemManager
 * is not running or does not manage the module
 **/
FuQuectelMmModem *
fu_quectel_mm_find_modem(const gchar *usb_sysfs_path, GError **error)
{
	const gchar *path = NULL;
	g_autoptr(GDBusConnection) connection = NULL;
	g_autoptr(GVariant) rsp = NULL;
	g_autoptr(GVariantIter) objects = NULL;
	g_autoptr(GVariant) interfaces = NULL;

	connection = fu_quectel_mm_connect(error);
	if (connection == NULL)
		return NULL;
	rsp = g_dbus_connection_call_sync(connection,
					  FU_QUECTEL_MM_SERVICE,
					  FU_QUECTEL_MM_PATH,
					  "org.freedesktop.DBus.ObjectManager",
					  "GetManagedObjects",
					  NULL,
					  G_VARIANT_TYPE("(a{oa{sa{sv}}})"),
					  G_DBUS_CALL_FLAGS_NONE,
					  FU_QUECTEL_MM_TIMEOUT_MS,
					  NULL,
					  error);
	if (rsp == NULL) {
		g_prefix_error_literal(error, "failed to list the modems of ModemManager: ");
		return NULL;
	}
	g_variant_get(rsp, "(a{oa{sa{sv}}})", &objects);
	while (g_variant_iter_next(objects, "{&o@a{sa{sv}}}", &path, &interfaces)) {
		g_autofree gchar *device = NULL;
		g_autoptr(GVariant) props = NULL;
		g_autoptr(GVariant) firmware_props = NULL;
		g_autoptr(FuQuectelMmModem) modem = NULL;

		props = g_variant_lookup_value(interfaces,
					       FU_QUECTEL_MM_MODEM_INTERFACE,
					       G_VARIANT_TYPE_VARDICT);
		if (props == NULL) {
			g_clear_pointer(&interfaces, g_variant_unref);
			continue;
		}
		device = fu_quectel_mm_dup_string(props, "Device");
		if (g_strcmp0(device, usb_sysfs_path) != 0) {
			g_clear_pointer(&interfaces, g_variant_unref);
			continue;
		}
		firmware_props = g_variant_lookup_value(interfaces,
							FU_QUECTEL_MM_FIRMWARE_INTERFACE,
							G_VARIANT_TYPE_VARDICT);
		modem = g_new0(FuQuectelMmModem, 1);
		modem->object_path = g_strdup(path);
		modem->device = g_steal_pointer(&device);
		modem->manufacturer = fu_quectel_mm_dup_string(props, "Manufacturer");
		modem->model = fu_quectel_mm_dup_string(props, "Model");
		modem->revision = fu_quectel_mm_dup_string(props, "Revision");
		modem->equipment_identifier =
		    fu_quectel_mm_dup_string(props, "EquipmentIdentifier");
		modem->firmware_version = fu_quectel_mm_firmware_version(firmware_props);
		g_clear_pointer(&interfaces, g_variant_unref);
		return g_steal_pointer(&modem);
	}
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_NOT_FOUND,
		    "ModemManager does not manage %s",
		    usb_sysfs_path);
	return NULL;
}

/* the D-Bus name of a remote error, or NULL */
static gchar *
fu_quectel_mm_remote_error(const GError *error)
{
	if (!g_dbus_error_is_remote_error(error))
		return NULL;
	return g_dbus_error_get_remote_error(error);
}

static gboolean
fu_quectel_mm_call_inhibit(const gchar *uid, gboolean inhibit, gboolean *done, GError **error)
{
	g_autofree gchar *remote = NULL;
	g_autoptr(GDBusConnection) connection = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GVariant) rsp = NULL;

	*done = FALSE;
	connection = fu_quectel_mm_connect(&error_local);
	if (connection == NULL) {
		g_debug("nothing to %s: %s",
			inhibit ? "inhibit" : "uninhibit",
			error_local->message);
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
					  FU_QUECTEL_MM_INHIBIT_TIMEOUT_MS,
					  NULL,
					  &error_local);
	if (rsp != NULL) {
		g_debug("ModemManager %s %s", inhibit ? "inhibited" : "uninhibited", uid);
		*done = TRUE;
		return TRUE;
	}
	remote = fu_quectel_mm_remote_error(error_local);

	/* ModemManager does not know the module (not probed, ignored by udev rules, or another
	 * modem managed), or has no inhibition of ours to end: nothing to do */
	if (g_strcmp0(remote, FU_QUECTEL_MM_ERROR_NOT_FOUND) == 0) {
		g_dbus_error_strip_remote_error(error_local);
		g_info("ModemManager does not manage %s, nothing to %s: %s",
		       uid,
		       inhibit ? "inhibit" : "uninhibit",
		       error_local->message);
		return TRUE;
	}

	/* the bus policy (root only) or polkit refused */
	if (g_strcmp0(remote, FU_QUECTEL_MM_ERROR_UNAUTHORIZED) == 0 ||
	    g_strcmp0(remote, FU_QUECTEL_MM_ERROR_ACCESS_DENIED) == 0) {
		g_dbus_error_strip_remote_error(error_local);
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_PERMISSION_DENIED,
			    "ModemManager refused to %s module %s (%s: %s): run the update as "
			    "root (as the fwupd daemon does), or allow this user the polkit action "
			    "%s, or stop ModemManager during the update (systemctl stop "
			    "ModemManager); the module was not changed",
			    inhibit ? "release" : "take back",
			    uid,
			    remote,
			    error_local->message,
			    FU_QUECTEL_MM_POLKIT_ACTION);
		return FALSE;
	}
	g_dbus_error_strip_remote_error(error_local);
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_INTERNAL,
		    "ModemManager failed to %s %s: %s%s%s",
		    inhibit ? "inhibit" : "uninhibit",
		    uid,
		    error_local->message,
		    remote != NULL ? " " : "",
		    remote != NULL ? remote : "");
	return FALSE;
}

/**
 * fu_quectel_mm_inhibit_device:
 * @uid: the modem as ModemManager names it: the sysfs path of its USB device
 * @inhibited: (out): whether ModemManager let go of a modem
 * @error: (nullable): optional return location for an error
 *
 * ModemManager probes and drives the module's ports, and would race the update; an inhibited
 * modem is left alone until uninhibited or until this process leaves the system bus. Without
 * a system bus, without ModemManager, or when ModemManager does not manage the module
 * (`Core.NotFound`), there is nothing to inhibit. A refusal by the bus policy or by polkit is
 * an error that says what to do.
 *
 * Returns: %TRUE if the update may go on
 **/
gboolean
fu_quectel_mm_inhibit_device(const gchar *uid, gboolean *inhibited, GError **error)
{
	return fu_quectel_mm_call_inhibit(uid, TRUE, inhibited, error);
}

/**
 * fu_quectel_mm_inhibit:
 * @uid: the modem as ModemManager names it: the sysfs path of its USB device
 * @inhibit: %TRUE to make ModemManager let go of the modem, %FALSE to give it back
 * @error: (nullable): optional return location for an error
 *
 * As fu_quectel_mm_inhibit_device(); giving back a modem that ModemManager does not hold
 * inhibited for this process is not an error.
 *
 * Returns: %TRUE for success, or if there was nothing to do
 **/
gboolean
fu_quectel_mm_inhibit(const gchar *uid, gboolean inhibit, GError **error)
{
	gboolean done = FALSE;
	return fu_quectel_mm_call_inhibit(uid, inhibit, &done, error);
}

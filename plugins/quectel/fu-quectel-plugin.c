/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <fwupdplugin.h>

#include "fu-quectel-device.h"
#include "fu-quectel-edl-device.h"
#include "fu-quectel-firmware.h"
#include "fu-quectel-mm.h"
#include "fu-quectel-module.h"
#include "fu-quectel-record-store.h"

/* the PBL's emergency download mode: the same on every MDM9607 module */
#define FU_QUECTEL_PLUGIN_EDL_VID 0x05C6
#define FU_QUECTEL_PLUGIN_EDL_PID 0x9008

/* the stock plugin of every Qualcomm EDL device, and why it does not update ours */
#define FU_QUECTEL_PLUGIN_QC_FIREHOSE	      "qc_firehose"
#define FU_QUECTEL_PLUGIN_INHIBIT_ID	      "quectel-mdm9607"
#define FU_QUECTEL_PLUGIN_CACHE_PREFIX_QC     "qc-firehose:"
#define FU_QUECTEL_PLUGIN_CACHE_PREFIX_MODULE "quectel-edl:"

/* a module that setup reset is back on USB within its boot time (normal mode takes longest) */
#define FU_QUECTEL_PLUGIN_RESTART_TIMEOUT_MS 60000
/* a module back in dump mode this soon after a Sahara reset stays there: no second reset */
#define FU_QUECTEL_PLUGIN_DUMP_EXIT_WINDOW_US (5 * G_USEC_PER_SEC * 60)

/* the name of the engine's source of udev hotplug events */
#define FU_QUECTEL_PLUGIN_HOTPLUG_SOURCE "netlink"

struct FuPluginData {
	GHashTable *restarting;	    /* physical IDs of the modules that setup reset */
	gint64 restarting_deadline; /* monotonic time (µs) by which the last one is back */
};

/* a vfunc of the modular plugin: FuPlugin's own finalize calls it, then its parent's */
static void
fu_quectel_plugin_finalize(GObject *obj) /* nocheck:finalize */
{
	FuPluginData *priv = fu_plugin_get_data(FU_PLUGIN(obj));
	g_hash_table_unref(priv->restarting);
}

/* the plugin reset this module in dump mode a moment ago, in this process or an earlier one */
static gboolean
fu_quectel_plugin_dump_exit_tried(const gchar *physical_id)
{
	gint64 when = fu_quectel_record_store_get_dump_exit(physical_id);
	gint64 age = g_get_real_time() - when;
	return when > 0 && age >= 0 && age < FU_QUECTEL_PLUGIN_DUMP_EXIT_WINDOW_US;
}

/* the module left dump mode: a later dump mode is a new one, worth a reset */
static void
fu_quectel_plugin_dump_exit_forget(const gchar *physical_id)
{
	g_autoptr(GError) error_local = NULL;
	if (!fu_quectel_record_store_set_dump_exit(physical_id, 0, &error_local))
		g_warning("%s", error_local->message);
}

/*
 * Setup reset a module (a programmer left running, Quectel's dump mode): it comes back as
 * another USB device, which the engine learns from a hotplug event. fwupdtool matches the
 * cabinet right after enumerating, so wait here, after the enumeration, until every such
 * module is back (as a device of this plugin, or declined by it) or its time is up.
 */
static void
fu_quectel_plugin_restarting_update(FuPlugin *plugin, FuQuectelEdlDevice *device)
{
	FuPluginData *priv = fu_plugin_get_data(plugin);
	const gchar *physical_id = fu_device_get_physical_id(FU_DEVICE(device));

	if (physical_id == NULL)
		return;

	/* back in the PBL but not listed (another chip, no answer): nothing more will come; a
	 * module back in normal mode is listed from its serial ports, which come next */
	if (!fu_quectel_edl_device_get_restarting(device)) {
		if (fu_device_get_vid(FU_DEVICE(device)) == FU_QUECTEL_PLUGIN_EDL_VID)
			g_hash_table_remove(priv->restarting, physical_id);
		return;
	}
	g_hash_table_add(priv->restarting, g_strdup(physical_id));
	priv->restarting_deadline =
	    g_get_monotonic_time() + FU_QUECTEL_PLUGIN_RESTART_TIMEOUT_MS * 1000;
	if (fu_quectel_edl_device_get_dump_mode(device)) {
		g_autoptr(GError) error_local = NULL;
		if (!fu_quectel_record_store_set_dump_exit(physical_id,
							   g_get_real_time(),
							   &error_local))
			g_warning("%s", error_local->message);
	}
}

static gboolean
fu_quectel_plugin_restarting_timeout_cb(gpointer user_data)
{
	gboolean *timed_out = user_data;
	if (timed_out != NULL)
		*timed_out = TRUE;
	return G_SOURCE_REMOVE;
}

/*
 * Whether the engine hears hotplug events: fwupdtool enumerates once for commands that only
 * list (get-devices), and the module would never be seen coming back. fwupd 2.0 names the
 * source of its udev backend "netlink"; the default context's sources are numbered in order,
 * up to the newest one.
 */
static gboolean
fu_quectel_plugin_has_hotplug(void)
{
	guint id_newest = g_idle_add(fu_quectel_plugin_restarting_timeout_cb, NULL);
	gboolean found = FALSE;

	for (guint id = 1; id < id_newest && !found; id++) {
		GSource *source = g_main_context_find_source_by_id(NULL, id);
		if (source != NULL &&
		    g_strcmp0(g_source_get_name(source), FU_QUECTEL_PLUGIN_HOTPLUG_SOURCE) == 0)
			found = TRUE;
	}
	g_source_remove(id_newest);
	return found;
}

static gboolean
fu_quectel_plugin_ready(FuPlugin *plugin, FuProgress *progress, GError **error)
{
	FuPluginData *priv = fu_plugin_get_data(plugin);
	gboolean timed_out = FALSE;
	guint timeout_id;

	if (g_hash_table_size(priv->restarting) == 0)
		return TRUE;
	if (!fu_quectel_plugin_has_hotplug()) {
		g_info("%u module(s) were reset and come back after this command: no hotplug "
		       "events are watched",
		       g_hash_table_size(priv->restarting));
		g_hash_table_remove_all(priv->restarting);
		return TRUE;
	}
	g_info("waiting for %u reset module(s) to come back", g_hash_table_size(priv->restarting));
	timeout_id =
	    g_timeout_add(MAX(priv->restarting_deadline - g_get_monotonic_time(), 0) / 1000,
			  fu_quectel_plugin_restarting_timeout_cb,
			  &timed_out);
	while (g_hash_table_size(priv->restarting) > 0 && !timed_out)
		g_main_context_iteration(NULL, TRUE);
	if (timed_out) {
		g_info("%u reset module(s) did not come back within %u ms",
		       g_hash_table_size(priv->restarting),
		       (guint)FU_QUECTEL_PLUGIN_RESTART_TIMEOUT_MS);
		g_hash_table_remove_all(priv->restarting);
	} else {
		g_source_remove(timeout_id);
	}
	return TRUE;
}

static void
fu_quectel_plugin_load(FuContext *ctx)
{
	fu_context_add_quirk_key(ctx, "QuectelSerialPorts");
	fu_context_add_quirk_key(ctx, "QuectelModels");
}

static GType
fu_quectel_plugin_device_gtype(FuPlugin *plugin, FuDevice *device)
{
	if (FU_IS_USB_DEVICE(device) && fu_device_get_vid(device) == FU_QUECTEL_PLUGIN_EDL_VID &&
	    fu_device_get_pid(device) == FU_QUECTEL_PLUGIN_EDL_PID)
		return FU_TYPE_QUECTEL_EDL_DEVICE;
	/* the SBL dump mode has the normal-mode ID: the EDL device's probe tells them apart */
	if (FU_IS_USB_DEVICE(device) && fu_device_get_vid(device) == FU_QUECTEL_MODULE_USB_VID &&
	    fu_device_get_pid(device) == FU_QUECTEL_MODULE_USB_PID_EC25)
		return FU_TYPE_QUECTEL_EDL_DEVICE;
	if (FU_IS_UDEV_DEVICE(device) &&
	    g_strcmp0(fu_udev_device_get_subsystem(FU_UDEV_DEVICE(device)), "tty") == 0)
		return FU_TYPE_QUECTEL_DEVICE;
	return G_TYPE_INVALID;
}

/* the device type is ours to choose: the GType quirk of 05c6:9008 belongs to qc_firehose */
static gboolean
fu_quectel_plugin_backend_device_added(FuPlugin *plugin,
				       FuDevice *device,
				       FuProgress *progress,
				       GError **error)
{
	GType gtype = fu_quectel_plugin_device_gtype(plugin, device);
	g_autoptr(FuDevice) dev = NULL;
	g_autoptr(FuDeviceLocker) locker = NULL;

	if (gtype == G_TYPE_INVALID) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_NOT_SUPPORTED,
				    "neither a serial port nor 05c6:9008 nor 2c7c:0125");
		return FALSE;
	}
	/* a new USB device: whether it is an MDM9607 module is to be found out again */
	if (gtype == FU_TYPE_QUECTEL_EDL_DEVICE && fu_device_get_backend_id(device) != NULL) {
		g_autofree gchar *key_module =
		    g_strdup_printf("%s%s",
				    FU_QUECTEL_PLUGIN_CACHE_PREFIX_MODULE,
				    fu_device_get_backend_id(device));
		fu_plugin_cache_remove(plugin, key_module);
	}
	dev = g_object_new(gtype, "context", fu_plugin_get_context(plugin), NULL);
	fu_device_incorporate(dev, device, FU_DEVICE_INCORPORATE_FLAG_ALL);
	if (gtype == FU_TYPE_QUECTEL_EDL_DEVICE && fu_device_get_physical_id(device) != NULL &&
	    fu_quectel_plugin_dump_exit_tried(fu_device_get_physical_id(device)))
		fu_quectel_edl_device_set_dump_exit_tried(FU_QUECTEL_EDL_DEVICE(dev));
	locker = fu_device_locker_new(dev, error);
	if (locker == NULL) {
		if (gtype == FU_TYPE_QUECTEL_EDL_DEVICE)
			fu_quectel_plugin_restarting_update(plugin, FU_QUECTEL_EDL_DEVICE(dev));
		return FALSE;
	}
	fu_plugin_device_add(plugin, dev);
	return TRUE;
}

/*
 * The normal-mode device inhibits and uninhibits ModemManager itself. A failed update can leave
 * the module in EDL, where the engine could not open the device for a device cleanup: give
 * the module back to ModemManager here, which needs no open device.
 */
static gboolean
fu_quectel_plugin_cleanup(FuPlugin *plugin,
			  FuDevice *device,
			  FuProgress *progress,
			  FwupdInstallFlags flags,
			  GError **error)
{
	const gchar *uid;
	g_autoptr(GError) error_local = NULL;

	if (!FU_IS_QUECTEL_EDL_DEVICE(device))
		return TRUE;
	uid = fu_udev_device_get_sysfs_path(FU_UDEV_DEVICE(device));
	if (uid == NULL)
		return TRUE;
	if (!fu_quectel_mm_inhibit(uid, FALSE, &error_local))
		g_warning("%s", error_local->message);
	return TRUE;
}

static void
fu_quectel_plugin_inhibit_qc_firehose(FuPlugin *plugin, FuDevice *device)
{
	g_debug("the MDM9607 module at %s is updated by the %s plugin, not qc_firehose",
		fu_device_get_backend_id(device),
		fu_plugin_get_name(plugin));
	fu_device_inhibit(device,
			  FU_QUECTEL_PLUGIN_INHIBIT_ID,
			  "An EC25/EG25 module: it is updated by the quectel plugin");
}

/*
 * Both plugins are offered every 05c6:9008 device: the quectel plugin declines a chip that is
 * not an MDM9607 (left to qc_firehose), and for an EC25/EG25 the qc_firehose device of the
 * same USB device is not updatable, so the module has one updatable device. quectel.quirk
 * makes the quectel plugin run first, so qc_firehose's device finds the answer already here.
 */
static void
fu_quectel_plugin_device_registered(FuPlugin *plugin, FuDevice *device)
{
	const gchar *backend_id = fu_device_get_backend_id(device);
	g_autofree gchar *key_qc = NULL;
	g_autofree gchar *key_module = NULL;

	/* a module that was reset is back: in normal mode, in EDL or in dump mode again */
	if ((FU_IS_QUECTEL_DEVICE(device) || FU_IS_QUECTEL_EDL_DEVICE(device)) &&
	    fu_device_get_physical_id(device) != NULL) {
		FuPluginData *priv = fu_plugin_get_data(plugin);
		g_hash_table_remove(priv->restarting, fu_device_get_physical_id(device));
		if (!FU_IS_QUECTEL_EDL_DEVICE(device) ||
		    !fu_quectel_edl_device_get_dump_mode(FU_QUECTEL_EDL_DEVICE(device)))
			fu_quectel_plugin_dump_exit_forget(fu_device_get_physical_id(device));
	}
	if (backend_id == NULL)
		return;
	key_qc = g_strdup_printf("%s%s", FU_QUECTEL_PLUGIN_CACHE_PREFIX_QC, backend_id);
	key_module = g_strdup_printf("%s%s", FU_QUECTEL_PLUGIN_CACHE_PREFIX_MODULE, backend_id);
	if (FU_IS_QUECTEL_EDL_DEVICE(device)) {
		FuDevice *device_qc = fu_plugin_cache_lookup(plugin, key_qc);
		fu_plugin_cache_add(plugin, key_module, device);
		if (device_qc != NULL)
			fu_quectel_plugin_inhibit_qc_firehose(plugin, device_qc);
		return;
	}
	if (g_strcmp0(fu_device_get_plugin(device), FU_QUECTEL_PLUGIN_QC_FIREHOSE) == 0 &&
	    fu_device_get_vid(device) == FU_QUECTEL_PLUGIN_EDL_VID &&
	    fu_device_get_pid(device) == FU_QUECTEL_PLUGIN_EDL_PID) {
		fu_plugin_cache_add(plugin, key_qc, device);
		if (fu_plugin_cache_lookup(plugin, key_module) != NULL)
			fu_quectel_plugin_inhibit_qc_firehose(plugin, device);
	}
}

static void
fu_quectel_plugin_constructed(GObject *obj)
{
	FuPlugin *plugin = FU_PLUGIN(obj);
	FuPluginData *priv = fu_plugin_alloc_data(plugin, sizeof(FuPluginData));

	priv->restarting = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	/* normal mode: from the USB serial ports, whatever the USB composition */
	fu_plugin_add_device_udev_subsystem(plugin, "tty");
	/* EDL: 05c6:9008, selected by the quirk file */
	fu_plugin_add_udev_subsystem(plugin, "usb");
	fu_plugin_add_device_gtype(plugin, FU_TYPE_QUECTEL_DEVICE);
	fu_plugin_add_device_gtype(plugin, FU_TYPE_QUECTEL_EDL_DEVICE);
	fu_plugin_add_firmware_gtype(plugin, "quectel", FU_TYPE_QUECTEL_FIRMWARE);
}

void
fu_plugin_init_vfuncs(FuPluginVfuncs *vfuncs)
{
	vfuncs->load = fu_quectel_plugin_load;
	vfuncs->constructed = fu_quectel_plugin_constructed;
	vfuncs->finalize = fu_quectel_plugin_finalize;
	vfuncs->ready = fu_quectel_plugin_ready;
	vfuncs->backend_device_added = fu_quectel_plugin_backend_device_added;
	vfuncs->cleanup = fu_quectel_plugin_cleanup;
	vfuncs->device_registered = fu_quectel_plugin_device_registered;
}

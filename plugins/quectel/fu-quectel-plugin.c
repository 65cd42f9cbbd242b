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

/* the PBL's emergency download mode: the same on every MDM9607 module */
#define FU_QUECTEL_PLUGIN_EDL_VID 0x05C6
#define FU_QUECTEL_PLUGIN_EDL_PID 0x9008

/* the stock plugins that also see a Quectel module, and whose devices we hide */
#define FU_QUECTEL_PLUGIN_CACHE_PREFIX "foreign:"

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
				    "neither a serial port nor 05c6:9008");
		return FALSE;
	}
	dev = g_object_new(gtype, "context", fu_plugin_get_context(plugin), NULL);
	fu_device_incorporate(dev, device, FU_DEVICE_INCORPORATE_FLAG_ALL);
	locker = fu_device_locker_new(dev, error);
	if (locker == NULL)
		return FALSE;
	fu_plugin_device_add(plugin, dev);
	return TRUE;
}

static gboolean
fu_quectel_plugin_is_same_module(FuPlugin *plugin, FuDevice *device, FuDevice *foreign)
{
	const gchar *physical_id = fu_device_get_physical_id(foreign);
	g_autofree gchar *basename = NULL;

	/* ModemManager names the module by its sysfs path, qc_firehose by its USB port */
	if (physical_id == NULL || fu_device_get_physical_id(device) == NULL)
		return FALSE;
	basename = g_path_get_basename(physical_id);
	return g_strcmp0(basename, fu_device_get_physical_id(device)) == 0;
}

static void
fu_quectel_plugin_inhibit(FuPlugin *plugin, FuDevice *device, FuDevice *foreign)
{
	g_debug("hiding %s device %s: the %s plugin updates module %s",
		fu_device_get_plugin(foreign),
		fu_device_get_id(foreign),
		fu_plugin_get_name(plugin),
		fu_device_get_physical_id(device));
	fu_device_inhibit(foreign, "quectel", "Updated by the Quectel plugin");
}

/* exactly one updatable device per module, whichever plugin registers first */
static void
fu_quectel_plugin_device_registered(FuPlugin *plugin, FuDevice *device)
{
	const gchar *foreign_plugins[] = {"qc_firehose", "modem_manager", NULL};
	GPtrArray *devices = fu_plugin_get_devices(plugin);
	g_autofree gchar *cache_id = NULL;

	if (fu_device_get_plugin(device) == NULL)
		return;
	if (g_strv_contains(foreign_plugins, fu_device_get_plugin(device))) {
		g_autofree gchar *basename = NULL;
		for (guint i = 0; i < devices->len; i++) {
			FuDevice *device_tmp = g_ptr_array_index(devices, i);
			if (fu_quectel_plugin_is_same_module(plugin, device_tmp, device)) {
				fu_quectel_plugin_inhibit(plugin, device_tmp, device);
				return;
			}
		}
		if (fu_device_get_physical_id(device) == NULL)
			return;
		basename = g_path_get_basename(fu_device_get_physical_id(device));
		cache_id = g_strdup_printf("%s%s:%s",
					   FU_QUECTEL_PLUGIN_CACHE_PREFIX,
					   fu_device_get_plugin(device),
					   basename);
		fu_plugin_cache_add(plugin, cache_id, device);
		return;
	}
	if (g_strcmp0(fu_device_get_plugin(device), fu_plugin_get_name(plugin)) != 0)
		return;
	for (guint i = 0; foreign_plugins[i] != NULL; i++) {
		FuDevice *foreign;
		g_free(cache_id);
		cache_id = g_strdup_printf("%s%s:%s",
					   FU_QUECTEL_PLUGIN_CACHE_PREFIX,
					   foreign_plugins[i],
					   fu_device_get_physical_id(device));
		foreign = fu_plugin_cache_lookup(plugin, cache_id);
		if (foreign == NULL)
			continue;
		fu_quectel_plugin_inhibit(plugin, device, foreign);
		fu_plugin_cache_remove(plugin, cache_id);
	}
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
fu_quectel_plugin_constructed(GObject *obj)
{
	FuPlugin *plugin = FU_PLUGIN(obj);

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
	vfuncs->backend_device_added = fu_quectel_plugin_backend_device_added;
	vfuncs->device_registered = fu_quectel_plugin_device_registered;
	vfuncs->cleanup = fu_quectel_plugin_cleanup;
}

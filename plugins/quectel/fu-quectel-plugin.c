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

/* the stock plugin of every Qualcomm EDL device, and why it does not update ours */
#define FU_QUECTEL_PLUGIN_QC_FIREHOSE	      "qc_firehose"
#define FU_QUECTEL_PLUGIN_INHIBIT_ID	      "quectel-mdm9607"
#define FU_QUECTEL_PLUGIN_CACHE_PREFIX_QC     "qc-firehose:"
#define FU_QUECTEL_PLUGIN_CACHE_PREFIX_MODULE "quectel-edl:"

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
	locker = fu_device_locker_new(dev, error);
	if (locker == NULL)
		return FALSE;
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
	vfuncs->cleanup = fu_quectel_plugin_cleanup;
	vfuncs->device_registered = fu_quectel_plugin_device_registered;
}

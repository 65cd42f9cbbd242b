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
	vfuncs->cleanup = fu_quectel_plugin_cleanup;
}

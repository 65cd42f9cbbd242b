/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <fwupdplugin.h>

#include "fu-quectel-device.h"

static void
fu_quectel_plugin_load(FuContext *ctx)
{
	fu_context_add_quirk_key(ctx, "QuectelSerialPorts");
	fu_context_add_quirk_key(ctx, "QuectelModels");
}

static void
fu_quectel_plugin_constructed(GObject *obj)
{
	FuPlugin *plugin = FU_PLUGIN(obj);

	/* the module is found from its USB serial ports, whatever the USB composition */
	fu_plugin_add_device_udev_subsystem(plugin, "tty");
	fu_plugin_add_device_gtype(plugin, FU_TYPE_QUECTEL_DEVICE);
	fu_plugin_set_device_gtype_default(plugin, FU_TYPE_QUECTEL_DEVICE);
}

void
fu_plugin_init_vfuncs(FuPluginVfuncs *vfuncs)
{
	vfuncs->load = fu_quectel_plugin_load;
	vfuncs->constructed = fu_quectel_plugin_constructed;
}

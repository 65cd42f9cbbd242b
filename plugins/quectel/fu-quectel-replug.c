/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "fu-quectel-replug.h"

/* how often the hotplug events are looked at while the module is away */
#define FU_QUECTEL_REPLUG_POLL_MS 10

/**
 * fu_quectel_replug_wait:
 * @device: the module as it was before it left USB (normal mode or EDL)
 * @expected: (not nullable): what it comes back as, e.g. "05c6:9008 (emergency download mode)"
 * @error: (nullable): optional return location for an error
 *
 * Waits, as the engine would after a detach or an attach, for the module to come back on USB
 * as a device with the same ID: the engine then takes %FWUPD_DEVICE_FLAG_WAIT_FOR_REPLUG off
 * @device. The engine's own message on a timeout names a device ID hash; this one names the
 * USB port and what was expected. Within fwupd's emulation the engine replays the module's
 * return itself, so the wait is left to it.
 *
 * Returns: %TRUE once the module is back
 **/
gboolean
fu_quectel_replug_wait(FuDevice *device, const gchar *expected, GError **error) /* nocheck:name */
{
	guint remove_delay = fu_device_get_remove_delay(device);
	g_autoptr(GTimer) timer = g_timer_new();

	fu_device_add_flag(device, FWUPD_DEVICE_FLAG_WAIT_FOR_REPLUG);
	if (fu_device_has_flag(device, FWUPD_DEVICE_FLAG_EMULATED))
		return TRUE;
	while (fu_device_has_flag(device, FWUPD_DEVICE_FLAG_WAIT_FOR_REPLUG) &&
	       g_timer_elapsed(timer, NULL) * 1000.f < remove_delay) {
		while (g_main_context_iteration(NULL, FALSE)) {
			/* the engine adds the module that came back */
		}
		if (!fu_device_has_flag(device, FWUPD_DEVICE_FLAG_WAIT_FOR_REPLUG))
			break;
		fu_device_sleep(device, FU_QUECTEL_REPLUG_POLL_MS);
	}
	if (fu_device_has_flag(device, FWUPD_DEVICE_FLAG_WAIT_FOR_REPLUG)) {
		fu_device_remove_flag(device, FWUPD_DEVICE_FLAG_WAIT_FOR_REPLUG);
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_TIMED_OUT,
			    "the module did not come back on USB port %s as %s within %u s",
			    fu_device_get_physical_id(device),
			    expected,
			    remove_delay / 1000);
		return FALSE;
	}
	g_debug("the module is back on USB port %s after %.1f s",
		fu_device_get_physical_id(device),
		g_timer_elapsed(timer, NULL));
	return TRUE;
}

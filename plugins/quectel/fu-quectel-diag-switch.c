/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "fu-quectel-at-response.h"
#include "fu-quectel-diag-frame.h"
#include "fu-quectel-diag-switch.h"
#include "fu-quectel-failure.h"
#include "fu-quectel-serial-ports.h"
#include "fu-quectel-struct.h"

/* the DIAG EDL command on the DM port: echoed, then the module re-enumerates as 05c6:9008 */
#define FU_QUECTEL_DIAG_SWITCH_RETRIES		3
#define FU_QUECTEL_DIAG_SWITCH_RETRY_DELAY_MS	1000
#define FU_QUECTEL_DIAG_SWITCH_ECHO_TIMEOUT_MS	2000
#define FU_QUECTEL_DIAG_SWITCH_POLL_MS		100
#define FU_QUECTEL_DIAG_SWITCH_WRITE_TIMEOUT_MS 1000
#define FU_QUECTEL_DIAG_SWITCH_DRAIN_READS	32
#define FU_QUECTEL_DIAG_SWITCH_READ_CHUNK	256
/* after the echo the module leaves the bus: its DM port goes within a reboot's time */
#define FU_QUECTEL_DIAG_SWITCH_LEAVE_TIMEOUT_MS 10000

typedef struct {
	FuUdevDevice *dm;
	const gchar *dm_port;
	gboolean gone; /* the DM port went away: the module is re-enumerating as 05c6:9008 */
} FuQuectelDiagSwitchHelper;

/* a DM port that fails with anything but a timeout, or whose node is gone, has left the bus */
static gboolean
fu_quectel_diag_switch_port_gone(FuQuectelDiagSwitchHelper *helper, const GError *error_read)
{
	if (error_read != NULL &&
	    !g_error_matches(error_read, FWUPD_ERROR, FWUPD_ERROR_TIMED_OUT)) {
		g_debug("the DM port went away: %s", error_read->message);
		return TRUE;
	}
	if (fu_device_has_flag(FU_DEVICE(helper->dm), FWUPD_DEVICE_FLAG_EMULATED))
		return FALSE;
	if (!g_file_test(helper->dm_port, G_FILE_TEST_EXISTS)) {
		g_debug("the DM port %s is gone", helper->dm_port);
		return TRUE;
	}
	return FALSE;
}

/* throw away whatever the DM port said before the command */
static void
fu_quectel_diag_switch_drain(FuUdevDevice *dm)
{
	for (guint i = 0; i < FU_QUECTEL_DIAG_SWITCH_DRAIN_READS; i++) {
		guint8 buf[FU_QUECTEL_DIAG_SWITCH_READ_CHUNK] = {0};
		gsize bufsz = 0;
		if (!fu_udev_device_read(dm,
					 buf,
					 sizeof(buf),
					 &bufsz,
					 FU_QUECTEL_DIAG_SWITCH_POLL_MS,
					 FU_IO_CHANNEL_FLAG_SINGLE_SHOT,
					 NULL) ||
		    bufsz == 0)
			return;
	}
}

static gboolean
fu_quectel_diag_switch_edl_cb(FuDevice *device, gpointer user_data, GError **error)
{
	FuQuectelDiagSwitchHelper *helper = (FuQuectelDiagSwitchHelper *)user_data;
	FuUdevDevice *dm = helper->dm;
	g_autoptr(FuStructQuectelDiagEdl) st = fu_struct_quectel_diag_edl_new();
	g_autoptr(GByteArray) frame = fu_quectel_diag_frame_encode(st->buf->data, st->buf->len);
	g_autoptr(GByteArray) rx = g_byte_array_new();

	fu_quectel_diag_switch_drain(dm);
	if (!fu_udev_device_write(dm,
				  frame->data,
				  frame->len,
				  FU_QUECTEL_DIAG_SWITCH_WRITE_TIMEOUT_MS,
				  FU_IO_CHANNEL_FLAG_NONE,
				  error)) {
		g_prefix_error_literal(error, "failed to send the EDL command: ");
		return FALSE;
	}

	/* the module echoes the frame when it accepts it */
	for (guint i = 0;
	     i < FU_QUECTEL_DIAG_SWITCH_ECHO_TIMEOUT_MS / FU_QUECTEL_DIAG_SWITCH_POLL_MS;
	     i++) {
		guint8 buf[FU_QUECTEL_DIAG_SWITCH_READ_CHUNK] = {0};
		gsize bufsz = 0;
		g_autoptr(GError) error_local = NULL;
		if (!fu_udev_device_read(dm,
					 buf,
					 sizeof(buf),
					 &bufsz,
					 FU_QUECTEL_DIAG_SWITCH_POLL_MS,
					 FU_IO_CHANNEL_FLAG_SINGLE_SHOT,
					 &error_local)) {
			/* switched without an echo: never write to a port that is gone */
			if (fu_quectel_diag_switch_port_gone(helper, error_local)) {
				helper->gone = TRUE;
				return TRUE;
			}
			continue;
		}
		g_byte_array_append(rx, buf, bufsz);
		if (rx->len > FU_QUECTEL_AT_RESPONSE_MAX)
			break;
		if (fu_memmem_safe(rx->data, rx->len, frame->data, frame->len, NULL, NULL))
			return TRUE;
	}
	if (fu_quectel_diag_switch_port_gone(helper, NULL)) {
		helper->gone = TRUE;
		return TRUE;
	}
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_TIMED_OUT,
		    "the DM port did not echo the EDL command within %u ms (0x%x bytes received)",
		    (guint)FU_QUECTEL_DIAG_SWITCH_ECHO_TIMEOUT_MS,
		    rx->len);
	return FALSE;
}

/* the echo came: the module must now leave normal mode */
static gboolean
fu_quectel_diag_switch_wait_gone(FuQuectelDiagSwitchHelper *helper, GError **error)
{
	/* a replay holds no more I/O of the port */
	if (fu_device_has_flag(FU_DEVICE(helper->dm), FWUPD_DEVICE_FLAG_EMULATED))
		return TRUE;
	for (guint i = 0;
	     i < FU_QUECTEL_DIAG_SWITCH_LEAVE_TIMEOUT_MS / FU_QUECTEL_DIAG_SWITCH_POLL_MS;
	     i++) {
		guint8 buf[FU_QUECTEL_DIAG_SWITCH_READ_CHUNK] = {0};
		gsize bufsz = 0;
		g_autoptr(GError) error_local = NULL;
		if (!fu_udev_device_read(helper->dm,
					 buf,
					 sizeof(buf),
					 &bufsz,
					 FU_QUECTEL_DIAG_SWITCH_POLL_MS,
					 FU_IO_CHANNEL_FLAG_SINGLE_SHOT,
					 &error_local) &&
		    fu_quectel_diag_switch_port_gone(helper, error_local))
			return TRUE;
		if (error_local == NULL && fu_quectel_diag_switch_port_gone(helper, NULL))
			return TRUE;
	}
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_WRITE,
		    "the module echoed the EDL command but was still in normal mode %u ms later",
		    (guint)FU_QUECTEL_DIAG_SWITCH_LEAVE_TIMEOUT_MS);
	return FALSE;
}

/**
 * fu_quectel_diag_switch_to_edl:
 * @proxy: the module's main device, which records and replays the DM port's I/O
 * @dm_sysfs_path: the tty class device of the DM port
 * @dm_port: the DM port's device file, e.g. `/dev/ttyUSB0`
 * @error: (nullable): optional return location for an error
 *
 * Sends DIAG's EDL command on the DM port, which takes the module to the PBL's emergency
 * download mode (05c6:9008). The DM port is a helper device targeted to @proxy, so that its
 * I/O is part of the main device's emulation.
 *
 * The module accepted the command when it echoes it, or when its DM port goes away (the
 * module re-enumerating as 05c6:9008, with or without an echo); an echo must be followed by
 * the port going away. On failure the module is still in normal mode, unchanged.
 *
 * Returns: %TRUE once the module is leaving normal mode
 **/
gboolean
fu_quectel_diag_switch_to_edl(FuDevice *proxy,
			      const gchar *dm_sysfs_path,
			      const gchar *dm_port,
			      GError **error)
{
	FuQuectelDiagSwitchHelper helper = {.dm_port = dm_port};
	g_autoptr(FuUdevDevice) dm = NULL;
	g_autoptr(FuDeviceLocker) locker = NULL;

	dm = g_object_new(FU_TYPE_UDEV_DEVICE,
			  "context",
			  fu_device_get_context(proxy),
			  "backend-id",
			  dm_sysfs_path,
			  NULL);
	fu_device_add_private_flag(FU_DEVICE(dm), FU_DEVICE_PRIVATE_FLAG_REFCOUNTED_PROXY);
	fu_device_set_proxy(FU_DEVICE(dm), proxy);
	fu_device_set_logical_id(FU_DEVICE(dm), "dm");
	fu_udev_device_set_device_file(dm, dm_port);
	fu_udev_device_add_open_flag(dm, FU_IO_CHANNEL_OPEN_FLAG_READ);
	fu_udev_device_add_open_flag(dm, FU_IO_CHANNEL_OPEN_FLAG_WRITE);
	fu_udev_device_add_open_flag(dm, FU_IO_CHANNEL_OPEN_FLAG_NONBLOCK);
	locker = fu_device_locker_new(FU_DEVICE(dm), error);
	if (locker == NULL) {
		g_prefix_error(error, "failed to open DM port %s: ", dm_port);
		return FALSE;
	}
	if (!fu_quectel_serial_ports_set_raw(dm, error))
		return FALSE;
	helper.dm = dm;
	if (!fu_device_retry_full(proxy,
				  fu_quectel_diag_switch_edl_cb,
				  FU_QUECTEL_DIAG_SWITCH_RETRIES,
				  FU_QUECTEL_DIAG_SWITCH_RETRY_DELAY_MS,
				  &helper,
				  error)) {
		g_prefix_error(error, "failed to switch to EDL through %s: ", dm_port);
		return FALSE;
	}
	if (!helper.gone && !fu_quectel_diag_switch_wait_gone(&helper, error)) {
		g_prefix_error(error, "failed to switch to EDL through %s: ", dm_port);
		return FALSE;
	}
	return TRUE;
}

/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "fu-quectel-at-client.h"
#include "fu-quectel-at-response.h"

/* time allowed for one AT command, counted in polls of the port */
#define FU_QUECTEL_AT_CLIENT_TIMEOUT_MS	      1500
#define FU_QUECTEL_AT_CLIENT_POLL_MS	      100
#define FU_QUECTEL_AT_CLIENT_WRITE_TIMEOUT_MS 1000
#define FU_QUECTEL_AT_CLIENT_RETRIES	      2
#define FU_QUECTEL_AT_CLIENT_RETRY_DELAY_MS   250
#define FU_QUECTEL_AT_CLIENT_READ_CHUNK	      256

/**
 * fu_quectel_at_client_transaction:
 * @port: the open AT port
 * @cmd: a command without its terminator, e.g. `ATI`
 * @status: (out): %FU_QUECTEL_AT_STATUS_OK or %FU_QUECTEL_AT_STATUS_ERROR
 * @error: (nullable): optional return location for an error
 *
 * Sends one command and collects its response until the final result code. All I/O goes
 * through the #FuUdevDevice helpers, so it is recorded and replayed by emulation.
 *
 * Returns: (transfer container): the information lines, or %NULL on error
 **/
GPtrArray *
fu_quectel_at_client_transaction(FuUdevDevice *port,
				 const gchar *cmd,
				 FuQuectelAtStatus *status,
				 GError **error)
{
	g_autofree gchar *tx = g_strdup_printf("%s\r", cmd);
	g_autofree gchar *rx_str = NULL;
	g_autoptr(GByteArray) rx = g_byte_array_new();

	if (!fu_udev_device_write(port,
				  (const guint8 *)tx,
				  strlen(tx),
				  FU_QUECTEL_AT_CLIENT_WRITE_TIMEOUT_MS,
				  FU_IO_CHANNEL_FLAG_FLUSH_INPUT,
				  error)) {
		g_prefix_error(error, "failed to send %s: ", cmd);
		return NULL;
	}
	for (guint i = 0; i < FU_QUECTEL_AT_CLIENT_TIMEOUT_MS / FU_QUECTEL_AT_CLIENT_POLL_MS; i++) {
		guint8 buf[FU_QUECTEL_AT_CLIENT_READ_CHUNK] = {0};
		gsize bufsz = 0;
		g_autoptr(GError) error_local = NULL;
		g_autoptr(GPtrArray) lines = NULL;

		if (!fu_udev_device_read(port,
					 buf,
					 sizeof(buf),
					 &bufsz,
					 FU_QUECTEL_AT_CLIENT_POLL_MS,
					 FU_IO_CHANNEL_FLAG_SINGLE_SHOT,
					 &error_local)) {
			if (!g_error_matches(error_local, FWUPD_ERROR, FWUPD_ERROR_TIMED_OUT)) {
				g_propagate_prefixed_error(error,
							   g_steal_pointer(&error_local),
							   "failed to read response to %s: ",
							   cmd);
				return NULL;
			}
			continue;
		}
		g_byte_array_append(rx, buf, bufsz);
		if (!fu_quectel_at_response_parse((const gchar *)rx->data,
						  rx->len,
						  cmd,
						  status,
						  &lines,
						  error))
			return NULL;
		if (*status != FU_QUECTEL_AT_STATUS_INCOMPLETE)
			return g_steal_pointer(&lines);
	}
	if (rx->len == 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_TIMED_OUT,
			    "no answer to %s within %u ms",
			    cmd,
			    (guint)FU_QUECTEL_AT_CLIENT_TIMEOUT_MS);
		return NULL;
	}
	rx_str = fu_strsafe((const gchar *)rx->data, rx->len);
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_TIMED_OUT,
		    "no final result code for %s within %u ms, got '%s'",
		    cmd,
		    (guint)FU_QUECTEL_AT_CLIENT_TIMEOUT_MS,
		    rx_str);
	return NULL;
}

/**
 * fu_quectel_at_client_cmd:
 * @port: the open AT port
 * @cmd: a command without its terminator, e.g. `AT+CGSN`
 * @error: (nullable): optional return location for an error
 *
 * Sends a command that must succeed.
 *
 * Returns: (transfer container): the information lines, or %NULL on error or `ERROR`
 **/
GPtrArray *
fu_quectel_at_client_cmd(FuUdevDevice *port, const gchar *cmd, GError **error)
{
	FuQuectelAtStatus status = FU_QUECTEL_AT_STATUS_INCOMPLETE;
	g_autoptr(GPtrArray) lines = fu_quectel_at_client_transaction(port, cmd, &status, error);
	if (lines == NULL)
		return NULL;
	if (status != FU_QUECTEL_AT_STATUS_OK) {
		const gchar *reason = lines->len > 0 ? g_ptr_array_index(lines, lines->len - 1)
						     : "";
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "%s failed: %s",
			    cmd,
			    reason);
		return NULL;
	}
	return g_steal_pointer(&lines);
}

static gboolean
fu_quectel_at_client_echo_off_cb(FuDevice *device, gpointer user_data, GError **error)
{
	g_autoptr(GPtrArray) lines =
	    fu_quectel_at_client_cmd(FU_UDEV_DEVICE(device), "ATE0", error);
	return lines != NULL;
}

/**
 * fu_quectel_at_client_echo_off:
 * @port: the open AT port
 * @error: (nullable): optional return location for an error
 *
 * The module echoes commands by default; the parser copes, but quieter is safer. The first
 * command after opening the port may meet a half-read line, so it is retried.
 *
 * Returns: %TRUE for success
 **/
gboolean
fu_quectel_at_client_echo_off(FuUdevDevice *port, GError **error)
{
	return fu_device_retry_full(FU_DEVICE(port),
				    fu_quectel_at_client_echo_off_cb,
				    FU_QUECTEL_AT_CLIENT_RETRIES,
				    FU_QUECTEL_AT_CLIENT_RETRY_DELAY_MS,
				    NULL,
				    error);
}

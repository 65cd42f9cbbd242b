/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "fu-quectel-edl-transport.h"

G_DEFINE_INTERFACE(FuQuectelEdlTransport, fu_quectel_edl_transport, G_TYPE_OBJECT)

static void
fu_quectel_edl_transport_default_init(FuQuectelEdlTransportInterface *iface)
{
}

/**
 * fu_quectel_edl_transport_read:
 * @self: a #FuQuectelEdlTransport
 * @timeout_ms: timeout
 * @error: (nullable): optional return location for an error
 *
 * Reads one transfer, i.e. one Sahara packet or one Firehose document, of at most
 * %FU_QUECTEL_EDL_TRANSPORT_READ_MAX bytes.
 *
 * Returns: (transfer full): the data, or %NULL with %FWUPD_ERROR_TIMED_OUT if nothing came
 **/
GByteArray *
fu_quectel_edl_transport_read(FuQuectelEdlTransport *self, guint timeout_ms, GError **error)
{
	FuQuectelEdlTransportInterface *iface;

	g_return_val_if_fail(FU_IS_QUECTEL_EDL_TRANSPORT(self), NULL);

	iface = FU_QUECTEL_EDL_TRANSPORT_GET_IFACE(self);
	if (iface->read == NULL) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INTERNAL,
				    "iface->read not implemented");
		return NULL;
	}
	return (*iface->read)(self, timeout_ms, error);
}

/**
 * fu_quectel_edl_transport_write:
 * @self: a #FuQuectelEdlTransport
 * @buf: the data, sent as one transfer (not modified)
 * @bufsz: size of @buf
 * @zlp: end a transfer that fills whole packets with a zero-length packet
 * @timeout_ms: timeout
 * @error: (nullable): optional return location for an error
 *
 * Returns: %TRUE if every byte was sent
 **/
gboolean
fu_quectel_edl_transport_write(FuQuectelEdlTransport *self,
			       guint8 *buf,
			       gsize bufsz,
			       gboolean zlp,
			       guint timeout_ms,
			       GError **error)
{
	FuQuectelEdlTransportInterface *iface;

	g_return_val_if_fail(FU_IS_QUECTEL_EDL_TRANSPORT(self), FALSE);

	iface = FU_QUECTEL_EDL_TRANSPORT_GET_IFACE(self);
	if (iface->write == NULL) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INTERNAL,
				    "iface->write not implemented");
		return FALSE;
	}
	return (*iface->write)(self, buf, bufsz, zlp, timeout_ms, error);
}

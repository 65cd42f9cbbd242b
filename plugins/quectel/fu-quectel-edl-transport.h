/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

#define FU_TYPE_QUECTEL_EDL_TRANSPORT (fu_quectel_edl_transport_get_type())
G_DECLARE_INTERFACE(FuQuectelEdlTransport,
		    fu_quectel_edl_transport,
		    FU,
		    QUECTEL_EDL_TRANSPORT,
		    GObject)

/* the largest transfer the host reads from the target: a Firehose document */
#define FU_QUECTEL_EDL_TRANSPORT_READ_MAX 0x1000

/*
 * What Sahara and Firehose need of the link to the module in emergency download mode: one
 * transfer out, one transfer in, each with a timeout. The USB device implements it over its
 * bulk endpoints; anything else that carries the same packets (a test model, a WWAN port) can.
 */
struct _FuQuectelEdlTransportInterface {
	GTypeInterface g_iface;
	GByteArray *(*read)(FuQuectelEdlTransport *self,
			    guint timeout_ms,
			    GError **error)G_GNUC_NON_NULL(1);
	gboolean (*write)(FuQuectelEdlTransport *self,
			  guint8 *buf,
			  gsize bufsz,
			  gboolean zlp,
			  guint timeout_ms,
			  GError **error) G_GNUC_NON_NULL(1);
};

GByteArray *
fu_quectel_edl_transport_read(FuQuectelEdlTransport *self,
			      guint timeout_ms,
			      GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1);
gboolean
fu_quectel_edl_transport_write(FuQuectelEdlTransport *self,
			       guint8 *buf,
			       gsize bufsz,
			       gboolean zlp,
			       guint timeout_ms,
			       GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1);

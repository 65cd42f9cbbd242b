/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "fu-quectel-edl-model.h"
#include "fu-quectel-edl-transport.h"

/* wMaxPacketSize of the module's high-speed bulk endpoints */
#define FU_QUECTEL_EDL_MODEL_MAX_PACKET 512

struct _FuQuectelEdlModel {
	FuDevice parent_instance;
	Ec25Edl *edl;	      /* not owned */
	guint64 simulated_ms; /* timeouts waited and model busy time */
	guint timeouts;	      /* reads that found nothing */
};

static void
fu_quectel_edl_model_transport_iface_init(FuQuectelEdlTransportInterface *iface);

G_DEFINE_TYPE_WITH_CODE(FuQuectelEdlModel,
			fu_quectel_edl_model,
			FU_TYPE_DEVICE,
			G_IMPLEMENT_INTERFACE(FU_TYPE_QUECTEL_EDL_TRANSPORT,
					      fu_quectel_edl_model_transport_iface_init))

static gboolean
fu_quectel_edl_model_write(FuQuectelEdlTransport *transport,
			   guint8 *buf,
			   gsize bufsz,
			   gboolean zlp,
			   guint timeout_ms,
			   GError **error)
{
	FuQuectelEdlModel *self = FU_QUECTEL_EDL_MODEL(transport);

	ec25_edl_bulk_out(self->edl, buf, bufsz);
	self->simulated_ms += ec25_edl_get_busy_ms(self->edl);
	if (zlp && bufsz > 0 && bufsz % FU_QUECTEL_EDL_MODEL_MAX_PACKET == 0)
		ec25_edl_bulk_out(self->edl, NULL, 0);
	return TRUE;
}

static GByteArray *
fu_quectel_edl_model_read(FuQuectelEdlTransport *transport, guint timeout_ms, GError **error)
{
	FuQuectelEdlModel *self = FU_QUECTEL_EDL_MODEL(transport);
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(GByteArray) buf = g_byte_array_new();

	blob = ec25_edl_bulk_in(self->edl, FU_QUECTEL_EDL_TRANSPORT_READ_MAX);
	if (blob == NULL) {
		self->simulated_ms += timeout_ms;
		self->timeouts++;
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_TIMED_OUT,
			    "failed to do bulk transfer (read): no transfer within %u ms",
			    timeout_ms);
		return NULL;
	}
	fu_byte_array_append_bytes(buf, blob);
	return g_steal_pointer(&buf);
}

FuQuectelEdlModel *
fu_quectel_edl_model_new(Ec25Edl *edl)
{
	FuQuectelEdlModel *self = g_object_new(FU_TYPE_QUECTEL_EDL_MODEL, NULL);
	self->edl = edl;
	return self;
}

/* how long the update would have taken against a module answering as fast as the model */
guint64
fu_quectel_edl_model_get_simulated_ms(FuQuectelEdlModel *self)
{
	return self->simulated_ms;
}

guint
fu_quectel_edl_model_get_timeouts(FuQuectelEdlModel *self)
{
	return self->timeouts;
}

static void
fu_quectel_edl_model_init(FuQuectelEdlModel *self)
{
	fu_device_set_name(FU_DEVICE(self), "EC25/EG25 EDL model");
	fu_device_set_physical_id(FU_DEVICE(self), "model");
}

static void
fu_quectel_edl_model_transport_iface_init(FuQuectelEdlTransportInterface *iface)
{
	iface->read = fu_quectel_edl_model_read;
	iface->write = fu_quectel_edl_model_write;
}

static void
fu_quectel_edl_model_class_init(FuQuectelEdlModelClass *klass)
{
}

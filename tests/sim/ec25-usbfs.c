/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "ec25-usbfs.h"

#include <errno.h>
#include <glib-unix.h>
#include <linux/usb/ch9.h>
#include <linux/usbdevice_fs.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/timerfd.h>
#include <unistd.h>

#define EC25_USBFS_MAX_TRANSFER	  (16 * 1024 * 1024) /* larger transfers fail with ENOMEM */
#define EC25_USBFS_MAX_URBS	  1024		     /* per open file */
#define EC25_USBFS_CONFIG_VALUE	  1
#define EC25_USBFS_LANGID_EN_US	  0x0409
#define EC25_USBFS_DESC_DEVICE_SZ 18
#define EC25_USBFS_DRIVER_USBFS	  "usbfs" /* what GETDRIVER reports for a claimed interface */
/* a blocking USBDEVFS_REAPURB returns EINTR this often: the preload blocks signals while the
 * host waits in an emulated ioctl, so this is when a pending signal can end the host */
#define EC25_USBFS_REAP_SLICE_US 500000
#define EC25_USBFS_CAPS                                                                            \
	(USBDEVFS_CAP_ZERO_PACKET | USBDEVFS_CAP_BULK_CONTINUATION |                               \
	 USBDEVFS_CAP_NO_PACKET_SIZE_LIM | USBDEVFS_CAP_BULK_SCATTER_GATHER |                      \
	 USBDEVFS_CAP_REAP_AFTER_DISCONNECT)

typedef struct {
	guint8 number;
	gchar *driver;	/* a kernel driver, "usbfs" when claimed, NULL when unbound */
	gpointer owner; /* the Ec25UsbfsClient that claimed it */
} Ec25UsbfsIface;

typedef struct {
	guint8 address;
	guint8 attributes;
	guint16 max_packet;
	guint8 iface;
} Ec25UsbfsEndpoint;

/* one open file of the node */
typedef struct {
	UMockdevIoctlClient *client;
	GQueue done;	   /* of Ec25UsbfsXfer: completed URBs, reaped in order */
	gboolean reaping;  /* blocked in USBDEVFS_REAPURB */
	gint64 reap_until; /* then it returns EINTR */
	guint urbs;	   /* submitted and not reaped yet */
	gulong notify_id;
} Ec25UsbfsClient;

/* one transfer: an asynchronous URB, or a synchronous USBDEVFS_BULK */
typedef struct {
	Ec25UsbfsClient *owner;
	UMockdevIoctlData *urb; /* the URB with its buffer resolved; NULL for USBDEVFS_BULK */
	guint8 *buf;		/* local copy of the host's buffer */
	gsize len;
	guint8 endpoint;
	gint64 ready_at; /* monotonic time from which it may complete */
	gint64 deadline; /* USBDEVFS_BULK IN: when it times out; 0 for never */
	gsize actual;
	gint status; /* 0 or -errno, as the kernel reports it in the URB */
} Ec25UsbfsXfer;

struct _Ec25Usbfs {
	UMockdevIoctlBase parent_instance;
	GRecMutex mutex;
	Ec25Module *module;
	GBytes *descriptors;
	GPtrArray *strings; /* of gchar*, descriptor 1 is index 0 */
	gchar *driver;
	guint devnum;
	Ec25UsbfsBackend backend;
	gpointer user_data;
	GArray *ifaces;	     /* of Ec25UsbfsIface */
	GArray *endpoints;   /* of Ec25UsbfsEndpoint */
	GHashTable *clients; /* UMockdevIoctlClient -> Ec25UsbfsClient */
	GQueue pending_in;   /* of Ec25UsbfsXfer waiting for data, in submission order */
	GQueue delayed;	     /* of synchronous Ec25UsbfsXfer waiting for ready_at */
	gint64 busy_until;   /* the device answers from then on (timing model) */
	GMainContext *ctx;   /* umockdev's ioctl thread */
	GSource *timer;
	gint timer_fd; /* CLOCK_MONOTONIC: GLib's own timeouts have ms granularity */
	gboolean gone;
	GHashTable *unknown_requests; /* logged once each */
	guint64 bytes_out;
	guint64 bytes_in;
	guint transfers_out;
	guint transfers_in;
};

G_DEFINE_TYPE(Ec25Usbfs, ec25_usbfs, UMOCKDEV_TYPE_IOCTL_BASE)

static void
ec25_usbfs_xfer_free(Ec25UsbfsXfer *xfer)
{
	if (xfer->urb != NULL)
		g_object_unref(xfer->urb);
	g_free(xfer);
}

static void
ec25_usbfs_client_free(Ec25UsbfsClient *uclient)
{
	Ec25UsbfsXfer *xfer;
	while ((xfer = g_queue_pop_head(&uclient->done)) != NULL)
		ec25_usbfs_xfer_free(xfer);
	if (uclient->notify_id != 0)
		g_signal_handler_disconnect(uclient->client, uclient->notify_id);
	g_object_unref(uclient->client);
	g_free(uclient);
}

void
ec25_usbfs_lock(Ec25Usbfs *self)
{
	g_rec_mutex_lock(&self->mutex);
}

void
ec25_usbfs_unlock(Ec25Usbfs *self)
{
	g_rec_mutex_unlock(&self->mutex);
}

static Ec25UsbfsIface *
ec25_usbfs_find_iface(Ec25Usbfs *self, guint number)
{
	for (guint i = 0; i < self->ifaces->len; i++) {
		Ec25UsbfsIface *iface = &g_array_index(self->ifaces, Ec25UsbfsIface, i);
		if (iface->number == number)
			return iface;
	}
	return NULL;
}

static Ec25UsbfsEndpoint *
ec25_usbfs_find_endpoint(Ec25Usbfs *self, guint address)
{
	for (guint i = 0; i < self->endpoints->len; i++) {
		Ec25UsbfsEndpoint *ep = &g_array_index(self->endpoints, Ec25UsbfsEndpoint, i);
		if (ep->address == address)
			return ep;
	}
	return NULL;
}

/* interfaces and endpoints of the configuration */
static void
ec25_usbfs_parse_descriptors(Ec25Usbfs *self)
{
	gsize bufsz = 0;
	const guint8 *buf = g_bytes_get_data(self->descriptors, &bufsz);
	guint8 iface = 0;

	for (gsize offset = 0; offset + 2 <= bufsz && buf[offset] >= 2; offset += buf[offset]) {
		const guint8 *desc = buf + offset;
		if (offset + desc[0] > bufsz)
			break;
		if (desc[1] == USB_DT_INTERFACE && desc[0] >= USB_DT_INTERFACE_SIZE &&
		    desc[3] == 0) {
			Ec25UsbfsIface item = {.number = desc[2], .driver = g_strdup(self->driver)};
			iface = desc[2];
			g_array_append_val(self->ifaces, item);
		} else if (desc[1] == USB_DT_ENDPOINT && desc[0] >= USB_DT_ENDPOINT_SIZE) {
			Ec25UsbfsEndpoint item = {
			    .address = desc[2],
			    .attributes = desc[3],
			    .max_packet = desc[4] | (desc[5] << 8),
			    .iface = iface,
			};
			g_array_append_val(self->endpoints, item);
		}
	}
}

/* the kernel's checkintf(): using an interface claims it, unless another driver has it */
static gint
ec25_usbfs_claim(Ec25Usbfs *self, Ec25UsbfsClient *uclient, guint number)
{
	Ec25UsbfsIface *iface = ec25_usbfs_find_iface(self, number);

	if (iface == NULL)
		return ENOENT;
	if (g_strcmp0(iface->driver, EC25_USBFS_DRIVER_USBFS) == 0)
		return iface->owner == uclient ? 0 : EBUSY;
	if (iface->driver != NULL)
		return EBUSY;
	iface->driver = g_strdup(EC25_USBFS_DRIVER_USBFS);
	iface->owner = uclient;
	ec25_module_log(self->module, "usb: interface %u claimed", number);
	return 0;
}

static void
ec25_usbfs_unbind(Ec25Usbfs *self, Ec25UsbfsIface *iface)
{
	if (iface->driver == NULL)
		return;
	if (g_strcmp0(iface->driver, EC25_USBFS_DRIVER_USBFS) == 0)
		ec25_module_log(self->module, "usb: interface %u released", iface->number);
	else
		ec25_module_log(self->module,
				"usb: kernel driver %s detached from interface %u",
				iface->driver,
				iface->number);
	g_clear_pointer(&iface->driver, g_free);
	iface->owner = NULL;
}

/* the wall clock of the timing model: the timer fires at the next moment anything is due, to
 * the µs (a GSource ready time would round every sub-millisecond delay up to the next ms) */
static void
ec25_usbfs_set_wakeup(Ec25Usbfs *self, gint64 when)
{
	struct itimerspec its = {0};

	if (self->timer == NULL || self->timer_fd < 0)
		return;
	if (when != G_MAXINT64) {
		when = MAX(when, 1); /* 0 would disarm it */
		its.it_value.tv_sec = when / G_USEC_PER_SEC;
		its.it_value.tv_nsec = (when % G_USEC_PER_SEC) * 1000;
	}
	if (timerfd_settime(self->timer_fd, TFD_TIMER_ABSTIME, &its, NULL) != 0)
		g_warning("cannot set the timer: %s", g_strerror(errno));
}

static void
ec25_usbfs_xfer_finish(Ec25Usbfs *self, Ec25UsbfsXfer *xfer)
{
	if (xfer->urb != NULL) {
		struct usbdevfs_urb *urb = (struct usbdevfs_urb *)xfer->urb->data;
		urb->status = xfer->status;
		urb->actual_length = xfer->actual;
		g_queue_push_tail(&xfer->owner->done, xfer);
		return;
	}
	if (xfer->status != 0)
		umockdev_ioctl_client_complete(xfer->owner->client, -1, -xfer->status);
	else
		umockdev_ioctl_client_complete(xfer->owner->client, xfer->actual, 0);
	ec25_usbfs_xfer_free(xfer);
}

/* hand a completed URB to a USBDEVFS_REAPURB(NDELAY) in progress */
static void
ec25_usbfs_reap_complete(Ec25UsbfsClient *uclient, Ec25UsbfsXfer *xfer)
{
	UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(uclient->client);
	UMockdevIoctlData *ptr;
	g_autoptr(GError) error = NULL;

	uclient->urbs--;
	ptr = umockdev_ioctl_data_resolve(arg, 0, sizeof(gpointer), &error);
	if (ptr == NULL) {
		umockdev_ioctl_client_complete(uclient->client, -1, EFAULT);
		ec25_usbfs_xfer_free(xfer);
		return;
	}
	/* writes the URB and its buffer back and stores the host's URB pointer */
	umockdev_ioctl_data_set_ptr(ptr, 0, xfer->urb);
	umockdev_ioctl_client_complete(uclient->client, 0, 0);
	ec25_usbfs_xfer_free(xfer);
}

/* everything that became possible: data for waiting IN transfers, completions that are due */
static void
ec25_usbfs_pump(Ec25Usbfs *self)
{
	gint64 now = g_get_monotonic_time();
	gint64 wakeup = G_MAXINT64;
	gboolean changed = FALSE;
	GHashTableIter iter;
	gpointer value;

	if (!self->gone && now >= self->busy_until) {
		while (!g_queue_is_empty(&self->pending_in)) {
			Ec25UsbfsXfer *xfer = g_queue_peek_head(&self->pending_in);
			g_autoptr(GBytes) blob = self->backend.bulk_in(self->user_data, xfer->len);
			gsize blobsz;
			if (blob == NULL)
				break;
			g_queue_pop_head(&self->pending_in);
			blobsz = MIN(g_bytes_get_size(blob), xfer->len);
			if (blobsz > 0)
				memcpy(xfer->buf, g_bytes_get_data(blob, NULL), blobsz);
			xfer->actual = blobsz;
			xfer->status = 0;
			xfer->ready_at = now;
			self->bytes_in += blobsz;
			self->transfers_in++;
			ec25_usbfs_xfer_finish(self, xfer);
			changed = TRUE;
		}
	}

	/* synchronous reads time out like the kernel's usb_bulk_msg() */
	for (GList *l = self->pending_in.head; l != NULL;) {
		GList *next = l->next;
		Ec25UsbfsXfer *xfer = l->data;
		if (xfer->urb == NULL && xfer->deadline != 0) {
			if (xfer->deadline <= now) {
				g_queue_delete_link(&self->pending_in, l);
				xfer->status = -ETIMEDOUT;
				ec25_usbfs_xfer_finish(self, xfer);
			} else {
				wakeup = MIN(wakeup, xfer->deadline);
			}
		}
		l = next;
	}
	if (!g_queue_is_empty(&self->pending_in) && self->busy_until > now)
		wakeup = MIN(wakeup, self->busy_until);

	/* synchronous writes the device has accepted */
	for (GList *l = self->delayed.head; l != NULL;) {
		GList *next = l->next;
		Ec25UsbfsXfer *xfer = l->data;
		if (xfer->ready_at <= now) {
			g_queue_delete_link(&self->delayed, l);
			ec25_usbfs_xfer_finish(self, xfer);
		} else {
			wakeup = MIN(wakeup, xfer->ready_at);
		}
		l = next;
	}

	/* blocking reapers */
	g_hash_table_iter_init(&iter, self->clients);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		Ec25UsbfsClient *uclient = value;
		Ec25UsbfsXfer *xfer = g_queue_peek_head(&uclient->done);
		if (!uclient->reaping)
			continue;
		if (xfer != NULL && xfer->ready_at <= now) {
			uclient->reaping = FALSE;
			ec25_usbfs_reap_complete(uclient, g_queue_pop_head(&uclient->done));
		} else if (self->gone && xfer == NULL) {
			uclient->reaping = FALSE;
			umockdev_ioctl_client_complete(uclient->client, -1, ENODEV);
		} else if (now >= uclient->reap_until) {
			uclient->reaping = FALSE;
			umockdev_ioctl_client_complete(uclient->client, -1, EINTR);
		} else {
			wakeup = MIN(wakeup, uclient->reap_until);
			if (xfer != NULL)
				wakeup = MIN(wakeup, xfer->ready_at);
		}
	}

	ec25_usbfs_set_wakeup(self, wakeup);
	if (changed && self->backend.changed != NULL)
		self->backend.changed(self->user_data);
}

static gboolean
ec25_usbfs_timer_cb(gint fd, GIOCondition condition, gpointer user_data)
{
	Ec25Usbfs *self = EC25_USBFS(user_data);
	g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new(&self->mutex);
	guint64 expirations = 0;

	if (self->timer == NULL)
		return G_SOURCE_REMOVE; /* disconnected meanwhile */
	if (read(fd, &expirations, sizeof(expirations)) < 0 && errno != EAGAIN)
		g_warning("cannot read the timer: %s", g_strerror(errno));
	ec25_usbfs_pump(self);
	return G_SOURCE_CONTINUE;
}

/* the device got a bulk OUT transfer: returns when the host sees it complete */
static gint64
ec25_usbfs_bulk_out(Ec25Usbfs *self, const guint8 *buf, gsize bufsz, gboolean zlp)
{
	gint64 now = g_get_monotonic_time();
	gint64 done = now;
	gint64 idle_at = now;

	self->backend.bulk_out(self->user_data, buf, bufsz);
	if (zlp)
		self->backend.bulk_out(self->user_data, NULL, 0);
	if (self->backend.out_timing != NULL)
		done = self->backend.out_timing(self->user_data, now, &idle_at);
	self->bytes_out += bufsz;
	self->transfers_out++;
	self->busy_until = MAX(self->busy_until, MAX(done, idle_at));
	return done;
}

static gboolean
ec25_usbfs_resolve_error(UMockdevIoctlClient *client, UMockdevIoctlData *data, GError *error)
{
	if (data != NULL)
		return FALSE;
	umockdev_ioctl_client_complete(client, -1, EFAULT);
	return TRUE;
}

/* a standard request on endpoint 0 with @data_max bytes of host buffer after the setup
 * packet; returns 0 or the errno (EPIPE is a stall) */
static gint
ec25_usbfs_control(Ec25Usbfs *self,
		   const struct usb_ctrlrequest *setup,
		   guint8 *data,
		   gsize data_max,
		   gsize *actual)
{
	gsize descsz = 0;
	const guint8 *desc = g_bytes_get_data(self->descriptors, &descsz);
	guint16 value = GUINT16_FROM_LE(setup->wValue);
	guint16 length = GUINT16_FROM_LE(setup->wLength);
	gboolean in = (setup->bRequestType & USB_DIR_IN) != 0;
	g_autoptr(GByteArray) reply = g_byte_array_new();

	*actual = 0;
	if ((setup->bRequestType & USB_TYPE_MASK) != USB_TYPE_STANDARD)
		return EPIPE;
	switch (setup->bRequest) {
	case USB_REQ_GET_STATUS: {
		const guint8 status[] = {0x00, 0x00};
		if (!in)
			return EPIPE;
		g_byte_array_append(reply, status, sizeof(status));
		break;
	}
	case USB_REQ_GET_DESCRIPTOR: {
		guint8 type = value >> 8;
		guint8 index = value & 0xFF;
		if (!in)
			return EPIPE;
		if (type == USB_DT_DEVICE && descsz >= EC25_USBFS_DESC_DEVICE_SZ) {
			g_byte_array_append(reply, desc, EC25_USBFS_DESC_DEVICE_SZ);
		} else if (type == USB_DT_CONFIG && index == 0 &&
			   descsz >= EC25_USBFS_DESC_DEVICE_SZ + USB_DT_CONFIG_SIZE) {
			g_byte_array_append(reply,
					    desc + EC25_USBFS_DESC_DEVICE_SZ,
					    descsz - EC25_USBFS_DESC_DEVICE_SZ);
		} else if (type == USB_DT_STRING && index == 0) {
			const guint8 langids[] = {4,
						  USB_DT_STRING,
						  EC25_USBFS_LANGID_EN_US & 0xFF,
						  EC25_USBFS_LANGID_EN_US >> 8};
			g_byte_array_append(reply, langids, sizeof(langids));
		} else if (type == USB_DT_STRING && index <= self->strings->len) {
			const gchar *str = g_ptr_array_index(self->strings, index - 1);
			gsize len = MIN(strlen(str), 126);
			guint8 hdr[] = {2 + len * 2, USB_DT_STRING};
			g_byte_array_append(reply, hdr, sizeof(hdr));
			for (gsize i = 0; i < len; i++) {
				guint8 utf16[] = {(guint8)str[i], 0x00};
				g_byte_array_append(reply, utf16, sizeof(utf16));
			}
		} else {
			return EPIPE; /* no qualifier, BOS or other-speed descriptor on a 2.0 device
				       */
		}
		break;
	}
	case USB_REQ_GET_CONFIGURATION: {
		guint8 config = EC25_USBFS_CONFIG_VALUE;
		if (!in)
			return EPIPE;
		g_byte_array_append(reply, &config, 1);
		break;
	}
	case USB_REQ_GET_INTERFACE: {
		guint8 alt = 0;
		if (!in)
			return EPIPE;
		g_byte_array_append(reply, &alt, 1);
		break;
	}
	case USB_REQ_CLEAR_FEATURE:
	case USB_REQ_SET_FEATURE:
	case USB_REQ_SET_CONFIGURATION:
	case USB_REQ_SET_INTERFACE:
		if (in)
			return EPIPE;
		*actual = MIN(length, data_max);
		return 0;
	default:
		return EPIPE;
	}
	*actual = MIN(MIN(reply->len, length), data != NULL ? data_max : 0);
	if (*actual > 0)
		memcpy(data, reply->data, *actual);
	return 0;
}

static void
ec25_usbfs_ioctl_control(Ec25Usbfs *self, UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
	g_autoptr(GError) error = NULL;
	UMockdevIoctlData *data =
	    umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_ctrltransfer), &error);
	struct usbdevfs_ctrltransfer *ctrl;
	struct usb_ctrlrequest setup;
	guint8 *buf = NULL;
	gsize actual = 0;
	gint rc;

	if (ec25_usbfs_resolve_error(client, data, error))
		return;
	ctrl = (struct usbdevfs_ctrltransfer *)data->data;
	if (ctrl->wLength > 0) {
		UMockdevIoctlData *payload =
		    umockdev_ioctl_data_resolve(data,
						offsetof(struct usbdevfs_ctrltransfer, data),
						ctrl->wLength,
						&error);
		if (ec25_usbfs_resolve_error(client, payload, error))
			return;
		buf = payload->data;
	}
	setup.bRequestType = ctrl->bRequestType;
	setup.bRequest = ctrl->bRequest;
	setup.wValue = GUINT16_TO_LE(ctrl->wValue);
	setup.wIndex = GUINT16_TO_LE(ctrl->wIndex);
	setup.wLength = GUINT16_TO_LE(ctrl->wLength);
	rc = ec25_usbfs_control(self, &setup, buf, buf != NULL ? ctrl->wLength : 0, &actual);
	if (rc != 0)
		umockdev_ioctl_client_complete(client, -1, rc);
	else
		umockdev_ioctl_client_complete(client, actual, 0);
}

/* validate a bulk endpoint and claim its interface as the kernel does on first use */
static gint
ec25_usbfs_check_bulk_endpoint(Ec25Usbfs *self,
			       Ec25UsbfsClient *uclient,
			       guint address,
			       Ec25UsbfsEndpoint **endpoint)
{
	Ec25UsbfsEndpoint *ep = ec25_usbfs_find_endpoint(self, address);
	if (ep == NULL)
		return ENOENT;
	if ((ep->attributes & USB_ENDPOINT_XFERTYPE_MASK) != USB_ENDPOINT_XFER_BULK)
		return EINVAL;
	*endpoint = ep;
	return ec25_usbfs_claim(self, uclient, ep->iface);
}

static void
ec25_usbfs_ioctl_bulk(Ec25Usbfs *self, Ec25UsbfsClient *uclient, UMockdevIoctlData *arg)
{
	UMockdevIoctlClient *client = uclient->client;
	g_autoptr(GError) error = NULL;
	UMockdevIoctlData *data =
	    umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_bulktransfer), &error);
	struct usbdevfs_bulktransfer *bulk;
	Ec25UsbfsEndpoint *ep = NULL;
	Ec25UsbfsXfer *xfer;
	gint rc;

	if (ec25_usbfs_resolve_error(client, data, error))
		return;
	bulk = (struct usbdevfs_bulktransfer *)data->data;
	rc = ec25_usbfs_check_bulk_endpoint(self, uclient, bulk->ep, &ep);
	if (rc != 0) {
		umockdev_ioctl_client_complete(client, -1, rc);
		return;
	}
	if (bulk->len > EC25_USBFS_MAX_TRANSFER) {
		umockdev_ioctl_client_complete(client, -1, ENOMEM);
		return;
	}
	xfer = g_new0(Ec25UsbfsXfer, 1);
	xfer->owner = uclient;
	xfer->endpoint = bulk->ep;
	xfer->len = bulk->len;
	if (bulk->len > 0) {
		UMockdevIoctlData *payload =
		    umockdev_ioctl_data_resolve(data,
						offsetof(struct usbdevfs_bulktransfer, data),
						bulk->len,
						&error);
		if (ec25_usbfs_resolve_error(client, payload, error)) {
			ec25_usbfs_xfer_free(xfer);
			return;
		}
		xfer->buf = payload->data;
	}
	if ((bulk->ep & USB_DIR_IN) == 0) {
		xfer->ready_at = ec25_usbfs_bulk_out(self, xfer->buf, xfer->len, FALSE);
		xfer->actual = xfer->len;
		g_queue_push_tail(&self->delayed, xfer);
		if (self->backend.changed != NULL)
			self->backend.changed(self->user_data);
	} else {
		if (bulk->timeout > 0)
			xfer->deadline = g_get_monotonic_time() + (gint64)bulk->timeout * 1000;
		g_queue_push_tail(&self->pending_in, xfer);
	}
	ec25_usbfs_pump(self);
}

static void
ec25_usbfs_ioctl_submit_urb(Ec25Usbfs *self, Ec25UsbfsClient *uclient, UMockdevIoctlData *arg)
{
	UMockdevIoctlClient *client = uclient->client;
	g_autoptr(GError) error = NULL;
	UMockdevIoctlData *data =
	    umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), &error);
	struct usbdevfs_urb *urb;
	Ec25UsbfsEndpoint *ep = NULL;
	Ec25UsbfsXfer *xfer;
	guint8 *buf = NULL;
	gint rc = 0;

	if (ec25_usbfs_resolve_error(client, data, error))
		return;
	urb = (struct usbdevfs_urb *)data->data;
	if (urb->buffer_length < 0 || urb->buffer_length > EC25_USBFS_MAX_TRANSFER ||
	    uclient->urbs >= EC25_USBFS_MAX_URBS) {
		umockdev_ioctl_client_complete(client,
					       -1,
					       urb->buffer_length < 0 ? EINVAL : ENOMEM);
		return;
	}
	if (urb->type == USBDEVFS_URB_TYPE_CONTROL) {
		if ((urb->endpoint & ~USB_DIR_IN) != 0 ||
		    urb->buffer_length < (gint)sizeof(struct usb_ctrlrequest))
			rc = EINVAL;
	} else if (urb->type == USBDEVFS_URB_TYPE_BULK) {
		rc = ec25_usbfs_check_bulk_endpoint(self, uclient, urb->endpoint, &ep);
	} else {
		rc = ec25_usbfs_find_endpoint(self, urb->endpoint) == NULL ? ENOENT : EINVAL;
	}
	if (rc != 0) {
		umockdev_ioctl_client_complete(client, -1, rc);
		return;
	}
	if (urb->buffer_length > 0) {
		UMockdevIoctlData *payload =
		    umockdev_ioctl_data_resolve(data,
						offsetof(struct usbdevfs_urb, buffer),
						urb->buffer_length,
						&error);
		if (ec25_usbfs_resolve_error(client, payload, error))
			return;
		buf = payload->data;
	}

	xfer = g_new0(Ec25UsbfsXfer, 1);
	xfer->owner = uclient;
	xfer->urb = g_object_ref(data);
	xfer->buf = buf;
	xfer->len = urb->buffer_length;
	xfer->endpoint = urb->endpoint;
	uclient->urbs++;
	if (urb->type == USBDEVFS_URB_TYPE_CONTROL) {
		struct usb_ctrlrequest setup;
		memcpy(&setup, buf, sizeof(setup));
		rc = ec25_usbfs_control(self,
					&setup,
					buf + sizeof(setup),
					xfer->len - sizeof(setup),
					&xfer->actual);
		xfer->status = -rc;
		xfer->ready_at = g_get_monotonic_time();
		ec25_usbfs_xfer_finish(self, xfer);
	} else if ((urb->endpoint & USB_DIR_IN) == 0) {
		gboolean zlp = (urb->flags & USBDEVFS_URB_ZERO_PACKET) != 0 && xfer->len > 0 &&
			       ep->max_packet > 0 && xfer->len % ep->max_packet == 0;
		xfer->ready_at = ec25_usbfs_bulk_out(self, buf, xfer->len, zlp);
		xfer->actual = xfer->len;
		ec25_usbfs_xfer_finish(self, xfer);
		if (self->backend.changed != NULL)
			self->backend.changed(self->user_data);
	} else {
		g_queue_push_tail(&self->pending_in, xfer);
	}
	umockdev_ioctl_client_complete(client, 0, 0);
	ec25_usbfs_pump(self);
}

static void
ec25_usbfs_ioctl_discard_urb(Ec25Usbfs *self, Ec25UsbfsClient *uclient, UMockdevIoctlData *arg)
{
	gulong addr = 0;

	if (arg->data_len >= (gint)sizeof(addr))
		memcpy(&addr, arg->data, sizeof(addr));
	for (GList *l = self->pending_in.head; l != NULL; l = l->next) {
		Ec25UsbfsXfer *xfer = l->data;
		if (xfer->owner != uclient || xfer->urb == NULL || xfer->urb->client_addr != addr)
			continue;
		g_queue_delete_link(&self->pending_in, l);
		xfer->status = -ENOENT;
		xfer->actual = 0;
		xfer->ready_at = g_get_monotonic_time();
		ec25_usbfs_xfer_finish(self, xfer);
		umockdev_ioctl_client_complete(uclient->client, 0, 0);
		return;
	}
	/* completed already (the host reaps it) or never submitted */
	umockdev_ioctl_client_complete(uclient->client, -1, EINVAL);
}

static void
ec25_usbfs_ioctl_reap_urb(Ec25Usbfs *self, Ec25UsbfsClient *uclient, gboolean block)
{
	Ec25UsbfsXfer *xfer;

	ec25_usbfs_pump(self);
	xfer = g_queue_peek_head(&uclient->done);
	if (xfer != NULL && xfer->ready_at <= g_get_monotonic_time()) {
		ec25_usbfs_reap_complete(uclient, g_queue_pop_head(&uclient->done));
		return;
	}
	if (self->gone && xfer == NULL) {
		umockdev_ioctl_client_complete(uclient->client, -1, ENODEV);
		return;
	}
	if (!block) {
		umockdev_ioctl_client_complete(uclient->client, -1, EAGAIN);
		return;
	}
	/* completed by the pump once something is due */
	uclient->reaping = TRUE;
	uclient->reap_until = g_get_monotonic_time() + EC25_USBFS_REAP_SLICE_US;
	ec25_usbfs_pump(self);
}

static void
ec25_usbfs_ioctl_getdriver(Ec25Usbfs *self, UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
	g_autoptr(GError) error = NULL;
	UMockdevIoctlData *data =
	    umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_getdriver), &error);
	struct usbdevfs_getdriver *getdriver;
	Ec25UsbfsIface *iface;

	if (ec25_usbfs_resolve_error(client, data, error))
		return;
	getdriver = (struct usbdevfs_getdriver *)data->data;
	iface = ec25_usbfs_find_iface(self, getdriver->interface);
	if (iface == NULL || iface->driver == NULL) {
		umockdev_ioctl_client_complete(client, -1, ENODATA);
		return;
	}
	memset(getdriver->driver, 0, sizeof(getdriver->driver));
	g_strlcpy(getdriver->driver, iface->driver, sizeof(getdriver->driver));
	umockdev_ioctl_client_complete(client, 0, 0);
}

/* USBDEVFS_IOCTL: the kernel driver is detached and re-attached through this */
static void
ec25_usbfs_ioctl_ioctl(Ec25Usbfs *self, Ec25UsbfsClient *uclient, UMockdevIoctlData *arg)
{
	UMockdevIoctlClient *client = uclient->client;
	g_autoptr(GError) error = NULL;
	UMockdevIoctlData *data =
	    umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_ioctl), &error);
	struct usbdevfs_ioctl *ctl;
	Ec25UsbfsIface *iface;

	if (ec25_usbfs_resolve_error(client, data, error))
		return;
	ctl = (struct usbdevfs_ioctl *)data->data;
	iface = ctl->ifno >= 0 ? ec25_usbfs_find_iface(self, ctl->ifno) : NULL;
	if (iface == NULL) {
		umockdev_ioctl_client_complete(client, -1, EINVAL);
		return;
	}
	if ((gulong)ctl->ioctl_code == USBDEVFS_DISCONNECT) {
		if (iface->driver == NULL) {
			umockdev_ioctl_client_complete(client, -1, ENODATA);
			return;
		}
		ec25_usbfs_unbind(self, iface);
		umockdev_ioctl_client_complete(client, 0, 0);
		return;
	}
	if ((gulong)ctl->ioctl_code == USBDEVFS_CONNECT) {
		if (iface->driver != NULL) {
			umockdev_ioctl_client_complete(client, -1, EBUSY);
			return;
		}
		if (self->driver != NULL) {
			iface->driver = g_strdup(self->driver);
			ec25_module_log(self->module,
					"usb: kernel driver %s attached to interface %u",
					self->driver,
					iface->number);
		}
		umockdev_ioctl_client_complete(client, 0, 0);
		return;
	}
	umockdev_ioctl_client_complete(client, -1, ENOTTY);
}

static void
ec25_usbfs_ioctl_disconnect_claim(Ec25Usbfs *self, Ec25UsbfsClient *uclient, UMockdevIoctlData *arg)
{
	UMockdevIoctlClient *client = uclient->client;
	g_autoptr(GError) error = NULL;
	UMockdevIoctlData *data =
	    umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_disconnect_claim), &error);
	struct usbdevfs_disconnect_claim *dc;
	Ec25UsbfsIface *iface;
	gint rc;

	if (ec25_usbfs_resolve_error(client, data, error))
		return;
	dc = (struct usbdevfs_disconnect_claim *)data->data;
	dc->driver[sizeof(dc->driver) - 1] = '\0';
	iface = ec25_usbfs_find_iface(self, dc->interface);
	if (iface == NULL) {
		umockdev_ioctl_client_complete(client, -1, EINVAL);
		return;
	}
	if (iface->driver != NULL) {
		gboolean same = g_strcmp0(dc->driver, iface->driver) == 0;
		if (((dc->flags & USBDEVFS_DISCONNECT_CLAIM_IF_DRIVER) && !same) ||
		    ((dc->flags & USBDEVFS_DISCONNECT_CLAIM_EXCEPT_DRIVER) && same)) {
			umockdev_ioctl_client_complete(client, -1, EBUSY);
			return;
		}
		ec25_usbfs_unbind(self, iface);
	}
	rc = ec25_usbfs_claim(self, uclient, dc->interface);
	umockdev_ioctl_client_complete(client, rc == 0 ? 0 : -1, rc);
}

/* ioctls whose argument is a pointer to one unsigned int */
static gboolean
ec25_usbfs_get_uint_arg(UMockdevIoctlClient *client, UMockdevIoctlData *arg, guint *value)
{
	g_autoptr(GError) error = NULL;
	UMockdevIoctlData *data = umockdev_ioctl_data_resolve(arg, 0, sizeof(guint), &error);
	if (ec25_usbfs_resolve_error(client, data, error))
		return FALSE;
	memcpy(value, data->data, sizeof(guint));
	return TRUE;
}

static void
ec25_usbfs_ioctl_claim(Ec25Usbfs *self,
		       Ec25UsbfsClient *uclient,
		       UMockdevIoctlData *arg,
		       gboolean claim)
{
	Ec25UsbfsIface *iface;
	guint number = 0;
	gint rc;

	if (!ec25_usbfs_get_uint_arg(uclient->client, arg, &number))
		return;
	if (claim) {
		rc = ec25_usbfs_claim(self, uclient, number);
		if (rc == EBUSY)
			ec25_module_log(self->module,
					"usb: interface %u is busy, cannot claim it",
					number);
		umockdev_ioctl_client_complete(uclient->client, rc == 0 ? 0 : -1, rc);
		return;
	}
	iface = ec25_usbfs_find_iface(self, number);
	if (iface == NULL || iface->owner != uclient) {
		umockdev_ioctl_client_complete(uclient->client, -1, EINVAL);
		return;
	}
	ec25_usbfs_unbind(self, iface);
	umockdev_ioctl_client_complete(uclient->client, 0, 0);
}

static void
ec25_usbfs_ioctl_setinterface(Ec25Usbfs *self, Ec25UsbfsClient *uclient, UMockdevIoctlData *arg)
{
	g_autoptr(GError) error = NULL;
	UMockdevIoctlData *data =
	    umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_setinterface), &error);
	struct usbdevfs_setinterface *setintf;
	gint rc;

	if (ec25_usbfs_resolve_error(uclient->client, data, error))
		return;
	setintf = (struct usbdevfs_setinterface *)data->data;
	if (ec25_usbfs_find_iface(self, setintf->interface) == NULL || setintf->altsetting != 0) {
		umockdev_ioctl_client_complete(uclient->client, -1, EINVAL);
		return;
	}
	rc = ec25_usbfs_claim(self, uclient, setintf->interface);
	umockdev_ioctl_client_complete(uclient->client, rc == 0 ? 0 : -1, rc);
}

static void
ec25_usbfs_ioctl_setconfiguration(Ec25Usbfs *self, Ec25UsbfsClient *uclient, UMockdevIoctlData *arg)
{
	guint value = 0;

	if (!ec25_usbfs_get_uint_arg(uclient->client, arg, &value))
		return;
	/* the kernel refuses while any driver, usbfs included, has an interface */
	for (guint i = 0; i < self->ifaces->len; i++) {
		if (g_array_index(self->ifaces, Ec25UsbfsIface, i).driver != NULL) {
			umockdev_ioctl_client_complete(uclient->client, -1, EBUSY);
			return;
		}
	}
	if ((gint)value != -1 && value != 0 && value != EC25_USBFS_CONFIG_VALUE) {
		umockdev_ioctl_client_complete(uclient->client, -1, EINVAL);
		return;
	}
	umockdev_ioctl_client_complete(uclient->client, 0, 0);
}

static void
ec25_usbfs_ioctl_endpoint(Ec25Usbfs *self, Ec25UsbfsClient *uclient, UMockdevIoctlData *arg)
{
	Ec25UsbfsEndpoint *ep;
	guint address = 0;
	gint rc;

	if (!ec25_usbfs_get_uint_arg(uclient->client, arg, &address))
		return;
	ep = ec25_usbfs_find_endpoint(self, address);
	if (ep == NULL) {
		umockdev_ioctl_client_complete(uclient->client, -1, ENOENT);
		return;
	}
	rc = ec25_usbfs_claim(self, uclient, ep->iface);
	umockdev_ioctl_client_complete(uclient->client, rc == 0 ? 0 : -1, rc);
}

static void
ec25_usbfs_ioctl_connectinfo(Ec25Usbfs *self, UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
	g_autoptr(GError) error = NULL;
	UMockdevIoctlData *data =
	    umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_connectinfo), &error);
	struct usbdevfs_connectinfo *info;

	if (ec25_usbfs_resolve_error(client, data, error))
		return;
	info = (struct usbdevfs_connectinfo *)data->data;
	info->devnum = self->devnum;
	info->slow = 0;
	umockdev_ioctl_client_complete(client, 0, 0);
}

static void
ec25_usbfs_ioctl_capabilities(UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
	g_autoptr(GError) error = NULL;
	UMockdevIoctlData *data = umockdev_ioctl_data_resolve(arg, 0, sizeof(guint32), &error);
	guint32 caps = EC25_USBFS_CAPS;

	if (ec25_usbfs_resolve_error(client, data, error))
		return;
	memcpy(data->data, &caps, sizeof(caps));
	umockdev_ioctl_client_complete(client, 0, 0);
}

/* lock held: the host closed its file */
static void
ec25_usbfs_client_drop(Ec25Usbfs *self, UMockdevIoctlClient *client)
{
	Ec25UsbfsClient *uclient = g_hash_table_lookup(self->clients, client);
	GQueue *queues[] = {&self->pending_in, &self->delayed};

	if (uclient == NULL)
		return;
	for (guint i = 0; i < G_N_ELEMENTS(queues); i++) {
		for (GList *l = queues[i]->head; l != NULL;) {
			GList *next = l->next;
			Ec25UsbfsXfer *xfer = l->data;
			if (xfer->owner == uclient) {
				g_queue_delete_link(queues[i], l);
				ec25_usbfs_xfer_free(xfer);
			}
			l = next;
		}
	}
	/* closing the file releases what it claimed; the kernel driver stays detached */
	for (guint i = 0; i < self->ifaces->len; i++) {
		Ec25UsbfsIface *iface = &g_array_index(self->ifaces, Ec25UsbfsIface, i);
		if (iface->owner == uclient)
			ec25_usbfs_unbind(self, iface);
	}
	g_hash_table_remove(self->clients, client);
}

/* lock held: umockdev 0.17.16 does not tell when a client goes, but knows that it went */
static void
ec25_usbfs_client_drop_vanished(Ec25Usbfs *self)
{
	GHashTableIter iter;
	gpointer key;
	g_autoptr(GPtrArray) vanished = g_ptr_array_new();

	g_hash_table_iter_init(&iter, self->clients);
	while (g_hash_table_iter_next(&iter, &key, NULL)) {
		if (!umockdev_ioctl_client_get_connected(UMOCKDEV_IOCTL_CLIENT(key)))
			g_ptr_array_add(vanished, key);
	}
	for (guint i = 0; i < vanished->len; i++)
		ec25_usbfs_client_drop(self, g_ptr_array_index(vanished, i));
}

static void
ec25_usbfs_client_notify_cb(UMockdevIoctlClient *client, GParamSpec *pspec, gpointer user_data)
{
	Ec25Usbfs *self = EC25_USBFS(user_data);
	g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new(&self->mutex);
	if (!umockdev_ioctl_client_get_connected(client))
		ec25_usbfs_client_drop(self, client);
}

/* lock held */
static Ec25UsbfsClient *
ec25_usbfs_client_get(Ec25Usbfs *self, UMockdevIoctlClient *client)
{
	Ec25UsbfsClient *uclient = g_hash_table_lookup(self->clients, client);
	if (uclient != NULL)
		return uclient;
	uclient = g_new0(Ec25UsbfsClient, 1);
	uclient->client = g_object_ref(client);
	uclient->notify_id = g_signal_connect(client,
					      "notify::connected",
					      G_CALLBACK(ec25_usbfs_client_notify_cb),
					      self);
	g_hash_table_insert(self->clients, client, uclient);
	return uclient;
}

static void
ec25_usbfs_client_connected(UMockdevIoctlBase *base, UMockdevIoctlClient *client)
{
	Ec25Usbfs *self = EC25_USBFS(base);
	g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new(&self->mutex);
	ec25_usbfs_client_drop_vanished(self);
	ec25_usbfs_client_get(self, client);
}

static void
ec25_usbfs_client_vanished(UMockdevIoctlBase *base, UMockdevIoctlClient *client)
{
	Ec25Usbfs *self = EC25_USBFS(base);
	g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new(&self->mutex);
	ec25_usbfs_client_drop(self, client);
}

static gboolean
ec25_usbfs_handle_ioctl(UMockdevIoctlBase *base, UMockdevIoctlClient *client)
{
	Ec25Usbfs *self = EC25_USBFS(base);
	gulong request = umockdev_ioctl_client_get_request(client);
	UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
	g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new(&self->mutex);
	Ec25UsbfsClient *uclient;

	ec25_usbfs_client_drop_vanished(self);
	uclient = ec25_usbfs_client_get(self, client);

	/* the timing model runs in umockdev's ioctl thread, so that a slow device does not
	 * block other requests */
	if (self->ctx == NULL && !self->gone) {
		self->ctx = g_main_context_ref_thread_default();
		self->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
		if (self->timer_fd < 0)
			g_error("cannot create a timer: %s", g_strerror(errno));
		self->timer = g_unix_fd_source_new(self->timer_fd, G_IO_IN);
		g_source_set_callback(self->timer,
				      G_SOURCE_FUNC(ec25_usbfs_timer_cb),
				      g_object_ref(self),
				      g_object_unref);
		g_source_attach(self->timer, self->ctx);
	}

	if (self->gone && request != USBDEVFS_REAPURB && request != USBDEVFS_REAPURBNDELAY) {
		umockdev_ioctl_client_complete(client, -1, ENODEV);
		return TRUE;
	}
	switch (request) {
	case USBDEVFS_SUBMITURB:
		ec25_usbfs_ioctl_submit_urb(self, uclient, arg);
		break;
	case USBDEVFS_REAPURB:
	case USBDEVFS_REAPURBNDELAY:
		ec25_usbfs_ioctl_reap_urb(self, uclient, request == USBDEVFS_REAPURB);
		break;
	case USBDEVFS_DISCARDURB:
		ec25_usbfs_ioctl_discard_urb(self, uclient, arg);
		break;
	case USBDEVFS_BULK:
		ec25_usbfs_ioctl_bulk(self, uclient, arg);
		break;
	case USBDEVFS_CONTROL:
		ec25_usbfs_ioctl_control(self, client, arg);
		break;
	case USBDEVFS_CLAIMINTERFACE:
		ec25_usbfs_ioctl_claim(self, uclient, arg, TRUE);
		break;
	case USBDEVFS_RELEASEINTERFACE:
		ec25_usbfs_ioctl_claim(self, uclient, arg, FALSE);
		break;
	case USBDEVFS_GETDRIVER:
		ec25_usbfs_ioctl_getdriver(self, client, arg);
		break;
	case USBDEVFS_IOCTL:
		ec25_usbfs_ioctl_ioctl(self, uclient, arg);
		break;
	case USBDEVFS_DISCONNECT_CLAIM:
		ec25_usbfs_ioctl_disconnect_claim(self, uclient, arg);
		break;
	case USBDEVFS_SETINTERFACE:
		ec25_usbfs_ioctl_setinterface(self, uclient, arg);
		break;
	case USBDEVFS_SETCONFIGURATION:
		ec25_usbfs_ioctl_setconfiguration(self, uclient, arg);
		break;
	case USBDEVFS_CLEAR_HALT:
	case USBDEVFS_RESETEP:
		ec25_usbfs_ioctl_endpoint(self, uclient, arg);
		break;
	case USBDEVFS_RESET:
		ec25_module_log(self->module, "usb: port reset");
		umockdev_ioctl_client_complete(client, 0, 0);
		break;
	case USBDEVFS_CONNECTINFO:
		ec25_usbfs_ioctl_connectinfo(self, client, arg);
		break;
	case USBDEVFS_GET_SPEED:
		umockdev_ioctl_client_complete(client, USB_SPEED_HIGH, 0);
		break;
	case USBDEVFS_GET_CAPABILITIES:
		ec25_usbfs_ioctl_capabilities(client, arg);
		break;
	default:
		if (g_hash_table_add(self->unknown_requests, GSIZE_TO_POINTER(request)))
			ec25_module_log(self->module, "usb: unsupported ioctl 0x%lx", request);
		umockdev_ioctl_client_complete(client, -1, ENOTTY);
		break;
	}
	return TRUE;
}

void
ec25_usbfs_disconnect(Ec25Usbfs *self)
{
	g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new(&self->mutex);
	gint64 now = g_get_monotonic_time();
	GHashTableIter iter;
	gpointer value;
	Ec25UsbfsXfer *xfer;

	if (self->gone)
		return;
	self->gone = TRUE;

	/* URBs in flight come back with ESHUTDOWN, as from a host controller on unplug */
	while ((xfer = g_queue_pop_head(&self->pending_in)) != NULL) {
		xfer->status = xfer->urb != NULL ? -ESHUTDOWN : -ENODEV;
		xfer->actual = 0;
		xfer->ready_at = now;
		ec25_usbfs_xfer_finish(self, xfer);
	}
	while ((xfer = g_queue_pop_head(&self->delayed)) != NULL) {
		xfer->status = -ENODEV;
		ec25_usbfs_xfer_finish(self, xfer);
	}
	g_hash_table_iter_init(&iter, self->clients);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		Ec25UsbfsClient *uclient = value;
		for (GList *l = uclient->done.head; l != NULL; l = l->next) {
			xfer = l->data;
			if (xfer->ready_at > now) {
				struct usbdevfs_urb *urb = (struct usbdevfs_urb *)xfer->urb->data;
				urb->status = -ESHUTDOWN;
				urb->actual_length = 0;
				xfer->ready_at = now;
			}
		}
	}
	ec25_usbfs_pump(self);
	if (self->timer != NULL) {
		g_source_destroy(self->timer);
		g_clear_pointer(&self->timer, g_source_unref);
	}
}

guint
ec25_usbfs_get_busy_ms(Ec25Usbfs *self)
{
	g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new(&self->mutex);
	gint64 now = g_get_monotonic_time();
	return self->busy_until > now ? (self->busy_until - now + 999) / 1000 : 0;
}

gchar *
ec25_usbfs_get_stats(Ec25Usbfs *self)
{
	g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new(&self->mutex);
	return g_strdup_printf("%u transfers out (%" G_GUINT64_FORMAT
			       " bytes), %u in (%" G_GUINT64_FORMAT " bytes)",
			       self->transfers_out,
			       self->bytes_out,
			       self->transfers_in,
			       self->bytes_in);
}

static void
ec25_usbfs_iface_clear(gpointer data)
{
	Ec25UsbfsIface *iface = data;
	g_free(iface->driver);
}

static void
ec25_usbfs_finalize(GObject *object)
{
	Ec25Usbfs *self = EC25_USBFS(object);
	Ec25UsbfsXfer *xfer;

	while ((xfer = g_queue_pop_head(&self->pending_in)) != NULL)
		ec25_usbfs_xfer_free(xfer);
	while ((xfer = g_queue_pop_head(&self->delayed)) != NULL)
		ec25_usbfs_xfer_free(xfer);
	g_hash_table_unref(self->clients);
	g_hash_table_unref(self->unknown_requests);
	if (self->timer != NULL) {
		g_source_destroy(self->timer);
		g_source_unref(self->timer);
	}
	if (self->timer_fd >= 0)
		close(self->timer_fd);
	if (self->ctx != NULL)
		g_main_context_unref(self->ctx);
	g_array_unref(self->ifaces);
	g_array_unref(self->endpoints);
	g_ptr_array_unref(self->strings);
	g_bytes_unref(self->descriptors);
	g_free(self->driver);
	g_rec_mutex_clear(&self->mutex);
	G_OBJECT_CLASS(ec25_usbfs_parent_class)->finalize(object);
}

static void
ec25_usbfs_init(Ec25Usbfs *self)
{
	g_rec_mutex_init(&self->mutex);
	self->timer_fd = -1;
	self->ifaces = g_array_new(FALSE, TRUE, sizeof(Ec25UsbfsIface));
	g_array_set_clear_func(self->ifaces, ec25_usbfs_iface_clear);
	self->endpoints = g_array_new(FALSE, TRUE, sizeof(Ec25UsbfsEndpoint));
	self->strings = g_ptr_array_new_with_free_func(g_free);
	self->clients = g_hash_table_new_full(g_direct_hash,
					      g_direct_equal,
					      NULL,
					      (GDestroyNotify)ec25_usbfs_client_free);
	self->unknown_requests = g_hash_table_new(g_direct_hash, g_direct_equal);
}

static void
ec25_usbfs_class_init(Ec25UsbfsClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	UMockdevIoctlBaseClass *base_class = UMOCKDEV_IOCTL_BASE_CLASS(klass);

	object_class->finalize = ec25_usbfs_finalize;
	base_class->handle_ioctl = ec25_usbfs_handle_ioctl;
	base_class->client_connected = ec25_usbfs_client_connected;
	base_class->client_vanished = ec25_usbfs_client_vanished;
}

Ec25Usbfs *
ec25_usbfs_new(GBytes *descriptors,
	       const gchar *const *strings,
	       const gchar *driver,
	       guint devnum,
	       const Ec25UsbfsBackend *backend,
	       gpointer user_data,
	       Ec25Module *module)
{
	Ec25Usbfs *self = g_object_new(EC25_TYPE_USBFS, NULL);

	self->descriptors = g_bytes_ref(descriptors);
	for (guint i = 0; strings != NULL && strings[i] != NULL; i++)
		g_ptr_array_add(self->strings, g_strdup(strings[i]));
	self->driver = g_strdup(driver);
	self->devnum = devnum;
	self->backend = *backend;
	self->user_data = user_data;
	self->module = module;
	ec25_usbfs_parse_descriptors(self);
	return self;
}

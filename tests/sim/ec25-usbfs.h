/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <umockdev.h>

#include "ec25-module.h"

/*
 * A USB device node (/dev/bus/usb/BBB/DDD) as the kernel's usbdevfs presents it to libusb,
 * served through umockdev's ioctl emulation: descriptors, standard control requests, driver
 * binding and claiming, and bulk transfers (synchronous USBDEVFS_BULK and asynchronous URBs)
 * handed to a transport-free device model one USB transfer at a time.
 *
 * umockdev calls the handler from its own thread; the model is only ever called with the
 * device lock held, never after ec25_usbfs_disconnect().
 */

typedef struct {
	/* one bulk OUT transfer; @bufsz 0 is a zero-length packet */
	void (*bulk_out)(gpointer user_data, const guint8 *buf, gsize bufsz);
	/* the next bulk IN transfer for a host buffer of @max_len, or NULL if none is pending */
	GBytes *(*bulk_in)(gpointer user_data, gsize max_len);
	/* optional, the timing model: the bulk OUT just handed over (one URB, its ZLP included)
	 * was submitted at @now (µs, monotonic); returns when it completes for the host and sets
	 * @idle_at, from when the device answers IN transfers. Without it both are @now. */
	gint64 (*out_timing)(gpointer user_data, gint64 now, gint64 *idle_at);
	/* optional: called after each transfer the model took part in */
	void (*changed)(gpointer user_data);
} Ec25UsbfsBackend;

#define EC25_TYPE_USBFS (ec25_usbfs_get_type())
G_DECLARE_FINAL_TYPE(Ec25Usbfs, ec25_usbfs, EC25, USBFS, UMockdevIoctlBase)

/*
 * @descriptors: device and configuration descriptors, as the device returns them
 * @strings: string descriptors 1, 2, ... (NULL-terminated; NULL for none)
 * @driver: the kernel driver bound to every interface until the host detaches it, or NULL
 * @module: where to log
 */
Ec25Usbfs *
ec25_usbfs_new(GBytes *descriptors,
	       const gchar *const *strings,
	       const gchar *driver,
	       guint devnum,
	       const Ec25UsbfsBackend *backend,
	       gpointer user_data,
	       Ec25Module *module);

/* the device left the bus: transfers in flight fail as on a real unplug, every further request
 * fails with ENODEV and the model is not called again */
void
ec25_usbfs_disconnect(Ec25Usbfs *self);

/* serialise access to the model with the ioctl thread */
void
ec25_usbfs_lock(Ec25Usbfs *self);
void
ec25_usbfs_unlock(Ec25Usbfs *self);

/* ms until the device has finished the work the host gave it (timing model) */
guint
ec25_usbfs_get_busy_ms(Ec25Usbfs *self);

/* bytes moved and transfers completed, for the log */
gchar *
ec25_usbfs_get_stats(Ec25Usbfs *self);

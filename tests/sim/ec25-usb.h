/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "ec25-module.h"

/* where the simulated module sits on the simulated USB bus */
#define EC25_USB_SYSFS_PATH "/devices/pci0000:00/0000:00:14.0/usb1/1-1"
#define EC25_USB_BUSNUM	    1

/* a serial port of the module as umockdev exposes it */
typedef struct {
	Ec25Port port;
	gchar *device_file; /* /dev/ttyUSB2 */
} Ec25UsbSerialPort;

void
ec25_usb_serial_port_free(Ec25UsbSerialPort *port);

/* one enumeration of the module: what the bus shows until it drops off again */
typedef struct {
	guint16 vid;
	guint16 pid;
	guint16 bcd;
	guint devnum;
	gchar *manufacturer;
	gchar *product;
	gchar *driver;	     /* kernel driver bound to the interfaces, NULL for none */
	GBytes *descriptors; /* device and configuration descriptors, as read from the node */
	gchar *device_file;  /* /dev/bus/usb/001/NNN */
	gchar *fixture;	     /* the umockdev description */
	GPtrArray *ports;    /* of Ec25UsbSerialPort */
} Ec25UsbDevice;

void
ec25_usb_device_free(Ec25UsbDevice *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Ec25UsbDevice, ec25_usb_device_free)

/* sysfs paths (/sys/devices/...) of the enumeration's devices, deepest first, the order in
 * which they disappear */
GPtrArray *
ec25_usb_device_get_syspaths(Ec25UsbDevice *self);

/* normal mode, 2c7c:0125 with the composition of module->layout; ttys from @tty_base up */
Ec25UsbDevice *
ec25_usb_device_new_normal(Ec25Module *module, guint devnum, guint tty_base);

/* the PBL's emergency download mode: 05c6:9008, one vendor interface, bound to qcserial */
Ec25UsbDevice *
ec25_usb_device_new_edl(guint devnum);

/* Quectel's SBL dump mode: 2c7c:0125 with one interface, bound to option as ttyUSB@tty */
Ec25UsbDevice *
ec25_usb_device_new_dump(guint devnum, guint tty);

/* the same dump mode with no driver bound to the interface: no tty, usbfs only */
Ec25UsbDevice *
ec25_usb_device_new_dump_no_tty(guint devnum);

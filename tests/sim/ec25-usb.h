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

/* a serial port of the normal-mode module as umockdev exposes it */
typedef struct {
	Ec25Port port;
	gchar *device_file; /* /dev/ttyUSB2 */
} Ec25UsbSerialPort;

/* the umockdev description of the module in normal mode; @ports receives its serial ports */
gchar *
ec25_usb_fixture_normal(Ec25Module *module, guint devnum, guint tty_base, GPtrArray *ports);

void
ec25_usb_serial_port_free(Ec25UsbSerialPort *port);

/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

/*
 * What makes one module one fwupd device in every mode (normal, EDL), written once for the
 * normal-mode device, the EDL device and the cabinet converter.
 */

/* normal mode and EDL are one fwupd device: same physical and logical ID */
#define FU_QUECTEL_MODULE_LOGICAL_ID "quectel"

/* the priority over the stock plugins' devices for the same module */
#define FU_QUECTEL_MODULE_PRIORITY 2

/* instance-ID namespace of the variant GUIDs that a cabinet must match */
#define FU_QUECTEL_MODULE_INSTANCE_ID_PREFIX "QUECTEL"

/* Quectel's SBL dump mode (ramdump) as it shows on USB: the normal-mode USB ID, bcdDevice 0000,
 * the PBL's product string and one interface, which speaks Sahara in memory-debug mode */
#define FU_QUECTEL_MODULE_USB_VID	  0x2C7C
#define FU_QUECTEL_MODULE_USB_PID_EC25	  0x0125
#define FU_QUECTEL_MODULE_DUMP_BCD	  0x0000
#define FU_QUECTEL_MODULE_DUMP_PRODUCT	  "QHSUSB__BULK"
#define FU_QUECTEL_MODULE_DUMP_INTERFACES 1

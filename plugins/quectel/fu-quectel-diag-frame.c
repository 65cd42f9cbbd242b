/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <fwupdplugin.h>

#include "fu-quectel-diag-frame.h"

#define FU_QUECTEL_DIAG_FRAME_ESCAPE	 0x7D
#define FU_QUECTEL_DIAG_FRAME_ESCAPE_XOR 0x20
#define FU_QUECTEL_DIAG_FRAME_CRC_INIT	 0xFFFF
#define FU_QUECTEL_DIAG_FRAME_CRC_POLY	 0x8408 /* CRC-16/X.25: 0x1021 reflected */

/* the CRC-16/X.25 that ends an HDLC frame, sent little-endian */
static guint16
fu_quectel_diag_frame_crc16(const guint8 *buf, gsize bufsz)
{
	guint16 crc = FU_QUECTEL_DIAG_FRAME_CRC_INIT;
	for (gsize i = 0; i < bufsz; i++) {
		crc ^= buf[i];
		for (guint bit = 0; bit < 8; bit++)
			crc = (crc & 1) ? (crc >> 1) ^ FU_QUECTEL_DIAG_FRAME_CRC_POLY : crc >> 1;
	}
	return ~crc;
}

static void
fu_quectel_diag_frame_append(GByteArray *frame, guint8 value)
{
	if (value == FU_QUECTEL_DIAG_FRAME_FLAG || value == FU_QUECTEL_DIAG_FRAME_ESCAPE) {
		fu_byte_array_append_uint8(frame, FU_QUECTEL_DIAG_FRAME_ESCAPE);
		fu_byte_array_append_uint8(frame, value ^ FU_QUECTEL_DIAG_FRAME_ESCAPE_XOR);
		return;
	}
	fu_byte_array_append_uint8(frame, value);
}

/**
 * fu_quectel_diag_frame_encode:
 * @buf: a DIAG packet, e.g. `4B 65 01 00`
 * @bufsz: size of @buf
 *
 * Frames a packet for the DM port: the packet and its CRC, escaped, then the flag.
 *
 * Returns: (transfer full): the frame, e.g. `4B 65 01 00 54 0F 7E`
 **/
GByteArray *
fu_quectel_diag_frame_encode(const guint8 *buf, gsize bufsz)
{
	GByteArray *frame = g_byte_array_new();
	guint16 crc = fu_quectel_diag_frame_crc16(buf, bufsz);
	for (gsize i = 0; i < bufsz; i++)
		fu_quectel_diag_frame_append(frame, buf[i]);
	fu_quectel_diag_frame_append(frame, crc & 0xFF);
	fu_quectel_diag_frame_append(frame, crc >> 8);
	fu_byte_array_append_uint8(frame, FU_QUECTEL_DIAG_FRAME_FLAG);
	return frame;
}

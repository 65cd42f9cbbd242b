/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "ec25-hdlc.h"

#define EC25_HDLC_CRC_INIT   0xFFFF
#define EC25_HDLC_CRC_POLY   0x8408 /* 0x1021 reflected */
#define EC25_HDLC_CRC_XOROUT 0xFFFF
#define EC25_HDLC_CRC_SIZE   2

guint16
ec25_hdlc_crc16(const guint8 *buf, gsize bufsz)
{
	guint16 crc = EC25_HDLC_CRC_INIT;
	for (gsize i = 0; i < bufsz; i++) {
		crc ^= buf[i];
		for (guint bit = 0; bit < 8; bit++)
			crc = (crc & 1) ? (crc >> 1) ^ EC25_HDLC_CRC_POLY : crc >> 1;
	}
	return crc ^ EC25_HDLC_CRC_XOROUT;
}

static void
ec25_hdlc_append_escaped(GByteArray *out, guint8 byte)
{
	if (byte == EC25_HDLC_FLAG || byte == EC25_HDLC_ESCAPE) {
		guint8 esc[] = {EC25_HDLC_ESCAPE, byte ^ EC25_HDLC_ESCAPE_XOR};
		g_byte_array_append(out, esc, sizeof(esc));
		return;
	}
	g_byte_array_append(out, &byte, 1);
}

void
ec25_hdlc_encode(GByteArray *out, const guint8 *payload, gsize payloadsz)
{
	guint16 crc = ec25_hdlc_crc16(payload, payloadsz);
	guint8 flag = EC25_HDLC_FLAG;
	for (gsize i = 0; i < payloadsz; i++)
		ec25_hdlc_append_escaped(out, payload[i]);
	ec25_hdlc_append_escaped(out, crc & 0xFF);
	ec25_hdlc_append_escaped(out, crc >> 8);
	g_byte_array_append(out, &flag, 1);
}

Ec25HdlcDecoder *
ec25_hdlc_decoder_new(void)
{
	Ec25HdlcDecoder *self = g_new0(Ec25HdlcDecoder, 1);
	self->buf = g_byte_array_new();
	return self;
}

void
ec25_hdlc_decoder_free(Ec25HdlcDecoder *self)
{
	g_byte_array_unref(self->buf);
	g_free(self);
}

Ec25HdlcResult
ec25_hdlc_decoder_push(Ec25HdlcDecoder *self, guint8 byte, GByteArray **payload)
{
	if (byte == EC25_HDLC_FLAG) {
		gboolean bad = self->escape || self->overflow;
		guint16 crc_rx;
		g_autoptr(GByteArray) frame = self->buf;

		self->buf = g_byte_array_new();
		self->escape = FALSE;
		self->overflow = FALSE;
		if (frame->len == 0 && !bad)
			return EC25_HDLC_RESULT_NONE; /* leading flag */
		if (bad || frame->len <= EC25_HDLC_CRC_SIZE)
			return EC25_HDLC_RESULT_INVALID;
		crc_rx = frame->data[frame->len - 2] | (frame->data[frame->len - 1] << 8);
		g_byte_array_set_size(frame, frame->len - EC25_HDLC_CRC_SIZE);
		if (ec25_hdlc_crc16(frame->data, frame->len) != crc_rx)
			return EC25_HDLC_RESULT_BAD_CRC;
		*payload = g_steal_pointer(&frame);
		return EC25_HDLC_RESULT_FRAME;
	}
	if (self->overflow)
		return EC25_HDLC_RESULT_NONE;
	if (byte == EC25_HDLC_ESCAPE && !self->escape) {
		self->escape = TRUE;
		return EC25_HDLC_RESULT_NONE;
	}
	if (self->escape) {
		byte ^= EC25_HDLC_ESCAPE_XOR;
		self->escape = FALSE;
	}
	if (self->buf->len >= EC25_HDLC_FRAME_MAX) {
		self->overflow = TRUE;
		return EC25_HDLC_RESULT_NONE;
	}
	g_byte_array_append(self->buf, &byte, 1);
	return EC25_HDLC_RESULT_NONE;
}

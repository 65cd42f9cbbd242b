/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

/* DIAG's asynchronous HDLC framing: payload, CRC-16/X.25 (LE), escapes, 0x7E */
#define EC25_HDLC_FLAG	     0x7E
#define EC25_HDLC_ESCAPE     0x7D
#define EC25_HDLC_ESCAPE_XOR 0x20
#define EC25_HDLC_FRAME_MAX  4096

guint16
ec25_hdlc_crc16(const guint8 *buf, gsize bufsz);
void
ec25_hdlc_encode(GByteArray *out, const guint8 *payload, gsize payloadsz);

/* collects bytes into frames; a completed frame is returned with its CRC checked */
typedef struct {
	GByteArray *buf;
	gboolean escape;
	gboolean overflow;
} Ec25HdlcDecoder;

Ec25HdlcDecoder *
ec25_hdlc_decoder_new(void);
void
ec25_hdlc_decoder_free(Ec25HdlcDecoder *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Ec25HdlcDecoder, ec25_hdlc_decoder_free)

typedef enum {
	EC25_HDLC_RESULT_NONE,	  /* need more bytes */
	EC25_HDLC_RESULT_FRAME,	  /* *payload holds a frame with a good CRC */
	EC25_HDLC_RESULT_BAD_CRC, /* a frame ended but its CRC is wrong */
	EC25_HDLC_RESULT_INVALID, /* too short, too long or a bad escape */
} Ec25HdlcResult;

Ec25HdlcResult
ec25_hdlc_decoder_push(Ec25HdlcDecoder *self, guint8 byte, GByteArray **payload);

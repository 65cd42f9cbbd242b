/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* DIAG's HDLC framing, both ways: the input goes byte by byte through the decoder the
 * simulated module uses, and the plugin's encoder must give a frame that decodes back to
 * exactly the input */

#include "ec25-hdlc.h"
#include "fu-quectel-diag-frame.h"
#include "fuzz-common.h"

FUZZ_INIT_FATAL_LOGS

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Ec25HdlcDecoder *decoder = ec25_hdlc_decoder_new();
	g_autoptr(GByteArray) encoded = NULL;
	guint frames = 0;

	for (size_t i = 0; i < size; i++) {
		g_autoptr(GByteArray) frame = NULL;
		(void)ec25_hdlc_decoder_push(decoder, data[i], &frame);
	}
	ec25_hdlc_decoder_free(decoder);

	/* the payload and its CRC must fit the decoder's frame */
	if (size == 0 || size + sizeof(guint16) > EC25_HDLC_FRAME_MAX)
		return 0;
	encoded = fu_quectel_diag_frame_encode(data, size);
	g_assert_nonnull(encoded);
	decoder = ec25_hdlc_decoder_new();
	for (guint i = 0; i < encoded->len; i++) {
		g_autoptr(GByteArray) frame = NULL;
		Ec25HdlcResult rc = ec25_hdlc_decoder_push(decoder, encoded->data[i], &frame);
		g_assert_cmpint(rc, !=, EC25_HDLC_RESULT_BAD_CRC);
		g_assert_cmpint(rc, !=, EC25_HDLC_RESULT_INVALID);
		if (rc == EC25_HDLC_RESULT_FRAME) {
			g_assert_cmpmem(frame->data, frame->len, data, size);
			frames++;
		}
	}
	ec25_hdlc_decoder_free(decoder);
	g_assert_cmpuint(frames, ==, 1);
	return 0;
}

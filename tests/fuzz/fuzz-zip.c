/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* the payload's zip: the central directory, then every entry opened (CRC checked) and read,
 * at most FUZZ_READ_MAX bytes of each */

#include <gio/gio.h>

#include "fu-quectel-zip.h"
#include "fuzz-common.h"

FUZZ_INIT_FATAL_LOGS

#define FUZZ_READ_MAX (256 * 1024)
#define FUZZ_CHUNK    4096

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data(data, size, NULL);
	g_autoptr(GPtrArray) entries = NULL;

	entries = fu_quectel_zip_parse(stream, NULL);
	if (entries == NULL)
		return 0;
	for (guint i = 0; i < entries->len; i++) {
		FuQuectelZipEntry *entry = g_ptr_array_index(entries, i);
		g_autoptr(GInputStream) istr = fu_quectel_zip_entry_open(entry, stream, TRUE, NULL);
		guint8 buf[FUZZ_CHUNK];
		gsize total = 0;

		if (istr == NULL)
			continue;
		while (total < FUZZ_READ_MAX) {
			gssize n = g_input_stream_read(istr, buf, sizeof(buf), NULL, NULL);
			if (n <= 0)
				break;
			total += n;
		}
	}
	return 0;
}

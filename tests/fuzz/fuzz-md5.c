/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* md5.txt of a vendor folder (FILE:\update\x.mbn:HEXMD5 lines), and a check of a file
 * against it */

#include "fu-quectel-package-md5.h"
#include "fuzz-common.h"

FUZZ_INIT_FATAL_LOGS

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(FuQuectelPackageMd5) md5 = NULL;
	g_autoptr(GBytes) blob = g_bytes_new_static(data, size);

	md5 = fu_quectel_package_md5_parse((const gchar *)data, size, NULL);
	if (md5 == NULL)
		return 0;
	for (guint i = 0; i < md5->entries->len; i++) {
		FuQuectelPackageMd5Entry *entry = g_ptr_array_index(md5->entries, i);
		g_assert_true(fu_quectel_package_md5_find(md5, entry->path) != NULL);
		(void)fu_quectel_package_md5_verify(md5, entry->path, blob, NULL);
	}
	return 0;
}

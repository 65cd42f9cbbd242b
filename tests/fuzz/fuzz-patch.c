/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* patch_*.xml */

#include "fu-quectel-package-patch.h"
#include "fuzz-common.h"

FUZZ_INIT_FATAL_LOGS

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GPtrArray) patches = NULL;

	patches = fu_quectel_package_patch_parse((const gchar *)data, size, NULL);
	if (patches == NULL)
		return 0;
	for (guint i = 0; i < patches->len; i++)
		(void)fu_quectel_package_patch_is_disk(g_ptr_array_index(patches, i));
	return 0;
}

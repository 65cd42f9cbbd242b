/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* contents.xml of a vendor folder, and the chip check made with it */

#include "fu-quectel-package-contents.h"
#include "fuzz-common.h"

FUZZ_INIT_FATAL_LOGS

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(FuQuectelPackageContents) contents = NULL;

	contents = fu_quectel_package_contents_parse((const gchar *)data, size, NULL);
	if (contents == NULL)
		return 0;
	(void)fu_quectel_package_contents_check_chipid(contents, "MDM9607", NULL);
	return 0;
}

/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* a MIBIB image (partition_complete_p*.mbn): the first byte picks the page size, the rest is
 * the image; a parsed table is checked against itself */

#include "fu-quectel-package-geometry.h"
#include "fu-quectel-package-mibib.h"
#include "fuzz-common.h"

FUZZ_INIT_FATAL_LOGS

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(FuQuectelPackageMibib) mibib = NULL;
	FuQuectelPackageGeometry geometry = {0};

	if (size < 1)
		return 0;
	FUZZ_GEOMETRY(data[0], &geometry);
	mibib = fu_quectel_package_mibib_parse(data + 1, size - 1, geometry.page_size, NULL);
	if (mibib == NULL)
		return 0;
	(void)fu_quectel_package_mibib_check_partitions(mibib, mibib->partitions, NULL);
	return 0;
}

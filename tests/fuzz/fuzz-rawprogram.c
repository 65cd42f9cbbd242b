/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rawprogram_nand_*.xml: the first byte picks the module's geometry, the rest is the file */

#include "fu-quectel-package-rawprogram.h"
#include "fuzz-common.h"

FUZZ_INIT_FATAL_LOGS

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(FuQuectelPackageRawprogram) rawprogram = NULL;
	FuQuectelPackageGeometry geometry = {0};

	if (size < 1)
		return 0;
	FUZZ_GEOMETRY(data[0], &geometry);
	rawprogram = fu_quectel_package_rawprogram_parse((const gchar *)data + 1, size - 1, NULL);
	if (rawprogram == NULL)
		return 0;
	(void)fu_quectel_package_rawprogram_check_geometry(rawprogram, &geometry, NULL);
	for (guint i = 0; i < rawprogram->ops->len; i++) {
		FuQuectelPackageOp *op = g_ptr_array_index(rawprogram->ops, i);
		(void)fu_quectel_package_op_get_attr(op, "label");
	}
	return 0;
}

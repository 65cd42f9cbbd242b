/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* update/partition_nand.xml laid out for a geometry: the first byte picks the geometry and
 * whether the flash size is known, the rest is the file */

#include "fu-quectel-package-partition-nand.h"
#include "fuzz-common.h"

FUZZ_INIT_FATAL_LOGS

#define FUZZ_TOTAL_BLOCKS 2048

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(FuQuectelPackagePartitionNand) nand = NULL;
	FuQuectelPackageGeometry geometry = {0};
	guint32 total_blocks;

	if (size < 1)
		return 0;
	FUZZ_GEOMETRY(data[0], &geometry);
	total_blocks = (data[0] & 2) != 0 ? FUZZ_TOTAL_BLOCKS : 0;
	nand = fu_quectel_package_partition_nand_parse((const gchar *)data + 1,
						       size - 1,
						       &geometry,
						       total_blocks,
						       NULL);
	if (nand == NULL)
		return 0;
	for (guint i = 0; i < nand->partitions->len; i++) {
		FuQuectelPackagePartition *part = g_ptr_array_index(nand->partitions, i);
		g_assert_true(fu_quectel_package_partition_find(nand->partitions, part->name) !=
			      NULL);
		if (total_blocks != 0)
			g_assert_cmpuint((guint64)part->start_block + part->num_blocks,
					 <=,
					 total_blocks);
	}
	return 0;
}

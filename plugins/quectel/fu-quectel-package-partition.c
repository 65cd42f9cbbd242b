/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Partitions of a NAND partition table, as MIBIB and partition_nand.xml give them.
 */

#include "config.h"

#include <string.h>

#include "fu-quectel-package-partition.h"
#include "fu-quectel-package-text.h"

void
fu_quectel_package_partition_free(FuQuectelPackagePartition *self)
{
	g_free(self->name);
	g_free(self->img_name);
	g_free(self);
}

/**
 * fu_quectel_package_partition_find:
 * @partitions: (element-type FuQuectelPackagePartition): partitions
 * @name: a partition name, e.g. `0:SBL`
 *
 * Returns: (transfer none): the partition, or %NULL
 **/
FuQuectelPackagePartition *
fu_quectel_package_partition_find(GPtrArray *partitions, const gchar *name)
{
	for (guint i = 0; i < partitions->len; i++) {
		FuQuectelPackagePartition *part = g_ptr_array_index(partitions, i);
		if (g_strcmp0(part->name, name) == 0)
			return part;
	}
	return NULL;
}

/**
 * fu_quectel_package_partition_find_bare:
 * @partitions: (element-type FuQuectelPackagePartition): partitions
 * @name: a partition name without its flash prefix, e.g. `mibib`, compared case-insensitively
 *
 * Returns: (transfer none): the partition, e.g. `0:MIBIB`, or %NULL
 **/
FuQuectelPackagePartition *
fu_quectel_package_partition_find_bare(GPtrArray *partitions, const gchar *name)
{
	for (guint i = 0; i < partitions->len; i++) {
		FuQuectelPackagePartition *part = g_ptr_array_index(partitions, i);
		const gchar *colon = strchr(part->name, ':');
		if (g_ascii_strcasecmp(colon != NULL ? colon + 1 : part->name, name) == 0)
			return part;
	}
	return NULL;
}

gboolean
fu_quectel_package_partition_check_name(const gchar *name, GError **error)
{
	gsize len = strlen(name);
	if (len == 0 || len > FU_QUECTEL_PACKAGE_PARTITION_NAME_LEN_MAX ||
	    !fu_quectel_package_text_is_printable(name, FALSE)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "invalid partition name '%.32s', expected 1 to %u printable characters",
			    name,
			    (guint)FU_QUECTEL_PACKAGE_PARTITION_NAME_LEN_MAX);
		return FALSE;
	}
	return TRUE;
}

/* the partitions must be in flash order, unique, and only the last may grow */
gboolean
fu_quectel_package_partition_add(GPtrArray *partitions,
				 FuQuectelPackagePartition *part,
				 GError **error)
{
	g_autoptr(FuQuectelPackagePartition) part_owned = part;

	if (fu_quectel_package_partition_find(partitions, part->name) != NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "duplicate partition %s",
			    part->name);
		return FALSE;
	}
	if (partitions->len > 0) {
		FuQuectelPackagePartition *prev =
		    g_ptr_array_index(partitions, partitions->len - 1);
		guint64 prev_end = (guint64)prev->start_block + prev->num_blocks;
		if (prev->grow) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "partition %s follows %s, which takes the rest of the flash",
				    part->name,
				    prev->name);
			return FALSE;
		}
		if (part->start_block < prev_end) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "partition %s starts at block 0x%x, inside %s which ends at "
				    "block 0x%x",
				    part->name,
				    part->start_block,
				    prev->name,
				    (guint)prev_end);
			return FALSE;
		}
	}
	g_ptr_array_add(partitions, g_steal_pointer(&part_owned));
	return TRUE;
}

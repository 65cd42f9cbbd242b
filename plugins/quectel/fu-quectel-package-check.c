/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "fu-quectel-package-check.h"
#include "fu-quectel-plan.h"

/* the sector the primary boot loader reads the SBL from */
#define FU_QUECTEL_PACKAGE_CHECK_SBL_SECTOR 0
/* the partition the SBL reads the partition table from */
/* the vendor-line attribute naming the project the rawprogram was made for */
#define FU_QUECTEL_PACKAGE_CHECK_PROJECT_ATTR "c_project_name"
/* the vendor-line attributes naming sectors of the RAWDATA partition */
#define FU_QUECTEL_PACKAGE_CHECK_RAWDATA_START_ATTR "a_rawdata_start_sector"
#define FU_QUECTEL_PACKAGE_CHECK_RAWDATA_NUM_ATTR   "b_rawdata_num_sector"
#define FU_QUECTEL_PACKAGE_CHECK_RAWDATA_NAME	    "rawdata"

/* partitions that hold per-module data nobody can restore: EFS2 holds the RF calibration,
 * the IMEI and the NV items; sys_rev and RAWDATA hold Quectel's own per-module data */
static const gchar *
fu_quectel_package_check_protected_names(guint idx)
{
	const gchar *names[] = {"efs2", "sys_rev", "rawdata", NULL};
	return idx < G_N_ELEMENTS(names) ? names[idx] : NULL;
}

/* "0:EFS2" → "EFS2": the MIBIB prefixes names with the flash number */
static const gchar *
fu_quectel_package_check_strip_flash(const gchar *name)
{
	const gchar *colon = strchr(name, ':');
	return colon != NULL ? colon + 1 : name;
}

/**
 * fu_quectel_package_check_is_protected:
 * @partition_name: a partition name or label, e.g. `0:EFS2` or `efs2`
 *
 * Returns: %TRUE if the partition holds per-module data that an update must never erase or
 * program: EFS2 (RF calibration, IMEI, NV), sys_rev and RAWDATA
 **/
gboolean
fu_quectel_package_check_is_protected(const gchar *partition_name)
{
	const gchar *name = fu_quectel_package_check_strip_flash(partition_name);
	for (guint i = 0; fu_quectel_package_check_protected_names(i) != NULL; i++) {
		if (g_ascii_strcasecmp(name, fu_quectel_package_check_protected_names(i)) == 0)
			return TRUE;
	}
	return FALSE;
}

/**
 * fu_quectel_package_check_filename:
 * @filename: a file name or path of the package
 * @error: (nullable): optional return location for an error
 *
 * Refuses the files of a factory package: `*_factory.xml`, `cefs.mbn`, `*.xqcn` and
 * `zero.bin` program or clear EFS2, which destroys the module's calibration.
 *
 * Returns: %TRUE if the file may be part of an update package
 **/
gboolean
fu_quectel_package_check_filename(const gchar *filename, GError **error)
{
	const gchar *basename = filename;
	g_autofree gchar *lower = NULL;

	for (gsize i = 0; filename[i] != '\0'; i++) {
		if (filename[i] == '/' || filename[i] == '\\')
			basename = filename + i + 1;
	}
	lower = g_ascii_strdown(basename, -1);
	if (g_str_has_suffix(lower, "_factory.xml") || g_strcmp0(lower, "cefs.mbn") == 0 ||
	    g_str_has_suffix(lower, ".xqcn") || g_strcmp0(lower, "zero.bin") == 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: " FU_QUECTEL_PACKAGE_CHECK_RULE_FACTORY
			    ": this file belongs to a factory package, which rewrites EFS2 and "
			    "destroys the module's RF calibration and IMEI; only update "
			    "packages (*_update.xml) are accepted",
			    filename);
		return FALSE;
	}
	return TRUE;
}

/**
 * fu_quectel_package_check_image_sizes_new:
 *
 * Returns: (transfer full): an empty table of basename → guint64 size, as
 * fu_quectel_plan_new() takes it
 **/
GHashTable *
fu_quectel_package_check_image_sizes_new(void)
{
	return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * fu_quectel_package_check_image_sizes_add:
 * @image_sizes: a table from fu_quectel_package_check_image_sizes_new()
 * @basename: a file of the payload, e.g. `sbl1.mbn`
 * @size: its size in bytes
 *
 * Adds or replaces the size of a file.
 **/
void
fu_quectel_package_check_image_sizes_add(GHashTable *image_sizes,
					 const gchar *basename,
					 guint64 size)
{
	guint64 *value = g_new0(guint64, 1);
	*value = size;
	g_hash_table_insert(image_sizes, g_strdup(basename), value);
}

static const gchar *
fu_quectel_package_check_basename(const gchar *filename)
{
	const gchar *basename = filename;
	for (gsize i = 0; filename[i] != '\0'; i++) {
		if (filename[i] == '/' || filename[i] == '\\')
			basename = filename + i + 1;
	}
	return basename;
}

/* a geometry token in a file name must match the geometry of the content */
static gboolean
fu_quectel_package_check_geometry_name(const gchar *filename,
				       const FuQuectelPackageGeometry *geometry,
				       GError **error)
{
	FuQuectelPackageGeometry geometry_fn = {0};
	g_autofree gchar *str = NULL;
	g_autofree gchar *str_fn = NULL;
	g_autoptr(GError) error_local = NULL;

	/* most programmers carry no geometry in their name */
	if (filename == NULL ||
	    !fu_quectel_package_geometry_parse(filename, &geometry_fn, &error_local)) {
		if (filename != NULL)
			g_debug("no geometry in %s: %s", filename, error_local->message);
		return TRUE;
	}
	if (fu_quectel_package_geometry_equal(&geometry_fn, geometry))
		return TRUE;
	str = fu_quectel_package_geometry_to_string(geometry);
	str_fn = fu_quectel_package_geometry_to_string(&geometry_fn);
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_INVALID_DATA,
		    "%s: " FU_QUECTEL_PACKAGE_CHECK_RULE_GEOMETRY
		    ": the name says %s but the rawprogram is laid out for %s",
		    filename,
		    str_fn,
		    str);
	return FALSE;
}

/* the page size and pages per block of the rawprogram, completed from its file name */
static gboolean
fu_quectel_package_check_geometry_rawprogram(const FuQuectelPackageCheckInput *input,
					     FuQuectelPackageGeometry *geometry,
					     GError **error)
{
	const FuQuectelPackageRawprogram *rawprogram = input->rawprogram;
	FuQuectelPackageGeometry geometry_fn = {0};
	g_autoptr(GError) error_local = NULL;

	if (rawprogram->sector_size == 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: " FU_QUECTEL_PACKAGE_CHECK_RULE_GEOMETRY
			    ": no SECTOR_SIZE_IN_BYTES in any erase or program",
			    input->rawprogram_fn);
		return FALSE;
	}
	geometry->page_size = rawprogram->sector_size;
	geometry->pages_per_block = rawprogram->pages_per_block;
	if (geometry->pages_per_block == 0) {
		if (!fu_quectel_package_geometry_parse(input->rawprogram_fn,
						       &geometry_fn,
						       &error_local)) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "%s: " FU_QUECTEL_PACKAGE_CHECK_RULE_GEOMETRY
				    ": no PAGES_PER_BLOCK and %s",
				    input->rawprogram_fn,
				    error_local->message);
			return FALSE;
		}
		geometry->pages_per_block = geometry_fn.pages_per_block;
	}
	geometry->block_size = geometry->page_size * geometry->pages_per_block;
	return TRUE;
}

/* the partition table sits at page 1 of a MIBIB, so its offset is the page size */
static gboolean
fu_quectel_package_check_geometry_mibib(const FuQuectelPackageCheckInput *input,
					const FuQuectelPackageGeometry *geometry,
					GError **error)
{
	g_autofree gchar *str = fu_quectel_package_geometry_to_string(geometry);

	if (!input->mibib->has_header || input->mibib->table_offset == geometry->page_size)
		return TRUE;
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_INVALID_DATA,
		    "%s: " FU_QUECTEL_PACKAGE_CHECK_RULE_GEOMETRY
		    ": the partition table is laid out for 0x%x-byte pages but the rawprogram "
		    "is for %s (0x%x-byte pages)",
		    input->mibib_fn,
		    (guint)input->mibib->table_offset,
		    str,
		    geometry->page_size);
	return FALSE;
}

static gboolean
fu_quectel_package_check_geometry_patches(const FuQuectelPackageCheckInput *input,
					  const FuQuectelPackageGeometry *geometry,
					  GError **error)
{
	for (guint i = 0; input->patches != NULL && i < input->patches->len; i++) {
		FuQuectelPackagePatch *patch = g_ptr_array_index(input->patches, i);
		if (!fu_quectel_package_geometry_check_sector(geometry,
							      patch->sector_size,
							      0,
							      error)) {
			g_prefix_error(error,
				       "%s: " FU_QUECTEL_PACKAGE_CHECK_RULE_GEOMETRY
				       ": patch #%u: ",
				       input->patch_fn,
				       i);
			return FALSE;
		}
		if (fu_quectel_package_patch_is_disk(patch))
			continue;
		if (!fu_quectel_package_check_geometry_name(patch->filename, geometry, error)) {
			g_prefix_error(error, "%s: patch #%u: ", input->patch_fn, i);
			return FALSE;
		}
	}
	return TRUE;
}

/**
 * fu_quectel_package_check_geometry:
 * @input: the parsed payload
 * @geometry: (out caller-allocates): the one NAND geometry of the payload
 * @error: (nullable): optional return location for an error
 *
 * Derives the NAND geometry from the rawprogram and checks that the programmer, rawprogram,
 * patch and MIBIB agree on it, by name (`p4K_b256K`) and by content.
 *
 * Returns: %TRUE if there is exactly one geometry
 **/
gboolean
fu_quectel_package_check_geometry(const FuQuectelPackageCheckInput *input,
				  FuQuectelPackageGeometry *geometry,
				  GError **error)
{
	const gchar *names[] = {
	    input->rawprogram_fn,
	    input->programmer_fn,
	    input->mibib_fn,
	    input->patch_fn,
	};

	if (!fu_quectel_package_check_geometry_rawprogram(input, geometry, error))
		return FALSE;
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		if (!fu_quectel_package_check_geometry_name(names[i], geometry, error))
			return FALSE;
	}
	if (!fu_quectel_package_rawprogram_check_geometry(input->rawprogram, geometry, error)) {
		g_prefix_error(error,
			       "%s: " FU_QUECTEL_PACKAGE_CHECK_RULE_GEOMETRY ": ",
			       input->rawprogram_fn);
		return FALSE;
	}
	if (!fu_quectel_package_check_geometry_mibib(input, geometry, error))
		return FALSE;
	return fu_quectel_package_check_geometry_patches(input, geometry, error);
}

/* an operation that the update sends to the module, with pages */
static gboolean
fu_quectel_package_check_op_is_checked(const FuQuectelPackageOp *op)
{
	if (op->is_vendor)
		return FALSE;
	if (op->kind == FU_QUECTEL_PACKAGE_OP_KIND_PROGRAM && op->basename == NULL)
		return FALSE;
	return TRUE;
}

static gboolean
fu_quectel_package_check_sbl(const FuQuectelPackageCheckInput *input, GError **error)
{
	for (guint i = 0; i < input->rawprogram->ops->len; i++) {
		FuQuectelPackageOp *op = g_ptr_array_index(input->rawprogram->ops, i);
		if (op->kind == FU_QUECTEL_PACKAGE_OP_KIND_PROGRAM &&
		    fu_quectel_package_check_op_is_checked(op) &&
		    op->start_sector == FU_QUECTEL_PACKAGE_CHECK_SBL_SECTOR)
			return TRUE;
	}
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_INVALID_DATA,
		    "%s: " FU_QUECTEL_PACKAGE_CHECK_RULE_SBL
		    ": no <program> at sector %u, so the update would erase the boot loader and "
		    "not write a new one",
		    input->rawprogram_fn,
		    (guint)FU_QUECTEL_PACKAGE_CHECK_SBL_SECTOR);
	return FALSE;
}

static gboolean
fu_quectel_package_check_overlap(const FuQuectelPackageCheckInput *input, GError **error)
{
	GPtrArray *ops = input->rawprogram->ops;

	for (guint i = 0; i < ops->len; i++) {
		FuQuectelPackageOp *op1 = g_ptr_array_index(ops, i);
		if (op1->kind != FU_QUECTEL_PACKAGE_OP_KIND_PROGRAM ||
		    !fu_quectel_package_check_op_is_checked(op1))
			continue;
		for (guint j = i + 1; j < ops->len; j++) {
			FuQuectelPackageOp *op2 = g_ptr_array_index(ops, j);
			if (op2->kind != FU_QUECTEL_PACKAGE_OP_KIND_PROGRAM ||
			    !fu_quectel_package_check_op_is_checked(op2))
				continue;
			if (op1->start_sector >= op2->start_sector + op2->num_partition_sectors ||
			    op2->start_sector >= op1->start_sector + op1->num_partition_sectors)
				continue;
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "%s: " FU_QUECTEL_PACKAGE_CHECK_RULE_OVERLAP
				    ": line %u programs %s to sectors 0x%x-0x%x, which overlaps "
				    "line %u programming %s to sectors 0x%x-0x%x",
				    input->rawprogram_fn,
				    op2->line,
				    op2->basename,
				    (guint)op2->start_sector,
				    (guint)(op2->start_sector + op2->num_partition_sectors - 1),
				    op1->line,
				    op1->basename,
				    (guint)op1->start_sector,
				    (guint)(op1->start_sector + op1->num_partition_sectors - 1));
			return FALSE;
		}
	}
	return TRUE;
}

/* the sectors of a partition; a growing partition of unknown length runs to the end */
static void
fu_quectel_package_check_partition_range(const FuQuectelPackagePartition *part,
					 const FuQuectelPackageGeometry *geometry,
					 guint64 *start,
					 guint64 *end)
{
	*start = (guint64)part->start_block * geometry->pages_per_block;
	if (part->num_blocks == 0)
		*end = G_MAXUINT64;
	else
		*end = *start + (guint64)part->num_blocks * geometry->pages_per_block;
}

static gboolean
fu_quectel_package_check_protected_range(const FuQuectelPackageCheckInput *input,
					 const FuQuectelPackageGeometry *geometry,
					 const gchar *what,
					 guint line,
					 guint64 start,
					 guint64 num,
					 GError **error)
{
	GPtrArray *partitions = input->mibib->partitions;

	for (guint i = 0; i < partitions->len; i++) {
		FuQuectelPackagePartition *part = g_ptr_array_index(partitions, i);
		guint64 part_start = 0;
		guint64 part_end = 0;
		if (!fu_quectel_package_check_is_protected(part->name))
			continue;
		fu_quectel_package_check_partition_range(part, geometry, &part_start, &part_end);
		if (start >= part_end || start + num <= part_start)
			continue;
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: " FU_QUECTEL_PACKAGE_CHECK_RULE_PROTECTED
			    ": line %u: %s sectors 0x%x-0x%x, inside %s (sectors 0x%x-0x%x of "
			    "%s), which holds the module's own calibration and identity data",
			    input->rawprogram_fn,
			    line,
			    what,
			    (guint)start,
			    (guint)(start + num - 1),
			    part->name,
			    (guint)part_start,
			    part_end == G_MAXUINT64 ? (guint)G_MAXUINT32 : (guint)(part_end - 1),
			    input->mibib_fn);
		return FALSE;
	}
	return TRUE;
}

/* a DISK patch writes the flash: it must land inside a partition of the payload's MIBIB */
static gboolean
fu_quectel_package_check_disk_patch_mapped(const FuQuectelPackageCheckInput *input,
					   const FuQuectelPackageGeometry *geometry,
					   const FuQuectelPackagePatch *patch,
					   GError **error)
{
	GPtrArray *partitions = input->mibib->partitions;
	guint64 last_end = 0;

	for (guint i = 0; i < partitions->len; i++) {
		FuQuectelPackagePartition *part = g_ptr_array_index(partitions, i);
		guint64 part_start = 0;
		guint64 part_end = 0;
		fu_quectel_package_check_partition_range(part, geometry, &part_start, &part_end);
		if (patch->start_sector_value >= part_start && patch->start_sector_value < part_end)
			return TRUE;
		last_end = MAX(last_end, part_end);
	}
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_INVALID_DATA,
		    "DISK <patch> writes sector 0x%" G_GINT64_MODIFIER
		    "x, which is outside every partition of %s (the last ends before sector "
		    "0x%" G_GINT64_MODIFIER "x)",
		    patch->start_sector_value,
		    input->mibib_fn,
		    last_end);
	return FALSE;
}

static gboolean
fu_quectel_package_check_protected(const FuQuectelPackageCheckInput *input,
				   const FuQuectelPackageGeometry *geometry,
				   GError **error)
{
	GPtrArray *ops = input->rawprogram->ops;

	/* the map must say where the calibration is */
	if (fu_quectel_package_partition_find_bare(input->mibib->partitions,
						   fu_quectel_package_check_protected_names(0)) ==
	    NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: " FU_QUECTEL_PACKAGE_CHECK_RULE_PROTECTED
			    ": the partition table has no EFS2 partition, so the calibration "
			    "data cannot be located",
			    input->mibib_fn);
		return FALSE;
	}

	/* erases and programs */
	for (guint i = 0; i < ops->len; i++) {
		FuQuectelPackageOp *op = g_ptr_array_index(ops, i);
		g_autofree gchar *what = NULL;
		if (!fu_quectel_package_check_op_is_checked(op))
			continue;
		if (op->kind == FU_QUECTEL_PACKAGE_OP_KIND_PROGRAM)
			what = g_strdup_printf("<program> of %s writes", op->filename);
		else
			what = g_strdup("<erase> clears");
		if (op->label != NULL && fu_quectel_package_check_is_protected(op->label)) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "%s: " FU_QUECTEL_PACKAGE_CHECK_RULE_PROTECTED
				    ": line %u: %s partition %s, which holds the module's own "
				    "calibration and identity data",
				    input->rawprogram_fn,
				    op->line,
				    what,
				    op->label);
			return FALSE;
		}
		if (!fu_quectel_package_check_protected_range(input,
							      geometry,
							      what,
							      op->line,
							      op->start_sector,
							      op->num_partition_sectors,
							      error))
			return FALSE;
	}

	/* a patch of the device itself must have a sector we can check */
	for (guint i = 0; input->patches != NULL && i < input->patches->len; i++) {
		FuQuectelPackagePatch *patch = g_ptr_array_index(input->patches, i);
		if (!fu_quectel_package_patch_is_disk(patch))
			continue;
		if (!patch->start_sector_is_numeric) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "%s: " FU_QUECTEL_PACKAGE_CHECK_RULE_PROTECTED
				    ": patch #%u writes the flash at computed sector '%s', which "
				    "cannot be checked against the partition table",
				    input->patch_fn,
				    i,
				    patch->start_sector);
			return FALSE;
		}
		if (!fu_quectel_package_check_protected_range(input,
							      geometry,
							      "DISK <patch> writes",
							      0,
							      patch->start_sector_value,
							      1,
							      error)) {
			g_prefix_error(error, "%s: patch #%u: ", input->patch_fn, i);
			return FALSE;
		}
		if (!fu_quectel_package_check_disk_patch_mapped(input, geometry, patch, error)) {
			g_prefix_error(error,
				       "%s: " FU_QUECTEL_PACKAGE_CHECK_RULE_PATCH ": patch #%u: ",
				       input->patch_fn,
				       i);
			return FALSE;
		}
	}
	return TRUE;
}

/* the MIBIB partition must be programmed with the partition table that was checked */
static gboolean
fu_quectel_package_check_mibib_programmed(const FuQuectelPackageCheckInput *input,
					  const FuQuectelPackageGeometry *geometry,
					  GError **error)
{
	const gchar *mibib_basename = fu_quectel_package_check_basename(input->mibib_fn);
	FuQuectelPackagePartition *part_mibib;
	guint64 start;

	part_mibib = fu_quectel_package_partition_find_bare(input->mibib->partitions,
							    FU_QUECTEL_PACKAGE_MIBIB_NAME);
	if (part_mibib == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: " FU_QUECTEL_PACKAGE_CHECK_RULE_MAP
			    ": the partition table has no MIBIB partition",
			    input->mibib_fn);
		return FALSE;
	}
	start = (guint64)part_mibib->start_block * geometry->pages_per_block;
	for (guint i = 0; i < input->rawprogram->ops->len; i++) {
		FuQuectelPackageOp *op = g_ptr_array_index(input->rawprogram->ops, i);
		if (op->kind != FU_QUECTEL_PACKAGE_OP_KIND_PROGRAM ||
		    !fu_quectel_package_check_op_is_checked(op) || op->start_sector != start)
			continue;
		if (g_strcmp0(op->basename, mibib_basename) != 0) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "%s: " FU_QUECTEL_PACKAGE_CHECK_RULE_MAP
				    ": line %u programs %s into %s, but the partition table that "
				    "was checked is %s",
				    input->rawprogram_fn,
				    op->line,
				    op->filename,
				    part_mibib->name,
				    mibib_basename);
			return FALSE;
		}
		return TRUE;
	}
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_INVALID_DATA,
		    "%s: " FU_QUECTEL_PACKAGE_CHECK_RULE_MAP
		    ": no <program> writes %s into %s at sector 0x%x, so the module would keep a "
		    "partition table that was not checked",
		    input->rawprogram_fn,
		    mibib_basename,
		    part_mibib->name,
		    (guint)start);
	return FALSE;
}

static gboolean
fu_quectel_package_check_images(const FuQuectelPackageCheckInput *input,
				const FuQuectelPackageGeometry *geometry,
				GError **error)
{
	for (guint i = 0; i < input->rawprogram->ops->len; i++) {
		FuQuectelPackageOp *op = g_ptr_array_index(input->rawprogram->ops, i);
		guint64 *size;
		guint64 size_max;

		if (op->kind != FU_QUECTEL_PACKAGE_OP_KIND_PROGRAM ||
		    !fu_quectel_package_check_op_is_checked(op))
			continue;
		size = g_hash_table_lookup(input->image_sizes, op->basename);
		if (size == NULL) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_NOT_FOUND,
				    "%s: " FU_QUECTEL_PACKAGE_CHECK_RULE_MISSING
				    ": line %u programs %s, which is not in the package",
				    input->rawprogram_fn,
				    op->line,
				    op->filename);
			return FALSE;
		}
		size_max = op->num_partition_sectors * geometry->page_size;
		if (*size == 0 || *size > size_max) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "%s: " FU_QUECTEL_PACKAGE_CHECK_RULE_IMAGE
				    ": it is 0x%" G_GINT64_MODIFIER "x bytes, but %s line %u "
				    "programs it into 0x%x sectors (0x%" G_GINT64_MODIFIER
				    "x bytes) at sector 0x%x",
				    op->basename,
				    *size,
				    input->rawprogram_fn,
				    op->line,
				    (guint)op->num_partition_sectors,
				    size_max,
				    (guint)op->start_sector);
			return FALSE;
		}
	}
	return TRUE;
}

/* host-side patches change a file of the package, within it */
static gboolean
fu_quectel_package_check_patches(const FuQuectelPackageCheckInput *input, GError **error)
{
	for (guint i = 0; input->patches != NULL && i < input->patches->len; i++) {
		FuQuectelPackagePatch *patch = g_ptr_array_index(input->patches, i);
		const gchar *basename;
		guint64 *size;
		guint64 end;

		if (fu_quectel_package_patch_is_disk(patch))
			continue;
		basename = fu_quectel_package_check_basename(patch->filename);
		size = g_hash_table_lookup(input->image_sizes, basename);
		if (size == NULL) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "%s: " FU_QUECTEL_PACKAGE_CHECK_RULE_PATCH
				    ": patch #%u changes %s, which is not in the package",
				    input->patch_fn,
				    i,
				    patch->filename);
			return FALSE;
		}
		end = patch->start_sector_value * patch->sector_size + patch->byte_offset +
		      patch->size_in_bytes;
		if (end > *size) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "%s: " FU_QUECTEL_PACKAGE_CHECK_RULE_PATCH
				    ": patch #%u changes %s up to byte 0x%" G_GINT64_MODIFIER
				    "x, beyond its 0x%" G_GINT64_MODIFIER "x bytes",
				    input->patch_fn,
				    i,
				    basename,
				    end,
				    *size);
			return FALSE;
		}
	}
	return TRUE;
}

/*
 * Quectel's vendor lines (`vendor="quectel"`) are sent to the module verbatim, so nothing in
 * them may escape the rules: only an <erase>, only the attributes Quectel's tools know (and
 * the geometry, checked with the other lines), and RAWDATA numbers inside the RAWDATA
 * partition of the payload's own MIBIB. A start_sector or a filename would make the
 * programmer erase or write wherever it says.
 */
static const gchar *
fu_quectel_package_check_vendor_attrs(guint idx)
{
	const gchar *names[] = {"vendor",
				FU_QUECTEL_PACKAGE_CHECK_RAWDATA_START_ATTR,
				FU_QUECTEL_PACKAGE_CHECK_RAWDATA_NUM_ATTR,
				FU_QUECTEL_PACKAGE_CHECK_PROJECT_ATTR,
				"d_project_type",
				"SECTOR_SIZE_IN_BYTES",
				"PAGES_PER_BLOCK",
				NULL};
	return idx < G_N_ELEMENTS(names) ? names[idx] : NULL;
}

static gboolean
fu_quectel_package_check_vendor_attr_known(const gchar *name)
{
	for (guint i = 0; fu_quectel_package_check_vendor_attrs(i) != NULL; i++) {
		if (g_strcmp0(name, fu_quectel_package_check_vendor_attrs(i)) == 0)
			return TRUE;
	}
	return FALSE;
}

static gboolean
fu_quectel_package_check_vendor_number(const FuQuectelPackageOp *op,
				       const gchar *name,
				       guint64 *value,
				       GError **error)
{
	const gchar *str = fu_quectel_package_op_get_attr(op, name);
	if (str == NULL) {
		g_set_error(error, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA, "no %s", name);
		return FALSE;
	}
	if (!fu_strtoull(str, value, 0, G_MAXUINT32, FU_INTEGER_BASE_10, error)) {
		g_prefix_error(error, "invalid %s: ", name);
		return FALSE;
	}
	return TRUE;
}

static gboolean
fu_quectel_package_check_vendor_line(const FuQuectelPackageCheckInput *input,
				     const FuQuectelPackageGeometry *geometry,
				     const FuQuectelPackageOp *op,
				     GError **error)
{
	FuQuectelPackagePartition *rawdata = NULL;
	guint64 start = 0;
	guint64 num = 0;
	guint64 part_start = 0;
	guint64 part_end = 0;
	g_autoptr(GString) known = g_string_new(NULL);

	if (op->kind != FU_QUECTEL_PACKAGE_OP_KIND_ERASE) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "a vendor <program> would be sent unchecked; only vendor "
				    "<erase> lines are known");
		return FALSE;
	}
	for (guint i = 0; fu_quectel_package_check_vendor_attrs(i) != NULL; i++)
		g_string_append_printf(known,
				       "%s%s",
				       i > 0 ? ", " : "",
				       fu_quectel_package_check_vendor_attrs(i));
	for (guint i = 0; i < op->attrs->len; i++) {
		FuQuectelPackageAttr *attr = g_ptr_array_index(op->attrs, i);
		if (fu_quectel_package_check_vendor_attr_known(attr->name))
			continue;
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "attribute %s=\"%s\" is not one of the known vendor attributes (%s): "
			    "the line would be sent to the module unchecked",
			    attr->name,
			    attr->value,
			    known->str);
		return FALSE;
	}
	if (!fu_quectel_package_check_vendor_number(op,
						    FU_QUECTEL_PACKAGE_CHECK_RAWDATA_START_ATTR,
						    &start,
						    error) ||
	    !fu_quectel_package_check_vendor_number(op,
						    FU_QUECTEL_PACKAGE_CHECK_RAWDATA_NUM_ATTR,
						    &num,
						    error))
		return FALSE;
	rawdata = fu_quectel_package_partition_find_bare(input->mibib->partitions,
							 FU_QUECTEL_PACKAGE_CHECK_RAWDATA_NAME);
	if (rawdata == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "it names RAWDATA sectors but %s has no RAWDATA partition",
			    input->mibib_fn);
		return FALSE;
	}
	fu_quectel_package_check_partition_range(rawdata, geometry, &part_start, &part_end);
	if (num == 0 || start < part_start || start + num > part_end) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "RAWDATA sectors 0x%x+0x%x are not inside %s (sectors 0x%x-0x%x of "
			    "%s)",
			    (guint)start,
			    (guint)num,
			    rawdata->name,
			    (guint)part_start,
			    part_end == G_MAXUINT64 ? (guint)G_MAXUINT32 : (guint)(part_end - 1),
			    input->mibib_fn);
		return FALSE;
	}
	return TRUE;
}

static gboolean
fu_quectel_package_check_vendor(const FuQuectelPackageCheckInput *input,
				const FuQuectelPackageGeometry *geometry,
				GError **error)
{
	for (guint i = 0; i < input->rawprogram->ops->len; i++) {
		FuQuectelPackageOp *op = g_ptr_array_index(input->rawprogram->ops, i);
		if (!op->is_vendor)
			continue;
		if (!fu_quectel_package_check_vendor_line(input, geometry, op, error)) {
			g_prefix_error(error,
				       "%s: " FU_QUECTEL_PACKAGE_CHECK_RULE_VENDOR ": line %u: ",
				       input->rawprogram_fn,
				       op->line);
			return FALSE;
		}
	}
	return TRUE;
}

/* the vendor line names the project the rawprogram was made for */
static gboolean
fu_quectel_package_check_project(const FuQuectelPackageCheckInput *input, GError **error)
{
	if (input->project == NULL)
		return TRUE;
	for (guint i = 0; i < input->rawprogram->ops->len; i++) {
		FuQuectelPackageOp *op = g_ptr_array_index(input->rawprogram->ops, i);
		const gchar *project;
		if (!op->is_vendor)
			continue;
		project = fu_quectel_package_op_get_attr(op, FU_QUECTEL_PACKAGE_CHECK_PROJECT_ATTR);
		if (project == NULL || g_ascii_strcasecmp(project, input->project) == 0)
			continue;
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: " FU_QUECTEL_PACKAGE_CHECK_RULE_PROJECT
			    ": line %u is for project %s, but the firmware version is for %s",
			    input->rawprogram_fn,
			    op->line,
			    project,
			    input->project);
		return FALSE;
	}
	return TRUE;
}

/**
 * fu_quectel_package_check_run:
 * @input: the parsed payload
 * @geometry: (out caller-allocates): the NAND geometry of the payload
 * @error: (nullable): optional return location for an error
 *
 * Applies every safety rule: one geometry; an SBL at sector 0; no overlapping programs; no
 * erase, program or DISK patch inside EFS2, sys_rev or RAWDATA as the package's own MIBIB
 * places them; every operation on a partition of that MIBIB, which is itself the table
 * programmed; every image present and no larger than its partition; host-side patches
 * inside their file; the vendor line for the expected project; and an update plan that the
 * device can run. That plan is the one the update executes: nothing builds it again.
 *
 * Returns: (transfer container) (element-type FuQuectelPlanStep): the update plan if the
 * payload may be flashed, or %NULL
 **/
GPtrArray *
fu_quectel_package_check_run(const FuQuectelPackageCheckInput *input,
			     FuQuectelPackageGeometry *geometry,
			     GError **error)
{
	g_autoptr(GPtrArray) plan = NULL;

	g_return_val_if_fail(input->rawprogram != NULL, NULL);
	g_return_val_if_fail(input->rawprogram_fn != NULL, NULL);
	g_return_val_if_fail(input->mibib != NULL, NULL);
	g_return_val_if_fail(input->mibib_fn != NULL, NULL);
	g_return_val_if_fail(input->image_sizes != NULL, NULL);

	if (!fu_quectel_package_check_filename(input->rawprogram_fn, error))
		return NULL;
	if (!fu_quectel_package_check_geometry(input, geometry, error))
		return NULL;
	if (!fu_quectel_package_check_project(input, error))
		return NULL;
	if (!fu_quectel_package_check_sbl(input, error))
		return NULL;
	if (!fu_quectel_package_check_overlap(input, error))
		return NULL;
	if (!fu_quectel_package_check_protected(input, geometry, error))
		return NULL;
	if (!fu_quectel_package_check_vendor(input, geometry, error))
		return NULL;
	if (!fu_quectel_package_rawprogram_check_partitions(input->rawprogram,
							    geometry,
							    input->mibib->partitions,
							    error)) {
		g_prefix_error(error,
			       "%s: " FU_QUECTEL_PACKAGE_CHECK_RULE_MAP ": %s does not match: ",
			       input->rawprogram_fn,
			       input->mibib_fn);
		return NULL;
	}
	if (!fu_quectel_package_check_mibib_programmed(input, geometry, error))
		return NULL;
	if (!fu_quectel_package_check_images(input, geometry, error))
		return NULL;
	if (!fu_quectel_package_check_patches(input, error))
		return NULL;

	/* the device must be able to order it */
	plan = fu_quectel_plan_new(input->rawprogram,
				   input->patches,
				   geometry->page_size,
				   input->image_sizes,
				   error);
	if (plan == NULL) {
		g_prefix_error(error,
			       "%s: " FU_QUECTEL_PACKAGE_CHECK_RULE_PLAN ": ",
			       input->rawprogram_fn);
		return NULL;
	}
	return g_steal_pointer(&plan);
}

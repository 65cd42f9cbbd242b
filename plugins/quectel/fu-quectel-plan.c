/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "fu-quectel-plan.h"

/* where the SBL lives: a package programs it at page 0 */
#define FU_QUECTEL_PLAN_SBL_SECTOR 0

void
fu_quectel_plan_step_free(FuQuectelPlanStep *self)
{
	g_free(self->basename);
	g_free(self->label);
	if (self->attrs != NULL)
		g_ptr_array_unref(self->attrs);
	g_free(self);
}

static FuQuectelPlanStep *
fu_quectel_plan_step_new(FuQuectelPlanStepKind kind, const FuQuectelPackageOp *op)
{
	FuQuectelPlanStep *step = g_new0(FuQuectelPlanStep, 1);
	step->kind = kind;
	if (op != NULL) {
		step->start_sector = op->start_sector;
		step->num_sectors = op->num_partition_sectors;
		step->label = g_strdup(op->label);
	}
	return step;
}

static GPtrArray *
fu_quectel_plan_attrs_copy(GPtrArray *attrs)
{
	GPtrArray *copy =
	    g_ptr_array_new_with_free_func((GDestroyNotify)fu_quectel_package_xml_attr_free);
	for (guint i = 0; i < attrs->len; i++) {
		FuQuectelPackageAttr *attr = g_ptr_array_index(attrs, i);
		FuQuectelPackageAttr *attr_new = g_new0(FuQuectelPackageAttr, 1);
		attr_new->name = g_strdup(attr->name);
		attr_new->value = g_strdup(attr->value);
		g_ptr_array_add(copy, attr_new);
	}
	return copy;
}

static void
fu_quectel_plan_attrs_add(GPtrArray *attrs, const gchar *name, const gchar *value)
{
	FuQuectelPackageAttr *attr = g_new0(FuQuectelPackageAttr, 1);
	attr->name = g_strdup(name);
	attr->value = g_strdup(value);
	g_ptr_array_add(attrs, attr);
}

static FuQuectelPlanStep *
fu_quectel_plan_step_new_patch(const FuQuectelPackagePatch *patch)
{
	FuQuectelPlanStep *step = fu_quectel_plan_step_new(FU_QUECTEL_PLAN_STEP_KIND_PATCH, NULL);
	g_autofree gchar *sector_size = g_strdup_printf("%u", patch->sector_size);
	g_autofree gchar *byte_offset = g_strdup_printf("%" G_GUINT64_FORMAT, patch->byte_offset);
	g_autofree gchar *ppn = g_strdup_printf("%u", patch->physical_partition_number);
	g_autofree gchar *size = g_strdup_printf("%u", patch->size_in_bytes);

	step->attrs =
	    g_ptr_array_new_with_free_func((GDestroyNotify)fu_quectel_package_xml_attr_free);
	fu_quectel_plan_attrs_add(step->attrs, "SECTOR_SIZE_IN_BYTES", sector_size);
	fu_quectel_plan_attrs_add(step->attrs, "byte_offset", byte_offset);
	fu_quectel_plan_attrs_add(step->attrs, "filename", patch->filename);
	fu_quectel_plan_attrs_add(step->attrs, "physical_partition_number", ppn);
	fu_quectel_plan_attrs_add(step->attrs, "size_in_bytes", size);
	fu_quectel_plan_attrs_add(step->attrs, "start_sector", patch->start_sector);
	fu_quectel_plan_attrs_add(step->attrs, "value", patch->value);
	if (patch->what != NULL)
		fu_quectel_plan_attrs_add(step->attrs, "what", patch->what);
	return step;
}

/* a program must land on pages an earlier erase of the plan has cleared */
static gboolean
fu_quectel_plan_program_is_erased(GPtrArray *erases, const FuQuectelPlanStep *program)
{
	for (guint i = 0; i < erases->len; i++) {
		FuQuectelPlanStep *erase = g_ptr_array_index(erases, i);
		if (program->start_sector >= erase->start_sector &&
		    program->start_sector + program->num_sectors <=
			erase->start_sector + erase->num_sectors)
			return TRUE;
	}
	return FALSE;
}

static FuQuectelPlanStep *
fu_quectel_plan_step_new_program(const FuQuectelPackageOp *op,
				 guint32 page_size,
				 GHashTable *image_sizes,
				 GError **error)
{
	guint64 *size = g_hash_table_lookup(image_sizes, op->basename);
	g_autoptr(FuQuectelPlanStep) step =
	    fu_quectel_plan_step_new(FU_QUECTEL_PLAN_STEP_KIND_PROGRAM, op);

	if (size == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_FOUND,
			    "rawprogram line %u programs %s, which is not in the package",
			    op->line,
			    op->basename);
		return NULL;
	}
	if (*size == 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "rawprogram line %u programs %s, which is empty",
			    op->line,
			    op->basename);
		return NULL;
	}
	step->basename = g_strdup(op->basename);
	step->image_size = *size;
	step->num_sectors = (*size + page_size - 1) / page_size;
	if (step->num_sectors > op->num_partition_sectors) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s is 0x%" G_GINT64_MODIFIER "x bytes, larger than its partition of "
			    "0x%" G_GINT64_MODIFIER "x pages at page 0x%" G_GINT64_MODIFIER "x",
			    op->basename,
			    *size,
			    op->num_partition_sectors,
			    op->start_sector);
		return NULL;
	}
	return g_steal_pointer(&step);
}

/**
 * fu_quectel_plan_new:
 * @rawprogram: the parsed `*_update.xml`
 * @patches: (nullable) (element-type FuQuectelPackagePatch): the parsed patch file
 * @page_size: NAND page size in bytes
 * @image_sizes: basename → guint64 size of every image of the payload
 * @error: (nullable): optional return location for an error
 *
 * Orders the operations so that an interrupted update always falls back to EDL: the SBL
 * region is erased first, then the vendor lines are passed through, then every other erase
 * and program in file order, and the SBL is programmed last. Programs send the image only,
 * rounded up to whole pages, not the whole partition. Patches aimed at a file of the package
 * rather than at the `DISK` are host-side and skipped.
 *
 * Returns: (transfer container) (element-type FuQuectelPlanStep): the plan
 **/
GPtrArray *
fu_quectel_plan_new(const FuQuectelPackageRawprogram *rawprogram,
		    GPtrArray *patches,
		    guint32 page_size,
		    GHashTable *image_sizes,
		    GError **error)
{
	g_autoptr(GPtrArray) steps = /* owns every step until the plan is ordered */
	    g_ptr_array_new_with_free_func((GDestroyNotify)fu_quectel_plan_step_free);
	g_autoptr(GPtrArray) erases_sbl = g_ptr_array_new();
	g_autoptr(GPtrArray) erases = g_ptr_array_new();
	g_autoptr(GPtrArray) vendor = g_ptr_array_new();
	g_autoptr(GPtrArray) programs = g_ptr_array_new();
	g_autoptr(GPtrArray) erases_all = g_ptr_array_new();
	FuQuectelPlanStep *program_sbl = NULL;

	if (page_size == 0) {
		g_set_error_literal(error, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA, "no page size");
		return NULL;
	}

	/* sort the operations into their groups, keeping file order within each */
	for (guint i = 0; i < rawprogram->ops->len; i++) {
		const FuQuectelPackageOp *op = g_ptr_array_index(rawprogram->ops, i);
		FuQuectelPlanStep *step;

		if (op->is_vendor) {
			step = fu_quectel_plan_step_new(FU_QUECTEL_PLAN_STEP_KIND_VENDOR, NULL);
			step->attrs = fu_quectel_plan_attrs_copy(op->attrs);
			g_ptr_array_add(steps, step);
			g_ptr_array_add(vendor, step);
			continue;
		}
		if (op->kind == FU_QUECTEL_PACKAGE_OP_KIND_ERASE) {
			step = fu_quectel_plan_step_new(FU_QUECTEL_PLAN_STEP_KIND_ERASE, op);
			g_ptr_array_add(steps, step);
			g_ptr_array_add(erases_all, step);
			g_ptr_array_add(op->start_sector == FU_QUECTEL_PLAN_SBL_SECTOR ? erases_sbl
										       : erases,
					step);
			continue;
		}
		if (op->is_empty_filename || op->basename == NULL) {
			g_debug("skipping rawprogram line %u: program without a file", op->line);
			continue;
		}
		step = fu_quectel_plan_step_new_program(op, page_size, image_sizes, error);
		if (step == NULL)
			return NULL;
		g_ptr_array_add(steps, step);
		if (op->start_sector == FU_QUECTEL_PLAN_SBL_SECTOR) {
			if (program_sbl != NULL) {
				g_set_error(error,
					    FWUPD_ERROR,
					    FWUPD_ERROR_INVALID_DATA,
					    "rawprogram line %u programs page 0 a second time",
					    op->line);
				return NULL;
			}
			program_sbl = step;
			continue;
		}
		g_ptr_array_add(programs, step);
	}

	/* every program needs its pages erased first */
	for (guint i = 0; i < programs->len; i++) {
		FuQuectelPlanStep *step = g_ptr_array_index(programs, i);
		if (!fu_quectel_plan_program_is_erased(erases_all, step)) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "%s at page 0x%" G_GINT64_MODIFIER "x is not erased by the "
				    "rawprogram first",
				    step->basename,
				    step->start_sector);
			return NULL;
		}
	}
	if (program_sbl != NULL && !fu_quectel_plan_program_is_erased(erases_sbl, program_sbl)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "the SBL %s is not erased by the rawprogram first",
			    program_sbl->basename);
		return NULL;
	}

	/* the order: SBL erase, vendor lines, erases, programs, SBL program, DISK patches */
	{
		g_autoptr(GPtrArray) ordered =
		    g_ptr_array_new_with_free_func((GDestroyNotify)fu_quectel_plan_step_free);
		GPtrArray *groups[] = {erases_sbl, vendor, erases, programs};
		for (guint g = 0; g < G_N_ELEMENTS(groups); g++) {
			for (guint i = 0; i < groups[g]->len; i++) {
				FuQuectelPlanStep *step = g_ptr_array_index(groups[g], i);
				g_ptr_array_add(ordered, step);
			}
		}
		if (program_sbl != NULL)
			g_ptr_array_add(ordered, program_sbl);
		g_ptr_array_set_free_func(steps, NULL);
		for (guint i = 0; patches != NULL && i < patches->len; i++) {
			const FuQuectelPackagePatch *patch = g_ptr_array_index(patches, i);
			if (!fu_quectel_package_patch_is_disk(patch)) {
				g_debug("skipping host-side patch of %s", patch->filename);
				continue;
			}
			g_ptr_array_add(ordered, fu_quectel_plan_step_new_patch(patch));
		}
		return g_steal_pointer(&ordered);
	}
}

/**
 * fu_quectel_plan_to_string:
 * @plan: (element-type FuQuectelPlanStep): a plan
 *
 * Returns: (transfer full): one line per step, e.g. `erase 0+640`, `program sbl1.mbn 0+55`
 **/
gchar *
fu_quectel_plan_to_string(GPtrArray *plan)
{
	GString *str = g_string_new(NULL);
	for (guint i = 0; i < plan->len; i++) {
		FuQuectelPlanStep *step = g_ptr_array_index(plan, i);
		g_string_append(str, fu_quectel_plan_step_kind_to_string(step->kind));
		if (step->kind == FU_QUECTEL_PLAN_STEP_KIND_PROGRAM)
			g_string_append_printf(str, " %s", step->basename);
		if (step->kind == FU_QUECTEL_PLAN_STEP_KIND_PROGRAM ||
		    step->kind == FU_QUECTEL_PLAN_STEP_KIND_ERASE) {
			g_string_append_printf(str,
					       " %" G_GUINT64_FORMAT "+%" G_GUINT64_FORMAT,
					       step->start_sector,
					       step->num_sectors);
		}
		g_string_append_c(str, '\n');
	}
	return g_string_free(str, FALSE);
}

/**
 * fu_quectel_plan_get_program_bytes:
 * @plan: (element-type FuQuectelPlanStep): a plan
 * @page_size: NAND page size in bytes
 *
 * Returns: the raw bytes the plan sends, whole pages
 **/
guint64
fu_quectel_plan_get_program_bytes(GPtrArray *plan, guint32 page_size)
{
	guint64 total = 0;
	for (guint i = 0; i < plan->len; i++) {
		FuQuectelPlanStep *step = g_ptr_array_index(plan, i);
		if (step->kind == FU_QUECTEL_PLAN_STEP_KIND_PROGRAM)
			total += step->num_sectors * page_size;
	}
	return total;
}

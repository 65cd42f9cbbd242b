/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The release manifest of a payload, quectel-release.ini, and the rule that decides whether
 * a release may be installed on a module. The converter writes the manifest as the first,
 * stored entry of the payload zip, so that every entry point (install of a cabinet,
 * install-blob of the bare payload, recovery from emergency download mode) knows the version
 * and variant the payload installs without the cabinet's metainfo:
 *
 *   [quectel-release]
 *   Format=1
 *   Version=EC25EFAR06A08M4G
 *   Subversion=01.001.01.001
 *   Model=EC25
 *   Variant=EFA
 *   Baseline=EC25EFAR06A
 *   Flash=M4G
 *   Geometry=p2K_b128K
 *
 * Version (and Subversion, optional) go through the revision parser; Model, Variant,
 * Baseline and Flash are redundant with it and must agree, so a hand-edited manifest cannot
 * say one thing to a reader and another to the plugin. Only these keys, each once.
 */

#include "config.h"

#include <string.h>

#include "fu-quectel-package-partition.h"
#include "fu-quectel-release.h"

#define FU_QUECTEL_RELEASE_GROUP	 "[quectel-release]"
#define FU_QUECTEL_RELEASE_FORMAT	 "1"
#define FU_QUECTEL_RELEASE_VALUE_LEN_MAX 64
#define FU_QUECTEL_RELEASE_LINES_MAX	 32

typedef enum {
	FU_QUECTEL_RELEASE_KEY_FORMAT,
	FU_QUECTEL_RELEASE_KEY_VERSION,
	FU_QUECTEL_RELEASE_KEY_SUBVERSION,
	FU_QUECTEL_RELEASE_KEY_MODEL,
	FU_QUECTEL_RELEASE_KEY_VARIANT,
	FU_QUECTEL_RELEASE_KEY_BASELINE,
	FU_QUECTEL_RELEASE_KEY_FLASH,
	FU_QUECTEL_RELEASE_KEY_GEOMETRY,
	FU_QUECTEL_RELEASE_KEY_LAST,
} FuQuectelReleaseKey;

static const gchar *fu_quectel_release_keys[] = {
    "Format",
    "Version",
    "Subversion",
    "Model",
    "Variant",
    "Baseline",
    "Flash",
    "Geometry",
};

void
fu_quectel_release_free(FuQuectelRelease *self)
{
	if (self->revision != NULL)
		fu_quectel_revision_free(self->revision);
	g_free(self);
}

/**
 * fu_quectel_release_new:
 * @revision: the revision the payload installs
 * @geometry: the NAND geometry of the payload
 * @error: (nullable): optional return location for an error
 *
 * Returns: (transfer full): a release, as the converter writes it, or %NULL
 **/
FuQuectelRelease *
fu_quectel_release_new(const FuQuectelRevision *revision,
		       const FuQuectelPackageGeometry *geometry,
		       GError **error)
{
	g_autoptr(FuQuectelRelease) self = g_new0(FuQuectelRelease, 1);
	g_autofree gchar *str = NULL;

	str = revision->subversion != NULL
		  ? g_strdup_printf("%s_%s", revision->revision, revision->subversion)
		  : g_strdup(revision->revision);
	self->revision = fu_quectel_revision_parse(str, error);
	if (self->revision == NULL)
		return NULL;
	self->geometry = *geometry;
	return g_steal_pointer(&self);
}

static gboolean
fu_quectel_release_value_valid(const gchar *value)
{
	gsize len = strlen(value);
	if (len == 0 || len > FU_QUECTEL_RELEASE_VALUE_LEN_MAX)
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		if (value[i] <= ' ' || value[i] > '~')
			return FALSE;
	}
	return TRUE;
}

/* one Key=Value line into @values, each known key once */
static gboolean
fu_quectel_release_parse_line(const gchar *line, guint lineno, gchar **values, GError **error)
{
	const gchar *eq = strchr(line, '=');
	g_autofree gchar *key = NULL;

	if (eq == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "line %u: expected Key=Value, got '%s'",
			    lineno,
			    line);
		return FALSE;
	}
	key = g_strndup(line, eq - line);
	for (guint i = 0; i < FU_QUECTEL_RELEASE_KEY_LAST; i++) {
		if (g_strcmp0(key, fu_quectel_release_keys[i]) != 0)
			continue;
		if (values[i] != NULL) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "line %u: %s appears twice",
				    lineno,
				    key);
			return FALSE;
		}
		if (!fu_quectel_release_value_valid(eq + 1)) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "line %u: %s must be 1 to %u printable characters without "
				    "spaces",
				    lineno,
				    key,
				    (guint)FU_QUECTEL_RELEASE_VALUE_LEN_MAX);
			return FALSE;
		}
		values[i] = g_strdup(eq + 1);
		return TRUE;
	}
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_INVALID_DATA,
		    "line %u: unknown key '%s'",
		    lineno,
		    key);
	return FALSE;
}

/* a redundant key must say what the version says */
static gboolean
fu_quectel_release_check_key(gchar **values,
			     FuQuectelReleaseKey key,
			     const gchar *expected,
			     GError **error)
{
	if (values[key] == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "no %s",
			    fu_quectel_release_keys[key]);
		return FALSE;
	}
	if (g_strcmp0(values[key], expected) != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s is %s but Version %s says %s",
			    fu_quectel_release_keys[key],
			    values[key],
			    values[FU_QUECTEL_RELEASE_KEY_VERSION],
			    expected);
		return FALSE;
	}
	return TRUE;
}

static FuQuectelRelease *
fu_quectel_release_parse_values(gchar **values, GError **error)
{
	g_autoptr(FuQuectelRelease) self = g_new0(FuQuectelRelease, 1);
	g_autofree gchar *str = NULL;
	g_autofree gchar *variant = NULL;
	g_autofree gchar *baseline = NULL;
	g_autofree gchar *flash = NULL;
	g_autofree gchar *geometry = NULL;

	if (g_strcmp0(values[FU_QUECTEL_RELEASE_KEY_FORMAT], FU_QUECTEL_RELEASE_FORMAT) != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "Format %s is not supported, only %s: update fwupd's Quectel plugin",
			    values[FU_QUECTEL_RELEASE_KEY_FORMAT] != NULL
				? values[FU_QUECTEL_RELEASE_KEY_FORMAT]
				: "(none)",
			    FU_QUECTEL_RELEASE_FORMAT);
		return NULL;
	}
	if (values[FU_QUECTEL_RELEASE_KEY_VERSION] == NULL) {
		g_set_error_literal(error, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA, "no Version");
		return NULL;
	}
	if (strchr(values[FU_QUECTEL_RELEASE_KEY_VERSION], '_') != NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "Version %s carries a sub-version: use the Subversion key",
			    values[FU_QUECTEL_RELEASE_KEY_VERSION]);
		return NULL;
	}
	str = values[FU_QUECTEL_RELEASE_KEY_SUBVERSION] != NULL
		  ? g_strdup_printf("%s_%s",
				    values[FU_QUECTEL_RELEASE_KEY_VERSION],
				    values[FU_QUECTEL_RELEASE_KEY_SUBVERSION])
		  : g_strdup(values[FU_QUECTEL_RELEASE_KEY_VERSION]);
	self->revision = fu_quectel_revision_parse(str, error);
	if (self->revision == NULL)
		return NULL;

	/* the redundant keys */
	if (!fu_quectel_release_check_key(values,
					  FU_QUECTEL_RELEASE_KEY_MODEL,
					  self->revision->model,
					  error))
		return NULL;
	if (!fu_quectel_release_check_key(values,
					  FU_QUECTEL_RELEASE_KEY_VARIANT,
					  self->revision->variant,
					  error))
		return NULL;
	baseline = fu_quectel_revision_get_baseline_prefix(self->revision);
	if (!fu_quectel_release_check_key(values, FU_QUECTEL_RELEASE_KEY_BASELINE, baseline, error))
		return NULL;
	flash = fu_quectel_revision_get_flash_id(self->revision);
	if (!fu_quectel_release_check_key(values, FU_QUECTEL_RELEASE_KEY_FLASH, flash, error))
		return NULL;

	/* the geometry, in its canonical spelling only */
	if (values[FU_QUECTEL_RELEASE_KEY_GEOMETRY] == NULL) {
		g_set_error_literal(error, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA, "no Geometry");
		return NULL;
	}
	if (!fu_quectel_package_geometry_parse(values[FU_QUECTEL_RELEASE_KEY_GEOMETRY],
					       &self->geometry,
					       error)) {
		g_prefix_error_literal(error, "invalid Geometry: ");
		return NULL;
	}
	geometry = fu_quectel_package_geometry_to_string(&self->geometry);
	if (g_strcmp0(geometry, values[FU_QUECTEL_RELEASE_KEY_GEOMETRY]) != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "invalid Geometry %s: expected the form %s",
			    values[FU_QUECTEL_RELEASE_KEY_GEOMETRY],
			    geometry);
		return NULL;
	}
	return g_steal_pointer(&self);
}

static FuQuectelRelease *
fu_quectel_release_parse_text(const guint8 *buf, gsize bufsz, GError **error)
{
	g_autofree gchar *text = NULL;
	g_auto(GStrv) lines = NULL;
	g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func(g_free);
	guint nlines;

	if (bufsz == 0 || bufsz > FU_QUECTEL_RELEASE_SIZE_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "0x%x bytes, expected 1 to 0x%x",
			    (guint)bufsz,
			    (guint)FU_QUECTEL_RELEASE_SIZE_MAX);
		return NULL;
	}
	for (gsize i = 0; i < bufsz; i++) {
		if (buf[i] != '\n' && (buf[i] < ' ' || buf[i] > '~')) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "byte 0x%02x at offset 0x%x: only printable ASCII and LF are "
				    "allowed",
				    buf[i],
				    (guint)i);
			return NULL;
		}
	}
	text = g_strndup((const gchar *)buf, bufsz);
	lines = g_strsplit(text, "\n", -1);
	nlines = g_strv_length(lines);
	if (nlines > FU_QUECTEL_RELEASE_LINES_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%u lines, the limit is %u",
			    nlines,
			    (guint)FU_QUECTEL_RELEASE_LINES_MAX);
		return NULL;
	}
	if (g_strcmp0(lines[0], FU_QUECTEL_RELEASE_GROUP) != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "line 1: expected %s",
			    FU_QUECTEL_RELEASE_GROUP);
		return NULL;
	}
	g_ptr_array_set_size(values, FU_QUECTEL_RELEASE_KEY_LAST);
	for (guint i = 1; i < nlines; i++) {
		if (lines[i][0] == '\0' || lines[i][0] == '#')
			continue;
		if (!fu_quectel_release_parse_line(lines[i], i + 1, (gchar **)values->pdata, error))
			return NULL;
	}
	return fu_quectel_release_parse_values((gchar **)values->pdata, error);
}

/**
 * fu_quectel_release_parse:
 * @buf: the bytes of quectel-release.ini, not NUL-terminated
 * @bufsz: their size
 * @error: (nullable): optional return location for an error
 *
 * Returns: (transfer full): the release, or %NULL if the manifest is not valid
 **/
FuQuectelRelease *
fu_quectel_release_parse(const guint8 *buf, gsize bufsz, GError **error)
{
	FuQuectelRelease *self;

	g_return_val_if_fail(buf != NULL || bufsz == 0, NULL);
	self = fu_quectel_release_parse_text(buf, bufsz, error);
	if (self == NULL) {
		g_prefix_error(error, "%s: ", FU_QUECTEL_RELEASE_FILENAME);
		return NULL;
	}
	return self;
}

/**
 * fu_quectel_release_to_bytes:
 * @self: a #FuQuectelRelease
 *
 * Returns: (transfer full): quectel-release.ini as the converter stores it
 **/
GBytes *
fu_quectel_release_to_bytes(const FuQuectelRelease *self)
{
	GString *str = g_string_new(FU_QUECTEL_RELEASE_GROUP "\n");
	g_autofree gchar *baseline = fu_quectel_revision_get_baseline_prefix(self->revision);
	g_autofree gchar *flash = fu_quectel_revision_get_flash_id(self->revision);
	g_autofree gchar *geometry = fu_quectel_package_geometry_to_string(&self->geometry);

	g_string_append_printf(str, "Format=%s\n", FU_QUECTEL_RELEASE_FORMAT);
	g_string_append_printf(str, "Version=%s\n", self->revision->revision);
	if (self->revision->subversion != NULL)
		g_string_append_printf(str, "Subversion=%s\n", self->revision->subversion);
	g_string_append_printf(str, "Model=%s\n", self->revision->model);
	g_string_append_printf(str, "Variant=%s\n", self->revision->variant);
	g_string_append_printf(str, "Baseline=%s\n", baseline);
	g_string_append_printf(str, "Flash=%s\n", flash);
	g_string_append_printf(str, "Geometry=%s\n", geometry);
	return g_string_free_to_bytes(str);
}

/**
 * fu_quectel_release_check_flash:
 * @self: a #FuQuectelRelease
 * @partitions: (element-type FuQuectelPackagePartition): the partitions of the payload's MIBIB
 * @error: (nullable): optional return location for an error
 *
 * The partition table the payload writes must fit the flash size its release names.
 *
 * Returns: %TRUE if every partition ends inside the flash
 **/
gboolean
fu_quectel_release_check_flash(const FuQuectelRelease *self, GPtrArray *partitions, GError **error)
{
	guint32 total_blocks = 0;

	if (!fu_quectel_package_geometry_get_total_blocks(&self->geometry,
							  self->revision->flash_gbit,
							  &total_blocks,
							  error))
		return FALSE;
	for (guint i = 0; i < partitions->len; i++) {
		FuQuectelPackagePartition *part = g_ptr_array_index(partitions, i);
		guint64 end = (guint64)part->start_block + MAX(part->num_blocks, 1u);
		if (end > total_blocks) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "partition %s ends at block 0x%" G_GINT64_MODIFIER
				    "x, beyond the 0x%x blocks of the %u Gbit flash the "
				    "release %s is for",
				    part->name,
				    end,
				    total_blocks,
				    self->revision->flash_gbit,
				    self->revision->revision);
			return FALSE;
		}
	}
	return TRUE;
}

/**
 * fu_quectel_release_check_fit:
 * @self: a #FuQuectelRelease, from the payload
 * @module: the revision the module reports, or the one recorded before it entered EDL
 * @error: (nullable): optional return location for an error
 *
 * Decides whether a release may be installed on a module: model, variant and flash size must
 * be the module's, and so must the baseline, because Quectel forbids crossing baselines. Each
 * refusal names both values and what to do. Pure: no I/O.
 *
 * Returns: %TRUE if the release fits the module
 **/
gboolean
fu_quectel_release_check_fit(const FuQuectelRelease *self,
			     const FuQuectelRevision *module,
			     GError **error)
{
	const FuQuectelRevision *rel = self->revision;

	if (g_strcmp0(rel->model, module->model) != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "the payload %s is for an %s but the module (%s) is an %s: use a "
			    "package for the %s",
			    rel->revision,
			    rel->model,
			    module->revision,
			    module->model,
			    module->model);
		return FALSE;
	}
	if (g_strcmp0(rel->variant, module->variant) != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "the payload %s is for variant %s but the module (%s) is variant %s: "
			    "use a package of the module's own variant %s%s",
			    rel->revision,
			    rel->variant,
			    module->revision,
			    module->variant,
			    module->model,
			    module->variant);
		return FALSE;
	}
	if (rel->flash_gbit != module->flash_gbit) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "the payload %s is for a %u Gbit flash (M%uG) but the module (%s) has "
			    "%u Gbit (M%uG): use a package built for M%uG",
			    rel->revision,
			    rel->flash_gbit,
			    rel->flash_gbit,
			    module->revision,
			    module->flash_gbit,
			    module->flash_gbit,
			    module->flash_gbit);
		return FALSE;
	}
	if (rel->baseline != module->baseline) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "the payload %s is on baseline R%02u but the module (%s) is on "
			    "baseline R%02u, and Quectel forbids crossing baselines: use a "
			    "release of baseline R%02u, or ask Quectel for a baseline migration "
			    "package",
			    rel->revision,
			    rel->baseline,
			    module->revision,
			    module->baseline,
			    module->baseline);
		return FALSE;
	}
	return TRUE;
}

/**
 * fu_quectel_release_check_fit_version:
 * @self: a #FuQuectelRelease, from the payload
 * @module_version: (nullable): the module's revision string, e.g. `EC25EFAR06A08M4G`
 * @error: (nullable): optional return location for an error
 *
 * As fu_quectel_release_check_fit() for a module known by its revision string only, such as
 * the version of the device or of a persistent record.
 *
 * Returns: %TRUE if the release fits the module
 **/
gboolean
fu_quectel_release_check_fit_version(const FuQuectelRelease *self,
				     const gchar *module_version,
				     GError **error)
{
	g_autoptr(FuQuectelRevision) module = NULL;

	if (module_version == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "the module's revision is unknown, cannot check that the payload %s "
			    "fits it",
			    self->revision->revision);
		return FALSE;
	}
	module = fu_quectel_revision_parse(module_version, error);
	if (module == NULL) {
		g_prefix_error_literal(error, "the module's revision: ");
		return FALSE;
	}
	return fu_quectel_release_check_fit(self, module, error);
}

/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <fwupdplugin.h>

#include <string.h>

#include "fu-quectel-revision.h"

/* EC25EFAR06A08M4G: model (4) + variant (>= 1) + R.. (3) + A.. (3) + M.G (>= 3) */
#define FU_QUECTEL_REVISION_LEN_MIN	 14
#define FU_QUECTEL_REVISION_LEN_MAX	 40
#define FU_QUECTEL_REVISION_MODEL_LEN	 4
#define FU_QUECTEL_REVISION_FLASH_DIGITS 3
#define FU_QUECTEL_SUBVERSION_LEN_MAX	 32

void
fu_quectel_revision_free(FuQuectelRevision *self)
{
	g_free(self->revision);
	g_free(self->model);
	g_free(self->variant);
	g_free(self->subversion);
	g_free(self);
}

/**
 * fu_quectel_revision_is_upper_alnum:
 * @str: a string, not necessarily NUL-terminated
 * @len: the number of characters to check
 *
 * Returns: %TRUE if the first @len characters are upper-case letters or digits, as in the
 * model and variant of a revision
 **/
gboolean
fu_quectel_revision_is_upper_alnum(const gchar *str, gsize len)
{
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isupper(str[i]) && !g_ascii_isdigit(str[i]))
			return FALSE;
	}
	return TRUE;
}

/* parse exactly @ndigits decimal digits at @str */
static gboolean
fu_quectel_revision_parse_digits(const gchar *str, gsize ndigits, guint *value)
{
	guint tmp = 0;
	for (gsize i = 0; i < ndigits; i++) {
		if (!g_ascii_isdigit(str[i]))
			return FALSE;
		tmp = tmp * 10 + (guint)g_ascii_digit_value(str[i]);
	}
	*value = tmp;
	return TRUE;
}

static gboolean
fu_quectel_revision_subversion_valid(const gchar *str)
{
	gboolean last_was_digit = FALSE;
	gsize len = strlen(str);

	if (len == 0 || len > FU_QUECTEL_SUBVERSION_LEN_MAX)
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		if (g_ascii_isdigit(str[i])) {
			last_was_digit = TRUE;
			continue;
		}
		if (str[i] != '.' || !last_was_digit)
			return FALSE;
		last_was_digit = FALSE;
	}
	return last_was_digit;
}

/**
 * fu_quectel_revision_parse:
 * @str: a revision, e.g. `EC25EFAR06A08M4G` or `EC25EFAR06A08M4G_01.001.01.001`
 * @error: (nullable): optional return location for an error
 *
 * Splits a Quectel firmware revision into model, variant, baseline, release and flash size.
 *
 * Returns: (transfer full): a #FuQuectelRevision, or %NULL on error
 **/
FuQuectelRevision *
fu_quectel_revision_parse(const gchar *str, GError **error)
{
	const gchar *sep;
	gsize len;
	gsize pos;
	gsize flash_digits = 0;
	guint baseline = 0;
	guint release = 0;
	guint flash = 0;
	g_autofree gchar *head = NULL;
	g_autoptr(FuQuectelRevision) self = g_new0(FuQuectelRevision, 1);

	g_return_val_if_fail(str != NULL, NULL);

	/* optional _sub.version suffix from AT+QGMR */
	sep = strchr(str, '_');
	head = sep != NULL ? g_strndup(str, sep - str) : g_strdup(str);
	if (sep != NULL) {
		if (!fu_quectel_revision_subversion_valid(sep + 1)) {
			g_set_error(
			    error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "invalid firmware sub-version '%s' in '%s': expected digits and "
			    "dots such as 01.001.01.001",
			    sep + 1,
			    str);
			return NULL;
		}
		self->subversion = g_strdup(sep + 1);
	}

	len = strlen(head);
	if (len < FU_QUECTEL_REVISION_LEN_MIN || len > FU_QUECTEL_REVISION_LEN_MAX ||
	    !fu_quectel_revision_is_upper_alnum(head, len)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "invalid firmware revision '%s': expected MODEL VARIANT Rnn Ann MnG in "
			    "upper case, e.g. EC25EFAR06A08M4G",
			    str);
		return NULL;
	}

	/* model: two letters and two digits */
	if (!g_ascii_isupper(head[0]) || !g_ascii_isupper(head[1]) || !g_ascii_isdigit(head[2]) ||
	    !g_ascii_isdigit(head[3])) {
		g_set_error(
		    error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_INVALID_DATA,
		    "invalid firmware revision '%s': does not start with a model such as EC25",
		    str);
		return NULL;
	}

	/* flash size from the end: M<digits>G */
	pos = len - 1;
	if (head[pos] != 'G') {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "invalid firmware revision '%s': no flash size such as M4G at the end",
			    str);
		return NULL;
	}
	while (pos > 0 && flash_digits <= FU_QUECTEL_REVISION_FLASH_DIGITS &&
	       g_ascii_isdigit(head[pos - 1])) {
		pos--;
		flash_digits++;
	}
	if (flash_digits == 0 || flash_digits > FU_QUECTEL_REVISION_FLASH_DIGITS || pos == 0 ||
	    head[pos - 1] != 'M' ||
	    !fu_quectel_revision_parse_digits(head + pos, flash_digits, &flash) || flash == 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "invalid firmware revision '%s': no flash size such as M4G at the end",
			    str);
		return NULL;
	}
	pos--; /* the M */

	/* Rnn Ann before the flash size */
	if (pos < FU_QUECTEL_REVISION_MODEL_LEN + 1 + 6 || head[pos - 6] != 'R' ||
	    head[pos - 3] != 'A' ||
	    !fu_quectel_revision_parse_digits(head + pos - 5, 2, &baseline) ||
	    !fu_quectel_revision_parse_digits(head + pos - 2, 2, &release)) {
		g_set_error(
		    error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_INVALID_DATA,
		    "invalid firmware revision '%s': no baseline and release such as R06A08 "
		    "before the flash size",
		    str);
		return NULL;
	}
	pos -= 6;

	/* whatever is between model and baseline is the variant */
	self->revision = g_strdup(head);
	self->model = g_strndup(head, FU_QUECTEL_REVISION_MODEL_LEN);
	self->variant =
	    g_strndup(head + FU_QUECTEL_REVISION_MODEL_LEN, pos - FU_QUECTEL_REVISION_MODEL_LEN);
	self->baseline = baseline;
	self->release = release;
	self->flash_gbit = flash;
	return g_steal_pointer(&self);
}

/**
 * fu_quectel_revision_get_variant_id:
 * @self: a #FuQuectelRevision
 *
 * Returns: (transfer full): model and variant, e.g. `EC25EFA`
 **/
gchar *
fu_quectel_revision_get_variant_id(const FuQuectelRevision *self)
{
	return g_strdup_printf("%s%s", self->model, self->variant);
}

/**
 * fu_quectel_revision_get_flash_id:
 * @self: a #FuQuectelRevision
 *
 * Returns: (transfer full): the flash size as the revision spells it, e.g. `M4G`
 **/
gchar *
fu_quectel_revision_get_flash_id(const FuQuectelRevision *self)
{
	return g_strdup_printf("M%uG", self->flash_gbit);
}

/**
 * fu_quectel_revision_get_baseline_prefix:
 * @self: a #FuQuectelRevision
 *
 * Quectel forbids flashing across baselines, so a package may only be installed on a module
 * whose revision starts with this prefix.
 *
 * Returns: (transfer full): e.g. `EC25EFAR06A`
 **/
gchar *
fu_quectel_revision_get_baseline_prefix(const FuQuectelRevision *self)
{
	return g_strdup_printf("%s%sR%02uA", self->model, self->variant, self->baseline);
}

/**
 * fu_quectel_revision_get_instance_ids:
 * @self: a #FuQuectelRevision
 *
 * The variant instance IDs: model+variant, then model+variant+flash size. A cabinet provides
 * the second one, so it cannot be offered to another variant or another flash size.
 *
 * Returns: (transfer container) (element-type utf8): instance IDs
 **/
GPtrArray *
fu_quectel_revision_get_instance_ids(const FuQuectelRevision *self)
{
	GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);
	g_autofree gchar *variant = fu_quectel_revision_get_variant_id(self);
	g_autofree gchar *flash = fu_quectel_revision_get_flash_id(self);

	g_ptr_array_add(
	    ids,
	    g_strdup_printf("%s\\VARIANT_%s", FU_QUECTEL_MODULE_INSTANCE_ID_PREFIX, variant));
	g_ptr_array_add(ids,
			g_strdup_printf("%s\\VARIANT_%s&FLASH_%s",
					FU_QUECTEL_MODULE_INSTANCE_ID_PREFIX,
					variant,
					flash));
	return ids;
}

/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <fwupdplugin.h>

#include <string.h>

#include "fu-quectel-at-response.h"
#include "fu-quectel-revision.h"

#define FU_QUECTEL_AT_RESPONSE_IMEI_LEN 15

static gboolean
fu_quectel_at_response_line_is_error(const gchar *line)
{
	return g_strcmp0(line, "ERROR") == 0 || g_str_has_prefix(line, "+CME ERROR") ||
	       g_str_has_prefix(line, "+CMS ERROR");
}

/**
 * fu_quectel_at_response_parse:
 * @buf: the bytes received so far, not NUL-terminated
 * @bufsz: size of @buf
 * @cmd: the command that was sent, e.g. `ATI`, so that its echo can be dropped
 * @status: (out): whether the final result code has been received
 * @lines: (out) (optional) (transfer container): the information lines, without the echo and
 *   blank lines; on %FU_QUECTEL_AT_STATUS_ERROR the final result code is the last line
 * @error: (nullable): optional return location for an error
 *
 * Parses an AT response. A final result code only counts once its line is terminated, so a
 * truncated response stays %FU_QUECTEL_AT_STATUS_INCOMPLETE. Bytes that cannot be part of a
 * text response are an error, as is a response longer than %FU_QUECTEL_AT_RESPONSE_MAX.
 *
 * Returns: %TRUE if the bytes are a valid (possibly incomplete) response
 **/
gboolean
fu_quectel_at_response_parse(const gchar *buf,
			     gsize bufsz,
			     const gchar *cmd,
			     FuQuectelAtStatus *status,
			     GPtrArray **lines,
			     GError **error)
{
	gsize start = 0;
	gboolean first = TRUE;
	g_autoptr(GPtrArray) lines_tmp = g_ptr_array_new_with_free_func(g_free);

	g_return_val_if_fail(buf != NULL || bufsz == 0, FALSE);
	g_return_val_if_fail(cmd != NULL, FALSE);
	g_return_val_if_fail(status != NULL, FALSE);

	if (bufsz > FU_QUECTEL_AT_RESPONSE_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "response to %s is longer than 0x%x bytes without a final result code",
			    cmd,
			    (guint)FU_QUECTEL_AT_RESPONSE_MAX);
		return FALSE;
	}
	for (gsize i = 0; i < bufsz; i++) {
		guint8 c = (guint8)buf[i];
		if (c == '\r' || c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f))
			continue;
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "response to %s is not text: byte 0x%02x at offset 0x%x",
			    cmd,
			    c,
			    (guint)i);
		return FALSE;
	}

	*status = FU_QUECTEL_AT_STATUS_INCOMPLETE;
	for (gsize i = 0; i < bufsz; i++) {
		g_autofree gchar *line = NULL;
		if (buf[i] != '\r' && buf[i] != '\n')
			continue;
		line = g_strstrip(g_strndup(buf + start, i - start));
		start = i + 1;
		if (line[0] == '\0')
			continue;
		if (first && g_ascii_strcasecmp(line, cmd) == 0) {
			first = FALSE;
			continue;
		}
		first = FALSE;
		if (g_strcmp0(line, "OK") == 0) {
			*status = FU_QUECTEL_AT_STATUS_OK;
			break;
		}
		if (fu_quectel_at_response_line_is_error(line)) {
			*status = FU_QUECTEL_AT_STATUS_ERROR;
			g_ptr_array_add(lines_tmp, g_steal_pointer(&line));
			break;
		}
		g_ptr_array_add(lines_tmp, g_steal_pointer(&line));
	}
	if (lines != NULL)
		*lines = g_steal_pointer(&lines_tmp);
	return TRUE;
}

/**
 * fu_quectel_at_response_parse_ati:
 * @lines: information lines of an `ATI` response
 * @manufacturer: (out): e.g. `Quectel`
 * @model: (out): e.g. `EC25`
 * @revision: (out): e.g. `EC25EFAR06A08M4G`
 * @error: (nullable): optional return location for an error
 *
 * Parses `Quectel` / `EC25` / `Revision: EC25EFAR06A08M4G`; unsolicited lines are ignored.
 *
 * Returns: %TRUE for success
 **/
gboolean
fu_quectel_at_response_parse_ati(GPtrArray *lines,
				 gchar **manufacturer,
				 gchar **model,
				 gchar **revision,
				 GError **error)
{
	const gchar *manufacturer_tmp = NULL;
	const gchar *model_tmp = NULL;
	const gchar *revision_tmp = NULL;

	for (guint i = 0; i < lines->len; i++) {
		const gchar *line = g_ptr_array_index(lines, i);
		if (manufacturer_tmp == NULL && g_ascii_strcasecmp(line, "Quectel") == 0 &&
		    i + 1 < lines->len) {
			manufacturer_tmp = line;
			model_tmp = g_ptr_array_index(lines, i + 1);
			continue;
		}
		if (g_str_has_prefix(line, "Revision:"))
			revision_tmp = line + strlen("Revision:");
	}
	if (manufacturer_tmp == NULL) {
		g_autoptr(GString) joined = g_string_new(NULL);
		for (guint i = 0; i < lines->len; i++) {
			if (joined->len > 0)
				g_string_append(joined, " | ");
			g_string_append(joined, g_ptr_array_index(lines, i));
		}
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "ATI does not name Quectel as the manufacturer: '%s'",
			    joined->str);
		return FALSE;
	}
	if (revision_tmp == NULL) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "ATI has no Revision: line");
		return FALSE;
	}
	while (*revision_tmp == ' ')
		revision_tmp++;
	if (!fu_quectel_revision_is_upper_alnum(model_tmp, strlen(model_tmp)) ||
	    model_tmp[0] == '\0') {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "ATI model '%s' is not a module name",
			    model_tmp);
		return FALSE;
	}
	*manufacturer = g_strdup(manufacturer_tmp);
	*model = g_strdup(model_tmp);
	*revision = g_strdup(revision_tmp);
	return TRUE;
}

/**
 * fu_quectel_at_response_parse_qgmr:
 * @lines: information lines of an `AT+QGMR` response
 * @revision: the revision `ATI` reported, e.g. `EC25EFAR06A08M4G`
 * @error: (nullable): optional return location for an error
 *
 * Returns: (transfer full): the full version, e.g. `EC25EFAR06A08M4G_01.001.01.001`
 **/
gchar *
fu_quectel_at_response_parse_qgmr(GPtrArray *lines, const gchar *revision, GError **error)
{
	const gchar *line;
	g_autoptr(FuQuectelRevision) rev = NULL;

	if (lines->len != 1) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "AT+QGMR returned %u lines, expected 1",
			    lines->len);
		return NULL;
	}
	line = g_ptr_array_index(lines, 0);
	rev = fu_quectel_revision_parse(line, error);
	if (rev == NULL) {
		g_prefix_error_literal(error, "AT+QGMR: ");
		return NULL;
	}
	if (g_strcmp0(rev->revision, revision) != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "AT+QGMR revision %s does not match ATI revision %s",
			    rev->revision,
			    revision);
		return NULL;
	}
	return g_strdup(line);
}

/* 15 digits, optionally followed by a closing quote */
static gboolean
fu_quectel_at_response_imei_valid(const gchar *str)
{
	for (guint i = 0; i < FU_QUECTEL_AT_RESPONSE_IMEI_LEN; i++) {
		if (!g_ascii_isdigit(str[i]))
			return FALSE;
	}
	return str[FU_QUECTEL_AT_RESPONSE_IMEI_LEN] == '\0' ||
	       g_strcmp0(str + FU_QUECTEL_AT_RESPONSE_IMEI_LEN, "\"") == 0;
}

/**
 * fu_quectel_at_response_parse_imei:
 * @lines: information lines of an `AT+CGSN` response
 * @error: (nullable): optional return location for an error
 *
 * Returns: (transfer full): the 15-digit IMEI
 **/
gchar *
fu_quectel_at_response_parse_imei(GPtrArray *lines, GError **error)
{
	const gchar *line;

	if (lines->len != 1) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "AT+CGSN returned %u lines, expected 1",
			    lines->len);
		return NULL;
	}
	line = g_ptr_array_index(lines, 0);
	if (g_str_has_prefix(line, "+CGSN:"))
		line += strlen("+CGSN:");
	while (*line == ' ' || *line == '"')
		line++;
	if (!fu_quectel_at_response_imei_valid(line)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "AT+CGSN returned '%s', not a 15-digit IMEI",
			    line);
		return NULL;
	}
	return g_strndup(line, FU_QUECTEL_AT_RESPONSE_IMEI_LEN);
}

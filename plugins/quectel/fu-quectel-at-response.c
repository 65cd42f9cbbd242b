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

/* unsolicited result codes that are whole lines: boot, power and call events */
static const gchar *fu_quectel_at_response_urc_lines[] = {
    "RDY",
    "RING",
    "NO CARRIER",
    "POWERED DOWN",
    "NORMAL POWER DOWN",
    "UNDER-VOLTAGE POWER DOWN",
    "UNDER-VOLTAGE WARNING",
    "OVER-VOLTAGE POWER DOWN",
    "OVER-VOLTAGE WARNING",
};

/* unsolicited result codes that start with their name, e.g. `+QIND: SMS DONE`; a line of this
 * form is the answer, not a URC, when the command has the same name (`AT+CPIN?`) */
static const gchar *fu_quectel_at_response_urc_names[] = {
    "+CPIN", "+QUSIM", "+CFUN",	 "+QIND",     "+CREG",	  "+CGREG",	    "+CEREG", "+CMTI",
    "+CMT",  "+CDS",   "+CDSI",	 "+CBM",      "+CUSD",	  "+CLIP",	    "+CRING", "+CGEV",
    "+CTZV", "+CTZE",  "+QIURC", "+QSIMSTAT", "+QGPSURC", "+QNETDEVSTATUS",
};

static gboolean
fu_quectel_at_response_line_is_error(const gchar *line)
{
	return g_strcmp0(line, "ERROR") == 0 || g_str_has_prefix(line, "+CME ERROR") ||
	       g_str_has_prefix(line, "+CMS ERROR");
}

/* whether @cmd is `AT<name>`, alone or followed by `?` or `=` */
static gboolean
fu_quectel_at_response_cmd_has_name(const gchar *cmd, const gchar *name)
{
	gsize namesz = strlen(name);
	if (g_ascii_strncasecmp(cmd, "AT", 2) != 0)
		return FALSE;
	if (g_ascii_strncasecmp(cmd + 2, name, namesz) != 0)
		return FALSE;
	return cmd[2 + namesz] == '\0' || cmd[2 + namesz] == '?' || cmd[2 + namesz] == '=';
}

/**
 * fu_quectel_at_response_line_is_urc:
 * @line: one line of what the module sent, without its terminator
 * @cmd: the command being answered, e.g. `AT+CGSN`
 *
 * Modules send unsolicited result codes at any time: at boot (`RDY`, `+CPIN: READY`,
 * `+QUSIM: 1`, `+CFUN: 1`, `+QIND: SMS DONE`, `+QIND: PB DONE`), on power events
 * (`POWERED DOWN`) and on network events, also between the echo of a command and its answer.
 *
 * Returns: %TRUE if @line is an unsolicited result code and not part of the answer to @cmd
 **/
gboolean
fu_quectel_at_response_line_is_urc(const gchar *line, const gchar *cmd)
{
	g_return_val_if_fail(line != NULL, FALSE);
	g_return_val_if_fail(cmd != NULL, FALSE);

	for (guint i = 0; i < G_N_ELEMENTS(fu_quectel_at_response_urc_lines); i++) {
		if (g_strcmp0(line, fu_quectel_at_response_urc_lines[i]) == 0)
			return TRUE;
	}
	for (guint i = 0; i < G_N_ELEMENTS(fu_quectel_at_response_urc_names); i++) {
		const gchar *name = fu_quectel_at_response_urc_names[i];
		gsize namesz = strlen(name);
		if (strncmp(line, name, namesz) != 0 || line[namesz] != ':')
			continue;
		return !fu_quectel_at_response_cmd_has_name(cmd, name);
	}
	return FALSE;
}

/* the lines as one string, for error messages */
static gchar *
fu_quectel_at_response_join(GPtrArray *lines)
{
	g_autoptr(GString) joined = g_string_new(NULL);
	for (guint i = 0; i < lines->len; i++) {
		if (joined->len > 0)
			g_string_append(joined, " | ");
		g_string_append(joined, g_ptr_array_index(lines, i));
	}
	return g_string_free(g_steal_pointer(&joined), FALSE);
}

/**
 * fu_quectel_at_response_parse:
 * @buf: the bytes received so far, not NUL-terminated
 * @bufsz: size of @buf
 * @cmd: the command that was sent, e.g. `ATI`, so that its echo can be dropped
 * @status: (out): whether the final result code has been received
 * @lines: (out) (optional) (transfer container): the information lines, without the echo,
 *   unsolicited result codes and blank lines; on %FU_QUECTEL_AT_STATUS_ERROR the final result
 *   code is the last line
 * @error: (nullable): optional return location for an error
 *
 * Parses an AT response. A final result code only counts once its line is terminated, so a
 * truncated response stays %FU_QUECTEL_AT_STATUS_INCOMPLETE. The echo of @cmd and unsolicited
 * result codes are dropped wherever they appear: before the echo, between the echo and the
 * answer, among the information lines and before the final result code. Bytes that cannot be part
 *of a text response are an error, as is a response longer than %FU_QUECTEL_AT_RESPONSE_MAX.
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
	gboolean echo_seen = FALSE;
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
		if (!echo_seen && g_ascii_strcasecmp(line, cmd) == 0) {
			echo_seen = TRUE;
			continue;
		}
		if (fu_quectel_at_response_line_is_urc(line, cmd))
			continue;
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

/* a module name as ATI gives it, e.g. EC25 */
static gboolean
fu_quectel_at_response_is_model(const gchar *line)
{
	return line[0] != '\0' && fu_quectel_revision_is_upper_alnum(line, strlen(line));
}

/**
 * fu_quectel_at_response_parse_ati:
 * @lines: information lines of an `ATI` response
 * @manufacturer: (out): e.g. `Quectel`
 * @model: (out): e.g. `EC25`
 * @revision: (out): e.g. `EC25EFAR06A08M4G`
 * @error: (nullable): optional return location for an error
 *
 * Parses `Quectel` / `EC25` / `Revision: EC25EFAR06A08M4G`; other lines, such as unsolicited
 * result codes this parser does not know, are ignored wherever they appear.
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
		if (manufacturer_tmp == NULL && g_ascii_strcasecmp(line, "Quectel") == 0) {
			manufacturer_tmp = line;
			continue;
		}
		if (g_str_has_prefix(line, "Revision:")) {
			revision_tmp = line + strlen("Revision:");
			continue;
		}
		/* the model is the first module name after the manufacturer */
		if (manufacturer_tmp != NULL && model_tmp == NULL &&
		    fu_quectel_at_response_is_model(line))
			model_tmp = line;
	}
	if (manufacturer_tmp == NULL) {
		g_autofree gchar *joined = fu_quectel_at_response_join(lines);
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "ATI does not name Quectel as the manufacturer: '%s'",
			    joined);
		return FALSE;
	}
	if (model_tmp == NULL) {
		g_autofree gchar *joined = fu_quectel_at_response_join(lines);
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "ATI names no module model: '%s'",
			    joined);
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
 * The version is the line that parses as one; other lines are unsolicited and ignored.
 *
 * Returns: (transfer full): the full version, e.g. `EC25EFAR06A08M4G_01.001.01.001`
 **/
gchar *
fu_quectel_at_response_parse_qgmr(GPtrArray *lines, const gchar *revision, GError **error)
{
	const gchar *found = NULL;
	g_autoptr(FuQuectelRevision) rev = NULL;

	for (guint i = 0; i < lines->len; i++) {
		const gchar *line = g_ptr_array_index(lines, i);
		g_autoptr(FuQuectelRevision) rev_tmp = fu_quectel_revision_parse(line, NULL);
		if (rev_tmp == NULL)
			continue;
		if (found != NULL && g_strcmp0(found, line) != 0) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "AT+QGMR returned two versions, %s and %s",
				    found,
				    line);
			return NULL;
		}
		found = line;
		g_clear_pointer(&rev, fu_quectel_revision_free);
		rev = g_steal_pointer(&rev_tmp);
	}
	if (found == NULL) {
		g_autofree gchar *joined = fu_quectel_at_response_join(lines);
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "AT+QGMR returned no firmware version: '%s'",
			    joined);
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
	return g_strdup(found);
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

/* `867698041234562`, `+CGSN: 867698041234562` or `+CGSN: "867698041234562"` */
static const gchar *
fu_quectel_at_response_imei_from_line(const gchar *line)
{
	if (g_str_has_prefix(line, "+CGSN:"))
		line += strlen("+CGSN:");
	while (*line == ' ' || *line == '"')
		line++;
	return fu_quectel_at_response_imei_valid(line) ? line : NULL;
}

/**
 * fu_quectel_at_response_parse_imei:
 * @lines: information lines of an `AT+CGSN` response
 * @error: (nullable): optional return location for an error
 *
 * The IMEI is the line that is one; other lines are unsolicited and ignored.
 *
 * Returns: (transfer full): the 15-digit IMEI
 **/
gchar *
fu_quectel_at_response_parse_imei(GPtrArray *lines, GError **error)
{
	const gchar *found = NULL;

	for (guint i = 0; i < lines->len; i++) {
		const gchar *imei =
		    fu_quectel_at_response_imei_from_line(g_ptr_array_index(lines, i));
		if (imei == NULL)
			continue;
		if (found != NULL && strncmp(found, imei, FU_QUECTEL_AT_RESPONSE_IMEI_LEN) != 0) {
			g_set_error_literal(error,
					    FWUPD_ERROR,
					    FWUPD_ERROR_INVALID_DATA,
					    "AT+CGSN returned two different IMEIs");
			return NULL;
		}
		found = imei;
	}
	if (found == NULL) {
		g_autofree gchar *joined = fu_quectel_at_response_join(lines);
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "AT+CGSN returned '%s', not a 15-digit IMEI",
			    joined);
		return NULL;
	}
	return g_strndup(found, FU_QUECTEL_AT_RESPONSE_IMEI_LEN);
}

/**
 * fu_quectel_at_response_parse_relayed_revision:
 * @revision: the revision ModemManager relays: `EC25EFAR06A08M4G` as AT+CGMR gives it, or
 *   `EC25EFAR06A08M4G  1  [Oct 10 2019 10:00:00]` as QMI gives it
 * @firmware_version: (nullable): the AT+QGMR version ModemManager relays in the firmware
 *   update settings, e.g. `EC25EFAR06A08M4G_01.001.01.001`
 * @full_version: (out): the full version when known, else the revision
 * @error: (nullable): optional return location for an error
 *
 * Returns: (transfer full): the revision, e.g. `EC25EFAR06A08M4G`
 **/
gchar *
fu_quectel_at_response_parse_relayed_revision(const gchar *revision,
					      const gchar *firmware_version,
					      gchar **full_version,
					      GError **error)
{
	const gchar *token = NULL;
	const gchar *full = NULL;
	g_auto(GStrv) tokens = NULL;
	g_autoptr(FuQuectelRevision) rev = NULL;

	g_return_val_if_fail(revision != NULL, NULL);
	g_return_val_if_fail(full_version != NULL, NULL);

	/* the first word: what follows is a build number and date */
	tokens = g_strsplit_set(revision, " \t", -1);
	for (guint i = 0; tokens[i] != NULL; i++) {
		if (tokens[i][0] != '\0') {
			token = tokens[i];
			break;
		}
	}
	if (token == NULL) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "the revision is empty");
		return NULL;
	}
	rev = fu_quectel_revision_parse(token, error);
	if (rev == NULL) {
		g_prefix_error(error, "revision '%s': ", revision);
		return NULL;
	}
	if (rev->subversion != NULL)
		full = token;

	/* the full version must be of the same revision */
	if (firmware_version != NULL) {
		g_autoptr(FuQuectelRevision) rev_fw = NULL;
		rev_fw = fu_quectel_revision_parse(firmware_version, error);
		if (rev_fw == NULL) {
			g_prefix_error_literal(error, "firmware version: ");
			return NULL;
		}
		if (g_strcmp0(rev_fw->revision, rev->revision) != 0) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "firmware version %s does not match revision %s",
				    firmware_version,
				    rev->revision);
			return NULL;
		}
		if (rev_fw->subversion != NULL)
			full = firmware_version;
	}
	*full_version = g_strdup(full != NULL ? full : rev->revision);
	return g_strdup(rev->revision);
}

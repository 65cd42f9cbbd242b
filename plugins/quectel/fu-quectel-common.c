/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <fwupdplugin.h>

#include <string.h>

#include "fu-quectel-common.h"

/* EC25EFAR06A08M4G: model (4) + variant (>= 1) + R.. (3) + A.. (3) + M.G (>= 3) */
#define FU_QUECTEL_REVISION_LEN_MIN	 14
#define FU_QUECTEL_REVISION_LEN_MAX	 40
#define FU_QUECTEL_REVISION_MODEL_LEN	 4
#define FU_QUECTEL_REVISION_FLASH_DIGITS 3
#define FU_QUECTEL_SUBVERSION_LEN_MAX	 32
#define FU_QUECTEL_IMEI_LEN		 15
#define FU_QUECTEL_DIAG_ESCAPE		 0x7D
#define FU_QUECTEL_DIAG_ESCAPE_XOR	 0x20
#define FU_QUECTEL_DIAG_CRC_INIT	 0xFFFF
#define FU_QUECTEL_DIAG_CRC_POLY	 0x8408 /* CRC-16/X.25: 0x1021 reflected */

void
fu_quectel_revision_free(FuQuectelRevision *self)
{
	g_free(self->revision);
	g_free(self->model);
	g_free(self->variant);
	g_free(self->subversion);
	g_free(self);
}

static gboolean
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

	g_ptr_array_add(ids,
			g_strdup_printf("%s\\VARIANT_%s", FU_QUECTEL_INSTANCE_ID_PREFIX, variant));
	g_ptr_array_add(ids,
			g_strdup_printf("%s\\VARIANT_%s&FLASH_%s",
					FU_QUECTEL_INSTANCE_ID_PREFIX,
					variant,
					flash));
	return ids;
}

static gboolean
fu_quectel_at_line_is_error(const gchar *line)
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
		if (fu_quectel_at_line_is_error(line)) {
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
 * fu_quectel_at_parse_ati:
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
fu_quectel_at_parse_ati(GPtrArray *lines,
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
 * fu_quectel_at_parse_qgmr:
 * @lines: information lines of an `AT+QGMR` response
 * @revision: the revision `ATI` reported, e.g. `EC25EFAR06A08M4G`
 * @error: (nullable): optional return location for an error
 *
 * Returns: (transfer full): the full version, e.g. `EC25EFAR06A08M4G_01.001.01.001`
 **/
gchar *
fu_quectel_at_parse_qgmr(GPtrArray *lines, const gchar *revision, GError **error)
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
fu_quectel_at_imei_valid(const gchar *str)
{
	for (guint i = 0; i < FU_QUECTEL_IMEI_LEN; i++) {
		if (!g_ascii_isdigit(str[i]))
			return FALSE;
	}
	return str[FU_QUECTEL_IMEI_LEN] == '\0' || g_strcmp0(str + FU_QUECTEL_IMEI_LEN, "\"") == 0;
}

/**
 * fu_quectel_at_parse_imei:
 * @lines: information lines of an `AT+CGSN` response
 * @error: (nullable): optional return location for an error
 *
 * Returns: (transfer full): the 15-digit IMEI
 **/
gchar *
fu_quectel_at_parse_imei(GPtrArray *lines, GError **error)
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
	if (!fu_quectel_at_imei_valid(line)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "AT+CGSN returned '%s', not a 15-digit IMEI",
			    line);
		return NULL;
	}
	return g_strndup(line, FU_QUECTEL_IMEI_LEN);
}

/**
 * fu_quectel_port_roles_parse:
 * @str: a comma separated list, e.g. `dm,nmea,at,modem`
 * @roles: (out) (transfer full): #FuQuectelPortRole values, in the order given
 * @error: (nullable): optional return location for an error
 *
 * Parses the `QuectelSerialPorts` quirk: the roles of the module's USB serial functions in
 * ascending interface order.
 *
 * Returns: %TRUE for success
 **/
gboolean
fu_quectel_port_roles_parse(const gchar *str, GArray **roles, GError **error)
{
	g_auto(GStrv) split = g_strsplit(str, ",", -1);
	g_autoptr(GArray) roles_tmp = g_array_new(FALSE, FALSE, sizeof(FuQuectelPortRole));

	for (guint i = 0; split[i] != NULL; i++) {
		FuQuectelPortRole role = fu_quectel_port_role_from_string(g_strstrip(split[i]));
		if (role == FU_QUECTEL_PORT_ROLE_UNKNOWN) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "unknown serial port role '%s' in '%s'",
				    split[i],
				    str);
			return FALSE;
		}
		for (guint j = 0; j < roles_tmp->len; j++) {
			if (g_array_index(roles_tmp, FuQuectelPortRole, j) == role) {
				g_set_error(error,
					    FWUPD_ERROR,
					    FWUPD_ERROR_INVALID_DATA,
					    "serial port role '%s' listed twice in '%s'",
					    split[i],
					    str);
				return FALSE;
			}
		}
		g_array_append_val(roles_tmp, role);
	}
	*roles = g_steal_pointer(&roles_tmp);
	return TRUE;
}

/**
 * fu_quectel_diag_crc16:
 * @buf: a DIAG packet
 * @bufsz: size of @buf
 *
 * Returns: the CRC-16/X.25 that ends an HDLC frame, sent little-endian
 **/
guint16
fu_quectel_diag_crc16(const guint8 *buf, gsize bufsz)
{
	guint16 crc = FU_QUECTEL_DIAG_CRC_INIT;
	for (gsize i = 0; i < bufsz; i++) {
		crc ^= buf[i];
		for (guint bit = 0; bit < 8; bit++)
			crc = (crc & 1) ? (crc >> 1) ^ FU_QUECTEL_DIAG_CRC_POLY : crc >> 1;
	}
	return ~crc;
}

static void
fu_quectel_diag_frame_append(GByteArray *frame, guint8 value)
{
	if (value == FU_QUECTEL_DIAG_FLAG || value == FU_QUECTEL_DIAG_ESCAPE) {
		fu_byte_array_append_uint8(frame, FU_QUECTEL_DIAG_ESCAPE);
		fu_byte_array_append_uint8(frame, value ^ FU_QUECTEL_DIAG_ESCAPE_XOR);
		return;
	}
	fu_byte_array_append_uint8(frame, value);
}

/**
 * fu_quectel_diag_frame_encode:
 * @buf: a DIAG packet, e.g. `4B 65 01 00`
 * @bufsz: size of @buf
 *
 * Frames a packet for the DM port: the packet and its CRC, escaped, then the flag.
 *
 * Returns: (transfer full): the frame, e.g. `4B 65 01 00 54 0F 7E`
 **/
GByteArray *
fu_quectel_diag_frame_encode(const guint8 *buf, gsize bufsz)
{
	GByteArray *frame = g_byte_array_new();
	guint16 crc = fu_quectel_diag_crc16(buf, bufsz);
	for (gsize i = 0; i < bufsz; i++)
		fu_quectel_diag_frame_append(frame, buf[i]);
	fu_quectel_diag_frame_append(frame, crc & 0xFF);
	fu_quectel_diag_frame_append(frame, crc >> 8);
	fu_byte_array_append_uint8(frame, FU_QUECTEL_DIAG_FLAG);
	return frame;
}

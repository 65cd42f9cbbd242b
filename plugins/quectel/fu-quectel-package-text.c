/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Values as the vendor package writes them: numbers, printable names, basenames.
 */

#include "config.h"

#include <string.h>

#include "fu-quectel-package-text.h"

#define FU_QUECTEL_PACKAGE_UTF8_BOM	  "\xEF\xBB\xBF"
#define FU_QUECTEL_PACKAGE_NUMBER_LEN_MAX 20
/* characters that are not allowed in a path of the vendor folder */
#define FU_QUECTEL_PACKAGE_PATH_INVALID_CHARS ":*?\"<>|"

gsize
fu_quectel_package_text_bom_len(const gchar *buf, gsize bufsz)
{
	gsize bomsz = strlen(FU_QUECTEL_PACKAGE_UTF8_BOM);
	if (bufsz >= bomsz && memcmp(buf, FU_QUECTEL_PACKAGE_UTF8_BOM, bomsz) == 0)
		return bomsz;
	return 0;
}

gboolean
fu_quectel_package_text_is_pow2(guint64 value)
{
	return value != 0 && (value & (value - 1)) == 0;
}

gboolean
fu_quectel_package_text_is_printable(const gchar *str, gboolean allow_space)
{
	for (gsize i = 0; str[i] != '\0'; i++) {
		if (allow_space && str[i] == ' ')
			continue;
		if (!g_ascii_isgraph(str[i]))
			return FALSE;
	}
	return TRUE;
}

/* a strict unsigned integer: digits only (no sign, no whitespace), optional 0x for hex */
gboolean
fu_quectel_package_text_strtoull(const gchar *str,
				 FuIntegerBase base,
				 guint64 min,
				 guint64 max,
				 guint64 *value,
				 GError **error)
{
	const gchar *digits = str;
	gsize len;

	if (str == NULL || str[0] == '\0') {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "empty number, expected digits");
		return FALSE;
	}
	if (base != FU_INTEGER_BASE_10 &&
	    (g_str_has_prefix(str, "0x") || g_str_has_prefix(str, "0X"))) {
		digits = str + 2;
		base = FU_INTEGER_BASE_16;
	} else if (base == FU_INTEGER_BASE_AUTO) {
		base = FU_INTEGER_BASE_10;
	}
	len = strlen(digits);
	if (len == 0 || len > FU_QUECTEL_PACKAGE_NUMBER_LEN_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "invalid number '%.32s', expected 1 to %u digits",
			    str,
			    (guint)FU_QUECTEL_PACKAGE_NUMBER_LEN_MAX);
		return FALSE;
	}
	for (gsize i = 0; i < len; i++) {
		gboolean ok = base == FU_INTEGER_BASE_16 ? g_ascii_isxdigit(digits[i])
							 : g_ascii_isdigit(digits[i]);
		if (!ok) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "invalid number '%s', expected only %s digits",
				    str,
				    base == FU_INTEGER_BASE_16 ? "hexadecimal" : "decimal");
			return FALSE;
		}
	}
	if (!fu_strtoull(digits, value, min, max, base, error)) {
		g_prefix_error(error, "invalid number '%s': ", str);
		return FALSE;
	}
	return TRUE;
}

/* a file name as written in rawprogram/patch XML: ..\sbl1.mbn or a bare name; returns basename */
gchar *
fu_quectel_package_text_basename(const gchar *filename, GError **error)
{
	const gchar *basename = filename;
	gsize len = strlen(filename);

	if (len == 0 || len > FU_QUECTEL_PACKAGE_PATH_LEN_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "invalid filename length %u, expected 1 to %u",
			    (guint)len,
			    (guint)FU_QUECTEL_PACKAGE_PATH_LEN_MAX);
		return NULL;
	}
	if (!fu_quectel_package_text_is_printable(filename, TRUE)) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "invalid filename, expected printable ASCII");
		return NULL;
	}
	for (gsize i = 0; i < len; i++) {
		if (filename[i] == '/' || filename[i] == '\\')
			basename = filename + i + 1;
	}
	/* Windows drops trailing dots and spaces, which would alias another file */
	if (basename[0] == '\0' || basename[0] == ' ' || g_str_has_suffix(basename, " ") ||
	    g_str_has_suffix(basename, ".") ||
	    strpbrk(basename, FU_QUECTEL_PACKAGE_PATH_INVALID_CHARS) != NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "invalid filename '%s', expected a file name such as ..\\sbl1.mbn",
			    filename);
		return NULL;
	}
	return g_strdup(basename);
}

/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * md5.txt: the checksums of the vendor folder.
 */

#include "config.h"

#include <string.h>

#include "fu-quectel-package-md5.h"
#include "fu-quectel-package-path.h"
#include "fu-quectel-package-text.h"

#define FU_QUECTEL_PACKAGE_MD5_HEX_LEN	32
#define FU_QUECTEL_PACKAGE_LINE_LEN_MAX 1024
#define FU_QUECTEL_PACKAGE_LINES_MAX	4096

void
fu_quectel_package_md5_entry_free(FuQuectelPackageMd5Entry *self)
{
	g_free(self->path);
	g_free(self->md5);
	g_free(self);
}

void
fu_quectel_package_md5_free(FuQuectelPackageMd5 *self)
{
	g_free(self->version);
	if (self->entries != NULL)
		g_ptr_array_unref(self->entries);
	g_free(self);
}

typedef enum {
	FU_QUECTEL_PACKAGE_MD5_STATE_HEADER,
	FU_QUECTEL_PACKAGE_MD5_STATE_FILES,
	FU_QUECTEL_PACKAGE_MD5_STATE_DONE,
} FuQuectelPackageMd5State;

typedef struct {
	FuQuectelPackageMd5 *md5;
	FuQuectelPackageMd5State state;
	GHashTable *paths; /* lower-case path → line number */
} FuQuectelPackageMd5Helper;

/* FILE:\update\x.mbn:HEXMD5 */
static gboolean
fu_quectel_package_md5_parse_entry(FuQuectelPackageMd5Helper *helper,
				   const gchar *line,
				   guint line_no,
				   GError **error)
{
	const gchar *rest = line + strlen("FILE:");
	const gchar *colon = strrchr(rest, ':');
	guint dup_line;
	g_autofree gchar *path_raw = NULL;
	g_autofree gchar *md5_raw = NULL;
	g_autofree gchar *key = NULL;
	g_autoptr(FuQuectelPackageMd5Entry) entry = g_new0(FuQuectelPackageMd5Entry, 1);

	if (colon == NULL) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "expected FILE:\\path:MD5");
		return FALSE;
	}
	path_raw = g_strstrip(g_strndup(rest, colon - rest));
	md5_raw = g_strstrip(g_strdup(colon + 1));

	/* the md5 */
	if (strlen(md5_raw) != FU_QUECTEL_PACKAGE_MD5_HEX_LEN) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "invalid MD5 '%s', expected %u hexadecimal digits",
			    md5_raw,
			    (guint)FU_QUECTEL_PACKAGE_MD5_HEX_LEN);
		return FALSE;
	}
	for (guint i = 0; md5_raw[i] != '\0'; i++) {
		if (!g_ascii_isxdigit(md5_raw[i])) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "invalid MD5 '%s', expected only hexadecimal digits",
				    md5_raw);
			return FALSE;
		}
	}

	/* the path, which starts with one separator meaning "the folder" */
	if (path_raw[0] == '\\' || path_raw[0] == '/')
		entry->path = fu_quectel_package_path_normalize(path_raw + 1, error);
	else
		entry->path = fu_quectel_package_path_normalize(path_raw, error);
	if (entry->path == NULL)
		return FALSE;

	/* Windows paths are case-insensitive */
	key = g_ascii_strdown(entry->path, -1);
	dup_line = GPOINTER_TO_UINT(g_hash_table_lookup(helper->paths, key));
	if (dup_line != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "duplicate path %s, already listed on line %u",
			    entry->path,
			    dup_line);
		return FALSE;
	}
	if (helper->md5->entries->len >= FU_QUECTEL_PACKAGE_FILES_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "too many files, the limit is %u",
			    (guint)FU_QUECTEL_PACKAGE_FILES_MAX);
		return FALSE;
	}
	g_hash_table_insert(helper->paths, g_steal_pointer(&key), GUINT_TO_POINTER(line_no));
	entry->md5 = g_ascii_strdown(md5_raw, -1);
	entry->line = line_no;
	g_ptr_array_add(helper->md5->entries, g_steal_pointer(&entry));
	return TRUE;
}

static gboolean
fu_quectel_package_md5_parse_line(FuQuectelPackageMd5Helper *helper,
				  const gchar *line,
				  guint line_no,
				  GError **error)
{
	/* blank */
	if (line[0] == '\0')
		return TRUE;

	if (helper->state == FU_QUECTEL_PACKAGE_MD5_STATE_HEADER) {
		if (g_strcmp0(line, "FILE:START") == 0) {
			helper->state = FU_QUECTEL_PACKAGE_MD5_STATE_FILES;
			return TRUE;
		}
		if (g_str_has_prefix(line, "VERSION:") && helper->md5->version == NULL) {
			helper->md5->version = g_strstrip(g_strdup(line + strlen("VERSION:")));
			return TRUE;
		}
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "expected FILE:START");
		return FALSE;
	}
	if (helper->state == FU_QUECTEL_PACKAGE_MD5_STATE_FILES) {
		if (g_strcmp0(line, "FILE:END") == 0) {
			helper->state = FU_QUECTEL_PACKAGE_MD5_STATE_DONE;
			return TRUE;
		}
		if (g_strcmp0(line, "FILE:START") == 0) {
			g_set_error_literal(error,
					    FWUPD_ERROR,
					    FWUPD_ERROR_INVALID_DATA,
					    "second FILE:START");
			return FALSE;
		}
		if (!g_str_has_prefix(line, "FILE:")) {
			g_set_error_literal(error,
					    FWUPD_ERROR,
					    FWUPD_ERROR_INVALID_DATA,
					    "expected FILE:\\path:MD5 or FILE:END");
			return FALSE;
		}
		return fu_quectel_package_md5_parse_entry(helper, line, line_no, error);
	}
	g_set_error_literal(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "unexpected text after FILE:END");
	return FALSE;
}

/* only printable ASCII, tabs and a CR before the LF */
static gboolean
fu_quectel_package_md5_check_line(const gchar *buf, gsize len, guint line_no, GError **error)
{
	if (len > FU_QUECTEL_PACKAGE_LINE_LEN_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "md5.txt line %u: line is 0x%x bytes long, the limit is 0x%x",
			    line_no,
			    (guint)len,
			    (guint)FU_QUECTEL_PACKAGE_LINE_LEN_MAX);
		return FALSE;
	}
	for (gsize i = 0; i < len; i++) {
		guint8 c = (guint8)buf[i];
		if (c == '\t' || (c == '\r' && i == len - 1))
			continue;
		if (c < ' ' || c >= 0x7F) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "md5.txt line %u: invalid byte 0x%02x at column %u, expected "
				    "printable ASCII",
				    line_no,
				    c,
				    (guint)i + 1);
			return FALSE;
		}
	}
	return TRUE;
}

/**
 * fu_quectel_package_md5_parse:
 * @buf: the contents of md5.txt, not NUL-terminated
 * @bufsz: size of @buf
 * @error: (nullable): optional return location for an error
 *
 * Parses a Quectel md5.txt: an optional `VERSION:` line, `FILE:START`, one
 * `FILE:\path:MD5` line per file and `FILE:END`. CRLF, a UTF-8 BOM, blank lines and
 * surrounding whitespace are tolerated.
 *
 * Returns: (transfer full): a #FuQuectelPackageMd5, or %NULL on error
 **/
FuQuectelPackageMd5 *
fu_quectel_package_md5_parse(const gchar *buf, gsize bufsz, GError **error)
{
	gsize pos;
	guint line_no = 0;
	g_autoptr(FuQuectelPackageMd5) md5 = g_new0(FuQuectelPackageMd5, 1);
	g_autoptr(GHashTable) paths = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	FuQuectelPackageMd5Helper helper = {
	    .md5 = md5,
	    .state = FU_QUECTEL_PACKAGE_MD5_STATE_HEADER,
	    .paths = paths,
	};

	g_return_val_if_fail(buf != NULL || bufsz == 0, NULL);

	md5->entries =
	    g_ptr_array_new_with_free_func((GDestroyNotify)fu_quectel_package_md5_entry_free);
	if (bufsz > FU_QUECTEL_PACKAGE_TEXT_SIZE_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "md5.txt: file is 0x%x bytes, the limit is 0x%x",
			    (guint)bufsz,
			    (guint)FU_QUECTEL_PACKAGE_TEXT_SIZE_MAX);
		return NULL;
	}
	pos = fu_quectel_package_text_bom_len(buf, bufsz);
	while (pos < bufsz) {
		gsize eol = pos;
		g_autofree gchar *line = NULL;

		while (eol < bufsz && buf[eol] != '\n')
			eol++;
		if (++line_no > FU_QUECTEL_PACKAGE_LINES_MAX) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "md5.txt: more than %u lines",
				    (guint)FU_QUECTEL_PACKAGE_LINES_MAX);
			return NULL;
		}
		if (!fu_quectel_package_md5_check_line(buf + pos, eol - pos, line_no, error))
			return NULL;
		line = g_strstrip(g_strndup(buf + pos, eol - pos));
		if (!fu_quectel_package_md5_parse_line(&helper, line, line_no, error)) {
			g_prefix_error(error, "md5.txt line %u '%s': ", line_no, line);
			return NULL;
		}
		pos = eol + 1;
	}
	if (helper.state == FU_QUECTEL_PACKAGE_MD5_STATE_HEADER) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "md5.txt: no FILE:START line");
		return NULL;
	}
	if (helper.state == FU_QUECTEL_PACKAGE_MD5_STATE_FILES) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "md5.txt: no FILE:END line after line %u",
			    line_no);
		return NULL;
	}
	return g_steal_pointer(&md5);
}

/**
 * fu_quectel_package_md5_parse_bytes:
 * @blob: the contents of md5.txt
 * @error: (nullable): optional return location for an error
 *
 * Returns: (transfer full): a #FuQuectelPackageMd5, or %NULL on error
 **/
FuQuectelPackageMd5 *
fu_quectel_package_md5_parse_bytes(GBytes *blob, GError **error)
{
	gsize bufsz = 0;
	const gchar *buf = g_bytes_get_data(blob, &bufsz);
	return fu_quectel_package_md5_parse(buf, bufsz, error);
}

/**
 * fu_quectel_package_md5_find:
 * @self: a #FuQuectelPackageMd5
 * @path: a path relative to the folder, `/` or `\` separators
 *
 * Finds the entry of a file, comparing paths case-insensitively as Windows does.
 *
 * Returns: (transfer none): the entry, or %NULL if @path is not listed
 **/
FuQuectelPackageMd5Entry *
fu_quectel_package_md5_find(const FuQuectelPackageMd5 *self, const gchar *path)
{
	g_autofree gchar *path_safe = fu_quectel_package_path_normalize(path, NULL);
	if (path_safe == NULL)
		return NULL;
	for (guint i = 0; i < self->entries->len; i++) {
		FuQuectelPackageMd5Entry *entry = g_ptr_array_index(self->entries, i);
		if (g_ascii_strcasecmp(entry->path, path_safe) == 0)
			return entry;
	}
	return NULL;
}

/**
 * fu_quectel_package_md5_verify:
 * @self: a #FuQuectelPackageMd5
 * @path: a path relative to the folder
 * @blob: the contents of that file
 * @error: (nullable): optional return location for an error
 *
 * Checks a file against md5.txt.
 *
 * Returns: %TRUE if the file is listed and its MD5 matches
 **/
gboolean
fu_quectel_package_md5_verify(const FuQuectelPackageMd5 *self,
			      const gchar *path,
			      GBytes *blob,
			      GError **error)
{
	FuQuectelPackageMd5Entry *entry = fu_quectel_package_md5_find(self, path);
	g_autofree gchar *md5 = NULL;

	if (entry == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_FOUND,
			    "md5.txt: %s is not listed",
			    path);
		return FALSE;
	}
	md5 = g_compute_checksum_for_bytes(G_CHECKSUM_MD5, blob);
	if (g_strcmp0(md5, entry->md5) != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "md5.txt line %u: %s has MD5 %s, expected %s",
			    entry->line,
			    entry->path,
			    md5,
			    entry->md5);
		return FALSE;
	}
	return TRUE;
}

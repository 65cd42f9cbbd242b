/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Relative paths inside the vendor folder.
 */

#include "config.h"

#include <string.h>

#include "fu-quectel-package-path.h"
#include "fu-quectel-package-text.h"

/* characters that are not allowed in a path of the vendor folder */
#define FU_QUECTEL_PACKAGE_PATH_INVALID_CHARS ":*?\"<>|"

static gboolean
fu_quectel_package_path_append(GPtrArray *segments,
			       const gchar *path,
			       gboolean allow_parent,
			       GError **error)
{
	gsize len = strlen(path);
	g_autofree gchar *tmp = NULL;
	g_auto(GStrv) split = NULL;

	if (len == 0 || len > FU_QUECTEL_PACKAGE_PATH_LEN_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "invalid path length %u, expected 1 to %u",
			    (guint)len,
			    (guint)FU_QUECTEL_PACKAGE_PATH_LEN_MAX);
		return FALSE;
	}
	if (!fu_quectel_package_text_is_printable(path, TRUE)) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "invalid path, expected printable ASCII");
		return FALSE;
	}
	if (len >= 2 && g_ascii_isalpha(path[0]) && path[1] == ':') {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "absolute path '%s' with a drive letter, expected a relative path",
			    path);
		return FALSE;
	}
	if (path[0] == '/' || path[0] == '\\') {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "absolute path '%s', expected a relative path",
			    path);
		return FALSE;
	}
	if (strpbrk(path, FU_QUECTEL_PACKAGE_PATH_INVALID_CHARS) != NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "invalid character in path '%s', none of %s is allowed",
			    path,
			    FU_QUECTEL_PACKAGE_PATH_INVALID_CHARS);
		return FALSE;
	}

	tmp = g_strdelimit(g_strdup(path), "\\", '/');
	split = g_strsplit(tmp, "/", -1);
	for (guint i = 0; split[i] != NULL; i++) {
		const gchar *seg = split[i];
		gsize seglen = strlen(seg);
		if (seglen == 0 || g_strcmp0(seg, ".") == 0)
			continue;
		if (g_strcmp0(seg, "..") == 0) {
			if (!allow_parent) {
				g_set_error(error,
					    FWUPD_ERROR,
					    FWUPD_ERROR_INVALID_DATA,
					    "path '%s' contains '..', expected a path inside the "
					    "folder",
					    path);
				return FALSE;
			}
			if (segments->len == 0) {
				g_set_error(error,
					    FWUPD_ERROR,
					    FWUPD_ERROR_INVALID_DATA,
					    "path '%s' leaves the folder",
					    path);
				return FALSE;
			}
			g_ptr_array_remove_index(segments, segments->len - 1);
			continue;
		}
		/* Windows drops trailing dots and spaces, which would alias another file */
		if (seg[0] == ' ' || seg[seglen - 1] == ' ' || seg[seglen - 1] == '.') {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "invalid path component '%s' in '%s'",
				    seg,
				    path);
			return FALSE;
		}
		g_ptr_array_add(segments, g_strdup(seg));
	}
	return TRUE;
}

gchar *
fu_quectel_package_path_build(const gchar *dir,
			      const gchar *path,
			      gboolean allow_parent,
			      GError **error)
{
	g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func(g_free);

	if (path == NULL) {
		g_set_error_literal(error, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA, "no path");
		return NULL;
	}
	if (dir != NULL && dir[0] != '\0') {
		if (!fu_quectel_package_path_append(segments, dir, FALSE, error))
			return NULL;
	}
	if (!fu_quectel_package_path_append(segments, path, allow_parent, error))
		return NULL;
	if (segments->len == 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "path '%s' does not name a file",
			    path);
		return NULL;
	}
	return fu_strjoin("/", segments);
}

/**
 * fu_quectel_package_path_normalize:
 * @path: a path relative to the vendor folder, with `\` or `/` separators
 * @error: (nullable): optional return location for an error
 *
 * Converts `update\firehose\x.xml` to `update/firehose/x.xml`, rejecting absolute paths,
 * drive letters, `..` and characters Windows does not allow.
 *
 * Returns: (transfer full): the normalized path, or %NULL on error
 **/
gchar *
fu_quectel_package_path_normalize(const gchar *path, GError **error)
{
	return fu_quectel_package_path_build(NULL, path, FALSE, error);
}

/**
 * fu_quectel_package_path_join:
 * @dir: (nullable): a directory relative to the vendor folder, e.g. `update/firehose`
 * @relpath: a path relative to @dir, e.g. `..\sbl1.mbn`
 * @error: (nullable): optional return location for an error
 *
 * Resolves a file name of a rawprogram XML to a path relative to the vendor folder;
 * `..` is allowed in @relpath but may not leave the folder.
 *
 * Returns: (transfer full): the normalized path, e.g. `update/sbl1.mbn`, or %NULL on error
 **/
gchar *
fu_quectel_package_path_join(const gchar *dir, const gchar *relpath, GError **error)
{
	return fu_quectel_package_path_build(dir, relpath, TRUE, error);
}

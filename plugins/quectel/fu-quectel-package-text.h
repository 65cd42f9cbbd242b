/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

/* the most files md5.txt or contents.xml may list */
#define FU_QUECTEL_PACKAGE_FILES_MAX 512
/* the longest relative path or file name */
#define FU_QUECTEL_PACKAGE_PATH_LEN_MAX 255

gchar *
fu_quectel_package_text_basename(const gchar *filename, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gsize
fu_quectel_package_text_bom_len(const gchar *buf, gsize bufsz);
gboolean
fu_quectel_package_text_is_pow2(guint64 value);
gboolean
fu_quectel_package_text_is_printable(const gchar *str, gboolean allow_space);
gboolean
fu_quectel_package_text_strtoull(const gchar *str,
				 FuIntegerBase base,
				 guint64 min,
				 guint64 max,
				 guint64 *value,
				 GError **error) G_GNUC_WARN_UNUSED_RESULT;

/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

/* relative paths inside the vendor folder */
gchar *
fu_quectel_package_path_normalize(const gchar *path, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gchar *
fu_quectel_package_path_join(const gchar *dir,
			     const gchar *relpath,
			     GError **error) G_GNUC_WARN_UNUSED_RESULT;

gchar *
fu_quectel_package_path_build(const gchar *dir,
			      const gchar *path,
			      gboolean allow_parent,
			      GError **error) G_GNUC_WARN_UNUSED_RESULT;

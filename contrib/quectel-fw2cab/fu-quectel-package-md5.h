/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

/* the largest md5.txt we accept */
#define FU_QUECTEL_PACKAGE_TEXT_SIZE_MAX (256 * 1024)

/**
 * FuQuectelPackageMd5Entry:
 *
 * One `FILE:\update\x.mbn:HEXMD5` line of md5.txt.
 **/
typedef struct {
	gchar *path; /* relative to the folder, '/' separators: update/firehose/x.xml */
	gchar *md5;  /* 32 lower-case hex digits */
	guint line;  /* 1-based line number in md5.txt */
} FuQuectelPackageMd5Entry;

void
fu_quectel_package_md5_entry_free(FuQuectelPackageMd5Entry *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelPackageMd5Entry, fu_quectel_package_md5_entry_free)

/**
 * FuQuectelPackageMd5:
 *
 * The contents of md5.txt.
 **/
typedef struct {
	gchar *version;	    /* from an optional VERSION:1.0 line, or NULL */
	GPtrArray *entries; /* of FuQuectelPackageMd5Entry, in file order */
} FuQuectelPackageMd5;

void
fu_quectel_package_md5_free(FuQuectelPackageMd5 *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelPackageMd5, fu_quectel_package_md5_free)

FuQuectelPackageMd5 *
fu_quectel_package_md5_parse(const gchar *buf,
			     gsize bufsz,
			     GError **error) G_GNUC_WARN_UNUSED_RESULT;
FuQuectelPackageMd5 *
fu_quectel_package_md5_parse_bytes(GBytes *blob, GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1);
FuQuectelPackageMd5Entry *
fu_quectel_package_md5_find(const FuQuectelPackageMd5 *self, const gchar *path)
    G_GNUC_NON_NULL(1, 2);
gboolean
fu_quectel_package_md5_verify(const FuQuectelPackageMd5 *self,
			      const gchar *path,
			      GBytes *blob,
			      GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1, 2, 3);

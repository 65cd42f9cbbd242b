/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

#include "fu-quectel-package-geometry.h"
#include "fu-quectel-revision.h"

/* the rules of the folder itself, as they appear in error messages */
#define FU_QUECTEL_VENDOR_FOLDER_RULE_MD5      "md5 mismatch"
#define FU_QUECTEL_VENDOR_FOLDER_RULE_NO_MD5   "no md5.txt"
#define FU_QUECTEL_VENDOR_FOLDER_RULE_MISSING  "missing file"
#define FU_QUECTEL_VENDOR_FOLDER_RULE_ABSOLUTE "absolute path"
#define FU_QUECTEL_VENDOR_FOLDER_RULE_ESCAPE   "path escapes the folder"
#define FU_QUECTEL_VENDOR_FOLDER_RULE_SYMLINK  "symlink leaves the folder"
#define FU_QUECTEL_VENDOR_FOLDER_RULE_DUP      "duplicate basename"
#define FU_QUECTEL_VENDOR_FOLDER_RULE_LAYOUT   "not a Firehose update package"
#define FU_QUECTEL_VENDOR_FOLDER_RULE_VERSION  "version"
#define FU_QUECTEL_VENDOR_FOLDER_RULE_CHANGED  "file changed"
#define FU_QUECTEL_VENDOR_FOLDER_RULE_INVALID  "invalid file"

/**
 * FuQuectelVendorFolderFile:
 *
 * A file of the vendor folder that the converter reads.
 **/
typedef struct {
	gchar *relpath;	   /* update/sbl1.mbn, as on disk */
	gchar *basename;   /* sbl1.mbn, its name in the payload */
	gchar *path;	   /* the real path, inside the folder */
	guint64 size;	   /* bytes */
	gchar *md5;	   /* lower-case hex digest from md5.txt, or NULL */
	guint md5_line;	   /* its line in md5.txt */
	gboolean compress; /* deflate it in the payload */
} FuQuectelVendorFolderFile;

/**
 * FuQuectelVendorFolder:
 *
 * A checked vendor folder: what goes into the cabinet, and what is verified only.
 **/
typedef struct {
	gchar *root;		     /* real path of the folder */
	FuQuectelRevision *revision; /* from the folder name or --version */
	FuQuectelPackageGeometry geometry;
	GPtrArray *payload;	/* of FuQuectelVendorFolderFile: firmware.zip, in order */
	GPtrArray *verify_only; /* of FuQuectelVendorFolderFile: listed in md5.txt, not sent */
	GPtrArray *warnings;	/* of utf8 */
	guint64 program_bytes;	/* what the update writes to the flash, in whole pages */
} FuQuectelVendorFolder;

void
fu_quectel_vendor_folder_free(FuQuectelVendorFolder *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelVendorFolder, fu_quectel_vendor_folder_free)

FuQuectelVendorFolder *
fu_quectel_vendor_folder_load(const gchar *path,
			      const gchar *version,
			      gboolean require_md5,
			      GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1);
guint64
fu_quectel_vendor_folder_get_read_size(FuQuectelVendorFolder *self) G_GNUC_NON_NULL(1);
gboolean
fu_quectel_vendor_folder_file_check_md5(FuQuectelVendorFolderFile *file,
					GChecksum *md5,
					guint64 bytes_read,
					GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1, 2);

/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

#include "fu-quectel-zip-struct.h"

/*
 * A reader for the zip payload of a cabinet that does not copy stored entries: each one is
 * a window on the payload stream. Only what a firmware payload needs is accepted: one disk,
 * no Zip64, no encryption, stored or deflated entries, and no two entries with the same
 * basename.
 */

/* the most entries of a payload */
#define FU_QUECTEL_ZIP_ENTRIES_MAX 256
/* the largest entry: the largest NAND of an MDM9607 module (4 Gbit) */
#define FU_QUECTEL_ZIP_ENTRY_SIZE_MAX (512 * 1024 * 1024)

/**
 * FuQuectelZipEntry:
 *
 * One file of a zip payload.
 **/
typedef struct {
	gchar *name;		   /* as stored, e.g. sbl1.mbn or update/sbl1.mbn */
	gchar *basename;	   /* sbl1.mbn */
	FuQuectelZipMethod method; /* store or deflate */
	guint32 crc;		   /* CRC-32 of the uncompressed data */
	guint64 offset_local;	   /* of the local header */
	guint64 offset_data;	   /* of the (compressed) data */
	guint64 size_compressed;   /* bytes at offset_data */
	guint64 size;		   /* uncompressed */
} FuQuectelZipEntry;

void
fu_quectel_zip_entry_free(FuQuectelZipEntry *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelZipEntry, fu_quectel_zip_entry_free)

GPtrArray *
fu_quectel_zip_parse(GInputStream *stream, GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1);
GInputStream *
fu_quectel_zip_entry_open(const FuQuectelZipEntry *self,
			  GInputStream *stream,
			  gboolean verify_crc,
			  GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1, 2);

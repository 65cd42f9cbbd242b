/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

/*
 * Streams files into a zip with libarchive, hashing the zip (SHA-256) as it is written and
 * each file (the caller's checksum, e.g. MD5) as it is read, so that nothing is held in
 * memory but one buffer.
 */

typedef struct FuQuectelZipWriter FuQuectelZipWriter;

/* called with the number of input bytes just consumed; FALSE stops the writer */
typedef gboolean (*FuQuectelZipWriterProgressFunc)(guint64 bytes, gpointer user_data);

FuQuectelZipWriter *
fu_quectel_zip_writer_new(GOutputStream *ostream,
			  GDateTime *mtime,
			  FuQuectelZipWriterProgressFunc progress_cb,
			  gpointer progress_data,
			  GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1, 2);
void
fu_quectel_zip_writer_free(FuQuectelZipWriter *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelZipWriter, fu_quectel_zip_writer_free)

gboolean
fu_quectel_zip_writer_add(FuQuectelZipWriter *self,
			  const gchar *name,
			  GInputStream *istream,
			  guint64 size,
			  gboolean compress,
			  GChecksum *checksum,
			  guint64 *bytes_read,
			  GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1, 2, 3, 7);
gboolean
fu_quectel_zip_writer_close(FuQuectelZipWriter *self, GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1);
const gchar *
fu_quectel_zip_writer_get_sha256(FuQuectelZipWriter *self) G_GNUC_NON_NULL(1);
guint64
fu_quectel_zip_writer_get_size(FuQuectelZipWriter *self) G_GNUC_NON_NULL(1);
gboolean
fu_quectel_zip_writer_read_chunks(GInputStream *istream,
				  guint64 size,
				  GChecksum *checksum,
				  FuQuectelZipWriterProgressFunc progress_cb,
				  gpointer progress_data,
				  guint64 *bytes_read,
				  GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1, 3, 6);

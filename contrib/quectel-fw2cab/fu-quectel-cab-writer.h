/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

/*
 * Writes an uncompressed cabinet file by file, with the structures and checksum of fwupd's
 * own FuCabFirmware, producing the same bytes as fu_firmware_write() on a FuCabFirmware
 * holding the same FuCabImages; it streams the files instead of concatenating them in
 * memory (three times) first.
 */

typedef struct FuQuectelCabWriter FuQuectelCabWriter;

/* called with the number of bytes just written; FALSE stops the writer */
typedef gboolean (*FuQuectelCabWriterProgressFunc)(guint64 bytes, gpointer user_data);

FuQuectelCabWriter *
fu_quectel_cab_writer_new(void) G_GNUC_WARN_UNUSED_RESULT;
void
fu_quectel_cab_writer_free(FuQuectelCabWriter *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelCabWriter, fu_quectel_cab_writer_free)

void
fu_quectel_cab_writer_add_stream(FuQuectelCabWriter *self,
				 const gchar *filename,
				 GInputStream *stream,
				 gsize size) G_GNUC_NON_NULL(1, 2, 3);
void
fu_quectel_cab_writer_add_bytes(FuQuectelCabWriter *self, const gchar *filename, GBytes *blob)
    G_GNUC_NON_NULL(1, 2, 3);
void
fu_quectel_cab_writer_set_created(FuQuectelCabWriter *self, GDateTime *created) G_GNUC_NON_NULL(1);
void
fu_quectel_cab_writer_set_progress_cb(FuQuectelCabWriter *self,
				      FuQuectelCabWriterProgressFunc progress_cb,
				      gpointer progress_data) G_GNUC_NON_NULL(1);
gboolean
fu_quectel_cab_writer_write(FuQuectelCabWriter *self,
			    GOutputStream *ostream,
			    GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1, 2);

/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "fu-cab-firmware-private.h"
#include "fu-cab-struct.h"
#include "fu-quectel-cab-writer.h"

/* the uncompressed size of every CFDATA block but the last, as FuCabFirmware writes it */
#define FU_QUECTEL_CAB_WRITER_BLOCK_SIZE 0x8000
/* MS-DOS date and time, as in a CFFILE */
#define FU_QUECTEL_CAB_WRITER_DOS_YEAR_BASE  1980
#define FU_QUECTEL_CAB_WRITER_DOS_YEAR_SHIFT 9
#define FU_QUECTEL_CAB_WRITER_DOS_MON_SHIFT  5
#define FU_QUECTEL_CAB_WRITER_DOS_HOUR_SHIFT 11
#define FU_QUECTEL_CAB_WRITER_DOS_MIN_SHIFT  5
#define FU_QUECTEL_CAB_WRITER_DOS_SEC_DIV    2

typedef struct {
	gchar *filename;
	GInputStream *stream;
	gsize size;
} FuQuectelCabWriterFile;

struct FuQuectelCabWriter {
	GPtrArray *files; /* of FuQuectelCabWriterFile */
	GDateTime *created;
	FuQuectelCabWriterProgressFunc progress_cb;
	gpointer progress_data;
};

static void
fu_quectel_cab_writer_file_free(FuQuectelCabWriterFile *self)
{
	g_free(self->filename);
	g_object_unref(self->stream);
	g_free(self);
}

/**
 * fu_quectel_cab_writer_new:
 *
 * Returns: (transfer full): a cabinet writer without files
 **/
FuQuectelCabWriter *
fu_quectel_cab_writer_new(void)
{
	FuQuectelCabWriter *self = g_new0(FuQuectelCabWriter, 1);
	self->files =
	    g_ptr_array_new_with_free_func((GDestroyNotify)fu_quectel_cab_writer_file_free);
	return self;
}

void
fu_quectel_cab_writer_free(FuQuectelCabWriter *self)
{
	g_ptr_array_unref(self->files);
	if (self->created != NULL)
		g_date_time_unref(self->created);
	g_free(self);
}

/**
 * fu_quectel_cab_writer_add_stream:
 * @self: a #FuQuectelCabWriter
 * @filename: the name in the cabinet, e.g. `firmware.zip`
 * @stream: the file, read once from its current position
 * @size: its size
 *
 * Adds a file; the files are written in the order they were added.
 **/
void
fu_quectel_cab_writer_add_stream(FuQuectelCabWriter *self,
				 const gchar *filename,
				 GInputStream *stream,
				 gsize size)
{
	FuQuectelCabWriterFile *file = g_new0(FuQuectelCabWriterFile, 1);
	file->filename = g_strdup(filename);
	file->stream = g_object_ref(stream);
	file->size = size;
	g_ptr_array_add(self->files, file);
}

/**
 * fu_quectel_cab_writer_add_bytes:
 * @self: a #FuQuectelCabWriter
 * @filename: the name in the cabinet, e.g. `firmware.metainfo.xml`
 * @blob: the file
 *
 * Adds a small file held in memory.
 **/
void
fu_quectel_cab_writer_add_bytes(FuQuectelCabWriter *self, const gchar *filename, GBytes *blob)
{
	g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes(blob);
	fu_quectel_cab_writer_add_stream(self, filename, stream, g_bytes_get_size(blob));
}

/**
 * fu_quectel_cab_writer_set_created:
 * @self: a #FuQuectelCabWriter
 * @created: the time stamp of every file
 **/
void
fu_quectel_cab_writer_set_created(FuQuectelCabWriter *self, GDateTime *created)
{
	if (self->created != NULL)
		g_date_time_unref(self->created);
	self->created = g_date_time_ref(created);
}

/**
 * fu_quectel_cab_writer_set_progress_cb:
 * @self: a #FuQuectelCabWriter
 * @progress_cb: (nullable) (scope call): called as data is written
 * @progress_data: user data for @progress_cb
 **/
void
fu_quectel_cab_writer_set_progress_cb(FuQuectelCabWriter *self,
				      FuQuectelCabWriterProgressFunc progress_cb,
				      gpointer progress_data)
{
	self->progress_cb = progress_cb;
	self->progress_data = progress_data;
}

/* CFHEADER, CFFOLDER and every CFFILE, as fu_cab_firmware_write() lays them out */
static GByteArray *
fu_quectel_cab_writer_build_header(FuQuectelCabWriter *self,
				   guint64 total,
				   guint nr_blocks,
				   GError **error)
{
	guint64 archive_size = FU_STRUCT_CAB_HEADER_SIZE + FU_STRUCT_CAB_FOLDER_SIZE;
	guint64 offset;
	guint64 index_into = 0;
	g_autoptr(FuStructCabHeader) st_hdr = fu_struct_cab_header_new();
	g_autoptr(FuStructCabFolder) st_folder = fu_struct_cab_folder_new();

	for (guint i = 0; i < self->files->len; i++) {
		FuQuectelCabWriterFile *file = g_ptr_array_index(self->files, i);
		archive_size += FU_STRUCT_CAB_FILE_SIZE + strlen(file->filename) + 1;
	}
	offset = archive_size;
	archive_size += (guint64)nr_blocks * FU_STRUCT_CAB_DATA_SIZE + total;
	if (archive_size > G_MAXUINT32 || nr_blocks > G_MAXUINT16) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "a cabinet of 0x%" G_GINT64_MODIFIER "x bytes in 0x%x blocks is too "
			    "large, the limit is 0x%x bytes in 0x%x blocks",
			    archive_size,
			    nr_blocks,
			    (guint)G_MAXUINT32,
			    (guint)G_MAXUINT16);
		return NULL;
	}
	fu_struct_cab_header_set_size(st_hdr, (guint32)archive_size);
	fu_struct_cab_header_set_off_cffile(st_hdr,
					    FU_STRUCT_CAB_HEADER_SIZE + FU_STRUCT_CAB_FOLDER_SIZE);
	fu_struct_cab_header_set_nr_files(st_hdr, self->files->len);
	fu_struct_cab_folder_set_offset(st_folder, (guint32)offset);
	fu_struct_cab_folder_set_ndatab(st_folder, nr_blocks);
	fu_struct_cab_folder_set_compression(st_folder, FU_CAB_COMPRESSION_NONE);
	fu_byte_array_append_array(st_hdr->buf, st_folder->buf);

	for (guint i = 0; i < self->files->len; i++) {
		FuQuectelCabWriterFile *file = g_ptr_array_index(self->files, i);
		FuCabFileAttribute fattr = FU_CAB_FILE_ATTRIBUTE_NONE;
		g_autoptr(FuStructCabFile) st_file = fu_struct_cab_file_new();

		if (!g_str_is_ascii(file->filename))
			fattr = FU_CAB_FILE_ATTRIBUTE_NAME_UTF8;
		fu_struct_cab_file_set_fattr(st_file, fattr);
		fu_struct_cab_file_set_usize(st_file, (guint32)file->size);
		fu_struct_cab_file_set_uoffset(st_file, (guint32)index_into);
		if (self->created != NULL) {
			GDateTime *dt = self->created;
			fu_struct_cab_file_set_date(
			    st_file,
			    ((g_date_time_get_year(dt) - FU_QUECTEL_CAB_WRITER_DOS_YEAR_BASE)
			     << FU_QUECTEL_CAB_WRITER_DOS_YEAR_SHIFT) +
				(g_date_time_get_month(dt) << FU_QUECTEL_CAB_WRITER_DOS_MON_SHIFT) +
				g_date_time_get_day_of_month(dt));
			fu_struct_cab_file_set_time(
			    st_file,
			    (g_date_time_get_hour(dt) << FU_QUECTEL_CAB_WRITER_DOS_HOUR_SHIFT) +
				(g_date_time_get_minute(dt)
				 << FU_QUECTEL_CAB_WRITER_DOS_MIN_SHIFT) +
				(g_date_time_get_second(dt) / FU_QUECTEL_CAB_WRITER_DOS_SEC_DIV));
		}
		fu_byte_array_append_array(st_hdr->buf, st_file->buf);
		g_byte_array_append(st_hdr->buf,
				    (const guint8 *)file->filename,
				    strlen(file->filename));
		fu_byte_array_append_uint8(st_hdr->buf, 0x0);
		index_into += file->size;
	}
	return g_byte_array_ref(st_hdr->buf);
}

/* one CFDATA block: the checksum covers the data, then the two sizes */
static gboolean
fu_quectel_cab_writer_write_block(FuQuectelCabWriter *self,
				  GOutputStream *ostream,
				  const guint8 *buf,
				  gsize bufsz,
				  GError **error)
{
	guint32 checksum = 0;
	g_autoptr(GByteArray) hdr = g_byte_array_new();
	g_autoptr(FuStructCabData) st_data = fu_struct_cab_data_new();

	if (!fu_cab_firmware_compute_checksum(buf, bufsz, &checksum, error))
		return FALSE;
	fu_byte_array_append_uint16(hdr, bufsz, G_LITTLE_ENDIAN);
	fu_byte_array_append_uint16(hdr, bufsz, G_LITTLE_ENDIAN);
	if (!fu_cab_firmware_compute_checksum(hdr->data, hdr->len, &checksum, error))
		return FALSE;
	fu_struct_cab_data_set_checksum(st_data, checksum);
	fu_struct_cab_data_set_comp(st_data, bufsz);
	fu_struct_cab_data_set_uncomp(st_data, bufsz);
	if (!g_output_stream_write_all(ostream,
				       st_data->buf->data,
				       st_data->buf->len,
				       NULL,
				       NULL,
				       error) ||
	    !g_output_stream_write_all(ostream, buf, bufsz, NULL, NULL, error)) {
		fwupd_error_convert(error);
		return FALSE;
	}
	if (self->progress_cb != NULL && !self->progress_cb(bufsz, self->progress_data)) {
		g_set_error_literal(error, FWUPD_ERROR, FWUPD_ERROR_INTERNAL, "interrupted");
		return FALSE;
	}
	return TRUE;
}

/**
 * fu_quectel_cab_writer_write:
 * @self: a #FuQuectelCabWriter
 * @ostream: where the cabinet goes
 * @error: (nullable): optional return location for an error
 *
 * Writes one uncompressed folder holding every file, reading each stream once; only one
 * 32 KiB block is in memory at a time.
 *
 * Returns: %TRUE for success
 **/
gboolean
fu_quectel_cab_writer_write(FuQuectelCabWriter *self, GOutputStream *ostream, GError **error)
{
	guint64 total = 0;
	gsize fill = 0;
	guint nr_blocks;
	g_autofree guint8 *buf = g_malloc(FU_QUECTEL_CAB_WRITER_BLOCK_SIZE);
	g_autoptr(GByteArray) hdr = NULL;

	if (self->files->len == 0) {
		g_set_error_literal(error, FWUPD_ERROR, FWUPD_ERROR_NOT_SUPPORTED, "no files");
		return FALSE;
	}
	for (guint i = 0; i < self->files->len; i++) {
		FuQuectelCabWriterFile *file = g_ptr_array_index(self->files, i);
		total += file->size;
	}
	if (total == 0) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_NOT_SUPPORTED,
				    "no data to write");
		return FALSE;
	}
	nr_blocks = (guint)((total + FU_QUECTEL_CAB_WRITER_BLOCK_SIZE - 1) /
			    FU_QUECTEL_CAB_WRITER_BLOCK_SIZE);
	hdr = fu_quectel_cab_writer_build_header(self, total, nr_blocks, error);
	if (hdr == NULL)
		return FALSE;
	if (!g_output_stream_write_all(ostream, hdr->data, hdr->len, NULL, NULL, error)) {
		fwupd_error_convert(error);
		return FALSE;
	}

	/* the files back to back, cut in blocks */
	for (guint i = 0; i < self->files->len; i++) {
		FuQuectelCabWriterFile *file = g_ptr_array_index(self->files, i);
		gsize done = 0;
		while (done < file->size) {
			gsize want =
			    MIN(FU_QUECTEL_CAB_WRITER_BLOCK_SIZE - fill, file->size - done);
			gsize got = 0;
			if (!g_input_stream_read_all(file->stream,
						     buf + fill,
						     want,
						     &got,
						     NULL,
						     error)) {
				fwupd_error_convert(error);
				g_prefix_error(error, "failed to read %s: ", file->filename);
				return FALSE;
			}
			if (got != want) {
				g_set_error(error,
					    FWUPD_ERROR,
					    FWUPD_ERROR_READ,
					    "%s ended after 0x%x bytes, expected 0x%x",
					    file->filename,
					    (guint)(done + got),
					    (guint)file->size);
				return FALSE;
			}
			done += got;
			fill += got;
			if (fill < FU_QUECTEL_CAB_WRITER_BLOCK_SIZE)
				continue;
			if (!fu_quectel_cab_writer_write_block(self, ostream, buf, fill, error))
				return FALSE;
			fill = 0;
		}
	}
	if (fill > 0)
		return fu_quectel_cab_writer_write_block(self, ostream, buf, fill, error);
	return TRUE;
}

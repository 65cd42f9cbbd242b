/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>

#include "fu-quectel-zip-writer.h"

/* how much of a file is read, hashed and archived at a time */
#define FU_QUECTEL_ZIP_WRITER_CHUNK_SIZE (1024 * 1024)
/* rw-r--r-- */
#define FU_QUECTEL_ZIP_WRITER_FILE_MODE 0644

struct FuQuectelZipWriter {
	struct archive *arch;
	GOutputStream *ostream;
	GChecksum *sha256;
	guint64 size;
	gint64 mtime;
	GError *error; /* from the write callback */
	FuQuectelZipWriterProgressFunc progress_cb;
	gpointer progress_data;
	gboolean closed;
};

typedef struct archive_entry _archive_entry_ctx;

static void
fu_quectel_zip_writer_entry_free(_archive_entry_ctx *entry)
{
	archive_entry_free(entry);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(_archive_entry_ctx, fu_quectel_zip_writer_entry_free)

void
fu_quectel_zip_writer_free(FuQuectelZipWriter *self)
{
	if (self->arch != NULL)
		archive_write_free(self->arch);
	g_object_unref(self->ostream);
	g_checksum_free(self->sha256);
	g_clear_error(&self->error);
	g_free(self);
}

/* every byte of the zip passes here once: hash it and write it */
static la_ssize_t
fu_quectel_zip_writer_write_cb(struct archive *arch, void *user_data, const void *buf, size_t bufsz)
{
	FuQuectelZipWriter *self = (FuQuectelZipWriter *)user_data;
	gsize written = 0;

	if (!g_output_stream_write_all(self->ostream, buf, bufsz, &written, NULL, &self->error)) {
		archive_set_error(arch, EIO, "%s", self->error->message);
		return -1;
	}
	g_checksum_update(self->sha256, buf, bufsz);
	self->size += bufsz;
	return (la_ssize_t)bufsz;
}

static gboolean
fu_quectel_zip_writer_check(FuQuectelZipWriter *self, int rc, const gchar *what, GError **error)
{
	if (rc == ARCHIVE_OK)
		return TRUE;
	if (self->error != NULL) {
		g_propagate_error(error, g_steal_pointer(&self->error));
		fwupd_error_convert(error);
		g_prefix_error(error, "failed to write the payload zip (%s): ", what);
		return FALSE;
	}
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_WRITE,
		    "failed to write the payload zip (%s): %s",
		    what,
		    archive_error_string(self->arch));
	return FALSE;
}

/**
 * fu_quectel_zip_writer_new:
 * @ostream: where the zip goes
 * @mtime: the modification time of every entry, for a reproducible zip
 * @progress_cb: (nullable) (scope notified): called as input is consumed
 * @progress_data: user data for @progress_cb
 * @error: (nullable): optional return location for an error
 *
 * Returns: (transfer full): a zip writer, or %NULL
 **/
FuQuectelZipWriter *
fu_quectel_zip_writer_new(GOutputStream *ostream,
			  GDateTime *mtime,
			  FuQuectelZipWriterProgressFunc progress_cb,
			  gpointer progress_data,
			  GError **error)
{
	g_autoptr(FuQuectelZipWriter) self = g_new0(FuQuectelZipWriter, 1);

	self->ostream = g_object_ref(ostream);
	self->sha256 = g_checksum_new(G_CHECKSUM_SHA256);
	self->mtime = g_date_time_to_unix(mtime);
	self->progress_cb = progress_cb;
	self->progress_data = progress_data;
	self->arch = archive_write_new();
	if (self->arch == NULL) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INTERNAL,
				    "libarchive startup failed");
		return NULL;
	}
	/* no blocking and no padding: the zip ends with its end of central directory */
	if (!fu_quectel_zip_writer_check(self,
					 archive_write_set_format_zip(self->arch),
					 "format",
					 error) ||
	    !fu_quectel_zip_writer_check(self,
					 archive_write_set_bytes_per_block(self->arch, 0),
					 "block size",
					 error) ||
	    !fu_quectel_zip_writer_check(self,
					 archive_write_set_bytes_in_last_block(self->arch, 1),
					 "last block",
					 error))
		return NULL;
	/* the sizes are known, and no payload file needs Zip64 */
	if (!fu_quectel_zip_writer_check(
		self,
		archive_write_set_format_option(self->arch, "zip", "zip64", NULL),
		"zip64",
		error))
		return NULL;
	if (!fu_quectel_zip_writer_check(
		self,
		archive_write_open(self->arch, self, NULL, fu_quectel_zip_writer_write_cb, NULL),
		"open",
		error))
		return NULL;
	return g_steal_pointer(&self);
}

/* read @istream in chunks: hash, report and, with @self, archive each */
static gboolean
fu_quectel_zip_writer_pump(FuQuectelZipWriter *self,
			   GInputStream *istream,
			   guint64 size,
			   GChecksum *checksum,
			   FuQuectelZipWriterProgressFunc progress_cb,
			   gpointer progress_data,
			   guint64 *bytes_read,
			   GError **error)
{
	g_autofree guint8 *buf = g_malloc(FU_QUECTEL_ZIP_WRITER_CHUNK_SIZE);

	*bytes_read = 0;
	/* one more byte than expected shows a file that grew */
	while (*bytes_read <= size) {
		gsize got = 0;
		if (!g_input_stream_read_all(istream,
					     buf,
					     FU_QUECTEL_ZIP_WRITER_CHUNK_SIZE,
					     &got,
					     NULL,
					     error)) {
			fwupd_error_convert(error);
			return FALSE;
		}
		if (got == 0)
			break;
		if (checksum != NULL)
			g_checksum_update(checksum, buf, got);
		if (self != NULL && *bytes_read + got <= size) {
			la_ssize_t rc = archive_write_data(self->arch, buf, got);
			if (rc < 0 || (gsize)rc != got) {
				if (!fu_quectel_zip_writer_check(self,
								 ARCHIVE_FATAL,
								 "data",
								 error))
					return FALSE;
			}
		}
		*bytes_read += got;
		if (progress_cb != NULL && !progress_cb(got, progress_data)) {
			g_set_error_literal(error,
					    FWUPD_ERROR,
					    FWUPD_ERROR_INTERNAL,
					    "interrupted");
			return FALSE;
		}
		if (got < FU_QUECTEL_ZIP_WRITER_CHUNK_SIZE)
			break;
	}
	return TRUE;
}

/**
 * fu_quectel_zip_writer_read_chunks:
 * @istream: a file
 * @size: its expected size
 * @checksum: updated with every byte read
 * @progress_cb: (nullable) (scope call): called as input is consumed
 * @progress_data: user data for @progress_cb
 * @bytes_read: (out): the bytes actually read, which the caller compares with @size
 * @error: (nullable): optional return location for an error
 *
 * Hashes a file that is verified but not archived.
 *
 * Returns: %TRUE for success
 **/
gboolean
fu_quectel_zip_writer_read_chunks(GInputStream *istream,
				  guint64 size,
				  GChecksum *checksum,
				  FuQuectelZipWriterProgressFunc progress_cb,
				  gpointer progress_data,
				  guint64 *bytes_read,
				  GError **error)
{
	return fu_quectel_zip_writer_pump(NULL,
					  istream,
					  size,
					  checksum,
					  progress_cb,
					  progress_data,
					  bytes_read,
					  error);
}

/**
 * fu_quectel_zip_writer_add:
 * @self: a #FuQuectelZipWriter
 * @name: the entry name, e.g. `sbl1.mbn`
 * @istream: the file
 * @size: its size, which goes into the entry header
 * @compress: deflate the entry, rather than store it
 * @checksum: (nullable): updated with every byte of the file
 * @bytes_read: (out): the bytes actually read, which the caller compares with @size
 * @error: (nullable): optional return location for an error
 *
 * Returns: %TRUE for success
 **/
gboolean
fu_quectel_zip_writer_add(FuQuectelZipWriter *self,
			  const gchar *name,
			  GInputStream *istream,
			  guint64 size,
			  gboolean compress,
			  GChecksum *checksum,
			  guint64 *bytes_read,
			  GError **error)
{
	g_autoptr(_archive_entry_ctx) entry = archive_entry_new();

	archive_entry_set_pathname(entry, name);
	archive_entry_set_filetype(entry, AE_IFREG);
	archive_entry_set_perm(entry, FU_QUECTEL_ZIP_WRITER_FILE_MODE);
	archive_entry_set_size(entry, (la_int64_t)size);
	archive_entry_set_mtime(entry, self->mtime, 0);
	if (!fu_quectel_zip_writer_check(self,
					 compress
					     ? archive_write_zip_set_compression_deflate(self->arch)
					     : archive_write_zip_set_compression_store(self->arch),
					 "compression",
					 error))
		return FALSE;
	if (!fu_quectel_zip_writer_check(self,
					 archive_write_header(self->arch, entry),
					 "header",
					 error))
		return FALSE;
	if (!fu_quectel_zip_writer_pump(self,
					istream,
					size,
					checksum,
					self->progress_cb,
					self->progress_data,
					bytes_read,
					error))
		return FALSE;
	if (*bytes_read != size)
		return TRUE;
	return fu_quectel_zip_writer_check(self,
					   archive_write_finish_entry(self->arch),
					   "entry",
					   error);
}

/**
 * fu_quectel_zip_writer_close:
 * @self: a #FuQuectelZipWriter
 * @error: (nullable): optional return location for an error
 *
 * Writes the central directory.
 *
 * Returns: %TRUE for success
 **/
gboolean
fu_quectel_zip_writer_close(FuQuectelZipWriter *self, GError **error)
{
	if (!fu_quectel_zip_writer_check(self, archive_write_close(self->arch), "close", error))
		return FALSE;
	self->closed = TRUE;
	return TRUE;
}

/**
 * fu_quectel_zip_writer_get_sha256:
 * @self: a #FuQuectelZipWriter
 *
 * Returns: the SHA-256 of the zip, once closed
 **/
const gchar *
fu_quectel_zip_writer_get_sha256(FuQuectelZipWriter *self)
{
	g_return_val_if_fail(self->closed, NULL);
	return g_checksum_get_string(self->sha256);
}

/**
 * fu_quectel_zip_writer_get_size:
 * @self: a #FuQuectelZipWriter
 *
 * Returns: the bytes written so far
 **/
guint64
fu_quectel_zip_writer_get_size(FuQuectelZipWriter *self)
{
	return self->size;
}

/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>
#include <zlib.h>

#include "fu-quectel-zip.h"

/* the longest zip comment, which sits after the end of central directory record */
#define FU_QUECTEL_ZIP_COMMENT_LEN_MAX 0xFFFF
/* a 16-bit count or 32-bit size with all bits set means "see the Zip64 record" */
#define FU_QUECTEL_ZIP_ZIP64_U16 0xFFFF
#define FU_QUECTEL_ZIP_ZIP64_U32 0xFFFFFFFF
/* general purpose flag bit 0 */
#define FU_QUECTEL_ZIP_FLAG_ENCRYPTED 0x0001
/* the longest entry name */
#define FU_QUECTEL_ZIP_NAME_LEN_MAX 255
/* how much of a deflated entry is read at a time */
#define FU_QUECTEL_ZIP_INFLATE_CHUNK_SIZE 0x10000

void
fu_quectel_zip_entry_free(FuQuectelZipEntry *self)
{
	g_free(self->name);
	g_free(self->basename);
	g_free(self);
}

/* the end of central directory record: the last one in the file, followed only by its comment */
static FuStructQuectelZipEocd *
fu_quectel_zip_find_eocd(GInputStream *stream, gsize streamsz, gsize *offset, GError **error)
{
	gsize tailsz =
	    MIN(streamsz, FU_STRUCT_QUECTEL_ZIP_EOCD_SIZE + FU_QUECTEL_ZIP_COMMENT_LEN_MAX);
	g_autoptr(GBytes) tail = NULL;

	if (streamsz < FU_STRUCT_QUECTEL_ZIP_EOCD_SIZE) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "0x%x bytes is too small for a zip file",
			    (guint)streamsz);
		return NULL;
	}
	tail = fu_input_stream_read_bytes(stream, streamsz - tailsz, tailsz, NULL, error);
	if (tail == NULL)
		return NULL;
	for (gsize i = 0; i <= tailsz - FU_STRUCT_QUECTEL_ZIP_EOCD_SIZE; i++) {
		gsize pos = tailsz - FU_STRUCT_QUECTEL_ZIP_EOCD_SIZE - i;
		g_autoptr(FuStructQuectelZipEocd) st = NULL;
		if (!fu_struct_quectel_zip_eocd_validate_bytes(tail, pos, NULL))
			continue;
		st = fu_struct_quectel_zip_eocd_parse_bytes(tail, pos, error);
		if (st == NULL)
			return NULL;
		if (pos + FU_STRUCT_QUECTEL_ZIP_EOCD_SIZE +
			fu_struct_quectel_zip_eocd_get_comment_len(st) !=
		    tailsz)
			continue;
		*offset = streamsz - tailsz + pos;
		return g_steal_pointer(&st);
	}
	g_set_error_literal(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "not a zip file: no end of central directory record at the end");
	return NULL;
}

/* a relative path of printable ASCII without '..', '\' or ':' */
static gchar *
fu_quectel_zip_parse_name(GInputStream *stream, gsize offset, gsize len, GError **error)
{
	g_autofree gchar *name = NULL;
	g_autoptr(GBytes) blob = NULL;
	g_auto(GStrv) split = NULL;

	if (len == 0 || len > FU_QUECTEL_ZIP_NAME_LEN_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "entry name of 0x%x bytes, expected 1 to 0x%x",
			    (guint)len,
			    (guint)FU_QUECTEL_ZIP_NAME_LEN_MAX);
		return NULL;
	}
	blob = fu_input_stream_read_bytes(stream, offset, len, NULL, error);
	if (blob == NULL)
		return NULL;
	name = g_strndup(g_bytes_get_data(blob, NULL), len);
	if (strlen(name) != len) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "entry name contains a NUL byte");
		return NULL;
	}
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isprint(name[i]) || name[i] == '\\' || name[i] == ':') {
			g_autofree gchar *name_safe = g_strescape(name, NULL);
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "entry name '%s' has byte 0x%02x, expected printable ASCII "
				    "without '\\' or ':'",
				    name_safe,
				    (guint8)name[i]);
			return NULL;
		}
	}
	if (name[0] == '/') {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "entry name '%s' is an absolute path",
			    name);
		return NULL;
	}
	split = g_strsplit(name, "/", -1);
	for (guint i = 0; split[i] != NULL; i++) {
		if (g_strcmp0(split[i], "..") == 0 || g_strcmp0(split[i], ".") == 0) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "entry name '%s' contains '%s'",
				    name,
				    split[i]);
			return NULL;
		}
	}
	return g_steal_pointer(&name);
}

/* the local header must agree with the central directory; it gives the data offset */
static gboolean
fu_quectel_zip_parse_local(FuQuectelZipEntry *entry, GInputStream *stream, GError **error)
{
	g_autofree gchar *name = NULL;
	g_autoptr(FuStructQuectelZipLocal) st = NULL;

	st = fu_struct_quectel_zip_local_parse_stream(stream, entry->offset_local, error);
	if (st == NULL) {
		g_prefix_error(error, "local header at 0x%x: ", (guint)entry->offset_local);
		return FALSE;
	}
	if (fu_struct_quectel_zip_local_get_method(st) != entry->method) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "local header method %u differs from the central directory's %u",
			    fu_struct_quectel_zip_local_get_method(st),
			    (guint)entry->method);
		return FALSE;
	}
	name = fu_quectel_zip_parse_name(stream,
					 entry->offset_local + FU_STRUCT_QUECTEL_ZIP_LOCAL_SIZE,
					 fu_struct_quectel_zip_local_get_name_len(st),
					 error);
	if (name == NULL)
		return FALSE;
	if (g_strcmp0(name, entry->name) != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "local header names %s",
			    name);
		return FALSE;
	}
	entry->offset_data = entry->offset_local + FU_STRUCT_QUECTEL_ZIP_LOCAL_SIZE +
			     fu_struct_quectel_zip_local_get_name_len(st) +
			     fu_struct_quectel_zip_local_get_extra_len(st);
	return TRUE;
}

static gboolean
fu_quectel_zip_parse_entry_sizes(FuQuectelZipEntry *entry,
				 FuStructQuectelZipCdEntry *st,
				 GError **error)
{
	guint16 flags = fu_struct_quectel_zip_cd_entry_get_flags(st);

	if (flags & FU_QUECTEL_ZIP_FLAG_ENCRYPTED) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_NOT_SUPPORTED,
				    "encrypted entries are not supported");
		return FALSE;
	}
	if (fu_struct_quectel_zip_cd_entry_get_disk(st) != 0 ||
	    fu_struct_quectel_zip_cd_entry_get_size(st) == FU_QUECTEL_ZIP_ZIP64_U32 ||
	    fu_struct_quectel_zip_cd_entry_get_size_compressed(st) == FU_QUECTEL_ZIP_ZIP64_U32 ||
	    fu_struct_quectel_zip_cd_entry_get_offset_local(st) == FU_QUECTEL_ZIP_ZIP64_U32) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_NOT_SUPPORTED,
				    "Zip64 and multi-disk entries are not supported");
		return FALSE;
	}
	entry->method = fu_struct_quectel_zip_cd_entry_get_method(st);
	entry->crc = fu_struct_quectel_zip_cd_entry_get_crc(st);
	entry->size = fu_struct_quectel_zip_cd_entry_get_size(st);
	entry->size_compressed = fu_struct_quectel_zip_cd_entry_get_size_compressed(st);
	entry->offset_local = fu_struct_quectel_zip_cd_entry_get_offset_local(st);
	if (entry->method != FU_QUECTEL_ZIP_METHOD_STORE &&
	    entry->method != FU_QUECTEL_ZIP_METHOD_DEFLATE) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "compression method %u is not supported, expected stored or deflated",
			    (guint)entry->method);
		return FALSE;
	}
	if (entry->method == FU_QUECTEL_ZIP_METHOD_STORE && entry->size != entry->size_compressed) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "stored entry of 0x%x bytes has 0x%x bytes of data",
			    (guint)entry->size,
			    (guint)entry->size_compressed);
		return FALSE;
	}
	if (entry->size > FU_QUECTEL_ZIP_ENTRY_SIZE_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "entry of 0x%x bytes, the limit is 0x%x",
			    (guint)entry->size,
			    (guint)FU_QUECTEL_ZIP_ENTRY_SIZE_MAX);
		return FALSE;
	}
	return TRUE;
}

/* one central directory entry at @offset, which moves past it; %NULL for a directory */
static FuQuectelZipEntry *
fu_quectel_zip_parse_entry(GInputStream *stream,
			   gsize *offset,
			   gsize cd_end,
			   gboolean *is_dir,
			   GError **error)
{
	gsize name_len;
	g_autoptr(FuStructQuectelZipCdEntry) st = NULL;
	g_autoptr(FuQuectelZipEntry) entry = g_new0(FuQuectelZipEntry, 1);

	st = fu_struct_quectel_zip_cd_entry_parse_stream(stream, *offset, error);
	if (st == NULL)
		return NULL;
	name_len = fu_struct_quectel_zip_cd_entry_get_name_len(st);
	entry->name = fu_quectel_zip_parse_name(stream,
						*offset + FU_STRUCT_QUECTEL_ZIP_CD_ENTRY_SIZE,
						name_len,
						error);
	if (entry->name == NULL)
		return NULL;
	*offset += FU_STRUCT_QUECTEL_ZIP_CD_ENTRY_SIZE + name_len +
		   fu_struct_quectel_zip_cd_entry_get_extra_len(st) +
		   fu_struct_quectel_zip_cd_entry_get_comment_len(st);
	if (*offset > cd_end) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: entry runs past the central directory",
			    entry->name);
		return NULL;
	}
	if (!fu_quectel_zip_parse_entry_sizes(entry, st, error)) {
		g_prefix_error(error, "%s: ", entry->name);
		return NULL;
	}
	*is_dir = g_str_has_suffix(entry->name, "/");
	if (*is_dir) {
		if (entry->size != 0) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "%s: directory with data",
				    entry->name);
			return NULL;
		}
		return g_steal_pointer(&entry);
	}
	entry->basename = g_path_get_basename(entry->name);
	if (!fu_quectel_zip_parse_local(entry, stream, error)) {
		g_prefix_error(error, "%s: ", entry->name);
		return NULL;
	}
	return g_steal_pointer(&entry);
}

static gint
fu_quectel_zip_entry_sort_cb(gconstpointer a, gconstpointer b)
{
	const FuQuectelZipEntry *entry1 = *((FuQuectelZipEntry **)a);
	const FuQuectelZipEntry *entry2 = *((FuQuectelZipEntry **)b);
	if (entry1->offset_local < entry2->offset_local)
		return -1;
	if (entry1->offset_local > entry2->offset_local)
		return 1;
	return 0;
}

/* the entries must not share bytes, nor reach into the central directory */
static gboolean
fu_quectel_zip_check_layout(GPtrArray *entries, gsize cd_offset, GError **error)
{
	g_autoptr(GPtrArray) sorted = g_ptr_array_new();

	/* not g_ptr_array_copy(), which would also copy the free function */
	for (guint i = 0; i < entries->len; i++)
		g_ptr_array_add(sorted, g_ptr_array_index(entries, i));
	g_ptr_array_sort(sorted, fu_quectel_zip_entry_sort_cb);
	for (guint i = 0; i < sorted->len; i++) {
		FuQuectelZipEntry *entry = g_ptr_array_index(sorted, i);
		guint64 end = entry->offset_data + entry->size_compressed;
		guint64 limit = cd_offset;
		const gchar *next = "the central directory";
		if (i + 1 < sorted->len) {
			FuQuectelZipEntry *entry_next = g_ptr_array_index(sorted, i + 1);
			limit = entry_next->offset_local;
			next = entry_next->name;
		}
		if (end > limit) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "%s: data at 0x%x-0x%x overlaps %s at 0x%x",
				    entry->name,
				    (guint)entry->offset_local,
				    (guint)end,
				    next,
				    (guint)limit);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
fu_quectel_zip_check_duplicates(GPtrArray *entries, GError **error)
{
	g_autoptr(GHashTable) names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	for (guint i = 0; i < entries->len; i++) {
		FuQuectelZipEntry *entry = g_ptr_array_index(entries, i);
		g_autofree gchar *key = g_ascii_strdown(entry->basename, -1);
		const gchar *name_old = g_hash_table_lookup(names, key);
		if (name_old != NULL) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "%s: duplicate basename: %s has the same basename",
				    entry->name,
				    name_old);
			return FALSE;
		}
		g_hash_table_insert(names, g_steal_pointer(&key), entry->name);
	}
	return TRUE;
}

/**
 * fu_quectel_zip_parse:
 * @stream: a seekable zip file
 * @error: (nullable): optional return location for an error
 *
 * Reads the central directory of a zip file. Directory entries are dropped; every other
 * entry is checked against its local header, against the other entries and against the
 * limits above.
 *
 * Returns: (transfer container) (element-type FuQuectelZipEntry): the files, in central
 * directory order, or %NULL on error
 **/
GPtrArray *
fu_quectel_zip_parse(GInputStream *stream, GError **error)
{
	gsize streamsz = 0;
	gsize eocd_offset = 0;
	gsize cd_offset;
	gsize cd_end;
	gsize offset;
	guint nr_entries;
	g_autoptr(FuStructQuectelZipEocd) st = NULL;
	g_autoptr(GPtrArray) entries =
	    g_ptr_array_new_with_free_func((GDestroyNotify)fu_quectel_zip_entry_free);

	if (!fu_input_stream_size(stream, &streamsz, error))
		return NULL;
	st = fu_quectel_zip_find_eocd(stream, streamsz, &eocd_offset, error);
	if (st == NULL)
		return NULL;
	nr_entries = fu_struct_quectel_zip_eocd_get_entries(st);
	cd_offset = fu_struct_quectel_zip_eocd_get_cd_offset(st);
	cd_end = cd_offset + fu_struct_quectel_zip_eocd_get_cd_size(st);
	if (fu_struct_quectel_zip_eocd_get_disk(st) != 0 ||
	    fu_struct_quectel_zip_eocd_get_disk_cd(st) != 0 ||
	    fu_struct_quectel_zip_eocd_get_entries_disk(st) != nr_entries) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_NOT_SUPPORTED,
				    "multi-disk zip files are not supported");
		return NULL;
	}
	if (nr_entries == FU_QUECTEL_ZIP_ZIP64_U16 ||
	    fu_struct_quectel_zip_eocd_get_cd_offset(st) == FU_QUECTEL_ZIP_ZIP64_U32 ||
	    fu_struct_quectel_zip_eocd_get_cd_size(st) == FU_QUECTEL_ZIP_ZIP64_U32) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_NOT_SUPPORTED,
				    "Zip64 files are not supported");
		return NULL;
	}
	if (nr_entries == 0 || nr_entries > FU_QUECTEL_ZIP_ENTRIES_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%u entries, expected 1 to %u",
			    nr_entries,
			    (guint)FU_QUECTEL_ZIP_ENTRIES_MAX);
		return NULL;
	}
	if (cd_end != eocd_offset) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "central directory at 0x%x-0x%x does not end at the end of central "
			    "directory record at 0x%x",
			    (guint)cd_offset,
			    (guint)cd_end,
			    (guint)eocd_offset);
		return NULL;
	}

	offset = cd_offset;
	for (guint i = 0; i < nr_entries; i++) {
		gboolean is_dir = FALSE;
		g_autoptr(FuQuectelZipEntry) entry =
		    fu_quectel_zip_parse_entry(stream, &offset, cd_end, &is_dir, error);
		if (entry == NULL) {
			g_prefix_error(error, "central directory entry #%u: ", i);
			return NULL;
		}
		if (!is_dir)
			g_ptr_array_add(entries, g_steal_pointer(&entry));
	}
	if (offset != cd_end) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "central directory has 0x%x unused bytes",
			    (guint)(cd_end - offset));
		return NULL;
	}
	if (entries->len == 0) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "zip file holds no files");
		return NULL;
	}
	if (!fu_quectel_zip_check_layout(entries, cd_offset, error))
		return NULL;
	if (!fu_quectel_zip_check_duplicates(entries, error))
		return NULL;
	return g_steal_pointer(&entries);
}

static GBytes *
fu_quectel_zip_entry_inflate(const FuQuectelZipEntry *self, GInputStream *stream, GError **error)
{
	gsize total = 0;
	g_autoptr(GByteArray) buf = g_byte_array_new();
	g_autoptr(GConverter) converter =
	    G_CONVERTER(g_zlib_decompressor_new(G_ZLIB_COMPRESSOR_FORMAT_RAW));
	g_autoptr(GInputStream) istream = NULL;

	/* a partial stream shares the position of the payload stream */
	if (!g_seekable_seek(G_SEEKABLE(stream), 0, G_SEEK_SET, NULL, error)) {
		fwupd_error_convert(error);
		return NULL;
	}
	istream = g_converter_input_stream_new(stream, converter);
	/* one byte more than expected shows a lying size */
	while (total <= self->size) {
		gsize want = MIN(FU_QUECTEL_ZIP_INFLATE_CHUNK_SIZE, self->size + 1 - total);
		gssize rc;
		fu_byte_array_set_size(buf, total + want, 0x0);
		rc = g_input_stream_read(istream, buf->data + total, want, NULL, error);
		if (rc < 0) {
			fwupd_error_convert(error);
			g_prefix_error_literal(error, "failed to inflate: ");
			return NULL;
		}
		if (rc == 0)
			break;
		total += (gsize)rc;
	}
	if (total != self->size) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "inflates to 0x%x bytes or more, expected 0x%x",
			    (guint)total,
			    (guint)self->size);
		return NULL;
	}
	g_byte_array_set_size(buf, total);
	return g_byte_array_free_to_bytes(g_steal_pointer(&buf)); /* nocheck:blocked */
}

static gboolean
fu_quectel_zip_entry_crc_cb(const guint8 *buf, gsize bufsz, gpointer user_data, GError **error)
{
	guint32 *crc = (guint32 *)user_data;
	*crc = crc32(*crc, buf, bufsz);
	return TRUE;
}

/**
 * fu_quectel_zip_entry_open:
 * @self: a #FuQuectelZipEntry from fu_quectel_zip_parse()
 * @stream: the zip file it came from
 * @verify_crc: whether to check the CRC-32 of the data, which reads all of it
 * @error: (nullable): optional return location for an error
 *
 * A stored entry is a window on @stream and costs no memory; a deflated one is inflated to
 * memory.
 *
 * Returns: (transfer full): the uncompressed data, or %NULL on error
 **/
GInputStream *
fu_quectel_zip_entry_open(const FuQuectelZipEntry *self,
			  GInputStream *stream,
			  gboolean verify_crc,
			  GError **error)
{
	guint32 crc = 0;
	g_autoptr(GInputStream) partial = NULL;
	g_autoptr(GInputStream) result = NULL;

	partial =
	    fu_partial_input_stream_new(stream, self->offset_data, self->size_compressed, error);
	if (partial == NULL) {
		g_prefix_error(error, "%s: ", self->name);
		return NULL;
	}
	if (self->method == FU_QUECTEL_ZIP_METHOD_STORE) {
		result = g_object_ref(partial);
	} else {
		g_autoptr(GBytes) blob = fu_quectel_zip_entry_inflate(self, partial, error);
		if (blob == NULL) {
			g_prefix_error(error, "%s: ", self->name);
			return NULL;
		}
		result = g_memory_input_stream_new_from_bytes(blob);
	}
	if (!verify_crc)
		return g_steal_pointer(&result);
	/* zlib's table-driven CRC-32, the one zip files use */
	if (!fu_input_stream_chunkify(result, fu_quectel_zip_entry_crc_cb, &crc, error)) {
		g_prefix_error(error, "%s: ", self->name);
		return NULL;
	}
	if (crc != self->crc) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: CRC-32 is 0x%08x, expected 0x%08x",
			    self->name,
			    crc,
			    self->crc);
		return NULL;
	}
	if (!g_seekable_seek(G_SEEKABLE(result), 0, G_SEEK_SET, NULL, error)) {
		fwupd_error_convert(error);
		return NULL;
	}
	return g_steal_pointer(&result);
}

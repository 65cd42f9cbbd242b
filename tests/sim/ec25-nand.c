/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* fallocate() */
#endif

#include "ec25-nand.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define EC25_NAND_IMG_FILE	      "nand.img"
#define EC25_NAND_MAP_FILE	      "nand.map"
#define EC25_NAND_INI_FILE	      "nand.ini"
#define EC25_NAND_INI_GROUP	      "nand"
#define EC25_NAND_ZERO_CHUNK	      (1024 * 1024)
#define EC25_NAND_FILE_MODE	      0644
#define EC25_NAND_BITS_PER_BYTE	      8
#define EC25_NAND_CALIBRATION	      "CALIBRATION-%s-"
#define EC25_NAND_MIN_PAGE_SIZE	      1024 /* the MIBIB table must fit one page */
#define EC25_NAND_MAX_PAGE_SIZE	      65536
#define EC25_NAND_MAX_PAGES_PER_BLOCK 1024
#define EC25_NAND_MAX_BLOCKS	      65536

struct _Ec25Nand {
	Ec25NandGeometry geo;
	guint64 n_pages;
	gchar *model;
	gchar *imei;
	GArray *layout; /* of Ec25MibibEntry: the factory partitions */
	gboolean factory;
	gchar *efs2_sha256;
	guint8 *map; /* one bit per page, set = erased */
	gsize map_size;
	gint img_fd; /* -1: the pages are in memory */
	gint map_fd;
	gchar *ini_fn;
	GHashTable *pages; /* in memory: page number (gint64) -> page bytes */
};

void
ec25_nand_geometry_from_module(Ec25Module *module, Ec25NandGeometry *geometry)
{
	geometry->page_size = module->page_size;
	if (geometry->page_size == 0) {
		geometry->page_size = g_strcmp0(module->model, "EG25") == 0
					  ? EC25_NAND_DEFAULT_PAGE_SIZE_EG25
					  : EC25_NAND_DEFAULT_PAGE_SIZE_EC25;
	}
	geometry->pages_per_block = module->pages_per_block != 0
					? module->pages_per_block
					: EC25_NAND_DEFAULT_PAGES_PER_BLOCK;
	geometry->blocks = module->blocks != 0 ? module->blocks : EC25_NAND_DEFAULT_BLOCKS;
}

static guint64
ec25_nand_page_offset(Ec25Nand *self, guint64 page)
{
	return page * self->geo.page_size;
}

static gboolean
ec25_nand_set_errno_error(GError **error, gint errsv, const gchar *what)
{
	g_set_error(error,
		    G_IO_ERROR,
		    g_io_error_from_errno(errsv),
		    "NAND %s failed: %s",
		    what,
		    g_strerror(errsv));
	return FALSE;
}

static gboolean
ec25_nand_pwrite_all(gint fd, const guint8 *buf, gsize bufsz, guint64 offset, GError **error)
{
	while (bufsz > 0) {
		gssize rc = pwrite(fd, buf, bufsz, (off_t)offset);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			return ec25_nand_set_errno_error(error, rc < 0 ? errno : EIO, "write");
		buf += rc;
		bufsz -= rc;
		offset += rc;
	}
	return TRUE;
}

/* short reads past the end of the file read as zeros */
static gboolean
ec25_nand_pread_all(gint fd, guint8 *buf, gsize bufsz, guint64 offset, GError **error)
{
	while (bufsz > 0) {
		gssize rc = pread(fd, buf, bufsz, (off_t)offset);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			return ec25_nand_set_errno_error(error, errno, "read");
		if (rc == 0) {
			memset(buf, 0, bufsz);
			return TRUE;
		}
		buf += rc;
		bufsz -= rc;
		offset += rc;
	}
	return TRUE;
}

/* --- page store: nand.img or memory ---------------------------------------------------- */

static gboolean
ec25_nand_store_write(Ec25Nand *self, guint64 page, const guint8 *data, GError **error)
{
	if (self->img_fd >= 0) {
		return ec25_nand_pwrite_all(self->img_fd,
					    data,
					    self->geo.page_size,
					    ec25_nand_page_offset(self, page),
					    error);
	}
	g_hash_table_insert(self->pages,
			    g_memdup2(&page, sizeof(page)),
			    g_memdup2(data, self->geo.page_size));
	return TRUE;
}

static gboolean
ec25_nand_store_read(Ec25Nand *self, guint64 page, guint8 *buf, GError **error)
{
	const guint8 *data;
	gint64 key = (gint64)page;

	if (self->img_fd >= 0) {
		return ec25_nand_pread_all(self->img_fd,
					   buf,
					   self->geo.page_size,
					   ec25_nand_page_offset(self, page),
					   error);
	}
	data = g_hash_table_lookup(self->pages, &key);
	if (data != NULL)
		memcpy(buf, data, self->geo.page_size);
	else
		memset(buf, 0, self->geo.page_size);
	return TRUE;
}

static gboolean
ec25_nand_store_zero(Ec25Nand *self, guint64 offset, guint64 length, GError **error)
{
	g_autofree guint8 *zeros = g_malloc0(EC25_NAND_ZERO_CHUNK);
	while (length > 0) {
		gsize chunk = MIN(length, EC25_NAND_ZERO_CHUNK);
		if (!ec25_nand_pwrite_all(self->img_fd, zeros, chunk, offset, error))
			return FALSE;
		offset += chunk;
		length -= chunk;
	}
	return TRUE;
}

/* erased pages keep no data: punch a hole so that nand.img stays sparse */
static gboolean
ec25_nand_store_discard(Ec25Nand *self, guint64 first_page, guint64 n_pages, GError **error)
{
	guint64 offset = ec25_nand_page_offset(self, first_page);
	guint64 length = n_pages * self->geo.page_size;

	if (self->img_fd < 0) {
		for (guint64 page = first_page; page < first_page + n_pages; page++) {
			gint64 key = (gint64)page;
			g_hash_table_remove(self->pages, &key);
		}
		return TRUE;
	}
	if (fallocate(self->img_fd,
		      FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		      (off_t)offset,
		      (off_t)length) == 0)
		return TRUE;
	return ec25_nand_store_zero(self, offset, length, error);
}

/* --- the erased-page map ----------------------------------------------------------------- */

gboolean
ec25_nand_is_erased(Ec25Nand *self, guint64 page)
{
	if (page >= self->n_pages)
		return FALSE;
	return (self->map[page / EC25_NAND_BITS_PER_BYTE] >> (page % EC25_NAND_BITS_PER_BYTE)) & 1;
}

static void
ec25_nand_map_set(Ec25Nand *self, guint64 page, gboolean erased)
{
	guint8 bit = 1u << (page % EC25_NAND_BITS_PER_BYTE);
	if (erased)
		self->map[page / EC25_NAND_BITS_PER_BYTE] |= bit;
	else
		self->map[page / EC25_NAND_BITS_PER_BYTE] &= ~bit;
}

/* write-through, so that nand.map always matches nand.img */
static gboolean
ec25_nand_map_flush(Ec25Nand *self, guint64 first_page, guint64 n_pages, GError **error)
{
	gsize first;
	gsize last;

	if (self->map_fd < 0 || n_pages == 0)
		return TRUE;
	first = first_page / EC25_NAND_BITS_PER_BYTE;
	last = (first_page + n_pages - 1) / EC25_NAND_BITS_PER_BYTE;
	return ec25_nand_pwrite_all(self->map_fd,
				    self->map + first,
				    last - first + 1,
				    first,
				    error);
}

/* --- nand.ini ---------------------------------------------------------------------------- */

static gboolean
ec25_nand_save_ini(Ec25Nand *self, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();

	if (self->ini_fn == NULL)
		return TRUE;
	g_key_file_set_string(kf, EC25_NAND_INI_GROUP, "model", self->model);
	g_key_file_set_integer(kf, EC25_NAND_INI_GROUP, "page_size", self->geo.page_size);
	g_key_file_set_integer(kf,
			       EC25_NAND_INI_GROUP,
			       "pages_per_block",
			       self->geo.pages_per_block);
	g_key_file_set_integer(kf, EC25_NAND_INI_GROUP, "blocks", self->geo.blocks);
	g_key_file_set_boolean(kf, EC25_NAND_INI_GROUP, "factory", self->factory);
	g_key_file_set_string(kf, EC25_NAND_INI_GROUP, "efs2_sha256", self->efs2_sha256);
	return g_key_file_save_to_file(kf, self->ini_fn, error);
}

static gboolean
ec25_nand_ini_check_uint(GKeyFile *kf, const gchar *key, guint expected, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	guint64 value = g_key_file_get_uint64(kf, EC25_NAND_INI_GROUP, key, &error_local);

	if (error_local != NULL) {
		g_propagate_prefixed_error(error, g_steal_pointer(&error_local), "nand.ini: ");
		return FALSE;
	}
	if (value != expected) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_DATA,
			    "the state folder holds a NAND with %s %" G_GUINT64_FORMAT
			    ", but the module has %u",
			    key,
			    value,
			    expected);
		return FALSE;
	}
	return TRUE;
}

static gboolean
ec25_nand_load_ini(Ec25Nand *self, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autofree gchar *model = NULL;

	if (!g_key_file_load_from_file(kf, self->ini_fn, G_KEY_FILE_NONE, error))
		return FALSE;
	model = g_key_file_get_string(kf, EC25_NAND_INI_GROUP, "model", error);
	if (model == NULL)
		return FALSE;
	if (g_strcmp0(model, self->model) != 0) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_DATA,
			    "the state folder holds the NAND of an %s, not of an %s",
			    model,
			    self->model);
		return FALSE;
	}
	if (!ec25_nand_ini_check_uint(kf, "page_size", self->geo.page_size, error) ||
	    !ec25_nand_ini_check_uint(kf, "pages_per_block", self->geo.pages_per_block, error) ||
	    !ec25_nand_ini_check_uint(kf, "blocks", self->geo.blocks, error))
		return FALSE;
	self->factory = g_key_file_get_boolean(kf, EC25_NAND_INI_GROUP, "factory", NULL);
	self->efs2_sha256 = g_key_file_get_string(kf, EC25_NAND_INI_GROUP, "efs2_sha256", NULL);
	return TRUE;
}

/* --- factory contents -------------------------------------------------------------------- */

static gboolean
ec25_nand_write_factory_mibib(Ec25Nand *self, GError **error)
{
	const Ec25MibibEntry *mibib = ec25_nand_get_factory_partition(self, EC25_MIBIB_NAME_MIBIB);
	guint64 first = (guint64)mibib->start_block * self->geo.pages_per_block;
	g_autoptr(GByteArray) buf = ec25_mibib_build(self->layout, self->geo.page_size, error);

	if (buf == NULL)
		return FALSE;
	for (guint i = 0; i < EC25_MIBIB_PAGES; i++) {
		if (!ec25_nand_store_write(self,
					   first + i,
					   buf->data + (gsize)i * self->geo.page_size,
					   error))
			return FALSE;
	}
	return TRUE;
}

/* "CALIBRATION-<IMEI>-" repeated over the whole partition, as if the factory had written it:
 * page @index of the partition starts at pattern offset index × page_size */
static void
ec25_nand_factory_efs2_page(Ec25Nand *self, const GString *pattern, guint64 index, guint8 *page)
{
	gsize phase = (index * self->geo.page_size) % pattern->len;

	for (gsize done = 0; done < self->geo.page_size;) {
		gsize chunk = MIN(pattern->len - phase, self->geo.page_size - done);
		memcpy(page + done, pattern->str + phase, chunk);
		done += chunk;
		phase = 0;
	}
}

static GString *
ec25_nand_factory_efs2_pattern(Ec25Nand *self)
{
	GString *pattern = g_string_new(NULL);
	g_string_printf(pattern, EC25_NAND_CALIBRATION, self->imei);
	return pattern;
}

static guint64
ec25_nand_factory_efs2_pages(Ec25Nand *self, guint64 *first)
{
	const Ec25MibibEntry *efs2 = ec25_nand_get_factory_partition(self, EC25_MIBIB_NAME_EFS2);

	if (first != NULL)
		*first = (guint64)efs2->start_block * self->geo.pages_per_block;
	return (guint64)efs2->num_blocks * self->geo.pages_per_block;
}

static gboolean
ec25_nand_write_factory_efs2(Ec25Nand *self, GChecksum *checksum, GError **error)
{
	guint64 first = 0;
	guint64 n_pages = ec25_nand_factory_efs2_pages(self, &first);
	g_autoptr(GString) pattern = ec25_nand_factory_efs2_pattern(self);
	g_autofree guint8 *page = g_malloc(self->geo.page_size);

	for (guint64 i = 0; i < n_pages; i++) {
		ec25_nand_factory_efs2_page(self, pattern, i, page);
		if (checksum != NULL)
			g_checksum_update(checksum, page, self->geo.page_size);
		if (!ec25_nand_store_write(self, first + i, page, error))
			return FALSE;
	}
	return TRUE;
}

static gchar *
ec25_nand_factory_efs2_checksum(Ec25Nand *self)
{
	g_autoptr(GChecksum) checksum = g_checksum_new(G_CHECKSUM_SHA256);
	g_autoptr(GString) pattern = ec25_nand_factory_efs2_pattern(self);
	g_autofree guint8 *page = g_malloc(self->geo.page_size);
	guint64 n_pages = ec25_nand_factory_efs2_pages(self, NULL);

	for (guint64 i = 0; i < n_pages; i++) {
		ec25_nand_factory_efs2_page(self, pattern, i, page);
		g_checksum_update(checksum, page, self->geo.page_size);
	}
	return g_strdup(g_checksum_get_string(checksum));
}

/* in memory the checksum of the factory EFS2 is computed when it is asked for */
static gboolean
ec25_nand_create_factory(Ec25Nand *self, GError **error)
{
	g_autoptr(GChecksum) checksum = NULL;

	self->factory = TRUE;
	memset(self->map, 0, self->map_size);
	if (!ec25_nand_write_factory_mibib(self, error))
		return FALSE;
	if (self->ini_fn != NULL)
		checksum = g_checksum_new(G_CHECKSUM_SHA256);
	if (!ec25_nand_write_factory_efs2(self, checksum, error))
		return FALSE;
	if (checksum != NULL)
		self->efs2_sha256 = g_strdup(g_checksum_get_string(checksum));
	if (!ec25_nand_map_flush(self, 0, self->n_pages, error))
		return FALSE;
	return ec25_nand_save_ini(self, error);
}

/* --- open -------------------------------------------------------------------------------- */

static gint
ec25_nand_open_file(const gchar *fn, gboolean create, guint64 size, GError **error)
{
	gint flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT | O_TRUNC : 0);
	gint fd = open(fn, flags, EC25_NAND_FILE_MODE);
	struct stat st;

	if (fd < 0) {
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(errno),
			    "cannot open %s: %s",
			    fn,
			    g_strerror(errno));
		return -1;
	}
	if (create && ftruncate(fd, (off_t)size) != 0) {
		ec25_nand_set_errno_error(error, errno, "resize");
		close(fd);
		return -1;
	}
	if (fstat(fd, &st) != 0 || (guint64)st.st_size != size) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_DATA,
			    "%s is not %" G_GUINT64_FORMAT " bytes long",
			    fn,
			    size);
		close(fd);
		return -1;
	}
	return fd;
}

static gboolean
ec25_nand_open_files(Ec25Nand *self, Ec25Module *module, GError **error)
{
	g_autofree gchar *img_fn = g_build_filename(module->state_dir, EC25_NAND_IMG_FILE, NULL);
	g_autofree gchar *map_fn = g_build_filename(module->state_dir, EC25_NAND_MAP_FILE, NULL);
	gboolean create;

	self->ini_fn = g_build_filename(module->state_dir, EC25_NAND_INI_FILE, NULL);
	create = !g_file_test(self->ini_fn, G_FILE_TEST_EXISTS);
	if (!create && !ec25_nand_load_ini(self, error))
		return FALSE;
	self->img_fd =
	    ec25_nand_open_file(img_fn, create, self->n_pages * self->geo.page_size, error);
	if (self->img_fd < 0)
		return FALSE;
	self->map_fd = ec25_nand_open_file(map_fn, create, self->map_size, error);
	if (self->map_fd < 0)
		return FALSE;
	if (create)
		return ec25_nand_create_factory(self, error);
	return ec25_nand_pread_all(self->map_fd, self->map, self->map_size, 0, error);
}

static gboolean
ec25_nand_check_geometry(const Ec25NandGeometry *geo, GError **error)
{
	if (geo->page_size < EC25_NAND_MIN_PAGE_SIZE || geo->page_size > EC25_NAND_MAX_PAGE_SIZE ||
	    (geo->page_size & (geo->page_size - 1)) != 0 || geo->pages_per_block == 0 ||
	    geo->pages_per_block > EC25_NAND_MAX_PAGES_PER_BLOCK || geo->blocks == 0 ||
	    geo->blocks > EC25_NAND_MAX_BLOCKS) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    "invalid NAND geometry: %u-byte pages, %u pages a block, %u blocks",
			    geo->page_size,
			    geo->pages_per_block,
			    geo->blocks);
		return FALSE;
	}
	return TRUE;
}

Ec25Nand *
ec25_nand_open(Ec25Module *module, GError **error)
{
	g_autoptr(Ec25Nand) self = g_new0(Ec25Nand, 1);

	self->img_fd = -1;
	self->map_fd = -1;
	self->model = g_strdup(module->model);
	self->imei = g_strdup(module->imei != NULL ? module->imei : "");
	ec25_nand_geometry_from_module(module, &self->geo);
	if (!ec25_nand_check_geometry(&self->geo, error))
		return NULL;
	self->n_pages = (guint64)self->geo.blocks * self->geo.pages_per_block;
	self->map_size = (self->n_pages + EC25_NAND_BITS_PER_BYTE - 1) / EC25_NAND_BITS_PER_BYTE;
	self->map = g_malloc0(self->map_size);
	self->layout =
	    ec25_mibib_factory_layout(module->model, self->geo.blocks, module->layout_shift, error);
	if (self->layout == NULL)
		return NULL;
	if (module->state_dir == NULL) {
		self->pages = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
		if (!ec25_nand_create_factory(self, error))
			return NULL;
		return g_steal_pointer(&self);
	}
	if (!ec25_nand_open_files(self, module, error))
		return NULL;
	return g_steal_pointer(&self);
}

void
ec25_nand_free(Ec25Nand *self)
{
	if (self->img_fd >= 0)
		close(self->img_fd);
	if (self->map_fd >= 0)
		close(self->map_fd);
	if (self->pages != NULL)
		g_hash_table_unref(self->pages);
	if (self->layout != NULL)
		g_array_unref(self->layout);
	g_free(self->map);
	g_free(self->model);
	g_free(self->imei);
	g_free(self->efs2_sha256);
	g_free(self->ini_fn);
	g_free(self);
}

/* --- accessors and operations ------------------------------------------------------------ */

const Ec25NandGeometry *
ec25_nand_get_geometry(Ec25Nand *self)
{
	return &self->geo;
}

guint64
ec25_nand_get_pages(Ec25Nand *self)
{
	return self->n_pages;
}

gboolean
ec25_nand_is_factory(Ec25Nand *self)
{
	return self->factory;
}

const Ec25MibibEntry *
ec25_nand_get_factory_partition(Ec25Nand *self, const gchar *name)
{
	return ec25_mibib_find(self->layout, name);
}

const gchar *
ec25_nand_get_factory_efs2_sha256(Ec25Nand *self)
{
	if (self->efs2_sha256 == NULL)
		self->efs2_sha256 = ec25_nand_factory_efs2_checksum(self);
	return self->efs2_sha256;
}

static gboolean
ec25_nand_check_range(Ec25Nand *self, guint64 first_page, guint64 n_pages, GError **error)
{
	if (first_page > self->n_pages || n_pages > self->n_pages - first_page) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    "pages %" G_GUINT64_FORMAT "+%" G_GUINT64_FORMAT
			    " are outside the flash (%" G_GUINT64_FORMAT " pages)",
			    first_page,
			    n_pages,
			    self->n_pages);
		return FALSE;
	}
	return TRUE;
}

/* the first erase or program ends the factory state for good */
static gboolean
ec25_nand_touch(Ec25Nand *self, GError **error)
{
	if (!self->factory)
		return TRUE;
	self->factory = FALSE;
	return ec25_nand_save_ini(self, error);
}

gboolean
ec25_nand_erase(Ec25Nand *self, guint64 first_page, guint64 n_pages, GError **error)
{
	if (!ec25_nand_check_range(self, first_page, n_pages, error))
		return FALSE;
	if (!ec25_nand_touch(self, error))
		return FALSE;
	if (!ec25_nand_store_discard(self, first_page, n_pages, error))
		return FALSE;
	for (guint64 page = first_page; page < first_page + n_pages; page++)
		ec25_nand_map_set(self, page, TRUE);
	return ec25_nand_map_flush(self, first_page, n_pages, error);
}

gboolean
ec25_nand_program_page(Ec25Nand *self, guint64 page, const guint8 *data, GError **error)
{
	if (!ec25_nand_check_range(self, page, 1, error))
		return FALSE;
	if (!ec25_nand_is_erased(self, page)) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_EXISTS,
			    "page %" G_GUINT64_FORMAT " is not erased",
			    page);
		return FALSE;
	}
	if (!ec25_nand_touch(self, error))
		return FALSE;
	if (!ec25_nand_store_write(self, page, data, error))
		return FALSE;
	ec25_nand_map_set(self, page, FALSE);
	return ec25_nand_map_flush(self, page, 1, error);
}

gboolean
ec25_nand_read(Ec25Nand *self, guint64 offset, guint8 *buf, gsize bufsz, GError **error)
{
	g_autofree guint8 *page_buf = g_malloc(self->geo.page_size);
	guint64 total = self->n_pages * self->geo.page_size;

	if (offset > total || bufsz > total - offset) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    "%" G_GSIZE_FORMAT " bytes at 0x%" G_GINT64_MODIFIER
			    "x are outside the flash",
			    bufsz,
			    offset);
		return FALSE;
	}
	while (bufsz > 0) {
		guint64 page = offset / self->geo.page_size;
		gsize in_page = offset % self->geo.page_size;
		gsize chunk = MIN(bufsz, self->geo.page_size - in_page);
		if (ec25_nand_is_erased(self, page)) {
			memset(buf, EC25_NAND_ERASED, chunk);
		} else {
			if (!ec25_nand_store_read(self, page, page_buf, error))
				return FALSE;
			memcpy(buf, page_buf + in_page, chunk);
		}
		buf += chunk;
		bufsz -= chunk;
		offset += chunk;
	}
	return TRUE;
}

gchar *
ec25_nand_checksum(Ec25Nand *self, guint64 first_page, guint64 n_pages, GError **error)
{
	g_autoptr(GChecksum) checksum = g_checksum_new(G_CHECKSUM_SHA256);
	gsize block = (gsize)self->geo.page_size * self->geo.pages_per_block;
	g_autofree guint8 *buf = g_malloc(block);

	if (!ec25_nand_check_range(self, first_page, n_pages, error))
		return NULL;
	for (guint64 page = first_page; page < first_page + n_pages;) {
		guint64 count = MIN(n_pages - (page - first_page), self->geo.pages_per_block);
		gsize len = count * self->geo.page_size;
		if (!ec25_nand_read(self, page * self->geo.page_size, buf, len, error))
			return NULL;
		g_checksum_update(checksum, buf, len);
		page += count;
	}
	return g_strdup(g_checksum_get_string(checksum));
}

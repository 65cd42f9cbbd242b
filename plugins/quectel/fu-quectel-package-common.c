/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "fu-quectel-package-common.h"

#define FU_QUECTEL_PACKAGE_UTF8_BOM		"\xEF\xBB\xBF"
#define FU_QUECTEL_PACKAGE_KIB			1024
#define FU_QUECTEL_PACKAGE_GBIT_BYTES		(128 * 1024 * 1024)
#define FU_QUECTEL_PACKAGE_FLASH_GBIT_MAX	64
#define FU_QUECTEL_PACKAGE_MD5_HEX_LEN		32
#define FU_QUECTEL_PACKAGE_LINE_LEN_MAX		1024
#define FU_QUECTEL_PACKAGE_LINES_MAX		4096
#define FU_QUECTEL_PACKAGE_NUMBER_LEN_MAX	20
#define FU_QUECTEL_PACKAGE_VALUE_LEN_MAX	255
#define FU_QUECTEL_PACKAGE_ATTR_NAME_LEN_MAX	64
#define FU_QUECTEL_PACKAGE_CHIPID_LEN_MAX	32
#define FU_QUECTEL_PACKAGE_XML_DEPTH_MAX	16
#define FU_QUECTEL_PACKAGE_BUILDS_MAX		64
#define FU_QUECTEL_PACKAGE_SECTOR_SIZE_MIN	512
#define FU_QUECTEL_PACKAGE_SECTOR_SIZE_MAX	65536
#define FU_QUECTEL_PACKAGE_PAGES_PER_BLOCK_MAX	1024
#define FU_QUECTEL_PACKAGE_PAGE_KIB_MAX		16
#define FU_QUECTEL_PACKAGE_BLOCK_KIB_MAX	4096
#define FU_QUECTEL_PACKAGE_TOKEN_DIGITS_MAX	5
#define FU_QUECTEL_PACKAGE_PHYS_PART_MAX	7
#define FU_QUECTEL_PACKAGE_PATCH_SIZE_MAX	8
#define FU_QUECTEL_PACKAGE_PATCH_VALUE_LEN_MAX	128
#define FU_QUECTEL_PACKAGE_BLOCKS_MAX		65536
#define FU_QUECTEL_PACKAGE_SIZE_KIB_MAX		(16 * 1024 * 1024)
#define FU_QUECTEL_PACKAGE_ATTR_COUNT		4
#define FU_QUECTEL_PACKAGE_MIBIB_HEADER_VER_MAX 4
#define FU_QUECTEL_PACKAGE_MIBIB_VERSION_V3	3
#define FU_QUECTEL_PACKAGE_MIBIB_VERSION_V4	4
#define FU_QUECTEL_PACKAGE_VENDOR_QUECTEL	"quectel"
/* QPST partition_nand.xml markers: size_kb of a partition that grows, pad_kb of no padding */
#define FU_QUECTEL_PACKAGE_SIZE_KB_GROW "0xFFFFFFFF"
#define FU_QUECTEL_PACKAGE_PAD_KB_NONE	"0xFFFF"
/* characters that are not allowed in a path of the vendor folder */
#define FU_QUECTEL_PACKAGE_PATH_INVALID_CHARS ":*?\"<>|"

/* ---------------------------------------------------------------------------------------------
 * small helpers
 * ------------------------------------------------------------------------------------------- */

static gsize
fu_quectel_package_bom_len(const gchar *buf, gsize bufsz)
{
	gsize bomsz = strlen(FU_QUECTEL_PACKAGE_UTF8_BOM);
	if (bufsz >= bomsz && memcmp(buf, FU_QUECTEL_PACKAGE_UTF8_BOM, bomsz) == 0)
		return bomsz;
	return 0;
}

static gboolean
fu_quectel_package_is_pow2(guint64 value)
{
	return value != 0 && (value & (value - 1)) == 0;
}

static gboolean
fu_quectel_package_is_printable(const gchar *str, gboolean allow_space)
{
	for (gsize i = 0; str[i] != '\0'; i++) {
		if (allow_space && str[i] == ' ')
			continue;
		if (!g_ascii_isgraph(str[i]))
			return FALSE;
	}
	return TRUE;
}

/* a strict unsigned integer: digits only (no sign, no whitespace), optional 0x for hex */
static gboolean
fu_quectel_package_strtoull(const gchar *str,
			    FuIntegerBase base,
			    guint64 min,
			    guint64 max,
			    guint64 *value,
			    GError **error)
{
	const gchar *digits = str;
	gsize len;

	if (str == NULL || str[0] == '\0') {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "empty number, expected digits");
		return FALSE;
	}
	if (base != FU_INTEGER_BASE_10 &&
	    (g_str_has_prefix(str, "0x") || g_str_has_prefix(str, "0X"))) {
		digits = str + 2;
		base = FU_INTEGER_BASE_16;
	} else if (base == FU_INTEGER_BASE_AUTO) {
		base = FU_INTEGER_BASE_10;
	}
	len = strlen(digits);
	if (len == 0 || len > FU_QUECTEL_PACKAGE_NUMBER_LEN_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "invalid number '%.32s', expected 1 to %u digits",
			    str,
			    (guint)FU_QUECTEL_PACKAGE_NUMBER_LEN_MAX);
		return FALSE;
	}
	for (gsize i = 0; i < len; i++) {
		gboolean ok = base == FU_INTEGER_BASE_16 ? g_ascii_isxdigit(digits[i])
							 : g_ascii_isdigit(digits[i]);
		if (!ok) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "invalid number '%s', expected only %s digits",
				    str,
				    base == FU_INTEGER_BASE_16 ? "hexadecimal" : "decimal");
			return FALSE;
		}
	}
	if (!fu_strtoull(digits, value, min, max, base, error)) {
		g_prefix_error(error, "invalid number '%s': ", str);
		return FALSE;
	}
	return TRUE;
}

/* a file name as written in rawprogram/patch XML: ..\sbl1.mbn or a bare name; returns basename */
static gchar *
fu_quectel_package_filename_get_basename(const gchar *filename, GError **error)
{
	const gchar *basename = filename;
	gsize len = strlen(filename);

	if (len == 0 || len > FU_QUECTEL_PACKAGE_PATH_LEN_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "invalid filename length %u, expected 1 to %u",
			    (guint)len,
			    (guint)FU_QUECTEL_PACKAGE_PATH_LEN_MAX);
		return NULL;
	}
	if (!fu_quectel_package_is_printable(filename, TRUE)) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "invalid filename, expected printable ASCII");
		return NULL;
	}
	for (gsize i = 0; i < len; i++) {
		if (filename[i] == '/' || filename[i] == '\\')
			basename = filename + i + 1;
	}
	/* Windows drops trailing dots and spaces, which would alias another file */
	if (basename[0] == '\0' || basename[0] == ' ' || g_str_has_suffix(basename, " ") ||
	    g_str_has_suffix(basename, ".") ||
	    strpbrk(basename, FU_QUECTEL_PACKAGE_PATH_INVALID_CHARS) != NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "invalid filename '%s', expected a file name such as ..\\sbl1.mbn",
			    filename);
		return NULL;
	}
	return g_strdup(basename);
}

/* ---------------------------------------------------------------------------------------------
 * relative paths
 * ------------------------------------------------------------------------------------------- */

static gboolean
fu_quectel_package_path_append(GPtrArray *segments,
			       const gchar *path,
			       gboolean allow_parent,
			       GError **error)
{
	gsize len = strlen(path);
	g_autofree gchar *tmp = NULL;
	g_auto(GStrv) split = NULL;

	if (len == 0 || len > FU_QUECTEL_PACKAGE_PATH_LEN_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "invalid path length %u, expected 1 to %u",
			    (guint)len,
			    (guint)FU_QUECTEL_PACKAGE_PATH_LEN_MAX);
		return FALSE;
	}
	if (!fu_quectel_package_is_printable(path, TRUE)) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "invalid path, expected printable ASCII");
		return FALSE;
	}
	if (len >= 2 && g_ascii_isalpha(path[0]) && path[1] == ':') {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "absolute path '%s' with a drive letter, expected a relative path",
			    path);
		return FALSE;
	}
	if (path[0] == '/' || path[0] == '\\') {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "absolute path '%s', expected a relative path",
			    path);
		return FALSE;
	}
	if (strpbrk(path, FU_QUECTEL_PACKAGE_PATH_INVALID_CHARS) != NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "invalid character in path '%s', none of %s is allowed",
			    path,
			    FU_QUECTEL_PACKAGE_PATH_INVALID_CHARS);
		return FALSE;
	}

	tmp = g_strdelimit(g_strdup(path), "\\", '/');
	split = g_strsplit(tmp, "/", -1);
	for (guint i = 0; split[i] != NULL; i++) {
		const gchar *seg = split[i];
		gsize seglen = strlen(seg);
		if (seglen == 0 || g_strcmp0(seg, ".") == 0)
			continue;
		if (g_strcmp0(seg, "..") == 0) {
			if (!allow_parent) {
				g_set_error(error,
					    FWUPD_ERROR,
					    FWUPD_ERROR_INVALID_DATA,
					    "path '%s' contains '..', expected a path inside the "
					    "folder",
					    path);
				return FALSE;
			}
			if (segments->len == 0) {
				g_set_error(error,
					    FWUPD_ERROR,
					    FWUPD_ERROR_INVALID_DATA,
					    "path '%s' leaves the folder",
					    path);
				return FALSE;
			}
			g_ptr_array_remove_index(segments, segments->len - 1);
			continue;
		}
		/* Windows drops trailing dots and spaces, which would alias another file */
		if (seg[0] == ' ' || seg[seglen - 1] == ' ' || seg[seglen - 1] == '.') {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "invalid path component '%s' in '%s'",
				    seg,
				    path);
			return FALSE;
		}
		g_ptr_array_add(segments, g_strdup(seg));
	}
	return TRUE;
}

static gchar *
fu_quectel_package_path_build(const gchar *dir,
			      const gchar *path,
			      gboolean allow_parent,
			      GError **error)
{
	g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func(g_free);

	if (path == NULL) {
		g_set_error_literal(error, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA, "no path");
		return NULL;
	}
	if (dir != NULL && dir[0] != '\0') {
		if (!fu_quectel_package_path_append(segments, dir, FALSE, error))
			return NULL;
	}
	if (!fu_quectel_package_path_append(segments, path, allow_parent, error))
		return NULL;
	if (segments->len == 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "path '%s' does not name a file",
			    path);
		return NULL;
	}
	return fu_strjoin("/", segments);
}

/**
 * fu_quectel_package_path_normalize:
 * @path: a path relative to the vendor folder, with `\` or `/` separators
 * @error: (nullable): optional return location for an error
 *
 * Converts `update\firehose\x.xml` to `update/firehose/x.xml`, rejecting absolute paths,
 * drive letters, `..` and characters Windows does not allow.
 *
 * Returns: (transfer full): the normalized path, or %NULL on error
 **/
gchar *
fu_quectel_package_path_normalize(const gchar *path, GError **error)
{
	return fu_quectel_package_path_build(NULL, path, FALSE, error);
}

/**
 * fu_quectel_package_path_join:
 * @dir: (nullable): a directory relative to the vendor folder, e.g. `update/firehose`
 * @relpath: a path relative to @dir, e.g. `..\sbl1.mbn`
 * @error: (nullable): optional return location for an error
 *
 * Resolves a file name of a rawprogram XML to a path relative to the vendor folder;
 * `..` is allowed in @relpath but may not leave the folder.
 *
 * Returns: (transfer full): the normalized path, e.g. `update/sbl1.mbn`, or %NULL on error
 **/
gchar *
fu_quectel_package_path_join(const gchar *dir, const gchar *relpath, GError **error)
{
	return fu_quectel_package_path_build(dir, relpath, TRUE, error);
}

/* ---------------------------------------------------------------------------------------------
 * geometry
 * ------------------------------------------------------------------------------------------- */

/* parse decimal digits followed by 'K'; returns the number of characters used, or 0 */
static gsize
fu_quectel_package_geometry_parse_kib(const gchar *str, guint32 *value)
{
	guint32 tmp = 0;
	gsize i;

	for (i = 0; i < FU_QUECTEL_PACKAGE_TOKEN_DIGITS_MAX && g_ascii_isdigit(str[i]); i++)
		tmp = tmp * 10 + (guint32)g_ascii_digit_value(str[i]);
	if (i == 0 || (str[i] != 'K' && str[i] != 'k'))
		return 0;
	*value = tmp;
	return i + 1;
}

/* match `p<N>K_b<M>K` at @str, followed by the end, '_' or '.' */
static gboolean
fu_quectel_package_geometry_match(const gchar *str, guint32 *page_kib, guint32 *block_kib)
{
	gsize pos = 0;
	gsize used;

	if (str[pos++] != 'p')
		return FALSE;
	used = fu_quectel_package_geometry_parse_kib(str + pos, page_kib);
	if (used == 0)
		return FALSE;
	pos += used;
	if (str[pos] != '_' || str[pos + 1] != 'b')
		return FALSE;
	pos += 2;
	used = fu_quectel_package_geometry_parse_kib(str + pos, block_kib);
	if (used == 0)
		return FALSE;
	pos += used;
	return str[pos] == '\0' || str[pos] == '_' || str[pos] == '.';
}

/**
 * fu_quectel_package_geometry_parse:
 * @filename: a file name or path, e.g. `rawprogram_nand_p4K_b256K_update.xml`
 * @geometry: (out caller-allocates): the parsed geometry
 * @error: (nullable): optional return location for an error
 *
 * Parses the NAND geometry token `p<page>K_b<block>K` of a Qualcomm NAND package file name.
 *
 * Returns: %TRUE for success
 **/
gboolean
fu_quectel_package_geometry_parse(const gchar *filename,
				  FuQuectelPackageGeometry *geometry,
				  GError **error)
{
	const gchar *basename = filename;
	gsize len = strlen(filename);
	guint32 page_kib = 0;
	guint32 block_kib = 0;
	guint found = 0;

	if (len > FU_QUECTEL_PACKAGE_PATH_LEN_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "geometry: file name is 0x%x bytes long, the limit is 0x%x",
			    (guint)len,
			    (guint)FU_QUECTEL_PACKAGE_PATH_LEN_MAX);
		return FALSE;
	}
	for (gsize i = 0; i < len; i++) {
		if (filename[i] == '/' || filename[i] == '\\')
			basename = filename + i + 1;
	}
	for (gsize i = 0; basename[i] != '\0'; i++) {
		guint32 page_tmp = 0;
		guint32 block_tmp = 0;
		if (i > 0 && basename[i - 1] != '_')
			continue;
		if (!fu_quectel_package_geometry_match(basename + i, &page_tmp, &block_tmp))
			continue;
		if (found > 0 && (page_tmp != page_kib || block_tmp != block_kib)) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "geometry: '%s' names two different NAND geometries",
				    basename);
			return FALSE;
		}
		page_kib = page_tmp;
		block_kib = block_tmp;
		found++;
	}
	if (found == 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "geometry: no NAND geometry such as p2K_b128K in '%s'",
			    basename);
		return FALSE;
	}
	if (!fu_quectel_package_is_pow2(page_kib) || page_kib > FU_QUECTEL_PACKAGE_PAGE_KIB_MAX ||
	    !fu_quectel_package_is_pow2(block_kib) ||
	    block_kib > FU_QUECTEL_PACKAGE_BLOCK_KIB_MAX || block_kib < page_kib ||
	    block_kib / page_kib > FU_QUECTEL_PACKAGE_PAGES_PER_BLOCK_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "geometry: unsupported NAND geometry p%uK_b%uK in '%s', expected "
			    "power-of-two page (1 to %u KiB) and block (up to %u KiB) sizes",
			    page_kib,
			    block_kib,
			    basename,
			    (guint)FU_QUECTEL_PACKAGE_PAGE_KIB_MAX,
			    (guint)FU_QUECTEL_PACKAGE_BLOCK_KIB_MAX);
		return FALSE;
	}
	geometry->page_size = page_kib * FU_QUECTEL_PACKAGE_KIB;
	geometry->block_size = block_kib * FU_QUECTEL_PACKAGE_KIB;
	geometry->pages_per_block = block_kib / page_kib;
	return TRUE;
}

/**
 * fu_quectel_package_geometry_to_string:
 * @geometry: a #FuQuectelPackageGeometry
 *
 * Returns: (transfer full): the file name token, e.g. `p2K_b128K`
 **/
gchar *
fu_quectel_package_geometry_to_string(const FuQuectelPackageGeometry *geometry)
{
	return g_strdup_printf("p%uK_b%uK",
			       geometry->page_size / FU_QUECTEL_PACKAGE_KIB,
			       geometry->block_size / FU_QUECTEL_PACKAGE_KIB);
}

/**
 * fu_quectel_package_geometry_equal:
 * @geometry1: a #FuQuectelPackageGeometry
 * @geometry2: a #FuQuectelPackageGeometry
 *
 * Returns: %TRUE if both describe the same NAND geometry
 **/
gboolean
fu_quectel_package_geometry_equal(const FuQuectelPackageGeometry *geometry1,
				  const FuQuectelPackageGeometry *geometry2)
{
	return geometry1->page_size == geometry2->page_size &&
	       geometry1->block_size == geometry2->block_size &&
	       geometry1->pages_per_block == geometry2->pages_per_block;
}

/**
 * fu_quectel_package_geometry_check_sector:
 * @geometry: a #FuQuectelPackageGeometry
 * @sector_size: a SECTOR_SIZE_IN_BYTES value
 * @pages_per_block: a PAGES_PER_BLOCK value, or 0 if absent
 * @error: (nullable): optional return location for an error
 *
 * Checks the geometry attributes of a rawprogram or patch line against @geometry.
 *
 * Returns: %TRUE if they match
 **/
gboolean
fu_quectel_package_geometry_check_sector(const FuQuectelPackageGeometry *geometry,
					 guint32 sector_size,
					 guint32 pages_per_block,
					 GError **error)
{
	g_autofree gchar *str = fu_quectel_package_geometry_to_string(geometry);

	if (sector_size != geometry->page_size) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "SECTOR_SIZE_IN_BYTES is 0x%x but the page size of %s is 0x%x",
			    sector_size,
			    str,
			    geometry->page_size);
		return FALSE;
	}
	if (pages_per_block != 0 && pages_per_block != geometry->pages_per_block) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "PAGES_PER_BLOCK is %u but %s has %u pages per block",
			    pages_per_block,
			    str,
			    geometry->pages_per_block);
		return FALSE;
	}
	return TRUE;
}

/**
 * fu_quectel_package_geometry_get_total_blocks:
 * @geometry: a #FuQuectelPackageGeometry
 * @flash_gbit: the flash size in gigabit, e.g. 2 from the `M2G` of `EG25GGBR07A08M2G`
 * @total_blocks: (out): the number of erase blocks of the flash
 * @error: (nullable): optional return location for an error
 *
 * Returns: %TRUE for success
 **/
gboolean
fu_quectel_package_geometry_get_total_blocks(const FuQuectelPackageGeometry *geometry,
					     guint flash_gbit,
					     guint32 *total_blocks,
					     GError **error)
{
	guint64 bytes = (guint64)flash_gbit * FU_QUECTEL_PACKAGE_GBIT_BYTES;

	if (flash_gbit == 0 || flash_gbit > FU_QUECTEL_PACKAGE_FLASH_GBIT_MAX ||
	    geometry->block_size == 0 || bytes % geometry->block_size != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "geometry: unsupported flash size of %u Gbit with 0x%x byte blocks",
			    flash_gbit,
			    geometry->block_size);
		return FALSE;
	}
	*total_blocks = (guint32)(bytes / geometry->block_size);
	return TRUE;
}

/* ---------------------------------------------------------------------------------------------
 * md5.txt
 * ------------------------------------------------------------------------------------------- */

void
fu_quectel_package_md5_entry_free(FuQuectelPackageMd5Entry *self)
{
	g_free(self->path);
	g_free(self->md5);
	g_free(self);
}

void
fu_quectel_package_md5_free(FuQuectelPackageMd5 *self)
{
	g_free(self->version);
	if (self->entries != NULL)
		g_ptr_array_unref(self->entries);
	g_free(self);
}

typedef enum {
	FU_QUECTEL_PACKAGE_MD5_STATE_HEADER,
	FU_QUECTEL_PACKAGE_MD5_STATE_FILES,
	FU_QUECTEL_PACKAGE_MD5_STATE_DONE,
} FuQuectelPackageMd5State;

typedef struct {
	FuQuectelPackageMd5 *md5;
	FuQuectelPackageMd5State state;
	GHashTable *paths; /* lower-case path → line number */
} FuQuectelPackageMd5Helper;

/* FILE:\update\x.mbn:HEXMD5 */
static gboolean
fu_quectel_package_md5_parse_entry(FuQuectelPackageMd5Helper *helper,
				   const gchar *line,
				   guint line_no,
				   GError **error)
{
	const gchar *rest = line + strlen("FILE:");
	const gchar *colon = strrchr(rest, ':');
	guint dup_line;
	g_autofree gchar *path_raw = NULL;
	g_autofree gchar *md5_raw = NULL;
	g_autofree gchar *key = NULL;
	g_autoptr(FuQuectelPackageMd5Entry) entry = g_new0(FuQuectelPackageMd5Entry, 1);

	if (colon == NULL) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "expected FILE:\\path:MD5");
		return FALSE;
	}
	path_raw = g_strstrip(g_strndup(rest, colon - rest));
	md5_raw = g_strstrip(g_strdup(colon + 1));

	/* the md5 */
	if (strlen(md5_raw) != FU_QUECTEL_PACKAGE_MD5_HEX_LEN) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "invalid MD5 '%s', expected %u hexadecimal digits",
			    md5_raw,
			    (guint)FU_QUECTEL_PACKAGE_MD5_HEX_LEN);
		return FALSE;
	}
	for (guint i = 0; md5_raw[i] != '\0'; i++) {
		if (!g_ascii_isxdigit(md5_raw[i])) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "invalid MD5 '%s', expected only hexadecimal digits",
				    md5_raw);
			return FALSE;
		}
	}

	/* the path, which starts with one separator meaning "the folder" */
	if (path_raw[0] == '\\' || path_raw[0] == '/')
		entry->path = fu_quectel_package_path_normalize(path_raw + 1, error);
	else
		entry->path = fu_quectel_package_path_normalize(path_raw, error);
	if (entry->path == NULL)
		return FALSE;

	/* Windows paths are case-insensitive */
	key = g_ascii_strdown(entry->path, -1);
	dup_line = GPOINTER_TO_UINT(g_hash_table_lookup(helper->paths, key));
	if (dup_line != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "duplicate path %s, already listed on line %u",
			    entry->path,
			    dup_line);
		return FALSE;
	}
	if (helper->md5->entries->len >= FU_QUECTEL_PACKAGE_FILES_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "too many files, the limit is %u",
			    (guint)FU_QUECTEL_PACKAGE_FILES_MAX);
		return FALSE;
	}
	g_hash_table_insert(helper->paths, g_steal_pointer(&key), GUINT_TO_POINTER(line_no));
	entry->md5 = g_ascii_strdown(md5_raw, -1);
	entry->line = line_no;
	g_ptr_array_add(helper->md5->entries, g_steal_pointer(&entry));
	return TRUE;
}

static gboolean
fu_quectel_package_md5_parse_line(FuQuectelPackageMd5Helper *helper,
				  const gchar *line,
				  guint line_no,
				  GError **error)
{
	/* blank */
	if (line[0] == '\0')
		return TRUE;

	if (helper->state == FU_QUECTEL_PACKAGE_MD5_STATE_HEADER) {
		if (g_strcmp0(line, "FILE:START") == 0) {
			helper->state = FU_QUECTEL_PACKAGE_MD5_STATE_FILES;
			return TRUE;
		}
		if (g_str_has_prefix(line, "VERSION:") && helper->md5->version == NULL) {
			helper->md5->version = g_strstrip(g_strdup(line + strlen("VERSION:")));
			return TRUE;
		}
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "expected FILE:START");
		return FALSE;
	}
	if (helper->state == FU_QUECTEL_PACKAGE_MD5_STATE_FILES) {
		if (g_strcmp0(line, "FILE:END") == 0) {
			helper->state = FU_QUECTEL_PACKAGE_MD5_STATE_DONE;
			return TRUE;
		}
		if (g_strcmp0(line, "FILE:START") == 0) {
			g_set_error_literal(error,
					    FWUPD_ERROR,
					    FWUPD_ERROR_INVALID_DATA,
					    "second FILE:START");
			return FALSE;
		}
		if (!g_str_has_prefix(line, "FILE:")) {
			g_set_error_literal(error,
					    FWUPD_ERROR,
					    FWUPD_ERROR_INVALID_DATA,
					    "expected FILE:\\path:MD5 or FILE:END");
			return FALSE;
		}
		return fu_quectel_package_md5_parse_entry(helper, line, line_no, error);
	}
	g_set_error_literal(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "unexpected text after FILE:END");
	return FALSE;
}

/* only printable ASCII, tabs and a CR before the LF */
static gboolean
fu_quectel_package_md5_check_line(const gchar *buf, gsize len, guint line_no, GError **error)
{
	if (len > FU_QUECTEL_PACKAGE_LINE_LEN_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "md5.txt line %u: line is 0x%x bytes long, the limit is 0x%x",
			    line_no,
			    (guint)len,
			    (guint)FU_QUECTEL_PACKAGE_LINE_LEN_MAX);
		return FALSE;
	}
	for (gsize i = 0; i < len; i++) {
		guint8 c = (guint8)buf[i];
		if (c == '\t' || (c == '\r' && i == len - 1))
			continue;
		if (c < ' ' || c >= 0x7F) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "md5.txt line %u: invalid byte 0x%02x at column %u, expected "
				    "printable ASCII",
				    line_no,
				    c,
				    (guint)i + 1);
			return FALSE;
		}
	}
	return TRUE;
}

/**
 * fu_quectel_package_md5_parse:
 * @buf: the contents of md5.txt, not NUL-terminated
 * @bufsz: size of @buf
 * @error: (nullable): optional return location for an error
 *
 * Parses a Quectel md5.txt: an optional `VERSION:` line, `FILE:START`, one
 * `FILE:\path:MD5` line per file and `FILE:END`. CRLF, a UTF-8 BOM, blank lines and
 * surrounding whitespace are tolerated.
 *
 * Returns: (transfer full): a #FuQuectelPackageMd5, or %NULL on error
 **/
FuQuectelPackageMd5 *
fu_quectel_package_md5_parse(const gchar *buf, gsize bufsz, GError **error)
{
	gsize pos;
	guint line_no = 0;
	g_autoptr(FuQuectelPackageMd5) md5 = g_new0(FuQuectelPackageMd5, 1);
	g_autoptr(GHashTable) paths = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	FuQuectelPackageMd5Helper helper = {
	    .md5 = md5,
	    .state = FU_QUECTEL_PACKAGE_MD5_STATE_HEADER,
	    .paths = paths,
	};

	g_return_val_if_fail(buf != NULL || bufsz == 0, NULL);

	md5->entries =
	    g_ptr_array_new_with_free_func((GDestroyNotify)fu_quectel_package_md5_entry_free);
	if (bufsz > FU_QUECTEL_PACKAGE_TEXT_SIZE_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "md5.txt: file is 0x%x bytes, the limit is 0x%x",
			    (guint)bufsz,
			    (guint)FU_QUECTEL_PACKAGE_TEXT_SIZE_MAX);
		return NULL;
	}
	pos = fu_quectel_package_bom_len(buf, bufsz);
	while (pos < bufsz) {
		gsize eol = pos;
		g_autofree gchar *line = NULL;

		while (eol < bufsz && buf[eol] != '\n')
			eol++;
		if (++line_no > FU_QUECTEL_PACKAGE_LINES_MAX) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "md5.txt: more than %u lines",
				    (guint)FU_QUECTEL_PACKAGE_LINES_MAX);
			return NULL;
		}
		if (!fu_quectel_package_md5_check_line(buf + pos, eol - pos, line_no, error))
			return NULL;
		line = g_strstrip(g_strndup(buf + pos, eol - pos));
		if (!fu_quectel_package_md5_parse_line(&helper, line, line_no, error)) {
			g_prefix_error(error, "md5.txt line %u '%s': ", line_no, line);
			return NULL;
		}
		pos = eol + 1;
	}
	if (helper.state == FU_QUECTEL_PACKAGE_MD5_STATE_HEADER) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "md5.txt: no FILE:START line");
		return NULL;
	}
	if (helper.state == FU_QUECTEL_PACKAGE_MD5_STATE_FILES) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "md5.txt: no FILE:END line after line %u",
			    line_no);
		return NULL;
	}
	return g_steal_pointer(&md5);
}

/**
 * fu_quectel_package_md5_parse_bytes:
 * @blob: the contents of md5.txt
 * @error: (nullable): optional return location for an error
 *
 * Returns: (transfer full): a #FuQuectelPackageMd5, or %NULL on error
 **/
FuQuectelPackageMd5 *
fu_quectel_package_md5_parse_bytes(GBytes *blob, GError **error)
{
	gsize bufsz = 0;
	const gchar *buf = g_bytes_get_data(blob, &bufsz);
	return fu_quectel_package_md5_parse(buf, bufsz, error);
}

/**
 * fu_quectel_package_md5_find:
 * @self: a #FuQuectelPackageMd5
 * @path: a path relative to the folder, `/` or `\` separators
 *
 * Finds the entry of a file, comparing paths case-insensitively as Windows does.
 *
 * Returns: (transfer none): the entry, or %NULL if @path is not listed
 **/
FuQuectelPackageMd5Entry *
fu_quectel_package_md5_find(const FuQuectelPackageMd5 *self, const gchar *path)
{
	g_autofree gchar *path_safe = fu_quectel_package_path_normalize(path, NULL);
	if (path_safe == NULL)
		return NULL;
	for (guint i = 0; i < self->entries->len; i++) {
		FuQuectelPackageMd5Entry *entry = g_ptr_array_index(self->entries, i);
		if (g_ascii_strcasecmp(entry->path, path_safe) == 0)
			return entry;
	}
	return NULL;
}

/**
 * fu_quectel_package_md5_verify:
 * @self: a #FuQuectelPackageMd5
 * @path: a path relative to the folder
 * @blob: the contents of that file
 * @error: (nullable): optional return location for an error
 *
 * Checks a file against md5.txt.
 *
 * Returns: %TRUE if the file is listed and its MD5 matches
 **/
gboolean
fu_quectel_package_md5_verify(const FuQuectelPackageMd5 *self,
			      const gchar *path,
			      GBytes *blob,
			      GError **error)
{
	FuQuectelPackageMd5Entry *entry = fu_quectel_package_md5_find(self, path);
	g_autofree gchar *md5 = NULL;

	if (entry == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_FOUND,
			    "md5.txt: %s is not listed",
			    path);
		return FALSE;
	}
	md5 = g_compute_checksum_for_bytes(G_CHECKSUM_MD5, blob);
	if (g_strcmp0(md5, entry->md5) != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "md5.txt line %u: %s has MD5 %s, expected %s",
			    entry->line,
			    entry->path,
			    md5,
			    entry->md5);
		return FALSE;
	}
	return TRUE;
}

/* ---------------------------------------------------------------------------------------------
 * XML loading
 * ------------------------------------------------------------------------------------------- */

/* what the GMarkup pre-pass learns about each child element of the root */
typedef struct {
	guint line;	  /* 1-based line of the start tag */
	GStrv attr_names; /* in document order */
} FuQuectelPackageXmlElement;

static void
fu_quectel_package_xml_element_free(FuQuectelPackageXmlElement *self)
{
	g_strfreev(self->attr_names);
	g_free(self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelPackageXmlElement, fu_quectel_package_xml_element_free)

typedef struct {
	guint depth;
	guint count;
	GPtrArray *elements; /* of FuQuectelPackageXmlElement */
} FuQuectelPackageXmlHelper;

static gboolean
fu_quectel_package_xml_check_start_element(FuQuectelPackageXmlHelper *helper,
					   GMarkupParseContext *context,
					   const gchar *element_name,
					   const gchar **attribute_names,
					   GError **error)
{
	guint n_attrs = g_strv_length((gchar **)attribute_names);
	gint line = 0;
	gint column = 0;
	g_autoptr(FuQuectelPackageXmlElement) element = NULL;

	g_markup_parse_context_get_position(context, &line, &column);
	if (++helper->depth > FU_QUECTEL_PACKAGE_XML_DEPTH_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "elements nested deeper than %u",
			    (guint)FU_QUECTEL_PACKAGE_XML_DEPTH_MAX);
		return FALSE;
	}
	if (++helper->count > FU_QUECTEL_PACKAGE_XML_TAGS_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "more than %u elements",
			    (guint)FU_QUECTEL_PACKAGE_XML_TAGS_MAX);
		return FALSE;
	}
	if (n_attrs > FU_QUECTEL_PACKAGE_ATTRS_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "<%s> has more than %u attributes",
			    element_name,
			    (guint)FU_QUECTEL_PACKAGE_ATTRS_MAX);
		return FALSE;
	}

	/* GMarkup accepts a repeated attribute and libxmlb keeps only the last value */
	for (guint i = 0; i < n_attrs; i++) {
		for (guint j = i + 1; j < n_attrs; j++) {
			if (g_strcmp0(attribute_names[i], attribute_names[j]) == 0) {
				g_set_error(error,
					    FWUPD_ERROR,
					    FWUPD_ERROR_INVALID_DATA,
					    "<%s> has attribute %s twice",
					    element_name,
					    attribute_names[i]);
				return FALSE;
			}
		}
	}

	/* libxmlb does not keep the attribute order, so remember it for the root children */
	if (helper->depth != 2)
		return TRUE;
	element = g_new0(FuQuectelPackageXmlElement, 1);
	element->line = (guint)line;
	element->attr_names = g_strdupv((gchar **)attribute_names);
	g_ptr_array_add(helper->elements, g_steal_pointer(&element));
	return TRUE;
}

static void
fu_quectel_package_xml_start_element_cb(GMarkupParseContext *context,
					const gchar *element_name,
					const gchar **attribute_names,
					const gchar **attribute_values,
					gpointer user_data,
					GError **error)
{
	FuQuectelPackageXmlHelper *helper = (FuQuectelPackageXmlHelper *)user_data;

	/* on failure GMarkup stops and returns @error */
	fu_quectel_package_xml_check_start_element(helper,
						   context,
						   element_name,
						   attribute_names,
						   error);
}

static void
fu_quectel_package_xml_end_element_cb(GMarkupParseContext *context,
				      const gchar *element_name,
				      gpointer user_data,
				      GError **error)
{
	FuQuectelPackageXmlHelper *helper = (FuQuectelPackageXmlHelper *)user_data;
	helper->depth--;
}

/* GMarkup, which libxmlb also uses, has no DTD support: a DOCTYPE is skipped and any entity
 * other than the five predefined ones and character references is an error, so nothing is
 * read from a file or expanded; this pass also bounds depth and count and rejects repeated
 * attributes before libxmlb builds its tree */
static GPtrArray *
fu_quectel_package_xml_validate(const gchar *buf, gsize bufsz, GError **error)
{
	g_autoptr(GPtrArray) elements =
	    g_ptr_array_new_with_free_func((GDestroyNotify)fu_quectel_package_xml_element_free);
	FuQuectelPackageXmlHelper helper = {
	    .depth = 0,
	    .count = 0,
	    .elements = elements,
	};
	GMarkupParser parser = {
	    .start_element = fu_quectel_package_xml_start_element_cb,
	    .end_element = fu_quectel_package_xml_end_element_cb,
	};
	g_autoptr(GMarkupParseContext) ctx =
	    g_markup_parse_context_new(&parser, G_MARKUP_PREFIX_ERROR_POSITION, &helper, NULL);
	g_autoptr(GError) error_local = NULL;

	if (!g_markup_parse_context_parse(ctx, buf, (gssize)bufsz, &error_local) ||
	    !g_markup_parse_context_end_parse(ctx, &error_local)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "invalid XML: %s",
			    error_local->message);
		return NULL;
	}
	return g_steal_pointer(&elements);
}

static XbSilo *
fu_quectel_package_xml_load(const gchar *kind,
			    const gchar *buf,
			    gsize bufsz,
			    GPtrArray **elements,
			    GError **error)
{
	gsize offset;
	guint tags = 0;
	const gchar *end = NULL;
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GPtrArray) elements_tmp = NULL;
	g_autoptr(XbBuilder) builder = xb_builder_new();
	g_autoptr(XbBuilderSource) source = xb_builder_source_new();
	g_autoptr(XbSilo) silo = NULL;

	if (bufsz > FU_QUECTEL_PACKAGE_XML_SIZE_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: file is 0x%x bytes, the limit is 0x%x",
			    kind,
			    (guint)bufsz,
			    (guint)FU_QUECTEL_PACKAGE_XML_SIZE_MAX);
		return NULL;
	}
	offset = fu_quectel_package_bom_len(buf, bufsz);
	if (offset == bufsz) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: file is empty",
			    kind);
		return NULL;
	}
	for (gsize i = offset; i < bufsz; i++) {
		if (buf[i] == '\0') {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "%s: NUL byte at offset 0x%x",
				    kind,
				    (guint)i);
			return NULL;
		}
		if (buf[i] == '<' && ++tags > FU_QUECTEL_PACKAGE_XML_TAGS_MAX) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "%s: more than %u tags",
				    kind,
				    (guint)FU_QUECTEL_PACKAGE_XML_TAGS_MAX);
			return NULL;
		}
	}
	if (!g_utf8_validate_len(buf + offset, bufsz - offset, &end)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: invalid UTF-8 at offset 0x%x",
			    kind,
			    (guint)(end - buf));
		return NULL;
	}
	elements_tmp = fu_quectel_package_xml_validate(buf + offset, bufsz - offset, error);
	if (elements_tmp == NULL) {
		g_prefix_error(error, "%s: ", kind);
		return NULL;
	}

	blob = g_bytes_new(buf + offset, bufsz - offset);
	if (!xb_builder_source_load_bytes(source,
					  blob,
					  XB_BUILDER_SOURCE_FLAG_NONE,
					  &error_local)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: cannot load XML: %s",
			    kind,
			    error_local->message);
		return NULL;
	}
	xb_builder_import_source(builder, source);
	silo = xb_builder_compile(builder, XB_BUILDER_COMPILE_FLAG_SINGLE_ROOT, NULL, &error_local);
	if (silo == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: invalid XML: %s",
			    kind,
			    error_local->message);
		return NULL;
	}
	*elements = g_steal_pointer(&elements_tmp);
	return g_steal_pointer(&silo);
}

/* the children of the root as libxmlb sees them match what the pre-pass recorded */
static gboolean
fu_quectel_package_xml_check_elements(const gchar *kind,
				      GPtrArray *children,
				      GPtrArray *elements,
				      GError **error)
{
	if (children->len != elements->len) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: %u elements under the root, but %u were parsed",
			    kind,
			    children->len,
			    elements->len);
		return FALSE;
	}
	return TRUE;
}

/* the root element, which must be @name1 or @name2 */
static XbNode *
fu_quectel_package_xml_get_root(const gchar *kind,
				XbSilo *silo,
				const gchar *name1,
				const gchar *name2,
				GError **error)
{
	g_autoptr(XbNode) root = xb_silo_get_root(silo);
	const gchar *element;

	if (root == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: no root element, expected <%s>",
			    kind,
			    name1);
		return NULL;
	}
	element = xb_node_get_element(root);
	if (g_strcmp0(element, name1) != 0 && (name2 == NULL || g_strcmp0(element, name2) != 0)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: root element is <%s>, expected <%s>",
			    kind,
			    element,
			    name1);
		return NULL;
	}
	return g_steal_pointer(&root);
}

static gboolean
fu_quectel_package_xml_check_value(const gchar *name, const gchar *value, GError **error)
{
	gsize len = strlen(value);
	if (len > FU_QUECTEL_PACKAGE_VALUE_LEN_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s is 0x%x bytes long, the limit is 0x%x",
			    name,
			    (guint)len,
			    (guint)FU_QUECTEL_PACKAGE_VALUE_LEN_MAX);
		return FALSE;
	}
	if (!fu_quectel_package_is_printable(value, TRUE)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s has a non-printable or non-ASCII character",
			    name);
		return FALSE;
	}
	return TRUE;
}

/* all attributes in document order, each checked for length and printable ASCII */
static GPtrArray *
fu_quectel_package_xml_get_attrs(XbNode *xn, FuQuectelPackageXmlElement *element, GError **error)
{
	XbNodeAttrIter iter;
	const gchar *iter_name = NULL;
	const gchar *iter_value = NULL;
	guint n_attrs = 0;
	g_autoptr(GPtrArray) attrs =
	    g_ptr_array_new_with_free_func((GDestroyNotify)fu_quectel_package_attr_free);

	xb_node_attr_iter_init(&iter, xn);
	while (n_attrs <= FU_QUECTEL_PACKAGE_ATTRS_MAX &&
	       xb_node_attr_iter_next(&iter, &iter_name, &iter_value))
		n_attrs++;
	if (n_attrs != g_strv_length(element->attr_names)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%u attributes, but %u were parsed",
			    n_attrs,
			    g_strv_length(element->attr_names));
		return NULL;
	}
	for (guint i = 0; element->attr_names[i] != NULL; i++) {
		const gchar *name = element->attr_names[i];
		const gchar *value = xb_node_get_attr(xn, name);
		FuQuectelPackageAttr *attr;

		if (value == NULL) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "attribute %s was not parsed",
				    name);
			return NULL;
		}
		if (strlen(name) > FU_QUECTEL_PACKAGE_ATTR_NAME_LEN_MAX) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "attribute name is longer than %u bytes",
				    (guint)FU_QUECTEL_PACKAGE_ATTR_NAME_LEN_MAX);
			return NULL;
		}
		if (!fu_quectel_package_xml_check_value(name, value, error))
			return NULL;
		attr = g_new0(FuQuectelPackageAttr, 1);
		attr->name = g_strdup(name);
		attr->value = g_strdup(value);
		g_ptr_array_add(attrs, attr);
	}
	return g_steal_pointer(&attrs);
}

static gboolean
fu_quectel_package_xml_attr_uint(XbNode *xn,
				 const gchar *name,
				 gboolean required,
				 guint64 min,
				 guint64 max,
				 guint64 *value,
				 GError **error)
{
	const gchar *str = xb_node_get_attr(xn, name);
	if (str == NULL) {
		if (!required)
			return TRUE;
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "missing attribute %s",
			    name);
		return FALSE;
	}
	if (!fu_quectel_package_strtoull(str, FU_INTEGER_BASE_10, min, max, value, error)) {
		g_prefix_error(error, "attribute %s: ", name);
		return FALSE;
	}
	return TRUE;
}

static gboolean
fu_quectel_package_xml_attr_sector_size(XbNode *xn, guint32 *sector_size, GError **error)
{
	guint64 tmp = 0;
	if (!fu_quectel_package_xml_attr_uint(xn,
					      "SECTOR_SIZE_IN_BYTES",
					      TRUE,
					      FU_QUECTEL_PACKAGE_SECTOR_SIZE_MIN,
					      FU_QUECTEL_PACKAGE_SECTOR_SIZE_MAX,
					      &tmp,
					      error))
		return FALSE;
	if (!fu_quectel_package_is_pow2(tmp)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "SECTOR_SIZE_IN_BYTES %u is not a power of two",
			    (guint)tmp);
		return FALSE;
	}
	*sector_size = (guint32)tmp;
	return TRUE;
}

/* elements such as <program> and <patch> carry everything in attributes */
static gboolean
fu_quectel_package_xml_check_no_children(XbNode *xn, GError **error)
{
	g_autoptr(XbNode) child = xb_node_get_child(xn);
	if (child != NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "unexpected child element <%s>",
			    xb_node_get_element(child));
		return FALSE;
	}
	return TRUE;
}

/* the trimmed text of an element, required to be present */
static const gchar *
fu_quectel_package_xml_get_text(XbNode *xn, GError **error)
{
	const gchar *text = xb_node_get_text(xn);
	if (text == NULL || text[0] == '\0') {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "empty element <%s>",
			    xb_node_get_element(xn));
		return NULL;
	}
	if (!fu_quectel_package_xml_check_value(xb_node_get_element(xn), text, error))
		return NULL;
	return text;
}

static gboolean
fu_quectel_package_xml_get_text_uint(XbNode *xn,
				     FuIntegerBase base,
				     guint64 max,
				     guint64 *value,
				     GError **error)
{
	const gchar *text = fu_quectel_package_xml_get_text(xn, error);
	if (text == NULL)
		return FALSE;
	if (!fu_quectel_package_strtoull(text, base, 0, max, value, error)) {
		g_prefix_error(error, "<%s>: ", xb_node_get_element(xn));
		return FALSE;
	}
	return TRUE;
}

/* ---------------------------------------------------------------------------------------------
 * contents.xml
 * ------------------------------------------------------------------------------------------- */

void
fu_quectel_package_contents_free(FuQuectelPackageContents *self)
{
	g_free(self->chipid);
	g_free(self->product_name);
	g_free(self->partition_file);
	if (self->flash_programmers != NULL)
		g_ptr_array_unref(self->flash_programmers);
	if (self->download_files != NULL)
		g_ptr_array_unref(self->download_files);
	g_free(self);
}

static gboolean
fu_quectel_package_contents_check_chip(const gchar *chip, GError **error)
{
	gsize len = strlen(chip);
	if (len == 0 || len > FU_QUECTEL_PACKAGE_CHIPID_LEN_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "invalid chip name length %u, expected 1 to %u",
			    (guint)len,
			    (guint)FU_QUECTEL_PACKAGE_CHIPID_LEN_MAX);
		return FALSE;
	}
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isalnum(chip[i]) && chip[i] != '.' && chip[i] != '_' &&
		    chip[i] != '-') {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "invalid chip name '%s', expected letters and digits",
				    chip);
			return FALSE;
		}
	}
	return TRUE;
}

/* <download_file><file_name>sbl1.mbn</file_name><file_path>update/</file_path></...> */
static gchar *
fu_quectel_package_contents_parse_file(XbNode *xn, GError **error)
{
	const gchar *file_name = NULL;
	const gchar *file_path = NULL;
	g_autoptr(GPtrArray) children = xb_node_get_children(xn);

	for (guint i = 0; i < children->len; i++) {
		XbNode *child = g_ptr_array_index(children, i);
		const gchar *element = xb_node_get_element(child);
		if (g_strcmp0(element, "file_name") == 0) {
			if (file_name != NULL) {
				g_set_error_literal(error,
						    FWUPD_ERROR,
						    FWUPD_ERROR_INVALID_DATA,
						    "more than one <file_name>");
				return NULL;
			}
			file_name = fu_quectel_package_xml_get_text(child, error);
			if (file_name == NULL)
				return NULL;
		} else if (g_strcmp0(element, "file_path") == 0) {
			file_path = xb_node_get_text(child);
		}
	}
	if (file_name == NULL) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "missing <file_name>");
		return NULL;
	}
	return fu_quectel_package_path_build(file_path, file_name, FALSE, error);
}

static gboolean
fu_quectel_package_contents_parse_build(FuQuectelPackageContents *self,
					XbNode *xn,
					guint *nfiles,
					GError **error)
{
	g_autoptr(GPtrArray) children = xb_node_get_children(xn);

	for (guint i = 0; i < children->len; i++) {
		XbNode *child = g_ptr_array_index(children, i);
		const gchar *element = xb_node_get_element(child);
		const gchar *chipset;
		g_autofree gchar *path = NULL;

		/* the chip each build is for */
		if (g_strcmp0(element, "chipset") == 0) {
			chipset = xb_node_get_text(child);
			if (chipset == NULL || chipset[0] == '\0')
				continue;
			if (!fu_quectel_package_contents_check_chip(chipset, error))
				return FALSE;
			if (self->chipid == NULL) {
				self->chipid = g_strdup(chipset);
			} else if (g_ascii_strcasecmp(self->chipid, chipset) != 0) {
				g_set_error(error,
					    FWUPD_ERROR,
					    FWUPD_ERROR_INVALID_DATA,
					    "<chipset> is %s but the chip is %s",
					    chipset,
					    self->chipid);
				return FALSE;
			}
			continue;
		}

		/* files */
		if (g_strcmp0(element, "partition_file") != 0 &&
		    g_strcmp0(element, "flash_programmer") != 0 &&
		    g_strcmp0(element, "download_file") != 0)
			continue;
		if (++(*nfiles) > FU_QUECTEL_PACKAGE_FILES_MAX) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "more than %u files",
				    (guint)FU_QUECTEL_PACKAGE_FILES_MAX);
			return FALSE;
		}
		path = fu_quectel_package_contents_parse_file(child, error);
		if (path == NULL) {
			g_prefix_error(error, "<%s>: ", element);
			return FALSE;
		}
		if (g_strcmp0(element, "flash_programmer") == 0) {
			g_ptr_array_add(self->flash_programmers, g_steal_pointer(&path));
		} else if (g_strcmp0(element, "download_file") == 0) {
			g_ptr_array_add(self->download_files, g_steal_pointer(&path));
		} else if (self->partition_file == NULL) {
			self->partition_file = g_steal_pointer(&path);
		} else {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "second <partition_file> %s, already have %s",
				    path,
				    self->partition_file);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
fu_quectel_package_contents_parse_product_info(FuQuectelPackageContents *self,
					       XbNode *xn,
					       GError **error)
{
	const gchar *chipid = xb_node_query_text(xn, "chipid", NULL);
	const gchar *product_name = xb_node_query_text(xn, "product_name", NULL);

	if (chipid != NULL) {
		if (!fu_quectel_package_contents_check_chip(chipid, error)) {
			g_prefix_error_literal(error, "<chipid>: ");
			return FALSE;
		}
		self->chipid = g_strdup(chipid);
	}
	if (product_name != NULL) {
		if (!fu_quectel_package_xml_check_value("<product_name>", product_name, error))
			return FALSE;
		self->product_name = g_strdup(product_name);
	}
	return TRUE;
}

static gboolean
fu_quectel_package_contents_parse_builds(FuQuectelPackageContents *self, XbNode *xn, GError **error)
{
	guint nbuilds = 0;
	guint nfiles = 0;
	g_autoptr(GPtrArray) children = xb_node_get_children(xn);

	for (guint i = 0; i < children->len; i++) {
		XbNode *child = g_ptr_array_index(children, i);
		if (g_strcmp0(xb_node_get_element(child), "build") != 0)
			continue;
		if (++nbuilds > FU_QUECTEL_PACKAGE_BUILDS_MAX) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "more than %u <build> elements",
				    (guint)FU_QUECTEL_PACKAGE_BUILDS_MAX);
			return FALSE;
		}
		if (!fu_quectel_package_contents_parse_build(self, child, &nfiles, error)) {
			const gchar *name = xb_node_query_text(child, "name", NULL);
			g_prefix_error(error,
				       "<build> #%u (%s): ",
				       nbuilds,
				       name != NULL ? name : "unnamed");
			return FALSE;
		}
	}
	return TRUE;
}

/**
 * fu_quectel_package_contents_parse:
 * @buf: the contents of contents.xml, not NUL-terminated, optionally with a UTF-8 BOM
 * @bufsz: size of @buf
 * @error: (nullable): optional return location for an error
 *
 * Extracts the chip, the flash programmers, the downloaded files and the partition file from
 * the QPST meta file. Paths are `file_path` + `file_name`, relative to the folder.
 *
 * Returns: (transfer full): a #FuQuectelPackageContents, or %NULL on error
 **/
FuQuectelPackageContents *
fu_quectel_package_contents_parse(const gchar *buf, gsize bufsz, GError **error)
{
	const gchar *kind = "contents.xml";
	g_autoptr(FuQuectelPackageContents) self = g_new0(FuQuectelPackageContents, 1);
	g_autoptr(XbSilo) silo = NULL;
	g_autoptr(XbNode) root = NULL;
	g_autoptr(GPtrArray) children = NULL;
	g_autoptr(GPtrArray) elements = NULL;

	g_return_val_if_fail(buf != NULL || bufsz == 0, NULL);

	self->flash_programmers = g_ptr_array_new_with_free_func(g_free);
	self->download_files = g_ptr_array_new_with_free_func(g_free);
	silo = fu_quectel_package_xml_load(kind, buf, bufsz, &elements, error);
	if (silo == NULL)
		return NULL;
	root = fu_quectel_package_xml_get_root(kind, silo, "contents", NULL, error);
	if (root == NULL)
		return NULL;

	/* product_info first: its chipid is the reference for each build */
	children = xb_node_get_children(root);
	if (!fu_quectel_package_xml_check_elements(kind, children, elements, error))
		return NULL;
	for (guint i = 0; i < children->len; i++) {
		XbNode *child = g_ptr_array_index(children, i);
		if (g_strcmp0(xb_node_get_element(child), "product_info") != 0)
			continue;
		if (!fu_quectel_package_contents_parse_product_info(self, child, error)) {
			g_prefix_error(error, "%s: <product_info>: ", kind);
			return NULL;
		}
	}
	for (guint i = 0; i < children->len; i++) {
		XbNode *child = g_ptr_array_index(children, i);
		if (g_strcmp0(xb_node_get_element(child), "builds_flat") != 0)
			continue;
		if (!fu_quectel_package_contents_parse_builds(self, child, error)) {
			g_prefix_error(error, "%s: ", kind);
			return NULL;
		}
	}
	if (self->chipid == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: no <chipid> or <chipset>",
			    kind);
		return NULL;
	}
	return g_steal_pointer(&self);
}

/**
 * fu_quectel_package_contents_parse_bytes:
 * @blob: the contents of contents.xml
 * @error: (nullable): optional return location for an error
 *
 * Returns: (transfer full): a #FuQuectelPackageContents, or %NULL on error
 **/
FuQuectelPackageContents *
fu_quectel_package_contents_parse_bytes(GBytes *blob, GError **error)
{
	gsize bufsz = 0;
	const gchar *buf = g_bytes_get_data(blob, &bufsz);
	return fu_quectel_package_contents_parse(buf, bufsz, error);
}

/**
 * fu_quectel_package_contents_check_chipid:
 * @self: a #FuQuectelPackageContents
 * @chipid: the expected chip, e.g. `MDM9607`
 * @error: (nullable): optional return location for an error
 *
 * Returns: %TRUE if the package is for @chipid (case-insensitive)
 **/
gboolean
fu_quectel_package_contents_check_chipid(const FuQuectelPackageContents *self,
					 const gchar *chipid,
					 GError **error)
{
	if (g_ascii_strcasecmp(self->chipid, chipid) != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "contents.xml: package is for %s, expected %s",
			    self->chipid,
			    chipid);
		return FALSE;
	}
	return TRUE;
}

/* ---------------------------------------------------------------------------------------------
 * rawprogram XML
 * ------------------------------------------------------------------------------------------- */

void
fu_quectel_package_attr_free(FuQuectelPackageAttr *self)
{
	g_free(self->name);
	g_free(self->value);
	g_free(self);
}

void
fu_quectel_package_op_free(FuQuectelPackageOp *self)
{
	g_free(self->filename);
	g_free(self->basename);
	g_free(self->label);
	if (self->attrs != NULL)
		g_ptr_array_unref(self->attrs);
	g_free(self);
}

void
fu_quectel_package_rawprogram_free(FuQuectelPackageRawprogram *self)
{
	if (self->ops != NULL)
		g_ptr_array_unref(self->ops);
	g_free(self);
}

/**
 * fu_quectel_package_op_get_attr:
 * @self: a #FuQuectelPackageOp
 * @name: an attribute name, e.g. `start_sector`
 *
 * Returns: (transfer none): the value as written, or %NULL if absent
 **/
const gchar *
fu_quectel_package_op_get_attr(const FuQuectelPackageOp *self, const gchar *name)
{
	for (guint i = 0; i < self->attrs->len; i++) {
		FuQuectelPackageAttr *attr = g_ptr_array_index(self->attrs, i);
		if (g_strcmp0(attr->name, name) == 0)
			return attr->value;
	}
	return NULL;
}

static gboolean
fu_quectel_package_op_parse_filename(FuQuectelPackageOp *self, XbNode *xn, GError **error)
{
	const gchar *filename = xb_node_get_attr(xn, "filename");

	/* only a <program> sends a file */
	if (self->kind != FU_QUECTEL_PACKAGE_OP_KIND_PROGRAM)
		return TRUE;
	if (filename == NULL) {
		if (self->is_vendor)
			return TRUE;
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "missing attribute filename");
		return FALSE;
	}
	self->filename = g_strdup(filename);
	if (filename[0] == '\0') {
		self->is_empty_filename = TRUE;
		return TRUE;
	}
	self->basename = fu_quectel_package_filename_get_basename(filename, error);
	if (self->basename == NULL) {
		g_prefix_error_literal(error, "attribute filename: ");
		return FALSE;
	}
	return TRUE;
}

static gboolean
fu_quectel_package_op_parse_numbers(FuQuectelPackageOp *self, XbNode *xn, GError **error)
{
	gboolean required = !self->is_vendor;
	guint64 num_min = 1;
	guint64 pages_per_block = 0;
	guint64 phys = 0;
	guint64 last_sector = G_MAXUINT64;

	/* vendor lines are sent verbatim: numbers are checked only if present */
	if (self->is_vendor) {
		if (xb_node_get_attr(xn, "SECTOR_SIZE_IN_BYTES") != NULL &&
		    !fu_quectel_package_xml_attr_sector_size(xn, &self->sector_size, error))
			return FALSE;
	} else {
		if (!fu_quectel_package_xml_attr_sector_size(xn, &self->sector_size, error))
			return FALSE;
	}
	if (!fu_quectel_package_xml_attr_uint(xn,
					      "PAGES_PER_BLOCK",
					      FALSE,
					      1,
					      FU_QUECTEL_PACKAGE_PAGES_PER_BLOCK_MAX,
					      &pages_per_block,
					      error))
		return FALSE;
	if (pages_per_block != 0 && !fu_quectel_package_is_pow2(pages_per_block)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "PAGES_PER_BLOCK %u is not a power of two",
			    (guint)pages_per_block);
		return FALSE;
	}
	self->pages_per_block = (guint32)pages_per_block;
	if (!fu_quectel_package_xml_attr_uint(xn,
					      "physical_partition_number",
					      required,
					      0,
					      FU_QUECTEL_PACKAGE_PHYS_PART_MAX,
					      &phys,
					      error))
		return FALSE;
	self->physical_partition_number = (guint32)phys;
	if (!fu_quectel_package_xml_attr_uint(xn,
					      "start_sector",
					      required,
					      0,
					      G_MAXUINT32,
					      &self->start_sector,
					      error))
		return FALSE;

	/* a skipped <program filename=""> may have no size */
	if (self->is_vendor || self->is_empty_filename)
		num_min = 0;
	if (!fu_quectel_package_xml_attr_uint(xn,
					      "num_partition_sectors",
					      required,
					      num_min,
					      G_MAXUINT32,
					      &self->num_partition_sectors,
					      error))
		return FALSE;
	if (self->start_sector + self->num_partition_sectors > G_MAXUINT32) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "start_sector %u + num_partition_sectors %u is beyond sector 0x%x",
			    (guint)self->start_sector,
			    (guint)self->num_partition_sectors,
			    (guint)G_MAXUINT32);
		return FALSE;
	}

	/* optional, but must agree */
	if (!fu_quectel_package_xml_attr_uint(xn,
					      "last_sector",
					      FALSE,
					      0,
					      G_MAXUINT32,
					      &last_sector,
					      error))
		return FALSE;
	if (last_sector != G_MAXUINT64 && self->num_partition_sectors > 0 &&
	    last_sector != self->start_sector + self->num_partition_sectors - 1) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "last_sector %u does not match start_sector %u + "
			    "num_partition_sectors %u - 1",
			    (guint)last_sector,
			    (guint)self->start_sector,
			    (guint)self->num_partition_sectors);
		return FALSE;
	}
	return TRUE;
}

static FuQuectelPackageOp *
fu_quectel_package_op_parse(XbNode *xn,
			    FuQuectelPackageXmlElement *element,
			    guint idx,
			    GError **error)
{
	const gchar *element_name = xb_node_get_element(xn);
	const gchar *vendor = xb_node_get_attr(xn, "vendor");
	const gchar *label = xb_node_get_attr(xn, "label");
	g_autoptr(FuQuectelPackageOp) self = g_new0(FuQuectelPackageOp, 1);

	self->index = idx;
	if (g_strcmp0(element_name, "erase") == 0) {
		self->kind = FU_QUECTEL_PACKAGE_OP_KIND_ERASE;
	} else if (g_strcmp0(element_name, "program") == 0) {
		self->kind = FU_QUECTEL_PACKAGE_OP_KIND_PROGRAM;
	} else {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "unexpected element, expected <erase> or <program>");
		return NULL;
	}
	if (!fu_quectel_package_xml_check_no_children(xn, error))
		return NULL;
	self->line = element->line;
	self->attrs = fu_quectel_package_xml_get_attrs(xn, element, error);
	if (self->attrs == NULL)
		return NULL;
	if (vendor != NULL) {
		if (g_strcmp0(vendor, FU_QUECTEL_PACKAGE_VENDOR_QUECTEL) != 0) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "unsupported vendor '%s', expected '%s'",
				    vendor,
				    FU_QUECTEL_PACKAGE_VENDOR_QUECTEL);
			return NULL;
		}
		self->is_vendor = TRUE;
	}
	if (label != NULL)
		self->label = g_strdup(label);
	if (!fu_quectel_package_op_parse_filename(self, xn, error))
		return NULL;
	if (!fu_quectel_package_op_parse_numbers(self, xn, error))
		return NULL;
	return g_steal_pointer(&self);
}

/* every checked op uses the same page size and pages per block; takes ownership of @op */
static gboolean
fu_quectel_package_rawprogram_add_op(FuQuectelPackageRawprogram *self,
				     FuQuectelPackageOp *op,
				     GError **error)
{
	g_autoptr(FuQuectelPackageOp) op_owned = op;

	if (!op->is_vendor) {
		if (self->sector_size == 0)
			self->sector_size = op->sector_size;
		if (op->sector_size != self->sector_size) {
			g_set_error(
			    error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "SECTOR_SIZE_IN_BYTES %u differs from %u of the elements before",
			    op->sector_size,
			    self->sector_size);
			return FALSE;
		}
	}
	if (op->pages_per_block != 0) {
		if (self->pages_per_block == 0)
			self->pages_per_block = op->pages_per_block;
		if (op->pages_per_block != self->pages_per_block) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "PAGES_PER_BLOCK %u differs from %u of the elements before",
				    op->pages_per_block,
				    self->pages_per_block);
			return FALSE;
		}
	}
	g_ptr_array_add(self->ops, g_steal_pointer(&op_owned));
	return TRUE;
}

/**
 * fu_quectel_package_rawprogram_parse:
 * @buf: the contents of a rawprogram XML file, not NUL-terminated
 * @bufsz: size of @buf
 * @error: (nullable): optional return location for an error
 *
 * Parses the `<erase>` and `<program>` children of `<data>`, keeping every attribute in
 * order. Lines with `vendor="quectel"` are kept for verbatim pass-through and only the
 * numbers they have are checked.
 *
 * Returns: (transfer full): a #FuQuectelPackageRawprogram, or %NULL on error
 **/
FuQuectelPackageRawprogram *
fu_quectel_package_rawprogram_parse(const gchar *buf, gsize bufsz, GError **error)
{
	const gchar *kind = "rawprogram XML";
	g_autoptr(FuQuectelPackageRawprogram) self = g_new0(FuQuectelPackageRawprogram, 1);
	g_autoptr(XbSilo) silo = NULL;
	g_autoptr(XbNode) root = NULL;
	g_autoptr(GPtrArray) children = NULL;
	g_autoptr(GPtrArray) elements = NULL;

	g_return_val_if_fail(buf != NULL || bufsz == 0, NULL);

	self->ops = g_ptr_array_new_with_free_func((GDestroyNotify)fu_quectel_package_op_free);
	silo = fu_quectel_package_xml_load(kind, buf, bufsz, &elements, error);
	if (silo == NULL)
		return NULL;
	root = fu_quectel_package_xml_get_root(kind, silo, "data", NULL, error);
	if (root == NULL)
		return NULL;
	children = xb_node_get_children(root);
	if (!fu_quectel_package_xml_check_elements(kind, children, elements, error))
		return NULL;
	if (children->len == 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: no <erase> or <program> elements",
			    kind);
		return NULL;
	}
	if (children->len > FU_QUECTEL_PACKAGE_OPS_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: %u elements, the limit is %u",
			    kind,
			    children->len,
			    (guint)FU_QUECTEL_PACKAGE_OPS_MAX);
		return NULL;
	}
	for (guint i = 0; i < children->len; i++) {
		XbNode *child = g_ptr_array_index(children, i);
		FuQuectelPackageXmlElement *element = g_ptr_array_index(elements, i);
		g_autoptr(FuQuectelPackageOp) op =
		    fu_quectel_package_op_parse(child, element, i, error);
		if (op == NULL ||
		    !fu_quectel_package_rawprogram_add_op(self, g_steal_pointer(&op), error)) {
			g_prefix_error(error,
				       "%s line %u: element #%u <%s>: ",
				       kind,
				       element->line,
				       i,
				       xb_node_get_element(child));
			return NULL;
		}
	}
	return g_steal_pointer(&self);
}

/**
 * fu_quectel_package_rawprogram_parse_bytes:
 * @blob: the contents of a rawprogram XML file
 * @error: (nullable): optional return location for an error
 *
 * Returns: (transfer full): a #FuQuectelPackageRawprogram, or %NULL on error
 **/
FuQuectelPackageRawprogram *
fu_quectel_package_rawprogram_parse_bytes(GBytes *blob, GError **error)
{
	gsize bufsz = 0;
	const gchar *buf = g_bytes_get_data(blob, &bufsz);
	return fu_quectel_package_rawprogram_parse(buf, bufsz, error);
}

/**
 * fu_quectel_package_rawprogram_check_geometry:
 * @self: a #FuQuectelPackageRawprogram
 * @geometry: the geometry from the file name or the device
 * @error: (nullable): optional return location for an error
 *
 * Checks SECTOR_SIZE_IN_BYTES and PAGES_PER_BLOCK of every op that has them.
 *
 * Returns: %TRUE if they all match @geometry
 **/
gboolean
fu_quectel_package_rawprogram_check_geometry(const FuQuectelPackageRawprogram *self,
					     const FuQuectelPackageGeometry *geometry,
					     GError **error)
{
	for (guint i = 0; i < self->ops->len; i++) {
		FuQuectelPackageOp *op = g_ptr_array_index(self->ops, i);
		if (op->is_vendor && op->sector_size == 0)
			continue;
		if (!fu_quectel_package_geometry_check_sector(geometry,
							      op->sector_size,
							      op->pages_per_block,
							      error)) {
			g_prefix_error(error,
				       "rawprogram XML line %u: element #%u <%s>: ",
				       op->line,
				       op->index,
				       fu_quectel_package_op_kind_to_string(op->kind));
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
fu_quectel_package_rawprogram_check_op_partition(FuQuectelPackageOp *op,
						 const FuQuectelPackageGeometry *geometry,
						 GPtrArray *partitions,
						 GError **error)
{
	guint64 ppb = geometry->pages_per_block;
	guint64 start_block;

	if (ppb == 0 || op->start_sector % ppb != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "start_sector %u is not at the start of a %u-page block",
			    (guint)op->start_sector,
			    (guint)ppb);
		return FALSE;
	}
	start_block = op->start_sector / ppb;
	for (guint i = 0; i < partitions->len; i++) {
		FuQuectelPackagePartition *part = g_ptr_array_index(partitions, i);
		guint64 expected = (guint64)part->num_blocks * ppb;
		if (part->start_block != start_block)
			continue;
		if (part->num_blocks != 0 && op->num_partition_sectors != expected) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "num_partition_sectors is %u but partition %s has %u sectors",
				    (guint)op->num_partition_sectors,
				    part->name,
				    (guint)expected);
			return FALSE;
		}
		if (part->num_blocks == 0 && !part->grow) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "partition %s is empty",
				    part->name);
			return FALSE;
		}
		return TRUE;
	}
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_INVALID_DATA,
		    "start_sector %u (block %u) is not the start of any partition",
		    (guint)op->start_sector,
		    (guint)start_block);
	return FALSE;
}

/**
 * fu_quectel_package_rawprogram_check_partitions:
 * @self: a #FuQuectelPackageRawprogram
 * @geometry: the geometry of the package
 * @partitions: (element-type FuQuectelPackagePartition): from partition_nand.xml or the MIBIB
 * @error: (nullable): optional return location for an error
 *
 * Checks that every erase and program covers exactly one partition. Vendor lines and
 * empty-filename programs are not checked.
 *
 * Returns: %TRUE if all ops match the partition map
 **/
gboolean
fu_quectel_package_rawprogram_check_partitions(const FuQuectelPackageRawprogram *self,
					       const FuQuectelPackageGeometry *geometry,
					       GPtrArray *partitions,
					       GError **error)
{
	for (guint i = 0; i < self->ops->len; i++) {
		FuQuectelPackageOp *op = g_ptr_array_index(self->ops, i);
		if (op->is_vendor || op->is_empty_filename)
			continue;
		if (!fu_quectel_package_rawprogram_check_op_partition(op,
								      geometry,
								      partitions,
								      error)) {
			g_prefix_error(error,
				       "rawprogram XML line %u: element #%u <%s>: ",
				       op->line,
				       op->index,
				       fu_quectel_package_op_kind_to_string(op->kind));
			return FALSE;
		}
	}
	return TRUE;
}

/* ---------------------------------------------------------------------------------------------
 * patch XML
 * ------------------------------------------------------------------------------------------- */

void
fu_quectel_package_patch_free(FuQuectelPackagePatch *self)
{
	g_free(self->filename);
	g_free(self->start_sector);
	g_free(self->value);
	g_free(self->what);
	g_free(self);
}

/**
 * fu_quectel_package_patch_is_disk:
 * @self: a #FuQuectelPackagePatch
 *
 * Returns: %TRUE if the patch is applied to the device (`filename="DISK"`) rather than to a
 * file of the package before it is sent
 **/
gboolean
fu_quectel_package_patch_is_disk(const FuQuectelPackagePatch *self)
{
	return g_strcmp0(self->filename, FU_QUECTEL_PACKAGE_PATCH_FILENAME_DISK) == 0;
}

/* numeric, or for a DISK patch an expression such as NUM_DISK_SECTORS-33. */
static gboolean
fu_quectel_package_patch_parse_start_sector(FuQuectelPackagePatch *self, XbNode *xn, GError **error)
{
	const gchar *str = xb_node_get_attr(xn, "start_sector");

	if (str == NULL) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "missing attribute start_sector");
		return FALSE;
	}
	self->start_sector = g_strdup(str);
	if (str[0] != '\0' && strspn(str, "0123456789") == strlen(str)) {
		if (!fu_quectel_package_strtoull(str,
						 FU_INTEGER_BASE_10,
						 0,
						 G_MAXUINT32,
						 &self->start_sector_value,
						 error)) {
			g_prefix_error_literal(error, "attribute start_sector: ");
			return FALSE;
		}
		self->start_sector_is_numeric = TRUE;
		return TRUE;
	}
	if (!fu_quectel_package_patch_is_disk(self)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "start_sector '%s' of a file patch is not a number",
			    str);
		return FALSE;
	}
	if (str[0] == '\0' ||
	    strspn(str, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.+-*/()") != strlen(str)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "invalid start_sector '%s', expected a number or an expression "
			    "such as NUM_DISK_SECTORS-33.",
			    str);
		return FALSE;
	}
	return TRUE;
}

static FuQuectelPackagePatch *
fu_quectel_package_patch_parse_element(XbNode *xn,
				       FuQuectelPackageXmlElement *element,
				       GError **error)
{
	const gchar *filename = xb_node_get_attr(xn, "filename");
	const gchar *value = xb_node_get_attr(xn, "value");
	const gchar *what = xb_node_get_attr(xn, "what");
	guint64 byte_offset = 0;
	guint64 size_in_bytes = 0;
	guint64 phys = 0;
	g_autofree gchar *basename = NULL;
	g_autoptr(GPtrArray) attrs = NULL;
	g_autoptr(FuQuectelPackagePatch) self = g_new0(FuQuectelPackagePatch, 1);

	if (g_strcmp0(xb_node_get_element(xn), "patch") != 0) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "unexpected element, expected <patch>");
		return NULL;
	}
	if (!fu_quectel_package_xml_check_no_children(xn, error))
		return NULL;
	attrs = fu_quectel_package_xml_get_attrs(xn, element, error);
	if (attrs == NULL)
		return NULL;

	/* filename: DISK or a file of the package */
	if (filename == NULL) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "missing attribute filename");
		return NULL;
	}
	basename = fu_quectel_package_filename_get_basename(filename, error);
	if (basename == NULL) {
		g_prefix_error_literal(error, "attribute filename: ");
		return NULL;
	}
	self->filename = g_strdup(filename);

	/* where */
	if (!fu_quectel_package_xml_attr_sector_size(xn, &self->sector_size, error))
		return NULL;
	if (!fu_quectel_package_xml_attr_uint(xn,
					      "size_in_bytes",
					      TRUE,
					      1,
					      FU_QUECTEL_PACKAGE_PATCH_SIZE_MAX,
					      &size_in_bytes,
					      error))
		return NULL;
	self->size_in_bytes = (guint32)size_in_bytes;
	if (!fu_quectel_package_xml_attr_uint(xn,
					      "byte_offset",
					      TRUE,
					      0,
					      self->sector_size - self->size_in_bytes,
					      &byte_offset,
					      error))
		return NULL;
	self->byte_offset = byte_offset;
	if (!fu_quectel_package_xml_attr_uint(xn,
					      "physical_partition_number",
					      TRUE,
					      0,
					      FU_QUECTEL_PACKAGE_PHYS_PART_MAX,
					      &phys,
					      error))
		return NULL;
	self->physical_partition_number = (guint32)phys;
	if (!fu_quectel_package_patch_parse_start_sector(self, xn, error))
		return NULL;

	/* what */
	if (value == NULL || value[0] == '\0') {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "missing attribute value");
		return NULL;
	}
	if (strlen(value) > FU_QUECTEL_PACKAGE_PATCH_VALUE_LEN_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "attribute value is longer than %u bytes",
			    (guint)FU_QUECTEL_PACKAGE_PATCH_VALUE_LEN_MAX);
		return NULL;
	}
	self->value = g_strdup(value);
	self->what = g_strdup(what);
	return g_steal_pointer(&self);
}

/**
 * fu_quectel_package_patch_parse:
 * @buf: the contents of a patch XML file, not NUL-terminated
 * @bufsz: size of @buf
 * @error: (nullable): optional return location for an error
 *
 * Parses the `<patch>` children of `<patches>` (or `<data>`).
 *
 * Returns: (transfer container) (element-type FuQuectelPackagePatch): patches, or %NULL
 **/
GPtrArray *
fu_quectel_package_patch_parse(const gchar *buf, gsize bufsz, GError **error)
{
	const gchar *kind = "patch XML";
	g_autoptr(GPtrArray) patches =
	    g_ptr_array_new_with_free_func((GDestroyNotify)fu_quectel_package_patch_free);
	g_autoptr(XbSilo) silo = NULL;
	g_autoptr(XbNode) root = NULL;
	g_autoptr(GPtrArray) children = NULL;
	g_autoptr(GPtrArray) elements = NULL;

	g_return_val_if_fail(buf != NULL || bufsz == 0, NULL);

	silo = fu_quectel_package_xml_load(kind, buf, bufsz, &elements, error);
	if (silo == NULL)
		return NULL;
	root = fu_quectel_package_xml_get_root(kind, silo, "patches", "data", error);
	if (root == NULL)
		return NULL;
	children = xb_node_get_children(root);
	if (!fu_quectel_package_xml_check_elements(kind, children, elements, error))
		return NULL;
	if (children->len > FU_QUECTEL_PACKAGE_PATCHES_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: %u elements, the limit is %u",
			    kind,
			    children->len,
			    (guint)FU_QUECTEL_PACKAGE_PATCHES_MAX);
		return NULL;
	}
	for (guint i = 0; i < children->len; i++) {
		XbNode *child = g_ptr_array_index(children, i);
		FuQuectelPackageXmlElement *element = g_ptr_array_index(elements, i);
		FuQuectelPackagePatch *patch =
		    fu_quectel_package_patch_parse_element(child, element, error);
		if (patch == NULL) {
			g_prefix_error(error,
				       "%s line %u: element #%u <%s>: ",
				       kind,
				       element->line,
				       i,
				       xb_node_get_element(child));
			return NULL;
		}
		g_ptr_array_add(patches, patch);
	}
	return g_steal_pointer(&patches);
}

/**
 * fu_quectel_package_patch_parse_bytes:
 * @blob: the contents of a patch XML file
 * @error: (nullable): optional return location for an error
 *
 * Returns: (transfer container) (element-type FuQuectelPackagePatch): patches, or %NULL
 **/
GPtrArray *
fu_quectel_package_patch_parse_bytes(GBytes *blob, GError **error)
{
	gsize bufsz = 0;
	const gchar *buf = g_bytes_get_data(blob, &bufsz);
	return fu_quectel_package_patch_parse(buf, bufsz, error);
}

/* ---------------------------------------------------------------------------------------------
 * partitions
 * ------------------------------------------------------------------------------------------- */

void
fu_quectel_package_partition_free(FuQuectelPackagePartition *self)
{
	g_free(self->name);
	g_free(self->img_name);
	g_free(self);
}

/**
 * fu_quectel_package_partition_find:
 * @partitions: (element-type FuQuectelPackagePartition): partitions
 * @name: a partition name, e.g. `0:SBL`
 *
 * Returns: (transfer none): the partition, or %NULL
 **/
FuQuectelPackagePartition *
fu_quectel_package_partition_find(GPtrArray *partitions, const gchar *name)
{
	for (guint i = 0; i < partitions->len; i++) {
		FuQuectelPackagePartition *part = g_ptr_array_index(partitions, i);
		if (g_strcmp0(part->name, name) == 0)
			return part;
	}
	return NULL;
}

static gboolean
fu_quectel_package_partition_check_name(const gchar *name, GError **error)
{
	gsize len = strlen(name);
	if (len == 0 || len > FU_QUECTEL_PACKAGE_PARTITION_NAME_LEN_MAX ||
	    !fu_quectel_package_is_printable(name, FALSE)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "invalid partition name '%.32s', expected 1 to %u printable characters",
			    name,
			    (guint)FU_QUECTEL_PACKAGE_PARTITION_NAME_LEN_MAX);
		return FALSE;
	}
	return TRUE;
}

/* the partitions must be in flash order, unique, and only the last may grow */
static gboolean
fu_quectel_package_partition_add(GPtrArray *partitions,
				 FuQuectelPackagePartition *part,
				 GError **error)
{
	g_autoptr(FuQuectelPackagePartition) part_owned = part;

	if (fu_quectel_package_partition_find(partitions, part->name) != NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "duplicate partition %s",
			    part->name);
		return FALSE;
	}
	if (partitions->len > 0) {
		FuQuectelPackagePartition *prev =
		    g_ptr_array_index(partitions, partitions->len - 1);
		guint64 prev_end = (guint64)prev->start_block + prev->num_blocks;
		if (prev->grow) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "partition %s follows %s, which takes the rest of the flash",
				    part->name,
				    prev->name);
			return FALSE;
		}
		if (part->start_block < prev_end) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "partition %s starts at block 0x%x, inside %s which ends at "
				    "block 0x%x",
				    part->name,
				    part->start_block,
				    prev->name,
				    (guint)prev_end);
			return FALSE;
		}
	}
	g_ptr_array_add(partitions, g_steal_pointer(&part_owned));
	return TRUE;
}

/* ---------------------------------------------------------------------------------------------
 * partition_nand.xml
 * ------------------------------------------------------------------------------------------- */

void
fu_quectel_package_partition_nand_free(FuQuectelPackagePartitionNand *self)
{
	if (self->partitions != NULL)
		g_ptr_array_unref(self->partitions);
	g_free(self);
}

typedef struct {
	guint64 size_kib; /* 0 means "the rest of the flash" */
	guint64 pad_kib;
	gboolean has_size;
	gboolean has_pad;
	guint attr_cnt;
} FuQuectelPackagePartitionNandHelper;

static gboolean
fu_quectel_package_partition_nand_parse_size(FuQuectelPackagePartitionNandHelper *helper,
					     XbNode *xn,
					     guint32 block_kib,
					     GError **error)
{
	const gchar *element = xb_node_get_element(xn);
	gboolean is_pad = g_str_has_prefix(element, "pad_");
	gboolean in_blocks = g_str_has_suffix(element, "_blks");
	const gchar *text = fu_quectel_package_xml_get_text(xn, error);
	guint64 value = 0;

	if (text == NULL)
		return FALSE;
	if (is_pad ? helper->has_pad : helper->has_size) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "more than one %s",
			    is_pad ? "padding" : "size");
		return FALSE;
	}

	/* as QPST does: _blks is hex, _kb is decimal with two special markers */
	if (in_blocks) {
		if (!fu_quectel_package_xml_get_text_uint(xn,
							  FU_INTEGER_BASE_16,
							  FU_QUECTEL_PACKAGE_BLOCKS_MAX,
							  &value,
							  error))
			return FALSE;
		value *= block_kib;
	} else if (!is_pad && g_ascii_strcasecmp(text, FU_QUECTEL_PACKAGE_SIZE_KB_GROW) == 0) {
		value = 0;
	} else if (is_pad && g_ascii_strcasecmp(text, FU_QUECTEL_PACKAGE_PAD_KB_NONE) == 0) {
		value = 0;
	} else if (!fu_quectel_package_xml_get_text_uint(xn,
							 FU_INTEGER_BASE_10,
							 FU_QUECTEL_PACKAGE_SIZE_KIB_MAX,
							 &value,
							 error)) {
		return FALSE;
	}
	if (is_pad) {
		helper->pad_kib = value;
		helper->has_pad = TRUE;
	} else {
		helper->size_kib = value;
		helper->has_size = TRUE;
	}
	return TRUE;
}

static gboolean
fu_quectel_package_partition_nand_parse_attr(FuQuectelPackagePartitionNandHelper *helper,
					     FuQuectelPackagePartition *part,
					     XbNode *xn,
					     GError **error)
{
	guint64 value = 0;

	if (helper->attr_cnt >= FU_QUECTEL_PACKAGE_ATTR_COUNT) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "more than %u <attr>",
			    (guint)FU_QUECTEL_PACKAGE_ATTR_COUNT);
		return FALSE;
	}
	if (!fu_quectel_package_xml_get_text_uint(xn,
						  FU_INTEGER_BASE_16,
						  G_MAXUINT8,
						  &value,
						  error))
		return FALSE;

	/* the fourth byte is a QPST user-table flag, not part of the MIBIB entry */
	if (helper->attr_cnt == 0)
		part->attr1 = (guint8)value;
	else if (helper->attr_cnt == 1)
		part->attr2 = (guint8)value;
	else if (helper->attr_cnt == 2)
		part->attr3 = (guint8)value;
	helper->attr_cnt++;
	return TRUE;
}

static gboolean
fu_quectel_package_partition_nand_parse_child(FuQuectelPackagePartitionNandHelper *helper,
					      FuQuectelPackagePartition *part,
					      XbNode *xn,
					      guint32 block_kib,
					      GError **error)
{
	const gchar *element = xb_node_get_element(xn);
	const gchar *text;
	guint64 value = 0;

	if (g_strcmp0(element, "name") == 0) {
		if (part->name != NULL) {
			g_set_error_literal(error,
					    FWUPD_ERROR,
					    FWUPD_ERROR_INVALID_DATA,
					    "more than one <name>");
			return FALSE;
		}
		text = fu_quectel_package_xml_get_text(xn, error);
		if (text == NULL || !fu_quectel_package_partition_check_name(text, error))
			return FALSE;
		part->name = g_strdup(text);
		return TRUE;
	}
	if (g_strcmp0(element, "size_blks") == 0 || g_strcmp0(element, "size_kb") == 0 ||
	    g_strcmp0(element, "pad_blks") == 0 || g_strcmp0(element, "pad_kb") == 0)
		return fu_quectel_package_partition_nand_parse_size(helper, xn, block_kib, error);
	if (g_strcmp0(element, "attr") == 0)
		return fu_quectel_package_partition_nand_parse_attr(helper, part, xn, error);
	if (g_strcmp0(element, "which_flash") == 0) {
		if (!fu_quectel_package_xml_get_text_uint(xn,
							  FU_INTEGER_BASE_AUTO,
							  G_MAXUINT8,
							  &value,
							  error))
			return FALSE;
		part->which_flash = (guint8)value;
		return TRUE;
	}
	if (g_strcmp0(element, "img_name") == 0) {
		text = fu_quectel_package_xml_get_text(xn, error);
		if (text == NULL)
			return FALSE;
		g_free(part->img_name);
		part->img_name = fu_quectel_package_filename_get_basename(text, error);
		return part->img_name != NULL;
	}
	/* QPST ignores <flags> */
	if (g_strcmp0(element, "flags") == 0)
		return TRUE;
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_INVALID_DATA,
		    "unexpected element <%s>",
		    element);
	return FALSE;
}

/* lay one partition out after @start_block: size and padding are each rounded up to blocks */
static FuQuectelPackagePartition *
fu_quectel_package_partition_nand_parse_partition(XbNode *xn,
						  guint32 block_kib,
						  guint64 start_block,
						  gboolean is_last,
						  guint32 total_blocks,
						  GError **error)
{
	guint64 num_blocks;
	FuQuectelPackagePartitionNandHelper helper = {0};
	g_autoptr(GPtrArray) children = xb_node_get_children(xn);
	g_autoptr(FuQuectelPackagePartition) part = g_new0(FuQuectelPackagePartition, 1);

	for (guint i = 0; i < children->len; i++) {
		XbNode *child = g_ptr_array_index(children, i);
		if (!fu_quectel_package_partition_nand_parse_child(&helper,
								   part,
								   child,
								   block_kib,
								   error))
			return NULL;
	}
	if (part->name == NULL) {
		g_set_error_literal(error, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA, "missing <name>");
		return NULL;
	}
	if (helper.attr_cnt != FU_QUECTEL_PACKAGE_ATTR_COUNT) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: %u <attr>, expected %u",
			    part->name,
			    helper.attr_cnt,
			    (guint)FU_QUECTEL_PACKAGE_ATTR_COUNT);
		return NULL;
	}
	part->start_block = (guint32)start_block;

	/* the last partition may take the rest of the flash */
	if (helper.size_kib == 0) {
		if (!is_last || helper.pad_kib != 0) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "%s: no size, which only the last partition may have, "
				    "without padding",
				    part->name);
			return NULL;
		}
		part->grow = TRUE;
		if (total_blocks != 0) {
			if (start_block >= total_blocks) {
				g_set_error(error,
					    FWUPD_ERROR,
					    FWUPD_ERROR_INVALID_DATA,
					    "%s: starts at block 0x%x, beyond the 0x%x blocks "
					    "of the flash",
					    part->name,
					    (guint)start_block,
					    total_blocks);
				return NULL;
			}
			part->num_blocks = total_blocks - (guint32)start_block;
		}
		return g_steal_pointer(&part);
	}

	num_blocks = (helper.size_kib + block_kib - 1) / block_kib +
		     (helper.pad_kib + block_kib - 1) / block_kib;
	if (start_block + num_blocks > FU_QUECTEL_PACKAGE_BLOCKS_MAX ||
	    (total_blocks != 0 && start_block + num_blocks > total_blocks)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: ends at block 0x%x, beyond the 0x%x blocks of the flash",
			    part->name,
			    (guint)(start_block + num_blocks),
			    total_blocks != 0 ? total_blocks
					      : (guint)FU_QUECTEL_PACKAGE_BLOCKS_MAX);
		return NULL;
	}
	part->num_blocks = (guint32)num_blocks;
	return g_steal_pointer(&part);
}

static gboolean
fu_quectel_package_partition_nand_parse_partitions(FuQuectelPackagePartitionNand *self,
						   XbNode *xn,
						   const FuQuectelPackageGeometry *geometry,
						   guint32 total_blocks,
						   GError **error)
{
	guint64 start_block = 0;
	guint32 block_kib = geometry->block_size / FU_QUECTEL_PACKAGE_KIB;
	g_autoptr(GPtrArray) children = xb_node_get_children(xn);

	if (children->len == 0 || children->len > FU_QUECTEL_PACKAGE_PARTITIONS_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%u partitions, expected 1 to %u",
			    children->len,
			    (guint)FU_QUECTEL_PACKAGE_PARTITIONS_MAX);
		return FALSE;
	}
	for (guint i = 0; i < children->len; i++) {
		XbNode *child = g_ptr_array_index(children, i);
		FuQuectelPackagePartition *part;

		if (g_strcmp0(xb_node_get_element(child), "partition") != 0) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "<partitions> element #%u is <%s>, expected <partition>",
				    i,
				    xb_node_get_element(child));
			return FALSE;
		}
		part = fu_quectel_package_partition_nand_parse_partition(child,
									 block_kib,
									 start_block,
									 i == children->len - 1,
									 total_blocks,
									 error);
		if (part == NULL) {
			g_prefix_error(error, "<partition> #%u: ", i);
			return FALSE;
		}
		start_block += part->num_blocks;
		if (!fu_quectel_package_partition_add(self->partitions, part, error))
			return FALSE;
	}
	return TRUE;
}

/**
 * fu_quectel_package_partition_nand_parse:
 * @buf: the contents of update/partition_nand.xml, not NUL-terminated
 * @bufsz: size of @buf
 * @geometry: the NAND geometry, which sets the block size
 * @total_blocks: the number of blocks of the flash, or 0 if unknown
 * @error: (nullable): optional return location for an error
 *
 * Lays the partitions out from block 0 as QPST does: each size (`size_blks` in hex blocks or
 * `size_kb` in KiB) and each padding (`pad_blks`, `pad_kb`) is rounded up to whole blocks;
 * a last partition without a size takes the rest of the flash.
 *
 * Returns: (transfer full): a #FuQuectelPackagePartitionNand, or %NULL on error
 **/
FuQuectelPackagePartitionNand *
fu_quectel_package_partition_nand_parse(const gchar *buf,
					gsize bufsz,
					const FuQuectelPackageGeometry *geometry,
					guint32 total_blocks,
					GError **error)
{
	const gchar *kind = "partition_nand.xml";
	guint npartitions = 0;
	g_autoptr(FuQuectelPackagePartitionNand) self = g_new0(FuQuectelPackagePartitionNand, 1);
	g_autoptr(XbSilo) silo = NULL;
	g_autoptr(XbNode) root = NULL;
	g_autoptr(GPtrArray) children = NULL;
	g_autoptr(GPtrArray) elements = NULL;

	g_return_val_if_fail(buf != NULL || bufsz == 0, NULL);
	g_return_val_if_fail(geometry != NULL, NULL);

	self->partitions =
	    g_ptr_array_new_with_free_func((GDestroyNotify)fu_quectel_package_partition_free);
	if (geometry->block_size < FU_QUECTEL_PACKAGE_KIB) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: invalid block size 0x%x",
			    kind,
			    geometry->block_size);
		return NULL;
	}
	silo = fu_quectel_package_xml_load(kind, buf, bufsz, &elements, error);
	if (silo == NULL)
		return NULL;
	root = fu_quectel_package_xml_get_root(kind, silo, "nandboot", NULL, error);
	if (root == NULL)
		return NULL;
	children = xb_node_get_children(root);
	if (!fu_quectel_package_xml_check_elements(kind, children, elements, error))
		return NULL;
	for (guint i = 0; i < children->len; i++) {
		XbNode *child = g_ptr_array_index(children, i);
		const gchar *element = xb_node_get_element(child);
		guint64 version = 0;

		if (g_strcmp0(element, "magic_numbers") == 0)
			continue;
		if (g_strcmp0(element, "partition_version") == 0) {
			if (!fu_quectel_package_xml_get_text_uint(child,
								  FU_INTEGER_BASE_16,
								  G_MAXUINT32,
								  &version,
								  error)) {
				g_prefix_error(error, "%s: ", kind);
				return NULL;
			}
			self->version = (guint32)version;
			continue;
		}
		if (g_strcmp0(element, "partitions") != 0) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "%s: unexpected element <%s>",
				    kind,
				    element);
			return NULL;
		}
		if (npartitions++ > 0) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "%s: more than one <partitions>",
				    kind);
			return NULL;
		}
		if (!fu_quectel_package_partition_nand_parse_partitions(self,
									child,
									geometry,
									total_blocks,
									error)) {
			g_prefix_error(error, "%s: ", kind);
			return NULL;
		}
	}
	if (npartitions == 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: no <partitions>",
			    kind);
		return NULL;
	}
	return g_steal_pointer(&self);
}

/**
 * fu_quectel_package_partition_nand_parse_bytes:
 * @blob: the contents of update/partition_nand.xml
 * @geometry: the NAND geometry
 * @total_blocks: the number of blocks of the flash, or 0 if unknown
 * @error: (nullable): optional return location for an error
 *
 * Returns: (transfer full): a #FuQuectelPackagePartitionNand, or %NULL on error
 **/
FuQuectelPackagePartitionNand *
fu_quectel_package_partition_nand_parse_bytes(GBytes *blob,
					      const FuQuectelPackageGeometry *geometry,
					      guint32 total_blocks,
					      GError **error)
{
	gsize bufsz = 0;
	const gchar *buf = g_bytes_get_data(blob, &bufsz);
	return fu_quectel_package_partition_nand_parse(buf, bufsz, geometry, total_blocks, error);
}

/* ---------------------------------------------------------------------------------------------
 * MIBIB
 * ------------------------------------------------------------------------------------------- */

void
fu_quectel_package_mibib_free(FuQuectelPackageMibib *self)
{
	if (self->partitions != NULL)
		g_ptr_array_unref(self->partitions);
	g_free(self);
}

/* the name field: printable ASCII, then NUL padding to 16 bytes */
static gchar *
fu_quectel_package_mibib_parse_name(const guint8 *buf, gsize offset, GError **error)
{
	gsize len = 0;
	g_autoptr(GString) str = g_string_new(NULL);

	while (len < FU_STRUCT_QUECTEL_MIBIB_ENTRY_SIZE_NAME && buf[offset + len] != '\0') {
		if (!g_ascii_isgraph(buf[offset + len])) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "invalid byte 0x%02x in the partition name",
				    buf[offset + len]);
			return NULL;
		}
		g_string_append_c(str, (gchar)buf[offset + len]);
		len++;
	}
	if (len == 0) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "empty partition name");
		return NULL;
	}
	for (gsize i = len; i < FU_STRUCT_QUECTEL_MIBIB_ENTRY_SIZE_NAME; i++) {
		if (buf[offset + i] != '\0') {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "partition name %s is followed by byte 0x%02x, expected NUL "
				    "padding",
				    str->str,
				    buf[offset + i]);
			return NULL;
		}
	}
	return g_string_free(g_steal_pointer(&str), FALSE);
}

static FuQuectelPackagePartition *
fu_quectel_package_mibib_parse_entry(GBytes *blob, gsize offset, gboolean is_last, GError **error)
{
	const guint8 *buf = g_bytes_get_data(blob, NULL);
	guint32 length;
	g_autoptr(FuStructQuectelMibibEntry) st = NULL;
	g_autoptr(FuQuectelPackagePartition) part = g_new0(FuQuectelPackagePartition, 1);

	st = fu_struct_quectel_mibib_entry_parse_bytes(blob, offset, error);
	if (st == NULL)
		return NULL;
	part->name = fu_quectel_package_mibib_parse_name(buf, offset, error);
	if (part->name == NULL)
		return NULL;
	part->start_block = fu_struct_quectel_mibib_entry_get_offset(st);
	part->attr1 = fu_struct_quectel_mibib_entry_get_attr1(st);
	part->attr2 = fu_struct_quectel_mibib_entry_get_attr2(st);
	part->attr3 = fu_struct_quectel_mibib_entry_get_attr3(st);
	part->which_flash = fu_struct_quectel_mibib_entry_get_which_flash(st);
	length = fu_struct_quectel_mibib_entry_get_length(st);
	if (length == FU_QUECTEL_PACKAGE_MIBIB_LENGTH_GROW) {
		if (!is_last) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "partition %s takes the rest of the flash but is not the last",
				    part->name);
			return NULL;
		}
		part->grow = TRUE;
		return g_steal_pointer(&part);
	}
	if (length == 0 || (guint64)part->start_block + length > FU_QUECTEL_PACKAGE_BLOCKS_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "partition %s has offset 0x%x and length 0x%x blocks, expected a "
			    "non-empty partition below block 0x%x",
			    part->name,
			    part->start_block,
			    length,
			    (guint)FU_QUECTEL_PACKAGE_BLOCKS_MAX);
		return NULL;
	}
	part->num_blocks = length;
	return g_steal_pointer(&part);
}

/* the table is at offset 0, or at page 1 after a mi_boot_info header page */
static gboolean
fu_quectel_package_mibib_find_table(FuQuectelPackageMibib *self,
				    GBytes *blob,
				    guint32 page_size,
				    GError **error)
{
	g_autoptr(FuStructQuectelMibibHeader) st_hdr = NULL;

	if (fu_struct_quectel_mibib_table_validate_bytes(blob, 0x0, NULL)) {
		self->table_offset = 0;
		return TRUE;
	}
	st_hdr = fu_struct_quectel_mibib_header_parse_bytes(blob, 0x0, NULL);
	if (st_hdr == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "no partition table magic 0x%x or MIBIB header magic 0x%x at offset "
			    "0x0",
			    (guint)FU_STRUCT_QUECTEL_MIBIB_TABLE_DEFAULT_MAGIC1,
			    (guint)FU_STRUCT_QUECTEL_MIBIB_HEADER_DEFAULT_MAGIC1);
		return FALSE;
	}
	self->has_header = TRUE;
	self->header_version = fu_struct_quectel_mibib_header_get_version(st_hdr);
	self->header_age = fu_struct_quectel_mibib_header_get_age(st_hdr);
	if (self->header_version == 0 ||
	    self->header_version > FU_QUECTEL_PACKAGE_MIBIB_HEADER_VER_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "unsupported MIBIB header version %u, expected 1 to %u",
			    self->header_version,
			    (guint)FU_QUECTEL_PACKAGE_MIBIB_HEADER_VER_MAX);
		return FALSE;
	}

	/* page 1: at the given page size, or at each supported page size in turn */
	for (guint32 ps = FU_QUECTEL_PACKAGE_KIB;
	     ps <= FU_QUECTEL_PACKAGE_PAGE_KIB_MAX * FU_QUECTEL_PACKAGE_KIB;
	     ps *= 2) {
		if (page_size != 0 && ps != page_size)
			continue;
		if (fu_struct_quectel_mibib_table_validate_bytes(blob, ps, NULL)) {
			self->table_offset = ps;
			return TRUE;
		}
	}
	if (page_size != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "header found but no partition table magic 0x%x at page 1 "
			    "(offset 0x%x)",
			    (guint)FU_STRUCT_QUECTEL_MIBIB_TABLE_DEFAULT_MAGIC1,
			    page_size);
		return FALSE;
	}
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_INVALID_DATA,
		    "header found but no partition table magic 0x%x at page 1 for any page "
		    "size from 0x%x to 0x%x",
		    (guint)FU_STRUCT_QUECTEL_MIBIB_TABLE_DEFAULT_MAGIC1,
		    (guint)FU_QUECTEL_PACKAGE_KIB,
		    (guint)(FU_QUECTEL_PACKAGE_PAGE_KIB_MAX * FU_QUECTEL_PACKAGE_KIB));
	return FALSE;
}

static gboolean
fu_quectel_package_mibib_parse_table(FuQuectelPackageMibib *self, GBytes *blob, GError **error)
{
	guint32 numparts;
	guint numparts_max;
	gsize entries_end;
	g_autoptr(FuStructQuectelMibibTable) st = NULL;

	st = fu_struct_quectel_mibib_table_parse_bytes(blob, self->table_offset, error);
	if (st == NULL)
		return FALSE;
	self->version = fu_struct_quectel_mibib_table_get_version(st);
	if (self->version == FU_QUECTEL_PACKAGE_MIBIB_VERSION_V3) {
		numparts_max = FU_QUECTEL_PACKAGE_PARTITIONS_V3_MAX;
	} else if (self->version == FU_QUECTEL_PACKAGE_MIBIB_VERSION_V4) {
		numparts_max = FU_QUECTEL_PACKAGE_PARTITIONS_MAX;
	} else {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "unsupported partition table version %u at offset 0x%x, expected %u "
			    "or %u",
			    self->version,
			    (guint)self->table_offset,
			    (guint)FU_QUECTEL_PACKAGE_MIBIB_VERSION_V3,
			    (guint)FU_QUECTEL_PACKAGE_MIBIB_VERSION_V4);
		return FALSE;
	}
	numparts = fu_struct_quectel_mibib_table_get_numparts(st);
	if (numparts == 0 || numparts > numparts_max) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%u partitions at offset 0x%x, expected 1 to %u for version %u",
			    numparts,
			    (guint)self->table_offset,
			    numparts_max,
			    self->version);
		return FALSE;
	}

	/* after a header the table has to fit in its page */
	entries_end = self->table_offset + FU_STRUCT_QUECTEL_MIBIB_TABLE_SIZE +
		      (gsize)numparts * FU_STRUCT_QUECTEL_MIBIB_ENTRY_SIZE;
	if (self->has_header && entries_end > 2 * self->table_offset) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%u partitions do not fit in the 0x%x byte page at offset 0x%x",
			    numparts,
			    (guint)self->table_offset,
			    (guint)self->table_offset);
		return FALSE;
	}
	if (entries_end > g_bytes_get_size(blob)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "truncated: %u partitions need 0x%x bytes but the file has 0x%x",
			    numparts,
			    (guint)entries_end,
			    (guint)g_bytes_get_size(blob));
		return FALSE;
	}
	for (guint i = 0; i < numparts; i++) {
		gsize offset = self->table_offset + FU_STRUCT_QUECTEL_MIBIB_TABLE_SIZE +
			       (gsize)i * FU_STRUCT_QUECTEL_MIBIB_ENTRY_SIZE;
		FuQuectelPackagePartition *part =
		    fu_quectel_package_mibib_parse_entry(blob, offset, i == numparts - 1, error);
		if (part == NULL ||
		    !fu_quectel_package_partition_add(self->partitions, part, error)) {
			g_prefix_error(error, "entry #%u at offset 0x%x: ", i, (guint)offset);
			return FALSE;
		}
	}
	return TRUE;
}

/**
 * fu_quectel_package_mibib_parse_bytes:
 * @blob: the contents of partition_complete_p*.mbn
 * @page_size: the NAND page size, or 0 to try each supported page size
 * @error: (nullable): optional return location for an error
 *
 * Parses the Qualcomm NAND system partition table (magic 0x55EE73AA 0xE35EBDDB), either at
 * offset 0 or at page 1 after a MIBIB header page (magic 0xFE569FAC 0xCD7F127A).
 *
 * Returns: (transfer full): a #FuQuectelPackageMibib, or %NULL on error
 **/
FuQuectelPackageMibib *
fu_quectel_package_mibib_parse_bytes(GBytes *blob, guint32 page_size, GError **error)
{
	gsize bufsz = g_bytes_get_size(blob);
	g_autoptr(FuQuectelPackageMibib) self = g_new0(FuQuectelPackageMibib, 1);

	self->partitions =
	    g_ptr_array_new_with_free_func((GDestroyNotify)fu_quectel_package_partition_free);
	if (bufsz > FU_QUECTEL_PACKAGE_MIBIB_SIZE_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "MIBIB: file is 0x%x bytes, the limit is 0x%x",
			    (guint)bufsz,
			    (guint)FU_QUECTEL_PACKAGE_MIBIB_SIZE_MAX);
		return NULL;
	}
	if (page_size != 0 &&
	    (!fu_quectel_package_is_pow2(page_size) || page_size < FU_QUECTEL_PACKAGE_KIB ||
	     page_size > FU_QUECTEL_PACKAGE_PAGE_KIB_MAX * FU_QUECTEL_PACKAGE_KIB)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "MIBIB: unsupported page size 0x%x",
			    page_size);
		return NULL;
	}
	if (!fu_quectel_package_mibib_find_table(self, blob, page_size, error) ||
	    !fu_quectel_package_mibib_parse_table(self, blob, error)) {
		g_prefix_error_literal(error, "MIBIB: ");
		return NULL;
	}
	return g_steal_pointer(&self);
}

/**
 * fu_quectel_package_mibib_parse:
 * @buf: the contents of partition_complete_p*.mbn
 * @bufsz: size of @buf
 * @page_size: the NAND page size, or 0 to try each supported page size
 * @error: (nullable): optional return location for an error
 *
 * Returns: (transfer full): a #FuQuectelPackageMibib, or %NULL on error
 **/
FuQuectelPackageMibib *
fu_quectel_package_mibib_parse(const guint8 *buf, gsize bufsz, guint32 page_size, GError **error)
{
	g_autoptr(GBytes) blob = NULL;
	g_return_val_if_fail(buf != NULL || bufsz == 0, NULL);
	blob = g_bytes_new_static(buf, bufsz);
	return fu_quectel_package_mibib_parse_bytes(blob, page_size, error);
}

/**
 * fu_quectel_package_mibib_check_partitions:
 * @self: a #FuQuectelPackageMibib
 * @partitions: (element-type FuQuectelPackagePartition): e.g. from partition_nand.xml
 * @error: (nullable): optional return location for an error
 *
 * Checks that the MIBIB has the same partitions, in the same order, at the same blocks.
 * The length of a growing last partition is compared only if both sides know it.
 *
 * Returns: %TRUE if they match
 **/
gboolean
fu_quectel_package_mibib_check_partitions(const FuQuectelPackageMibib *self,
					  GPtrArray *partitions,
					  GError **error)
{
	if (self->partitions->len != partitions->len) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "MIBIB has %u partitions, expected %u",
			    self->partitions->len,
			    partitions->len);
		return FALSE;
	}
	for (guint i = 0; i < partitions->len; i++) {
		FuQuectelPackagePartition *part1 = g_ptr_array_index(self->partitions, i);
		FuQuectelPackagePartition *part2 = g_ptr_array_index(partitions, i);
		gboolean known = part1->num_blocks != 0 && part2->num_blocks != 0;
		if (g_strcmp0(part1->name, part2->name) != 0 ||
		    part1->start_block != part2->start_block ||
		    (known && part1->num_blocks != part2->num_blocks)) {
			g_set_error(
			    error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "MIBIB entry #%u is %s at block 0x%x length 0x%x, expected %s at "
			    "block 0x%x length 0x%x",
			    i,
			    part1->name,
			    part1->start_block,
			    part1->num_blocks,
			    part2->name,
			    part2->start_block,
			    part2->num_blocks);
			return FALSE;
		}
	}
	return TRUE;
}

/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * NAND geometry: page and block size as the file names give them.
 */

#include "config.h"

#include <string.h>

#include "fu-quectel-package-geometry.h"
#include "fu-quectel-package-text.h"

#define FU_QUECTEL_PACKAGE_KIB		       1024
#define FU_QUECTEL_PACKAGE_GBIT_BYTES	       (128 * 1024 * 1024)
#define FU_QUECTEL_PACKAGE_FLASH_GBIT_MAX      64
#define FU_QUECTEL_PACKAGE_PAGES_PER_BLOCK_MAX 1024
#define FU_QUECTEL_PACKAGE_PAGE_KIB_MAX	       16
#define FU_QUECTEL_PACKAGE_BLOCK_KIB_MAX       4096
#define FU_QUECTEL_PACKAGE_TOKEN_DIGITS_MAX    5

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
	if (!fu_quectel_package_text_is_pow2(page_kib) ||
	    page_kib > FU_QUECTEL_PACKAGE_PAGE_KIB_MAX ||
	    !fu_quectel_package_text_is_pow2(block_kib) ||
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

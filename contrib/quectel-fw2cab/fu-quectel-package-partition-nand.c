/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * partition_nand.xml: the partition layout the vendor tools flash from.
 */

#include "config.h"

#include <string.h>

#include "fu-quectel-package-partition-nand.h"
#include "fu-quectel-package-text.h"
#include "fu-quectel-package-xml.h"

#define FU_QUECTEL_PACKAGE_KIB		1024
#define FU_QUECTEL_PACKAGE_BLOCKS_MAX	65536
#define FU_QUECTEL_PACKAGE_SIZE_KIB_MAX (16 * 1024 * 1024)
#define FU_QUECTEL_PACKAGE_ATTR_COUNT	4
/* QPST partition_nand.xml markers: size_kb of a partition that grows, pad_kb of no padding */
#define FU_QUECTEL_PACKAGE_SIZE_KB_GROW "0xFFFFFFFF"
#define FU_QUECTEL_PACKAGE_PAD_KB_NONE	"0xFFFF"

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
		part->img_name = fu_quectel_package_text_basename(text, error);
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

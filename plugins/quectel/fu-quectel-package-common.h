/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

#include "fu-quectel-struct.h"

/*
 * Pure parsers for the files of a Quectel EC25/EG25 (MDM9607, NAND) vendor firmware folder:
 * md5.txt, contents.xml, update/firehose/rawprogram_nand_p*_update.xml, patch_p*.xml,
 * update/partition_nand.xml and the MIBIB update/firehose/partition_complete_p*.mbn.
 * None of them does any I/O; all of them reject hostile input with FWUPD_ERROR_INVALID_DATA.
 */

/* the largest md5.txt we accept */
#define FU_QUECTEL_PACKAGE_TEXT_SIZE_MAX (256 * 1024)
/* the largest XML file we accept */
#define FU_QUECTEL_PACKAGE_XML_SIZE_MAX (1024 * 1024)
/* the most '<' an XML file may contain, which bounds elements and nesting */
#define FU_QUECTEL_PACKAGE_XML_TAGS_MAX 8192
/* the largest partition_complete_p*.mbn we accept */
#define FU_QUECTEL_PACKAGE_MIBIB_SIZE_MAX (1024 * 1024)
/* the most files md5.txt or contents.xml may list */
#define FU_QUECTEL_PACKAGE_FILES_MAX 512
/* the most erase/program operations of a rawprogram XML */
#define FU_QUECTEL_PACKAGE_OPS_MAX 512
/* the most patches of a patch XML */
#define FU_QUECTEL_PACKAGE_PATCHES_MAX 64
/* the most partitions of partition_nand.xml or of a version 4 MIBIB */
#define FU_QUECTEL_PACKAGE_PARTITIONS_MAX 48
/* the most partitions of a version 3 MIBIB */
#define FU_QUECTEL_PACKAGE_PARTITIONS_V3_MAX 16
/* the most attributes of one XML element */
#define FU_QUECTEL_PACKAGE_ATTRS_MAX 32
/* the longest relative path or file name */
#define FU_QUECTEL_PACKAGE_PATH_LEN_MAX 255
/* the longest partition name, the size of the MIBIB name field */
#define FU_QUECTEL_PACKAGE_PARTITION_NAME_LEN_MAX 16
/* the MIBIB value of a partition length that takes the rest of the flash */
#define FU_QUECTEL_PACKAGE_MIBIB_LENGTH_GROW G_MAXUINT32
/* the filename of a <patch> that is applied to the device, not to a file */
#define FU_QUECTEL_PACKAGE_PATCH_FILENAME_DISK "DISK"

/**
 * FuQuectelPackageGeometry:
 *
 * A NAND geometry, as encoded in file names such as `rawprogram_nand_p2K_b128K_update.xml`.
 * On NAND a firehose "sector" is one page.
 **/
typedef struct {
	guint32 page_size;	 /* bytes, also SECTOR_SIZE_IN_BYTES: 2048 */
	guint32 block_size;	 /* bytes, one erase block: 131072 */
	guint32 pages_per_block; /* also PAGES_PER_BLOCK: 64 */
} FuQuectelPackageGeometry;

gboolean
fu_quectel_package_geometry_parse(const gchar *filename,
				  FuQuectelPackageGeometry *geometry,
				  GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1, 2);
gchar *
fu_quectel_package_geometry_to_string(const FuQuectelPackageGeometry *geometry) G_GNUC_NON_NULL(1);
gboolean
fu_quectel_package_geometry_equal(const FuQuectelPackageGeometry *geometry1,
				  const FuQuectelPackageGeometry *geometry2) G_GNUC_NON_NULL(1, 2);
gboolean
fu_quectel_package_geometry_check_sector(const FuQuectelPackageGeometry *geometry,
					 guint32 sector_size,
					 guint32 pages_per_block,
					 GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1);
gboolean
fu_quectel_package_geometry_get_total_blocks(const FuQuectelPackageGeometry *geometry,
					     guint flash_gbit,
					     guint32 *total_blocks,
					     GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1, 3);

/* relative paths inside the vendor folder */
gchar *
fu_quectel_package_path_normalize(const gchar *path, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gchar *
fu_quectel_package_path_join(const gchar *dir,
			     const gchar *relpath,
			     GError **error) G_GNUC_WARN_UNUSED_RESULT;

/**
 * FuQuectelPackageMd5Entry:
 *
 * One `FILE:\update\x.mbn:HEXMD5` line of md5.txt.
 **/
typedef struct {
	gchar *path; /* relative to the folder, '/' separators: update/firehose/x.xml */
	gchar *md5;  /* 32 lower-case hex digits */
	guint line;  /* 1-based line number in md5.txt */
} FuQuectelPackageMd5Entry;

void
fu_quectel_package_md5_entry_free(FuQuectelPackageMd5Entry *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelPackageMd5Entry, fu_quectel_package_md5_entry_free)

/**
 * FuQuectelPackageMd5:
 *
 * The contents of md5.txt.
 **/
typedef struct {
	gchar *version;	    /* from an optional VERSION:1.0 line, or NULL */
	GPtrArray *entries; /* of FuQuectelPackageMd5Entry, in file order */
} FuQuectelPackageMd5;

void
fu_quectel_package_md5_free(FuQuectelPackageMd5 *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelPackageMd5, fu_quectel_package_md5_free)

FuQuectelPackageMd5 *
fu_quectel_package_md5_parse(const gchar *buf,
			     gsize bufsz,
			     GError **error) G_GNUC_WARN_UNUSED_RESULT;
FuQuectelPackageMd5 *
fu_quectel_package_md5_parse_bytes(GBytes *blob, GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1);
FuQuectelPackageMd5Entry *
fu_quectel_package_md5_find(const FuQuectelPackageMd5 *self, const gchar *path)
    G_GNUC_NON_NULL(1, 2);
gboolean
fu_quectel_package_md5_verify(const FuQuectelPackageMd5 *self,
			      const gchar *path,
			      GBytes *blob,
			      GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1, 2, 3);

/**
 * FuQuectelPackageContents:
 *
 * What is useful in the QPST meta file contents.xml.
 **/
typedef struct {
	gchar *chipid;		      /* product_info/chipid, or the build chipset: MDM9607 */
	gchar *product_name;	      /* MDM9607.LE.1.0, or NULL */
	gchar *partition_file;	      /* update/partition_nand.xml, or NULL */
	GPtrArray *flash_programmers; /* of gchar: update/NPRG9x07.mbn */
	GPtrArray *download_files;    /* of gchar: update/sbl1.mbn */
} FuQuectelPackageContents;

void
fu_quectel_package_contents_free(FuQuectelPackageContents *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelPackageContents, fu_quectel_package_contents_free)

FuQuectelPackageContents *
fu_quectel_package_contents_parse(const gchar *buf,
				  gsize bufsz,
				  GError **error) G_GNUC_WARN_UNUSED_RESULT;
FuQuectelPackageContents *
fu_quectel_package_contents_parse_bytes(GBytes *blob, GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1);
gboolean
fu_quectel_package_contents_check_chipid(const FuQuectelPackageContents *self,
					 const gchar *chipid,
					 GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1, 2);

/**
 * FuQuectelPackageAttr:
 *
 * One XML attribute, kept so that an element can be sent on verbatim.
 **/
typedef struct {
	gchar *name;
	gchar *value;
} FuQuectelPackageAttr;

void
fu_quectel_package_attr_free(FuQuectelPackageAttr *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelPackageAttr, fu_quectel_package_attr_free)

/**
 * FuQuectelPackageOp:
 *
 * One `<erase>` or `<program>` element of a rawprogram XML file.
 **/
typedef struct {
	FuQuectelPackageOpKind kind;
	guint index;			   /* 0-based position among the children of <data> */
	guint line;			   /* 1-based line of the element in the file */
	gchar *filename;		   /* as written, e.g. ..\sbl1.mbn, or NULL */
	gchar *basename;		   /* sbl1.mbn, or NULL if filename is NULL or "" */
	gchar *label;			   /* or NULL */
	guint64 start_sector;		   /* in pages */
	guint64 num_partition_sectors;	   /* in pages */
	guint32 sector_size;		   /* SECTOR_SIZE_IN_BYTES */
	guint32 pages_per_block;	   /* PAGES_PER_BLOCK, 0 if absent */
	guint32 physical_partition_number; /* always 0 on NAND */
	gboolean is_vendor;		   /* vendor="quectel": send verbatim, numbers unchecked */
	gboolean is_empty_filename;	   /* a <program filename=""> the engine skips */
	GPtrArray *attrs;		   /* of FuQuectelPackageAttr, in document order */
} FuQuectelPackageOp;

void
fu_quectel_package_op_free(FuQuectelPackageOp *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelPackageOp, fu_quectel_package_op_free)

const gchar *
fu_quectel_package_op_get_attr(const FuQuectelPackageOp *self, const gchar *name)
    G_GNUC_NON_NULL(1, 2);

/**
 * FuQuectelPackageRawprogram:
 *
 * A rawprogram XML file in document order; document order is not an execution order.
 **/
typedef struct {
	GPtrArray *ops;		 /* of FuQuectelPackageOp */
	guint32 sector_size;	 /* shared by every checked op */
	guint32 pages_per_block; /* shared by every op that has it, or 0 */
} FuQuectelPackageRawprogram;

void
fu_quectel_package_rawprogram_free(FuQuectelPackageRawprogram *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelPackageRawprogram, fu_quectel_package_rawprogram_free)

FuQuectelPackageRawprogram *
fu_quectel_package_rawprogram_parse(const gchar *buf,
				    gsize bufsz,
				    GError **error) G_GNUC_WARN_UNUSED_RESULT;
FuQuectelPackageRawprogram *
fu_quectel_package_rawprogram_parse_bytes(GBytes *blob, GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1);
gboolean
fu_quectel_package_rawprogram_check_geometry(const FuQuectelPackageRawprogram *self,
					     const FuQuectelPackageGeometry *geometry,
					     GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1, 2);
gboolean
fu_quectel_package_rawprogram_check_partitions(const FuQuectelPackageRawprogram *self,
					       const FuQuectelPackageGeometry *geometry,
					       GPtrArray *partitions,
					       GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1, 2, 3);

/**
 * FuQuectelPackagePatch:
 *
 * One `<patch>` element of a patch XML file.
 **/
typedef struct {
	guint32 sector_size; /* SECTOR_SIZE_IN_BYTES */
	guint64 byte_offset; /* within the sector */
	gchar *filename;     /* DISK, or a file such as partition_complete_p2K_b128K.mbn */
	guint32 physical_partition_number; /* always 0 on NAND */
	guint32 size_in_bytes;		   /* 1 to 8 */
	gchar *start_sector;		   /* as written: 1, or NUM_DISK_SECTORS-33. */
	guint64 start_sector_value;	   /* only valid if start_sector_is_numeric */
	gboolean start_sector_is_numeric;
	gchar *value; /* as written: CRC32(0,4096) */
	gchar *what;  /* or NULL */
} FuQuectelPackagePatch;

void
fu_quectel_package_patch_free(FuQuectelPackagePatch *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelPackagePatch, fu_quectel_package_patch_free)

GPtrArray *
fu_quectel_package_patch_parse(const gchar *buf,
			       gsize bufsz,
			       GError **error) G_GNUC_WARN_UNUSED_RESULT;
GPtrArray *
fu_quectel_package_patch_parse_bytes(GBytes *blob, GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1);
gboolean
fu_quectel_package_patch_is_disk(const FuQuectelPackagePatch *self) G_GNUC_NON_NULL(1);

/**
 * FuQuectelPackagePartition:
 *
 * One NAND partition, from partition_nand.xml or from a MIBIB.
 **/
typedef struct {
	gchar *name;	     /* as written: 0:SBL */
	guint32 start_block; /* in erase blocks from block 0 */
	guint32 num_blocks;  /* including padding; 0 if grow and the flash size is unknown */
	gboolean grow;	     /* takes the rest of the flash (last partition only) */
	guint8 attr1;
	guint8 attr2;
	guint8 attr3;
	guint8 which_flash;
	gchar *img_name; /* partition_nand.xml only: sbl1.mbn, or NULL */
} FuQuectelPackagePartition;

void
fu_quectel_package_partition_free(FuQuectelPackagePartition *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelPackagePartition, fu_quectel_package_partition_free)

FuQuectelPackagePartition *
fu_quectel_package_partition_find(GPtrArray *partitions, const gchar *name) G_GNUC_NON_NULL(1, 2);

/**
 * FuQuectelPackagePartitionNand:
 *
 * The QPST partition file update/partition_nand.xml, laid out for one geometry.
 **/
typedef struct {
	guint32 version;       /* <partition_version>, 0 if absent */
	GPtrArray *partitions; /* of FuQuectelPackagePartition, in flash order */
} FuQuectelPackagePartitionNand;

void
fu_quectel_package_partition_nand_free(FuQuectelPackagePartitionNand *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelPackagePartitionNand, fu_quectel_package_partition_nand_free)

FuQuectelPackagePartitionNand *
fu_quectel_package_partition_nand_parse(const gchar *buf,
					gsize bufsz,
					const FuQuectelPackageGeometry *geometry,
					guint32 total_blocks,
					GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(3);
FuQuectelPackagePartitionNand *
fu_quectel_package_partition_nand_parse_bytes(GBytes *blob,
					      const FuQuectelPackageGeometry *geometry,
					      guint32 total_blocks,
					      GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1, 2);

/**
 * FuQuectelPackageMibib:
 *
 * The system partition table of a MIBIB image (partition_complete_p*.mbn).
 **/
typedef struct {
	gsize table_offset;  /* byte offset of the 0x55EE73AA table */
	gboolean has_header; /* a 0xFE569FAC mi_boot_info page precedes the table */
	guint32 header_version;
	guint32 header_age;
	guint32 version;       /* partition table version: 3 or 4 */
	GPtrArray *partitions; /* of FuQuectelPackagePartition, in flash order */
} FuQuectelPackageMibib;

void
fu_quectel_package_mibib_free(FuQuectelPackageMibib *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelPackageMibib, fu_quectel_package_mibib_free)

FuQuectelPackageMibib *
fu_quectel_package_mibib_parse(const guint8 *buf, gsize bufsz, guint32 page_size, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;
FuQuectelPackageMibib *
fu_quectel_package_mibib_parse_bytes(GBytes *blob,
				     guint32 page_size,
				     GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1);
gboolean
fu_quectel_package_mibib_check_partitions(const FuQuectelPackageMibib *self,
					  GPtrArray *partitions,
					  GError **error) G_GNUC_WARN_UNUSED_RESULT
    G_GNUC_NON_NULL(1, 2);

/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "ec25-mibib.h"
#include "ec25-module.h"

/*
 * The module's NAND: pages that are either erased (read as 0xFF, programmable once) or
 * programmed (their bytes), as on real NAND, without spare/OOB bytes or bad blocks.
 *
 * In the state folder (module->state_dir) the NAND is three files:
 *   nand.img  page_size × pages_per_block × blocks bytes, sparse: the bytes of programmed pages
 *             at their offsets; erased pages are holes (they read 0x00 in the file, 0xFF here)
 *   nand.map  one bit per page, LSB first, set = erased
 *   nand.ini  [nand] model, page_size, pages_per_block, blocks, factory (TRUE until the first
 *             erase or program), efs2_sha256 (of the factory calibration pattern)
 * The NAND exists once nand.ini exists. Without a state folder the pages live in memory.
 *
 * A new NAND is what a factory-flashed module holds: the factory MIBIB of the model (identical
 * to gen-vendor-folder.py's partition_complete_<GEO>.mbn) at the start of its MIBIB partition
 * (page 640 with 64 pages a block), EFS2 filled
 * with "CALIBRATION-<IMEI>-" repeated, every other page programmed with zeros.
 */

#define EC25_NAND_DEFAULT_PAGE_SIZE_EC25  4096
#define EC25_NAND_DEFAULT_PAGE_SIZE_EG25  2048
#define EC25_NAND_DEFAULT_PAGES_PER_BLOCK 64
#define EC25_NAND_DEFAULT_BLOCKS	  2048
#define EC25_NAND_SBL_PAGE		  0 /* where the PBL looks for the SBL */
#define EC25_NAND_ERASED		  0xFF

typedef struct {
	guint page_size;
	guint pages_per_block;
	guint blocks;
} Ec25NandGeometry;

typedef struct _Ec25Nand Ec25Nand;

/* the geometry of @module's NAND, with the defaults for fields that are 0 */
void
ec25_nand_geometry_from_module(Ec25Module *module, Ec25NandGeometry *geometry);

/* open the NAND in the state folder, creating the factory NAND if there is none */
Ec25Nand *
ec25_nand_open(Ec25Module *module, GError **error);
void
ec25_nand_free(Ec25Nand *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Ec25Nand, ec25_nand_free)

const Ec25NandGeometry *
ec25_nand_get_geometry(Ec25Nand *self);
guint64
ec25_nand_get_pages(Ec25Nand *self);
/* TRUE until the first erase or program: the module boots as its configured revision */
gboolean
ec25_nand_is_factory(Ec25Nand *self);
/* the factory partition of that name (e.g. the EFS2 that the update must preserve) */
const Ec25MibibEntry *
ec25_nand_get_factory_partition(Ec25Nand *self, const gchar *name);
/* SHA-256 of the factory EFS2 contents */
const gchar *
ec25_nand_get_factory_efs2_sha256(Ec25Nand *self);

gboolean
ec25_nand_is_erased(Ec25Nand *self, guint64 page);
gboolean
ec25_nand_erase(Ec25Nand *self, guint64 first_page, guint64 n_pages, GError **error);
/* programs one erased page (G_IO_ERROR_EXISTS if it is not erased) */
gboolean
ec25_nand_program_page(Ec25Nand *self, guint64 page, const guint8 *data, GError **error);
/* what the flash holds at @offset (erased bytes read 0xFF) */
gboolean
ec25_nand_read(Ec25Nand *self, guint64 offset, guint8 *buf, gsize bufsz, GError **error);
/* SHA-256 (hex) of a range of pages */
gchar *
ec25_nand_checksum(Ec25Nand *self, guint64 first_page, guint64 n_pages, GError **error);

/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The module in EDL: the PBL's Sahara target (ec25-sahara.c), the Firehose programmer
 * (ec25-firehose.c) and the NAND (ec25-nand.c). This file holds the object, the IN queue, the
 * timing model, summary.json and the boot check.
 *
 * IN transfers: each queued packet or XML document is one IN transfer. A host read shorter
 * than the transfer gets its first bytes; the rest is the next IN transfer (USB continues a
 * transfer across host reads that end on a full packet). The queue holds at most
 * EC25_EDL_IN_QUEUE_MAX transfers; beyond that answers are dropped (counted in in_dropped).
 *
 * After <power value="reset"/> and Sahara RESET the state is RESET at once; the answer (the
 * ACK and a last log "INFO: bsp_target_reset() 1", or RESET_RESP) stays readable, so the USB
 * layer should re-enumerate once the host has read it (ec25_edl_get_pending_in() == 0) or
 * after a delay. In RESET and DEAD, OUT transfers are counted and ignored.
 *
 * Boot check (ec25_edl_boot_nand(), and "bootable" in summary.json): a factory NAND boots as
 * the module's configured revision. Otherwise page 0 must hold an ELF32 whose first LOAD
 * segment starts with QSIMIMG1sbl and matches its SHA-256 in the MBN hash segment (a partly
 * written SBL does not boot), the MIBIB at the start of the factory MIBIB partition
 * (page 640) must parse with a good CRC, and the partitions it names 0:TZ, 0:RPM, 0:aboot,
 * 0:boot (QSIMIMG1<role> at byte 0), 0:modem and 0:system ("UBI#" at byte 0, QSIMIMG1<role>
 * at byte 64) must hold their images. The revision comes from the line
 * QUECTEL-SIM-REVISION=<REV>_<SUB>\n in the first page of 0:modem, split at the first '_'.
 * Without a state folder there is no NAND to boot from: the module boots as configured.
 *
 * Timing model (ec25-timing.h): every bulk OUT transfer records its work (bytes, whether it
 * is <program> data, pages programmed, blocks erased, the phase it belongs to), which the USB
 * layer takes with ec25_edl_take_work() after each URB and turns into times on the model of a
 * double-buffered programmer. ec25_edl_get_busy_ms() is that work of the last transfer alone,
 * link time plus NAND time one after the other (fractions of a ms carried over).
 *
 * Module log lines (module->log):
 *   edl: <model> in EDL, <page>-byte pages, <ppb> pages a block, <blocks> blocks[, factory NAND]
 *   sahara: hello version=2 compatible=1 max_cmd=0x400 mode=0
 *   sahara: hello consumed by another reader (fault), waiting
 *   sahara: hello_resp version=V compatible=C status=S mode=M
 *   sahara: read_data image=13 offset=0xO length=0xL
 *   sahara: end_of_image image=13 status=0xSS (name)[: why]
 *   sahara: done, done_resp status=0 (pending)
 *   sahara: reset, reset_resp
 *   sahara: command mode, cmd_ready | execute 0xCC | execute_data 0xCC | switch_mode M
 *   sahara: ignored …
 *   firehose: programmer started
 *   firehose: configure memory=M payload=P zlp=Z
 *   firehose: erase start=S num=N
 *   firehose: vendor erase <attr>=<value> …         (in document order)
 *   firehose: program label=L start=S num=N          (label "-" if none)
 *   firehose: program complete label=L sha256=H
 *   firehose: patch <attr>=<value> …
 *   firehose: nop | getstorageinfo | power value=V delay=D | setbootablestoragedrive value=V
 *   firehose: unknown command C
 *   firehose: <cmd> before configure | erase (rejected) | program label=L (rejected)
 *   firehose: NAK <reason>                           (after the command line, for every NAK)
 *   firehose: stalled in the data of program #2 (fault)
 *   nand: boots REV_SUB[ (factory)] | nand: cannot boot: <reason>
 *
 * summary.json (rewritten after every command; state folder only; an EDL session the host sent
 * nothing to leaves the summary of the one before):
 * {
 *   "state": "sahara" | "firehose" | "reset" | "dead" | "power-lost",
 *   "model": "EC25",
 *   "geometry": {"page_size": 4096, "pages_per_block": 64, "blocks": 2048},
 *   "factory": bool,               NAND not touched by any erase or program yet
 *   "bootable": bool,              what ec25_edl_boot_nand() would say now
 *   "revision": str | null,        when bootable: "<REV>_<SUB>" as AT+QGMR will answer
 *   "boot_error": str | null,      when not bootable
 *   "sahara": {"image_id": 13, "hello_sent": bool, "read_requests": n, "bytes_served": n,
 *              "end_status": n | null, "done_status": n | null,
 *              "executes": n},   command mode EXECUTE_DATA answered
 *   "configure": {"configured": bool, "payload": n | null, "target_payload": n,
 *                 "zlp_aware": bool},
 *   "programs": [{"label": str | null, "filename": str | null, "start_sector": n,
 *                 "sectors": n, "bytes": n, "sha256": str | null,
 *                 "status": "incomplete" | "ok" | "not-erased" | "write-error" | "aborted"
 *                           | "stalled"}],          in command order; sha256 of the data
 *                                                      received (= the pages written)
 *   "erases": [{"label": str | null, "start_sector": n, "sectors": n}],
 *   "vendor_lines": [{"<attr>": "<value>", …}],
 *   "patches": [{"<attr>": "<value>", …}],
 *   "power": {"value": "reset", "delay_s": n | null} | null,
 *   "efs2": {"start_block": n, "blocks": n, "sha256": str, "factory_sha256": str,
 *            "unchanged": bool},      the factory EFS2 partition
 *   "bytes_received": n,           raw <program> data accepted
 *   "transfers": n,                bulk OUT transfers with data (Sahara and Firehose)
 *   "raw_transfers": n,            of which <program> data
 *   "zlps": n,                     zero-length bulk OUT transfers
 *   "naks": n,                     Firehose NAK responses
 *   "in_dropped": n,
 *   "previous_sessions": [ … ]     earlier EDL sessions of this state folder, oldest first,
 *                                  each an object like this one without previous_sessions
 * }
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem() */
#endif

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ec25-edl-private.h"

#define EC25_EDL_SUMMARY_FILE	    "summary.json"
#define EC25_EDL_SUMMARY_MODE	    0644
#define EC25_EDL_US_PER_MS	    1000
#define EC25_EDL_IMAGE_MAGIC	    "QSIMIMG1"
#define EC25_EDL_UBI_MAGIC	    "UBI#"
#define EC25_EDL_UBI_EC_HEADER_SIZE 64
#define EC25_EDL_REVISION_PREFIX    "QUECTEL-SIM-REVISION="
#define EC25_EDL_ELF_CLASS_32	    1
#define EC25_EDL_ELF_DATA_LE	    1
#define EC25_EDL_ELF_IDENT_CLASS    4
#define EC25_EDL_ELF_IDENT_DATA	    5
#define EC25_EDL_ELF_MAGIC	    "\177ELF"

/* the MBN hash segment of the SBL, as the PBL checks it */
#define EC25_EDL_SHA256_SIZE		32
#define EC25_EDL_MBN_HEADER_SIZE	40
#define EC25_EDL_MBN_SEGMENT_TYPE_SHIFT 24
#define EC25_EDL_MBN_SEGMENT_TYPE_MASK	0x7
#define EC25_EDL_MBN_SEGMENT_HASH	2

/* --- small helpers ---------------------------------------------------------------------- */

guint32
ec25_edl_read_u32(const guint8 *buf, gsize offset)
{
	guint32 le;
	memcpy(&le, buf + offset, sizeof(le));
	return GUINT32_FROM_LE(le);
}

static guint16
ec25_edl_read_u16(const guint8 *buf, gsize offset)
{
	guint16 le;
	memcpy(&le, buf + offset, sizeof(le));
	return GUINT16_FROM_LE(le);
}

Ec25ElfResult
ec25_elf_parse_header(const guint8 *buf, gsize bufsz, Ec25ElfHeader *hdr)
{
	if (bufsz < EC25_ELF_HEADER_SIZE ||
	    memcmp(buf, EC25_EDL_ELF_MAGIC, strlen(EC25_EDL_ELF_MAGIC)) != 0 ||
	    buf[EC25_EDL_ELF_IDENT_CLASS] != EC25_EDL_ELF_CLASS_32 ||
	    buf[EC25_EDL_ELF_IDENT_DATA] != EC25_EDL_ELF_DATA_LE)
		return EC25_ELF_BAD_HEADER;
	hdr->machine = ec25_edl_read_u16(buf, 18);
	hdr->phoff = ec25_edl_read_u32(buf, 28);
	hdr->phentsize = ec25_edl_read_u16(buf, 42);
	hdr->phnum = ec25_edl_read_u16(buf, 44);
	if (hdr->machine != EC25_ELF_EM_ARM)
		return EC25_ELF_BAD_HEADER;
	if (hdr->phentsize != EC25_ELF_PHDR_SIZE)
		return EC25_ELF_BAD_PHENTSIZE;
	if (hdr->phnum == 0 || hdr->phnum > EC25_ELF_PHNUM_MAX)
		return EC25_ELF_BAD_PHNUM;
	return EC25_ELF_OK;
}

void
ec25_elf_parse_phdr(const guint8 *buf, Ec25ElfPhdr *phdr)
{
	phdr->type = ec25_edl_read_u32(buf, 0);
	phdr->offset = ec25_edl_read_u32(buf, 4);
	phdr->vaddr = ec25_edl_read_u32(buf, 8);
	phdr->filesz = ec25_edl_read_u32(buf, 16);
	phdr->memsz = ec25_edl_read_u32(buf, 20);
	phdr->flags = ec25_edl_read_u32(buf, 24);
}

/* "QSIMIMG1" + role, NUL padded and truncated to 8 bytes, as gen-vendor-folder.py writes it */
void
ec25_edl_image_header(const gchar *role, guint8 *buf)
{
	gsize magic_len = strlen(EC25_EDL_IMAGE_MAGIC);
	gsize role_max = EC25_EDL_IMAGE_HEADER_SIZE - magic_len;

	memset(buf, 0, EC25_EDL_IMAGE_HEADER_SIZE);
	memcpy(buf, EC25_EDL_IMAGE_MAGIC, magic_len);
	memcpy(buf + magic_len, role, MIN(strlen(role), role_max));
}

static const gchar *
ec25_edl_state_to_string(Ec25EdlState state)
{
	switch (state) {
	case EC25_EDL_STATE_SAHARA:
		return "sahara";
	case EC25_EDL_STATE_FIREHOSE:
		return "firehose";
	case EC25_EDL_STATE_RESET:
		return "reset";
	case EC25_EDL_STATE_DEAD:
		return "dead";
	case EC25_EDL_STATE_NOPOWER:
		return "power-lost";
	default:
		return "unknown";
	}
}

/* --- boot check ------------------------------------------------------------------------- */

typedef struct {
	const gchar *name; /* in the MIBIB */
	const gchar *role; /* in the QSIMIMG1 header */
	gboolean ubi;
} Ec25EdlBootPart;

/* what must hold an image for the module to come up: TZ, RPM, aboot (LK), the kernel, the
 * modem firmware and the root file system (the AT ports) */
static const Ec25EdlBootPart ec25_edl_boot_chain[] = {
    {EC25_MIBIB_NAME_TZ, "tz", FALSE},
    {EC25_MIBIB_NAME_RPM, "rpm", FALSE},
    {EC25_MIBIB_NAME_ABOOT, "aboot", FALSE},
    {EC25_MIBIB_NAME_BOOT, "boot", FALSE},
    {EC25_MIBIB_NAME_MODEM, "modem", TRUE},
    {EC25_MIBIB_NAME_SYSTEM, "system", TRUE},
};

/* the PBL authenticates the SBL: the SHA-256 of LOAD segment @index against the MBN hash
 * table, so that a partly written SBL does not boot */
static gboolean
ec25_edl_check_sbl_hash(Ec25Nand *nand,
			guint64 limit,
			const guint8 *phdrs,
			guint phnum,
			guint index,
			GError **error)
{
	Ec25ElfPhdr load;
	guint8 expected[EC25_EDL_SHA256_SIZE];
	guint8 digest[EC25_EDL_SHA256_SIZE];
	gsize digest_len = sizeof(digest);
	g_autofree guint8 *data = NULL;
	g_autoptr(GChecksum) checksum = g_checksum_new(G_CHECKSUM_SHA256);

	ec25_elf_parse_phdr(phdrs + index * EC25_ELF_PHDR_SIZE, &load);
	for (guint i = 0; i < phnum; i++) {
		Ec25ElfPhdr hash;
		guint64 at;
		ec25_elf_parse_phdr(phdrs + i * EC25_ELF_PHDR_SIZE, &hash);
		if (hash.type != EC25_ELF_PT_NULL ||
		    ((hash.flags >> EC25_EDL_MBN_SEGMENT_TYPE_SHIFT) &
		     EC25_EDL_MBN_SEGMENT_TYPE_MASK) != EC25_EDL_MBN_SEGMENT_HASH)
			continue;
		at = (guint64)hash.offset + EC25_EDL_MBN_HEADER_SIZE +
		     (guint64)index * EC25_EDL_SHA256_SIZE;
		if (at + sizeof(expected) > (guint64)hash.offset + hash.filesz ||
		    at + sizeof(expected) > limit || (guint64)load.offset + load.filesz > limit)
			break;
		if (!ec25_nand_read(nand, at, expected, sizeof(expected), error))
			return FALSE;
		data = g_malloc(load.filesz);
		if (!ec25_nand_read(nand, load.offset, data, load.filesz, error))
			return FALSE;
		g_checksum_update(checksum, data, load.filesz);
		g_checksum_get_digest(checksum, digest, &digest_len);
		if (memcmp(digest, expected, sizeof(digest)) == 0)
			return TRUE;
		g_set_error_literal(error,
				    G_IO_ERROR,
				    G_IO_ERROR_INVALID_DATA,
				    "the SBL does not match its hash table (partly written)");
		return FALSE;
	}
	g_set_error_literal(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_DATA,
			    "the SBL has no usable hash table");
	return FALSE;
}

static gboolean
ec25_edl_check_sbl_load(Ec25Nand *nand,
			guint64 limit,
			const guint8 *phdrs,
			guint phnum,
			GError **error)
{
	guint8 expected[EC25_EDL_IMAGE_HEADER_SIZE];
	guint8 actual[EC25_EDL_IMAGE_HEADER_SIZE];

	ec25_edl_image_header("sbl", expected);
	for (guint i = 0; i < phnum; i++) {
		Ec25ElfPhdr phdr;
		ec25_elf_parse_phdr(phdrs + i * EC25_ELF_PHDR_SIZE, &phdr);
		if (phdr.type != EC25_ELF_PT_LOAD)
			continue;
		if ((guint64)phdr.offset + sizeof(actual) > limit)
			break;
		if (!ec25_nand_read(nand, phdr.offset, actual, sizeof(actual), error))
			return FALSE;
		if (memcmp(actual, expected, sizeof(actual)) == 0)
			return ec25_edl_check_sbl_hash(nand, limit, phdrs, phnum, i, error);
		break;
	}
	g_set_error_literal(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_DATA,
			    "the SBL has no LOAD segment holding QSIMIMG1sbl");
	return FALSE;
}

/* page 0: an ELF whose LOAD segment starts with QSIMIMG1sbl */
static gboolean
ec25_edl_check_sbl(Ec25Nand *nand, GError **error)
{
	const Ec25NandGeometry *geo = ec25_nand_get_geometry(nand);
	const Ec25MibibEntry *sbl = ec25_nand_get_factory_partition(nand, EC25_MIBIB_NAME_SBL);
	guint64 limit = (guint64)sbl->num_blocks * geo->pages_per_block * geo->page_size;
	guint8 header[EC25_ELF_HEADER_SIZE];
	guint8 phdrs[EC25_ELF_PHNUM_MAX * EC25_ELF_PHDR_SIZE];
	Ec25ElfHeader elf;

	if (!ec25_nand_read(nand, EC25_NAND_SBL_PAGE, header, sizeof(header), error))
		return FALSE;
	if (ec25_elf_parse_header(header, sizeof(header), &elf) != EC25_ELF_OK ||
	    (guint64)elf.phoff + (guint64)elf.phnum * EC25_ELF_PHDR_SIZE > limit) {
		g_set_error_literal(error,
				    G_IO_ERROR,
				    G_IO_ERROR_INVALID_DATA,
				    "no valid SBL ELF at page 0");
		return FALSE;
	}
	if (!ec25_nand_read(nand, elf.phoff, phdrs, (gsize)elf.phnum * EC25_ELF_PHDR_SIZE, error))
		return FALSE;
	return ec25_edl_check_sbl_load(nand, limit, phdrs, elf.phnum, error);
}

static GArray *
ec25_edl_read_mibib(Ec25Nand *nand, GError **error)
{
	const Ec25NandGeometry *geo = ec25_nand_get_geometry(nand);
	const Ec25MibibEntry *part = ec25_nand_get_factory_partition(nand, EC25_MIBIB_NAME_MIBIB);
	guint64 offset = (guint64)part->start_block * geo->pages_per_block * geo->page_size;
	gsize size = (gsize)EC25_MIBIB_PAGES * geo->page_size;
	g_autofree guint8 *buf = g_malloc(size);
	GArray *entries;

	if (!ec25_nand_read(nand, offset, buf, size, error))
		return NULL;
	entries = ec25_mibib_parse(buf, size, geo->page_size, error);
	if (entries == NULL)
		g_prefix_error(error,
			       "no valid MIBIB at page %" G_GUINT64_FORMAT ": ",
			       offset / geo->page_size);
	return entries;
}

/* [A-Za-z0-9][A-Za-z0-9._-]* (., _ and -), as gen-vendor-folder.py accepts them */
static gboolean
ec25_edl_is_version(const gchar *str)
{
	if (!g_ascii_isalnum(str[0]))
		return FALSE;
	for (const gchar *p = str; *p != '\0'; p++) {
		if (!g_ascii_isalnum(*p) && strchr("._-", *p) == NULL)
			return FALSE;
	}
	return TRUE;
}

/* the revision line of NON-HLOS.ubi, within its first page */
static gboolean
ec25_edl_parse_revision(const guint8 *page,
			gsize page_size,
			gchar **revision,
			gchar **subversion,
			GError **error)
{
	const gchar *prefix = EC25_EDL_REVISION_PREFIX;
	const guint8 *start = memmem(page, page_size, prefix, strlen(prefix));
	const guint8 *value;
	const guint8 *end;
	g_autofree gchar *line = NULL;
	gchar *sep;

	if (start == NULL) {
		g_set_error_literal(error,
				    G_IO_ERROR,
				    G_IO_ERROR_INVALID_DATA,
				    "0:modem has no " EC25_EDL_REVISION_PREFIX " line");
		return FALSE;
	}
	value = start + strlen(prefix);
	end = memchr(value, '\n', page + page_size - value);
	if (end == NULL) {
		g_set_error_literal(error,
				    G_IO_ERROR,
				    G_IO_ERROR_INVALID_DATA,
				    "0:modem revision line is not terminated");
		return FALSE;
	}
	line = g_strndup((const gchar *)value, end - value);
	sep = strchr(line, '_');
	if (sep != NULL)
		*sep = '\0';
	if (sep == NULL || strlen(line) + 1 + strlen(sep + 1) != (gsize)(end - value) ||
	    !ec25_edl_is_version(line) || !ec25_edl_is_version(sep + 1)) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_DATA,
			    "0:modem has an invalid revision line");
		return FALSE;
	}
	*revision = g_strdup(line);
	*subversion = g_strdup(sep + 1);
	return TRUE;
}

static gboolean
ec25_edl_check_boot_part(Ec25Nand *nand,
			 GArray *mibib,
			 const Ec25EdlBootPart *part,
			 guint8 *page,
			 GError **error)
{
	const Ec25NandGeometry *geo = ec25_nand_get_geometry(nand);
	const Ec25MibibEntry *entry = ec25_mibib_find(mibib, part->name);
	guint8 expected[EC25_EDL_IMAGE_HEADER_SIZE];
	gsize header_at = part->ubi ? EC25_EDL_UBI_EC_HEADER_SIZE : 0;

	if (entry == NULL) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_NOT_FOUND,
			    "the MIBIB has no %s partition",
			    part->name);
		return FALSE;
	}
	if (entry->num_blocks == 0 ||
	    (guint64)entry->start_block + entry->num_blocks > geo->blocks) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_DATA,
			    "%s is outside the flash",
			    part->name);
		return FALSE;
	}
	if (!ec25_nand_read(nand,
			    (guint64)entry->start_block * geo->pages_per_block * geo->page_size,
			    page,
			    geo->page_size,
			    error))
		return FALSE;
	ec25_edl_image_header(part->role, expected);
	if ((part->ubi && memcmp(page, EC25_EDL_UBI_MAGIC, strlen(EC25_EDL_UBI_MAGIC)) != 0) ||
	    memcmp(page + header_at, expected, sizeof(expected)) != 0) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_DATA,
			    "%s holds no %s image",
			    part->name,
			    part->role);
		return FALSE;
	}
	return TRUE;
}

/* whether the NAND boots; @revision and @subversion are NULL for the factory NAND */
static gboolean
ec25_edl_check_boot(Ec25Nand *nand, gchar **revision, gchar **subversion, GError **error)
{
	const Ec25NandGeometry *geo = ec25_nand_get_geometry(nand);
	g_autoptr(GArray) mibib = NULL;
	g_autofree guint8 *page = g_malloc(geo->page_size);

	if (ec25_nand_is_factory(nand))
		return TRUE;
	if (!ec25_edl_check_sbl(nand, error))
		return FALSE;
	mibib = ec25_edl_read_mibib(nand, error);
	if (mibib == NULL)
		return FALSE;
	for (guint i = 0; i < G_N_ELEMENTS(ec25_edl_boot_chain); i++) {
		const Ec25EdlBootPart *part = &ec25_edl_boot_chain[i];
		if (!ec25_edl_check_boot_part(nand, mibib, part, page, error))
			return FALSE;
		if (g_strcmp0(part->name, EC25_MIBIB_NAME_MODEM) == 0 &&
		    !ec25_edl_parse_revision(page, geo->page_size, revision, subversion, error))
			return FALSE;
	}
	return TRUE;
}

gboolean
ec25_edl_boot_nand(Ec25Module *module, GError **error)
{
	g_autoptr(Ec25Nand) nand = NULL;
	g_autofree gchar *revision = NULL;
	g_autofree gchar *subversion = NULL;
	g_autoptr(GError) error_local = NULL;

	g_return_val_if_fail(module != NULL, FALSE);
	if (module->state_dir == NULL) {
		ec25_module_log(module,
				"nand: boots %s_%s (no state folder)",
				module->revision,
				module->subversion);
		return TRUE;
	}
	nand = ec25_nand_open(module, error);
	if (nand == NULL)
		return FALSE;
	if (!ec25_edl_check_boot(nand, &revision, &subversion, &error_local)) {
		ec25_module_log(module, "nand: cannot boot: %s", error_local->message);
		g_propagate_prefixed_error(error,
					   g_steal_pointer(&error_local),
					   "cannot boot from NAND: ");
		return FALSE;
	}
	if (revision != NULL) {
		g_free(module->revision);
		module->revision = g_steal_pointer(&revision);
		g_free(module->subversion);
		module->subversion = g_steal_pointer(&subversion);
	}
	ec25_module_log(module,
			"nand: boots %s_%s%s",
			module->revision,
			module->subversion,
			ec25_nand_is_factory(nand) ? " (factory)" : "");
	return TRUE;
}

/* --- summary.json ----------------------------------------------------------------------- */

static void
ec25_edl_json_string(JsonBuilder *builder, const gchar *key, const gchar *value)
{
	json_builder_set_member_name(builder, key);
	if (value != NULL)
		json_builder_add_string_value(builder, value);
	else
		json_builder_add_null_value(builder);
}

static void
ec25_edl_json_int(JsonBuilder *builder, const gchar *key, gint64 value)
{
	json_builder_set_member_name(builder, key);
	json_builder_add_int_value(builder, value);
}

/* a negative value is null */
static void
ec25_edl_json_int_or_null(JsonBuilder *builder, const gchar *key, gint64 value)
{
	json_builder_set_member_name(builder, key);
	if (value >= 0)
		json_builder_add_int_value(builder, value);
	else
		json_builder_add_null_value(builder);
}

static void
ec25_edl_json_bool(JsonBuilder *builder, const gchar *key, gboolean value)
{
	json_builder_set_member_name(builder, key);
	json_builder_add_boolean_value(builder, value);
}

static void
ec25_edl_summary_boot(Ec25Edl *self, JsonBuilder *builder)
{
	g_autofree gchar *revision = NULL;
	g_autofree gchar *subversion = NULL;
	g_autoptr(GError) error = NULL;
	gboolean bootable = ec25_edl_check_boot(self->nand, &revision, &subversion, &error);

	g_autofree gchar *full = NULL;

	if (bootable) {
		full = revision != NULL ? g_strdup_printf("%s_%s", revision, subversion)
					: g_strdup_printf("%s_%s",
							  self->module->revision,
							  self->module->subversion);
	}
	ec25_edl_json_bool(builder, "bootable", bootable);
	ec25_edl_json_string(builder, "revision", full);
	ec25_edl_json_string(builder, "boot_error", error != NULL ? error->message : NULL);
}

static void
ec25_edl_summary_geometry(Ec25Edl *self, JsonBuilder *builder)
{
	json_builder_set_member_name(builder, "geometry");
	json_builder_begin_object(builder);
	ec25_edl_json_int(builder, "page_size", self->geo.page_size);
	ec25_edl_json_int(builder, "pages_per_block", self->geo.pages_per_block);
	ec25_edl_json_int(builder, "blocks", self->geo.blocks);
	json_builder_end_object(builder);
}

static void
ec25_edl_summary_sahara(Ec25Edl *self, JsonBuilder *builder)
{
	Ec25Sahara *sahara = &self->sahara;

	json_builder_set_member_name(builder, "sahara");
	json_builder_begin_object(builder);
	ec25_edl_json_int(builder, "image_id", EC25_EDL_IMAGE_ID_EHOSTDL);
	ec25_edl_json_bool(builder, "hello_sent", sahara->hello_sent);
	ec25_edl_json_int(builder, "read_requests", sahara->read_requests);
	ec25_edl_json_int(builder, "bytes_served", (gint64)sahara->bytes_served);
	ec25_edl_json_int_or_null(builder, "end_status", sahara->end_status);
	ec25_edl_json_int_or_null(builder, "done_status", sahara->done_status);
	ec25_edl_json_int(builder, "executes", sahara->executes);
	json_builder_end_object(builder);
}

static void
ec25_edl_summary_configure(Ec25Edl *self, JsonBuilder *builder)
{
	Ec25Firehose *fh = &self->fh;

	json_builder_set_member_name(builder, "configure");
	json_builder_begin_object(builder);
	ec25_edl_json_bool(builder, "configured", fh->configured);
	ec25_edl_json_int_or_null(builder, "payload", fh->configured ? (gint64)fh->payload : -1);
	ec25_edl_json_int(builder, "target_payload", fh->target_max);
	ec25_edl_json_bool(builder, "zlp_aware", fh->zlp_aware);
	json_builder_end_object(builder);
}

static void
ec25_edl_summary_programs(Ec25Edl *self, JsonBuilder *builder)
{
	json_builder_set_member_name(builder, "programs");
	json_builder_begin_array(builder);
	for (guint i = 0; i < self->programs->len; i++) {
		Ec25EdlProgram *program = g_ptr_array_index(self->programs, i);
		json_builder_begin_object(builder);
		ec25_edl_json_string(builder, "label", program->label);
		ec25_edl_json_string(builder, "filename", program->filename);
		ec25_edl_json_int(builder, "start_sector", (gint64)program->start_sector);
		ec25_edl_json_int(builder, "sectors", (gint64)program->sectors);
		ec25_edl_json_int(builder, "bytes", (gint64)program->bytes);
		ec25_edl_json_string(builder, "sha256", program->sha256);
		ec25_edl_json_string(builder, "status", program->status);
		json_builder_end_object(builder);
	}
	json_builder_end_array(builder);
}

static void
ec25_edl_summary_erases(Ec25Edl *self, JsonBuilder *builder)
{
	json_builder_set_member_name(builder, "erases");
	json_builder_begin_array(builder);
	for (guint i = 0; i < self->erases->len; i++) {
		Ec25EdlErase *erase = g_ptr_array_index(self->erases, i);
		json_builder_begin_object(builder);
		ec25_edl_json_string(builder, "label", erase->label);
		ec25_edl_json_int(builder, "start_sector", (gint64)erase->start_sector);
		ec25_edl_json_int(builder, "sectors", (gint64)erase->sectors);
		json_builder_end_object(builder);
	}
	json_builder_end_array(builder);
}

static void
ec25_edl_summary_elements(JsonBuilder *builder, const gchar *key, GPtrArray *elements)
{
	json_builder_set_member_name(builder, key);
	json_builder_begin_array(builder);
	for (guint i = 0; i < elements->len; i++) {
		Ec25EdlElement *element = g_ptr_array_index(elements, i);
		json_builder_begin_object(builder);
		for (guint j = 0; element->keys[j] != NULL; j++)
			ec25_edl_json_string(builder, element->keys[j], element->values[j]);
		json_builder_end_object(builder);
	}
	json_builder_end_array(builder);
}

static void
ec25_edl_summary_power(Ec25Edl *self, JsonBuilder *builder)
{
	json_builder_set_member_name(builder, "power");
	if (self->fh.power_value == NULL) {
		json_builder_add_null_value(builder);
		return;
	}
	json_builder_begin_object(builder);
	ec25_edl_json_string(builder, "value", self->fh.power_value);
	ec25_edl_json_int_or_null(builder, "delay_s", self->fh.power_delay);
	json_builder_end_object(builder);
}

static void
ec25_edl_summary_efs2(Ec25Edl *self, JsonBuilder *builder)
{
	const Ec25MibibEntry *efs2 =
	    ec25_nand_get_factory_partition(self->nand, EC25_MIBIB_NAME_EFS2);
	const gchar *factory = ec25_nand_get_factory_efs2_sha256(self->nand);
	g_autoptr(GError) error = NULL;

	if (self->efs2_sha256 == NULL && ec25_nand_is_factory(self->nand))
		self->efs2_sha256 = g_strdup(factory);
	if (self->efs2_sha256 == NULL) {
		self->efs2_sha256 =
		    ec25_nand_checksum(self->nand,
				       (guint64)efs2->start_block * self->geo.pages_per_block,
				       (guint64)efs2->num_blocks * self->geo.pages_per_block,
				       &error);
	}
	json_builder_set_member_name(builder, "efs2");
	json_builder_begin_object(builder);
	ec25_edl_json_int(builder, "start_block", efs2->start_block);
	ec25_edl_json_int(builder, "blocks", efs2->num_blocks);
	ec25_edl_json_string(builder, "sha256", self->efs2_sha256);
	ec25_edl_json_string(builder, "factory_sha256", factory);
	ec25_edl_json_bool(builder,
			   "unchanged",
			   self->efs2_sha256 != NULL && g_strcmp0(self->efs2_sha256, factory) == 0);
	json_builder_end_object(builder);
}

static void
ec25_edl_summary_counters(Ec25Edl *self, JsonBuilder *builder)
{
	ec25_edl_json_int(builder, "bytes_received", (gint64)self->bytes_received);
	ec25_edl_json_int(builder, "transfers", (gint64)self->transfers);
	ec25_edl_json_int(builder, "raw_transfers", (gint64)self->raw_transfers);
	ec25_edl_json_int(builder, "zlps", (gint64)self->zlps);
	ec25_edl_json_int(builder, "naks", self->naks);
	ec25_edl_json_int(builder, "in_dropped", self->in_dropped);
}

static JsonNode *
ec25_edl_summary_build(Ec25Edl *self)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();

	json_builder_begin_object(builder);
	ec25_edl_json_string(builder, "state", ec25_edl_state_to_string(self->state));
	ec25_edl_json_string(builder, "model", self->module->model);
	ec25_edl_summary_geometry(self, builder);
	ec25_edl_json_bool(builder, "factory", ec25_nand_is_factory(self->nand));
	ec25_edl_summary_boot(self, builder);
	ec25_edl_summary_sahara(self, builder);
	ec25_edl_summary_configure(self, builder);
	ec25_edl_summary_programs(self, builder);
	ec25_edl_summary_erases(self, builder);
	ec25_edl_summary_elements(builder, "vendor_lines", self->vendor_lines);
	ec25_edl_summary_elements(builder, "patches", self->patches);
	ec25_edl_summary_power(self, builder);
	ec25_edl_summary_efs2(self, builder);
	ec25_edl_summary_counters(self, builder);
	json_builder_set_member_name(builder, "previous_sessions");
	json_builder_add_value(builder,
			       json_node_init_array(json_node_alloc(), self->previous_sessions));
	json_builder_end_object(builder);
	return json_builder_get_root(builder);
}

static gchar *
ec25_edl_summary_filename(Ec25Edl *self)
{
	return g_build_filename(self->module->state_dir, EC25_EDL_SUMMARY_FILE, NULL);
}

/* atomic for readers, without the fsync() of g_file_set_contents(): this runs after every
 * command */
static gboolean
ec25_edl_replace_file(const gchar *fn, const gchar *data, GError **error)
{
	g_autofree gchar *tmp = g_strdup_printf("%s.tmp", fn);

	if (!g_file_set_contents_full(tmp,
				      data,
				      -1,
				      G_FILE_SET_CONTENTS_NONE,
				      EC25_EDL_SUMMARY_MODE,
				      error))
		return FALSE;
	if (g_rename(tmp, fn) != 0) {
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(errno),
			    "cannot rename %s: %s",
			    tmp,
			    g_strerror(errno));
		return FALSE;
	}
	return TRUE;
}

gboolean
ec25_edl_save_summary(Ec25Edl *self, GError **error)
{
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autofree gchar *fn = NULL;
	g_autofree gchar *data = NULL;

	g_return_val_if_fail(self != NULL, FALSE);
	if (self->module->state_dir == NULL)
		return TRUE;
	root = ec25_edl_summary_build(self);
	json_generator_set_root(generator, root);
	json_generator_set_pretty(generator, TRUE);
	data = json_generator_to_data(generator, NULL);
	fn = ec25_edl_summary_filename(self);
	return ec25_edl_replace_file(fn, data, error);
}

/* the sessions of an existing summary.json, so that a re-entry into EDL does not lose them */
static void
ec25_edl_load_previous_sessions(Ec25Edl *self)
{
	g_autofree gchar *fn = NULL;
	g_autoptr(JsonParser) parser = json_parser_new();
	JsonObject *obj;
	JsonNode *node;

	self->previous_sessions = json_array_new();
	if (self->module->state_dir == NULL)
		return;
	fn = ec25_edl_summary_filename(self);
	if (!g_file_test(fn, G_FILE_TEST_EXISTS))
		return;
	if (!json_parser_load_from_file(parser, fn, NULL) ||
	    !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
		ec25_module_log(self->module, "edl: ignoring an unreadable %s", fn);
		return;
	}
	obj = json_node_get_object(json_parser_get_root(parser));
	node = json_object_get_member(obj, "previous_sessions");
	if (node != NULL && JSON_NODE_HOLDS_ARRAY(node)) {
		JsonArray *array = json_node_get_array(node);
		for (guint i = 0; i < json_array_get_length(array); i++)
			json_array_add_element(self->previous_sessions,
					       json_array_dup_element(array, i));
	}
	json_object_remove_member(obj, "previous_sessions");
	json_array_add_element(self->previous_sessions,
			       json_node_copy(json_parser_get_root(parser)));
}

void
ec25_edl_command_done(Ec25Edl *self)
{
	g_autoptr(GError) error = NULL;

	if (ec25_edl_save_summary(self, &error) || self->summary_error_logged)
		return;
	ec25_module_log(self->module, "edl: cannot save the summary: %s", error->message);
	self->summary_error_logged = TRUE;
}

void
ec25_edl_nand_changed(Ec25Edl *self, guint64 first_page, guint64 n_pages)
{
	const Ec25MibibEntry *efs2 =
	    ec25_nand_get_factory_partition(self->nand, EC25_MIBIB_NAME_EFS2);
	guint64 efs2_first = (guint64)efs2->start_block * self->geo.pages_per_block;
	guint64 efs2_end = efs2_first + (guint64)efs2->num_blocks * self->geo.pages_per_block;

	if (first_page < efs2_end && first_page + n_pages > efs2_first)
		g_clear_pointer(&self->efs2_sha256, g_free);
}

/* --- timing model ----------------------------------------------------------------------- */

void
ec25_edl_add_nand_time(Ec25Edl *self, guint64 pages_programmed, guint64 blocks_erased)
{
	self->work.pages += pages_programmed;
	self->work.blocks += blocks_erased;
}

/* what the transfer is part of, from what it changed */
typedef struct {
	Ec25EdlState state;
	gboolean raw;
	guint erases;
	guint vendor_lines;
	guint programs;
	gboolean power;
} Ec25EdlWorkMark;

static void
ec25_edl_work_mark(Ec25Edl *self, Ec25EdlWorkMark *mark)
{
	mark->state = self->state;
	mark->raw =
	    self->state == EC25_EDL_STATE_FIREHOSE && self->fh.phase == EC25_FIREHOSE_PHASE_RAW;
	mark->erases = self->erases->len;
	mark->vendor_lines = self->vendor_lines->len;
	mark->programs = self->programs->len;
	mark->power = self->fh.power_value != NULL;
}

static Ec25TimingPhase
ec25_edl_work_phase(Ec25Edl *self, const Ec25EdlWorkMark *before, gsize bufsz)
{
	if (bufsz == 0)
		return EC25_TIMING_PHASE_LAST; /* a ZLP belongs to what it terminates */
	if (before->state == EC25_EDL_STATE_SAHARA)
		return EC25_TIMING_PHASE_SAHARA;
	if (before->state != EC25_EDL_STATE_FIREHOSE)
		return EC25_TIMING_PHASE_LAST;
	if (before->raw || self->programs->len != before->programs)
		return EC25_TIMING_PHASE_PROGRAM;
	if (self->erases->len != before->erases || self->vendor_lines->len != before->vendor_lines)
		return EC25_TIMING_PHASE_ERASE;
	if (!before->power && self->fh.power_value != NULL)
		return EC25_TIMING_PHASE_RESET;
	return EC25_TIMING_PHASE_SETUP;
}

/* device time of this transfer alone, in whole ms */
static void
ec25_edl_finish_busy(Ec25Edl *self, gsize bufsz, guint64 pages, guint64 blocks)
{
	Ec25TimingParams params;
	guint64 total;

	ec25_timing_params_from_module(self->module, self->geo.page_size, &params);
	params.transfer_us = 0; /* counted per URB by the USB layer */
	total = self->busy_carry_us;
	if (self->module->link_mbps != 0)
		total += ec25_timing_link_ns(&params, bufsz) / 1000;
	total += ec25_timing_nand_ns(&params, pages, blocks) / 1000;
	self->busy_ms = (guint)MIN(total / EC25_EDL_US_PER_MS, G_MAXUINT);
	self->busy_carry_us = total % EC25_EDL_US_PER_MS;
}

guint
ec25_edl_get_busy_ms(Ec25Edl *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->busy_ms;
}

gboolean
ec25_edl_take_work(Ec25Edl *self, Ec25TimingWork *work)
{
	g_return_val_if_fail(self != NULL, FALSE);
	if (!self->work_pending)
		return FALSE;
	*work = self->work;
	memset(&self->work, 0, sizeof(self->work));
	self->work_pending = FALSE;
	return TRUE;
}

/* --- transfers -------------------------------------------------------------------------- */

void
ec25_edl_queue_in(Ec25Edl *self, const guint8 *buf, gsize bufsz)
{
	if (g_queue_get_length(self->in_queue) >= EC25_EDL_IN_QUEUE_MAX) {
		if (self->in_dropped++ == 0)
			ec25_module_log(self->module,
					"edl: the host reads nothing, dropping answers");
		return;
	}
	g_queue_push_tail(self->in_queue, g_bytes_new(buf, bufsz));
}

void
ec25_edl_bulk_out(Ec25Edl *self, const guint8 *buf, gsize bufsz)
{
	Ec25EdlWorkMark before;
	guint64 pages;
	guint64 blocks;
	Ec25TimingPhase phase;

	g_return_if_fail(self != NULL);
	g_return_if_fail(buf != NULL || bufsz == 0);

	if (bufsz == 0)
		self->zlps++;
	else
		self->transfers++;
	ec25_edl_work_mark(self, &before);
	pages = self->work.pages;
	blocks = self->work.blocks;
	switch (self->state) {
	case EC25_EDL_STATE_SAHARA:
		ec25_sahara_bulk_out(self, buf, bufsz);
		break;
	case EC25_EDL_STATE_FIREHOSE:
		ec25_firehose_bulk_out(self, buf, bufsz);
		break;
	case EC25_EDL_STATE_RESET:
	case EC25_EDL_STATE_DEAD:
	case EC25_EDL_STATE_NOPOWER:
	default:
		if (!self->ignored_logged)
			ec25_module_log(self->module,
					"edl: ignoring OUT transfers in state %s",
					ec25_edl_state_to_string(self->state));
		self->ignored_logged = TRUE;
		break;
	}
	/* a ZLP in the same URB adds to the transfer it terminates */
	phase = ec25_edl_work_phase(self, &before, bufsz);
	if (!self->work_pending) {
		self->work.raw = before.raw;
		self->work.phase = phase;
		self->work_pending = TRUE;
	} else if (self->work.phase == EC25_TIMING_PHASE_LAST) {
		self->work.phase = phase;
	}
	self->work.bytes += bufsz;
	self->work.payload = self->fh.target_max;
	ec25_edl_finish_busy(self, bufsz, self->work.pages - pages, self->work.blocks - blocks);
}

GBytes *
ec25_edl_bulk_in(Ec25Edl *self, gsize max_len)
{
	GBytes *head;
	GBytes *first;
	gsize size;

	g_return_val_if_fail(self != NULL, NULL);
	if (max_len == 0 || g_queue_is_empty(self->in_queue))
		return NULL;
	head = g_queue_pop_head(self->in_queue);
	size = g_bytes_get_size(head);
	if (size <= max_len)
		return head;
	first = g_bytes_new_from_bytes(head, 0, max_len);
	g_queue_push_head(self->in_queue, g_bytes_new_from_bytes(head, max_len, size - max_len));
	g_bytes_unref(head);
	return first;
}

guint
ec25_edl_get_pending_in(Ec25Edl *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return g_queue_get_length(self->in_queue);
}

Ec25EdlState
ec25_edl_get_state(Ec25Edl *self)
{
	g_return_val_if_fail(self != NULL, EC25_EDL_STATE_DEAD);
	return self->state;
}

guint64
ec25_edl_get_host_transfers(Ec25Edl *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->transfers + self->zlps;
}

Ec25EdlStage
ec25_edl_get_stage(Ec25Edl *self)
{
	g_return_val_if_fail(self != NULL, EC25_EDL_STAGE_PBL);
	if (self->state == EC25_EDL_STATE_FIREHOSE)
		return EC25_EDL_STAGE_FIREHOSE;
	if (self->state == EC25_EDL_STATE_DEAD)
		return EC25_EDL_STAGE_DEAD;
	return EC25_EDL_STAGE_PBL;
}

/* --- life cycle ------------------------------------------------------------------------- */

Ec25Edl *
ec25_edl_new(Ec25Module *module, Ec25EdlFault fault, GError **error)
{
	g_autoptr(Ec25Edl) self = g_new0(Ec25Edl, 1);

	g_return_val_if_fail(module != NULL, NULL);
	self->module = module;
	self->fault = fault;
	self->state = EC25_EDL_STATE_SAHARA;
	self->in_queue = g_queue_new();
	self->programs = g_ptr_array_new_with_free_func((GDestroyNotify)ec25_edl_program_free);
	self->erases = g_ptr_array_new_with_free_func((GDestroyNotify)ec25_edl_erase_free);
	self->vendor_lines = g_ptr_array_new_with_free_func((GDestroyNotify)ec25_edl_element_free);
	self->patches = g_ptr_array_new_with_free_func((GDestroyNotify)ec25_edl_element_free);
	ec25_nand_geometry_from_module(module, &self->geo);
	ec25_edl_load_previous_sessions(self);
	self->nand = ec25_nand_open(module, error);
	if (self->nand == NULL)
		return NULL;
	ec25_module_log(module,
			"edl: %s in EDL, %u-byte pages, %u pages a block, %u blocks%s",
			module->model,
			self->geo.page_size,
			self->geo.pages_per_block,
			self->geo.blocks,
			ec25_nand_is_factory(self->nand) ? ", factory NAND" : "");
	ec25_firehose_init(self);
	ec25_sahara_init(self);
	if (module->edl_stage == EC25_EDL_STAGE_FIREHOSE) {
		/* a host left it running: it waits for XML, unconfigured until told again */
		self->state = EC25_EDL_STATE_FIREHOSE;
		ec25_module_log(module, "firehose: the programmer is still running");
	} else if (module->edl_stage == EC25_EDL_STAGE_DEAD) {
		self->state = EC25_EDL_STATE_DEAD;
		ec25_module_log(module, "firehose: the programmer is still stalled");
	}
	module->edl_stage = EC25_EDL_STAGE_PBL;
	ec25_edl_command_done(self);
	return g_steal_pointer(&self);
}

void
ec25_edl_free(Ec25Edl *self)
{
	if (self == NULL)
		return;
	ec25_sahara_clear(&self->sahara);
	ec25_firehose_clear(&self->fh);
	if (self->nand != NULL)
		ec25_nand_free(self->nand);
	g_queue_free_full(self->in_queue, (GDestroyNotify)g_bytes_unref);
	g_ptr_array_unref(self->programs);
	g_ptr_array_unref(self->erases);
	g_ptr_array_unref(self->vendor_lines);
	g_ptr_array_unref(self->patches);
	if (self->previous_sessions != NULL)
		json_array_unref(self->previous_sessions);
	g_free(self->efs2_sha256);
	g_free(self);
}

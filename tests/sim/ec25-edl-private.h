/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "ec25-edl.h"
#include "ec25-nand.h"
#include "ec25-timing.h"

/* shared by ec25-edl.c (core, summary, boot), ec25-sahara.c and ec25-firehose.c */

#define EC25_EDL_USB_PACKET	   512	/* wMaxPacketSize of the high-speed bulk endpoints */
#define EC25_EDL_IN_QUEUE_MAX	   1024 /* IN transfers the target holds before dropping */
#define EC25_EDL_DEFAULT_PAYLOAD   8192
#define EC25_EDL_SMALL_PAYLOAD	   4096 /* EC25_EDL_FAULT_CONFIGURE_SMALL */
#define EC25_EDL_IMAGE_ID_EHOSTDL  13	/* the PBL asks for prog_nand_firehose_9x07.mbn */
#define EC25_EDL_IMAGE_HEADER_SIZE 16	/* "QSIMIMG1" + role, NUL padded */

/* ELF32 as far as the PBL and the boot check read it */
#define EC25_ELF_HEADER_SIZE 0x34
#define EC25_ELF_PHDR_SIZE   32
#define EC25_ELF_PHNUM_MAX   16
#define EC25_ELF_EM_ARM	     40
#define EC25_ELF_PT_NULL     0
#define EC25_ELF_PT_LOAD     1

typedef struct {
	guint16 machine;
	guint32 phoff;
	guint16 phentsize;
	guint16 phnum;
} Ec25ElfHeader;

typedef struct {
	guint32 type;
	guint32 offset;
	guint32 vaddr;
	guint32 filesz;
	guint32 memsz;
	guint32 flags;
} Ec25ElfPhdr;

typedef enum {
	EC25_ELF_OK,
	EC25_ELF_BAD_HEADER,	/* magic, class, data encoding, machine */
	EC25_ELF_BAD_PHENTSIZE, /* not 32 */
	EC25_ELF_BAD_PHNUM,	/* 0 or more than EC25_ELF_PHNUM_MAX */
} Ec25ElfResult;

Ec25ElfResult
ec25_elf_parse_header(const guint8 *buf, gsize bufsz, Ec25ElfHeader *hdr);
void
ec25_elf_parse_phdr(const guint8 *buf, Ec25ElfPhdr *phdr);
guint32
ec25_edl_read_u32(const guint8 *buf, gsize offset);
void
ec25_edl_image_header(const gchar *role, guint8 *buf);

/* --- Sahara target (ec25-sahara.c) ------------------------------------------------------ */

typedef enum {
	EC25_SAHARA_PHASE_WAIT_HELLO_RESP,
	EC25_SAHARA_PHASE_READING,   /* a READ_DATA is outstanding: OUT transfers are image data */
	EC25_SAHARA_PHASE_WAIT_DONE, /* END_OF_IMAGE(success) sent */
	EC25_SAHARA_PHASE_FAILED,    /* END_OF_IMAGE(error) sent: only RESET is answered */
	EC25_SAHARA_PHASE_COMMAND,   /* command mode: EXECUTE, EXECUTE_DATA, SWITCH_MODE */
} Ec25SaharaPhase;

typedef enum {
	EC25_SAHARA_STEP_ELF_HEADER,
	EC25_SAHARA_STEP_PHDRS,
	EC25_SAHARA_STEP_HASH,
	EC25_SAHARA_STEP_LOAD,
} Ec25SaharaStep;

typedef struct {
	Ec25SaharaPhase phase;
	Ec25SaharaStep step;
	guint32 req_offset;
	guint32 req_len;
	GByteArray *rx; /* the device-side transfer being received */
	Ec25ElfHeader elf;
	GArray *phdrs; /* of Ec25ElfPhdr */
	guint hash_index;
	guint load_index; /* index in phdrs of the LOAD segment being read */
	guint32 load_done;
	GByteArray *hash_seg;
	GByteArray *load_data; /* every LOAD segment, concatenated */
	/* for the summary */
	gboolean hello_sent;
	guint read_requests;
	guint64 bytes_served;
	gint end_status;  /* -1: no END_OF_IMAGE yet */
	gint done_status; /* -1: no DONE_RESP yet */
	/* command mode */
	guint32 exec_cmd; /* the client command of the last EXECUTE, 0 for none */
	guint executes;	  /* EXECUTE_DATA answered */
} Ec25Sahara;

void
ec25_sahara_init(Ec25Edl *self);
void
ec25_sahara_clear(Ec25Sahara *sahara);
void
ec25_sahara_bulk_out(Ec25Edl *self, const guint8 *buf, gsize bufsz);

/* --- Firehose programmer (ec25-firehose.c) --------------------------------------------- */

typedef enum {
	EC25_FIREHOSE_PHASE_XML, /* waiting for a command document */
	EC25_FIREHOSE_PHASE_RAW, /* receiving the data of a <program> */
} Ec25FirehosePhase;

typedef struct {
	gchar *label; /* NULL if the command had none */
	gchar *filename;
	guint64 start_sector;
	guint64 sectors;
	guint64 bytes;
	gchar *sha256;
	const gchar *status; /* incomplete, ok, not-erased, write-error, aborted, stalled */
} Ec25EdlProgram;

typedef struct {
	gchar *label;
	guint64 start_sector;
	guint64 sectors;
} Ec25EdlErase;

/* an element and its attributes, in document order */
typedef struct {
	gchar *name;
	GStrv keys;
	GStrv values;
} Ec25EdlElement;

typedef struct {
	Ec25FirehosePhase phase;
	gboolean configured;
	guint payload; /* negotiated MaxPayloadSizeToTargetInBytes */
	guint target_max;
	gboolean zlp_aware;
	guint programs_started;
	/* the <program> receiving data */
	Ec25EdlProgram *program;
	guint64 next_page;
	guint64 remaining;
	guint8 *page_buf;
	gsize page_fill;
	GChecksum *checksum;
	const gchar *failure; /* status to report once all the data arrived */
	gchar *failure_msg;
	/* <power> */
	gchar *power_value;
	gint64 power_delay;    /* -1: none given */
	guint64 program_total; /* bytes the <program> receiving data expects */
} Ec25Firehose;

void
ec25_firehose_init(Ec25Edl *self);
void
ec25_firehose_clear(Ec25Firehose *fh);
void
ec25_firehose_start(Ec25Edl *self);
void
ec25_firehose_bulk_out(Ec25Edl *self, const guint8 *buf, gsize bufsz);

void
ec25_edl_program_free(Ec25EdlProgram *program);
void
ec25_edl_erase_free(Ec25EdlErase *erase);
void
ec25_edl_element_free(Ec25EdlElement *element);

/* --- the model ---------------------------------------------------------------------------- */

struct _Ec25Edl {
	Ec25Module *module;
	Ec25EdlFault fault;
	Ec25EdlState state;
	Ec25Nand *nand;
	Ec25NandGeometry geo;
	GQueue *in_queue; /* of GBytes, one per IN transfer */
	guint in_dropped;
	/* counters for the summary */
	guint64 transfers; /* bulk OUT transfers with data */
	guint64 zlps;	   /* zero-length bulk OUT transfers */
	guint64 raw_transfers;
	guint64 bytes_received; /* raw <program> data */
	guint naks;
	gboolean ignored_logged;
	/* timing model: the work of the OUT transfers since ec25_edl_take_work() */
	Ec25TimingWork work;
	gboolean work_pending;
	guint64 busy_carry_us;
	guint busy_ms;
	Ec25Sahara sahara;
	Ec25Firehose fh;
	GPtrArray *programs;	 /* of Ec25EdlProgram, in order */
	GPtrArray *erases;	 /* of Ec25EdlErase, in order */
	GPtrArray *vendor_lines; /* of Ec25EdlElement */
	GPtrArray *patches;	 /* of Ec25EdlElement */
	gchar *efs2_sha256;	 /* cached; NULL once a command touched EFS2 */
	JsonArray *previous_sessions;
	gboolean summary_error_logged;
};

/* one IN transfer */
void
ec25_edl_queue_in(Ec25Edl *self, const guint8 *buf, gsize bufsz);
/* a command is complete: summary.json is rewritten */
void
ec25_edl_command_done(Ec25Edl *self);
/* the timing model: NAND work done during the current OUT transfer */
void
ec25_edl_add_nand_time(Ec25Edl *self, guint64 pages_programmed, guint64 blocks_erased);
/* pages changed: forget cached checksums that cover them */
void
ec25_edl_nand_changed(Ec25Edl *self, guint64 first_page, guint64 n_pages);

/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The MDM9607 PBL's Sahara target in EDL (docs: ec25-protocols.md §1).
 *
 * The target sends HELLO (v2, compatible 1, max_cmd_packet_len 0x400, mode 0), then loads the
 * programmer (image 13) the way a PBL loads an ELF: READ_DATA for the ELF header (0x34 bytes at
 * 0), the program headers, the hash segment, then every LOAD segment in 4 KiB chunks. It checks
 * what it got and ends with END_OF_IMAGE; DONE starts the programmer (DONE_RESP with
 * image_tx_status 0 = pending, as the MDM9607 answers).
 *
 * Device-side transfers: the PBL posts one read per expected packet (a command, or exactly the
 * length of its READ_DATA). On the wire a host transfer that is a multiple of the 512-byte
 * packet size does not end a device-side read, so image data may arrive in several such host
 * transfers (fwupd 2.0.20 writes 512 bytes at a time); a transfer that is not a multiple ends
 * the read. The data of one READ_DATA must add up to exactly its length.
 *
 * What is checked, and the END_OF_IMAGE status (ec25-protocols.md §1.4) when it fails:
 *   HELLO_RESP length not 0x30 .......................... 0x05 invalid packet size
 *   HELLO_RESP version < 1 or version_compatible > 2 ..... 0x02 protocol mismatch
 *   HELLO_RESP status not 0 .............................. 0x04 invalid host protocol
 *   HELLO_RESP mode not 0 (image transfer) ............... 0x17 invalid host mode
 *   data not exactly the requested length ................ 0x0B invalid RX length
 *   ELF magic, class, encoding, machine, no LOAD segment . 0x14 invalid ELF header
 *   e_phnum 0 or > 16 ..................................... 0x0E unsupported number of phdrs
 *   e_phentsize not 32 ..................................... 0x0F invalid phdr size
 *   no (single) hash segment .............................. 0x22 hash table not found
 *   hash segment too small/large, not MBN v3 .............. 0x25 invalid image hash table size
 *   LOAD segment outside IMEM ............................. 0x12 invalid destination address
 *   SHA-256 of a LOAD segment differs from the hash table . 0x21 hash verification failure
 *   no QUECTEL-SIM-FIREHOSE-PROGRAMMER:9x07 marker ........ 0x24 image auth failure
 *   fault END_OF_IMAGE .................................... 0x0D read data error
 * After an error END_OF_IMAGE only RESET is answered.
 *
 * Command mode (ec25-protocols.md §1.3): a HELLO_RESP with mode 3 (COMMAND) is answered with
 * CMD_READY. Then EXECUTE(client command) gets EXECUTE_RESP(command, data length) and
 * EXECUTE_DATA(command) gets the data as one raw IN transfer:
 *   0x01 serial number ... 4 bytes, module->chip_serial (LE)
 *   0x02 MSM HW ID ....... 8 bytes, LE u64: MSM ID (module->msm_hw_id) << 32 | OEM ID << 16 |
 *                          model ID (both 0), as edl prints "HWID: 0x000480e100000000"
 *   0x03 OEM PK hash ..... 32 bytes (SHA-256 of EC25_SAHARA_OEM_PK, the same for every module)
 * Other commands: END_OF_IMAGE 0x1E exec cmd unsupported; EXECUTE_DATA for another command than
 * the last EXECUTE: 0x1F exec data invalid client cmd (both end the session but for RESET).
 * SWITCH_MODE(0 or 3) goes back to the start: a new HELLO (mode 0), waiting for HELLO_RESP;
 * another mode: 0x1B invalid mode switch. RESET is answered in command mode too.
 * With module->edl_stage not the PBL (the programmer still runs), no HELLO is sent.
 *
 * Packets the PBL does not expect (unknown commands, runts, DONE before the image is loaded,
 * a HELLO_RESP after the transfer started, RESET_STATE_MACHINE which needs Sahara 2.9) are
 * logged and ignored: the host's read then times out. That is also what a 1-byte "poke" or a
 * Firehose <nop/> gets while the target waits for HELLO_RESP.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem() */
#endif

#include <string.h>

#include "ec25-edl-private.h"

#define EC25_SAHARA_CMD_HELLO	     0x01
#define EC25_SAHARA_CMD_HELLO_RESP   0x02
#define EC25_SAHARA_CMD_READ_DATA    0x03
#define EC25_SAHARA_CMD_END_OF_IMAGE 0x04
#define EC25_SAHARA_CMD_DONE	     0x05
#define EC25_SAHARA_CMD_DONE_RESP    0x06
#define EC25_SAHARA_CMD_RESET	     0x07
#define EC25_SAHARA_CMD_RESET_RESP   0x08
#define EC25_SAHARA_CMD_CMD_READY    0x0B
#define EC25_SAHARA_CMD_SWITCH_MODE  0x0C
#define EC25_SAHARA_CMD_EXECUTE	     0x0D
#define EC25_SAHARA_CMD_EXECUTE_RESP 0x0E
#define EC25_SAHARA_CMD_EXECUTE_DATA 0x0F

#define EC25_SAHARA_HEADER_SIZE	    8
#define EC25_SAHARA_HELLO_SIZE	    0x30
#define EC25_SAHARA_DONE_SIZE	    0x08
#define EC25_SAHARA_RESET_SIZE	    0x08
#define EC25_SAHARA_VERSION	    2
#define EC25_SAHARA_VERSION_COMPAT  1
#define EC25_SAHARA_MAX_CMD_PACKET  0x400
#define EC25_SAHARA_MODE_IMAGE_TX   0
#define EC25_SAHARA_MODE_COMMAND    3
#define EC25_SAHARA_SWITCH_SIZE	    0x0C
#define EC25_SAHARA_EXECUTE_SIZE    0x0C
#define EC25_SAHARA_EXEC_SERIAL	    0x01
#define EC25_SAHARA_EXEC_HW_ID	    0x02
#define EC25_SAHARA_EXEC_PK_HASH    0x03
#define EC25_SAHARA_HW_ID_SHIFT	    32
#define EC25_SAHARA_OEM_PK	    "QUECTEL-SIM-OEM-PK"
#define EC25_SAHARA_HELLO_RESERVED  6
#define EC25_SAHARA_TX_PENDING	    0 /* DONE_RESP: MDM9607 answers pending after image 13 */
#define EC25_SAHARA_CHUNK	    0x1000
#define EC25_SAHARA_HELLO_RESP_MODE 20 /* offsets in HELLO_RESP */
#define EC25_SAHARA_HELLO_RESP_VER  8
#define EC25_SAHARA_HELLO_RESP_COMP 12
#define EC25_SAHARA_HELLO_RESP_STAT 16

/* END_OF_IMAGE status codes (edl's status_t enum names) */
#define EC25_SAHARA_STATUS_SUCCESS		0x00
#define EC25_SAHARA_NAK_PROTOCOL_MISMATCH	0x02
#define EC25_SAHARA_NAK_INVALID_HOST_PROTOCOL	0x04
#define EC25_SAHARA_NAK_INVALID_PACKET_SIZE	0x05
#define EC25_SAHARA_NAK_INVALID_RX_LENGTH	0x0B
#define EC25_SAHARA_NAK_READ_DATA_ERROR		0x0D
#define EC25_SAHARA_NAK_UNSUPPORTED_NUM_PHDRS	0x0E
#define EC25_SAHARA_NAK_INVALID_PHDR_SIZE	0x0F
#define EC25_SAHARA_NAK_INVALID_DEST_ADDRESS	0x12
#define EC25_SAHARA_NAK_INVALID_ELF_HEADER	0x14
#define EC25_SAHARA_NAK_INVALID_HOST_MODE	0x17
#define EC25_SAHARA_NAK_HASH_VERIFICATION	0x21
#define EC25_SAHARA_NAK_HASH_TABLE_NOT_FOUND	0x22
#define EC25_SAHARA_NAK_IMAGE_AUTH_FAILURE	0x24
#define EC25_SAHARA_NAK_INVALID_HASH_TABLE_SIZE 0x25
#define EC25_SAHARA_NAK_INVALID_MODE_SWITCH	0x1B
#define EC25_SAHARA_NAK_EXEC_CMD_UNSUPPORTED	0x1E
#define EC25_SAHARA_NAK_EXEC_DATA_INVALID	0x1F

/* the programmer runs from IMEM; this range is synthetic but holds the real 9x07 programmers */
#define EC25_SAHARA_IMEM_BASE 0x08000000u
#define EC25_SAHARA_IMEM_SIZE 0x00040000u

/* MBN v3 hash segment: a 40-byte header, then one SHA-256 per program header */
#define EC25_MBN_HEADER_SIZE	    40
#define EC25_MBN_HEADER_VERSION	    3
#define EC25_MBN_VERSION_OFFSET	    4
#define EC25_MBN_CODE_SIZE_OFFSET   20
#define EC25_MBN_SEGMENT_TYPE_SHIFT 24
#define EC25_MBN_SEGMENT_TYPE_MASK  0x7
#define EC25_MBN_SEGMENT_HASH	    2
#define EC25_MBN_HASH_SEGMENT_MAX   0x10000
#define EC25_SHA256_SIZE	    32

#define EC25_SAHARA_PROGRAMMER_MARKER "QUECTEL-SIM-FIREHOSE-PROGRAMMER:9x07"

static void
ec25_sahara_queue_packet(Ec25Edl *self, guint32 cmd, const guint32 *fields, guint n_fields)
{
	guint32 buf[EC25_SAHARA_HELLO_SIZE / sizeof(guint32)] = {0};
	guint len = EC25_SAHARA_HEADER_SIZE + n_fields * sizeof(guint32);

	g_assert(len <= sizeof(buf));
	buf[0] = GUINT32_TO_LE(cmd);
	buf[1] = GUINT32_TO_LE(len);
	for (guint i = 0; i < n_fields; i++)
		buf[2 + i] = GUINT32_TO_LE(fields[i]);
	ec25_edl_queue_in(self, (const guint8 *)buf, len);
}

static const gchar *
ec25_sahara_status_to_string(guint32 status)
{
	switch (status) {
	case EC25_SAHARA_STATUS_SUCCESS:
		return "success";
	case EC25_SAHARA_NAK_PROTOCOL_MISMATCH:
		return "protocol mismatch";
	case EC25_SAHARA_NAK_INVALID_HOST_PROTOCOL:
		return "invalid host protocol";
	case EC25_SAHARA_NAK_INVALID_PACKET_SIZE:
		return "invalid packet size";
	case EC25_SAHARA_NAK_INVALID_RX_LENGTH:
		return "invalid RX length";
	case EC25_SAHARA_NAK_READ_DATA_ERROR:
		return "read data error";
	case EC25_SAHARA_NAK_UNSUPPORTED_NUM_PHDRS:
		return "unsupported number of phdrs";
	case EC25_SAHARA_NAK_INVALID_PHDR_SIZE:
		return "invalid phdr size";
	case EC25_SAHARA_NAK_INVALID_DEST_ADDRESS:
		return "invalid destination address";
	case EC25_SAHARA_NAK_INVALID_ELF_HEADER:
		return "invalid ELF header";
	case EC25_SAHARA_NAK_INVALID_HOST_MODE:
		return "invalid host mode";
	case EC25_SAHARA_NAK_HASH_VERIFICATION:
		return "hash verification failure";
	case EC25_SAHARA_NAK_HASH_TABLE_NOT_FOUND:
		return "hash table not found";
	case EC25_SAHARA_NAK_IMAGE_AUTH_FAILURE:
		return "image auth failure";
	case EC25_SAHARA_NAK_INVALID_HASH_TABLE_SIZE:
		return "invalid image hash table size";
	case EC25_SAHARA_NAK_INVALID_MODE_SWITCH:
		return "invalid mode switch";
	case EC25_SAHARA_NAK_EXEC_CMD_UNSUPPORTED:
		return "exec cmd unsupported";
	case EC25_SAHARA_NAK_EXEC_DATA_INVALID:
		return "exec data invalid client cmd";
	default:
		return "error";
	}
}

static void
ec25_sahara_end_of_image(Ec25Edl *self, guint32 status, const gchar *why)
{
	Ec25Sahara *sahara = &self->sahara;
	guint32 fields[] = {EC25_EDL_IMAGE_ID_EHOSTDL, status};

	ec25_sahara_queue_packet(self, EC25_SAHARA_CMD_END_OF_IMAGE, fields, G_N_ELEMENTS(fields));
	sahara->end_status = status;
	sahara->phase = status == EC25_SAHARA_STATUS_SUCCESS ? EC25_SAHARA_PHASE_WAIT_DONE
							     : EC25_SAHARA_PHASE_FAILED;
	ec25_module_log(self->module,
			"sahara: end_of_image image=%u status=0x%02x (%s)%s%s",
			(guint)EC25_EDL_IMAGE_ID_EHOSTDL,
			status,
			ec25_sahara_status_to_string(status),
			why != NULL ? ": " : "",
			why != NULL ? why : "");
	ec25_edl_command_done(self);
}

static void
ec25_sahara_request(Ec25Edl *self, guint32 offset, guint32 len)
{
	Ec25Sahara *sahara = &self->sahara;
	guint32 fields[] = {EC25_EDL_IMAGE_ID_EHOSTDL, offset, len};

	sahara->phase = EC25_SAHARA_PHASE_READING;
	sahara->req_offset = offset;
	sahara->req_len = len;
	sahara->read_requests++;
	g_byte_array_set_size(sahara->rx, 0);
	ec25_sahara_queue_packet(self, EC25_SAHARA_CMD_READ_DATA, fields, G_N_ELEMENTS(fields));
	ec25_module_log(self->module,
			"sahara: read_data image=%u offset=0x%x length=0x%x",
			(guint)EC25_EDL_IMAGE_ID_EHOSTDL,
			offset,
			len);
}

static void
ec25_sahara_hello(Ec25Edl *self)
{
	guint32 hello[4 + EC25_SAHARA_HELLO_RESERVED] = {EC25_SAHARA_VERSION,
							 EC25_SAHARA_VERSION_COMPAT,
							 EC25_SAHARA_MAX_CMD_PACKET,
							 EC25_SAHARA_MODE_IMAGE_TX};

	self->sahara.phase = EC25_SAHARA_PHASE_WAIT_HELLO_RESP;
	ec25_sahara_queue_packet(self, EC25_SAHARA_CMD_HELLO, hello, G_N_ELEMENTS(hello));
	self->sahara.hello_sent = TRUE;
	ec25_module_log(self->module,
			"sahara: hello version=%u compatible=%u max_cmd=0x%x mode=%u",
			(guint)EC25_SAHARA_VERSION,
			(guint)EC25_SAHARA_VERSION_COMPAT,
			(guint)EC25_SAHARA_MAX_CMD_PACKET,
			(guint)EC25_SAHARA_MODE_IMAGE_TX);
}

void
ec25_sahara_init(Ec25Edl *self)
{
	Ec25Sahara *sahara = &self->sahara;

	sahara->phase = EC25_SAHARA_PHASE_WAIT_HELLO_RESP;
	sahara->rx = g_byte_array_new();
	sahara->phdrs = g_array_new(FALSE, TRUE, sizeof(Ec25ElfPhdr));
	sahara->hash_seg = g_byte_array_new();
	sahara->load_data = g_byte_array_new();
	sahara->end_status = -1;
	sahara->done_status = -1;
	if (self->fault == EC25_EDL_FAULT_HELLO_CONSUMED) {
		ec25_module_log(self->module,
				"sahara: hello consumed by another reader (fault), waiting");
		return;
	}
	if (self->module->edl_stage != EC25_EDL_STAGE_PBL)
		return;
	ec25_sahara_hello(self);
}

void
ec25_sahara_clear(Ec25Sahara *sahara)
{
	if (sahara->rx != NULL)
		g_byte_array_unref(sahara->rx);
	if (sahara->phdrs != NULL)
		g_array_unref(sahara->phdrs);
	if (sahara->hash_seg != NULL)
		g_byte_array_unref(sahara->hash_seg);
	if (sahara->load_data != NULL)
		g_byte_array_unref(sahara->load_data);
}

/* --- the image ----------------------------------------------------------------------------- */

static void
ec25_sahara_got_elf_header(Ec25Edl *self)
{
	Ec25Sahara *sahara = &self->sahara;
	guint64 end;

	switch (ec25_elf_parse_header(sahara->rx->data, sahara->rx->len, &sahara->elf)) {
	case EC25_ELF_OK:
		break;
	case EC25_ELF_BAD_PHENTSIZE:
		ec25_sahara_end_of_image(self, EC25_SAHARA_NAK_INVALID_PHDR_SIZE, NULL);
		return;
	case EC25_ELF_BAD_PHNUM:
		ec25_sahara_end_of_image(self, EC25_SAHARA_NAK_UNSUPPORTED_NUM_PHDRS, NULL);
		return;
	case EC25_ELF_BAD_HEADER:
	default:
		ec25_sahara_end_of_image(self, EC25_SAHARA_NAK_INVALID_ELF_HEADER, NULL);
		return;
	}
	end = (guint64)sahara->elf.phoff + (guint64)sahara->elf.phnum * EC25_ELF_PHDR_SIZE;
	if (sahara->elf.phoff < EC25_ELF_HEADER_SIZE || end > G_MAXUINT32) {
		ec25_sahara_end_of_image(self,
					 EC25_SAHARA_NAK_INVALID_ELF_HEADER,
					 "program headers out of range");
		return;
	}
	sahara->step = EC25_SAHARA_STEP_PHDRS;
	ec25_sahara_request(self, sahara->elf.phoff, sahara->elf.phnum * EC25_ELF_PHDR_SIZE);
}

static gboolean
ec25_sahara_is_hash_segment(const Ec25ElfPhdr *phdr)
{
	return phdr->type == EC25_ELF_PT_NULL &&
	       ((phdr->flags >> EC25_MBN_SEGMENT_TYPE_SHIFT) & EC25_MBN_SEGMENT_TYPE_MASK) ==
		   EC25_MBN_SEGMENT_HASH;
}

static gboolean
ec25_sahara_is_load_segment(const Ec25ElfPhdr *phdr)
{
	return phdr->type == EC25_ELF_PT_LOAD && phdr->filesz > 0;
}

/* the status to end with, or EC25_SAHARA_STATUS_SUCCESS */
static guint32
ec25_sahara_check_load_segment(const Ec25ElfPhdr *phdr)
{
	guint64 size = MAX(phdr->memsz, phdr->filesz);

	if ((guint64)phdr->offset + phdr->filesz > G_MAXUINT32)
		return EC25_SAHARA_NAK_INVALID_ELF_HEADER;
	if (phdr->vaddr < EC25_SAHARA_IMEM_BASE ||
	    (guint64)phdr->vaddr + size > (guint64)EC25_SAHARA_IMEM_BASE + EC25_SAHARA_IMEM_SIZE)
		return EC25_SAHARA_NAK_INVALID_DEST_ADDRESS;
	return EC25_SAHARA_STATUS_SUCCESS;
}

static guint32
ec25_sahara_check_phdrs(Ec25Sahara *sahara, GString *why)
{
	guint hashes = 0;
	guint loads = 0;

	for (guint i = 0; i < sahara->phdrs->len; i++) {
		const Ec25ElfPhdr *phdr = &g_array_index(sahara->phdrs, Ec25ElfPhdr, i);
		if (ec25_sahara_is_hash_segment(phdr)) {
			if (hashes++ == 0)
				sahara->hash_index = i;
		} else if (ec25_sahara_is_load_segment(phdr)) {
			guint32 status = ec25_sahara_check_load_segment(phdr);
			if (status != EC25_SAHARA_STATUS_SUCCESS) {
				g_string_printf(why,
						"LOAD segment %u at 0x%08x (+0x%x)",
						i,
						phdr->vaddr,
						phdr->memsz);
				return status;
			}
			if (loads++ == 0)
				sahara->load_index = i;
		}
	}
	if (hashes != 1) {
		g_string_printf(why, "%u hash segments", hashes);
		return EC25_SAHARA_NAK_HASH_TABLE_NOT_FOUND;
	}
	if (loads == 0) {
		g_string_assign(why, "no LOAD segment");
		return EC25_SAHARA_NAK_INVALID_ELF_HEADER;
	}
	return EC25_SAHARA_STATUS_SUCCESS;
}

static void
ec25_sahara_got_phdrs(Ec25Edl *self)
{
	Ec25Sahara *sahara = &self->sahara;
	const Ec25ElfPhdr *hash;
	g_autoptr(GString) why = g_string_new(NULL);
	guint32 status;
	gsize min_hash;

	g_array_set_size(sahara->phdrs, 0);
	for (guint i = 0; i < sahara->elf.phnum; i++) {
		Ec25ElfPhdr phdr;
		ec25_elf_parse_phdr(sahara->rx->data + i * EC25_ELF_PHDR_SIZE, &phdr);
		g_array_append_val(sahara->phdrs, phdr);
	}
	status = ec25_sahara_check_phdrs(sahara, why);
	if (status != EC25_SAHARA_STATUS_SUCCESS) {
		ec25_sahara_end_of_image(self, status, why->str);
		return;
	}
	hash = &g_array_index(sahara->phdrs, Ec25ElfPhdr, sahara->hash_index);
	min_hash = EC25_MBN_HEADER_SIZE + (gsize)sahara->elf.phnum * EC25_SHA256_SIZE;
	if (hash->filesz < min_hash || hash->filesz > EC25_MBN_HASH_SEGMENT_MAX ||
	    (guint64)hash->offset + hash->filesz > G_MAXUINT32) {
		g_string_printf(why, "hash segment of 0x%x bytes", hash->filesz);
		ec25_sahara_end_of_image(self, EC25_SAHARA_NAK_INVALID_HASH_TABLE_SIZE, why->str);
		return;
	}
	sahara->step = EC25_SAHARA_STEP_HASH;
	ec25_sahara_request(self, hash->offset, hash->filesz);
}

static void
ec25_sahara_request_load_chunk(Ec25Edl *self)
{
	Ec25Sahara *sahara = &self->sahara;
	const Ec25ElfPhdr *phdr = &g_array_index(sahara->phdrs, Ec25ElfPhdr, sahara->load_index);
	guint32 len = MIN(phdr->filesz - sahara->load_done, EC25_SAHARA_CHUNK);

	sahara->step = EC25_SAHARA_STEP_LOAD;
	ec25_sahara_request(self, phdr->offset + sahara->load_done, len);
}

static void
ec25_sahara_got_hash(Ec25Edl *self)
{
	Ec25Sahara *sahara = &self->sahara;
	guint32 version = ec25_edl_read_u32(sahara->rx->data, EC25_MBN_VERSION_OFFSET);
	guint32 code_size = ec25_edl_read_u32(sahara->rx->data, EC25_MBN_CODE_SIZE_OFFSET);

	if (version != EC25_MBN_HEADER_VERSION ||
	    code_size < (guint64)sahara->elf.phnum * EC25_SHA256_SIZE ||
	    code_size > sahara->rx->len - EC25_MBN_HEADER_SIZE) {
		g_autofree gchar *why =
		    g_strdup_printf("MBN header version %u, code size 0x%x", version, code_size);
		ec25_sahara_end_of_image(self, EC25_SAHARA_NAK_INVALID_HASH_TABLE_SIZE, why);
		return;
	}
	g_byte_array_set_size(sahara->hash_seg, 0);
	g_byte_array_append(sahara->hash_seg, sahara->rx->data, sahara->rx->len);
	sahara->load_done = 0;
	ec25_sahara_request_load_chunk(self);
}

/* the SHA-256 of segment @index against the hash table */
static gboolean
ec25_sahara_verify_segment(Ec25Sahara *sahara, guint index, const guint8 *data, gsize len)
{
	const guint8 *expected =
	    sahara->hash_seg->data + EC25_MBN_HEADER_SIZE + (gsize)index * EC25_SHA256_SIZE;
	guint8 digest[EC25_SHA256_SIZE];
	gsize digest_len = sizeof(digest);
	g_autoptr(GChecksum) checksum = g_checksum_new(G_CHECKSUM_SHA256);

	g_checksum_update(checksum, data, len);
	g_checksum_get_digest(checksum, digest, &digest_len);
	return memcmp(digest, expected, sizeof(digest)) == 0;
}

static gint
ec25_sahara_next_load_segment(Ec25Sahara *sahara, guint after)
{
	for (guint i = after + 1; i < sahara->phdrs->len; i++) {
		const Ec25ElfPhdr *phdr = &g_array_index(sahara->phdrs, Ec25ElfPhdr, i);
		if (ec25_sahara_is_load_segment(phdr))
			return (gint)i;
	}
	return -1;
}

static void
ec25_sahara_image_complete(Ec25Edl *self)
{
	Ec25Sahara *sahara = &self->sahara;
	const gchar *marker = EC25_SAHARA_PROGRAMMER_MARKER;

	if (memmem(sahara->load_data->data, sahara->load_data->len, marker, strlen(marker)) ==
	    NULL) {
		ec25_sahara_end_of_image(self,
					 EC25_SAHARA_NAK_IMAGE_AUTH_FAILURE,
					 "not the " EC25_SAHARA_PROGRAMMER_MARKER " programmer");
		return;
	}
	if (self->fault == EC25_EDL_FAULT_END_OF_IMAGE) {
		ec25_sahara_end_of_image(self, EC25_SAHARA_NAK_READ_DATA_ERROR, "fault");
		return;
	}
	ec25_sahara_end_of_image(self, EC25_SAHARA_STATUS_SUCCESS, NULL);
}

static void
ec25_sahara_got_load_chunk(Ec25Edl *self)
{
	Ec25Sahara *sahara = &self->sahara;
	const Ec25ElfPhdr *phdr = &g_array_index(sahara->phdrs, Ec25ElfPhdr, sahara->load_index);
	gint next;

	g_byte_array_append(sahara->load_data, sahara->rx->data, sahara->rx->len);
	sahara->load_done += sahara->rx->len;
	if (sahara->load_done < phdr->filesz) {
		ec25_sahara_request_load_chunk(self);
		return;
	}
	if (!ec25_sahara_verify_segment(sahara,
					sahara->load_index,
					sahara->load_data->data + sahara->load_data->len -
					    phdr->filesz,
					phdr->filesz)) {
		g_autofree gchar *why =
		    g_strdup_printf("SHA-256 of segment %u does not match", sahara->load_index);
		ec25_sahara_end_of_image(self, EC25_SAHARA_NAK_HASH_VERIFICATION, why);
		return;
	}
	next = ec25_sahara_next_load_segment(sahara, sahara->load_index);
	if (next < 0) {
		ec25_sahara_image_complete(self);
		return;
	}
	sahara->load_index = next;
	sahara->load_done = 0;
	ec25_sahara_request_load_chunk(self);
}

static void
ec25_sahara_got_data(Ec25Edl *self)
{
	switch (self->sahara.step) {
	case EC25_SAHARA_STEP_ELF_HEADER:
		ec25_sahara_got_elf_header(self);
		break;
	case EC25_SAHARA_STEP_PHDRS:
		ec25_sahara_got_phdrs(self);
		break;
	case EC25_SAHARA_STEP_HASH:
		ec25_sahara_got_hash(self);
		break;
	case EC25_SAHARA_STEP_LOAD:
	default:
		ec25_sahara_got_load_chunk(self);
		break;
	}
}

static void
ec25_sahara_bad_rx_length(Ec25Edl *self, gsize got)
{
	g_autofree gchar *why =
	    g_strdup_printf("got 0x%" G_GSIZE_MODIFIER "x bytes for a read of 0x%x at 0x%x",
			    got,
			    self->sahara.req_len,
			    self->sahara.req_offset);
	ec25_sahara_end_of_image(self, EC25_SAHARA_NAK_INVALID_RX_LENGTH, why);
}

/* image data for the outstanding READ_DATA */
static void
ec25_sahara_data(Ec25Edl *self, const guint8 *buf, gsize bufsz)
{
	Ec25Sahara *sahara = &self->sahara;
	gsize want = sahara->req_len - sahara->rx->len;

	if (bufsz == 0 && sahara->rx->len == 0) {
		ec25_module_log(self->module, "sahara: zero-length packet ignored");
		return;
	}
	if (bufsz > want) {
		ec25_sahara_bad_rx_length(self, sahara->rx->len + bufsz);
		return;
	}
	g_byte_array_append(sahara->rx, buf, bufsz);
	if (sahara->rx->len < sahara->req_len) {
		/* full packets only: the device-side read goes on */
		if (bufsz > 0 && bufsz % EC25_EDL_USB_PACKET == 0)
			return;
		ec25_sahara_bad_rx_length(self, sahara->rx->len);
		return;
	}
	sahara->bytes_served += sahara->rx->len;
	ec25_sahara_got_data(self);
}

/* --- commands ----------------------------------------------------------------------------- */

static void
ec25_sahara_hello_resp(Ec25Edl *self, const guint8 *buf, gsize bufsz, guint32 len)
{
	guint32 version;
	guint32 compat;
	guint32 status;
	guint32 mode;

	if (self->sahara.phase != EC25_SAHARA_PHASE_WAIT_HELLO_RESP) {
		ec25_module_log(self->module, "sahara: ignored an unexpected hello_resp");
		return;
	}
	if (len != EC25_SAHARA_HELLO_SIZE || bufsz != len) {
		g_autofree gchar *why =
		    g_strdup_printf("hello_resp of %" G_GSIZE_FORMAT " bytes, length field 0x%x",
				    bufsz,
				    len);
		ec25_sahara_end_of_image(self, EC25_SAHARA_NAK_INVALID_PACKET_SIZE, why);
		return;
	}
	version = ec25_edl_read_u32(buf, EC25_SAHARA_HELLO_RESP_VER);
	compat = ec25_edl_read_u32(buf, EC25_SAHARA_HELLO_RESP_COMP);
	status = ec25_edl_read_u32(buf, EC25_SAHARA_HELLO_RESP_STAT);
	mode = ec25_edl_read_u32(buf, EC25_SAHARA_HELLO_RESP_MODE);
	ec25_module_log(self->module,
			"sahara: hello_resp version=%u compatible=%u status=%u mode=%u",
			version,
			compat,
			status,
			mode);
	if (version < EC25_SAHARA_VERSION_COMPAT || compat > EC25_SAHARA_VERSION) {
		ec25_sahara_end_of_image(self, EC25_SAHARA_NAK_PROTOCOL_MISMATCH, NULL);
		return;
	}
	if (status != EC25_SAHARA_STATUS_SUCCESS) {
		ec25_sahara_end_of_image(self, EC25_SAHARA_NAK_INVALID_HOST_PROTOCOL, NULL);
		return;
	}
	if (mode == EC25_SAHARA_MODE_COMMAND) {
		self->sahara.phase = EC25_SAHARA_PHASE_COMMAND;
		self->sahara.exec_cmd = 0;
		ec25_sahara_queue_packet(self, EC25_SAHARA_CMD_CMD_READY, NULL, 0);
		ec25_module_log(self->module, "sahara: command mode, cmd_ready");
		ec25_edl_command_done(self);
		return;
	}
	if (mode != EC25_SAHARA_MODE_IMAGE_TX) {
		ec25_sahara_end_of_image(self, EC25_SAHARA_NAK_INVALID_HOST_MODE, NULL);
		return;
	}
	self->sahara.step = EC25_SAHARA_STEP_ELF_HEADER;
	ec25_sahara_request(self, 0, EC25_ELF_HEADER_SIZE);
}

static void
ec25_sahara_done(Ec25Edl *self)
{
	guint32 fields[] = {EC25_SAHARA_TX_PENDING};

	if (self->sahara.phase != EC25_SAHARA_PHASE_WAIT_DONE) {
		ec25_module_log(self->module, "sahara: ignored done before the image was loaded");
		return;
	}
	ec25_sahara_queue_packet(self, EC25_SAHARA_CMD_DONE_RESP, fields, G_N_ELEMENTS(fields));
	self->sahara.done_status = EC25_SAHARA_TX_PENDING;
	ec25_module_log(self->module, "sahara: done, done_resp status=0 (pending)");
	ec25_firehose_start(self);
}

static void
ec25_sahara_reset(Ec25Edl *self)
{
	ec25_sahara_queue_packet(self, EC25_SAHARA_CMD_RESET_RESP, NULL, 0);
	self->state = EC25_EDL_STATE_RESET;
	ec25_module_log(self->module, "sahara: reset, reset_resp");
	ec25_edl_command_done(self);
}

/* --- command mode ----------------------------------------------------------------------- */

/* the data of client command @cmd, NULL if it is not supported */
static GByteArray *
ec25_sahara_exec_data(Ec25Edl *self, guint32 cmd)
{
	GByteArray *data = g_byte_array_new();

	if (cmd == EC25_SAHARA_EXEC_SERIAL) {
		guint32 le = GUINT32_TO_LE(self->module->chip_serial);
		g_byte_array_append(data, (const guint8 *)&le, sizeof(le));
	} else if (cmd == EC25_SAHARA_EXEC_HW_ID) {
		guint64 le =
		    GUINT64_TO_LE((guint64)self->module->msm_hw_id << EC25_SAHARA_HW_ID_SHIFT);
		g_byte_array_append(data, (const guint8 *)&le, sizeof(le));
	} else if (cmd == EC25_SAHARA_EXEC_PK_HASH) {
		guint8 digest[EC25_SHA256_SIZE];
		gsize digest_len = sizeof(digest);
		g_autoptr(GChecksum) checksum = g_checksum_new(G_CHECKSUM_SHA256);
		g_checksum_update(checksum,
				  (const guchar *)EC25_SAHARA_OEM_PK,
				  strlen(EC25_SAHARA_OEM_PK));
		g_checksum_get_digest(checksum, digest, &digest_len);
		g_byte_array_append(data, digest, digest_len);
	} else {
		g_byte_array_unref(data);
		return NULL;
	}
	return data;
}

static void
ec25_sahara_execute(Ec25Edl *self, guint32 cmd)
{
	g_autoptr(GByteArray) data = ec25_sahara_exec_data(self, cmd);
	guint32 fields[2] = {cmd, 0};

	ec25_module_log(self->module, "sahara: execute 0x%02x", cmd);
	if (data == NULL) {
		ec25_sahara_end_of_image(self, EC25_SAHARA_NAK_EXEC_CMD_UNSUPPORTED, NULL);
		return;
	}
	fields[1] = data->len;
	self->sahara.exec_cmd = cmd;
	ec25_sahara_queue_packet(self, EC25_SAHARA_CMD_EXECUTE_RESP, fields, G_N_ELEMENTS(fields));
}

static void
ec25_sahara_execute_data(Ec25Edl *self, guint32 cmd)
{
	g_autoptr(GByteArray) data = NULL;

	ec25_module_log(self->module, "sahara: execute_data 0x%02x", cmd);
	if (cmd == 0 || cmd != self->sahara.exec_cmd) {
		ec25_sahara_end_of_image(self, EC25_SAHARA_NAK_EXEC_DATA_INVALID, NULL);
		return;
	}
	data = ec25_sahara_exec_data(self, cmd);
	ec25_edl_queue_in(self, data->data, data->len);
	self->sahara.exec_cmd = 0;
	self->sahara.executes++;
	ec25_edl_command_done(self);
}

static void
ec25_sahara_switch_mode(Ec25Edl *self, guint32 mode)
{
	ec25_module_log(self->module, "sahara: switch_mode %u", mode);
	if (mode != EC25_SAHARA_MODE_IMAGE_TX && mode != EC25_SAHARA_MODE_COMMAND) {
		ec25_sahara_end_of_image(self, EC25_SAHARA_NAK_INVALID_MODE_SWITCH, NULL);
		return;
	}
	self->sahara.exec_cmd = 0;
	ec25_sahara_hello(self);
	ec25_edl_command_done(self);
}

static void
ec25_sahara_command_packet(Ec25Edl *self, const guint8 *buf, gsize bufsz)
{
	guint32 cmd = ec25_edl_read_u32(buf, 0);
	guint32 len = ec25_edl_read_u32(buf, 4);

	if (len != bufsz) {
		ec25_module_log(self->module,
				"sahara: ignored command 0x%x (length field 0x%x, %" G_GSIZE_FORMAT
				" bytes)",
				cmd,
				len,
				bufsz);
		return;
	}
	if (cmd == EC25_SAHARA_CMD_EXECUTE && len == EC25_SAHARA_EXECUTE_SIZE) {
		ec25_sahara_execute(self, ec25_edl_read_u32(buf, EC25_SAHARA_HEADER_SIZE));
		return;
	}
	if (cmd == EC25_SAHARA_CMD_EXECUTE_DATA && len == EC25_SAHARA_EXECUTE_SIZE) {
		ec25_sahara_execute_data(self, ec25_edl_read_u32(buf, EC25_SAHARA_HEADER_SIZE));
		return;
	}
	if (cmd == EC25_SAHARA_CMD_SWITCH_MODE && len == EC25_SAHARA_SWITCH_SIZE) {
		ec25_sahara_switch_mode(self, ec25_edl_read_u32(buf, EC25_SAHARA_HEADER_SIZE));
		return;
	}
	if (cmd == EC25_SAHARA_CMD_RESET && len == EC25_SAHARA_RESET_SIZE) {
		ec25_sahara_reset(self);
		return;
	}
	ec25_module_log(self->module, "sahara: ignored command 0x%x in command mode", cmd);
}

/* a command packet (outside an image transfer) */
static void
ec25_sahara_packet(Ec25Edl *self, const guint8 *buf, gsize bufsz)
{
	guint32 cmd;
	guint32 len;

	if (bufsz < EC25_SAHARA_HEADER_SIZE) {
		ec25_module_log(self->module,
				"sahara: ignored a %" G_GSIZE_FORMAT "-byte transfer",
				bufsz);
		return;
	}
	cmd = ec25_edl_read_u32(buf, 0);
	len = ec25_edl_read_u32(buf, 4);
	if (cmd == EC25_SAHARA_CMD_HELLO_RESP) {
		ec25_sahara_hello_resp(self, buf, bufsz, len);
		return;
	}
	if (self->sahara.phase == EC25_SAHARA_PHASE_WAIT_HELLO_RESP) {
		ec25_module_log(self->module,
				"sahara: ignored command 0x%x before hello_resp",
				cmd);
		return;
	}
	if (self->sahara.phase == EC25_SAHARA_PHASE_COMMAND) {
		ec25_sahara_command_packet(self, buf, bufsz);
		return;
	}
	if (cmd == EC25_SAHARA_CMD_DONE && len == EC25_SAHARA_DONE_SIZE && bufsz == len) {
		ec25_sahara_done(self);
		return;
	}
	if (cmd == EC25_SAHARA_CMD_RESET && len == EC25_SAHARA_RESET_SIZE && bufsz == len) {
		ec25_sahara_reset(self);
		return;
	}
	ec25_module_log(self->module,
			"sahara: ignored command 0x%x (length field 0x%x, %" G_GSIZE_FORMAT
			" bytes)",
			cmd,
			len,
			bufsz);
}

void
ec25_sahara_bulk_out(Ec25Edl *self, const guint8 *buf, gsize bufsz)
{
	if (self->sahara.phase == EC25_SAHARA_PHASE_READING) {
		ec25_sahara_data(self, buf, bufsz);
		return;
	}
	if (bufsz == 0) {
		ec25_module_log(self->module, "sahara: zero-length packet ignored");
		return;
	}
	ec25_sahara_packet(self, buf, bufsz);
}

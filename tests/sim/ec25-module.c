/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "ec25-module.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ec25-fault.h"
#include "ec25-hdlc.h"
#include "ec25-urc.h"

#define EC25_AT_LINE_MAX	    512
#define EC25_GARBAGE_LEN	    48
#define EC25_DIAG_CMD_EXT_BUILD_ID  0x7C
#define EC25_DIAG_MSM_HW_ID_MDM9607 0x000480E1
#define EC25_STATE_FILE		    "module.ini"
#define EC25_STATE_GROUP	    "module"
#define EC25_DIAG_CMD_SUBSYS	    0x4B
#define EC25_DIAG_SUBSYS_EDL	    0x65 /* with subcommand 0x0001: reboot into the PBL's EDL */
#define EC25_MAX_PAYLOAD	    8192
#define EC25_EDL_DELAY_MS	    200
#define EC25_REBOOT_MS		    300
#define EC25_ERASE_US		    2000 /* typical NAND block erase time (tBERS) */
#define EC25_PAGES_PER_BLOCK	    64
#define EC25_BLOCKS		    2048
#define EC25_URC_SEED		    0x5543

/* Sahara as Quectel's SBL speaks it in dump mode */
#define EC25_SAHARA_HELLO	       0x01
#define EC25_SAHARA_HELLO_RESP	       0x02
#define EC25_SAHARA_READ_DATA	       0x03
#define EC25_SAHARA_RESET	       0x07
#define EC25_SAHARA_RESET_RESP	       0x08
#define EC25_SAHARA_MEMORY_DEBUG       0x09
#define EC25_SAHARA_MEMORY_READ	       0x0A
#define EC25_SAHARA_HELLO_SZ	       0x30
#define EC25_SAHARA_HDR_SZ	       8
#define EC25_SAHARA_PACKET_MAX	       0x400
#define EC25_SAHARA_MODE_IMAGE_PENDING 0
#define EC25_SAHARA_MODE_MEMORY_DEBUG  2
#define EC25_SAHARA_IMAGE_HOSTDL       7 /* what the SBL asks for: NPRG9x07.mbn */
#define EC25_DUMP_TABLE_ADDR	       0x87C3E000
#define EC25_DUMP_TABLE_ENTRY_SZ       52
#define EC25_DUMP_READ_MAX	       0x100000

Ec25Module *
ec25_module_new(void)
{
	Ec25Module *self = g_new0(Ec25Module, 1);
	self->model = g_strdup("EC25");
	self->revision = g_strdup("EC25EFAR06A08M4G");
	self->subversion = g_strdup("01.001.01.001");
	self->imei = g_strdup("867698041234562");
	self->echo = TRUE;
	self->hdlc = ec25_hdlc_decoder_new();
	self->rand = g_rand_new_with_seed(0x9607);
	self->urc_rand = g_rand_new_with_seed(EC25_URC_SEED);
	self->max_payload = EC25_MAX_PAYLOAD;
	self->edl_delay_ms = EC25_EDL_DELAY_MS;
	self->reboot_ms = EC25_REBOOT_MS;
	self->erase_us = EC25_ERASE_US;
	self->diag_switch_ms = EC25_EDL_DELAY_MS / 2;
	self->dump_rx = g_byte_array_new();
	self->msm_hw_id = EC25_DIAG_MSM_HW_ID_MDM9607;
	self->dump_kind = EC25_DUMP_PERSISTS;
	self->dump_tty = TRUE;
	for (guint i = 0; i < EC25_PORT_LAST; i++)
		self->line[i] = g_string_new(NULL);
	return self;
}

void
ec25_module_free(Ec25Module *self)
{
	for (guint i = 0; i < EC25_PORT_LAST; i++)
		g_string_free(self->line[i], TRUE);
	ec25_hdlc_decoder_free(self->hdlc);
	g_byte_array_unref(self->dump_rx);
	g_rand_free(self->rand);
	g_rand_free(self->urc_rand);
	if (self->log != NULL)
		fclose(self->log);
	g_free(self->model);
	g_free(self->revision);
	g_free(self->subversion);
	g_free(self->imei);
	g_free(self->layout_shift);
	g_free(self->state_dir);
	g_free(self->fault_arg);
	g_free(self);
}

void
ec25_module_log(Ec25Module *self, const gchar *fmt, ...)
{
	va_list args;
	g_autofree gchar *msg = NULL;

	va_start(args, fmt);
	msg = g_strdup_vprintf(fmt, args);
	va_end(args);
	if (self->log != NULL) {
		fprintf(self->log, "%s\n", msg);
		fflush(self->log);
	}
	if (self->verbose)
		g_printerr("ec25-sim: %s\n", msg);
}

const gchar *
ec25_module_port_name(Ec25Port port)
{
	const gchar *names[] = {"dm", "nmea", "at", "modem"};
	return port < EC25_PORT_LAST ? names[port] : "unknown";
}

const gchar *
ec25_module_usb_product(Ec25Module *self)
{
	return g_strcmp0(self->model, "EG25") == 0 ? "EG25-G" : self->model;
}

const gchar *
ec25_module_mode_to_string(Ec25Mode mode)
{
	if (mode == EC25_MODE_EDL)
		return "edl";
	if (mode == EC25_MODE_DUMP)
		return "dump";
	return "normal";
}

gboolean
ec25_module_mode_from_string(const gchar *str, Ec25Mode *mode)
{
	const Ec25Mode modes[] = {EC25_MODE_NORMAL, EC25_MODE_EDL, EC25_MODE_DUMP};
	for (guint i = 0; i < G_N_ELEMENTS(modes); i++) {
		if (g_strcmp0(str, ec25_module_mode_to_string(modes[i])) == 0) {
			*mode = modes[i];
			return TRUE;
		}
	}
	return FALSE;
}

void
ec25_module_set_default_geometry(Ec25Module *self)
{
	if (self->page_size == 0)
		self->page_size = g_strcmp0(self->model, "EG25") == 0 ? 2048 : 4096;
	if (self->pages_per_block == 0)
		self->pages_per_block = EC25_PAGES_PER_BLOCK;
	if (self->blocks == 0)
		self->blocks = EC25_BLOCKS;
}

static gboolean
ec25_module_load_u32(GKeyFile *kf,
		     const gchar *fn,
		     const gchar *key,
		     guint32 *value,
		     GError **error)
{
	g_autoptr(GError) error_local = NULL;
	guint64 tmp;

	if (!g_key_file_has_key(kf, EC25_STATE_GROUP, key, NULL))
		return TRUE;
	tmp = g_key_file_get_uint64(kf, EC25_STATE_GROUP, key, &error_local);
	if (error_local != NULL || tmp > G_MAXUINT32) {
		g_set_error(error,
			    G_KEY_FILE_ERROR,
			    G_KEY_FILE_ERROR_INVALID_VALUE,
			    "%s: %s is not a 32-bit number",
			    fn,
			    key);
		return FALSE;
	}
	*value = (guint32)tmp;
	return TRUE;
}

static void
ec25_module_load_bool(GKeyFile *kf, const gchar *key, gboolean *value)
{
	if (g_key_file_has_key(kf, EC25_STATE_GROUP, key, NULL))
		*value = g_key_file_get_boolean(kf, EC25_STATE_GROUP, key, NULL);
}

/* the chip identity, the dump mode variant and what runs in EDL (ec25-fault.c) */
static gboolean
ec25_module_load_variant(Ec25Module *self, GKeyFile *kf, const gchar *fn, GError **error)
{
	guint32 dump_kind = self->dump_kind;
	guint32 edl_stage = self->edl_stage;

	if (!ec25_module_load_u32(kf, fn, "chip_serial", &self->chip_serial, error) ||
	    !ec25_module_load_u32(kf, fn, "msm_hw_id", &self->msm_hw_id, error) ||
	    !ec25_module_load_u32(kf, fn, "dump_kind", &dump_kind, error) ||
	    !ec25_module_load_u32(kf, fn, "edl_stage", &edl_stage, error))
		return FALSE;
	if (dump_kind > EC25_DUMP_CLEARS || edl_stage > EC25_EDL_STAGE_DEAD) {
		g_set_error(error,
			    G_KEY_FILE_ERROR,
			    G_KEY_FILE_ERROR_INVALID_VALUE,
			    "%s: invalid dump_kind or edl_stage",
			    fn);
		return FALSE;
	}
	self->dump_kind = dump_kind;
	self->edl_stage = edl_stage;
	ec25_module_load_bool(kf, "dump_tty", &self->dump_tty);
	ec25_module_load_bool(kf, "dump_flag", &self->dump_flag);
	if (g_key_file_has_key(kf, EC25_STATE_GROUP, "layout_shift", NULL)) {
		g_free(self->layout_shift);
		self->layout_shift =
		    g_key_file_get_string(kf, EC25_STATE_GROUP, "layout_shift", NULL);
	}
	return TRUE;
}

/* the identity, the mode and the NAND geometry persist in the state folder; options given on
 * the command line win */
gboolean
ec25_module_load_state(Ec25Module *self, GError **error)
{
	const gchar *keys[] = {"model", "revision", "subversion", "imei"};
	gchar **fields[] = {&self->model, &self->revision, &self->subversion, &self->imei};
	const gchar *geometry_keys[] = {"page_size", "pages_per_block", "blocks"};
	guint *geometry[] = {&self->page_size, &self->pages_per_block, &self->blocks};
	g_autofree gchar *fn = NULL;
	g_autofree gchar *mode = NULL;
	g_autoptr(GKeyFile) kf = g_key_file_new();

	if (self->state_dir == NULL)
		return TRUE;
	fn = g_build_filename(self->state_dir, EC25_STATE_FILE, NULL);
	if (!g_file_test(fn, G_FILE_TEST_EXISTS))
		return TRUE;
	if (!g_key_file_load_from_file(kf, fn, G_KEY_FILE_NONE, error))
		return FALSE;
	for (guint i = 0; i < G_N_ELEMENTS(keys); i++) {
		g_autofree gchar *value =
		    g_key_file_get_string(kf, EC25_STATE_GROUP, keys[i], NULL);
		if (value != NULL) {
			g_free(*fields[i]);
			*fields[i] = g_steal_pointer(&value);
		}
	}
	mode = g_key_file_get_string(kf, EC25_STATE_GROUP, "mode", NULL);
	if (mode != NULL && !ec25_module_mode_from_string(mode, &self->mode)) {
		g_set_error(error,
			    G_KEY_FILE_ERROR,
			    G_KEY_FILE_ERROR_INVALID_VALUE,
			    "%s: mode is normal, edl or dump, not %s",
			    fn,
			    mode);
		return FALSE;
	}
	for (guint i = 0; i < G_N_ELEMENTS(geometry_keys); i++) {
		g_autoptr(GError) error_local = NULL;
		guint64 value;
		if (!g_key_file_has_key(kf, EC25_STATE_GROUP, geometry_keys[i], NULL))
			continue;
		value = g_key_file_get_uint64(kf, EC25_STATE_GROUP, geometry_keys[i], &error_local);
		if (error_local != NULL || value == 0 || value > G_MAXUINT16 * 16u) {
			g_set_error(error,
				    G_KEY_FILE_ERROR,
				    G_KEY_FILE_ERROR_INVALID_VALUE,
				    "%s: %s is not a valid size",
				    fn,
				    geometry_keys[i]);
			return FALSE;
		}
		*geometry[i] = value;
	}
	return ec25_module_load_variant(self, kf, fn, error);
}

gboolean
ec25_module_save_state(Ec25Module *self, GError **error)
{
	g_autofree gchar *fn = NULL;
	g_autoptr(GKeyFile) kf = g_key_file_new();

	if (self->state_dir == NULL)
		return TRUE;
	g_key_file_set_string(kf, EC25_STATE_GROUP, "model", self->model);
	g_key_file_set_string(kf, EC25_STATE_GROUP, "revision", self->revision);
	g_key_file_set_string(kf, EC25_STATE_GROUP, "subversion", self->subversion);
	g_key_file_set_string(kf, EC25_STATE_GROUP, "imei", self->imei);
	g_key_file_set_string(kf, EC25_STATE_GROUP, "mode", ec25_module_mode_to_string(self->mode));
	g_key_file_set_uint64(kf, EC25_STATE_GROUP, "page_size", self->page_size);
	g_key_file_set_uint64(kf, EC25_STATE_GROUP, "pages_per_block", self->pages_per_block);
	g_key_file_set_uint64(kf, EC25_STATE_GROUP, "blocks", self->blocks);
	g_key_file_set_uint64(kf, EC25_STATE_GROUP, "chip_serial", self->chip_serial);
	g_key_file_set_uint64(kf, EC25_STATE_GROUP, "msm_hw_id", self->msm_hw_id);
	g_key_file_set_uint64(kf, EC25_STATE_GROUP, "dump_kind", self->dump_kind);
	g_key_file_set_boolean(kf, EC25_STATE_GROUP, "dump_tty", self->dump_tty);
	g_key_file_set_boolean(kf, EC25_STATE_GROUP, "dump_flag", self->dump_flag);
	if (self->layout_shift != NULL)
		g_key_file_set_string(kf, EC25_STATE_GROUP, "layout_shift", self->layout_shift);
	g_key_file_set_uint64(kf, EC25_STATE_GROUP, "edl_stage", self->edl_stage);
	fn = g_build_filename(self->state_dir, EC25_STATE_FILE, NULL);
	return g_key_file_save_to_file(kf, fn, error);
}

static void
ec25_module_at_reply(GByteArray *out, const gchar *fmt, ...) G_GNUC_PRINTF(2, 3);

static void
ec25_module_at_reply(GByteArray *out, const gchar *fmt, ...)
{
	va_list args;
	g_autofree gchar *msg = NULL;

	va_start(args, fmt);
	msg = g_strdup_vprintf(fmt, args);
	va_end(args);
	g_byte_array_append(out, (const guint8 *)msg, strlen(msg));
}

static void
ec25_module_at_command(Ec25Module *self, const gchar *cmd, GByteArray *out)
{
	g_autofree gchar *upper = g_ascii_strup(cmd, -1);

	self->at_commands++;
	ec25_module_log(self, "at: %s", cmd);
	if (g_strcmp0(upper, "AT") == 0) {
		ec25_module_at_reply(out, "\r\nOK\r\n");
	} else if (g_strcmp0(upper, "ATE0") == 0 || g_strcmp0(upper, "ATE1") == 0) {
		self->echo = upper[3] == '1';
		ec25_module_at_reply(out, "\r\nOK\r\n");
	} else if (g_strcmp0(upper, "ATI") == 0) {
		ec25_module_at_reply(out,
				     "\r\nQuectel\r\n%s\r\nRevision: %s\r\n\r\nOK\r\n",
				     self->model,
				     self->revision);
	} else if (g_strcmp0(upper, "AT+GMR") == 0 || g_strcmp0(upper, "AT+CGMR") == 0) {
		ec25_module_at_reply(out, "\r\n%s\r\n\r\nOK\r\n", self->revision);
	} else if (g_strcmp0(upper, "AT+QGMR") == 0 && self->at_fault != EC25_AT_FAULT_NO_QGMR) {
		ec25_module_at_reply(out,
				     "\r\n%s_%s\r\n\r\nOK\r\n",
				     self->revision,
				     self->subversion);
	} else if (g_strcmp0(upper, "AT+GCAP") == 0) {
		ec25_module_at_reply(out, "\r\n+GCAP: +CGSM\r\n\r\nOK\r\n");
	} else if (g_strcmp0(upper, "AT+CGMI") == 0 || g_strcmp0(upper, "AT+GMI") == 0) {
		ec25_module_at_reply(out, "\r\nQuectel\r\n\r\nOK\r\n");
	} else if (g_strcmp0(upper, "AT+CGMM") == 0 || g_strcmp0(upper, "AT+GMM") == 0) {
		ec25_module_at_reply(out, "\r\n%s\r\n\r\nOK\r\n", self->model);
	} else if (g_strcmp0(upper, "AT+QGMR?") == 0 && self->at_fault != EC25_AT_FAULT_NO_QGMR) {
		/* as ModemManager asks for it */
		ec25_module_at_reply(out,
				     "\r\n%s_%s\r\n\r\nOK\r\n",
				     self->revision,
				     self->subversion);
	} else if (g_strcmp0(upper, "AT+CPIN?") == 0) {
		ec25_module_at_reply(out, "\r\n+CPIN: READY\r\n\r\nOK\r\n");
	} else if (g_strcmp0(upper, "AT+CGSN") == 0 || g_strcmp0(upper, "AT+GSN") == 0) {
		ec25_module_at_reply(out, "\r\n%s\r\n\r\nOK\r\n", self->imei);
	} else {
		ec25_module_at_reply(out, "\r\nERROR\r\n");
	}
}

static void
ec25_module_at_input(Ec25Module *self,
		     Ec25Port port,
		     const guint8 *buf,
		     gsize bufsz,
		     GByteArray *out)
{
	GString *line = self->line[port];

	for (gsize i = 0; i < bufsz; i++) {
		guint8 c = buf[i];
		if (self->at_fault == EC25_AT_FAULT_SILENT)
			continue;
		if (line->len == 0 && c != '\r' && c != '\n' &&
		    self->at_fault != EC25_AT_FAULT_GARBAGE)
			ec25_urc_before_echo(self, out);
		if (self->echo && self->at_fault != EC25_AT_FAULT_GARBAGE)
			g_byte_array_append(out, &c, 1);
		if (c == '\n')
			continue;
		if (c != '\r') {
			if (line->len < EC25_AT_LINE_MAX)
				g_string_append_c(line, (gchar)c);
			continue;
		}
		g_strstrip(line->str);
		g_string_set_size(line, strlen(line->str));
		if (line->len == 0)
			continue;
		if (self->at_fault == EC25_AT_FAULT_GARBAGE) {
			ec25_module_log(self, "at: %s (answered with garbage)", line->str);
			for (guint j = 0; j < EC25_GARBAGE_LEN; j++) {
				guint8 noise = g_rand_int_range(self->rand, 0x80, 0x100);
				g_byte_array_append(out, &noise, 1);
			}
		} else {
			g_autoptr(GByteArray) answer = g_byte_array_new();
			ec25_module_at_command(self, line->str, answer);
			ec25_urc_answer(self, line->str, answer, out);
		}
		g_string_truncate(line, 0);
	}
}

static void
ec25_module_diag_frame(Ec25Module *self, GByteArray *frame, GByteArray *out)
{
	g_autoptr(GByteArray) rsp = g_byte_array_new();
	guint8 hdr[] = {EC25_DIAG_CMD_EXT_BUILD_ID, 0x00, 0x00, 0x00};
	guint32 hw = GUINT32_TO_LE(self->msm_hw_id);
	guint32 model_id = 0;
	g_autofree gchar *build = g_strdup_printf("%s_%s", self->revision, self->subversion);

	self->diag_frames++;
	if (frame->len == 4 && frame->data[0] == EC25_DIAG_CMD_SUBSYS &&
	    frame->data[1] == EC25_DIAG_SUBSYS_EDL && frame->data[2] == 0x01 &&
	    frame->data[3] == 0x00) {
		/* acknowledged by echoing the frame; then the module reboots into the PBL */
		ec25_module_log(self, "diag: download mode (EDL) command");
		if (ec25_fault_is(self, EC25_FAULT_DIAG_NO_ECHO))
			ec25_module_log(self, "diag: no echo (fault)");
		else
			ec25_hdlc_encode(out, frame->data, frame->len);
		if (ec25_fault_is(self, EC25_FAULT_DIAG_NO_REENUM)) {
			ec25_module_log(self, "diag: the module stays in normal mode (fault)");
			return;
		}
		self->edl_requested = TRUE;
		return;
	}
	if (frame->data[0] != EC25_DIAG_CMD_EXT_BUILD_ID) {
		ec25_module_log(self,
				"diag: ignoring command 0x%02x (%u bytes)",
				frame->data[0],
				frame->len);
		return;
	}
	ec25_module_log(self, "diag: extended build id");
	g_byte_array_append(rsp, hdr, sizeof(hdr));
	g_byte_array_append(rsp, (const guint8 *)&hw, sizeof(hw));
	g_byte_array_append(rsp, (const guint8 *)&model_id, sizeof(model_id));
	g_byte_array_append(rsp, (const guint8 *)build, strlen(build) + 1);
	g_byte_array_append(rsp, (const guint8 *)self->model, strlen(self->model) + 1);
	ec25_hdlc_encode(out, rsp->data, rsp->len);
}

static void
ec25_module_dm_input(Ec25Module *self, const guint8 *buf, gsize bufsz, GByteArray *out)
{
	for (gsize i = 0; i < bufsz; i++) {
		g_autoptr(GByteArray) frame = NULL;
		Ec25HdlcResult rc = ec25_hdlc_decoder_push(self->hdlc, buf[i], &frame);
		if (rc == EC25_HDLC_RESULT_FRAME) {
			ec25_module_diag_frame(self, frame, out);
		} else if (rc == EC25_HDLC_RESULT_BAD_CRC || rc == EC25_HDLC_RESULT_INVALID) {
			self->diag_bad_frames++;
			ec25_module_log(self,
					"diag: rejected a frame (%s)",
					rc == EC25_HDLC_RESULT_BAD_CRC ? "bad CRC" : "invalid");
		}
	}
}

void
ec25_module_port_input(Ec25Module *self,
		       Ec25Port port,
		       const guint8 *buf,
		       gsize bufsz,
		       GByteArray *out)
{
	switch (port) {
	case EC25_PORT_DM:
		ec25_module_dm_input(self, buf, bufsz, out);
		break;
	case EC25_PORT_AT:
	case EC25_PORT_MODEM:
		ec25_module_at_input(self, port, buf, bufsz, out);
		break;
	default:
		/* the NMEA port ignores input */
		break;
	}
}

static void
ec25_module_append_u32(GByteArray *buf, guint32 value)
{
	guint32 le = GUINT32_TO_LE(value);
	g_byte_array_append(buf, (const guint8 *)&le, sizeof(le));
}

static guint32
ec25_module_read_u32(const guint8 *buf, gsize offset)
{
	guint32 le;
	memcpy(&le, buf + offset, sizeof(le));
	return GUINT32_FROM_LE(le);
}

/* a Sahara packet: command, length of the whole packet, then the fields */
static GBytes *
ec25_module_sahara_packet(guint32 cmd, const guint32 *fields, guint nfields)
{
	g_autoptr(GByteArray) buf = g_byte_array_new();
	ec25_module_append_u32(buf, cmd);
	ec25_module_append_u32(buf, EC25_SAHARA_HDR_SZ + nfields * sizeof(guint32));
	for (guint i = 0; i < nfields; i++)
		ec25_module_append_u32(buf, fields[i]);
	return g_bytes_new(buf->data, buf->len);
}

/* the region table MEMORY_DEBUG points at: save_pref, base, length, description, file name */
static GBytes *
ec25_module_dump_table(void)
{
	const struct {
		guint32 base;
		guint32 length;
		const gchar *desc;
		const gchar *filename;
	} regions[] = {
	    {0x08600000, 0x00020000, "OCIMEM", "OCIMEM.BIN"},
	    {0x80000000, 0x10000000, "DDR CS0", "DDRCS0.BIN"},
	};
	g_autoptr(GByteArray) buf = g_byte_array_new();

	for (guint i = 0; i < G_N_ELEMENTS(regions); i++) {
		gchar desc[20] = {0};
		gchar filename[20] = {0};
		g_strlcpy(desc, regions[i].desc, sizeof(desc));
		g_strlcpy(filename, regions[i].filename, sizeof(filename));
		ec25_module_append_u32(buf, 0);
		ec25_module_append_u32(buf, regions[i].base);
		ec25_module_append_u32(buf, regions[i].length);
		g_byte_array_append(buf, (const guint8 *)desc, sizeof(desc));
		g_byte_array_append(buf, (const guint8 *)filename, sizeof(filename));
	}
	return g_bytes_new(buf->data, buf->len);
}

void
ec25_module_dump_hello(Ec25Module *self, GPtrArray *packets)
{
	const guint32 fields[] = {2, /* version */
				  1, /* compatible */
				  EC25_SAHARA_PACKET_MAX,
				  EC25_SAHARA_MODE_MEMORY_DEBUG,
				  0,
				  0,
				  0,
				  0,
				  0,
				  0};
	self->dump_silent = FALSE;
	g_byte_array_set_size(self->dump_rx, 0);
	g_ptr_array_add(packets,
			ec25_module_sahara_packet(EC25_SAHARA_HELLO, fields, G_N_ELEMENTS(fields)));
	ec25_module_log(self, "dump: hello, mode memory debug");
}

static void
ec25_module_dump_packet(Ec25Module *self,
			guint32 cmd,
			const guint8 *buf,
			gsize bufsz,
			GPtrArray *packets)
{
	if (cmd == EC25_SAHARA_HELLO_RESP && bufsz >= EC25_SAHARA_HELLO_SZ) {
		guint32 mode = ec25_module_read_u32(buf, 20);
		if (mode == EC25_SAHARA_MODE_MEMORY_DEBUG) {
			g_autoptr(GBytes) table = ec25_module_dump_table();
			const guint32 fields[] = {EC25_DUMP_TABLE_ADDR, g_bytes_get_size(table)};
			ec25_module_log(self, "dump: hello_resp, memory debug table");
			g_ptr_array_add(packets,
					ec25_module_sahara_packet(EC25_SAHARA_MEMORY_DEBUG,
								  fields,
								  G_N_ELEMENTS(fields)));
		} else if (mode == EC25_SAHARA_MODE_IMAGE_PENDING) {
			/* the SBL wants its NAND programmer, reads the ELF header and stalls */
			const guint32 fields[] = {EC25_SAHARA_IMAGE_HOSTDL, 0, 0x34};
			ec25_module_log(self, "dump: hello_resp with mode 0, asking for image 7");
			g_ptr_array_add(packets,
					ec25_module_sahara_packet(EC25_SAHARA_READ_DATA,
								  fields,
								  G_N_ELEMENTS(fields)));
			self->dump_silent = TRUE;
		} else {
			ec25_module_log(self, "dump: hello_resp with mode %u ignored", mode);
		}
		return;
	}
	if (cmd == EC25_SAHARA_MEMORY_READ && bufsz >= 0x10) {
		guint32 addr = ec25_module_read_u32(buf, 8);
		guint32 len = ec25_module_read_u32(buf, 12);
		g_autoptr(GBytes) table = ec25_module_dump_table();
		ec25_module_log(self, "dump: memory read 0x%08x+0x%x", addr, len);
		if (addr == EC25_DUMP_TABLE_ADDR && len <= g_bytes_get_size(table)) {
			g_ptr_array_add(packets, g_bytes_new_from_bytes(table, 0, len));
		} else if (len > 0 && len <= EC25_DUMP_READ_MAX) {
			g_ptr_array_add(packets, g_bytes_new_take(g_malloc0(len), len));
		}
		return;
	}
	if (cmd == EC25_SAHARA_RESET) {
		ec25_module_log(self, "dump: reset");
		g_ptr_array_add(packets,
				ec25_module_sahara_packet(EC25_SAHARA_RESET_RESP, NULL, 0));
		self->dump_reset_requested = TRUE;
		if (self->dump_kind == EC25_DUMP_CLEARS) {
			ec25_module_log(self, "dump: the reset clears the dump flag");
			self->dump_flag = FALSE;
		}
		return;
	}
	ec25_module_log(self, "dump: ignored command 0x%x (%u bytes)", cmd, (guint)bufsz);
}

void
ec25_module_dump_input(Ec25Module *self, const guint8 *buf, gsize bufsz, GPtrArray *packets)
{
	if (self->dump_silent)
		return;
	g_byte_array_append(self->dump_rx, buf, bufsz);
	while (self->dump_rx->len >= EC25_SAHARA_HDR_SZ && !self->dump_silent) {
		guint32 cmd = ec25_module_read_u32(self->dump_rx->data, 0);
		guint32 len = ec25_module_read_u32(self->dump_rx->data, 4);
		if (len < EC25_SAHARA_HDR_SZ || len > EC25_SAHARA_PACKET_MAX) {
			ec25_module_log(self,
					"dump: ignored %u bytes that are not Sahara",
					self->dump_rx->len);
			g_byte_array_set_size(self->dump_rx, 0);
			return;
		}
		if (self->dump_rx->len < len)
			return;
		ec25_module_dump_packet(self, cmd, self->dump_rx->data, len, packets);
		g_byte_array_remove_range(self->dump_rx, 0, len);
	}
}

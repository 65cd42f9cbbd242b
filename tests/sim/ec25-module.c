/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "ec25-module.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ec25-hdlc.h"

#define EC25_AT_LINE_MAX	    512
#define EC25_GARBAGE_LEN	    48
#define EC25_DIAG_CMD_EXT_BUILD_ID  0x7C
#define EC25_DIAG_MSM_HW_ID_MDM9607 0x000480E1
#define EC25_STATE_FILE		    "module.ini"
#define EC25_STATE_GROUP	    "module"

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
	g_rand_free(self->rand);
	if (self->log != NULL)
		fclose(self->log);
	g_free(self->model);
	g_free(self->revision);
	g_free(self->subversion);
	g_free(self->imei);
	g_free(self->state_dir);
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

/* the identity persists in the state folder; options given on the command line win */
gboolean
ec25_module_load_state(Ec25Module *self, GError **error)
{
	const gchar *keys[] = {"model", "revision", "subversion", "imei"};
	gchar **fields[] = {&self->model, &self->revision, &self->subversion, &self->imei};
	g_autofree gchar *fn = NULL;
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
	return TRUE;
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
			ec25_module_at_command(self, line->str, out);
		}
		g_string_truncate(line, 0);
	}
}

static void
ec25_module_diag_frame(Ec25Module *self, GByteArray *frame, GByteArray *out)
{
	g_autoptr(GByteArray) rsp = g_byte_array_new();
	guint8 hdr[] = {EC25_DIAG_CMD_EXT_BUILD_ID, 0x00, 0x00, 0x00};
	guint32 hw = GUINT32_TO_LE(EC25_DIAG_MSM_HW_ID_MDM9607);
	guint32 model_id = 0;
	g_autofree gchar *build = g_strdup_printf("%s_%s", self->revision, self->subversion);

	self->diag_frames++;
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

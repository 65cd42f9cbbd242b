/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The Firehose programmer (prog_nand_firehose_9x07.mbn) once Sahara started it
 * (docs: ec25-protocols.md §3).
 *
 * Every OUT transfer outside raw mode is one XML document `<?xml …?><data><CMD …/></data>`
 * (at most MaxXMLSizeInBytes, one command, parsed with GMarkup; command and attribute names
 * are case-insensitive). Every answer is one IN transfer: zero or more
 * `<data><log value="…"/></data>` documents, then `<data><response value="ACK|NAK" …/></data>`.
 * A NAK is always preceded by a log "ERROR: <reason>".
 *
 * Storage commands (erase, program, read, patch, getstorageinfo) need a <configure> first.
 * A "sector" is a NAND page. <program> data goes in raw mode: exactly num_partition_sectors
 * pages in OUT transfers of at most the negotiated payload (zero-length transfers are
 * ignored). A transfer larger than the payload, or than what is left, is NAKed and aborts the
 * program; the next transfer is a command again. Programming a page that is not erased does
 * not abort: the rest of the data is taken and the final answer is a NAK ("page not erased").
 *
 * Faults (module->fault, ec25-fault.c): configure-nak, program-nak, raw-stall, power-loss,
 * xml-garbage, xml-truncated, log-flood and reset-ignored act here. An erase or a program
 * clears the module's dump flag (it lives in the flash).
 */

#include <string.h>

#include "ec25-edl-private.h"
#include "ec25-fault.h"

#define EC25_FH_XML_HEADER	"<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n"
#define EC25_FH_MAX_XML_SIZE	4096
#define EC25_FH_VERSION		"1"
#define EC25_FH_TARGET_NAME	"9x07"
#define EC25_FH_MEMORY_NAME	"NAND"
#define EC25_FH_BUILD_DATE	"Mar 27 2019 @ 05:12:34"
#define EC25_FH_DATE_TIME	"Mar 27 2019 - 05:12:34"
#define EC25_FH_PROD_NAME	"QUECTEL-SIM-NAND"
#define EC25_FH_MAX_POWER_DELAY 3600
#define EC25_FH_GARBAGE_LEN	64
#define EC25_FH_READ_PAGES_MAX	256 /* one <read> returns at most this many pages */

/* what the programmer lists at start-up (and on <nop/>) */
static const gchar *ec25_fh_functions[] =
    {"program", "read", "nop", "patch", "configure", "erase", "power", "getstorageinfo"};

/* --- records ---------------------------------------------------------------------------- */

void
ec25_edl_program_free(Ec25EdlProgram *program)
{
	g_free(program->label);
	g_free(program->filename);
	g_free(program->sha256);
	g_free(program);
}

void
ec25_edl_erase_free(Ec25EdlErase *erase)
{
	g_free(erase->label);
	g_free(erase);
}

void
ec25_edl_element_free(Ec25EdlElement *element)
{
	g_free(element->name);
	g_strfreev(element->keys);
	g_strfreev(element->values);
	g_free(element);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Ec25EdlElement, ec25_edl_element_free)

static const gchar *
ec25_fh_attr(Ec25EdlElement *cmd, const gchar *key)
{
	for (guint i = 0; cmd->keys[i] != NULL; i++) {
		if (g_ascii_strcasecmp(cmd->keys[i], key) == 0)
			return cmd->values[i];
	}
	return NULL;
}

static Ec25EdlElement *
ec25_fh_element_copy(Ec25EdlElement *cmd)
{
	Ec25EdlElement *copy = g_new0(Ec25EdlElement, 1);
	copy->name = g_strdup(cmd->name);
	copy->keys = g_strdupv(cmd->keys);
	copy->values = g_strdupv(cmd->values);
	return copy;
}

/* "key=value key=value" for the module log */
static gchar *
ec25_fh_attrs_to_string(Ec25EdlElement *cmd)
{
	g_autoptr(GString) str = g_string_new(NULL);
	for (guint i = 0; cmd->keys[i] != NULL; i++) {
		if (str->len > 0)
			g_string_append_c(str, ' ');
		g_string_append_printf(str, "%s=%s", cmd->keys[i], cmd->values[i]);
	}
	return g_string_free(g_steal_pointer(&str), FALSE);
}

/* --- answers ---------------------------------------------------------------------------- */

static void
ec25_fh_queue_document(Ec25Edl *self, const gchar *element)
{
	g_autofree gchar *doc =
	    g_strdup_printf(EC25_FH_XML_HEADER "<data>\n%s\n</data>\n", element);
	ec25_edl_queue_in(self, (const guint8 *)doc, strlen(doc));
}

static void
ec25_fh_log(Ec25Edl *self, const gchar *fmt, ...) G_GNUC_PRINTF(2, 3);

static void
ec25_fh_log(Ec25Edl *self, const gchar *fmt, ...)
{
	va_list args;
	g_autofree gchar *msg = NULL;
	g_autofree gchar *escaped = NULL;
	g_autofree gchar *element = NULL;

	va_start(args, fmt);
	msg = g_strdup_vprintf(fmt, args);
	va_end(args);
	escaped = g_markup_escape_text(msg, -1);
	element = g_strdup_printf("<log value=\"%s\" />", escaped);
	ec25_fh_queue_document(self, element);
}

/* a <response>; the varargs are attribute name/value pairs, NULL terminated */
static void
ec25_fh_respond(Ec25Edl *self, gboolean ack, ...)
{
	va_list args;
	const gchar *key;
	g_autoptr(GString) element = g_string_new("<response value=\"");

	g_string_append(element, ack ? "ACK\"" : "NAK\"");
	va_start(args, ack);
	while ((key = va_arg(args, const gchar *)) != NULL) {
		const gchar *value = va_arg(args, const gchar *);
		g_autofree gchar *escaped = g_markup_escape_text(value, -1);
		g_string_append_printf(element, " %s=\"%s\"", key, escaped);
	}
	va_end(args);
	g_string_append(element, " />");
	ec25_fh_queue_document(self, element->str);
	if (!ack)
		self->naks++;
}

static void
ec25_fh_ack(Ec25Edl *self)
{
	ec25_fh_respond(self, TRUE, NULL);
}

static void
ec25_fh_nak_log(Ec25Edl *self, const gchar *reason)
{
	ec25_fh_log(self, "ERROR: %s", reason);
	ec25_module_log(self->module, "firehose: NAK %s", reason);
}

static void
ec25_fh_nak(Ec25Edl *self, const gchar *fmt, ...) G_GNUC_PRINTF(2, 3);

static void
ec25_fh_nak(Ec25Edl *self, const gchar *fmt, ...)
{
	va_list args;
	g_autofree gchar *reason = NULL;

	va_start(args, fmt);
	reason = g_strdup_vprintf(fmt, args);
	va_end(args);
	ec25_fh_nak_log(self, reason);
	ec25_fh_respond(self, FALSE, NULL);
}

static void
ec25_fh_nak_error(Ec25Edl *self, const GError *error)
{
	ec25_fh_nak(self, "%s", error->message);
}

static void
ec25_fh_log_functions(Ec25Edl *self)
{
	guint n = G_N_ELEMENTS(ec25_fh_functions);

	/* the form some programmers use instead (fwupd parses only this one before <nop/>) */
	if (self->module->functions_single_line) {
		g_autoptr(GString) list = g_string_new("Supported Functions:");
		for (guint i = 0; i < n; i++)
			g_string_append_printf(list, " %s", ec25_fh_functions[i]);
		ec25_fh_log(self, "%s", list->str);
		return;
	}
	ec25_fh_log(self, "INFO: Supported Functions (%u):", n);
	for (guint i = 0; i < n; i++)
		ec25_fh_log(self, "INFO: %s", ec25_fh_functions[i]);
	ec25_fh_log(self, "INFO: End of supported functions %u", n);
}

/* --- attribute parsing ------------------------------------------------------------------ */

static gboolean
ec25_fh_parse_u64(const gchar *str, guint64 *value)
{
	guint base = 10;

	if (str == NULL || str[0] == '\0')
		return FALSE;
	if (g_str_has_prefix(str, "0x") || g_str_has_prefix(str, "0X")) {
		str += 2;
		base = 16;
	}
	return g_ascii_string_to_unsigned(str, base, 0, G_MAXUINT64, value, NULL);
}

/* @value is left alone if the attribute is absent and not @required */
static gboolean
ec25_fh_attr_u64(Ec25EdlElement *cmd,
		 const gchar *key,
		 gboolean required,
		 guint64 *value,
		 GError **error)
{
	const gchar *str = ec25_fh_attr(cmd, key);

	if (str == NULL) {
		if (!required)
			return TRUE;
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    "<%s> needs %s",
			    cmd->name,
			    key);
		return FALSE;
	}
	if (!ec25_fh_parse_u64(str, value)) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    "invalid %s=\"%s\"",
			    key,
			    str);
		return FALSE;
	}
	return TRUE;
}

static gboolean
ec25_fh_attr_equals(Ec25EdlElement *cmd,
		    const gchar *key,
		    gboolean required,
		    guint64 expected,
		    GError **error)
{
	guint64 value = expected;

	if (!ec25_fh_attr_u64(cmd, key, required, &value, error))
		return FALSE;
	if (value != expected) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    "%s=%" G_GUINT64_FORMAT " does not match the NAND (%" G_GUINT64_FORMAT
			    ")",
			    key,
			    value,
			    expected);
		return FALSE;
	}
	return TRUE;
}

static gboolean
ec25_fh_parse_bool(const gchar *str, gboolean *value)
{
	if (g_strcmp0(str, "1") == 0 || g_ascii_strcasecmp(str, "true") == 0) {
		*value = TRUE;
		return TRUE;
	}
	if (g_strcmp0(str, "0") == 0 || g_ascii_strcasecmp(str, "false") == 0) {
		*value = FALSE;
		return TRUE;
	}
	return FALSE;
}

/* SECTOR_SIZE_IN_BYTES (required), PAGES_PER_BLOCK, physical_partition_number */
static gboolean
ec25_fh_check_nand_attrs(Ec25Edl *self, Ec25EdlElement *cmd, gboolean need_ppb, GError **error)
{
	return ec25_fh_attr_equals(cmd, "SECTOR_SIZE_IN_BYTES", TRUE, self->geo.page_size, error) &&
	       ec25_fh_attr_equals(cmd,
				   "PAGES_PER_BLOCK",
				   need_ppb,
				   self->geo.pages_per_block,
				   error) &&
	       ec25_fh_attr_equals(cmd, "physical_partition_number", FALSE, 0, error);
}

/* start_sector and num_partition_sectors, inside the flash */
static gboolean
ec25_fh_get_range(Ec25Edl *self, Ec25EdlElement *cmd, guint64 *start, guint64 *num, GError **error)
{
	guint64 pages = ec25_nand_get_pages(self->nand);

	if (!ec25_fh_attr_u64(cmd, "start_sector", TRUE, start, error) ||
	    !ec25_fh_attr_u64(cmd, "num_partition_sectors", TRUE, num, error))
		return FALSE;
	if (*num == 0) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    "num_partition_sectors is 0");
		return FALSE;
	}
	if (*start >= pages || *num > pages - *start) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    "sectors %" G_GUINT64_FORMAT "+%" G_GUINT64_FORMAT
			    " are outside the flash (%" G_GUINT64_FORMAT " sectors)",
			    *start,
			    *num,
			    pages);
		return FALSE;
	}
	return TRUE;
}

/* --- configure -------------------------------------------------------------------------- */

static void
ec25_fh_configure_nak_payload(Ec25Edl *self, guint64 asked)
{
	g_autofree gchar *max = g_strdup_printf("%u", self->fh.target_max);
	g_autofree gchar *from = g_strdup_printf("%u", self->geo.page_size);

	ec25_fh_nak_log(self, "Host's payload to target size is too large");
	ec25_fh_log(self,
		    "INFO: MaxPayloadSizeToTargetInBytes %" G_GUINT64_FORMAT " > %s",
		    asked,
		    max);
	ec25_fh_respond(self,
			FALSE,
			"MemoryName",
			EC25_FH_MEMORY_NAME,
			"MaxPayloadSizeFromTargetInBytes",
			from,
			"MaxPayloadSizeToTargetInBytes",
			max,
			"MaxPayloadSizeToTargetInBytesSupported",
			max,
			"TargetName",
			EC25_FH_TARGET_NAME,
			NULL);
}

static void
ec25_fh_configure_ack(Ec25Edl *self)
{
	g_autofree gchar *payload = g_strdup_printf("%u", self->fh.payload);
	g_autofree gchar *max = g_strdup_printf("%u", self->fh.target_max);
	g_autofree gchar *from = g_strdup_printf("%u", self->geo.page_size);
	g_autofree gchar *xml = g_strdup_printf("%u", (guint)EC25_FH_MAX_XML_SIZE);

	ec25_fh_respond(self,
			TRUE,
			"MemoryName",
			EC25_FH_MEMORY_NAME,
			"MinVersionSupported",
			EC25_FH_VERSION,
			"Version",
			EC25_FH_VERSION,
			"MaxPayloadSizeFromTargetInBytes",
			from,
			"MaxPayloadSizeToTargetInBytes",
			payload,
			"MaxPayloadSizeToTargetInBytesSupported",
			max,
			"MaxXMLSizeInBytes",
			xml,
			"DateTime",
			EC25_FH_DATE_TIME,
			"TargetName",
			EC25_FH_TARGET_NAME,
			NULL);
}

static void
ec25_fh_configure(Ec25Edl *self, Ec25EdlElement *cmd)
{
	const gchar *memory = ec25_fh_attr(cmd, "MemoryName");
	const gchar *zlp = ec25_fh_attr(cmd, "ZlpAwareHost");
	guint64 payload = self->fh.target_max;
	gboolean zlp_aware = self->fh.zlp_aware;
	g_autoptr(GError) error = NULL;

	if (!ec25_fh_attr_u64(cmd, "MaxPayloadSizeToTargetInBytes", FALSE, &payload, &error)) {
		ec25_fh_nak_error(self, error);
		return;
	}
	ec25_module_log(self->module,
			"firehose: configure memory=%s payload=%" G_GUINT64_FORMAT " zlp=%s",
			memory != NULL ? memory : "-",
			payload,
			zlp != NULL ? zlp : "-");
	if (memory != NULL && g_ascii_strcasecmp(memory, EC25_FH_MEMORY_NAME) != 0) {
		ec25_fh_nak(self,
			    "MemoryName %s is not supported: this programmer drives NAND",
			    memory);
		return;
	}
	if (zlp != NULL && !ec25_fh_parse_bool(zlp, &zlp_aware)) {
		ec25_fh_nak(self, "invalid ZlpAwareHost=\"%s\"", zlp);
		return;
	}
	if (payload == 0) {
		ec25_fh_nak(self, "MaxPayloadSizeToTargetInBytes is 0");
		return;
	}
	if (ec25_fault_is(self->module, EC25_FAULT_CONFIGURE_NAK)) {
		ec25_fh_nak(self, "storage initialisation failed (fault)");
		return;
	}
	if (payload > self->fh.target_max) {
		ec25_fh_configure_nak_payload(self, payload);
		return;
	}
	self->fh.configured = TRUE;
	self->fh.payload = (guint)payload;
	self->fh.zlp_aware = zlp_aware;
	ec25_fh_configure_ack(self);
}

/* --- erase ------------------------------------------------------------------------------ */

/* the flash is being rewritten: a persistent dump flag goes with it */
static void
ec25_fh_clear_dump_flag(Ec25Edl *self)
{
	if (!self->module->dump_flag)
		return;
	self->module->dump_flag = FALSE;
	ec25_module_log(self->module, "firehose: the dump flag is cleared");
}

static void
ec25_fh_vendor_line(Ec25Edl *self, Ec25EdlElement *cmd)
{
	g_autofree gchar *attrs = ec25_fh_attrs_to_string(cmd);

	g_ptr_array_add(self->vendor_lines, ec25_fh_element_copy(cmd));
	ec25_module_log(self->module, "firehose: vendor erase %s", attrs);
	ec25_fh_log(self, "INFO: vendor line accepted");
	ec25_fh_ack(self);
}

static gboolean
ec25_fh_erase_check(Ec25Edl *self,
		    Ec25EdlElement *cmd,
		    guint64 *start,
		    guint64 *num,
		    GError **error)
{
	guint ppb = self->geo.pages_per_block;

	if (!ec25_fh_check_nand_attrs(self, cmd, TRUE, error) ||
	    !ec25_fh_get_range(self, cmd, start, num, error))
		return FALSE;
	if (*start % ppb != 0 || *num % ppb != 0) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    "erase of sectors %" G_GUINT64_FORMAT "+%" G_GUINT64_FORMAT
			    " is not aligned to %u-page blocks",
			    *start,
			    *num,
			    ppb);
		return FALSE;
	}
	return TRUE;
}

static void
ec25_fh_erase(Ec25Edl *self, Ec25EdlElement *cmd)
{
	guint64 start = 0;
	guint64 num = 0;
	Ec25EdlErase *erase;
	g_autoptr(GError) error = NULL;

	if (ec25_fh_attr(cmd, "vendor") != NULL && ec25_fh_attr(cmd, "start_sector") == NULL) {
		ec25_fh_vendor_line(self, cmd);
		return;
	}
	if (!ec25_fh_erase_check(self, cmd, &start, &num, &error)) {
		ec25_module_log(self->module, "firehose: erase (rejected)");
		ec25_fh_nak_error(self, error);
		return;
	}
	ec25_module_log(self->module,
			"firehose: erase start=%" G_GUINT64_FORMAT " num=%" G_GUINT64_FORMAT,
			start,
			num);
	if (!ec25_nand_erase(self->nand, start, num, &error)) {
		ec25_fh_nak_error(self, error);
		return;
	}
	ec25_edl_nand_changed(self, start, num);
	ec25_fh_clear_dump_flag(self);
	ec25_edl_add_nand_time(self, 0, num / self->geo.pages_per_block);
	erase = g_new0(Ec25EdlErase, 1);
	erase->label = g_strdup(ec25_fh_attr(cmd, "label"));
	erase->start_sector = start;
	erase->sectors = num;
	g_ptr_array_add(self->erases, erase);
	ec25_fh_log(self,
		    "INFO: Erasing start sector %" G_GUINT64_FORMAT
		    ", num sectors %" G_GUINT64_FORMAT,
		    start,
		    num);
	ec25_fh_ack(self);
}

/* --- program ---------------------------------------------------------------------------- */

static void
ec25_fh_program(Ec25Edl *self, Ec25EdlElement *cmd)
{
	Ec25Firehose *fh = &self->fh;
	const gchar *label = ec25_fh_attr(cmd, "label");
	guint64 start = 0;
	guint64 num = 0;
	Ec25EdlProgram *program;
	g_autoptr(GError) error = NULL;

	if (!ec25_fh_check_nand_attrs(self, cmd, FALSE, &error) ||
	    !ec25_fh_get_range(self, cmd, &start, &num, &error)) {
		ec25_module_log(self->module,
				"firehose: program label=%s (rejected)",
				label != NULL ? label : "-");
		ec25_fh_nak_error(self, error);
		return;
	}
	ec25_module_log(self->module,
			"firehose: program label=%s start=%" G_GUINT64_FORMAT
			" num=%" G_GUINT64_FORMAT,
			label != NULL ? label : "-",
			start,
			num);
	if (ec25_fault_is(self->module, EC25_FAULT_PROGRAM_NAK) &&
	    ec25_fault_match_program(self->module, fh->programs_started + 1, label)) {
		ec25_fh_nak(self, "failed to open the partition for writing (fault)");
		return;
	}
	ec25_fh_clear_dump_flag(self);
	program = g_new0(Ec25EdlProgram, 1);
	program->label = g_strdup(label);
	program->filename = g_strdup(ec25_fh_attr(cmd, "filename"));
	program->start_sector = start;
	program->sectors = num;
	program->status = "incomplete";
	g_ptr_array_add(self->programs, program);
	fh->programs_started++;
	fh->program = program;
	fh->next_page = start;
	fh->remaining = num * self->geo.page_size;
	fh->program_total = fh->remaining;
	fh->page_fill = 0;
	fh->failure = NULL;
	g_clear_pointer(&fh->failure_msg, g_free);
	g_checksum_reset(fh->checksum);
	fh->phase = EC25_FIREHOSE_PHASE_RAW;
	ec25_edl_nand_changed(self, start, num);
	ec25_fh_respond(self, TRUE, "rawmode", "true", NULL);
}

static void
ec25_fh_program_end(Ec25Edl *self, const gchar *status)
{
	Ec25Firehose *fh = &self->fh;

	fh->program->status = status;
	fh->program = NULL;
	fh->phase = EC25_FIREHOSE_PHASE_XML;
	ec25_edl_command_done(self);
}

static void
ec25_fh_program_abort(Ec25Edl *self, gsize bufsz, const gchar *limit, guint64 value)
{
	g_autofree gchar *reason =
	    g_strdup_printf("raw data transfer of %" G_GSIZE_FORMAT
			    " bytes exceeds %s (%" G_GUINT64_FORMAT "), program aborted",
			    bufsz,
			    limit,
			    value);
	ec25_fh_nak_log(self, reason);
	ec25_fh_respond(self, FALSE, "rawmode", "false", NULL);
	ec25_fh_program_end(self, "aborted");
}

static void
ec25_fh_program_page(Ec25Edl *self)
{
	Ec25Firehose *fh = &self->fh;
	g_autoptr(GError) error = NULL;

	if (fh->failure == NULL) {
		if (ec25_nand_program_page(self->nand, fh->next_page, fh->page_buf, &error)) {
			ec25_edl_add_nand_time(self, 1, 0);
		} else if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_EXISTS)) {
			fh->failure = "not-erased";
			fh->failure_msg =
			    g_strdup_printf("page not erased: sector %" G_GUINT64_FORMAT,
					    fh->next_page);
		} else {
			fh->failure = "write-error";
			fh->failure_msg = g_strdup(error->message);
		}
	}
	fh->next_page++;
	fh->page_fill = 0;
}

static void
ec25_fh_program_complete(Ec25Edl *self)
{
	Ec25Firehose *fh = &self->fh;
	Ec25EdlProgram *program = fh->program;

	program->sha256 = g_strdup(g_checksum_get_string(fh->checksum));
	if (fh->failure != NULL) {
		ec25_fh_nak_log(self, fh->failure_msg);
		ec25_fh_respond(self, FALSE, "rawmode", "false", NULL);
		ec25_fh_program_end(self, fh->failure);
		return;
	}
	ec25_module_log(self->module,
			"firehose: program complete label=%s sha256=%s",
			program->label != NULL ? program->label : "-",
			program->sha256);
	ec25_fh_respond(self, TRUE, "rawmode", "false", NULL);
	ec25_fh_program_end(self, "ok");
}

static void
ec25_fh_stall(Ec25Edl *self)
{
	self->state = EC25_EDL_STATE_DEAD;
	self->fh.program->status = "stalled";
	ec25_module_log(self->module,
			"firehose: stalled in the data of program #%u (fault)",
			self->fh.programs_started);
	ec25_edl_command_done(self);
}

/* fault power-loss: the module is off at once, the NAND keeps the pages written so far */
static void
ec25_fh_power_lost(Ec25Edl *self)
{
	self->state = EC25_EDL_STATE_NOPOWER;
	self->fh.program->status = "power-lost";
	self->module->fault_fired = TRUE;
	ec25_module_log(self->module,
			"firehose: power lost after %" G_GUINT64_FORMAT
			" bytes of program #%u (fault)",
			self->fh.program->bytes,
			self->fh.programs_started);
	ec25_edl_command_done(self);
}

static gboolean
ec25_fh_fault_in_program(Ec25Edl *self, Ec25Fault fault)
{
	return ec25_fault_is(self->module, fault) && !self->module->fault_fired &&
	       ec25_fault_match_program(self->module,
					self->fh.programs_started,
					self->fh.program->label);
}

/* the data of the program: pages are written as they fill */
static void
ec25_fh_raw_accept(Ec25Edl *self, const guint8 *buf, gsize bufsz)
{
	Ec25Firehose *fh = &self->fh;
	guint page_size = self->geo.page_size;

	self->bytes_received += bufsz;
	fh->program->bytes += bufsz;
	fh->remaining -= bufsz;
	g_checksum_update(fh->checksum, buf, bufsz);
	while (bufsz > 0) {
		gsize chunk = MIN(bufsz, page_size - fh->page_fill);
		memcpy(fh->page_buf + fh->page_fill, buf, chunk);
		fh->page_fill += chunk;
		buf += chunk;
		bufsz -= chunk;
		if (fh->page_fill == page_size)
			ec25_fh_program_page(self);
	}
}

static void
ec25_fh_raw_data(Ec25Edl *self, const guint8 *buf, gsize bufsz)
{
	Ec25Firehose *fh = &self->fh;

	if (bufsz == 0)
		return;
	if ((self->fault == EC25_EDL_FAULT_STALL_PROGRAM && fh->programs_started == 2) ||
	    ec25_fh_fault_in_program(self, EC25_FAULT_RAW_STALL)) {
		ec25_fh_stall(self);
		return;
	}
	self->raw_transfers++;
	if (bufsz > fh->payload) {
		ec25_fh_program_abort(self, bufsz, "MaxPayloadSizeToTargetInBytes", fh->payload);
		return;
	}
	if (bufsz > fh->remaining) {
		ec25_fh_program_abort(self, bufsz, "the bytes left to program", fh->remaining);
		return;
	}
	if (ec25_fh_fault_in_program(self, EC25_FAULT_POWER_LOSS)) {
		guint64 limit = ec25_fault_power_loss_bytes(self->module, fh->program_total);
		if (limit != G_MAXUINT64 && fh->program->bytes + bufsz > limit) {
			ec25_fh_raw_accept(self, buf, (gsize)(limit - fh->program->bytes));
			ec25_fh_power_lost(self);
			return;
		}
		if (limit == G_MAXUINT64 && bufsz == fh->remaining) {
			ec25_fh_raw_accept(self, buf, bufsz);
			ec25_fh_power_lost(self);
			return;
		}
	}
	ec25_fh_raw_accept(self, buf, bufsz);
	if (fh->remaining == 0)
		ec25_fh_program_complete(self);
}

/* --- the other commands ----------------------------------------------------------------- */

static void
ec25_fh_patch(Ec25Edl *self, Ec25EdlElement *cmd)
{
	g_autofree gchar *attrs = ec25_fh_attrs_to_string(cmd);

	g_ptr_array_add(self->patches, ec25_fh_element_copy(cmd));
	ec25_module_log(self->module, "firehose: patch %s", attrs);
	ec25_fh_log(self, "INFO: patch accepted, NAND is not patched in place");
	ec25_fh_ack(self);
}

/*
 * <read>: ACK with rawmode="true", the pages as the NAND holds them (erased ones as 0xFF), one
 * IN transfer of MaxPayloadSizeFromTargetInBytes (a page) each, then ACK with rawmode="false".
 */
static void
ec25_fh_read(Ec25Edl *self, Ec25EdlElement *cmd)
{
	guint page_size = self->geo.page_size;
	guint64 start = 0;
	guint64 num = 0;
	g_autofree guint8 *buf = NULL;
	g_autoptr(GError) error = NULL;

	if (!ec25_fh_check_nand_attrs(self, cmd, FALSE, &error) ||
	    !ec25_fh_get_range(self, cmd, &start, &num, &error)) {
		ec25_module_log(self->module, "firehose: read (rejected)");
		ec25_fh_nak_error(self, error);
		return;
	}
	if (num > EC25_FH_READ_PAGES_MAX) {
		ec25_module_log(self->module, "firehose: read (rejected)");
		ec25_fh_nak(self,
			    "num_partition_sectors %" G_GUINT64_FORMAT " is more than %u",
			    num,
			    (guint)EC25_FH_READ_PAGES_MAX);
		return;
	}
	ec25_module_log(self->module,
			"firehose: read start=%" G_GUINT64_FORMAT " num=%" G_GUINT64_FORMAT,
			start,
			num);
	ec25_fh_respond(self, TRUE, "rawmode", "true", NULL);
	buf = g_malloc(page_size);
	for (guint64 i = 0; i < num; i++) {
		if (!ec25_nand_read(self->nand, (start + i) * page_size, buf, page_size, &error)) {
			/* the host counts on the pages: the programmer stops answering */
			ec25_module_log(self->module, "firehose: read failed: %s", error->message);
			return;
		}
		ec25_edl_queue_in(self, buf, page_size);
	}
	ec25_fh_respond(self, TRUE, "rawmode", "false", NULL);
}

static void
ec25_fh_nop(Ec25Edl *self, Ec25EdlElement *cmd)
{
	ec25_module_log(self->module, "firehose: nop");
	ec25_fh_log(self, "INFO: Binary build date: %s", EC25_FH_BUILD_DATE);
	ec25_fh_log_functions(self);
	ec25_fh_ack(self);
}

/*
 * The storage information is one log line holding JSON, as qdl and edl parse it from UFS/eMMC
 * programmers:
 *   INFO: {"storage_info": {"total_blocks":2048, "block_size":262144, "page_size":4096,
 *          "pages_per_block":64, "num_physical":1, "mem_type":"NAND",
 *          "prod_name":"QUECTEL-SIM-NAND"}}
 * (on one line; block_size in bytes = page_size × pages_per_block). It is the only log before
 * the ACK.
 */
static void
ec25_fh_getstorageinfo(Ec25Edl *self, Ec25EdlElement *cmd)
{
	ec25_module_log(self->module, "firehose: getstorageinfo");
	ec25_fh_log(self,
		    "INFO: {\"storage_info\": {\"total_blocks\":%u, \"block_size\":%u, "
		    "\"page_size\":%u, \"pages_per_block\":%u, \"num_physical\":1, "
		    "\"mem_type\":\"%s\", \"prod_name\":\"%s\"}}",
		    self->geo.blocks,
		    self->geo.page_size * self->geo.pages_per_block,
		    self->geo.page_size,
		    self->geo.pages_per_block,
		    EC25_FH_MEMORY_NAME,
		    EC25_FH_PROD_NAME);
	ec25_fh_ack(self);
}

static void
ec25_fh_power(Ec25Edl *self, Ec25EdlElement *cmd)
{
	const gchar *value = ec25_fh_attr(cmd, "value");
	const gchar *delay_str = ec25_fh_attr(cmd, "DelayInSeconds");
	guint64 delay = 0;
	g_autoptr(GError) error = NULL;

	ec25_module_log(self->module,
			"firehose: power value=%s delay=%s",
			value != NULL ? value : "-",
			delay_str != NULL ? delay_str : "-");
	if (value == NULL || g_ascii_strcasecmp(value, "reset") != 0) {
		ec25_fh_nak(self,
			    "power value=\"%s\" is not supported",
			    value != NULL ? value : "");
		return;
	}
	if (!ec25_fh_attr_u64(cmd, "DelayInSeconds", FALSE, &delay, &error)) {
		ec25_fh_nak_error(self, error);
		return;
	}
	if (delay > EC25_FH_MAX_POWER_DELAY) {
		ec25_fh_nak(self, "DelayInSeconds=%" G_GUINT64_FORMAT " is too long", delay);
		return;
	}
	g_free(self->fh.power_value);
	self->fh.power_value = g_strdup(value);
	self->fh.power_delay = delay_str != NULL ? (gint64)delay : -1;
	ec25_fh_log(self,
		    "INFO: Will issue reset/power off 100 useconds, if this hangs check if "
		    "watchdog is enabled");
	ec25_fh_ack(self);
	ec25_fh_log(self, "INFO: bsp_target_reset() 1");
	if (ec25_fault_is(self->module, EC25_FAULT_RESET_IGNORED)) {
		ec25_module_log(self->module, "firehose: power reset ignored (fault)");
		return;
	}
	self->state = EC25_EDL_STATE_RESET;
}

static void
ec25_fh_setbootablestoragedrive(Ec25Edl *self, Ec25EdlElement *cmd)
{
	const gchar *value = ec25_fh_attr(cmd, "value");

	ec25_module_log(self->module,
			"firehose: setbootablestoragedrive value=%s",
			value != NULL ? value : "-");
	ec25_fh_nak(self, "setbootablestoragedrive is not supported on NAND");
}

typedef struct {
	const gchar *name;
	void (*handler)(Ec25Edl *self, Ec25EdlElement *cmd);
	gboolean needs_storage;
} Ec25FhHandler;

static const Ec25FhHandler ec25_fh_handlers[] = {
    {"configure", ec25_fh_configure, FALSE},
    {"erase", ec25_fh_erase, TRUE},
    {"program", ec25_fh_program, TRUE},
    {"read", ec25_fh_read, TRUE},
    {"patch", ec25_fh_patch, TRUE},
    {"nop", ec25_fh_nop, FALSE},
    {"getstorageinfo", ec25_fh_getstorageinfo, TRUE},
    {"power", ec25_fh_power, FALSE},
    {"setbootablestoragedrive", ec25_fh_setbootablestoragedrive, FALSE},
};

static void
ec25_fh_dispatch(Ec25Edl *self, Ec25EdlElement *cmd)
{
	for (guint i = 0; i < G_N_ELEMENTS(ec25_fh_handlers); i++) {
		const Ec25FhHandler *handler = &ec25_fh_handlers[i];
		if (g_ascii_strcasecmp(cmd->name, handler->name) != 0)
			continue;
		if (handler->needs_storage && !self->fh.configured) {
			ec25_module_log(self->module, "firehose: %s before configure", cmd->name);
			ec25_fh_nak(self, "storage is not initialised: send <configure> first");
			return;
		}
		handler->handler(self, cmd);
		return;
	}
	ec25_module_log(self->module, "firehose: unknown command %s", cmd->name);
	ec25_fh_nak(self, "unknown command <%s>", cmd->name);
}

/* --- XML -------------------------------------------------------------------------------- */

typedef struct {
	guint depth;
	Ec25EdlElement *cmd;
} Ec25FhParse;

static void
ec25_fh_parse_start(GMarkupParseContext *context,
		    const gchar *element_name,
		    const gchar **attribute_names,
		    const gchar **attribute_values,
		    gpointer user_data,
		    GError **error)
{
	Ec25FhParse *parse = user_data;

	if (parse->depth == 0 && g_ascii_strcasecmp(element_name, "data") != 0) {
		g_set_error(error,
			    G_MARKUP_ERROR,
			    G_MARKUP_ERROR_INVALID_CONTENT,
			    "the root element is <%s>, not <data>",
			    element_name);
		return;
	}
	if (parse->depth == 1) {
		if (parse->cmd != NULL) {
			g_set_error(error,
				    G_MARKUP_ERROR,
				    G_MARKUP_ERROR_INVALID_CONTENT,
				    "more than one command in one document (<%s>)",
				    element_name);
			return;
		}
		parse->cmd = g_new0(Ec25EdlElement, 1);
		parse->cmd->name = g_strdup(element_name);
		parse->cmd->keys = g_strdupv((gchar **)attribute_names);
		parse->cmd->values = g_strdupv((gchar **)attribute_values);
	}
	parse->depth++;
}

static void
ec25_fh_parse_end(GMarkupParseContext *context,
		  const gchar *element_name,
		  gpointer user_data,
		  GError **error)
{
	Ec25FhParse *parse = user_data;
	parse->depth--;
}

static Ec25EdlElement *
ec25_fh_parse_document(const guint8 *buf, gsize bufsz, GError **error)
{
	const GMarkupParser parser = {.start_element = ec25_fh_parse_start,
				      .end_element = ec25_fh_parse_end};
	Ec25FhParse parse = {0};
	g_autoptr(GMarkupParseContext) context = NULL;

	/* some hosts send the terminating NUL too */
	while (bufsz > 0 && buf[bufsz - 1] == '\0')
		bufsz--;
	context = g_markup_parse_context_new(&parser, G_MARKUP_TREAT_CDATA_AS_TEXT, &parse, NULL);
	if (!g_markup_parse_context_parse(context, (const gchar *)buf, bufsz, error) ||
	    !g_markup_parse_context_end_parse(context, error)) {
		g_clear_pointer(&parse.cmd, ec25_edl_element_free);
		return NULL;
	}
	if (parse.cmd == NULL) {
		g_set_error_literal(error,
				    G_MARKUP_ERROR,
				    G_MARKUP_ERROR_INVALID_CONTENT,
				    "no command in the document");
		return NULL;
	}
	return parse.cmd;
}

/* fault log-flood: <log> lines before the answer to the first <configure> */
static void
ec25_fh_fault_before(Ec25Edl *self, Ec25EdlElement *cmd)
{
	guint count;

	if (!ec25_fault_is(self->module, EC25_FAULT_LOG_FLOOD) || self->module->fault_fired ||
	    g_ascii_strcasecmp(cmd->name, "configure") != 0)
		return;
	count = ec25_fault_log_flood_count(self->module);
	self->module->fault_fired = TRUE;
	ec25_module_log(self->module, "firehose: %u log lines (fault)", count);
	for (guint i = 0; i < count; i++)
		ec25_fh_log(self, "INFO: flood line %u of %u", i + 1, count);
}

/* faults xml-garbage, xml-truncated: the answer to the first <CMD>, queued after @queued
 * IN transfers, is replaced */
static void
ec25_fh_fault_after(Ec25Edl *self, Ec25EdlElement *cmd, guint queued)
{
	gboolean garbage = ec25_fault_is(self->module, EC25_FAULT_XML_GARBAGE);
	g_autoptr(GBytes) last = NULL;

	if ((!garbage && !ec25_fault_is(self->module, EC25_FAULT_XML_TRUNCATED)) ||
	    self->module->fault_fired ||
	    g_ascii_strcasecmp(cmd->name, ec25_fault_xml_command(self->module)) != 0 ||
	    g_queue_get_length(self->in_queue) <= queued)
		return;
	self->module->fault_fired = TRUE;
	last = g_queue_pop_tail(self->in_queue);
	if (garbage) {
		guint8 noise[EC25_FH_GARBAGE_LEN];
		for (guint i = 0; i < sizeof(noise); i++)
			noise[i] = (guint8)g_rand_int_range(self->module->rand, 0x80, 0x100);
		ec25_module_log(self->module,
				"firehose: answered <%s> with noise (fault)",
				cmd->name);
		ec25_edl_queue_in(self, noise, sizeof(noise));
		return;
	}
	ec25_module_log(self->module, "firehose: answer to <%s> cut short (fault)", cmd->name);
	ec25_edl_queue_in(self, g_bytes_get_data(last, NULL), g_bytes_get_size(last) / 2);
}

static void
ec25_fh_xml(Ec25Edl *self, const guint8 *buf, gsize bufsz)
{
	g_autoptr(Ec25EdlElement) cmd = NULL;
	g_autoptr(GError) error = NULL;
	guint queued;

	if (bufsz > EC25_FH_MAX_XML_SIZE) {
		ec25_fh_nak(self,
			    "XML document of %" G_GSIZE_FORMAT
			    " bytes exceeds MaxXMLSizeInBytes %u",
			    bufsz,
			    (guint)EC25_FH_MAX_XML_SIZE);
		ec25_edl_command_done(self);
		return;
	}
	cmd = ec25_fh_parse_document(buf, bufsz, &error);
	if (cmd == NULL) {
		ec25_fh_nak(self, "XML parse error: %s", error->message);
		ec25_edl_command_done(self);
		return;
	}
	ec25_fh_fault_before(self, cmd);
	queued = g_queue_get_length(self->in_queue);
	ec25_fh_dispatch(self, cmd);
	ec25_fh_fault_after(self, cmd, queued);
	ec25_edl_command_done(self);
}

/* --- entry points ----------------------------------------------------------------------- */

void
ec25_firehose_init(Ec25Edl *self)
{
	Ec25Firehose *fh = &self->fh;
	guint max = self->module->max_payload != 0 ? self->module->max_payload
						   : EC25_EDL_DEFAULT_PAYLOAD;

	fh->target_max = self->fault == EC25_EDL_FAULT_CONFIGURE_SMALL ? EC25_EDL_SMALL_PAYLOAD
								       : max;
	fh->zlp_aware = TRUE;
	fh->power_delay = -1;
	fh->page_buf = g_malloc(self->geo.page_size);
	fh->checksum = g_checksum_new(G_CHECKSUM_SHA256);
}

void
ec25_firehose_clear(Ec25Firehose *fh)
{
	g_free(fh->page_buf);
	g_free(fh->failure_msg);
	g_free(fh->power_value);
	if (fh->checksum != NULL)
		g_checksum_free(fh->checksum);
}

/* the programmer runs: its start-up logs, one per IN transfer */
void
ec25_firehose_start(Ec25Edl *self)
{
	guint serial = self->module->chip_serial != 0
			   ? self->module->chip_serial
			   : g_str_hash(self->module->imei != NULL ? self->module->imei : "");

	self->state = EC25_EDL_STATE_FIREHOSE;
	ec25_module_log(self->module, "firehose: programmer started");
	ec25_fh_log(self, "INFO: Binary build date: %s", EC25_FH_BUILD_DATE);
	ec25_fh_log(self, "INFO: Chip serial num: %u (0x%08x)", serial, serial);
	ec25_fh_log_functions(self);
	ec25_edl_command_done(self);
}

void
ec25_firehose_bulk_out(Ec25Edl *self, const guint8 *buf, gsize bufsz)
{
	if (self->fh.phase == EC25_FIREHOSE_PHASE_RAW) {
		ec25_fh_raw_data(self, buf, bufsz);
		return;
	}
	if (bufsz == 0)
		return;
	ec25_fh_xml(self, buf, bufsz);
}

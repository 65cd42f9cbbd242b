/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The fault matrix of the simulated module (ec25-fault.c): Sahara command mode, a programmer
 * still running, every fault of an update, dump mode variants and power cycles, driven as a
 * host drives them; and the ec25-sim command line for the operations on a state folder. The
 * firmware comes from tests/gen-vendor-folder.py (EC25_PYTHON3, EC25_GEN_VENDOR_FOLDER), the
 * simulator binary from EC25_SIM.
 */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ec25-edl.h"
#include "ec25-fault.h"
#include "ec25-mibib.h"
#include "ec25-usb.h"

#define TEST_IN_MAX		65536
#define TEST_PACKET		512
#define TEST_PAYLOAD		8192
#define TEST_IMAGE_ID		13
#define TEST_SAHARA_HELLO	0x01
#define TEST_SAHARA_HELLO_RESP	0x02
#define TEST_SAHARA_READ_DATA	0x03
#define TEST_SAHARA_END		0x04
#define TEST_SAHARA_DONE	0x05
#define TEST_SAHARA_DONE_RESP	0x06
#define TEST_SAHARA_RESET	0x07
#define TEST_SAHARA_RESET_RESP	0x08
#define TEST_SAHARA_CMD_READY	0x0B
#define TEST_SAHARA_SWITCH_MODE 0x0C
#define TEST_SAHARA_EXECUTE	0x0D
#define TEST_SAHARA_EXEC_RESP	0x0E
#define TEST_SAHARA_EXEC_DATA	0x0F
#define TEST_MODE_COMMAND	3
#define TEST_HELLO_SIZE		0x30
#define TEST_PROGRAMMER		"update/firehose/prog_nand_firehose_9x07.mbn"
#define TEST_IMEI		"867698041234562"
#define TEST_REVISION		"EC25EFAR06A11M4G"
#define TEST_SUBVERSION		"01.002.01.002"
#define TEST_PAGE		4096
#define TEST_SBL_PAGES		640

static gchar *test_root = NULL; /* removed at exit */

/* --- fixtures ------------------------------------------------------------------------------ */

static const gchar *
test_folder(void)
{
	static gchar *folder = NULL;
	const gchar *argv[] = {g_getenv("EC25_PYTHON3"),
			       g_getenv("EC25_GEN_VENDOR_FOLDER"),
			       test_root,
			       "--layout",
			       "ec25e",
			       "--revision",
			       TEST_REVISION,
			       "--subversion",
			       TEST_SUBVERSION,
			       NULL};
	gint status = 0;
	g_autoptr(GError) error = NULL;

	if (folder != NULL)
		return folder;
	g_assert_nonnull(argv[0]);
	g_assert_nonnull(argv[1]);
	g_spawn_sync(NULL,
		     (gchar **)argv,
		     NULL,
		     G_SPAWN_DEFAULT,
		     NULL,
		     NULL,
		     &folder,
		     NULL,
		     &status,
		     &error);
	g_assert_no_error(error);
	g_assert_true(g_spawn_check_wait_status(status, NULL));
	g_strstrip(folder);
	return folder;
}

static GBytes *
test_file(const gchar *relpath)
{
	g_autofree gchar *fn = g_build_filename(test_folder(), relpath, NULL);
	gchar *data = NULL;
	gsize len = 0;
	g_autoptr(GError) error = NULL;

	g_file_get_contents(fn, &data, &len, &error);
	g_assert_no_error(error);
	return g_bytes_new_take(data, len);
}

typedef struct {
	Ec25Module *module;
	Ec25Edl *edl;
	gchar *state_dir;
	gchar *log_fn;
} TestModule;

static void
test_module_free(TestModule *tm)
{
	if (tm->edl != NULL)
		ec25_edl_free(tm->edl);
	ec25_module_free(tm->module);
	g_free(tm->state_dir);
	g_free(tm->log_fn);
	g_free(tm);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TestModule, test_module_free)

static gchar *
test_state_dir(void)
{
	static guint counter = 0;
	gchar *dir = g_strdup_printf("%s/state-%u", test_root, counter++);
	g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
	return dir;
}

/* an EC25 with a state folder (a fresh one if @state_dir is NULL), with @fault */
static TestModule *
test_module_new(const gchar *state_dir, const gchar *fault)
{
	TestModule *tm = g_new0(TestModule, 1);
	g_autoptr(GError) error = NULL;

	tm->module = ec25_module_new();
	g_free(tm->module->imei);
	tm->module->imei = g_strdup(TEST_IMEI);
	tm->module->mode = EC25_MODE_EDL;
	tm->state_dir = state_dir != NULL ? g_strdup(state_dir) : test_state_dir();
	tm->module->state_dir = g_strdup(tm->state_dir);
	g_assert_true(ec25_module_load_state(tm->module, &error));
	g_assert_no_error(error);
	ec25_module_set_default_geometry(tm->module);
	ec25_fault_finish_identity(tm->module);
	tm->log_fn = g_build_filename(tm->state_dir, "sim.log", NULL);
	tm->module->log = fopen(tm->log_fn, "a");
	g_assert_nonnull(tm->module->log);
	if (fault != NULL) {
		g_assert_true(ec25_fault_parse(tm->module, fault, &error));
		g_assert_no_error(error);
	}
	return tm;
}

static void
test_enter_edl(TestModule *tm)
{
	g_autoptr(GError) error = NULL;

	g_clear_pointer(&tm->edl, ec25_edl_free);
	tm->edl = ec25_edl_new(tm->module, tm->module->edl_fault, &error);
	g_assert_no_error(error);
	g_assert_nonnull(tm->edl);
}

static JsonObject *
test_summary(TestModule *tm)
{
	g_autofree gchar *fn = g_build_filename(tm->state_dir, "summary.json", NULL);
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error = NULL;

	json_parser_load_from_file(parser, fn, &error);
	g_assert_no_error(error);
	return json_object_ref(json_node_get_object(json_parser_get_root(parser)));
}

static gchar *
test_log(TestModule *tm)
{
	gchar *data = NULL;
	g_autoptr(GError) error = NULL;

	fflush(tm->module->log);
	g_file_get_contents(tm->log_fn, &data, NULL, &error);
	g_assert_no_error(error);
	return data;
}

static void
test_assert_log(TestModule *tm, const gchar *needle)
{
	g_autofree gchar *log = test_log(tm);
	if (strstr(log, needle) == NULL)
		g_error("the module log has no \"%s\":\n%s", needle, log);
}

/* --- USB and Sahara ------------------------------------------------------------------------ */

static void
test_out(TestModule *tm, const void *buf, gsize bufsz)
{
	ec25_edl_bulk_out(tm->edl, buf, bufsz);
}

static GBytes *
test_in(TestModule *tm)
{
	return ec25_edl_bulk_in(tm->edl, TEST_IN_MAX);
}

static void
test_assert_no_in(TestModule *tm)
{
	g_autoptr(GBytes) bytes = test_in(tm);
	g_assert_null(bytes);
}

static guint32
test_u32(const guint8 *buf, gsize offset)
{
	guint32 le;
	memcpy(&le, buf + offset, sizeof(le));
	return GUINT32_FROM_LE(le);
}

static guint32
test_sahara_read(TestModule *tm, guint32 *fields, guint n_fields)
{
	g_autoptr(GBytes) bytes = test_in(tm);
	const guint8 *buf;
	gsize len;

	g_assert_nonnull(bytes);
	buf = g_bytes_get_data(bytes, &len);
	g_assert_cmpuint(len, >=, 8);
	g_assert_cmpuint(test_u32(buf, 4), ==, len);
	for (guint i = 0; i < n_fields && 8 + 4 * (i + 1) <= len; i++)
		fields[i] = test_u32(buf, 8 + 4 * i);
	return test_u32(buf, 0);
}

static void
test_sahara_send(TestModule *tm, guint32 cmd, const guint32 *fields, guint n_fields, guint size)
{
	guint32 buf[TEST_HELLO_SIZE / 4] = {0};

	g_assert_cmpuint(size, <=, sizeof(buf));
	buf[0] = GUINT32_TO_LE(cmd);
	buf[1] = GUINT32_TO_LE(size);
	for (guint i = 0; i < n_fields; i++)
		buf[2 + i] = GUINT32_TO_LE(fields[i]);
	test_out(tm, buf, size);
}

static void
test_sahara_hello_resp(TestModule *tm, guint32 mode)
{
	guint32 fields[] = {2, 1, 0, mode};
	test_sahara_send(tm, TEST_SAHARA_HELLO_RESP, fields, G_N_ELEMENTS(fields), TEST_HELLO_SIZE);
}

static void
test_sahara_expect_hello(TestModule *tm)
{
	guint32 fields[4] = {0};
	g_assert_cmpuint(test_sahara_read(tm, fields, 4), ==, TEST_SAHARA_HELLO);
	g_assert_cmpuint(fields[3], ==, 0);
}

static guint32
test_sahara_serve(TestModule *tm, GBytes *image)
{
	gsize image_len;
	const guint8 *data = g_bytes_get_data(image, &image_len);

	for (;;) {
		guint32 fields[4] = {0};
		guint32 cmd = test_sahara_read(tm, fields, 3);
		if (cmd == TEST_SAHARA_END)
			return fields[1];
		g_assert_cmpuint(cmd, ==, TEST_SAHARA_READ_DATA);
		g_assert_cmpuint((guint64)fields[1] + fields[2], <=, image_len);
		test_out(tm, data + fields[1], fields[2]);
	}
}

/* EXECUTE + EXECUTE_DATA: the data of client command @cmd */
static GBytes *
test_sahara_execute(TestModule *tm, guint32 cmd)
{
	guint32 fields[4] = {0};
	GBytes *data;

	test_sahara_send(tm, TEST_SAHARA_EXECUTE, &cmd, 1, 0x0C);
	g_assert_cmpuint(test_sahara_read(tm, fields, 2), ==, TEST_SAHARA_EXEC_RESP);
	g_assert_cmpuint(fields[0], ==, cmd);
	test_sahara_send(tm, TEST_SAHARA_EXEC_DATA, &cmd, 1, 0x0C);
	data = test_in(tm);
	g_assert_nonnull(data);
	g_assert_cmpuint(g_bytes_get_size(data), ==, fields[1]);
	return data;
}

/* --- Firehose host ------------------------------------------------------------------------- */

typedef struct {
	gchar *name;
	GHashTable *attrs;
} TestDoc;

static void
test_doc_free(TestDoc *doc)
{
	g_free(doc->name);
	g_hash_table_unref(doc->attrs);
	g_free(doc);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TestDoc, test_doc_free)

static void
test_doc_start(GMarkupParseContext *context,
	       const gchar *element_name,
	       const gchar **names,
	       const gchar **values,
	       gpointer user_data,
	       GError **error)
{
	TestDoc *doc = user_data;
	if (g_strcmp0(element_name, "data") == 0)
		return;
	doc->name = g_strdup(element_name);
	for (guint i = 0; names[i] != NULL; i++)
		g_hash_table_insert(doc->attrs, g_strdup(names[i]), g_strdup(values[i]));
}

/* NULL if @bytes is not one well-formed document */
static TestDoc *
test_doc_parse(GBytes *bytes)
{
	const GMarkupParser parser = {.start_element = test_doc_start};
	g_autoptr(TestDoc) doc = g_new0(TestDoc, 1);
	g_autoptr(GMarkupParseContext) context = NULL;
	gsize len;
	const gchar *data = g_bytes_get_data(bytes, &len);

	doc->attrs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	context = g_markup_parse_context_new(&parser, 0, doc, NULL);
	if (!g_markup_parse_context_parse(context, data, len, NULL) ||
	    !g_markup_parse_context_end_parse(context, NULL) || doc->name == NULL)
		return NULL;
	return g_steal_pointer(&doc);
}

/* logs (counted in @n_logs) up to the next response */
static TestDoc *
test_fh_response(TestModule *tm, guint *n_logs)
{
	for (;;) {
		g_autoptr(GBytes) bytes = test_in(tm);
		g_autoptr(TestDoc) doc = NULL;

		g_assert_nonnull(bytes);
		doc = test_doc_parse(bytes);
		g_assert_nonnull(doc);
		if (g_strcmp0(doc->name, "response") == 0)
			return g_steal_pointer(&doc);
		g_assert_cmpstr(doc->name, ==, "log");
		if (n_logs != NULL)
			(*n_logs)++;
	}
}

static void
test_fh_drain(TestModule *tm)
{
	for (;;) {
		g_autoptr(GBytes) bytes = test_in(tm);
		if (bytes == NULL)
			return;
	}
}

static void
test_fh_send(TestModule *tm, const gchar *body)
{
	g_autofree gchar *doc = g_strdup_printf("<?xml version=\"1.0\" ?><data>%s</data>", body);
	test_out(tm, doc, strlen(doc));
}

static TestDoc *
test_fh_expect(TestModule *tm, const gchar *body, const gchar *value)
{
	TestDoc *doc;

	test_fh_send(tm, body);
	doc = test_fh_response(tm, NULL);
	g_assert_cmpstr(g_hash_table_lookup(doc->attrs, "value"), ==, value);
	return doc;
}

static void
test_fh_expect_ack(TestModule *tm, const gchar *body)
{
	g_autoptr(TestDoc) doc = test_fh_expect(tm, body, "ACK");
	test_fh_drain(tm);
}

#define TEST_CONFIGURE                                                                             \
	"<configure MemoryName=\"nand\" MaxPayloadSizeToTargetInBytes=\"8192\" "                   \
	"ZlpAwareHost=\"1\" />"

static void
test_to_firehose(TestModule *tm)
{
	g_autoptr(GBytes) programmer = test_file(TEST_PROGRAMMER);
	guint32 fields[4] = {0};

	test_sahara_expect_hello(tm);
	test_sahara_hello_resp(tm, 0);
	g_assert_cmpuint(test_sahara_serve(tm, programmer), ==, 0);
	test_sahara_send(tm, TEST_SAHARA_DONE, NULL, 0, 8);
	g_assert_cmpuint(test_sahara_read(tm, fields, 1), ==, TEST_SAHARA_DONE_RESP);
	g_assert_cmpint(ec25_edl_get_state(tm->edl), ==, EC25_EDL_STATE_FIREHOSE);
	test_fh_drain(tm);
}

static gchar *
test_nand_attrs(guint64 start, guint64 num)
{
	return g_strdup_printf("PAGES_PER_BLOCK=\"64\" SECTOR_SIZE_IN_BYTES=\"%u\" "
			       "num_partition_sectors=\"%" G_GUINT64_FORMAT "\" "
			       "physical_partition_number=\"0\" start_sector=\"%" G_GUINT64_FORMAT
			       "\"",
			       (guint)TEST_PAGE,
			       num,
			       start);
}

/* --- the rawprogram file of the generated package, in QFirehose's order ------------------- */

typedef struct {
	gchar *tag;
	GHashTable *attrs;
	gchar *line;
} TestCmd;

static void
test_cmd_free(TestCmd *cmd)
{
	g_free(cmd->tag);
	g_hash_table_unref(cmd->attrs);
	g_free(cmd->line);
	g_free(cmd);
}

static void
test_cmd_start(GMarkupParseContext *context,
	       const gchar *element_name,
	       const gchar **names,
	       const gchar **values,
	       gpointer user_data,
	       GError **error)
{
	GPtrArray *cmds = user_data;
	g_autoptr(GString) line = g_string_new(NULL);
	TestCmd *cmd;

	if (g_strcmp0(element_name, "data") == 0)
		return;
	cmd = g_new0(TestCmd, 1);
	cmd->tag = g_strdup(element_name);
	cmd->attrs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_string_append_printf(line, "<%s", element_name);
	for (guint i = 0; names[i] != NULL; i++) {
		g_autofree gchar *escaped = g_markup_escape_text(values[i], -1);
		g_hash_table_insert(cmd->attrs, g_strdup(names[i]), g_strdup(values[i]));
		g_string_append_printf(line, " %s=\"%s\"", names[i], escaped);
	}
	g_string_append(line, " />");
	cmd->line = g_string_free(g_steal_pointer(&line), FALSE);
	g_ptr_array_add(cmds, cmd);
}

static guint64
test_cmd_u64(TestCmd *cmd, const gchar *key)
{
	return g_ascii_strtoull(g_hash_table_lookup(cmd->attrs, key), NULL, 10);
}

/* the programs in the order a host writes them (SBL last), after the erases */
static GPtrArray *
test_plan(void)
{
	g_autoptr(GBytes) xml = test_file("update/firehose/rawprogram_nand_p4K_b256K_update.xml");
	const GMarkupParser parser = {.start_element = test_cmd_start};
	g_autoptr(GPtrArray) cmds = g_ptr_array_new_with_free_func((GDestroyNotify)test_cmd_free);
	GPtrArray *plan = g_ptr_array_new_with_free_func((GDestroyNotify)test_cmd_free);
	g_autoptr(GMarkupParseContext) context = g_markup_parse_context_new(&parser, 0, cmds, NULL);
	g_autoptr(GError) error = NULL;
	gsize len;
	const gchar *data = g_bytes_get_data(xml, &len);
	TestCmd *sbl = NULL;

	g_markup_parse_context_parse(context, data, len, &error);
	g_assert_no_error(error);
	/* every erase first */
	for (guint i = 0; i < cmds->len; i++) {
		TestCmd *cmd = g_ptr_array_index(cmds, i);
		if (g_strcmp0(cmd->tag, "erase") == 0 &&
		    !g_hash_table_contains(cmd->attrs, "vendor") &&
		    test_cmd_u64(cmd, "start_sector") != 0) {
			g_ptr_array_add(plan, g_ptr_array_steal_index(cmds, i));
			i--;
		}
	}
	while (cmds->len > 0) {
		TestCmd *cmd = g_ptr_array_steal_index(cmds, 0);
		if (g_hash_table_contains(cmd->attrs, "vendor"))
			test_cmd_free(cmd);
		else if (g_strcmp0(cmd->tag, "program") == 0 &&
			 test_cmd_u64(cmd, "start_sector") == 0)
			sbl = cmd;
		else if (g_strcmp0(cmd->tag, "program") == 0)
			g_ptr_array_add(plan, cmd);
		else
			test_cmd_free(cmd);
	}
	g_assert_nonnull(sbl);
	g_ptr_array_add(plan, sbl);
	return plan;
}

/* the data of a <program>, padded to whole pages */
static GBytes *
test_program_data(TestCmd *cmd)
{
	g_autofree gchar *name = g_strdup(g_hash_table_lookup(cmd->attrs, "filename"));
	g_autofree gchar *rel = NULL;
	g_autoptr(GBytes) image = NULL;
	gsize len;
	gsize padded;
	guint8 *buf;

	g_strdelimit(name, "\\", '/');
	rel = g_build_filename("update/firehose", name, NULL);
	image = test_file(rel);
	len = g_bytes_get_size(image);
	padded = (len + TEST_PAGE - 1) / TEST_PAGE * TEST_PAGE;
	buf = g_malloc(padded);
	memset(buf, 0xFF, padded);
	memcpy(buf, g_bytes_get_data(image, NULL), len);
	return g_bytes_new_take(buf, padded);
}

/* send a <program> of the plan and its data; the final response, or NULL if the module
 * stopped answering (or NAKed the command, then *@nak is set) */
static TestDoc *
test_update_program(TestModule *tm, TestCmd *cmd, gboolean *nak)
{
	g_autoptr(GBytes) data = test_program_data(cmd);
	g_autofree gchar *attrs =
	    test_nand_attrs(test_cmd_u64(cmd, "start_sector"), g_bytes_get_size(data) / TEST_PAGE);
	g_autofree gchar *body =
	    g_strdup_printf("<program %s filename=\"%s\" label=\"%s\" />",
			    attrs,
			    (const gchar *)g_hash_table_lookup(cmd->attrs, "filename"),
			    (const gchar *)g_hash_table_lookup(cmd->attrs, "label"));
	g_autoptr(TestDoc) ack = NULL;
	const guint8 *buf = g_bytes_get_data(data, NULL);
	gsize len = g_bytes_get_size(data);
	g_autoptr(GBytes) answer = NULL;

	test_fh_send(tm, body);
	ack = test_fh_response(tm, NULL);
	if (g_strcmp0(g_hash_table_lookup(ack->attrs, "value"), "NAK") == 0) {
		*nak = TRUE;
		return NULL;
	}
	for (gsize done = 0; done < len; done += TEST_PAYLOAD)
		test_out(tm, buf + done, MIN(TEST_PAYLOAD, len - done));
	if (ec25_edl_get_pending_in(tm->edl) == 0)
		return NULL;
	return test_fh_response(tm, NULL);
}

/* configure, SBL erase, the plan; returns the number of programs that completed with an ACK,
 * stopping at the first that does not */
static guint
test_update(TestModule *tm, gboolean *nak)
{
	g_autoptr(GPtrArray) plan = test_plan();
	g_autofree gchar *sbl_attrs = test_nand_attrs(0, TEST_SBL_PAGES);
	g_autofree gchar *sbl_erase = g_strdup_printf("<erase %s />", sbl_attrs);
	guint ok = 0;

	*nak = FALSE;
	test_fh_expect_ack(tm, TEST_CONFIGURE);
	test_fh_expect_ack(tm, sbl_erase);
	for (guint i = 0; i < plan->len; i++) {
		TestCmd *cmd = g_ptr_array_index(plan, i);
		g_autoptr(TestDoc) doc = NULL;
		if (g_strcmp0(cmd->tag, "erase") == 0) {
			test_fh_expect_ack(tm, cmd->line);
			continue;
		}
		doc = test_update_program(tm, cmd, nak);
		if (doc == NULL || g_strcmp0(g_hash_table_lookup(doc->attrs, "value"), "ACK") != 0)
			return ok;
		test_fh_drain(tm);
		ok++;
	}
	return ok;
}

static guint
test_plan_programs(void)
{
	g_autoptr(GPtrArray) plan = test_plan();
	guint n = 0;
	for (guint i = 0; i < plan->len; i++) {
		TestCmd *cmd = g_ptr_array_index(plan, i);
		if (g_strcmp0(cmd->tag, "program") == 0)
			n++;
	}
	return n;
}

static void
test_power_reset(TestModule *tm)
{
	g_autoptr(TestDoc) doc = test_fh_expect(tm, "<power value=\"reset\" />", "ACK");
	test_fh_drain(tm);
}

/* --- tests --------------------------------------------------------------------------------- */

static void
test_parse(void)
{
	g_autoptr(Ec25Module) module = ec25_module_new();
	const gchar *good[] = {"diag-no-echo",
			       "diag-no-reenum",
			       "hello-lost",
			       "end-of-image",
			       "configure-small",
			       "configure-nak",
			       "program-nak:1",
			       "program-nak:sbl",
			       "raw-stall:modem",
			       "power-loss:mibib",
			       "power-loss:sbl:end",
			       "power-loss:3:4096",
			       "xml-garbage",
			       "xml-truncated:program",
			       "log-flood:1000",
			       "reset-ignored",
			       "old-revision"};
	const gchar *bad[] = {"",
			      "unknown",
			      "program-nak",
			      "program-nak:0",
			      "program-nak:",
			      "power-loss:sbl:half",
			      "log-flood:0",
			      "log-flood:1001",
			      "reset-ignored:1",
			      "xml-garbage:"};

	for (guint i = 0; i < G_N_ELEMENTS(good); i++) {
		g_autoptr(GError) error = NULL;
		if (!ec25_fault_parse(module, good[i], &error))
			g_error("%s: %s", good[i], error->message);
	}
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		g_assert_false(ec25_fault_parse(module, bad[i], &error));
		g_assert_nonnull(error);
		g_assert_nonnull(strstr(error->message, "--fault"));
	}

	/* the older kinds go to the EDL model */
	g_assert_true(ec25_fault_parse(module, "hello-lost", NULL));
	g_assert_cmpint(module->edl_fault, ==, EC25_EDL_FAULT_HELLO_CONSUMED);

	/* selectors: a 1-based index, or a label (a "0:" prefix of the program's label is
	 * ignored) */
	g_assert_true(ec25_fault_parse(module, "program-nak:2", NULL));
	g_assert_false(ec25_fault_match_program(module, 1, "tz"));
	g_assert_true(ec25_fault_match_program(module, 2, "tz"));
	g_assert_false(ec25_fault_parse(module, "program-nak:0:mibib", NULL));
	g_assert_true(ec25_fault_parse(module, "program-nak:MIBIB", NULL));
	g_assert_true(ec25_fault_match_program(module, 5, "mibib"));
	g_assert_true(ec25_fault_match_program(module, 5, "0:MIBIB"));
	g_assert_false(ec25_fault_match_program(module, 5, NULL));
	g_assert_true(ec25_fault_parse(module, "power-loss:sbl", NULL));
	g_assert_cmpuint(ec25_fault_power_loss_bytes(module, 1000), ==, 500);
	g_assert_true(ec25_fault_parse(module, "power-loss:sbl:end", NULL));
	g_assert_cmpuint(ec25_fault_power_loss_bytes(module, 1000), ==, G_MAXUINT64);
	g_assert_true(ec25_fault_parse(module, "power-loss:sbl:5000", NULL));
	g_assert_cmpuint(ec25_fault_power_loss_bytes(module, 1000), ==, 1000);
	g_assert_true(ec25_fault_parse(module, "log-flood", NULL));
	g_assert_cmpuint(ec25_fault_log_flood_count(module), ==, EC25_FAULT_LOG_FLOOD_DEFAULT);
	g_assert_true(ec25_fault_parse(module, "xml-garbage", NULL));
	g_assert_cmpstr(ec25_fault_xml_command(module), ==, "configure");
}

static void
test_command_mode(void)
{
	g_autoptr(TestModule) tm = test_module_new(NULL, NULL);
	g_autoptr(GBytes) serial = NULL;
	g_autoptr(GBytes) hw_id = NULL;
	g_autoptr(GBytes) pk_hash = NULL;
	g_autoptr(GBytes) programmer = test_file(TEST_PROGRAMMER);
	g_autoptr(JsonObject) summary = NULL;
	guint32 fields[4] = {0};
	guint32 mode = 0;
	guint64 hw;
	const guint8 *buf;

	tm->module->chip_serial = 0x12345678;
	test_enter_edl(tm);
	test_sahara_expect_hello(tm);
	test_sahara_hello_resp(tm, TEST_MODE_COMMAND);
	g_assert_cmpuint(test_sahara_read(tm, fields, 0), ==, TEST_SAHARA_CMD_READY);

	serial = test_sahara_execute(tm, 0x01);
	g_assert_cmpuint(g_bytes_get_size(serial), ==, 4);
	g_assert_cmpuint(test_u32(g_bytes_get_data(serial, NULL), 0), ==, 0x12345678);
	hw_id = test_sahara_execute(tm, 0x02);
	g_assert_cmpuint(g_bytes_get_size(hw_id), ==, 8);
	buf = g_bytes_get_data(hw_id, NULL);
	memcpy(&hw, buf, sizeof(hw));
	g_assert_cmphex(GUINT64_FROM_LE(hw), ==, 0x000480E100000000ull);
	pk_hash = test_sahara_execute(tm, 0x03);
	g_assert_cmpuint(g_bytes_get_size(pk_hash), ==, 32);

	/* back to image transfer: a new HELLO, and the programmer loads as usual */
	test_sahara_send(tm, TEST_SAHARA_SWITCH_MODE, &mode, 1, 0x0C);
	test_to_firehose(tm);
	summary = test_summary(tm);
	g_assert_cmpint(json_object_get_int_member(json_object_get_object_member(summary, "sahara"),
						   "executes"),
			==,
			3);
	test_assert_log(tm, "sahara: command mode, cmd_ready");
	test_assert_log(tm, "sahara: switch_mode 0");
}

static void
test_command_mode_errors(void)
{
	g_autoptr(TestModule) tm = test_module_new(NULL, NULL);
	g_autoptr(TestModule) tm2 = test_module_new(NULL, NULL);
	g_autoptr(GBytes) hw_id = NULL;
	guint32 fields[4] = {0};
	guint32 cmd = 0x07;
	guint32 one = 0x01;
	guint64 hw;

	/* an unsupported client command ends the session: only RESET is answered */
	test_enter_edl(tm);
	test_sahara_expect_hello(tm);
	test_sahara_hello_resp(tm, TEST_MODE_COMMAND);
	g_assert_cmpuint(test_sahara_read(tm, fields, 0), ==, TEST_SAHARA_CMD_READY);
	test_sahara_send(tm, TEST_SAHARA_EXECUTE, &cmd, 1, 0x0C);
	g_assert_cmpuint(test_sahara_read(tm, fields, 2), ==, TEST_SAHARA_END);
	g_assert_cmpuint(fields[1], ==, 0x1E);
	test_sahara_send(tm, TEST_SAHARA_EXECUTE, &one, 1, 0x0C);
	test_assert_no_in(tm);
	test_sahara_send(tm, TEST_SAHARA_RESET, NULL, 0, 8);
	g_assert_cmpuint(test_sahara_read(tm, fields, 0), ==, TEST_SAHARA_RESET_RESP);
	g_assert_cmpint(ec25_edl_get_state(tm->edl), ==, EC25_EDL_STATE_RESET);

	/* EXECUTE_DATA without its EXECUTE; a chip of another family */
	tm2->module->msm_hw_id = 0x009600E1;
	test_enter_edl(tm2);
	test_sahara_expect_hello(tm2);
	test_sahara_hello_resp(tm2, TEST_MODE_COMMAND);
	g_assert_cmpuint(test_sahara_read(tm2, fields, 0), ==, TEST_SAHARA_CMD_READY);
	hw_id = test_sahara_execute(tm2, 0x02);
	memcpy(&hw, g_bytes_get_data(hw_id, NULL), sizeof(hw));
	g_assert_cmphex(GUINT64_FROM_LE(hw) >> 32, ==, 0x009600E1);
	test_sahara_send(tm2, TEST_SAHARA_EXEC_DATA, &one, 1, 0x0C);
	g_assert_cmpuint(test_sahara_read(tm2, fields, 2), ==, TEST_SAHARA_END);
	g_assert_cmpuint(fields[1], ==, 0x1F);
}

static void
test_identity_persists(void)
{
	g_autofree gchar *dir = test_state_dir();
	guint32 derived;
	g_autoptr(GError) error = NULL;

	{
		g_autoptr(TestModule) tm = test_module_new(dir, NULL);
		derived = tm->module->chip_serial;
		g_assert_cmpuint(derived, !=, 0);
		g_assert_cmphex(tm->module->msm_hw_id, ==, EC25_FAULT_MSM_HW_ID_MDM9607);
		tm->module->chip_serial = 0xCAFE0001;
		tm->module->msm_hw_id = 0x009600E1;
		g_assert_true(ec25_module_save_state(tm->module, &error));
		g_assert_no_error(error);
	}
	{
		g_autoptr(TestModule) tm = test_module_new(dir, NULL);
		g_assert_cmphex(tm->module->chip_serial, ==, 0xCAFE0001);
		g_assert_cmphex(tm->module->msm_hw_id, ==, 0x009600E1);
		ec25_fault_power_cycle(tm->module, FALSE);
		g_assert_cmphex(tm->module->chip_serial, ==, 0xCAFE0001);
		/* the programmer logs the same serial */
		test_enter_edl(tm);
		test_to_firehose(tm);
		test_assert_log(tm, "firehose: programmer started");
	}
	{
		/* a fresh module derives the same serial from the same IMEI */
		g_autoptr(TestModule) tm = test_module_new(NULL, NULL);
		g_assert_cmphex(tm->module->chip_serial, ==, derived);
	}
}

static void
test_programmer_running(void)
{
	g_autoptr(TestModule) tm = test_module_new(NULL, NULL);
	g_autoptr(TestDoc) doc = NULL;
	g_autoptr(GBytes) bytes = NULL;

	tm->module->edl_stage = EC25_EDL_STAGE_FIREHOSE;
	test_enter_edl(tm);
	g_assert_cmpint(ec25_edl_get_state(tm->edl), ==, EC25_EDL_STATE_FIREHOSE);
	g_assert_cmpint(ec25_edl_get_stage(tm->edl), ==, EC25_EDL_STAGE_FIREHOSE);
	g_assert_cmpint(tm->module->edl_stage, ==, EC25_EDL_STAGE_PBL);
	/* no HELLO; a HELLO_RESP is answered with Firehose XML */
	test_assert_no_in(tm);
	test_sahara_hello_resp(tm, 0);
	bytes = test_in(tm);
	g_assert_nonnull(bytes);
	g_assert_true(g_str_has_prefix(g_bytes_get_data(bytes, NULL), "<?xml"));
	doc = test_fh_response(tm, NULL);
	g_assert_cmpstr(g_hash_table_lookup(doc->attrs, "value"), ==, "NAK");
	/* brought back without a power cycle */
	test_fh_expect_ack(tm, TEST_CONFIGURE);
	test_power_reset(tm);
	g_assert_cmpint(ec25_edl_get_state(tm->edl), ==, EC25_EDL_STATE_RESET);
	g_assert_cmpint(ec25_edl_get_stage(tm->edl), ==, EC25_EDL_STAGE_PBL);

	/* a stalled programmer stays stalled */
	tm->module->edl_stage = EC25_EDL_STAGE_DEAD;
	test_enter_edl(tm);
	g_assert_cmpint(ec25_edl_get_state(tm->edl), ==, EC25_EDL_STATE_DEAD);
	test_fh_send(tm, "<nop />");
	test_assert_no_in(tm);
	/* a power cycle: the PBL again */
	ec25_fault_power_cycle(tm->module, TRUE);
	test_enter_edl(tm);
	test_sahara_expect_hello(tm);
}

static void
test_configure_nak(void)
{
	g_autoptr(TestModule) tm = test_module_new(NULL, "configure-nak");
	g_autoptr(TestModule) tm2 = test_module_new(NULL, "configure-small");
	g_autoptr(TestDoc) doc = NULL;
	g_autoptr(TestDoc) doc2 = NULL;

	test_enter_edl(tm);
	test_to_firehose(tm);
	doc = test_fh_expect(tm, TEST_CONFIGURE, "NAK");
	g_assert_false(g_hash_table_contains(doc->attrs, "MaxPayloadSizeToTargetInBytes"));

	test_enter_edl(tm2);
	test_to_firehose(tm2);
	doc2 = test_fh_expect(tm2, TEST_CONFIGURE, "NAK");
	g_assert_cmpstr(g_hash_table_lookup(doc2->attrs, "MaxPayloadSizeToTargetInBytes"),
			==,
			"4096");
}

static void
test_program_nak_one(const gchar *fault, guint expected_ok)
{
	g_autoptr(TestModule) tm = test_module_new(NULL, fault);
	g_autoptr(JsonObject) summary = NULL;
	gboolean nak = FALSE;

	test_enter_edl(tm);
	test_to_firehose(tm);
	g_assert_cmpuint(test_update(tm, &nak), ==, expected_ok);
	g_assert_true(nak);
	g_assert_cmpint(ec25_edl_get_state(tm->edl), ==, EC25_EDL_STATE_FIREHOSE);
	summary = test_summary(tm);
	g_assert_cmpuint(json_array_get_length(json_object_get_array_member(summary, "programs")),
			 ==,
			 expected_ok);
	g_assert_false(json_object_get_boolean_member(summary, "bootable"));
}

static void
test_program_nak(void)
{
	guint n = test_plan_programs();

	test_program_nak_one("program-nak:1", 0);
	test_program_nak_one("program-nak:3", 2);
	test_program_nak_one("program-nak:sbl", n - 1);
}

static void
test_raw_stall(void)
{
	g_autoptr(TestModule) tm = test_module_new(NULL, "raw-stall:modem");
	g_autoptr(JsonObject) summary = NULL;
	gboolean nak = FALSE;
	JsonArray *programs;
	JsonObject *last;

	test_enter_edl(tm);
	test_to_firehose(tm);
	test_update(tm, &nak);
	g_assert_false(nak);
	g_assert_cmpint(ec25_edl_get_state(tm->edl), ==, EC25_EDL_STATE_DEAD);
	g_assert_cmpint(ec25_edl_get_stage(tm->edl), ==, EC25_EDL_STAGE_DEAD);
	summary = test_summary(tm);
	programs = json_object_get_array_member(summary, "programs");
	last = json_array_get_object_element(programs, json_array_get_length(programs) - 1);
	g_assert_cmpstr(json_object_get_string_member(last, "label"), ==, "modem");
	g_assert_cmpstr(json_object_get_string_member(last, "status"), ==, "stalled");
}

/* power lost inside the program @sel: the module is off, then boots what the NAND holds */
static void
test_power_loss_one(const gchar *fault, const gchar *label, gboolean boots)
{
	g_autoptr(TestModule) tm = test_module_new(NULL, fault);
	g_autoptr(JsonObject) summary = NULL;
	g_autoptr(GError) error = NULL;
	gboolean nak = FALSE;
	JsonArray *programs;
	JsonObject *last;

	test_enter_edl(tm);
	test_to_firehose(tm);
	test_update(tm, &nak);
	g_assert_false(nak);
	g_assert_cmpint(ec25_edl_get_state(tm->edl), ==, EC25_EDL_STATE_NOPOWER);
	g_assert_cmpint(ec25_edl_get_stage(tm->edl), ==, EC25_EDL_STAGE_PBL);
	test_assert_no_in(tm);
	test_fh_send(tm, "<nop />");
	test_assert_no_in(tm);
	summary = test_summary(tm);
	g_assert_cmpstr(json_object_get_string_member(summary, "state"), ==, "power-lost");
	programs = json_object_get_array_member(summary, "programs");
	last = json_array_get_object_element(programs, json_array_get_length(programs) - 1);
	g_assert_cmpstr(json_object_get_string_member(last, "label"), ==, label);
	g_assert_cmpstr(json_object_get_string_member(last, "status"), ==, "power-lost");
	g_assert_true(json_object_get_boolean_member(json_object_get_object_member(summary, "efs2"),
						     "unchanged"));

	/* the power returns */
	g_clear_pointer(&tm->edl, ec25_edl_free);
	ec25_fault_power_cycle(tm->module, FALSE);
	if (boots) {
		g_assert_cmpint(tm->module->mode, ==, EC25_MODE_NORMAL);
		g_assert_cmpstr(tm->module->revision, ==, TEST_REVISION);
	} else {
		g_assert_cmpint(tm->module->mode, ==, EC25_MODE_EDL);
		g_assert_false(ec25_edl_boot_nand(tm->module, &error));
		g_clear_error(&error);
		/* and the same update in the PBL's EDL completes */
		tm->module->fault = EC25_FAULT_NONE;
		test_enter_edl(tm);
		test_to_firehose(tm);
		g_assert_cmpuint(test_update(tm, &nak), ==, test_plan_programs());
		g_clear_pointer(&tm->edl, ec25_edl_free);
		g_assert_true(ec25_fault_boot(tm->module, &error));
		g_assert_no_error(error);
		g_assert_cmpstr(tm->module->revision, ==, TEST_REVISION);
	}
}

static void
test_power_loss(void)
{
	test_power_loss_one("power-loss:sbl", "sbl", FALSE);
	test_power_loss_one("power-loss:mibib:0", "mibib", FALSE);
	test_power_loss_one("power-loss:modem", "modem", FALSE);
	test_power_loss_one("power-loss:system:4096", "system", FALSE);
	test_power_loss_one("power-loss:sbl:end", "sbl", TRUE);
}

static void
test_xml_faults(void)
{
	g_autoptr(TestModule) tm = test_module_new(NULL, "xml-garbage");
	g_autoptr(TestModule) tm2 = test_module_new(NULL, "xml-truncated:nop");
	g_autoptr(TestModule) tm3 = test_module_new(NULL, "log-flood:900");
	g_autoptr(GBytes) garbage = NULL;
	g_autoptr(GBytes) cut = NULL;
	g_autoptr(TestDoc) doc = NULL;
	guint n_logs = 0;

	/* the answer to configure is noise; the next one is fine */
	test_enter_edl(tm);
	test_to_firehose(tm);
	test_fh_send(tm, TEST_CONFIGURE);
	garbage = test_in(tm);
	g_assert_nonnull(garbage);
	g_assert_null(test_doc_parse(garbage));
	test_assert_no_in(tm);
	test_fh_expect_ack(tm, TEST_CONFIGURE);

	/* the answer to nop stops in the middle of its response */
	test_enter_edl(tm2);
	test_to_firehose(tm2);
	test_fh_send(tm2, "<nop />");
	for (;;) {
		g_autoptr(GBytes) bytes = test_in(tm2);
		g_autoptr(TestDoc) log = NULL;
		g_assert_nonnull(bytes);
		log = test_doc_parse(bytes);
		if (log == NULL) {
			cut = g_steal_pointer(&bytes);
			break;
		}
		g_assert_cmpstr(log->name, ==, "log");
	}
	g_assert_nonnull(strstr(g_bytes_get_data(cut, NULL), "<?xml"));
	test_assert_no_in(tm2);
	test_fh_expect_ack(tm2, "<nop />");

	/* the flood comes before the answer to configure */
	test_enter_edl(tm3);
	test_to_firehose(tm3);
	test_fh_send(tm3, TEST_CONFIGURE);
	doc = test_fh_response(tm3, &n_logs);
	g_assert_cmpstr(g_hash_table_lookup(doc->attrs, "value"), ==, "ACK");
	g_assert_cmpuint(n_logs, >=, 900);
}

static void
test_reset_ignored(void)
{
	g_autoptr(TestModule) tm = test_module_new(NULL, "reset-ignored");

	test_enter_edl(tm);
	test_to_firehose(tm);
	test_power_reset(tm);
	g_assert_cmpint(ec25_edl_get_state(tm->edl), ==, EC25_EDL_STATE_FIREHOSE);
	test_fh_expect_ack(tm, "<nop />");
	g_assert_cmpint(ec25_edl_get_stage(tm->edl), ==, EC25_EDL_STAGE_FIREHOSE);
	test_assert_log(tm, "firehose: power reset ignored (fault)");
}

static void
test_old_revision(void)
{
	g_autoptr(TestModule) tm = test_module_new(NULL, "old-revision");
	g_autofree gchar *old = g_strdup(tm->module->revision);
	g_autoptr(GError) error = NULL;
	gboolean nak = FALSE;

	/* a factory boot is not an update: nothing to fake */
	g_assert_true(ec25_fault_boot(tm->module, &error));
	g_assert_no_error(error);
	g_assert_false(tm->module->fault_fired);

	test_enter_edl(tm);
	test_to_firehose(tm);
	g_assert_cmpuint(test_update(tm, &nak), ==, test_plan_programs());
	test_power_reset(tm);
	g_clear_pointer(&tm->edl, ec25_edl_free);
	g_assert_true(ec25_fault_boot(tm->module, &error));
	g_assert_cmpstr(tm->module->revision, ==, old);
	test_assert_log(tm, "(fault)");
	/* once: the next boot reports what the NAND holds */
	g_assert_true(ec25_fault_boot(tm->module, &error));
	g_assert_cmpstr(tm->module->revision, ==, TEST_REVISION);
}

static void
test_diag_faults(void)
{
	const guint8 edl_cmd[] = {0x4B, 0x65, 0x01, 0x00, 0x54, 0x0F, 0x7E};
	g_autoptr(Ec25Module) none = ec25_module_new();
	g_autoptr(Ec25Module) no_echo = ec25_module_new();
	g_autoptr(Ec25Module) no_reenum = ec25_module_new();
	g_autoptr(GByteArray) out = g_byte_array_new();

	ec25_module_port_input(none, EC25_PORT_DM, edl_cmd, sizeof(edl_cmd), out);
	g_assert_cmpmem(out->data, out->len, edl_cmd, sizeof(edl_cmd));
	g_assert_true(none->edl_requested);

	g_byte_array_set_size(out, 0);
	g_assert_true(ec25_fault_parse(no_echo, "diag-no-echo", NULL));
	ec25_module_port_input(no_echo, EC25_PORT_DM, edl_cmd, sizeof(edl_cmd), out);
	g_assert_cmpuint(out->len, ==, 0);
	g_assert_true(no_echo->edl_requested);

	g_byte_array_set_size(out, 0);
	g_assert_true(ec25_fault_parse(no_reenum, "diag-no-reenum", NULL));
	ec25_module_port_input(no_reenum, EC25_PORT_DM, edl_cmd, sizeof(edl_cmd), out);
	g_assert_cmpmem(out->data, out->len, edl_cmd, sizeof(edl_cmd));
	g_assert_false(no_reenum->edl_requested);
}

/* a Sahara RESET to the dump mode's SBL */
static void
test_dump_reset(Ec25Module *module)
{
	const guint32 reset[] = {GUINT32_TO_LE(0x07), GUINT32_TO_LE(8)};
	g_autoptr(GPtrArray) packets =
	    g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);

	ec25_module_dump_hello(module, packets);
	ec25_module_dump_input(module, (const guint8 *)reset, sizeof(reset), packets);
	g_assert_cmpuint(packets->len, ==, 2);
	g_assert_true(module->dump_reset_requested);
	module->dump_reset_requested = FALSE;
}

static void
test_dump_variants(void)
{
	g_autoptr(TestModule) persists = test_module_new(NULL, NULL);
	g_autoptr(TestModule) clears = test_module_new(NULL, NULL);
	g_autoptr(Ec25UsbDevice) no_tty = ec25_usb_device_new_dump_no_tty(5);
	g_autoptr(Ec25UsbDevice) tty = ec25_usb_device_new_dump(6, 0);
	g_autoptr(GError) error = NULL;
	gboolean nak = FALSE;

	/* persists across RESET and power cycles, until USB_BOOT and a write */
	persists->module->mode = EC25_MODE_DUMP;
	persists->module->dump_flag = TRUE;
	test_dump_reset(persists->module);
	g_assert_true(persists->module->dump_flag);
	ec25_fault_power_cycle(persists->module, FALSE);
	g_assert_cmpint(persists->module->mode, ==, EC25_MODE_DUMP);
	ec25_fault_power_cycle(persists->module, TRUE);
	g_assert_cmpint(persists->module->mode, ==, EC25_MODE_EDL);
	/* USB_BOOT alone does not clear it */
	ec25_fault_power_cycle(persists->module, FALSE);
	g_assert_cmpint(persists->module->mode, ==, EC25_MODE_DUMP);
	ec25_fault_power_cycle(persists->module, TRUE);
	test_enter_edl(persists);
	test_to_firehose(persists);
	g_assert_cmpuint(test_update(persists, &nak), ==, test_plan_programs());
	g_assert_false(persists->module->dump_flag);
	test_power_reset(persists);
	g_clear_pointer(&persists->edl, ec25_edl_free);
	ec25_fault_power_cycle(persists->module, FALSE);
	g_assert_cmpint(persists->module->mode, ==, EC25_MODE_NORMAL);
	g_assert_cmpstr(persists->module->revision, ==, TEST_REVISION);

	/* cleared by a RESET, and by a power cycle */
	clears->module->dump_kind = EC25_DUMP_CLEARS;
	clears->module->mode = EC25_MODE_DUMP;
	clears->module->dump_flag = TRUE;
	test_dump_reset(clears->module);
	g_assert_false(clears->module->dump_flag);
	clears->module->dump_flag = TRUE;
	ec25_fault_power_cycle(clears->module, FALSE);
	g_assert_cmpint(clears->module->mode, ==, EC25_MODE_NORMAL);
	g_assert_true(ec25_module_save_state(clears->module, &error));
	g_assert_no_error(error);

	/* the USB side: the same identity, with or without a tty */
	g_assert_cmphex(no_tty->vid, ==, 0x2c7c);
	g_assert_cmphex(no_tty->pid, ==, 0x0125);
	g_assert_cmphex(no_tty->bcd, ==, 0x0000);
	g_assert_cmpstr(no_tty->product, ==, "QHSUSB__BULK");
	g_assert_null(no_tty->driver);
	g_assert_cmpuint(no_tty->ports->len, ==, 0);
	g_assert_null(strstr(no_tty->fixture, "ttyUSB"));
	g_assert_nonnull(strstr(no_tty->fixture, "bNumInterfaces= 1"));
	g_assert_cmpstr(tty->driver, ==, "option");
	g_assert_cmpuint(tty->ports->len, ==, 1);
}

/* --- the command line ---------------------------------------------------------------------- */

static gchar *
test_sim_run(const gchar *const *args, gint *status)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	gchar *err = NULL;
	g_autoptr(GError) error = NULL;

	g_ptr_array_add(argv, (gpointer)g_getenv("EC25_SIM"));
	for (guint i = 0; args[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)args[i]);
	g_ptr_array_add(argv, NULL);
	g_assert_nonnull(g_ptr_array_index(argv, 0));
	g_spawn_sync(NULL,
		     (gchar **)argv->pdata,
		     NULL,
		     G_SPAWN_STDOUT_TO_DEV_NULL,
		     NULL,
		     NULL,
		     NULL,
		     &err,
		     status,
		     &error);
	g_assert_no_error(error);
	return err;
}

static GKeyFile *
test_module_ini(const gchar *dir)
{
	g_autofree gchar *fn = g_build_filename(dir, "module.ini", NULL);
	GKeyFile *kf = g_key_file_new();
	g_autoptr(GError) error = NULL;

	g_key_file_load_from_file(kf, fn, G_KEY_FILE_NONE, &error);
	g_assert_no_error(error);
	return kf;
}

static void
test_sim_assert(const gchar *dir, const gchar *key, const gchar *value)
{
	g_autoptr(GKeyFile) kf = test_module_ini(dir);
	g_autofree gchar *actual = g_key_file_get_string(kf, "module", key, NULL);
	g_assert_cmpstr(actual, ==, value);
}

static void
test_sim_ok(const gchar *const *args)
{
	gint status = 0;
	g_autofree gchar *err = test_sim_run(args, &status);
	if (!g_spawn_check_wait_status(status, NULL))
		g_error("ec25-sim failed: %s", err);
}

static void
test_sim_cli(void)
{
	g_autofree gchar *dir = test_state_dir();
	g_autofree gchar *dir2 = test_state_dir();
	gint status = 0;
	g_autofree gchar *err = NULL;
	g_autofree gchar *err2 = NULL;
	g_autofree gchar *log = NULL;
	g_autofree gchar *log_fn = g_build_filename(dir, "sim.log", NULL);

	/* identity and the dump variant persist; a power cycle keeps a persistent dump flag */
	test_sim_ok((const gchar *[]){"--state",
				      dir,
				      "--start-mode",
				      "dump",
				      "--dump-tty",
				      "no",
				      "--chip-serial",
				      "0x0badcafe",
				      "--hw-id",
				      "0x009600e1",
				      "--power-cycle",
				      NULL});
	test_sim_assert(dir, "mode", "dump");
	test_sim_assert(dir, "dump_flag", "true");
	test_sim_assert(dir, "dump_tty", "false");
	test_sim_assert(dir, "chip_serial", "195939070");
	test_sim_assert(dir, "msm_hw_id", "9830625");
	test_sim_ok((const gchar *[]){"--state", dir, "--power-cycle", NULL});
	test_sim_assert(dir, "mode", "dump");
	/* USB_BOOT: PBL EDL; without it, dump mode again */
	test_sim_ok((const gchar *[]){"--state", dir, "--usb-boot", NULL});
	test_sim_assert(dir, "mode", "edl");
	test_sim_ok((const gchar *[]){"--state", dir, "--power-cycle", NULL});
	test_sim_assert(dir, "mode", "dump");
	test_sim_assert(dir, "chip_serial", "195939070");

	/* a programmer left running is gone after a power cycle; the factory NAND boots */
	test_sim_ok(
	    (const gchar *[]){"--state", dir2, "--programmer-running", "--power-cycle", NULL});
	test_sim_assert(dir2, "mode", "edl");
	test_sim_assert(dir2, "edl_stage", "1");
	test_sim_ok((const gchar *[]){"--state", dir2, "--power-cycle", NULL});
	test_sim_assert(dir2, "mode", "normal");
	test_sim_assert(dir2, "edl_stage", "0");

	/* bad values are refused */
	err = test_sim_run(
	    (const gchar *[]){"--state", dir, "--fault", "nonsense", "--power-cycle", NULL},
	    &status);
	g_assert_false(g_spawn_check_wait_status(status, NULL));
	g_assert_nonnull(strstr(err, "unknown fault"));
	err2 = test_sim_run(
	    (const gchar *[]){"--state", dir, "--dump-kind", "sometimes", "--power-cycle", NULL},
	    &status);
	g_assert_false(g_spawn_check_wait_status(status, NULL));
	g_assert_nonnull(strstr(err2, "--dump-kind"));

	g_file_get_contents(log_fn, &log, NULL, NULL);
	g_assert_nonnull(log);
	g_assert_nonnull(strstr(log, "power: cycled with USB_BOOT held, PBL EDL"));
}

/* --layout-shift: another variant's factory table, persisted for the NAND it creates */
static void
test_layout_shift(void)
{
	g_autofree gchar *dir = test_state_dir();
	g_autoptr(GArray) plain = NULL;
	g_autoptr(GArray) shifted = NULL;
	g_autoptr(GError) error = NULL;
	const Ec25MibibEntry *modem_plain;
	const Ec25MibibEntry *modem_shifted;

	plain = ec25_mibib_factory_layout("EC25", 2048, NULL, &error);
	g_assert_no_error(error);
	shifted = ec25_mibib_factory_layout("EC25", 2048, "modem", &error);
	g_assert_no_error(error);
	g_assert_cmpuint(plain->len, ==, shifted->len);
	modem_plain = ec25_mibib_find(plain, EC25_MIBIB_NAME_MODEM);
	modem_shifted = ec25_mibib_find(shifted, EC25_MIBIB_NAME_MODEM);
	g_assert_nonnull(modem_plain);
	g_assert_nonnull(modem_shifted);
	g_assert_cmpuint(modem_shifted->start_block, ==, modem_plain->start_block);
	g_assert_cmpuint(modem_shifted->num_blocks, ==, modem_plain->num_blocks + 1);
	for (guint i = 0; i + 1 < shifted->len; i++) {
		const Ec25MibibEntry *entry = &g_array_index(shifted, Ec25MibibEntry, i);
		const Ec25MibibEntry *next = &g_array_index(shifted, Ec25MibibEntry, i + 1);
		g_assert_cmpuint(entry->start_block + entry->num_blocks, ==, next->start_block);
	}
	g_assert_null(ec25_mibib_factory_layout("EC25", 2048, "nonsense", &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);

	test_sim_ok((const gchar *[]){"--state",
				      dir,
				      "--start-mode",
				      "edl",
				      "--layout-shift",
				      "modem",
				      "--power-cycle",
				      NULL});
	test_sim_assert(dir, "layout_shift", "modem");
}

static void
test_rm_rf(const gchar *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const gchar *name;

	if (dir != NULL) {
		while ((name = g_dir_read_name(dir)) != NULL) {
			g_autofree gchar *child = g_build_filename(path, name, NULL);
			if (g_file_test(child, G_FILE_TEST_IS_DIR) &&
			    !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
				test_rm_rf(child);
			else
				g_unlink(child);
		}
	}
	g_rmdir(path);
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	gint rc;

	g_test_init(&argc, &argv, NULL);
	test_root = g_dir_make_tmp("ec25-faults-test-XXXXXX", &error);
	g_assert_no_error(error);
	g_test_add_func("/faults/parse", test_parse);
	g_test_add_func("/faults/sahara/command-mode", test_command_mode);
	g_test_add_func("/faults/sahara/command-mode-errors", test_command_mode_errors);
	g_test_add_func("/faults/identity-persists", test_identity_persists);
	g_test_add_func("/faults/programmer-running", test_programmer_running);
	g_test_add_func("/faults/diag", test_diag_faults);
	g_test_add_func("/faults/firehose/configure-nak", test_configure_nak);
	g_test_add_func("/faults/firehose/program-nak", test_program_nak);
	g_test_add_func("/faults/firehose/raw-stall", test_raw_stall);
	g_test_add_func("/faults/firehose/power-loss", test_power_loss);
	g_test_add_func("/faults/firehose/xml", test_xml_faults);
	g_test_add_func("/faults/firehose/reset-ignored", test_reset_ignored);
	g_test_add_func("/faults/old-revision", test_old_revision);
	g_test_add_func("/faults/dump", test_dump_variants);
	g_test_add_func("/faults/sim/cli", test_sim_cli);
	g_test_add_func("/faults/sim/layout-shift", test_layout_shift);
	rc = g_test_run();
	test_rm_rf(test_root);
	return rc;
}

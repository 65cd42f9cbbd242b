/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The download side of the simulated module, probed transfer by transfer as a host drives it
 * over USB: Sahara (with faults and bad hosts), Firehose commands, the NAND, the boot check,
 * summary.json and the timing model. Complete updates are not driven from here: the plugin's
 * own Sahara and Firehose host runs them against this model in tests/plugin. The firmware comes
 * from tests/gen-vendor-folder.py (EC25_PYTHON3 and EC25_GEN_VENDOR_FOLDER in the environment).
 */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ec25-edl.h"

#define TEST_IN_MAX	       65536
#define TEST_PACKET	       512
#define TEST_PAYLOAD	       8192
#define TEST_IMAGE_ID	       13
#define TEST_SAHARA_HELLO      0x01
#define TEST_SAHARA_HELLO_RESP 0x02
#define TEST_SAHARA_READ_DATA  0x03
#define TEST_SAHARA_END	       0x04
#define TEST_SAHARA_DONE       0x05
#define TEST_SAHARA_DONE_RESP  0x06
#define TEST_SAHARA_RESET      0x07
#define TEST_SAHARA_RESET_RESP 0x08
#define TEST_HELLO_SIZE	       0x30
#define TEST_PROGRAMMER	       "update/firehose/prog_nand_firehose_9x07.mbn"
#define TEST_IMEI	       "867698041234562"
#define TEST_FUZZ_ROUNDS       400

typedef struct {
	const gchar *key; /* ec25e or eg25g */
	const gchar *model;
	const gchar *geo;
	const gchar *revision;
	const gchar *subversion;
	guint page_size;
	guint efs2_start;
	guint efs2_blocks;
} TestLayout;

static const TestLayout test_ec25e =
    {"ec25e", "EC25", "p4K_b256K", "EC25EFAR06A11M4G", "01.002.01.002", 4096, 20, 88};
static const TestLayout test_eg25g =
    {"eg25g", "EG25", "p2K_b128K", "EG25GGBR07A09M2G", "01.003.01.003", 2048, 20, 136};

static gchar *test_root = NULL; /* removed at exit */

/* --- fixtures ------------------------------------------------------------------------------ */

static const gchar *
test_folder(const TestLayout *layout)
{
	static GHashTable *folders = NULL;
	const gchar *folder;
	const gchar *argv[] = {g_getenv("EC25_PYTHON3"),
			       g_getenv("EC25_GEN_VENDOR_FOLDER"),
			       test_root,
			       "--layout",
			       layout->key,
			       "--revision",
			       layout->revision,
			       "--subversion",
			       layout->subversion,
			       NULL};
	gchar *out = NULL;
	gint status = 0;
	g_autoptr(GError) error = NULL;

	if (folders == NULL)
		folders = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
	folder = g_hash_table_lookup(folders, layout->key);
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
		     &out,
		     NULL,
		     &status,
		     &error);
	g_assert_no_error(error);
	g_assert_true(g_spawn_check_wait_status(status, NULL));
	g_strstrip(out);
	g_hash_table_insert(folders, (gpointer)layout->key, out);
	return out;
}

static GBytes *
test_file(const TestLayout *layout, const gchar *relpath)
{
	g_autofree gchar *fn = g_build_filename(test_folder(layout), relpath, NULL);
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
	gchar *state_dir; /* NULL: in memory */
	gchar *log_fn;
	const TestLayout *layout;
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

/* a module with a fresh state folder (or none), not yet in EDL */
static TestModule *
test_module_new(const TestLayout *layout, gboolean persistent)
{
	TestModule *tm = g_new0(TestModule, 1);
	static guint counter = 0;

	tm->layout = layout;
	tm->module = ec25_module_new();
	g_free(tm->module->model);
	tm->module->model = g_strdup(layout->model);
	g_free(tm->module->imei);
	tm->module->imei = g_strdup(TEST_IMEI);
	tm->module->mode = EC25_MODE_EDL;
	if (persistent) {
		tm->state_dir = g_strdup_printf("%s/state-%u", test_root, counter++);
		g_assert_cmpint(g_mkdir_with_parents(tm->state_dir, 0755), ==, 0);
		tm->module->state_dir = g_strdup(tm->state_dir);
		tm->log_fn = g_build_filename(tm->state_dir, "sim.log", NULL);
		tm->module->log = fopen(tm->log_fn, "w");
		g_assert_nonnull(tm->module->log);
	}
	return tm;
}

static void
test_module_enter_edl(TestModule *tm, Ec25EdlFault fault)
{
	g_autoptr(GError) error = NULL;

	if (tm->edl != NULL)
		ec25_edl_free(tm->edl);
	tm->edl = ec25_edl_new(tm->module, fault, &error);
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

/* --- USB ----------------------------------------------------------------------------------- */

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

/* --- Sahara host --------------------------------------------------------------------------- */

static guint32
test_u32(const guint8 *buf, gsize offset)
{
	guint32 le;
	memcpy(&le, buf + offset, sizeof(le));
	return GUINT32_FROM_LE(le);
}

/* the next Sahara packet: its command, and up to 4 fields after the header */
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
	g_assert_cmpuint(fields[0], ==, 2);
	g_assert_cmpuint(fields[1], ==, 1);
	g_assert_cmpuint(fields[2], ==, 0x400);
	g_assert_cmpuint(fields[3], ==, 0);
}

/* serve READ_DATA from @image (in @chunk-byte transfers, 0: one transfer) until
 * END_OF_IMAGE; @requests gets "offset/length" of each request */
static guint32
test_sahara_serve(TestModule *tm, GBytes *image, gsize chunk, GPtrArray *requests)
{
	gsize image_len;
	const guint8 *data = g_bytes_get_data(image, &image_len);

	for (;;) {
		guint32 fields[4] = {0};
		guint32 cmd = test_sahara_read(tm, fields, 3);
		if (cmd == TEST_SAHARA_END) {
			g_assert_cmpuint(fields[0], ==, TEST_IMAGE_ID);
			return fields[1];
		}
		g_assert_cmpuint(cmd, ==, TEST_SAHARA_READ_DATA);
		g_assert_cmpuint(fields[0], ==, TEST_IMAGE_ID);
		g_assert_cmpuint((guint64)fields[1] + fields[2], <=, image_len);
		if (requests != NULL)
			g_ptr_array_add(requests,
					g_strdup_printf("0x%x/0x%x", fields[1], fields[2]));
		for (gsize done = 0; done < fields[2];) {
			gsize len = chunk != 0 ? MIN(chunk, fields[2] - done) : fields[2];
			test_out(tm, data + fields[1] + done, len);
			done += len;
		}
	}
}

/* --- Firehose host ------------------------------------------------------------------------- */

typedef struct {
	gchar *name; /* log or response */
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
	g_assert_null(doc->name);
	doc->name = g_strdup(element_name);
	for (guint i = 0; names[i] != NULL; i++)
		g_hash_table_insert(doc->attrs, g_strdup(names[i]), g_strdup(values[i]));
}

static TestDoc *
test_doc_parse(GBytes *bytes)
{
	const GMarkupParser parser = {.start_element = test_doc_start};
	TestDoc *doc = g_new0(TestDoc, 1);
	g_autoptr(GMarkupParseContext) context = NULL;
	g_autoptr(GError) error = NULL;
	gsize len;
	const gchar *data = g_bytes_get_data(bytes, &len);

	doc->attrs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	context = g_markup_parse_context_new(&parser, 0, doc, NULL);
	g_markup_parse_context_parse(context, data, len, &error);
	g_assert_no_error(error);
	g_markup_parse_context_end_parse(context, &error);
	g_assert_no_error(error);
	g_assert_true(g_str_has_prefix(data, "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>"));
	g_assert_nonnull(doc->name);
	return doc;
}

/* read logs (appended to @logs) up to the next response */
static TestDoc *
test_fh_response(TestModule *tm, GPtrArray *logs)
{
	for (;;) {
		g_autoptr(GBytes) bytes = test_in(tm);
		g_autoptr(TestDoc) doc = NULL;

		g_assert_nonnull(bytes);
		doc = test_doc_parse(bytes);
		if (g_strcmp0(doc->name, "response") == 0)
			return g_steal_pointer(&doc);
		g_assert_cmpstr(doc->name, ==, "log");
		if (logs != NULL)
			g_ptr_array_add(logs, g_strdup(g_hash_table_lookup(doc->attrs, "value")));
	}
}

static void
test_fh_drain_logs(TestModule *tm, GPtrArray *logs)
{
	for (;;) {
		g_autoptr(GBytes) bytes = test_in(tm);
		g_autoptr(TestDoc) doc = NULL;
		if (bytes == NULL)
			return;
		doc = test_doc_parse(bytes);
		g_assert_cmpstr(doc->name, ==, "log");
		if (logs != NULL)
			g_ptr_array_add(logs, g_strdup(g_hash_table_lookup(doc->attrs, "value")));
	}
}

static void
test_fh_send(TestModule *tm, const gchar *body)
{
	g_autofree gchar *doc = g_strdup_printf("<?xml version=\"1.0\" ?><data>%s</data>", body);
	test_out(tm, doc, strlen(doc));
}

/* send @body, check the response value, return it (and the logs) */
static TestDoc *
test_fh_expect(TestModule *tm, const gchar *body, const gchar *value, GPtrArray *logs)
{
	TestDoc *doc;

	test_fh_send(tm, body);
	doc = test_fh_response(tm, logs);
	g_assert_cmpstr(g_hash_table_lookup(doc->attrs, "value"), ==, value);
	return doc;
}

/* a NAK whose ERROR log contains @reason */
static void
test_fh_expect_nak(TestModule *tm, const gchar *body, const gchar *reason)
{
	g_autoptr(GPtrArray) logs = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(TestDoc) doc = test_fh_expect(tm, body, "NAK", logs);
	gboolean found = FALSE;

	for (guint i = 0; i < logs->len; i++) {
		const gchar *log = g_ptr_array_index(logs, i);
		if (g_str_has_prefix(log, "ERROR: ") && strstr(log, reason) != NULL)
			found = TRUE;
	}
	if (!found)
		g_error("no ERROR log containing \"%s\" for %s", reason, body);
}

static void
test_fh_expect_ack(TestModule *tm, const gchar *body)
{
	g_autoptr(TestDoc) doc = test_fh_expect(tm, body, "ACK", NULL);
	test_fh_drain_logs(tm, NULL);
}

static gboolean
test_logs_contain(GPtrArray *logs, const gchar *needle)
{
	for (guint i = 0; i < logs->len; i++) {
		if (strstr(g_ptr_array_index(logs, i), needle) != NULL)
			return TRUE;
	}
	return FALSE;
}

/* Sahara with the generated programmer, DONE, the start-up logs */
static void
test_to_firehose(TestModule *tm)
{
	g_autoptr(GBytes) programmer = test_file(tm->layout, TEST_PROGRAMMER);
	g_autoptr(GPtrArray) logs = g_ptr_array_new_with_free_func(g_free);
	guint32 fields[4] = {0};

	test_sahara_expect_hello(tm);
	test_sahara_hello_resp(tm, 0);
	g_assert_cmpuint(test_sahara_serve(tm, programmer, 0, NULL), ==, 0);
	test_sahara_send(tm, TEST_SAHARA_DONE, NULL, 0, 8);
	g_assert_cmpuint(test_sahara_read(tm, fields, 1), ==, TEST_SAHARA_DONE_RESP);
	g_assert_cmpuint(fields[0], ==, 0);
	g_assert_cmpint(ec25_edl_get_state(tm->edl), ==, EC25_EDL_STATE_FIREHOSE);
	test_fh_drain_logs(tm, logs);
	g_assert_true(test_logs_contain(logs, "INFO: Binary build date"));
	g_assert_true(test_logs_contain(logs, "INFO: Supported Functions (8):"));
	g_assert_true(test_logs_contain(logs, "INFO: getstorageinfo"));
	g_assert_true(test_logs_contain(logs, "INFO: read"));
	g_assert_true(test_logs_contain(logs, "INFO: End of supported functions 8"));
}

static void
test_configure(TestModule *tm, guint payload)
{
	g_autofree gchar *body = g_strdup_printf(
	    "<configure MemoryName=\"nand\" MaxPayloadSizeToTargetInBytes=\"%u\" Verbose=\"0\" "
	    "ZlpAwareHost=\"1\" AlwaysValidate=\"0\" MaxDigestTableSizeInBytes=\"2048\" "
	    "SkipStorageInit=\"0\" />",
	    payload);
	test_fh_expect_ack(tm, body);
}

static gchar *
test_nand_attrs(TestModule *tm, guint64 start, guint64 num)
{
	return g_strdup_printf("PAGES_PER_BLOCK=\"64\" SECTOR_SIZE_IN_BYTES=\"%u\" "
			       "num_partition_sectors=\"%" G_GUINT64_FORMAT "\" "
			       "physical_partition_number=\"0\" start_sector=\"%" G_GUINT64_FORMAT
			       "\"",
			       tm->layout->page_size,
			       num,
			       start);
}

static void
test_erase(TestModule *tm, guint64 start, guint64 num)
{
	g_autofree gchar *attrs = test_nand_attrs(tm, start, num);
	g_autofree gchar *body = g_strdup_printf("<erase %s />", attrs);
	test_fh_expect_ack(tm, body);
}

/* <program> @data padded with 0xFF to whole pages, in @chunk-byte transfers plus a ZLP after
 * each transfer that is a multiple of the packet size; returns the final response */
static TestDoc *
test_program(TestModule *tm,
	     const gchar *label,
	     guint64 start,
	     GBytes *data,
	     gsize chunk,
	     GPtrArray *logs)
{
	guint page = tm->layout->page_size;
	gsize len = g_bytes_get_size(data);
	guint64 sectors = (len + page - 1) / page;
	g_autofree guint8 *buf = g_malloc(sectors * page);
	g_autofree gchar *attrs = test_nand_attrs(tm, start, sectors);
	g_autofree gchar *body =
	    g_strdup_printf("<program %s filename=\"%s.bin\" label=\"%s\" />", attrs, label, label);
	g_autoptr(TestDoc) ack = NULL;

	memset(buf, 0xFF, sectors * page);
	memcpy(buf, g_bytes_get_data(data, NULL), len);
	ack = test_fh_expect(tm, body, "ACK", logs);
	g_assert_cmpstr(g_hash_table_lookup(ack->attrs, "rawmode"), ==, "true");
	for (gsize done = 0; done < sectors * page;) {
		gsize n = MIN(chunk, sectors * page - done);
		test_out(tm, buf + done, n);
		if (n % TEST_PACKET == 0)
			test_out(tm, NULL, 0);
		done += n;
	}
	return test_fh_response(tm, logs);
}

static GBytes *
test_pattern(gsize len, guint8 seed)
{
	guint8 *buf = g_malloc(len);
	for (gsize i = 0; i < len; i++)
		buf[i] = (guint8)(i * 7 + seed);
	return g_bytes_new_take(buf, len);
}

static void
test_program_ok(TestModule *tm, const gchar *label, guint64 start, GBytes *data)
{
	g_autoptr(TestDoc) doc = test_program(tm, label, start, data, TEST_PAYLOAD, NULL);
	g_assert_cmpstr(g_hash_table_lookup(doc->attrs, "value"), ==, "ACK");
	g_assert_cmpstr(g_hash_table_lookup(doc->attrs, "rawmode"), ==, "false");
	test_fh_drain_logs(tm, NULL);
}

/* --- Sahara tests -------------------------------------------------------------------------- */

static void
test_sahara_hello(void)
{
	g_autoptr(TestModule) tm = test_module_new(&test_ec25e, FALSE);
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GBytes) rest = NULL;
	const guint8 expected[TEST_HELLO_SIZE] = {0x01, 0, 0, 0, 0x30, 0,    0, 0, 0x02, 0, 0, 0,
						  0x01, 0, 0, 0, 0x00, 0x04, 0, 0, 0,	 0, 0, 0};

	test_module_enter_edl(tm, EC25_EDL_FAULT_NONE);
	g_assert_cmpint(ec25_edl_get_state(tm->edl), ==, EC25_EDL_STATE_SAHARA);
	g_assert_cmpuint(ec25_edl_get_pending_in(tm->edl), ==, 1);

	/* a short host read gets the first bytes, the next read the rest */
	bytes = ec25_edl_bulk_in(tm->edl, 16);
	rest = test_in(tm);
	g_assert_cmpuint(g_bytes_get_size(bytes), ==, 16);
	g_assert_cmpuint(g_bytes_get_size(rest), ==, TEST_HELLO_SIZE - 16);
	g_assert_cmpmem(g_bytes_get_data(bytes, NULL), 16, expected, 16);
	g_assert_cmpmem(g_bytes_get_data(rest, NULL),
			TEST_HELLO_SIZE - 16,
			expected + 16,
			TEST_HELLO_SIZE - 16);
	test_assert_no_in(tm);
	g_assert_null(ec25_edl_bulk_in(tm->edl, 0));
}

static void
test_sahara_load(void)
{
	g_autoptr(TestModule) tm = test_module_new(&test_ec25e, TRUE);
	g_autoptr(GBytes) programmer = test_file(&test_ec25e, TEST_PROGRAMMER);
	g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(JsonObject) summary = NULL;
	JsonObject *sahara;
	gsize load_len = g_bytes_get_size(programmer) - 0x2000;
	guint32 fields[4] = {0};

	test_module_enter_edl(tm, EC25_EDL_FAULT_NONE);
	test_sahara_expect_hello(tm);
	test_sahara_hello_resp(tm, 0);
	g_assert_cmpuint(test_sahara_serve(tm, programmer, 0, requests), ==, 0);

	/* ELF header, program headers, hash segment, then the LOAD segment in 4 KiB chunks */
	g_assert_cmpuint(requests->len, ==, 3 + (load_len + 0xFFF) / 0x1000);
	g_assert_cmpstr(g_ptr_array_index(requests, 0), ==, "0x0/0x34");
	g_assert_cmpstr(g_ptr_array_index(requests, 1), ==, "0x34/0x60");
	g_assert_cmpstr(g_ptr_array_index(requests, 2), ==, "0x1000/0x88");
	g_assert_cmpstr(g_ptr_array_index(requests, 3), ==, "0x2000/0x1000");
	g_assert_cmpstr(g_ptr_array_index(requests, 4), ==, "0x3000/0x1000");

	/* a stray ZLP is ignored; DONE_RESP is "pending", then the programmer talks */
	test_out(tm, NULL, 0);
	test_assert_no_in(tm);
	test_sahara_send(tm, TEST_SAHARA_DONE, NULL, 0, 8);
	g_assert_cmpuint(test_sahara_read(tm, fields, 1), ==, TEST_SAHARA_DONE_RESP);
	g_assert_cmpuint(fields[0], ==, 0);
	g_assert_cmpint(ec25_edl_get_state(tm->edl), ==, EC25_EDL_STATE_FIREHOSE);
	test_fh_drain_logs(tm, NULL);

	summary = test_summary(tm);
	g_assert_cmpstr(json_object_get_string_member(summary, "state"), ==, "firehose");
	sahara = json_object_get_object_member(summary, "sahara");
	g_assert_cmpint(json_object_get_int_member(sahara, "image_id"), ==, 13);
	g_assert_cmpint(json_object_get_int_member(sahara, "read_requests"), ==, requests->len);
	g_assert_cmpint(json_object_get_int_member(sahara, "bytes_served"),
			==,
			0x34 + 0x60 + 0x88 + load_len);
	g_assert_cmpint(json_object_get_int_member(sahara, "end_status"), ==, 0);
	g_assert_cmpint(json_object_get_int_member(sahara, "done_status"), ==, 0);
	g_assert_cmpint(json_object_get_int_member(summary, "zlps"), ==, 1);
}

/* fwupd 2.0.20 writes 512 bytes at a time: the device cannot tell */
static void
test_sahara_packets(void)
{
	g_autoptr(TestModule) tm = test_module_new(&test_ec25e, FALSE);
	g_autoptr(GBytes) programmer = test_file(&test_ec25e, TEST_PROGRAMMER);

	test_module_enter_edl(tm, EC25_EDL_FAULT_NONE);
	test_sahara_expect_hello(tm);
	test_sahara_hello_resp(tm, 0);
	g_assert_cmpuint(test_sahara_serve(tm, programmer, TEST_PACKET, NULL), ==, 0);
}

static void
test_sahara_hello_consumed(void)
{
	g_autoptr(TestModule) tm = test_module_new(&test_ec25e, FALSE);
	g_autoptr(GBytes) programmer = test_file(&test_ec25e, TEST_PROGRAMMER);
	const guint8 poke = 0x00;
	guint32 fields[4] = {0};
	guint32 reset_fields[1] = {0};

	test_module_enter_edl(tm, EC25_EDL_FAULT_HELLO_CONSUMED);
	test_assert_no_in(tm);

	/* QFirehose's poke, edl's <nop/>, a RESET: no answer */
	test_out(tm, &poke, 1);
	test_assert_no_in(tm);
	test_fh_send(tm, "<nop />");
	test_assert_no_in(tm);
	test_sahara_send(tm, TEST_SAHARA_RESET, reset_fields, 0, 8);
	test_assert_no_in(tm);

	/* qdl's unsolicited HELLO_RESP works */
	test_sahara_hello_resp(tm, 0);
	g_assert_cmpuint(test_sahara_read(tm, fields, 3), ==, TEST_SAHARA_READ_DATA);
	g_assert_cmpuint(fields[1], ==, 0);
	g_assert_cmpuint(fields[2], ==, 0x34);
	test_out(tm, g_bytes_get_data(programmer, NULL), 0x34);
	g_assert_cmpuint(test_sahara_read(tm, fields, 3), ==, TEST_SAHARA_READ_DATA);
	g_assert_cmpuint(fields[1], ==, 0x34);
}

static guint32
test_sahara_load_image(GBytes *image, Ec25EdlFault fault)
{
	g_autoptr(TestModule) tm = test_module_new(&test_ec25e, FALSE);
	guint32 status;
	guint32 fields[4] = {0};

	test_module_enter_edl(tm, fault);
	test_sahara_expect_hello(tm);
	test_sahara_hello_resp(tm, 0);
	status = test_sahara_serve(tm, image, 0, NULL);
	if (status != 0) {
		/* after a failure DONE is ignored, RESET works */
		test_sahara_send(tm, TEST_SAHARA_DONE, NULL, 0, 8);
		test_assert_no_in(tm);
		test_sahara_send(tm, TEST_SAHARA_RESET, NULL, 0, 8);
		g_assert_cmpuint(test_sahara_read(tm, fields, 0), ==, TEST_SAHARA_RESET_RESP);
		g_assert_cmpint(ec25_edl_get_state(tm->edl), ==, EC25_EDL_STATE_RESET);
		g_assert_cmpuint(ec25_edl_get_pending_in(tm->edl), ==, 0);
	}
	return status;
}

static GBytes *
test_bytes_patch(GBytes *bytes, gsize offset, guint8 value)
{
	gsize len = g_bytes_get_size(bytes);
	guint8 *copy = g_memdup2(g_bytes_get_data(bytes, NULL), len);

	g_assert_cmpuint(offset, <, len);
	copy[offset] = value;
	return g_bytes_new_take(copy, len);
}

static void
test_sahara_bad_images(void)
{
	g_autoptr(GBytes) programmer = test_file(&test_ec25e, TEST_PROGRAMMER);
	g_autoptr(GBytes) enprg = test_file(&test_ec25e, "update/ENPRG9x07.mbn");
	g_autoptr(GBytes) nprg = test_file(&test_ec25e, "update/NPRG9x07.mbn");
	g_autoptr(GBytes) bad_magic = test_bytes_patch(programmer, 1, 'X');
	g_autoptr(GBytes) bad_phentsize = test_bytes_patch(programmer, 42, 40);
	g_autoptr(GBytes) bad_phnum = test_bytes_patch(programmer, 44, 0);
	g_autoptr(GBytes) no_hash = test_bytes_patch(programmer, 0x34 + 32 + 27, 0x00);
	g_autoptr(GBytes) bad_load = test_bytes_patch(programmer, 0x2000 + 0x100, 0x55);

	g_assert_cmpuint(test_sahara_load_image(programmer, EC25_EDL_FAULT_NONE), ==, 0x00);
	g_assert_cmpuint(test_sahara_load_image(bad_magic, EC25_EDL_FAULT_NONE), ==, 0x14);
	g_assert_cmpuint(test_sahara_load_image(bad_phentsize, EC25_EDL_FAULT_NONE), ==, 0x0F);
	g_assert_cmpuint(test_sahara_load_image(bad_phnum, EC25_EDL_FAULT_NONE), ==, 0x0E);
	g_assert_cmpuint(test_sahara_load_image(no_hash, EC25_EDL_FAULT_NONE), ==, 0x22);
	g_assert_cmpuint(test_sahara_load_image(bad_load, EC25_EDL_FAULT_NONE), ==, 0x21);
	/* another (valid) IMEM image is not the programmer; NPRG runs from DDR */
	g_assert_cmpuint(test_sahara_load_image(enprg, EC25_EDL_FAULT_NONE), ==, 0x24);
	g_assert_cmpuint(test_sahara_load_image(nprg, EC25_EDL_FAULT_NONE), ==, 0x12);
	g_assert_cmpuint(test_sahara_load_image(programmer, EC25_EDL_FAULT_END_OF_IMAGE), ==, 0x0D);
}

static void
test_sahara_bad_host(void)
{
	const struct {
		guint32 mode;
		guint size;
		guint32 status;
		guint32 expected;
	} cases[] = {
	    {2, TEST_HELLO_SIZE, 0, 0x17}, /* memory debug */
	    {0, 0x2C, 0, 0x05},		   /* short HELLO_RESP */
	    {0, TEST_HELLO_SIZE, 1, 0x04}, /* host status */
	};
	g_autoptr(GBytes) programmer = test_file(&test_ec25e, TEST_PROGRAMMER);

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(TestModule) tm = test_module_new(&test_ec25e, FALSE);
		guint32 fields[4] = {2, 1, cases[i].status, cases[i].mode};
		test_module_enter_edl(tm, EC25_EDL_FAULT_NONE);
		test_sahara_expect_hello(tm);
		test_sahara_send(tm, TEST_SAHARA_HELLO_RESP, fields, 4, cases[i].size);
		g_assert_cmpuint(test_sahara_read(tm, fields, 2), ==, TEST_SAHARA_END);
		g_assert_cmpuint(fields[1], ==, cases[i].expected);
	}

	/* data of the wrong length: one byte short, one byte long */
	for (guint i = 0; i < 2; i++) {
		g_autoptr(TestModule) tm = test_module_new(&test_ec25e, FALSE);
		guint32 fields[4] = {0};
		test_module_enter_edl(tm, EC25_EDL_FAULT_NONE);
		test_sahara_expect_hello(tm);
		test_sahara_hello_resp(tm, 0);
		g_assert_cmpuint(test_sahara_read(tm, fields, 3), ==, TEST_SAHARA_READ_DATA);
		test_out(tm, g_bytes_get_data(programmer, NULL), i == 0 ? 0x33 : 0x35);
		g_assert_cmpuint(test_sahara_read(tm, fields, 2), ==, TEST_SAHARA_END);
		g_assert_cmpuint(fields[1], ==, 0x0B);
	}
}

/* --- Firehose tests ------------------------------------------------------------------------ */

static void
test_firehose_configure(void)
{
	g_autoptr(TestModule) tm = test_module_new(&test_ec25e, TRUE);
	g_autoptr(TestDoc) ack = NULL;
	g_autoptr(TestDoc) nak = NULL;
	g_autoptr(JsonObject) summary = NULL;
	JsonObject *configure;

	test_module_enter_edl(tm, EC25_EDL_FAULT_NONE);
	test_to_firehose(tm);

	/* fwupd 2.0.20 asks for 1 MiB: NAK carrying what the target takes */
	nak = test_fh_expect(
	    tm,
	    "<configure MemoryName=\"nand\" MaxPayloadSizeToTargetInBytes=\"1048576\" "
	    "ZlpAwareHost=\"1\" />",
	    "NAK",
	    NULL);
	g_assert_cmpstr(g_hash_table_lookup(nak->attrs, "MaxPayloadSizeToTargetInBytes"),
			==,
			"8192");
	g_assert_cmpstr(g_hash_table_lookup(nak->attrs, "MaxPayloadSizeToTargetInBytesSupported"),
			==,
			"8192");
	ack =
	    test_fh_expect(tm,
			   "<configure MemoryName=\"NAND\" MaxPayloadSizeToTargetInBytes=\"8192\" "
			   "ZlpAwareHost=\"0\" />",
			   "ACK",
			   NULL);
	g_assert_cmpstr(g_hash_table_lookup(ack->attrs, "MaxPayloadSizeToTargetInBytes"),
			==,
			"8192");
	g_assert_cmpstr(g_hash_table_lookup(ack->attrs, "MaxPayloadSizeToTargetInBytesSupported"),
			==,
			"8192");
	g_assert_cmpstr(g_hash_table_lookup(ack->attrs, "MaxXMLSizeInBytes"), ==, "4096");
	g_assert_cmpstr(g_hash_table_lookup(ack->attrs, "MemoryName"), ==, "NAND");
	test_fh_expect_nak(tm, "<configure MemoryName=\"emmc\" />", "MemoryName emmc");
	test_fh_expect_nak(tm, "<configure MaxPayloadSizeToTargetInBytes=\"0\" />", "is 0");
	test_fh_expect_nak(tm, "<configure MaxPayloadSizeToTargetInBytes=\"8k\" />", "invalid");

	summary = test_summary(tm);
	configure = json_object_get_object_member(summary, "configure");
	g_assert_true(json_object_get_boolean_member(configure, "configured"));
	g_assert_cmpint(json_object_get_int_member(configure, "payload"), ==, 8192);
	g_assert_cmpint(json_object_get_int_member(configure, "target_payload"), ==, 8192);
	g_assert_false(json_object_get_boolean_member(configure, "zlp_aware"));
	g_assert_cmpint(json_object_get_int_member(summary, "naks"), ==, 4);
}

static void
test_firehose_configure_small(void)
{
	g_autoptr(TestModule) tm = test_module_new(&test_ec25e, FALSE);
	g_autoptr(TestDoc) nak = NULL;
	g_autoptr(TestDoc) ack = NULL;
	g_autoptr(GPtrArray) logs = g_ptr_array_new_with_free_func(g_free);

	test_module_enter_edl(tm, EC25_EDL_FAULT_CONFIGURE_SMALL);
	test_to_firehose(tm);
	nak = test_fh_expect(
	    tm,
	    "<configure MemoryName=\"nand\" MaxPayloadSizeToTargetInBytes=\"8192\" />",
	    "NAK",
	    logs);
	g_assert_true(test_logs_contain(logs, "ERROR: Host's payload to target size is too large"));
	g_assert_cmpstr(g_hash_table_lookup(nak->attrs, "MaxPayloadSizeToTargetInBytes"),
			==,
			"4096");
	ack = test_fh_expect(
	    tm,
	    "<configure MemoryName=\"nand\" MaxPayloadSizeToTargetInBytes=\"4096\" />",
	    "ACK",
	    NULL);
	g_assert_cmpstr(g_hash_table_lookup(ack->attrs, "MaxPayloadSizeToTargetInBytes"),
			==,
			"4096");
}

static void
test_firehose_storage_info_layout(const TestLayout *layout)
{
	g_autoptr(TestModule) tm = test_module_new(layout, FALSE);
	g_autoptr(GPtrArray) logs = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(TestDoc) ack = NULL;
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error = NULL;
	const gchar *log;
	JsonObject *info;

	test_module_enter_edl(tm, EC25_EDL_FAULT_NONE);
	test_to_firehose(tm);
	test_fh_expect_nak(tm, "<getstorageinfo physical_partition_number=\"0\" />", "configure");
	test_configure(tm, TEST_PAYLOAD);
	ack = test_fh_expect(tm, "<getstorageinfo physical_partition_number=\"0\" />", "ACK", logs);
	g_assert_cmpuint(logs->len, ==, 1);
	log = g_ptr_array_index(logs, 0);
	g_assert_true(g_str_has_prefix(log, "INFO: {\"storage_info\": "));
	json_parser_load_from_data(parser, log + strlen("INFO: "), -1, &error);
	g_assert_no_error(error);
	info = json_object_get_object_member(json_node_get_object(json_parser_get_root(parser)),
					     "storage_info");
	g_assert_cmpint(json_object_get_int_member(info, "total_blocks"), ==, 2048);
	g_assert_cmpint(json_object_get_int_member(info, "page_size"), ==, layout->page_size);
	g_assert_cmpint(json_object_get_int_member(info, "pages_per_block"), ==, 64);
	g_assert_cmpint(json_object_get_int_member(info, "block_size"), ==, layout->page_size * 64);
	g_assert_cmpint(json_object_get_int_member(info, "num_physical"), ==, 1);
	g_assert_cmpstr(json_object_get_string_member(info, "mem_type"), ==, "NAND");
}

static void
test_firehose_storage_info(void)
{
	test_firehose_storage_info_layout(&test_ec25e);
	test_firehose_storage_info_layout(&test_eg25g);
}

static void
test_firehose_commands(void)
{
	g_autoptr(TestModule) tm = test_module_new(&test_ec25e, TRUE);
	g_autoptr(GPtrArray) logs = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(TestDoc) ack = NULL;
	g_autoptr(TestDoc) nak1 = NULL;
	g_autoptr(TestDoc) nak2 = NULL;
	g_autofree gchar *big = NULL;
	g_autoptr(JsonObject) summary = NULL;
	JsonArray *patches;

	test_module_enter_edl(tm, EC25_EDL_FAULT_NONE);
	test_to_firehose(tm);
	test_fh_expect_nak(tm,
			   "<erase PAGES_PER_BLOCK=\"64\" SECTOR_SIZE_IN_BYTES=\"4096\" "
			   "num_partition_sectors=\"640\" start_sector=\"0\" />",
			   "send <configure> first");
	ack = test_fh_expect(tm, "<nop />", "ACK", logs);
	g_assert_true(test_logs_contain(logs, "INFO: Supported Functions (8):"));
	test_configure(tm, TEST_PAYLOAD);

	/* <read>: rawmode, the pages as the flash holds them (the factory MIBIB at page 640),
	 * one transfer a page, then the end of raw mode; out of the flash or too long: a NAK */
	{
		g_autoptr(TestDoc) rsp_raw = NULL;
		g_autoptr(TestDoc) rsp_done = NULL;
		g_autoptr(GBytes) page0 = NULL;
		g_autoptr(GBytes) page1 = NULL;
		guint32 magic = 0;

		rsp_raw = test_fh_expect(
		    tm,
		    "<read SECTOR_SIZE_IN_BYTES=\"4096\" num_partition_sectors=\"2\" "
		    "physical_partition_number=\"0\" start_sector=\"640\" />",
		    "ACK",
		    logs);
		g_assert_cmpstr(g_hash_table_lookup(rsp_raw->attrs, "rawmode"), ==, "true");
		page0 = test_in(tm);
		page1 = test_in(tm);
		g_assert_nonnull(page0);
		g_assert_nonnull(page1);
		g_assert_cmpuint(g_bytes_get_size(page0), ==, 4096);
		g_assert_cmpuint(g_bytes_get_size(page1), ==, 4096);
		memcpy(&magic, g_bytes_get_data(page0, NULL), sizeof(magic));
		g_assert_cmpuint(GUINT32_FROM_LE(magic), !=, 0xFFFFFFFF);
		rsp_done = test_fh_response(tm, logs);
		g_assert_cmpstr(g_hash_table_lookup(rsp_done->attrs, "value"), ==, "ACK");
		g_assert_cmpstr(g_hash_table_lookup(rsp_done->attrs, "rawmode"), ==, "false");
		test_fh_expect_nak(
		    tm,
		    "<read SECTOR_SIZE_IN_BYTES=\"4096\" num_partition_sectors=\"2\" "
		    "physical_partition_number=\"0\" start_sector=\"131071\" />",
		    "outside the flash");
		test_fh_expect_nak(
		    tm,
		    "<read SECTOR_SIZE_IN_BYTES=\"4096\" num_partition_sectors=\"257\" "
		    "physical_partition_number=\"0\" start_sector=\"0\" />",
		    "is more than 256");
		test_fh_expect_nak(
		    tm,
		    "<read SECTOR_SIZE_IN_BYTES=\"2048\" num_partition_sectors=\"1\" "
		    "physical_partition_number=\"0\" start_sector=\"0\" />",
		    "SECTOR_SIZE_IN_BYTES");
	}

	/* what the programmer refuses */
	test_fh_expect_nak(tm, "<setbootablestoragedrive value=\"0\" />", "not supported on NAND");
	test_fh_expect_nak(tm, "<frobnicate value=\"1\" />", "unknown command <frobnicate>");
	test_fh_expect_nak(tm, "<nop><nop /></nop><nop />", "more than one command");
	test_fh_expect_nak(tm, "<power value=\"off\" />", "power value=\"off\"");
	test_out(tm, "<data><nop/>", 12);
	nak1 = test_fh_response(tm, logs);
	g_assert_cmpstr(g_hash_table_lookup(nak1->attrs, "value"), ==, "NAK");
	test_out(tm, "\xff\xfe garbage", 10);
	nak2 = test_fh_response(tm, logs);
	g_assert_cmpstr(g_hash_table_lookup(nak2->attrs, "value"), ==, "NAK");
	g_assert_true(test_logs_contain(logs, "ERROR: XML parse error"));
	test_fh_expect_nak(tm, "", "no command");
	big = g_strnfill(5000, ' ');
	test_fh_expect_nak(tm, big, "MaxXMLSizeInBytes");

	/* erase and program arguments */
	test_fh_expect_nak(tm,
			   "<erase PAGES_PER_BLOCK=\"64\" SECTOR_SIZE_IN_BYTES=\"4096\" "
			   "num_partition_sectors=\"64\" start_sector=\"32\" />",
			   "not aligned");
	test_fh_expect_nak(tm,
			   "<erase PAGES_PER_BLOCK=\"64\" SECTOR_SIZE_IN_BYTES=\"4096\" "
			   "num_partition_sectors=\"128\" start_sector=\"131008\" />",
			   "outside the flash");
	test_fh_expect_nak(tm,
			   "<erase PAGES_PER_BLOCK=\"64\" SECTOR_SIZE_IN_BYTES=\"4096\" "
			   "num_partition_sectors=\"64\" start_sector=\"18446744073709551615\" />",
			   "outside the flash");
	test_fh_expect_nak(tm,
			   "<erase PAGES_PER_BLOCK=\"64\" SECTOR_SIZE_IN_BYTES=\"2048\" "
			   "num_partition_sectors=\"64\" start_sector=\"0\" />",
			   "SECTOR_SIZE_IN_BYTES=2048");
	test_fh_expect_nak(tm,
			   "<erase PAGES_PER_BLOCK=\"128\" SECTOR_SIZE_IN_BYTES=\"4096\" "
			   "num_partition_sectors=\"128\" start_sector=\"0\" />",
			   "PAGES_PER_BLOCK=128");
	test_fh_expect_nak(tm,
			   "<erase PAGES_PER_BLOCK=\"64\" SECTOR_SIZE_IN_BYTES=\"4096\" "
			   "start_sector=\"0\" />",
			   "needs num_partition_sectors");
	test_fh_expect_nak(tm,
			   "<program SECTOR_SIZE_IN_BYTES=\"4096\" num_partition_sectors=\"1\" "
			   "physical_partition_number=\"1\" start_sector=\"0\" />",
			   "physical_partition_number=1");
	test_fh_expect_nak(tm,
			   "<program SECTOR_SIZE_IN_BYTES=\"4096\" num_partition_sectors=\"0\" "
			   "start_sector=\"0\" />",
			   "num_partition_sectors is 0");

	/* accepted as they are */
	test_fh_expect_ack(tm,
			   "<patch SECTOR_SIZE_IN_BYTES=\"4096\" byte_offset=\"12\" "
			   "filename=\"DISK\" physical_partition_number=\"0\" size_in_bytes=\"4\" "
			   "start_sector=\"3\" value=\"CRC32(0,8192)\" />");
	test_fh_expect_ack(
	    tm,
	    "<ERASE PAGES_PER_BLOCK=\"64\" SECTOR_SIZE_IN_BYTES=\"4096\" "
	    "a_rawdata_start_sector=\"8192\" b_rawdata_num_sector=\"768\" "
	    "c_project_name=\"EC25EFA\" d_project_type=\"STD\" vendor=\"quectel\" />");

	summary = test_summary(tm);
	patches = json_object_get_array_member(summary, "patches");
	g_assert_cmpuint(json_array_get_length(patches), ==, 1);
	g_assert_cmpstr(
	    json_object_get_string_member(json_array_get_object_element(patches, 0), "value"),
	    ==,
	    "CRC32(0,8192)");
	g_assert_cmpuint(
	    json_array_get_length(json_object_get_array_member(summary, "vendor_lines")),
	    ==,
	    1);
	g_assert_cmpuint(json_array_get_length(json_object_get_array_member(summary, "erases")),
			 ==,
			 0);
	g_assert_true(json_object_get_boolean_member(summary, "factory"));
	g_assert_cmpint(json_object_get_int_member(summary, "naks"), ==, 20);
}

static void
test_firehose_program_errors(void)
{
	g_autoptr(TestModule) tm = test_module_new(&test_eg25g, TRUE);
	g_autoptr(GBytes) data = test_pattern(4 * 2048, 1);
	g_autoptr(GBytes) big = test_pattern(TEST_PAYLOAD + 2048, 2);
	g_autoptr(GPtrArray) logs = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(TestDoc) nak = NULL;
	g_autoptr(TestDoc) nak2 = NULL;
	g_autoptr(JsonObject) summary = NULL;
	JsonArray *programs;

	test_module_enter_edl(tm, EC25_EDL_FAULT_NONE);
	test_to_firehose(tm);
	test_configure(tm, TEST_PAYLOAD);

	/* misc (never erased): every page is "factory" data */
	nak = test_program(tm, "misc", 51648, data, TEST_PAYLOAD, logs);
	g_assert_cmpstr(g_hash_table_lookup(nak->attrs, "value"), ==, "NAK");
	g_assert_cmpstr(g_hash_table_lookup(nak->attrs, "rawmode"), ==, "false");
	g_assert_true(test_logs_contain(logs, "ERROR: page not erased: sector 51648"));

	/* a transfer larger than the payload aborts the program; commands work again */
	test_erase(tm, 51648, 320);
	nak2 = test_program(tm, "misc", 51648, big, TEST_PAYLOAD + TEST_PACKET, logs);
	g_assert_cmpstr(g_hash_table_lookup(nak2->attrs, "value"), ==, "NAK");
	g_assert_true(test_logs_contain(logs, "exceeds MaxPayloadSizeToTargetInBytes"));
	/* the rest of the data was read as a command */
	while (ec25_edl_get_pending_in(tm->edl) > 0)
		g_bytes_unref(test_in(tm));
	test_fh_expect_ack(tm, "<nop />");

	/* programmed pages cannot be programmed again, erased ones can */
	test_program_ok(tm, "misc", 51648 + 64, data);
	g_ptr_array_set_size(logs, 0);
	g_clear_pointer(&nak, test_doc_free);
	nak = test_program(tm, "misc", 51648 + 64, data, 2048, logs);
	g_assert_cmpstr(g_hash_table_lookup(nak->attrs, "value"), ==, "NAK");
	g_assert_true(test_logs_contain(logs, "page not erased"));

	summary = test_summary(tm);
	programs = json_object_get_array_member(summary, "programs");
	g_assert_cmpuint(json_array_get_length(programs), ==, 4);
	g_assert_cmpstr(
	    json_object_get_string_member(json_array_get_object_element(programs, 0), "status"),
	    ==,
	    "not-erased");
	g_assert_cmpstr(
	    json_object_get_string_member(json_array_get_object_element(programs, 1), "status"),
	    ==,
	    "aborted");
	g_assert_cmpstr(
	    json_object_get_string_member(json_array_get_object_element(programs, 2), "status"),
	    ==,
	    "ok");
	g_assert_cmpint(json_object_get_int_member(summary, "bytes_received"), ==, 3 * 4 * 2048);
}

static void
test_firehose_stall(void)
{
	g_autoptr(TestModule) tm = test_module_new(&test_ec25e, TRUE);
	g_autoptr(GBytes) data = test_pattern(3 * 4096, 3);
	g_autofree gchar *attrs = NULL;
	g_autofree gchar *body = NULL;
	g_autoptr(TestDoc) ack = NULL;
	g_autoptr(JsonObject) summary = NULL;
	JsonArray *programs;

	test_module_enter_edl(tm, EC25_EDL_FAULT_STALL_PROGRAM);
	test_to_firehose(tm);
	test_configure(tm, TEST_PAYLOAD);
	test_erase(tm, 9984, 2304);
	test_program_ok(tm, "boot", 9984, data);

	attrs = test_nand_attrs(tm, 12288, 3);
	body =
	    g_strdup_printf("<program %s filename=\"recovery.bin\" label=\"recovery\" />", attrs);
	ack = test_fh_expect(tm, body, "ACK", NULL);
	test_out(tm, g_bytes_get_data(data, NULL), TEST_PAYLOAD);
	test_out(tm, NULL, 0);
	test_out(tm, (const guint8 *)g_bytes_get_data(data, NULL) + TEST_PAYLOAD, 4096);
	test_assert_no_in(tm);
	g_assert_cmpint(ec25_edl_get_state(tm->edl), ==, EC25_EDL_STATE_DEAD);
	test_fh_send(tm, "<nop />");
	test_assert_no_in(tm);

	summary = test_summary(tm);
	g_assert_cmpstr(json_object_get_string_member(summary, "state"), ==, "dead");
	programs = json_object_get_array_member(summary, "programs");
	g_assert_cmpstr(
	    json_object_get_string_member(json_array_get_object_element(programs, 1), "status"),
	    ==,
	    "stalled");
}

/* --- NAND, boot, sessions ------------------------------------------------------------------ */

/* EFS2 holds the factory calibration; the MIBIB is the generator's */
static void
test_check_nand(TestModule *tm)
{
	g_autofree gchar *img = g_build_filename(tm->state_dir, "nand.img", NULL);
	g_autofree gchar *mibib_rel =
	    g_strdup_printf("update/firehose/partition_complete_%s.mbn", tm->layout->geo);
	g_autoptr(GBytes) mibib = test_file(tm->layout, mibib_rel);
	g_autofree guint8 *buf = g_malloc(g_bytes_get_size(mibib));
	g_autofree gchar *pattern = g_strdup_printf("CALIBRATION-%s-CALIBRATION-", TEST_IMEI);
	guint64 block = (guint64)tm->layout->page_size * 64;
	FILE *f = fopen(img, "rb");

	g_assert_nonnull(f);
	g_assert_cmpint(fseek(f, 10 * block, SEEK_SET), ==, 0);
	g_assert_cmpuint(fread(buf, 1, g_bytes_get_size(mibib), f), ==, g_bytes_get_size(mibib));
	g_assert_cmpmem(buf,
			g_bytes_get_size(mibib),
			g_bytes_get_data(mibib, NULL),
			g_bytes_get_size(mibib));
	g_assert_cmpint(fseek(f, tm->layout->efs2_start * block, SEEK_SET), ==, 0);
	g_assert_cmpuint(fread(buf, 1, strlen(pattern), f), ==, strlen(pattern));
	g_assert_cmpmem(buf, strlen(pattern), pattern, strlen(pattern));
	fclose(f);
}

static void
test_nand_factory(void)
{
	g_autoptr(TestModule) tm = test_module_new(&test_eg25g, TRUE);
	g_autofree gchar *ini_fn = g_build_filename(tm->state_dir, "nand.ini", NULL);
	g_autoptr(GKeyFile) ini = g_key_file_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) summary = NULL;
	g_autofree gchar *revision = g_strdup(tm->module->revision);
	g_autofree gchar *full_revision =
	    g_strdup_printf("%s_%s", tm->module->revision, tm->module->subversion);

	/* a module that never saw EDL boots its configured revision */
	g_assert_true(ec25_edl_boot_nand(tm->module, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(tm->module->revision, ==, revision);
	g_key_file_load_from_file(ini, ini_fn, G_KEY_FILE_NONE, &error);
	g_assert_no_error(error);
	g_assert_true(g_key_file_get_boolean(ini, "nand", "factory", NULL));
	g_assert_cmpint(g_key_file_get_integer(ini, "nand", "page_size", NULL), ==, 2048);
	test_check_nand(tm);

	test_module_enter_edl(tm, EC25_EDL_FAULT_NONE);
	summary = test_summary(tm);
	g_assert_true(json_object_get_boolean_member(summary, "factory"));
	g_assert_true(json_object_get_boolean_member(summary, "bootable"));
	g_assert_cmpstr(json_object_get_string_member(summary, "revision"), ==, full_revision);
	g_assert_cmpint(
	    json_object_get_int_member(json_object_get_object_member(summary, "geometry"),
				       "page_size"),
	    ==,
	    2048);

	/* another model cannot use this state folder */
	g_clear_pointer(&tm->edl, ec25_edl_free);
	g_free(tm->module->model);
	tm->module->model = g_strdup("EC25");
	g_assert_null(ec25_edl_new(tm->module, EC25_EDL_FAULT_NONE, &error));
	g_assert_nonnull(error);
}

static void
test_nand_boot_failure(void)
{
	g_autoptr(TestModule) tm = test_module_new(&test_ec25e, TRUE);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) summary = NULL;
	g_autoptr(JsonObject) summary2 = NULL;
	g_autoptr(GBytes) sbl = test_file(&test_ec25e, "update/sbl1.mbn");
	g_autofree gchar *revision = g_strdup(tm->module->revision);
	JsonArray *previous;

	test_module_enter_edl(tm, EC25_EDL_FAULT_NONE);
	test_to_firehose(tm);
	test_configure(tm, TEST_PAYLOAD);
	test_erase(tm, 0, 640);
	summary = test_summary(tm);
	g_assert_false(json_object_get_boolean_member(summary, "bootable"));
	g_assert_nonnull(strstr(json_object_get_string_member(summary, "boot_error"), "SBL"));
	g_assert_false(ec25_edl_boot_nand(tm->module, &error));
	g_assert_nonnull(strstr(error->message, "SBL"));
	g_clear_error(&error);

	/* a valid SBL alone is not enough: TZ (and the rest) are "factory" zeros */
	test_program_ok(tm, "sbl", 0, sbl);
	g_assert_false(ec25_edl_boot_nand(tm->module, &error));
	g_assert_nonnull(strstr(error->message, "0:TZ"));
	g_assert_cmpstr(tm->module->revision, ==, revision);

	/* the module comes back in EDL: a new session, the old one is kept */
	test_module_enter_edl(tm, EC25_EDL_FAULT_NONE);
	summary2 = test_summary(tm);
	previous = json_object_get_array_member(summary2, "previous_sessions");
	g_assert_cmpuint(json_array_get_length(previous), ==, 1);
	g_assert_cmpuint(
	    json_array_get_length(
		json_object_get_array_member(json_array_get_object_element(previous, 0), "erases")),
	    ==,
	    1);
	g_assert_cmpuint(json_array_get_length(json_object_get_array_member(summary2, "erases")),
			 ==,
			 0);
}

static void
test_memory_only(void)
{
	g_autoptr(TestModule) tm = test_module_new(&test_ec25e, FALSE);
	g_autoptr(GBytes) data = test_pattern(5 * 4096 + 100, 4);
	g_autoptr(GError) error = NULL;

	test_module_enter_edl(tm, EC25_EDL_FAULT_NONE);
	test_to_firehose(tm);
	test_configure(tm, TEST_PAYLOAD);
	test_erase(tm, 9984, 2304);
	test_program_ok(tm, "boot", 9984, data);
	g_assert_true(ec25_edl_save_summary(tm->edl, &error));
	g_assert_no_error(error);
	test_fh_expect_ack(tm, "<power value=\"reset\" />");
	g_assert_true(ec25_edl_boot_nand(tm->module, &error));
	g_assert_no_error(error);
}

/* --- timing -------------------------------------------------------------------------------- */

static void
test_timing(void)
{
	g_autoptr(TestModule) tm = test_module_new(&test_ec25e, FALSE);
	g_autoptr(GBytes) data = test_pattern(64 * 4096, 5);
	g_autofree gchar *attrs = NULL;
	g_autofree gchar *body = NULL;
	g_autoptr(TestDoc) ack = NULL;
	g_autoptr(TestDoc) done = NULL;
	guint64 total_ms = 0;
	gsize len = g_bytes_get_size(data);

	test_module_enter_edl(tm, EC25_EDL_FAULT_NONE);
	test_to_firehose(tm);
	g_assert_cmpuint(ec25_edl_get_busy_ms(tm->edl), ==, 0);
	test_configure(tm, TEST_PAYLOAD);
	test_erase(tm, 9984, 64);

	/* 400 Mbit/s on the link, 32 Mbit/s into the NAND: 256 KiB take 5.2 + 65.5 ms */
	tm->module->link_mbps = 400;
	tm->module->nand_mbps = 32;
	attrs = test_nand_attrs(tm, 9984, 64);
	body = g_strdup_printf("<program %s filename=\"x\" label=\"boot\" />", attrs);
	ack = test_fh_expect(tm, body, "ACK", NULL);
	for (gsize done_len = 0; done_len < len; done_len += TEST_PAYLOAD) {
		test_out(tm, (const guint8 *)g_bytes_get_data(data, NULL) + done_len, TEST_PAYLOAD);
		total_ms += ec25_edl_get_busy_ms(tm->edl);
		test_out(tm, NULL, 0);
		total_ms += ec25_edl_get_busy_ms(tm->edl);
	}
	done = test_fh_response(tm, NULL);
	g_assert_cmpstr(g_hash_table_lookup(done->attrs, "value"), ==, "ACK");
	g_assert_cmpuint(total_ms, >=, 70);
	g_assert_cmpuint(total_ms, <=, 71);

	/* erasing 36 blocks takes 72 ms */
	test_fh_drain_logs(tm, NULL);
	tm->module->link_mbps = 0;
	test_erase(tm, 12288, 2304);
	g_assert_cmpuint(ec25_edl_get_busy_ms(tm->edl), ==, 72);
}

/* --- robustness ---------------------------------------------------------------------------- */

static void
test_fuzz_round(TestModule *tm, GRand *rand)
{
	guint8 buf[9000];
	gsize len;
	guint kind = g_rand_int_range(rand, 0, 5);

	if (kind == 0) {
		len = 0;
	} else if (kind == 1) {
		/* a Sahara-looking header */
		len = g_rand_int_range(rand, 8, 64);
		for (gsize i = 0; i < len; i++)
			buf[i] = g_rand_int_range(rand, 0, 256);
		buf[0] = g_rand_int_range(rand, 0, 0x15);
		memset(buf + 1, 0, 3);
		buf[4] = len;
		memset(buf + 5, 0, 3);
	} else if (kind == 2) {
		const gchar *docs[] = {
		    "<?xml version=\"1.0\" ?><data><program SECTOR_SIZE_IN_BYTES=\"4096\" "
		    "num_partition_sectors=\"3\" start_sector=\"9984\" /></data>",
		    "<?xml version=\"1.0\" ?><data><erase PAGES_PER_BLOCK=\"64\" "
		    "SECTOR_SIZE_IN_BYTES=\"4096\" num_partition_sectors=\"64\" "
		    "start_sector=\"9984\" /></data>",
		    "<?xml version=\"1.0\" ?><data><configure "
		    "MaxPayloadSizeToTargetInBytes=\"4096\" "
		    "/></data>",
		    "<?xml version=\"1.0\" ?><data><getstorageinfo /></data>",
		    "<data><program/></data>",
		    "<data><erase vendor=\"x\"/></data>",
		    "<data><power value=\"reset\" DelayInSeconds=\"x\"/></data>",
		};
		const gchar *doc = docs[g_rand_int_range(rand, 0, G_N_ELEMENTS(docs))];
		len = strlen(doc);
		memcpy(buf, doc, len);
	} else {
		len = g_rand_int_range(rand, 1, sizeof(buf));
		for (gsize i = 0; i < len; i++)
			buf[i] = g_rand_int_range(rand, 0, 256);
	}
	test_out(tm, buf, len);
	for (guint i = 0; i < 3; i++) {
		g_autoptr(GBytes) bytes =
		    ec25_edl_bulk_in(tm->edl, g_rand_int_range(rand, 1, 5000));
	}
}

static void
test_fuzz(void)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(9607);

	for (guint phase = 0; phase < 3; phase++) {
		g_autoptr(TestModule) tm = test_module_new(&test_ec25e, phase == 2);
		test_module_enter_edl(tm,
				      phase == 0 ? EC25_EDL_FAULT_HELLO_CONSUMED
						 : EC25_EDL_FAULT_NONE);
		if (phase > 0) {
			test_to_firehose(tm);
			test_configure(tm, TEST_PAYLOAD);
		}
		for (guint i = 0; i < TEST_FUZZ_ROUNDS; i++)
			test_fuzz_round(tm, rand);
		g_assert_true(ec25_edl_save_summary(tm->edl, NULL));
	}
}

/* --- main ---------------------------------------------------------------------------------- */

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
	test_root = g_dir_make_tmp("ec25-edl-test-XXXXXX", &error);
	g_assert_no_error(error);

	g_test_add_func("/edl/sahara/hello", test_sahara_hello);
	g_test_add_func("/edl/sahara/load", test_sahara_load);
	g_test_add_func("/edl/sahara/packets", test_sahara_packets);
	g_test_add_func("/edl/sahara/hello-consumed", test_sahara_hello_consumed);
	g_test_add_func("/edl/sahara/bad-images", test_sahara_bad_images);
	g_test_add_func("/edl/sahara/bad-host", test_sahara_bad_host);
	g_test_add_func("/edl/firehose/configure", test_firehose_configure);
	g_test_add_func("/edl/firehose/configure-small", test_firehose_configure_small);
	g_test_add_func("/edl/firehose/storage-info", test_firehose_storage_info);
	g_test_add_func("/edl/firehose/commands", test_firehose_commands);
	g_test_add_func("/edl/firehose/program-errors", test_firehose_program_errors);
	g_test_add_func("/edl/firehose/stall", test_firehose_stall);
	g_test_add_func("/edl/nand/factory", test_nand_factory);
	g_test_add_func("/edl/nand/boot-failure", test_nand_boot_failure);
	g_test_add_func("/edl/nand/memory-only", test_memory_only);
	g_test_add_func("/edl/timing", test_timing);
	g_test_add_func("/edl/fuzz", test_fuzz);
	rc = g_test_run();
	test_rm_rf(test_root);
	g_free(test_root);
	return rc;
}

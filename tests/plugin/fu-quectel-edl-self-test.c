/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The plugin's own Sahara and Firehose host code, run in-process against the simulator's module
 * model (no USB, no umockdev, no fwupdtool): complete updates, the model's faults, and the
 * refusals that must happen before anything is erased. The payload is what quectel-fw2cab makes
 * of a folder from tests/gen-vendor-folder.py (EC25_PYTHON3, EC25_GEN_VENDOR_FOLDER and
 * QUECTEL_FW2CAB in the environment), parsed by the plugin's FuQuectelFirmware.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ec25-edl-private.h"
#include "ec25-edl.h"
#include "fu-quectel-edl-model.h"
#include "fu-quectel-firehose.h"
#include "fu-quectel-firmware.h"
#include "fu-quectel-plan.h"
#include "fu-quectel-sahara.h"

#define TEST_IMEI	  "867698041234562"
#define TEST_PAYLOAD_NAME "firmware.zip"
#define TEST_SMALL_BLOCKS 1536 /* holds the factory partitions, not the package's 2048 blocks */

typedef struct {
	const gchar *key; /* ec25e or eg25g */
	const gchar *model;
	const gchar *revision;
	const gchar *subversion;
	guint efs2_start;
	guint efs2_blocks;
} TestLayout;

static const TestLayout test_ec25e = {"ec25e", "EC25", "EC25EFAR06A11M4G", "01.002.01.002", 20, 88};
static const TestLayout test_eg25g =
    {"eg25g", "EG25", "EG25GGBR07A09M2G", "01.003.01.003", 20, 136};

typedef struct {
	gchar *root;	       /* removed at exit */
	GHashTable *firmwares; /* layout key → FuFirmware */
	guint counter;
} TestFixture;

static TestFixture test_fixture = {NULL};

/* --- the payload --------------------------------------------------------------------------- */

static void
test_spawn(const gchar *const *argv, gchar **out)
{
	gint status = 0;
	g_autofree gchar *err = NULL;
	g_autoptr(GError) error = NULL;

	for (guint i = 0; i < 2; i++)
		g_assert_nonnull(argv[i]);
	g_spawn_sync(NULL,
		     (gchar **)argv,
		     NULL,
		     G_SPAWN_DEFAULT,
		     NULL,
		     NULL,
		     out,
		     &err,
		     &status,
		     &error);
	g_assert_no_error(error);
	if (!g_spawn_check_wait_status(status, &error))
		g_printerr("%s: %s\n", argv[0], err);
	g_assert_no_error(error);
}

/* the cabinet's payload, parsed as the daemon parses it for the device */
static FuQuectelFirmware *
test_firmware(const TestLayout *layout)
{
	FuFirmware *firmware = g_hash_table_lookup(test_fixture.firmwares, layout->key);
	const gchar *argv_gen[] = {g_getenv("EC25_PYTHON3"),
				   g_getenv("EC25_GEN_VENDOR_FOLDER"),
				   test_fixture.root,
				   "--layout",
				   layout->key,
				   "--revision",
				   layout->revision,
				   "--subversion",
				   layout->subversion,
				   NULL};
	g_autofree gchar *folder = NULL;
	g_autofree gchar *cab_fn = NULL;
	g_autofree gchar *cab_out = NULL;
	g_autoptr(FuFirmware) cab = FU_FIRMWARE(fu_cab_firmware_new());
	g_autoptr(GFile) file = NULL;
	g_autoptr(GInputStream) stream = NULL;
	g_autoptr(GError) error = NULL;

	if (firmware != NULL)
		return FU_QUECTEL_FIRMWARE(firmware);
	test_spawn(argv_gen, &folder);
	g_strstrip(folder);
	cab_fn = g_strdup_printf("%s.cab", folder);
	{
		const gchar *argv_cab[] = {g_getenv("QUECTEL_FW2CAB"), "-o", cab_fn, folder, NULL};
		test_spawn(argv_cab, &cab_out);
	}
	file = g_file_new_for_path(cab_fn);
	g_assert_true(
	    fu_firmware_parse_file(cab, file, FU_FIRMWARE_PARSE_FLAG_CACHE_STREAM, &error));
	g_assert_no_error(error);
	stream = fu_firmware_get_image_by_id_stream(cab, TEST_PAYLOAD_NAME, &error);
	g_assert_no_error(error);
	g_assert_nonnull(stream);
	firmware = fu_quectel_firmware_new();
	g_assert_true(
	    fu_firmware_parse_stream(firmware, stream, 0x0, FU_FIRMWARE_PARSE_FLAG_NONE, &error));
	g_assert_no_error(error);
	g_hash_table_insert(test_fixture.firmwares, (gpointer)layout->key, firmware);
	return FU_QUECTEL_FIRMWARE(firmware);
}

/* sha256 of an image as the NAND holds it: padded to whole pages as erased flash */
static gchar *
test_image_sha256(FuQuectelFirmware *fw, const gchar *basename)
{
	guint32 page_size = fu_quectel_firmware_get_geometry(fw)->page_size;
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(GByteArray) buf = g_byte_array_new();
	g_autoptr(GError) error = NULL;
	gsize padded;

	blob = fu_firmware_get_image_by_id_bytes(FU_FIRMWARE(fw), basename, &error);
	g_assert_no_error(error);
	fu_byte_array_append_bytes(buf, blob);
	padded = (buf->len + page_size - 1) / page_size * page_size;
	fu_byte_array_set_size(buf, padded, 0xFF);
	return g_compute_checksum_for_data(G_CHECKSUM_SHA256, buf->data, buf->len);
}

/* --- the module ---------------------------------------------------------------------------- */

typedef struct {
	const TestLayout *layout;
	Ec25Module *module;
	Ec25Edl *edl;
	FuQuectelEdlModel *model;
	gchar *state_dir;
	gchar *log_fn;
} TestModule;

static void
test_module_free(TestModule *tm)
{
	g_clear_object(&tm->model);
	if (tm->edl != NULL)
		ec25_edl_free(tm->edl);
	ec25_module_free(tm->module);
	g_free(tm->state_dir);
	g_free(tm->log_fn);
	g_free(tm);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TestModule, test_module_free)

/* a factory-flashed module of @layout's model in EDL, with a state folder for summary.json */
static TestModule *
test_module_new(const TestLayout *layout, Ec25EdlFault fault, guint blocks)
{
	TestModule *tm = g_new0(TestModule, 1);
	g_autoptr(GError) error = NULL;

	tm->layout = layout;
	tm->module = ec25_module_new();
	g_free(tm->module->model);
	tm->module->model = g_strdup(layout->model);
	g_free(tm->module->imei);
	tm->module->imei = g_strdup(TEST_IMEI);
	tm->module->mode = EC25_MODE_EDL;
	tm->module->blocks = blocks;
	tm->state_dir = g_strdup_printf("%s/state-%u", test_fixture.root, test_fixture.counter++);
	g_assert_cmpint(g_mkdir_with_parents(tm->state_dir, 0755), ==, 0);
	tm->module->state_dir = g_strdup(tm->state_dir);
	tm->log_fn = g_build_filename(tm->state_dir, "sim.log", NULL);
	tm->module->log = fopen(tm->log_fn, "w");
	g_assert_nonnull(tm->module->log);
	tm->edl = ec25_edl_new(tm->module, fault, &error);
	g_assert_no_error(error);
	g_assert_nonnull(tm->edl);
	tm->model = fu_quectel_edl_model_new(tm->edl);
	return tm;
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

static GInputStream *
test_image_cb(const gchar *basename, gpointer user_data, GError **error)
{
	return fu_quectel_firmware_get_image_stream(FU_QUECTEL_FIRMWARE(user_data),
						    basename,
						    error);
}

/* what the EDL device does in write_firmware and attach, over the model */
static gboolean
test_module_update_full(TestModule *tm,
			FuQuectelFirmware *fw,
			FuQuectelFirehoseWriteFlags flags,
			GError **error)
{
	FuQuectelEdlTransport *transport = FU_QUECTEL_EDL_TRANSPORT(tm->model);
	g_autoptr(FuProgress) progress_sahara = fu_progress_new(G_STRLOC);
	g_autoptr(FuProgress) progress_firehose = fu_progress_new(G_STRLOC);
	g_autoptr(GBytes) programmer = NULL;
	GPtrArray *plan = NULL;

	programmer = fu_quectel_firmware_get_programmer_bytes(fw, error);
	if (programmer == NULL)
		return FALSE;
	plan = fu_quectel_firmware_get_plan(fw);
	g_assert_nonnull(plan);
	if (!fu_quectel_sahara_upload(transport, programmer, progress_sahara, error))
		return FALSE;
	if (!fu_quectel_firehose_write(transport,
				       plan,
				       fu_quectel_firmware_get_geometry(fw),
				       fu_quectel_firmware_get_partitions(fw),
				       test_image_cb,
				       fw,
				       flags,
				       progress_firehose,
				       error))
		return FALSE;
	g_assert_cmpint(fu_progress_get_percentage(progress_sahara), ==, 100);
	g_assert_cmpint(fu_progress_get_percentage(progress_firehose), ==, 100);
	return fu_quectel_firehose_power_reset(transport, error);
}

static gboolean
test_module_update(TestModule *tm, FuQuectelFirmware *fw, GError **error)
{
	return test_module_update_full(tm, fw, FU_QUECTEL_FIREHOSE_WRITE_FLAG_NONE, error);
}

/* this session erased and programmed nothing, and the EFS2 is the factory's */
static void
test_assert_untouched_session(TestModule *tm)
{
	g_autoptr(JsonObject) summary = test_summary(tm);
	JsonObject *efs2 = json_object_get_object_member(summary, "efs2");

	g_assert_cmpuint(json_array_get_length(json_object_get_array_member(summary, "erases")),
			 ==,
			 0);
	g_assert_cmpuint(json_array_get_length(json_object_get_array_member(summary, "programs")),
			 ==,
			 0);
	g_assert_true(json_object_get_boolean_member(efs2, "unchanged"));
}

/* nothing was ever erased or programmed: the flash is the factory's */
static void
test_assert_untouched(TestModule *tm)
{
	g_autoptr(JsonObject) summary = test_summary(tm);
	g_assert_true(json_object_get_boolean_member(summary, "factory"));
	test_assert_untouched_session(tm);
}

/* the module was told to reboot, and has nothing left to say */
static void
test_assert_reset(TestModule *tm)
{
	g_autoptr(JsonObject) summary = test_summary(tm);
	JsonObject *power = json_object_get_object_member(summary, "power");

	g_assert_cmpint(ec25_edl_get_state(tm->edl), ==, EC25_EDL_STATE_RESET);
	g_assert_cmpuint(ec25_edl_get_pending_in(tm->edl), ==, 0);
	g_assert_nonnull(power);
	g_assert_cmpstr(json_object_get_string_member(power, "value"), ==, "reset");
}

/* --- complete updates ---------------------------------------------------------------------- */

/* every program complete with its image, SBL erased first and programmed last, EFS2 kept */
static void
test_check_updated(TestModule *tm, FuQuectelFirmware *fw)
{
	const FuQuectelPackageGeometry *geometry = fu_quectel_firmware_get_geometry(fw);
	g_autoptr(JsonObject) summary = test_summary(tm);
	JsonArray *programs = json_object_get_array_member(summary, "programs");
	JsonArray *erases = json_object_get_array_member(summary, "erases");
	JsonObject *efs2 = json_object_get_object_member(summary, "efs2");
	JsonObject *last;
	guint n_programs = 0;
	guint n_erases = 0;
	g_autofree gchar *expected_revision = NULL;
	g_autofree gchar *log = test_log(tm);
	const gchar *first_erase = NULL;
	g_auto(GStrv) lines = NULL;
	GPtrArray *plan = NULL;
	g_autoptr(GError) error = NULL;

	plan = fu_quectel_firmware_get_plan(fw);
	g_assert_nonnull(plan);
	g_assert_cmpstr(json_object_get_string_member(summary, "state"), ==, "reset");
	g_assert_true(json_object_get_boolean_member(summary, "bootable"));
	g_assert_false(json_object_get_boolean_member(summary, "factory"));
	expected_revision = g_strdup_printf("%s_%s", tm->layout->revision, tm->layout->subversion);
	g_assert_cmpstr(json_object_get_string_member(summary, "revision"), ==, expected_revision);
	g_assert_cmpint(json_object_get_int_member(summary, "in_dropped"), ==, 0);

	/* the plan's programs, in its order, each holding its image padded to whole pages */
	for (guint i = 0; i < plan->len; i++) {
		FuQuectelPlanStep *step = g_ptr_array_index(plan, i);
		JsonObject *program;
		g_autofree gchar *sha256 = NULL;
		if (step->kind == FU_QUECTEL_PLAN_STEP_KIND_ERASE) {
			n_erases++;
			continue;
		}
		if (step->kind != FU_QUECTEL_PLAN_STEP_KIND_PROGRAM)
			continue;
		g_assert_cmpuint(n_programs, <, json_array_get_length(programs));
		program = json_array_get_object_element(programs, n_programs++);
		sha256 = test_image_sha256(fw, step->basename);
		g_assert_cmpstr(json_object_get_string_member(program, "status"), ==, "ok");
		g_assert_cmpint(json_object_get_int_member(program, "start_sector"),
				==,
				step->start_sector);
		g_assert_cmpstr(json_object_get_string_member(program, "sha256"), ==, sha256);
	}
	g_assert_cmpuint(json_array_get_length(programs), ==, n_programs);
	g_assert_cmpuint(json_array_get_length(erases), ==, n_erases);

	/* whole payload-sized transfers, each ended by a zero-length packet (ZlpAwareHost) */
	g_assert_cmpint(json_object_get_int_member(summary, "raw_transfers"), >, 0);
	g_assert_cmpint(json_object_get_int_member(summary, "zlps"),
			>=,
			json_object_get_int_member(summary, "raw_transfers"));

	/* the bytes sent are the images padded to whole pages, no more */
	g_assert_cmpint(json_object_get_int_member(summary, "bytes_received"),
			==,
			fu_quectel_plan_get_program_bytes(plan, geometry->page_size));

	/* SBL erased first and programmed last */
	g_assert_cmpint(
	    json_object_get_int_member(json_array_get_object_element(erases, 0), "start_sector"),
	    ==,
	    0);
	last = json_array_get_object_element(programs, n_programs - 1);
	g_assert_cmpstr(json_object_get_string_member(last, "label"), ==, "sbl");
	g_assert_cmpint(json_object_get_int_member(last, "start_sector"), ==, 0);
	lines = g_strsplit(log, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		if (first_erase == NULL && g_str_has_prefix(lines[i], "firehose: erase "))
			first_erase = lines[i];
		/* the only NAK: the payload the host asks for first is larger than the target's */
		if (g_str_has_prefix(lines[i], "firehose: NAK ")) {
			g_assert_cmpuint(i, >, 0);
			g_assert_true(g_str_has_prefix(lines[i - 1], "firehose: configure "));
			g_assert_null(first_erase);
		}
	}
	g_assert_nonnull(first_erase);
	g_assert_true(g_str_has_prefix(first_erase, "firehose: erase start=0 "));

	/* the vendor line went through verbatim; EFS2 still holds the calibration */
	g_assert_cmpuint(
	    json_array_get_length(json_object_get_array_member(summary, "vendor_lines")),
	    ==,
	    1);
	g_assert_cmpint(json_object_get_int_member(efs2, "start_block"),
			==,
			tm->layout->efs2_start);
	g_assert_cmpint(json_object_get_int_member(efs2, "blocks"), ==, tm->layout->efs2_blocks);
	g_assert_true(json_object_get_boolean_member(efs2, "unchanged"));
	g_assert_cmpstr(json_object_get_string_member(efs2, "sha256"),
			==,
			json_object_get_string_member(efs2, "factory_sha256"));
}

/* the NAND holds the package's MIBIB in the MIBIB partition, and EFS2 the calibration */
static void
test_check_nand(TestModule *tm, FuQuectelFirmware *fw)
{
	const FuQuectelPackageGeometry *geometry = fu_quectel_firmware_get_geometry(fw);
	guint64 block = (guint64)geometry->page_size * geometry->pages_per_block;
	g_autofree gchar *img = g_build_filename(tm->state_dir, "nand.img", NULL);
	g_autofree gchar *pattern = g_strdup_printf("CALIBRATION-%s-CALIBRATION-", TEST_IMEI);
	g_autofree guint8 *buf = NULL;
	g_autoptr(GBytes) mibib = NULL;
	GPtrArray *plan = NULL;
	g_autoptr(GError) error = NULL;
	FuQuectelPackagePartition *part;
	FILE *f;

	part = fu_quectel_package_partition_find(fu_quectel_firmware_get_partitions(fw), "0:MIBIB");
	g_assert_nonnull(part);
	plan = fu_quectel_firmware_get_plan(fw);
	g_assert_nonnull(plan);
	for (guint i = 0; i < plan->len; i++) {
		FuQuectelPlanStep *step = g_ptr_array_index(plan, i);
		if (step->kind == FU_QUECTEL_PLAN_STEP_KIND_PROGRAM &&
		    step->start_sector == (guint64)part->start_block * geometry->pages_per_block) {
			mibib = fu_firmware_get_image_by_id_bytes(FU_FIRMWARE(fw),
								  step->basename,
								  &error);
			g_assert_no_error(error);
		}
	}
	g_assert_nonnull(mibib);
	buf = g_malloc(g_bytes_get_size(mibib));
	f = fopen(img, "rb");
	g_assert_nonnull(f);
	g_assert_cmpint(fseek(f, part->start_block * block, SEEK_SET), ==, 0);
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

/* the module reboots into what was written */
static void
test_check_boots(TestModule *tm)
{
	g_autoptr(GError) error = NULL;

	test_assert_reset(tm);
	g_clear_object(&tm->model);
	g_clear_pointer(&tm->edl, ec25_edl_free);
	g_assert_true(ec25_edl_boot_nand(tm->module, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(tm->module->revision, ==, tm->layout->revision);
	g_assert_cmpstr(tm->module->subversion, ==, tm->layout->subversion);
}

static void
test_update_layout(const TestLayout *layout, Ec25EdlFault fault)
{
	FuQuectelFirmware *fw = test_firmware(layout);
	g_autoptr(TestModule) tm = test_module_new(layout, fault, 0);
	g_autoptr(GError) error = NULL;

	g_assert_true(test_module_update(tm, fw, &error));
	g_assert_no_error(error);
	test_check_updated(tm, fw);
	test_check_nand(tm, fw);
	test_check_boots(tm);
}

static void
test_update_ec25e(void)
{
	test_update_layout(&test_ec25e, EC25_EDL_FAULT_NONE);
}

static void
test_update_eg25g(void)
{
	test_update_layout(&test_eg25g, EC25_EDL_FAULT_NONE);
}

/* --- Sahara command mode: the chip's identity, nothing uploaded ----------------------------- */

/* serial, MSM HW ID and OEM PK hash; then the PBL sends a new HELLO and the update goes on */
static void
test_identify_then_update(void)
{
	FuQuectelEdlTransport *transport = NULL;
	FuQuectelFirmware *fw = test_firmware(&test_ec25e);
	g_autoptr(TestModule) tm = test_module_new(&test_ec25e, EC25_EDL_FAULT_NONE, 0);
	g_autoptr(FuQuectelSaharaChip) chip = NULL;
	g_autofree gchar *log = NULL;
	g_autoptr(GError) error = NULL;

	tm->module->chip_serial = 0x1234ABCD;
	transport = FU_QUECTEL_EDL_TRANSPORT(tm->model);
	chip = fu_quectel_sahara_identify(transport, &error);
	g_assert_no_error(error);
	g_assert_nonnull(chip);
	g_assert_cmpuint(chip->serial, ==, 0x1234ABCD);
	g_assert_cmpuint(fu_quectel_sahara_chip_get_msm_id(chip), ==, 0x000480E1);
	g_assert_true(fu_quectel_sahara_msm_id_is_mdm9607(fu_quectel_sahara_chip_get_msm_id(chip)));
	g_assert_cmpuint(strlen(chip->oem_pk_hash), ==, 64);
	log = test_log(tm);
	g_assert_null(strstr(log, "sahara: read_data"));
	g_assert_nonnull(strstr(log, "sahara: switch_mode 0"));

	/* the HELLO that follows is still pending: the upload reads it */
	g_assert_true(test_module_update(tm, fw, &error));
	g_assert_no_error(error);
	test_check_updated(tm, fw);
}

/* a chip of another family answers the same way; the caller declines it by its MSM ID */
static void
test_identify_other_chip(void)
{
	g_autoptr(TestModule) tm = test_module_new(&test_ec25e, EC25_EDL_FAULT_NONE, 0);
	g_autoptr(FuQuectelSaharaChip) chip = NULL;
	g_autoptr(GError) error = NULL;

	tm->module->msm_hw_id = 0x000C30E1;
	chip = fu_quectel_sahara_identify(FU_QUECTEL_EDL_TRANSPORT(tm->model), &error);
	g_assert_no_error(error);
	g_assert_nonnull(chip);
	g_assert_cmpuint(fu_quectel_sahara_chip_get_msm_id(chip), ==, 0x000C30E1);
	g_assert_false(
	    fu_quectel_sahara_msm_id_is_mdm9607(fu_quectel_sahara_chip_get_msm_id(chip)));
	/* another silicon revision of the MDM9607 is the same family */
	g_assert_true(fu_quectel_sahara_msm_id_is_mdm9607(0x100480E1));
}

/* the HELLO was read by someone else: an unsolicited HELLO_RESP asks for command mode */
static void
test_identify_hello_consumed(void)
{
	g_autoptr(TestModule) tm = test_module_new(&test_ec25e, EC25_EDL_FAULT_HELLO_CONSUMED, 0);
	g_autoptr(FuQuectelSaharaChip) chip = NULL;
	g_autoptr(GError) error = NULL;

	chip = fu_quectel_sahara_identify(FU_QUECTEL_EDL_TRANSPORT(tm->model), &error);
	g_assert_no_error(error);
	g_assert_nonnull(chip);
	g_assert_cmpuint(fu_quectel_edl_model_get_timeouts(tm->model), >, 0);
}

/* --- the model's faults -------------------------------------------------------------------- */

/* someone read the HELLO first: an unsolicited HELLO_RESP gets the PBL going again */
static void
test_fault_hello_consumed(void)
{
	FuQuectelFirmware *fw = test_firmware(&test_ec25e);
	g_autoptr(TestModule) tm = test_module_new(&test_ec25e, EC25_EDL_FAULT_HELLO_CONSUMED, 0);
	g_autoptr(JsonObject) summary = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_true(test_module_update(tm, fw, &error));
	g_assert_no_error(error);
	summary = test_summary(tm);
	g_assert_false(
	    json_object_get_boolean_member(json_object_get_object_member(summary, "sahara"),
					   "hello_sent"));
	g_assert_cmpuint(fu_quectel_edl_model_get_timeouts(tm->model), >, 0);
	test_check_updated(tm, fw);
	test_check_boots(tm);
}

/* the programmer wants smaller transfers: the update adopts its payload */
static void
test_fault_configure_small(void)
{
	FuQuectelFirmware *fw = test_firmware(&test_ec25e);
	g_autoptr(TestModule) tm = test_module_new(&test_ec25e, EC25_EDL_FAULT_CONFIGURE_SMALL, 0);
	g_autoptr(JsonObject) summary = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_true(test_module_update(tm, fw, &error));
	g_assert_no_error(error);
	summary = test_summary(tm);
	g_assert_cmpint(
	    json_object_get_int_member(json_object_get_object_member(summary, "configure"),
				       "payload"),
	    ==,
	    4096);
	test_check_updated(tm, fw);
	test_check_boots(tm);
}

/* the PBL refuses the programmer: nothing was written, the PBL is reset */
static void
test_fault_end_of_image(void)
{
	FuQuectelFirmware *fw = test_firmware(&test_ec25e);
	g_autoptr(TestModule) tm = test_module_new(&test_ec25e, EC25_EDL_FAULT_END_OF_IMAGE, 0);
	g_autoptr(JsonObject) summary = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_false(test_module_update(tm, fw, &error));
	g_assert_error(error, FWUPD_ERROR, FWUPD_ERROR_WRITE);
	g_assert_nonnull(
	    strstr(error->message, "the PBL refused the programmer: read-data-error (0xd)"));
	/* the PBL was sent RESET: the device adds where that leaves the module */
	g_assert_cmpint(ec25_edl_get_state(tm->edl), ==, EC25_EDL_STATE_RESET);
	summary = test_summary(tm);
	g_assert_cmpint(json_object_get_int_member(json_object_get_object_member(summary, "sahara"),
						   "end_status"),
			==,
			0xd);
	test_assert_untouched(tm);
}

/* the programmer stops answering in the middle: the error names the image, and the SBL was
 * erased first and not programmed, so the module can only come back in EDL */
static void
test_fault_stall_program(void)
{
	FuQuectelFirmware *fw = test_firmware(&test_ec25e);
	g_autoptr(TestModule) tm = test_module_new(&test_ec25e, EC25_EDL_FAULT_STALL_PROGRAM, 0);
	g_autoptr(JsonObject) summary = NULL;
	g_autoptr(GError) error = NULL;
	JsonArray *programs;

	g_assert_false(test_module_update(tm, fw, &error));
	g_assert_error(error, FWUPD_ERROR, FWUPD_ERROR_TIMED_OUT);
	g_assert_true(g_regex_match_simple("failed to program \\S+ at page 0x[0-9a-f]+: ",
					   error->message,
					   G_REGEX_DEFAULT,
					   G_REGEX_MATCH_DEFAULT));
	summary = test_summary(tm);
	g_assert_cmpint(
	    json_object_get_int_member(
		json_array_get_object_element(json_object_get_array_member(summary, "erases"), 0),
		"start_sector"),
	    ==,
	    0);
	programs = json_object_get_array_member(summary, "programs");
	for (guint i = 0; i < json_array_get_length(programs); i++) {
		JsonObject *program = json_array_get_object_element(programs, i);
		g_assert_cmpint(json_object_get_int_member(program, "start_sector"), !=, 0);
	}
	g_assert_true(json_object_get_boolean_member(json_object_get_object_member(summary, "efs2"),
						     "unchanged"));
	g_assert_false(json_object_get_boolean_member(summary, "bootable"));
}

/* --- refusals before any erase ------------------------------------------------------------- */

/* a 2 KiB-page package on a 4 KiB-page module */
static void
test_refuse_geometry(void)
{
	FuQuectelFirmware *fw = test_firmware(&test_eg25g);
	g_autoptr(TestModule) tm = test_module_new(&test_ec25e, EC25_EDL_FAULT_NONE, 0);
	g_autoptr(GError) error = NULL;

	g_assert_false(test_module_update(tm, fw, &error));
	g_assert_error(error, FWUPD_ERROR, FWUPD_ERROR_NOT_SUPPORTED);
	g_assert_true(g_regex_match_simple("the package is for .* NAND but the module has .*: "
					   "nothing was erased; use the package made for this "
					   "module; the module was reset and boots its current "
					   "firmware$",
					   error->message,
					   G_REGEX_DEFAULT,
					   G_REGEX_MATCH_DEFAULT));
	test_assert_untouched(tm);
	test_assert_reset(tm);
}

/* the flash's MIBIB partition rewritten with @entries, or only erased if %NULL */
static void
test_module_set_flash_mibib(TestModule *tm, GArray *entries)
{
	const Ec25NandGeometry *geo = ec25_nand_get_geometry(tm->edl->nand);
	const Ec25MibibEntry *part = NULL;
	guint64 start;
	g_autoptr(GArray) factory = NULL;
	g_autoptr(GByteArray) pages = NULL;
	g_autoptr(GError) error = NULL;

	factory = ec25_mibib_factory_layout(tm->layout->model, geo->blocks, NULL, &error);
	g_assert_no_error(error);
	part = ec25_mibib_find(factory, EC25_MIBIB_NAME_MIBIB);
	g_assert_nonnull(part);
	start = (guint64)part->start_block * geo->pages_per_block;
	g_assert_true(ec25_nand_erase(tm->edl->nand, start, geo->pages_per_block, &error));
	g_assert_no_error(error);
	if (entries == NULL)
		return;
	pages = ec25_mibib_build(entries, geo->page_size, &error);
	g_assert_no_error(error);
	for (guint i = 0; i < pages->len / geo->page_size; i++) {
		g_assert_true(ec25_nand_program_page(tm->edl->nand,
						     start + i,
						     pages->data + i * geo->page_size,
						     &error));
		g_assert_no_error(error);
	}
}

/* a module of unknown identity: the factory partition table on its flash is the package's */
static void
test_flash_mibib_matches(void)
{
	FuQuectelFirmware *fw = test_firmware(&test_ec25e);
	g_autoptr(TestModule) tm = test_module_new(&test_ec25e, EC25_EDL_FAULT_NONE, 0);
	g_autofree gchar *log = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_true(test_module_update_full(tm,
					      fw,
					      FU_QUECTEL_FIREHOSE_WRITE_FLAG_CHECK_FLASH_MIBIB,
					      &error));
	g_assert_no_error(error);
	log = test_log(tm);
	g_assert_nonnull(strstr(log, "firehose: read start=640 num="));
	/* read before anything was erased */
	g_assert_true(strstr(log, "firehose: read start=") < strstr(log, "firehose: erase"));
}

/* a partition table of another layout on the flash: refused before any erase */
static void
test_flash_mibib_differs(void)
{
	FuQuectelFirmware *fw = test_firmware(&test_ec25e);
	g_autoptr(TestModule) tm = test_module_new(&test_ec25e, EC25_EDL_FAULT_NONE, 0);
	const Ec25NandGeometry *geo = ec25_nand_get_geometry(tm->edl->nand);
	g_autoptr(GArray) entries = NULL;
	g_autoptr(GError) error = NULL;

	/* the modem partition one block larger, the next one block later */
	entries = ec25_mibib_factory_layout(tm->layout->model, geo->blocks, "modem", &error);
	g_assert_no_error(error);
	test_module_set_flash_mibib(tm, entries);
	ec25_edl_free(tm->edl);
	g_clear_object(&tm->model);
	tm->edl = ec25_edl_new(tm->module, EC25_EDL_FAULT_NONE, &error);
	g_assert_no_error(error);
	tm->model = fu_quectel_edl_model_new(tm->edl);

	g_assert_false(test_module_update_full(tm,
					       fw,
					       FU_QUECTEL_FIREHOSE_WRITE_FLAG_CHECK_FLASH_MIBIB,
					       &error));
	g_assert_error(error, FWUPD_ERROR, FWUPD_ERROR_NOT_SUPPORTED);
	g_assert_true(
	    g_regex_match_simple("^the partition table on the module's flash is not the "
				 "package's \\(MIBIB entry #\\d+ is 0:\\S+ at block .*\\): "
				 "the package is for another variant or layout; nothing "
				 "was erased; the module was reset and boots its current "
				 "firmware; use the package made for this module's "
				 "variant$",
				 error->message,
				 G_REGEX_DEFAULT,
				 G_REGEX_MATCH_DEFAULT));
	test_assert_untouched_session(tm);
	test_assert_reset(tm);
}

/* an erased MIBIB partition (an update stopped before it was written) tells nothing */
static void
test_flash_mibib_erased(void)
{
	FuQuectelFirmware *fw = test_firmware(&test_ec25e);
	g_autoptr(TestModule) tm = test_module_new(&test_ec25e, EC25_EDL_FAULT_NONE, 0);
	g_autoptr(GError) error = NULL;

	test_module_set_flash_mibib(tm, NULL);
	g_assert_true(test_module_update_full(tm,
					      fw,
					      FU_QUECTEL_FIREHOSE_WRITE_FLAG_CHECK_FLASH_MIBIB,
					      &error));
	g_assert_no_error(error);
}

/* the right geometry, but less flash than the package's partition table covers */
static void
test_refuse_flash_size(void)
{
	FuQuectelFirmware *fw = test_firmware(&test_ec25e);
	g_autoptr(TestModule) tm =
	    test_module_new(&test_ec25e, EC25_EDL_FAULT_NONE, TEST_SMALL_BLOCKS);
	g_autoptr(GError) error = NULL;

	g_assert_false(test_module_update(tm, fw, &error));
	g_assert_error(error, FWUPD_ERROR, FWUPD_ERROR_NOT_SUPPORTED);
	g_assert_cmpstr(error->message,
			==,
			"the package needs a flash of 2048 erase blocks but the module has 1536: "
			"nothing was erased; use the package made for this module's flash size; "
			"the module was reset and boots its current firmware");
	test_assert_untouched(tm);
	test_assert_reset(tm);
}

/* exactly the flash the package needs is enough */
static void
test_flash_size_exact(void)
{
	FuQuectelFirmware *fw = test_firmware(&test_ec25e);
	g_autoptr(TestModule) tm = test_module_new(&test_ec25e, EC25_EDL_FAULT_NONE, 2048);
	g_autoptr(GError) error = NULL;

	g_assert_true(test_module_update(tm, fw, &error));
	g_assert_no_error(error);
	test_check_updated(tm, fw);
}

/* --- harness ------------------------------------------------------------------------------- */

static void
test_rm_rf(const gchar *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const gchar *name;

	if (dir == NULL) {
		g_remove(path);
		return;
	}
	while ((name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *child = g_build_filename(path, name, NULL);
		if (g_file_test(child, G_FILE_TEST_IS_DIR) &&
		    !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
			test_rm_rf(child);
		else
			g_remove(child);
	}
	g_rmdir(path);
}

int
main(int argc, char **argv)
{
	gint rc;
	g_autoptr(GError) error = NULL;

	g_test_init(&argc, &argv, NULL);
	test_fixture.root = g_dir_make_tmp("quectel-edl-test-XXXXXX", &error);
	g_assert_no_error(error);
	test_fixture.firmwares =
	    g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_object_unref);

	g_test_add_func("/quectel-edl/update/ec25e", test_update_ec25e);
	g_test_add_func("/quectel-edl/update/eg25g", test_update_eg25g);
	g_test_add_func("/quectel-edl/identify/then-update", test_identify_then_update);
	g_test_add_func("/quectel-edl/identify/other-chip", test_identify_other_chip);
	g_test_add_func("/quectel-edl/identify/hello-consumed", test_identify_hello_consumed);
	g_test_add_func("/quectel-edl/fault/hello-consumed", test_fault_hello_consumed);
	g_test_add_func("/quectel-edl/fault/configure-small", test_fault_configure_small);
	g_test_add_func("/quectel-edl/fault/end-of-image", test_fault_end_of_image);
	g_test_add_func("/quectel-edl/fault/stall-program", test_fault_stall_program);
	g_test_add_func("/quectel-edl/refuse/geometry", test_refuse_geometry);
	g_test_add_func("/quectel-edl/refuse/flash-size", test_refuse_flash_size);
	g_test_add_func("/quectel-edl/flash-size-exact", test_flash_size_exact);
	g_test_add_func("/quectel-edl/flash-mibib/matches", test_flash_mibib_matches);
	g_test_add_func("/quectel-edl/flash-mibib/differs", test_flash_mibib_differs);
	g_test_add_func("/quectel-edl/flash-mibib/erased", test_flash_mibib_erased);
	rc = g_test_run();

	g_hash_table_unref(test_fixture.firmwares);
	test_rm_rf(test_fixture.root);
	g_free(test_fixture.root);
	return rc;
}

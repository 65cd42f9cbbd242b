/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <fwupdplugin.h>

#include "fu-quectel-cab-writer.h"
#include "fu-quectel-metainfo.h"
#include "fu-quectel-package-check-common.h"
#include "fu-quectel-zip-common.h"
#include "fu-quectel-zip-writer.h"

#define FU_QUECTEL_TEST_BLOCK 0x8000

/* deterministic bytes that do not compress well */
static GBytes *
fu_quectel_test_bytes(gsize size, guint32 seed)
{
	g_autoptr(GByteArray) buf = g_byte_array_new();
	guint32 state = seed;
	for (gsize i = 0; i < size; i++) {
		state = state * 1103515245 + 12345;
		fu_byte_array_append_uint8(buf, (guint8)(state >> 16));
	}
	return g_bytes_new(buf->data, buf->len);
}

/* the streaming writer produces exactly what fwupd's FuCabFirmware writes */
static void
fu_quectel_cab_writer_compare(const gsize *sizes, guint n, gboolean with_date)
{
	gboolean ret;
	g_autoptr(FuFirmware) cab = FU_FIRMWARE(fu_cab_firmware_new());
	g_autoptr(FuQuectelCabWriter) writer = fu_quectel_cab_writer_new();
	g_autoptr(GBytes) blob_fwupd = NULL;
	g_autoptr(GBytes) blob_ours = NULL;
	g_autoptr(GDateTime) created = g_date_time_new_utc(2026, 1, 15, 12, 34, 56);
	g_autoptr(GError) error = NULL;
	g_autoptr(GOutputStream) ostream = g_memory_output_stream_new_resizable();

	for (guint i = 0; i < n; i++) {
		g_autofree gchar *name = g_strdup_printf("file%u.bin", i);
		g_autoptr(FuCabImage) img = fu_cab_image_new();
		g_autoptr(GBytes) blob = fu_quectel_test_bytes(sizes[i], i + 1);
		fu_firmware_set_bytes(FU_FIRMWARE(img), blob);
		fu_firmware_set_id(FU_FIRMWARE(img), name);
		fu_cab_image_set_win32_filename(img, name);
		if (with_date)
			fu_cab_image_set_created(img, created);
		ret = fu_firmware_add_image(cab, FU_FIRMWARE(img), &error);
		g_assert_no_error(error);
		g_assert_true(ret);
		fu_quectel_cab_writer_add_bytes(writer, name, blob);
	}
	if (with_date)
		fu_quectel_cab_writer_set_created(writer, created);
	blob_fwupd = fu_firmware_write(cab, &error);
	g_assert_no_error(error);
	g_assert_nonnull(blob_fwupd);
	ret = fu_quectel_cab_writer_write(writer, ostream, &error);
	g_assert_no_error(error);
	g_assert_true(ret);
	ret = g_output_stream_close(ostream, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(ret);
	blob_ours = g_memory_output_stream_steal_as_bytes(G_MEMORY_OUTPUT_STREAM(ostream));
	g_assert_cmpint(g_bytes_get_size(blob_ours), ==, g_bytes_get_size(blob_fwupd));
	g_assert_true(g_bytes_equal(blob_ours, blob_fwupd));
}

static void
fu_quectel_cab_writer_func(void)
{
	const gsize one[] = {1};
	const gsize block[] = {FU_QUECTEL_TEST_BLOCK};
	const gsize across[] = {FU_QUECTEL_TEST_BLOCK - 1, 2, 3 * FU_QUECTEL_TEST_BLOCK + 5};
	const gsize payload[] = {300000, 2234, 241};

	fu_quectel_cab_writer_compare(one, G_N_ELEMENTS(one), FALSE);
	fu_quectel_cab_writer_compare(block, G_N_ELEMENTS(block), TRUE);
	fu_quectel_cab_writer_compare(across, G_N_ELEMENTS(across), TRUE);
	fu_quectel_cab_writer_compare(payload, G_N_ELEMENTS(payload), TRUE);
}

static void
fu_quectel_cab_writer_parse_func(void)
{
	gboolean ret;
	g_autoptr(FuFirmware) cab = FU_FIRMWARE(fu_cab_firmware_new());
	g_autoptr(FuFirmware) img = NULL;
	g_autoptr(FuQuectelCabWriter) writer = fu_quectel_cab_writer_new();
	g_autoptr(GBytes) blob = fu_quectel_test_bytes(5 * FU_QUECTEL_TEST_BLOCK + 7, 42);
	g_autoptr(GBytes) blob_cab = NULL;
	g_autoptr(GBytes) blob_img = NULL;
	g_autoptr(GInputStream) stream_img = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GOutputStream) ostream = g_memory_output_stream_new_resizable();

	/* a short stream is an error, not a short cabinet */
	{
		g_autoptr(FuQuectelCabWriter) writer_short = fu_quectel_cab_writer_new();
		g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes(blob);
		g_autoptr(GOutputStream) ostream_short = g_memory_output_stream_new_resizable();
		g_autoptr(GError) error_short = NULL;
		fu_quectel_cab_writer_add_stream(writer_short,
						 "x.bin",
						 stream,
						 g_bytes_get_size(blob) + 1);
		ret = fu_quectel_cab_writer_write(writer_short, ostream_short, &error_short);
		g_assert_error(error_short, FWUPD_ERROR, FWUPD_ERROR_READ);
		g_assert_false(ret);
	}

	/* fwupd's own parser, checksums included, reads back what was written */
	fu_quectel_cab_writer_add_bytes(writer, "firmware.zip", blob);
	ret = fu_quectel_cab_writer_write(writer, ostream, &error);
	g_assert_no_error(error);
	g_assert_true(ret);
	g_assert_true(g_output_stream_close(ostream, NULL, NULL));
	blob_cab = g_memory_output_stream_steal_as_bytes(G_MEMORY_OUTPUT_STREAM(ostream));
	ret = fu_firmware_parse_bytes(cab,
				      blob_cab,
				      0x0,
				      FU_FIRMWARE_PARSE_FLAG_CACHE_STREAM,
				      &error);
	g_assert_no_error(error);
	g_assert_true(ret);
	img = fu_firmware_get_image_by_id(cab, "firmware.zip", &error);
	g_assert_no_error(error);
	g_assert_nonnull(img);
	stream_img = fu_firmware_get_stream(img, &error);
	g_assert_no_error(error);
	g_assert_nonnull(stream_img);
	blob_img = fu_input_stream_read_bytes(stream_img, 0, G_MAXSIZE, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(blob_img, blob));
}

static gboolean
fu_quectel_test_progress_cb(guint64 bytes, gpointer user_data)
{
	guint64 *total = (guint64 *)user_data;
	*total += bytes;
	return TRUE;
}

/* libarchive writes, the plugin's zip reader reads: stored entries are windows, CRCs match */
static void
fu_quectel_zip_writer_func(void)
{
	gboolean ret;
	guint64 progress = 0;
	const gchar *names[] = {"a.xml", "b.ubi", "c.mbn"};
	const gsize sizes[] = {70000, 1024 * 1024 + 3, 0x1000};
	g_autoptr(GPtrArray) blobs = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	g_autoptr(GDateTime) mtime = g_date_time_new_utc(2026, 1, 15, 0, 0, 0);
	g_autoptr(GError) error = NULL;
	g_autoptr(GOutputStream) ostream = g_memory_output_stream_new_resizable();
	g_autoptr(FuQuectelZipWriter) writer = NULL;
	g_autoptr(GBytes) zip = NULL;
	g_autoptr(GInputStream) zip_stream = NULL;
	g_autoptr(GPtrArray) entries = NULL;
	g_autofree gchar *sha256 = NULL;

	writer = fu_quectel_zip_writer_new(ostream,
					   mtime,
					   fu_quectel_test_progress_cb,
					   &progress,
					   &error);
	g_assert_no_error(error);
	g_assert_nonnull(writer);
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		guint64 bytes_read = 0;
		g_autoptr(GChecksum) md5 = g_checksum_new(G_CHECKSUM_MD5);
		g_autoptr(GInputStream) istream = NULL;
		g_autofree gchar *md5_expected = NULL;
		GBytes *blob_tmp = fu_quectel_test_bytes(sizes[i], i + 7);
		g_ptr_array_add(blobs, blob_tmp);
		istream = g_memory_input_stream_new_from_bytes(blob_tmp);
		ret = fu_quectel_zip_writer_add(writer,
						names[i],
						istream,
						sizes[i],
						g_str_has_suffix(names[i], ".xml"),
						md5,
						&bytes_read,
						&error);
		g_assert_no_error(error);
		g_assert_true(ret);
		g_assert_cmpint(bytes_read, ==, sizes[i]);
		md5_expected = g_compute_checksum_for_bytes(G_CHECKSUM_MD5, blob_tmp);
		g_assert_cmpstr(g_checksum_get_string(md5), ==, md5_expected);
	}
	ret = fu_quectel_zip_writer_close(writer, &error);
	g_assert_no_error(error);
	g_assert_true(ret);
	g_assert_cmpint(progress, ==, sizes[0] + sizes[1] + sizes[2]);
	g_assert_true(g_output_stream_close(ostream, NULL, NULL));
	zip = g_memory_output_stream_steal_as_bytes(G_MEMORY_OUTPUT_STREAM(ostream));
	sha256 = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, zip);
	g_assert_cmpstr(fu_quectel_zip_writer_get_sha256(writer), ==, sha256);
	g_assert_cmpint(fu_quectel_zip_writer_get_size(writer), ==, g_bytes_get_size(zip));

	/* read back */
	zip_stream = g_memory_input_stream_new_from_bytes(zip);
	entries = fu_quectel_zip_parse(zip_stream, &error);
	g_assert_no_error(error);
	g_assert_nonnull(entries);
	g_assert_cmpint(entries->len, ==, G_N_ELEMENTS(names));
	for (guint i = 0; i < entries->len; i++) {
		FuQuectelZipEntry *entry = g_ptr_array_index(entries, i);
		g_autoptr(GInputStream) istream = NULL;
		g_autoptr(GBytes) blob = NULL;
		g_assert_cmpstr(entry->basename, ==, names[i]);
		g_assert_cmpint(entry->size, ==, sizes[i]);
		g_assert_cmpint(entry->method,
				==,
				i == 0 ? FU_QUECTEL_ZIP_METHOD_DEFLATE
				       : FU_QUECTEL_ZIP_METHOD_STORE);
		istream = fu_quectel_zip_entry_open(entry, zip_stream, TRUE, &error);
		g_assert_no_error(error);
		g_assert_nonnull(istream);
		blob = fu_input_stream_read_bytes(istream, 0, G_MAXSIZE, NULL, &error);
		g_assert_no_error(error);
		g_assert_true(g_bytes_equal(blob, g_ptr_array_index(blobs, i)));
	}
}

/* the zip reader refuses what a payload must not be */
static void
fu_quectel_zip_invalid_func(void)
{
	gboolean ret;
	guint64 bytes_read = 0;
	gsize zipsz = 0;
	const guint8 *data;
	g_autoptr(GDateTime) mtime = g_date_time_new_utc(2026, 1, 15, 0, 0, 0);
	g_autoptr(GError) error = NULL;
	g_autoptr(GOutputStream) ostream = g_memory_output_stream_new_resizable();
	g_autoptr(FuQuectelZipWriter) writer = NULL;
	g_autoptr(GBytes) blob = fu_quectel_test_bytes(4096, 3);
	g_autoptr(GBytes) zip = NULL;
	g_autoptr(GByteArray) buf = NULL;

	/* a zip with "dir/x.bin" and "x.bin": the same basename */
	writer = fu_quectel_zip_writer_new(ostream, mtime, NULL, NULL, &error);
	g_assert_no_error(error);
	for (guint i = 0; i < 2; i++) {
		g_autoptr(GInputStream) istream = g_memory_input_stream_new_from_bytes(blob);
		ret = fu_quectel_zip_writer_add(writer,
						i == 0 ? "dir/x.bin" : "x.bin",
						istream,
						g_bytes_get_size(blob),
						FALSE,
						NULL,
						&bytes_read,
						&error);
		g_assert_no_error(error);
		g_assert_true(ret);
	}
	ret = fu_quectel_zip_writer_close(writer, &error);
	g_assert_no_error(error);
	g_assert_true(g_output_stream_close(ostream, NULL, NULL));
	zip = g_memory_output_stream_steal_as_bytes(G_MEMORY_OUTPUT_STREAM(ostream));
	{
		g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes(zip);
		g_autoptr(GPtrArray) entries = fu_quectel_zip_parse(stream, &error);
		g_assert_error(error, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA);
		g_assert_null(entries);
		g_assert_nonnull(strstr(error->message, "duplicate basename"));
		g_clear_error(&error);
	}

	data = g_bytes_get_data(zip, &zipsz);
	buf = g_byte_array_new();
	g_byte_array_append(buf, data, zipsz);

	/* not a zip, a truncated zip */
	{
		g_autoptr(GBytes) junk = fu_quectel_test_bytes(100, 9);
		g_autoptr(GBytes) zip_short = g_bytes_new(buf->data, buf->len - 1);
		g_autoptr(GInputStream) stream1 = g_memory_input_stream_new_from_bytes(junk);
		g_autoptr(GInputStream) stream2 = g_memory_input_stream_new_from_bytes(zip_short);
		g_autoptr(GPtrArray) entries1 = fu_quectel_zip_parse(stream1, &error);
		g_assert_error(error, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA);
		g_assert_null(entries1);
		g_clear_error(&error);
		{
			g_autoptr(GPtrArray) entries2 = fu_quectel_zip_parse(stream2, &error);
			g_assert_error(error, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA);
			g_assert_null(entries2);
		}
	}
}

static void
fu_quectel_zip_crc_func(void)
{
	gboolean ret;
	guint64 bytes_read = 0;
	gsize zipsz = 0;
	const guint8 *data;
	g_autoptr(GDateTime) mtime = g_date_time_new_utc(2026, 1, 15, 0, 0, 0);
	g_autoptr(GError) error = NULL;
	g_autoptr(GOutputStream) ostream = g_memory_output_stream_new_resizable();
	g_autoptr(FuQuectelZipWriter) writer = NULL;
	g_autoptr(GBytes) blob = fu_quectel_test_bytes(4096, 5);
	g_autoptr(GBytes) zip = NULL;
	g_autoptr(GBytes) zip_bad = NULL;
	g_autoptr(GByteArray) buf = g_byte_array_new();
	g_autoptr(GInputStream) istream = g_memory_input_stream_new_from_bytes(blob);
	g_autoptr(GInputStream) stream = NULL;
	g_autoptr(GInputStream) entry_stream = NULL;
	g_autoptr(GPtrArray) entries = NULL;
	FuQuectelZipEntry *entry;

	writer = fu_quectel_zip_writer_new(ostream, mtime, NULL, NULL, &error);
	g_assert_no_error(error);
	ret = fu_quectel_zip_writer_add(writer,
					"x.bin",
					istream,
					g_bytes_get_size(blob),
					FALSE,
					NULL,
					&bytes_read,
					&error);
	g_assert_no_error(error);
	g_assert_true(ret);
	ret = fu_quectel_zip_writer_close(writer, &error);
	g_assert_no_error(error);
	g_assert_true(g_output_stream_close(ostream, NULL, NULL));
	zip = g_memory_output_stream_steal_as_bytes(G_MEMORY_OUTPUT_STREAM(ostream));

	/* flip a byte in the middle of the data */
	data = g_bytes_get_data(zip, &zipsz);
	g_byte_array_append(buf, data, zipsz);
	buf->data[1000] ^= 0x01;
	zip_bad = g_bytes_new(buf->data, buf->len);
	stream = g_memory_input_stream_new_from_bytes(zip_bad);
	entries = fu_quectel_zip_parse(stream, &error);
	g_assert_no_error(error);
	g_assert_nonnull(entries);
	entry = g_ptr_array_index(entries, 0);
	entry_stream = fu_quectel_zip_entry_open(entry, stream, TRUE, &error);
	g_assert_error(error, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, "CRC-32"));
	g_assert_null(entry_stream);
}

static void
fu_quectel_metainfo_func(void)
{
	const gchar *text;
	g_autoptr(FuQuectelRevision) rev = NULL;
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(XbBuilder) builder = xb_builder_new();
	g_autoptr(XbBuilderSource) source = xb_builder_source_new();
	g_autoptr(XbSilo) silo = NULL;
	g_autoptr(XbNode) component = NULL;
	g_autoptr(XbNode) req = NULL;
	g_autoptr(GPtrArray) paras = NULL;
	g_autofree gchar *guid = NULL;
	g_autofree gchar *guid_expected =
	    fwupd_guid_hash_string("QUECTEL\\VARIANT_EC25EFA&FLASH_M4G");
	g_autofree gchar *id = NULL;
	FuQuectelMetainfo input = {
	    .payload_filename = "firmware.zip",
	    .payload_sha256 = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
	    .payload_size = 1234,
	    .release_date = "2026-01-15",
	    .urgency = "high",
	    .description = "Fixes <b>&amp; \"quotes\" & 'apostrophes'.\n\nSecond\nparagraph.",
	    .install_duration = 120,
	    .geometry = "p4K_b256K",
	};

	rev = fu_quectel_revision_parse("EC25EFAR06A09M4G", &error);
	g_assert_no_error(error);
	input.revision = rev;
	id = fu_quectel_metainfo_get_component_id(rev);
	g_assert_cmpstr(id, ==, "com.quectel.ec25efa_m4g.firmware");
	guid = fu_quectel_metainfo_get_guid(rev);
	g_assert_cmpstr(guid, ==, guid_expected);

	blob = fu_quectel_metainfo_to_bytes(&input, &error);
	g_assert_no_error(error);
	g_assert_nonnull(blob);
	g_assert_true(
	    xb_builder_source_load_bytes(source, blob, XB_BUILDER_SOURCE_FLAG_NONE, &error));
	g_assert_no_error(error);
	xb_builder_import_source(builder, source);
	silo = xb_builder_compile(builder, XB_BUILDER_COMPILE_FLAG_NONE, NULL, &error);
	g_assert_no_error(error);
	component = xb_silo_query_first(silo, "component[@type='firmware']", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(xb_node_query_text(component, "id", NULL), ==, id);
	g_assert_cmpstr(xb_node_query_text(component, "name", NULL), ==, "EC25 (EFA, M4G)");
	g_assert_cmpstr(xb_node_query_text(component, "provides/firmware[@type='flashed']", NULL),
			==,
			guid);
	g_assert_cmpstr(xb_node_query_text(component, "metadata_license", NULL), ==, "CC0-1.0");
	g_assert_cmpstr(xb_node_query_text(component, "developer_name", NULL), ==, "Quectel");
	g_assert_cmpstr(xb_node_query_attr(component, "releases/release", "version", NULL),
			==,
			"EC25EFAR06A09M4G");
	g_assert_cmpstr(xb_node_query_attr(component, "releases/release", "date", NULL),
			==,
			"2026-01-15");
	g_assert_cmpstr(xb_node_query_attr(component, "releases/release", "urgency", NULL),
			==,
			"high");
	g_assert_cmpstr(
	    xb_node_query_text(component, "releases/release/checksum[@target='content']", NULL),
	    ==,
	    input.payload_sha256);
	g_assert_cmpstr(
	    xb_node_query_text(component, "releases/release/size[@type='installed']", NULL),
	    ==,
	    "1234");
	g_assert_cmpstr(
	    xb_node_query_text(component, "custom/value[@key='LVFS::VersionFormat']", NULL),
	    ==,
	    "plain");
	g_assert_cmpstr(
	    xb_node_query_text(component, "custom/value[@key='LVFS::UpdateProtocol']", NULL),
	    ==,
	    "com.qualcomm.firehose");
	g_assert_cmpstr(xb_node_query_text(component, "categories/category", NULL),
			==,
			"X-NetworkInterface");

	/* the requirement on the module's own version has no text, as fwupd expects */
	req = xb_node_query_first(component, "requires/firmware", &error);
	g_assert_no_error(error);
	g_assert_null(xb_node_get_text(req));
	g_assert_cmpstr(xb_node_get_attr(req, "compare"), ==, "regex");
	g_assert_cmpstr(xb_node_get_attr(req, "version"), ==, "^EC25EFAR06A");
	g_assert_true(
	    g_regex_match_simple(xb_node_get_attr(req, "version"), "EC25EFAR06A08M4G", 0, 0));
	g_assert_false(
	    g_regex_match_simple(xb_node_get_attr(req, "version"), "EC25EFAR08A01M4G", 0, 0));

	/* text comes back as written, so it was escaped */
	paras = xb_node_query(component, "releases/release/description/p", 0, &error);
	g_assert_no_error(error);
	g_assert_cmpint(paras->len, ==, 2);
	text = xb_node_get_text(g_ptr_array_index(paras, 0));
	g_assert_cmpstr(text, ==, "Fixes <b>&amp; \"quotes\" & 'apostrophes'.");
	text = xb_node_get_text(g_ptr_array_index(paras, 1));
	g_assert_cmpstr(text, ==, "Second paragraph.");
}

static void
fu_quectel_metainfo_args_func(void)
{
	g_autoptr(GError) error = NULL;

	g_assert_true(fu_quectel_metainfo_check_date("2026-02-28", NULL));
	g_assert_false(fu_quectel_metainfo_check_date("2026-02-30", &error));
	g_assert_error(error, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA);
	g_clear_error(&error);
	g_assert_false(fu_quectel_metainfo_check_date("2026-2-3", NULL));
	g_assert_false(fu_quectel_metainfo_check_date("yesterday", NULL));
	g_assert_true(fu_quectel_metainfo_check_urgency("critical", NULL));
	g_assert_false(fu_quectel_metainfo_check_urgency("urgent", &error));
	g_assert_error(error, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA);
}

static void
fu_quectel_package_check_names_func(void)
{
	const gchar *factory[] = {"update/firehose/rawprogram_nand_p4K_b256K_factory.xml",
				  "update\\CEFS.mbn",
				  "factory.xqcn",
				  "zero.bin"};
	const gchar *update[] = {"update/firehose/rawprogram_nand_p4K_b256K_update.xml",
				 "update/sbl1.mbn",
				 "zero.bin.txt"};

	for (guint i = 0; i < G_N_ELEMENTS(factory); i++) {
		g_autoptr(GError) error = NULL;
		g_assert_false(fu_quectel_package_check_filename(factory[i], &error));
		g_assert_error(error, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA);
		g_assert_nonnull(strstr(error->message, FU_QUECTEL_PACKAGE_CHECK_RULE_FACTORY));
	}
	for (guint i = 0; i < G_N_ELEMENTS(update); i++) {
		g_autoptr(GError) error = NULL;
		g_assert_true(fu_quectel_package_check_filename(update[i], &error));
		g_assert_no_error(error);
	}
	g_assert_true(fu_quectel_package_check_is_protected("0:EFS2"));
	g_assert_true(fu_quectel_package_check_is_protected("efs2"));
	g_assert_true(fu_quectel_package_check_is_protected("0:sys_rev"));
	g_assert_true(fu_quectel_package_check_is_protected("0:RAWDATA"));
	g_assert_false(fu_quectel_package_check_is_protected("0:system"));
	g_assert_false(fu_quectel_package_check_is_protected("0:efs2x"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/quectel-fw2cab/cab-writer", fu_quectel_cab_writer_func);
	g_test_add_func("/quectel-fw2cab/cab-writer{parse}", fu_quectel_cab_writer_parse_func);
	g_test_add_func("/quectel-fw2cab/zip-writer", fu_quectel_zip_writer_func);
	g_test_add_func("/quectel-fw2cab/zip{invalid}", fu_quectel_zip_invalid_func);
	g_test_add_func("/quectel-fw2cab/zip{crc}", fu_quectel_zip_crc_func);
	g_test_add_func("/quectel-fw2cab/metainfo", fu_quectel_metainfo_func);
	g_test_add_func("/quectel-fw2cab/metainfo{args}", fu_quectel_metainfo_args_func);
	g_test_add_func("/quectel-fw2cab/package-check{names}",
			fu_quectel_package_check_names_func);
	return g_test_run();
}

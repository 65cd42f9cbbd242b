/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <fwupdplugin.h>

#include <string.h>

#include "fu-quectel-cab-writer.h"
#include "fu-quectel-metainfo.h"
#include "fu-quectel-package-check.h"
#include "fu-quectel-package-contents.h"
#include "fu-quectel-package-md5.h"
#include "fu-quectel-package-partition-nand.h"
#include "fu-quectel-package-path.h"
#include "fu-quectel-package-text.h"
#include "fu-quectel-zip-writer.h"
#include "fu-quectel-zip.h"

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

/* the converter's own fixtures, then those of the plugin's parsers it reads with */
static GBytes *
fu_quectel_package_test_load(const gchar *name)
{
	gboolean ret;
	gsize bufsz = 0;
	gchar *buf = NULL;
	g_autofree gchar *fn = g_build_filename(SRCDIR, "tests", name, NULL);
	g_autoptr(GError) error = NULL;

	if (!g_file_test(fn, G_FILE_TEST_EXISTS)) {
		g_free(fn);
		fn = g_build_filename(PLUGIN_SRCDIR, "tests", name, NULL);
	}
	ret = g_file_get_contents(fn, &buf, &bufsz, &error);
	g_assert_no_error(error);
	g_assert_true(ret);
	return g_bytes_new_take(buf, bufsz);
}

static void
fu_quectel_package_test_check_error(const GError *error, const gchar *needle)
{
	g_assert_nonnull(error);
	g_test_message("%s", error->message);
	g_assert_error(error, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA);
	if (strstr(error->message, needle) == NULL) {
		g_test_message("expected '%s' in '%s'", needle, error->message);
		g_assert_not_reached();
	}
}

static void
fu_quectel_package_test_md5_invalid(const gchar *text, gsize textsz, const gchar *needle)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(FuQuectelPackageMd5) md5 = fu_quectel_package_md5_parse(text, textsz, &error);
	g_assert_null(md5);
	fu_quectel_package_test_check_error(error, needle);
}

static void
fu_quectel_package_test_contents_invalid(const gchar *text, const gchar *needle)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(FuQuectelPackageContents) contents =
	    fu_quectel_package_contents_parse(text, strlen(text), &error);
	g_assert_null(contents);
	fu_quectel_package_test_check_error(error, needle);
}

static void
fu_quectel_package_test_partition_nand_invalid(const gchar *partitions,
					       guint32 total_blocks,
					       const gchar *needle)
{
	FuQuectelPackageGeometry geometry = {
	    .page_size = 2048,
	    .block_size = 131072,
	    .pages_per_block = 64,
	};
	g_autofree gchar *text =
	    g_strdup_printf("<nandboot><partitions>%s</partitions></nandboot>", partitions);
	g_autoptr(GError) error = NULL;
	g_autoptr(FuQuectelPackagePartitionNand) nand =
	    fu_quectel_package_partition_nand_parse(text,
						    strlen(text),
						    &geometry,
						    total_blocks,
						    &error);
	g_assert_null(nand);
	fu_quectel_package_test_check_error(error, needle);
}

static void
fu_quectel_package_path_func(void)
{
	struct {
		const gchar *path;
		const gchar *needle;
	} invalid[] = {
	    {"\\update\\sbl1.mbn", "absolute path"},
	    {"/etc/passwd", "absolute path"},
	    {"C:\\update\\sbl1.mbn", "drive letter"},
	    {"c:sbl1.mbn", "drive letter"},
	    {"update\\..\\..\\sbl1.mbn", "contains '..'"},
	    {"update/sbl1.mbn:stream", "invalid character"},
	    {"update/sbl1.mbn.", "invalid path component"},
	    {"update/sbl1.mbn ", "invalid path component"},
	    {"update/\x01.mbn", "printable"},
	    {"./", "does not name a file"},
	    {"", "invalid path length"},
	};
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path1 = NULL;
	g_autofree gchar *path2 = NULL;
	g_autofree gchar *path3 = NULL;
	g_autofree gchar *path4 = NULL;

	path1 = fu_quectel_package_path_normalize("update\\firehose\\x.xml", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(path1, ==, "update/firehose/x.xml");
	path2 = fu_quectel_package_path_normalize("./update//NON-HLOS.ubi", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(path2, ==, "update/NON-HLOS.ubi");
	path3 = fu_quectel_package_path_join("update/firehose", "..\\sbl1.mbn", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(path3, ==, "update/sbl1.mbn");
	path4 = fu_quectel_package_path_join("update/firehose", "..\\..\\..\\etc\\passwd", &error);
	g_assert_null(path4);
	fu_quectel_package_test_check_error(error, "leaves the folder");
	g_clear_error(&error);

	for (guint i = 0; i < G_N_ELEMENTS(invalid); i++) {
		g_autofree gchar *path = fu_quectel_package_path_normalize(invalid[i].path, &error);
		g_assert_null(path);
		fu_quectel_package_test_check_error(error, invalid[i].needle);
		g_clear_error(&error);
	}
}

static void
fu_quectel_package_md5_func(void)
{
	FuQuectelPackageMd5Entry *entry;
	gboolean ret;
	const gchar *bom_lf = "\xEF\xBB\xBF"
			      "FILE:START\n"
			      "FILE:\\update\\sbl1.mbn:8360f959b1917fb66b094433d64479e1\n"
			      "FILE:END";
	const gchar *crlf = "VERSION:1.0\r\n\r\nFILE:START\r\n"
			    "  FILE:\\update\\sbl1.mbn:8360F959B1917FB66B094433D64479E1 \r\n"
			    "FILE:END\r\n\r\n";
	g_autoptr(GBytes) blob = fu_quectel_package_test_load("md5.txt");
	g_autoptr(GBytes) blob_hello = g_bytes_new_static("hello", 5);
	g_autoptr(GBytes) blob_bye = g_bytes_new_static("bye", 3);
	g_autoptr(GError) error = NULL;
	g_autoptr(FuQuectelPackageMd5) md5 = NULL;
	g_autoptr(FuQuectelPackageMd5) md5_lf = NULL;
	g_autoptr(FuQuectelPackageMd5) md5_crlf = NULL;

	/* CRLF, a VERSION line, blank lines and surrounding whitespace */
	md5 = fu_quectel_package_md5_parse_bytes(blob, &error);
	g_assert_no_error(error);
	g_assert_nonnull(md5);
	g_assert_cmpstr(md5->version, ==, "1.0");
	g_assert_cmpint(md5->entries->len, ==, 5);
	entry = g_ptr_array_index(md5->entries, 0);
	g_assert_cmpstr(entry->path, ==, "contents.xml");
	g_assert_cmpstr(entry->md5, ==, "5b15ed398bc0f9612b6bfb1fc8b844c8");
	g_assert_cmpint(entry->line, ==, 4);
	entry = g_ptr_array_index(md5->entries, 1);
	g_assert_cmpstr(entry->path, ==, "update/firehose/rawprogram_nand_p2K_b128K_update.xml");
	g_assert_cmpstr(entry->md5, ==, "c6fc137b85ab8401a244a30d65e769a7");

	/* lookup is case-insensitive and takes either separator */
	entry = fu_quectel_package_md5_find(md5, "update\\non-hlos.UBI");
	g_assert_nonnull(entry);
	g_assert_cmpstr(entry->path, ==, "update/NON-HLOS.ubi");
	g_assert_null(fu_quectel_package_md5_find(md5, "update/missing.mbn"));
	g_assert_null(fu_quectel_package_md5_find(md5, "../contents.xml"));

	/* verify */
	ret = fu_quectel_package_md5_verify(md5, "update/hello.txt", blob_hello, &error);
	g_assert_no_error(error);
	g_assert_true(ret);
	ret = fu_quectel_package_md5_verify(md5, "update/hello.txt", blob_bye, &error);
	g_assert_false(ret);
	fu_quectel_package_test_check_error(error, "expected 5d41402abc4b2a76b9719d911017c592");
	g_clear_error(&error);
	ret = fu_quectel_package_md5_verify(md5, "update/bye.txt", blob_bye, &error);
	g_assert_false(ret);
	g_assert_error(error, FWUPD_ERROR, FWUPD_ERROR_NOT_FOUND);
	g_clear_error(&error);

	/* CRLF inline too, in case a checkout rewrites the line ends of the sample */
	md5_crlf = fu_quectel_package_md5_parse(crlf, strlen(crlf), &error);
	g_assert_no_error(error);
	g_assert_nonnull(md5_crlf);
	g_assert_cmpint(md5_crlf->entries->len, ==, 1);
	entry = g_ptr_array_index(md5_crlf->entries, 0);
	g_assert_cmpstr(entry->path, ==, "update/sbl1.mbn");
	g_assert_cmpstr(entry->md5, ==, "8360f959b1917fb66b094433d64479e1");

	/* UTF-8 BOM, LF, no trailing newline */
	md5_lf = fu_quectel_package_md5_parse(bom_lf, strlen(bom_lf), &error);
	g_assert_no_error(error);
	g_assert_nonnull(md5_lf);
	g_assert_null(md5_lf->version);
	g_assert_cmpint(md5_lf->entries->len, ==, 1);
}

static void
fu_quectel_package_md5_invalid_func(void)
{
	const gchar nul[] = "FILE:START\nFILE:\\a\0b:8360f959b1917fb66b094433d64479e1\nFILE:END\n";
	struct {
		const gchar *text;
		const gchar *needle;
	} invalid[] = {
	    {"", "no FILE:START"},
	    {"\r\n\r\n", "no FILE:START"},
	    {"FILE:\\a.mbn:8360f959b1917fb66b094433d64479e1\n", "line 1"},
	    {"FILE:START\nFILE:\\a.mbn:8360f959b1917fb66b094433d64479e1\n", "no FILE:END"},
	    {"hello\nFILE:START\nFILE:END\n", "expected FILE:START"},
	    {"FILE:START\nFILE:START\nFILE:END\n", "second FILE:START"},
	    {"FILE:START\nFILE:END\nFILE:\\a:8360f959b1917fb66b094433d64479e1\n", "after FILE:END"},
	    {"FILE:START\n\\a.mbn 8360f959b1917fb66b094433d64479e1\nFILE:END\n", "line 2"},
	    {"FILE:START\nFILE:\\a.mbn\nFILE:END\n", "line 2 'FILE:\\a.mbn': expected FILE:"},
	    {"FILE:START\nFILE:\\a.mbn:8360f959b1917fb66b094433d64479e\nFILE:END\n",
	     "expected 32 hexadecimal digits"},
	    {"FILE:START\nFILE:\\a.mbn:8360f959b1917fb66b094433d64479eg\nFILE:END\n",
	     "expected only hexadecimal digits"},
	    {"FILE:START\nFILE:\\a.mbn:-360f959b1917fb66b094433d64479e1\nFILE:END\n",
	     "expected only hexadecimal digits"},
	    {"FILE:START\nFILE:C:\\update\\a.mbn:8360f959b1917fb66b094433d64479e1\nFILE:END\n",
	     "drive letter"},
	    {"FILE:START\nFILE:\\\\server\\a.mbn:8360f959b1917fb66b094433d64479e1\nFILE:END\n",
	     "absolute path"},
	    {"FILE:START\nFILE:\\update\\..\\..\\a.mbn:8360f959b1917fb66b094433d64479e1\nFILE:"
	     "END\n",
	     "contains '..'"},
	    {"FILE:START\nFILE::8360f959b1917fb66b094433d64479e1\nFILE:END\n",
	     "invalid path length"},
	    {"FILE:START\n"
	     "FILE:\\update\\a.mbn:8360f959b1917fb66b094433d64479e1\n"
	     "FILE:\\UPDATE\\A.mbn:8360f959b1917fb66b094433d64479e1\n"
	     "FILE:END\n",
	     "already listed on line 2"},
	    {"FILE:START\nFILE:\\update\\\xc3\xa9.mbn:8360f959b1917fb66b094433d64479e1\nFILE:END\n",
	     "invalid byte 0xc3"},
	    {"FILE:START\nFILE:\\update\\a.mbn:8360f959b1917fb66b094433d64479e1\x1b\nFILE:END\n",
	     "invalid byte 0x1b"},
	};
	g_autoptr(GString) many = g_string_new("FILE:START\n");
	g_autoptr(GString) longline = g_string_new("FILE:START\nFILE:\x5c");

	for (guint i = 0; i < G_N_ELEMENTS(invalid); i++)
		fu_quectel_package_test_md5_invalid(invalid[i].text,
						    strlen(invalid[i].text),
						    invalid[i].needle);

	/* a NUL inside the buffer */
	fu_quectel_package_test_md5_invalid(nul, sizeof(nul) - 1, "invalid byte 0x00");

	/* too many files */
	for (guint i = 0; i <= FU_QUECTEL_PACKAGE_FILES_MAX; i++)
		g_string_append_printf(many, "FILE:\\f%u:8360f959b1917fb66b094433d64479e1\n", i);
	g_string_append(many, "FILE:END\n");
	fu_quectel_package_test_md5_invalid(many->str, many->len, "too many files");

	/* a very long line */
	for (guint i = 0; i < 2000; i++)
		g_string_append_c(longline, 'a');
	fu_quectel_package_test_md5_invalid(longline->str, longline->len, "line 2: line is");

	/* too large */
	fu_quectel_package_test_md5_invalid("FILE:START",
					    FU_QUECTEL_PACKAGE_TEXT_SIZE_MAX + 1,
					    "the limit is");
}

static void
fu_quectel_package_contents_func(void)
{
	gboolean ret;
	g_autoptr(GBytes) blob = fu_quectel_package_test_load("contents.xml");
	g_autoptr(GError) error = NULL;
	g_autoptr(FuQuectelPackageContents) contents = NULL;

	/* starts with a UTF-8 BOM */
	g_assert_cmpint(((const guint8 *)g_bytes_get_data(blob, NULL))[0], ==, 0xEF);
	contents = fu_quectel_package_contents_parse_bytes(blob, &error);
	g_assert_no_error(error);
	g_assert_nonnull(contents);
	g_assert_cmpstr(contents->chipid, ==, "MDM9607");
	g_assert_cmpstr(contents->product_name, ==, "MDM9607.LE.1.0");
	g_assert_cmpstr(contents->partition_file, ==, "update/partition_nand.xml");
	g_assert_cmpint(contents->flash_programmers->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(contents->flash_programmers, 0),
			==,
			"update/NPRG9x07.mbn");
	g_assert_cmpint(contents->download_files->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(contents->download_files, 0), ==, "update/sbl1.mbn");
	g_assert_cmpstr(g_ptr_array_index(contents->download_files, 1), ==, "update/tz.mbn");

	ret = fu_quectel_package_contents_check_chipid(contents, "mdm9607", &error);
	g_assert_no_error(error);
	g_assert_true(ret);
	ret = fu_quectel_package_contents_check_chipid(contents, "SDX55", &error);
	g_assert_false(ret);
	fu_quectel_package_test_check_error(error, "expected SDX55");
}

static void
fu_quectel_package_contents_invalid_func(void)
{
	struct {
		const gchar *text;
		const gchar *needle;
	} invalid[] = {
	    {"", "file is empty"},
	    {"\xEF\xBB\xBF", "file is empty"},
	    {"<data/>", "expected <contents>"},
	    {"<contents/>", "no <chipid> or <chipset>"},
	    {"<contents><product_info><chipid>MDM 9607</chipid></product_info></contents>",
	     "invalid chip name"},
	    {"<contents><product_info><chipid>MDM9607</chipid></product_info><builds_flat>"
	     "<build><name>apps</name><chipset>SDX55</chipset></build></builds_flat></contents>",
	     "<build> #1 (apps): <chipset> is SDX55 but the chip is MDM9607"},
	    {"<contents><builds_flat><build><chipset>MDM9607</chipset><download_file>"
	     "<file_name>sbl1.mbn</file_name><file_path>C:\\update\\</file_path>"
	     "</download_file></build></builds_flat></contents>",
	     "drive letter"},
	    {"<contents><builds_flat><build><chipset>MDM9607</chipset><download_file>"
	     "<file_name>..\\..\\sbl1.mbn</file_name></download_file></build></builds_flat>"
	     "</contents>",
	     "contains '..'"},
	    {"<contents><builds_flat><build><chipset>MDM9607</chipset><download_file>"
	     "<file_path>update/</file_path></download_file></build></builds_flat></contents>",
	     "missing <file_name>"},
	    {"<contents><builds_flat><build><chipset>MDM9607</chipset>"
	     "<partition_file><file_name>a.xml</file_name></partition_file>"
	     "<partition_file><file_name>b.xml</file_name></partition_file>"
	     "</build></builds_flat></contents>",
	     "second <partition_file>"},
	    {"<contents><product_info><chipid>MDM9607</chipid></product_info>", "invalid XML"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(invalid); i++)
		fu_quectel_package_test_contents_invalid(invalid[i].text, invalid[i].needle);
}

static void
fu_quectel_package_partition_nand_func(void)
{
	FuQuectelPackagePartition *part;
	FuQuectelPackageGeometry geometry = {0};
	FuQuectelPackageGeometry geometry4k = {0};
	gboolean ret;
	guint32 total_blocks = 0;
	g_autoptr(GBytes) blob = fu_quectel_package_test_load("partition_nand.xml");
	g_autoptr(GBytes) blob_rp =
	    fu_quectel_package_test_load("rawprogram_nand_p2K_b128K_update.xml");
	g_autoptr(GError) error = NULL;
	g_autoptr(FuQuectelPackagePartitionNand) nand = NULL;
	g_autoptr(FuQuectelPackagePartitionNand) nand_grow = NULL;
	g_autoptr(FuQuectelPackagePartitionNand) nand4k = NULL;
	g_autoptr(FuQuectelPackageRawprogram) rp = NULL;

	ret = fu_quectel_package_geometry_parse("p2K_b128K", &geometry, &error);
	g_assert_no_error(error);
	g_assert_true(ret);
	ret = fu_quectel_package_geometry_get_total_blocks(&geometry, 2, &total_blocks, &error);
	g_assert_no_error(error);
	g_assert_true(ret);

	/* 2K pages, 128K blocks, 2048 blocks: the EG25-G layout */
	nand = fu_quectel_package_partition_nand_parse_bytes(blob, &geometry, total_blocks, &error);
	g_assert_no_error(error);
	g_assert_nonnull(nand);
	g_assert_cmpint(nand->version, ==, 4);
	g_assert_cmpint(nand->partitions->len, ==, 18);
	part = g_ptr_array_index(nand->partitions, 0);
	g_assert_cmpstr(part->name, ==, "0:SBL");
	g_assert_cmpint(part->start_block, ==, 0);
	g_assert_cmpint(part->num_blocks, ==, 10);
	g_assert_cmpstr(part->img_name, ==, "sbl1.mbn");
	g_assert_cmpint(part->attr1, ==, 0xFF);
	g_assert_cmpint(part->attr2, ==, 0x01);
	g_assert_cmpint(part->attr3, ==, 0x00);
	g_assert_false(part->grow);
	part = fu_quectel_package_partition_find(nand->partitions, "0:MIBIB");
	g_assert_nonnull(part);
	g_assert_cmpint(part->start_block, ==, 10);
	g_assert_cmpint(part->num_blocks, ==, 10);
	part = fu_quectel_package_partition_find(nand->partitions, "0:EFS2");
	g_assert_nonnull(part);
	g_assert_cmpint(part->start_block, ==, 20);
	g_assert_cmpint(part->num_blocks, ==, 136);
	g_assert_null(part->img_name);
	part = fu_quectel_package_partition_find(nand->partitions, "0:TZ");
	g_assert_nonnull(part);
	g_assert_cmpint(part->start_block, ==, 206);
	g_assert_cmpint(part->num_blocks, ==, 12);
	part = fu_quectel_package_partition_find(nand->partitions, "0:RPM");
	g_assert_nonnull(part);
	g_assert_cmpint(part->start_block, ==, 218);
	g_assert_cmpint(part->num_blocks, ==, 9);
	part = fu_quectel_package_partition_find(nand->partitions, "0:system");
	g_assert_nonnull(part);
	g_assert_true(part->grow);
	g_assert_cmpint(part->start_block, ==, 1476);
	g_assert_cmpint(part->num_blocks, ==, 572);
	g_assert_null(fu_quectel_package_partition_find(nand->partitions, "0:missing"));

	/* every op of the rawprogram covers exactly one partition */
	rp = fu_quectel_package_rawprogram_parse_bytes(blob_rp, &error);
	g_assert_no_error(error);
	g_assert_nonnull(rp);
	ret =
	    fu_quectel_package_rawprogram_check_partitions(rp, &geometry, nand->partitions, &error);
	g_assert_no_error(error);
	g_assert_true(ret);

	/* unknown flash size: the last partition grows, any size of it is accepted */
	nand_grow = fu_quectel_package_partition_nand_parse_bytes(blob, &geometry, 0, &error);
	g_assert_no_error(error);
	g_assert_nonnull(nand_grow);
	part = g_ptr_array_index(nand_grow->partitions, 17);
	g_assert_true(part->grow);
	g_assert_cmpint(part->num_blocks, ==, 0);
	ret = fu_quectel_package_rawprogram_check_partitions(rp,
							     &geometry,
							     nand_grow->partitions,
							     &error);
	g_assert_no_error(error);
	g_assert_true(ret);

	/* 4K pages, 256K blocks: sizes in blocks stay, sizes in KiB round up */
	ret = fu_quectel_package_geometry_parse("p4K_b256K", &geometry4k, &error);
	g_assert_no_error(error);
	g_assert_true(ret);
	nand4k = fu_quectel_package_partition_nand_parse_bytes(blob, &geometry4k, 0, &error);
	g_assert_no_error(error);
	g_assert_nonnull(nand4k);
	part = fu_quectel_package_partition_find(nand4k->partitions, "0:MIBIB");
	g_assert_nonnull(part);
	g_assert_cmpint(part->start_block, ==, 10);
	part = fu_quectel_package_partition_find(nand4k->partitions, "0:RPM");
	g_assert_nonnull(part);
	g_assert_cmpint(part->num_blocks, ==, 5); /* 1024 KiB + 128 KiB: 4 + 1 */

	/* the 2K rawprogram does not fit the 4K map */
	ret = fu_quectel_package_rawprogram_check_partitions(rp,
							     &geometry4k,
							     nand4k->partitions,
							     &error);
	g_assert_false(ret);
	fu_quectel_package_test_check_error(error, "element #2 <program>");
}

static void
fu_quectel_package_partition_nand_invalid_func(void)
{
	const gchar *attrs = "<attr>0xFF</attr><attr>0x01</attr><attr>0x00</attr><attr>0xFF</attr>";
	struct {
		const gchar *partitions;
		guint32 total_blocks;
		const gchar *needle;
	} invalid[] = {
	    {"<partition><name>0:A</name><flags>0xFFFFFFFF</flags>@ATTRS@</partition>"
	     "<partition><name>0:B</name><size_kb>128</size_kb>@ATTRS@</partition>",
	     0,
	     "<partition> #0: 0:A: no size"},
	    {"<partition><name>0:A</name><size_kb>0xFFFFFFFF</size_kb><pad_kb>128</pad_kb>@ATTRS@"
	     "</partition>",
	     0,
	     "without padding"},
	    {"<partition><name>0:A</name><size_kb>128</size_kb><size_blks>0x1</size_blks>@ATTRS@"
	     "</partition>",
	     0,
	     "more than one size"},
	    {"<partition><name>0:A</name><size_kb>128</size_kb>@ATTRS@</partition>"
	     "<partition><name>0:A</name><size_kb>128</size_kb>@ATTRS@</partition>",
	     0,
	     "duplicate partition 0:A"},
	    {"<partition><name>0:A</name><size_kb>128</size_kb><colour>red</colour>@ATTRS@"
	     "</partition>",
	     0,
	     "unexpected element <colour>"},
	    {"<partition><name>0:A</name><size_kb>12x8</size_kb>@ATTRS@</partition>",
	     0,
	     "<size_kb>: invalid number"},
	    {"<partition><name>0:A</name><size_kb>-128</size_kb>@ATTRS@</partition>",
	     0,
	     "decimal digits"},
	    {"<partition><name>0:A</name><size_kb>99999999999</size_kb>@ATTRS@</partition>",
	     0,
	     "above maximum"},
	    {"<partition><name>0:A</name><size_blks>0xG</size_blks>@ATTRS@</partition>",
	     0,
	     "hexadecimal digits"},
	    {"<partition><name>0:ABCDEFGHIJKLMNOP</name><size_kb>128</size_kb>@ATTRS@</partition>",
	     0,
	     "invalid partition name"},
	    {"<partition><name>0: A</name><size_kb>128</size_kb>@ATTRS@</partition>",
	     0,
	     "invalid partition name"},
	    {"<partition><name>0:A</name><size_kb>1024</size_kb>@ATTRS@</partition>",
	     4,
	     "beyond the 0x4 blocks"},
	    {"<partition><name>0:A</name><size_kb>128</size_kb>@ATTRS@</partition>"
	     "<partition><name>0:B</name><flags>0</flags>@ATTRS@</partition>",
	     1,
	     "starts at block 0x1, beyond the 0x1 blocks"},
	    {"<partition><name>0:A</name><size_kb>128</size_kb><attr>0x1</attr></partition>",
	     0,
	     "1 <attr>, expected 4"},
	    {"<partition><name>0:A</name><size_kb>128</size_kb>@ATTRS@<attr>0x1</attr></partition>",
	     0,
	     "more than 4 <attr>"},
	    {"<partition><name>0:A</name><size_kb>128</size_kb><attr>0x100</attr></partition>",
	     0,
	     "above maximum"},
	    {"<partition><size_kb>128</size_kb>@ATTRS@</partition>", 0, "missing <name>"},
	    {"<partition><name></name><size_kb>128</size_kb>@ATTRS@</partition>",
	     0,
	     "empty element <name>"},
	    {"<partition><name>0:A</name><size_kb>128</size_kb>@ATTRS@<img_name>..</img_name>"
	     "</partition>",
	     0,
	     "invalid filename"},
	    {"<table/>", 0, "element #0 is <table>, expected <partition>"},
	    {"", 0, "0 partitions, expected 1 to 48"},
	};
	g_autoptr(GString) many = g_string_new(NULL);

	for (guint i = 0; i < G_N_ELEMENTS(invalid); i++) {
		g_autoptr(GString) partitions = g_string_new(invalid[i].partitions);
		g_string_replace(partitions, "@ATTRS@", attrs, 0);
		fu_quectel_package_test_partition_nand_invalid(partitions->str,
							       invalid[i].total_blocks,
							       invalid[i].needle);
	}
	for (guint i = 0; i <= FU_QUECTEL_PACKAGE_PARTITIONS_MAX; i++) {
		g_string_append_printf(many,
				       "<partition><name>0:p%u</name><size_kb>128</size_kb>%s"
				       "</partition>",
				       i,
				       attrs);
	}
	fu_quectel_package_test_partition_nand_invalid(many->str, 0, "49 partitions");
}

static void
fu_quectel_package_xml_hostile_func(void)
{
	g_autofree gchar *fn = g_build_filename(SRCDIR, "tests", "md5.txt", NULL);
	g_autofree gchar *xxe = g_strdup_printf(
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE data [<!ENTITY xxe SYSTEM \"file://%s\">]>\n"
	    "<data><program SECTOR_SIZE_IN_BYTES=\"2048\" filename=\"&xxe;\" "
	    "num_partition_sectors=\"1\" physical_partition_number=\"0\" start_sector=\"0\"/>"
	    "</data>",
	    fn);
	const gchar *laughs = "<?xml version=\"1.0\"?>\n"
			      "<!DOCTYPE data [\n"
			      " <!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
			      " <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
			      " <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
			      " <!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
			      "]>\n"
			      "<data><erase SECTOR_SIZE_IN_BYTES=\"2048\" label=\"&d;\" "
			      "num_partition_sectors=\"1\" physical_partition_number=\"0\" "
			      "start_sector=\"0\"/></data>";
	g_autoptr(GError) error = NULL;
	g_autoptr(FuQuectelPackagePartitionNand) nand = NULL;
	g_autoptr(FuQuectelPackagePartitionNand) nand_xxe = NULL;
	FuQuectelPackageGeometry geometry = {
	    .page_size = 2048,
	    .block_size = 131072,
	    .pages_per_block = 64,
	};

	/* the converter's XML parsers load through the plugin's hardened loader too */
	nand_xxe = fu_quectel_package_partition_nand_parse(xxe, strlen(xxe), &geometry, 0, &error);
	g_assert_null(nand_xxe);
	fu_quectel_package_test_check_error(error, "partition_nand.xml: invalid XML");
	g_clear_error(&error);
	nand =
	    fu_quectel_package_partition_nand_parse(laughs, strlen(laughs), &geometry, 0, &error);
	g_assert_null(nand);
	fu_quectel_package_test_check_error(error, "partition_nand.xml: invalid XML");
	fu_quectel_package_test_contents_invalid(xxe, "contents.xml: invalid XML");
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
	g_test_add_func("/quectel-fw2cab/package/path", fu_quectel_package_path_func);
	g_test_add_func("/quectel-fw2cab/package/md5", fu_quectel_package_md5_func);
	g_test_add_func("/quectel-fw2cab/package/md5{invalid}",
			fu_quectel_package_md5_invalid_func);
	g_test_add_func("/quectel-fw2cab/package/contents", fu_quectel_package_contents_func);
	g_test_add_func("/quectel-fw2cab/package/contents{invalid}",
			fu_quectel_package_contents_invalid_func);
	g_test_add_func("/quectel-fw2cab/package/partition-nand",
			fu_quectel_package_partition_nand_func);
	g_test_add_func("/quectel-fw2cab/package/partition-nand{invalid}",
			fu_quectel_package_partition_nand_invalid_func);
	g_test_add_func("/quectel-fw2cab/package/xml{hostile}",
			fu_quectel_package_xml_hostile_func);
	g_test_add_func("/quectel-fw2cab/package-check{names}",
			fu_quectel_package_check_names_func);
	return g_test_run();
}

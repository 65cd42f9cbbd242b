/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "fu-quectel-firmware.h"
#include "fu-quectel-package-check.h"
#include "fu-quectel-payload-rules.h"
#include "fu-quectel-plan.h"
#include "fu-quectel-release.h"
#include "fu-quectel-zip.h"

/**
 * FuQuectelFirmware:
 *
 * The Firehose payload of a Quectel EC25/EG25 cabinet: a zip holding the programmer, the
 * rawprogram and patch files, the MIBIB and every image they reference, flattened. Parsing
 * validates it with the same rules as the cab converter, so a payload that would touch the
 * calibration or mix geometries is refused before anything touches a module.
 *
 * Stored images are not copied: each child image is a window on the payload stream.
 */

struct _FuQuectelFirmware {
	FuFirmware parent_instance;
	FuQuectelPackageGeometry geometry;
	gchar *programmer_id;
	gchar *rawprogram_id;
	gchar *patch_id;
	gchar *mibib_id;
	FuQuectelPackageRawprogram *rawprogram;
	GPtrArray *patches; /* of FuQuectelPackagePatch, never NULL */
	FuQuectelPackageMibib *mibib;
	GHashTable *image_sizes;   /* basename → guint64 */
	GPtrArray *plan;	   /* of FuQuectelPlanStep, from the safety check */
	FuQuectelRelease *release; /* from quectel-release.ini */
};

G_DEFINE_TYPE(FuQuectelFirmware, fu_quectel_firmware, FU_TYPE_FIRMWARE)

static void
fu_quectel_firmware_export(FuFirmware *firmware, FuFirmwareExportFlags flags, XbBuilderNode *bn)
{
	FuQuectelFirmware *self = FU_QUECTEL_FIRMWARE(firmware);
	g_autofree gchar *geometry = NULL;

	if (self->rawprogram == NULL)
		return;
	geometry = fu_quectel_package_geometry_to_string(&self->geometry);
	fu_xmlb_builder_insert_kv(bn, "geometry", geometry);
	fu_xmlb_builder_insert_kv(bn, "programmer", self->programmer_id);
	fu_xmlb_builder_insert_kv(bn, "rawprogram", self->rawprogram_id);
	fu_xmlb_builder_insert_kv(bn, "patch", self->patch_id);
	fu_xmlb_builder_insert_kv(bn, "mibib", self->mibib_id);
	fu_xmlb_builder_insert_kx(bn, "ops", self->rawprogram->ops->len);
	fu_xmlb_builder_insert_kx(bn, "patches", self->patches->len);
	fu_xmlb_builder_insert_kx(bn, "partitions", self->mibib->partitions->len);
	if (self->release != NULL && self->release->revision->subversion != NULL)
		fu_xmlb_builder_insert_kv(bn, "subversion", self->release->revision->subversion);
}

/* the one entry of @kind, see fu-quectel-payload-rules.c */
static FuQuectelZipEntry *
fu_quectel_firmware_find_entry(GPtrArray *entries, FuQuectelPayloadFile kind, GError **error)
{
	const gchar *what = fu_quectel_payload_rules_get_what(kind);
	FuQuectelZipEntry *found = NULL;

	for (guint i = 0; i < entries->len; i++) {
		FuQuectelZipEntry *entry = g_ptr_array_index(entries, i);
		if (!fu_quectel_payload_rules_match(kind, entry->basename))
			continue;
		if (found != NULL) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_FILE,
				    "%s: payload has a second %s, already have %s",
				    entry->name,
				    what,
				    found->name);
			return NULL;
		}
		found = entry;
	}
	if (found == NULL && fu_quectel_payload_rules_is_required(kind)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    "payload has no %s (%s)",
			    what,
			    fu_quectel_payload_rules_get_globs(kind));
		return NULL;
	}
	if (found == NULL) {
		g_set_error(error, FWUPD_ERROR, FWUPD_ERROR_NOT_FOUND, "payload has no %s", what);
		return NULL;
	}
	if (!fu_quectel_payload_rules_check(kind, found->basename, error))
		return NULL;
	return found;
}

/* a small file of the payload, read to memory */
static GBytes *
fu_quectel_firmware_read_entry(FuQuectelZipEntry *entry,
			       GInputStream *stream,
			       gsize size_max,
			       FuFirmwareParseFlags flags,
			       GError **error)
{
	g_autoptr(GInputStream) istream = NULL;

	if (entry->size > size_max) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    "%s: 0x%x bytes, the limit is 0x%x",
			    entry->name,
			    (guint)entry->size,
			    (guint)size_max);
		return NULL;
	}
	istream = fu_quectel_zip_entry_open(entry,
					    stream,
					    (flags & FU_FIRMWARE_PARSE_FLAG_IGNORE_CHECKSUM) == 0,
					    error);
	if (istream == NULL)
		return NULL;
	return fu_input_stream_read_bytes(istream, 0, entry->size, NULL, error);
}

/* what the payload installs, see fu-quectel-release.c */
static gboolean
fu_quectel_firmware_parse_release(FuQuectelFirmware *self,
				  GPtrArray *entries,
				  GInputStream *stream,
				  FuFirmwareParseFlags flags,
				  GError **error)
{
	FuQuectelZipEntry *found = NULL;
	g_autoptr(GBytes) blob = NULL;

	g_clear_pointer(&self->release, fu_quectel_release_free);
	for (guint i = 0; i < entries->len; i++) {
		FuQuectelZipEntry *entry = g_ptr_array_index(entries, i);
		if (g_ascii_strcasecmp(entry->basename, FU_QUECTEL_RELEASE_FILENAME) != 0)
			continue;
		if (found != NULL) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_FILE,
				    "%s: payload has a second " FU_QUECTEL_RELEASE_FILENAME
				    ", already have %s",
				    entry->name,
				    found->name);
			return FALSE;
		}
		found = entry;
	}
	if (found == NULL) {
		g_set_error_literal(
		    error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_INVALID_FILE,
		    "payload has no " FU_QUECTEL_RELEASE_FILENAME
		    ", so the version and variant it installs are unknown: it was "
		    "made by a converter older than " FU_QUECTEL_RELEASE_CONVERTER_SINCE
		    "; convert the vendor folder again");
		return FALSE;
	}
	blob = fu_quectel_firmware_read_entry(found,
					      stream,
					      FU_QUECTEL_RELEASE_SIZE_MAX,
					      flags,
					      error);
	if (blob == NULL)
		return FALSE;
	self->release =
	    fu_quectel_release_parse(g_bytes_get_data(blob, NULL), g_bytes_get_size(blob), error);
	return self->release != NULL;
}

/* a DISK patch may not write beyond the flash the release is for */
static gboolean
fu_quectel_firmware_check_disk_patches(FuQuectelFirmware *self, GError **error)
{
	guint32 total_blocks = 0;
	guint64 total_sectors;

	if (!fu_quectel_package_geometry_get_total_blocks(&self->release->geometry,
							  self->release->revision->flash_gbit,
							  &total_blocks,
							  error))
		return FALSE;
	total_sectors = (guint64)total_blocks * self->release->geometry.pages_per_block;
	for (guint i = 0; i < self->patches->len; i++) {
		FuQuectelPackagePatch *patch = g_ptr_array_index(self->patches, i);
		if (!fu_quectel_package_patch_is_disk(patch) || !patch->start_sector_is_numeric)
			continue;
		if (patch->start_sector_value >= total_sectors) {
			g_set_error(
			    error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    "%s: patch #%u: DISK <patch> writes sector 0x%" G_GINT64_MODIFIER
			    "x, beyond the 0x%" G_GINT64_MODIFIER "x sectors of the %u Gbit "
			    "flash of %s",
			    self->patch_id,
			    i,
			    patch->start_sector_value,
			    total_sectors,
			    self->release->revision->flash_gbit,
			    self->release->revision->revision);
			return FALSE;
		}
	}
	return TRUE;
}

/* the manifest must describe the payload it travels in */
static gboolean
fu_quectel_firmware_check_release(FuQuectelFirmware *self, GError **error)
{
	if (!fu_quectel_package_geometry_equal(&self->release->geometry, &self->geometry)) {
		g_autofree gchar *geometry_release =
		    fu_quectel_package_geometry_to_string(&self->release->geometry);
		g_autofree gchar *geometry_payload =
		    fu_quectel_package_geometry_to_string(&self->geometry);
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    FU_QUECTEL_RELEASE_FILENAME ": Geometry is %s but the payload's "
							"files are %s",
			    geometry_release,
			    geometry_payload);
		return FALSE;
	}
	if (!fu_quectel_release_check_flash(self->release, self->mibib->partitions, error)) {
		g_prefix_error(error, "%s: ", self->mibib_id);
		return FALSE;
	}
	if (!fu_quectel_firmware_check_disk_patches(self, error))
		return FALSE;
	fu_firmware_set_version(FU_FIRMWARE(self), self->release->revision->revision);
	return TRUE;
}

static gboolean
fu_quectel_firmware_parse_manifest(FuQuectelFirmware *self,
				   GPtrArray *entries,
				   GInputStream *stream,
				   FuFirmwareParseFlags flags,
				   GError **error)
{
	FuQuectelZipEntry *entry;
	g_autoptr(GBytes) blob_rawprogram = NULL;
	g_autoptr(GBytes) blob_mibib = NULL;
	g_autoptr(GError) error_patch = NULL;

	/* the programmer */
	entry = fu_quectel_firmware_find_entry(entries, FU_QUECTEL_PAYLOAD_FILE_PROGRAMMER, error);
	if (entry == NULL)
		return FALSE;
	self->programmer_id = g_strdup(entry->basename);

	/* the rawprogram */
	entry = fu_quectel_firmware_find_entry(entries, FU_QUECTEL_PAYLOAD_FILE_RAWPROGRAM, error);
	if (entry == NULL)
		return FALSE;
	self->rawprogram_id = g_strdup(entry->basename);
	blob_rawprogram = fu_quectel_firmware_read_entry(entry,
							 stream,
							 FU_QUECTEL_PACKAGE_XML_SIZE_MAX,
							 flags,
							 error);
	if (blob_rawprogram == NULL)
		return FALSE;
	self->rawprogram = fu_quectel_package_rawprogram_parse_bytes(blob_rawprogram, error);
	if (self->rawprogram == NULL) {
		g_prefix_error(error, "%s: invalid file: ", entry->name);
		return FALSE;
	}

	/* the MIBIB, the partition table the update writes */
	entry = fu_quectel_firmware_find_entry(entries, FU_QUECTEL_PAYLOAD_FILE_MIBIB, error);
	if (entry == NULL)
		return FALSE;
	self->mibib_id = g_strdup(entry->basename);
	blob_mibib = fu_quectel_firmware_read_entry(entry,
						    stream,
						    FU_QUECTEL_PACKAGE_MIBIB_SIZE_MAX,
						    flags,
						    error);
	if (blob_mibib == NULL)
		return FALSE;
	self->mibib = fu_quectel_package_mibib_parse_bytes(blob_mibib, 0, error);
	if (self->mibib == NULL) {
		g_prefix_error(error, "%s: invalid file: ", entry->name);
		return FALSE;
	}

	/* the patch file is optional */
	entry =
	    fu_quectel_firmware_find_entry(entries, FU_QUECTEL_PAYLOAD_FILE_PATCH, &error_patch);
	if (entry == NULL) {
		if (!g_error_matches(error_patch, FWUPD_ERROR, FWUPD_ERROR_NOT_FOUND)) {
			g_propagate_error(error, g_steal_pointer(&error_patch));
			return FALSE;
		}
		g_debug("no patch file: %s", error_patch->message);
	} else {
		g_autoptr(GBytes) blob_patch = NULL;
		g_autoptr(GPtrArray) patches = NULL;
		self->patch_id = g_strdup(entry->basename);
		blob_patch = fu_quectel_firmware_read_entry(entry,
							    stream,
							    FU_QUECTEL_PACKAGE_XML_SIZE_MAX,
							    flags,
							    error);
		if (blob_patch == NULL)
			return FALSE;
		patches = fu_quectel_package_patch_parse_bytes(blob_patch, error);
		if (patches == NULL) {
			g_prefix_error(error, "%s: invalid file: ", entry->name);
			return FALSE;
		}
		g_ptr_array_unref(self->patches);
		self->patches = g_steal_pointer(&patches);
	}
	return TRUE;
}

/* every file becomes a child image, id = basename; stored ones stay windows on @stream */
static gboolean
fu_quectel_firmware_add_images(FuQuectelFirmware *self,
			       GPtrArray *entries,
			       GInputStream *stream,
			       FuFirmwareParseFlags flags,
			       GError **error)
{
	for (guint i = 0; i < entries->len; i++) {
		FuQuectelZipEntry *entry = g_ptr_array_index(entries, i);
		g_autoptr(FuFirmware) img = fu_firmware_new();
		g_autoptr(GInputStream) istream = NULL;

		istream =
		    fu_quectel_zip_entry_open(entry,
					      stream,
					      (flags & FU_FIRMWARE_PARSE_FLAG_IGNORE_CHECKSUM) == 0,
					      error);
		if (istream == NULL)
			return FALSE;
		if (!fu_firmware_set_stream(img, istream, error))
			return FALSE;
		fu_firmware_set_id(img, entry->basename);
		fu_firmware_set_filename(img, entry->name);
		if (!fu_firmware_add_image(FU_FIRMWARE(self), img, error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
fu_quectel_firmware_validate(FuFirmware *firmware,
			     GInputStream *stream,
			     gsize offset,
			     GError **error)
{
	return fu_struct_quectel_zip_local_validate_stream(stream, offset, error);
}

static gboolean
fu_quectel_firmware_parse(FuFirmware *firmware,
			  GInputStream *stream,
			  FuFirmwareParseFlags flags,
			  GError **error)
{
	FuQuectelFirmware *self = FU_QUECTEL_FIRMWARE(firmware);
	g_autoptr(GPtrArray) entries = NULL;
	FuQuectelPackageCheckInput input = {0};

	entries = fu_quectel_zip_parse(stream, error);
	if (entries == NULL) {
		g_prefix_error_literal(error, "invalid payload zip: ");
		return FALSE;
	}

	/* nothing of a factory package, whatever it is used for */
	for (guint i = 0; i < entries->len; i++) {
		FuQuectelZipEntry *entry = g_ptr_array_index(entries, i);
		if (!fu_quectel_package_check_filename(entry->name, error))
			return FALSE;
		fu_quectel_package_check_image_sizes_add(self->image_sizes,
							 entry->basename,
							 entry->size);
	}
	if (!fu_quectel_firmware_parse_release(self, entries, stream, flags, error))
		return FALSE;
	if (!fu_quectel_firmware_parse_manifest(self, entries, stream, flags, error))
		return FALSE;

	/* the same rules as the cab converter */
	input.programmer_fn = self->programmer_id;
	input.rawprogram_fn = self->rawprogram_id;
	input.rawprogram = self->rawprogram;
	input.patch_fn = self->patch_id;
	input.patches = self->patches;
	input.mibib_fn = self->mibib_id;
	input.mibib = self->mibib;
	input.image_sizes = self->image_sizes;
	if (self->plan != NULL)
		g_ptr_array_unref(self->plan);
	self->plan = fu_quectel_package_check_run(&input, &self->geometry, error);
	if (self->plan == NULL)
		return FALSE;
	if (!fu_quectel_firmware_check_release(self, error))
		return FALSE;

	/* only now read the images, checking their CRC */
	return fu_quectel_firmware_add_images(self, entries, stream, flags, error);
}

/**
 * fu_quectel_firmware_get_geometry:
 * @self: a #FuQuectelFirmware
 *
 * Returns: the NAND geometry of the payload: page size (= sector size), pages per block
 **/
const FuQuectelPackageGeometry *
fu_quectel_firmware_get_geometry(FuQuectelFirmware *self)
{
	g_return_val_if_fail(FU_IS_QUECTEL_FIRMWARE(self), NULL);
	return &self->geometry;
}

/**
 * fu_quectel_firmware_get_release:
 * @self: a #FuQuectelFirmware
 *
 * What the payload installs, from its quectel-release.ini; pass it to
 * fu_quectel_release_check_fit() with the module's identity before touching the module.
 *
 * Returns: (transfer none) (nullable): the release, or %NULL if the payload was not parsed
 **/
const FuQuectelRelease *
fu_quectel_firmware_get_release(FuQuectelFirmware *self)
{
	g_return_val_if_fail(FU_IS_QUECTEL_FIRMWARE(self), NULL);
	return self->release;
}

/**
 * fu_quectel_firmware_get_partitions:
 * @self: a #FuQuectelFirmware
 *
 * The partition map the update writes: the EDL device refuses a module whose flash is smaller.
 *
 * Returns: (transfer none) (element-type FuQuectelPackagePartition) (nullable): the
 * partitions of the MIBIB, in flash order, or %NULL if the payload was not parsed
 **/
GPtrArray *
fu_quectel_firmware_get_partitions(FuQuectelFirmware *self)
{
	g_return_val_if_fail(FU_IS_QUECTEL_FIRMWARE(self), NULL);
	return self->mibib != NULL ? self->mibib->partitions : NULL;
}

/* an image of the payload by its basename */
static GBytes *
fu_quectel_firmware_get_image_bytes(FuQuectelFirmware *self, const gchar *basename, GError **error)
{
	g_return_val_if_fail(FU_IS_QUECTEL_FIRMWARE(self), NULL);
	return fu_firmware_get_image_by_id_bytes(FU_FIRMWARE(self), basename, error);
}

/**
 * fu_quectel_firmware_get_programmer_bytes:
 * @self: a #FuQuectelFirmware
 * @error: (nullable): optional return location for an error
 *
 * Returns: (transfer full): the Firehose programmer that Sahara uploads, or %NULL
 **/
GBytes *
fu_quectel_firmware_get_programmer_bytes(FuQuectelFirmware *self, GError **error)
{
	g_return_val_if_fail(FU_IS_QUECTEL_FIRMWARE(self), NULL);
	if (self->programmer_id == NULL) {
		g_set_error_literal(error, FWUPD_ERROR, FWUPD_ERROR_NOT_FOUND, "not parsed");
		return NULL;
	}
	return fu_quectel_firmware_get_image_bytes(self, self->programmer_id, error);
}

/**
 * fu_quectel_firmware_get_image_stream:
 * @self: a #FuQuectelFirmware
 * @basename: a file of the payload, e.g. `NON-HLOS.ubi`
 * @error: (nullable): optional return location for an error
 *
 * The stream of a stored image is a window on the payload stream and shares its position
 * with the other images: seek it, or read it with the offset-based helpers such as
 * fu_input_stream_read_bytes() and fu_chunk_array_new_from_stream(), which do.
 *
 * Returns: (transfer full): a seekable stream of the file, not a copy, or %NULL
 **/
GInputStream *
fu_quectel_firmware_get_image_stream(FuQuectelFirmware *self, const gchar *basename, GError **error)
{
	g_return_val_if_fail(FU_IS_QUECTEL_FIRMWARE(self), NULL);
	return fu_firmware_get_image_by_id_stream(FU_FIRMWARE(self), basename, error);
}

/**
 * fu_quectel_firmware_get_plan:
 * @self: a #FuQuectelFirmware
 *
 * Returns: (transfer none) (element-type FuQuectelPlanStep) (nullable): the operations in the
 * order the update performs them, as the safety check built them while parsing, or %NULL if
 * the payload was not parsed
 **/
GPtrArray *
fu_quectel_firmware_get_plan(FuQuectelFirmware *self)
{
	g_return_val_if_fail(FU_IS_QUECTEL_FIRMWARE(self), NULL);
	return self->plan;
}

static void
fu_quectel_firmware_init(FuQuectelFirmware *self)
{
	self->patches = g_ptr_array_new();
	self->image_sizes = fu_quectel_package_check_image_sizes_new();
	fu_firmware_set_images_max(FU_FIRMWARE(self), FU_QUECTEL_ZIP_ENTRIES_MAX);
}

static void
fu_quectel_firmware_finalize(GObject *object)
{
	FuQuectelFirmware *self = FU_QUECTEL_FIRMWARE(object);
	if (self->plan != NULL)
		g_ptr_array_unref(self->plan);
	if (self->release != NULL)
		fu_quectel_release_free(self->release);
	g_free(self->programmer_id);
	g_free(self->rawprogram_id);
	g_free(self->patch_id);
	g_free(self->mibib_id);
	if (self->rawprogram != NULL)
		fu_quectel_package_rawprogram_free(self->rawprogram);
	g_ptr_array_unref(self->patches);
	if (self->mibib != NULL)
		fu_quectel_package_mibib_free(self->mibib);
	g_hash_table_unref(self->image_sizes);
	G_OBJECT_CLASS(fu_quectel_firmware_parent_class)->finalize(object);
}

static void
fu_quectel_firmware_class_init(FuQuectelFirmwareClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	FuFirmwareClass *firmware_class = FU_FIRMWARE_CLASS(klass);
	object_class->finalize = fu_quectel_firmware_finalize;
	firmware_class->validate = fu_quectel_firmware_validate;
	firmware_class->parse = fu_quectel_firmware_parse;
	firmware_class->export = fu_quectel_firmware_export;
}

/**
 * fu_quectel_firmware_new:
 *
 * Returns: (transfer full): a #FuQuectelFirmware
 **/
FuFirmware *
fu_quectel_firmware_new(void)
{
	return FU_FIRMWARE(g_object_new(FU_TYPE_QUECTEL_FIRMWARE, NULL));
}

/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "fu-quectel-record.h"
#include "fu-quectel-revision.h"

/*
 * The record is a key file, one per module:
 *
 *   [Module]
 *   Imei=867698041234562
 *   Model=EC25
 *   Revision=EC25EFAR06A08M4G
 *   Variant=EFA                  (written for people; read back from Revision)
 *   FlashGbit=4                  (likewise)
 *   FullVersion=EC25EFAR06A08M4G_01.001.01.001
 *   PhysicalId=1-1
 *   VersionInstalling=EC25EFAR06A09M4G
 *   [Chip]                       (once the module was seen in EDL)
 *   Serial=0x1234abcd
 *   MsmHwId=0x000480e100000000
 *   OemPkHash=c5e0...
 */

#define FU_QUECTEL_RECORD_GROUP_MODULE "Module"
#define FU_QUECTEL_RECORD_GROUP_CHIP   "Chip"
#define FU_QUECTEL_RECORD_IMEI_LEN     15
#define FU_QUECTEL_RECORD_PK_HASH_MAX  128 /* hex digits: a SHA-512 at most */
#define FU_QUECTEL_RECORD_FIELD_MAX    64
#define FU_QUECTEL_RECORD_SIZE_MAX     4096

FuQuectelRecord *
fu_quectel_record_new(void)
{
	return g_new0(FuQuectelRecord, 1);
}

void
fu_quectel_record_free(FuQuectelRecord *self)
{
	if (self == NULL)
		return;
	g_free(self->imei);
	g_free(self->model);
	g_free(self->revision);
	g_free(self->full_version);
	g_free(self->physical_id);
	g_free(self->version_installing);
	g_free(self->oem_pk_hash);
	g_free(self);
}

/* printable, no separators: safe as a key file value and as part of a file name */
static gboolean
fu_quectel_record_check_field(const gchar *key, const gchar *value, GError **error)
{
	gsize len;

	if (value == NULL)
		return TRUE;
	len = strlen(value);
	if (len == 0 || len > FU_QUECTEL_RECORD_FIELD_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "record field %s has %u characters",
			    key,
			    (guint)len);
		return FALSE;
	}
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isalnum(value[i]) && value[i] != '.' && value[i] != '_' &&
		    value[i] != '-' && value[i] != ':') {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "record field %s has an invalid character 0x%02x",
				    key,
				    (guint)(guchar)value[i]);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
fu_quectel_record_check(const FuQuectelRecord *self, GError **error)
{
	g_autoptr(FuQuectelRevision) rev = NULL;

	if (self->model == NULL || self->revision == NULL || self->physical_id == NULL) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "record needs Model, Revision and PhysicalId");
		return FALSE;
	}
	if (!fu_quectel_record_check_field("Imei", self->imei, error) ||
	    !fu_quectel_record_check_field("Model", self->model, error) ||
	    !fu_quectel_record_check_field("Revision", self->revision, error) ||
	    !fu_quectel_record_check_field("FullVersion", self->full_version, error) ||
	    !fu_quectel_record_check_field("PhysicalId", self->physical_id, error) ||
	    !fu_quectel_record_check_field("VersionInstalling", self->version_installing, error))
		return FALSE;
	if (self->imei != NULL) {
		for (guint i = 0; i < FU_QUECTEL_RECORD_IMEI_LEN + 1; i++) {
			gboolean end = i == FU_QUECTEL_RECORD_IMEI_LEN;
			if (end != (self->imei[i] == '\0') ||
			    (!end && !g_ascii_isdigit(self->imei[i]))) {
				g_set_error(error,
					    FWUPD_ERROR,
					    FWUPD_ERROR_INVALID_DATA,
					    "record IMEI %s is not 15 digits",
					    self->imei);
				return FALSE;
			}
		}
	}
	rev = fu_quectel_revision_parse(self->revision, error);
	if (rev == NULL) {
		g_prefix_error_literal(error, "invalid record revision: ");
		return FALSE;
	}
	if (g_strcmp0(rev->model, self->model) != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "record revision %s is not for the recorded model %s",
			    self->revision,
			    self->model);
		return FALSE;
	}
	if (self->has_chip) {
		if (self->oem_pk_hash == NULL ||
		    strlen(self->oem_pk_hash) > FU_QUECTEL_RECORD_PK_HASH_MAX) {
			g_set_error_literal(error,
					    FWUPD_ERROR,
					    FWUPD_ERROR_INVALID_DATA,
					    "record OEM PK hash missing or too long");
			return FALSE;
		}
		for (const gchar *p = self->oem_pk_hash; *p != '\0'; p++) {
			if (!g_ascii_isxdigit(*p)) {
				g_set_error_literal(error,
						    FWUPD_ERROR,
						    FWUPD_ERROR_INVALID_DATA,
						    "record OEM PK hash is not hex");
				return FALSE;
			}
		}
	}
	return TRUE;
}

static void
fu_quectel_record_set_optional(GKeyFile *kf, const gchar *key, const gchar *value)
{
	if (value != NULL)
		g_key_file_set_string(kf, FU_QUECTEL_RECORD_GROUP_MODULE, key, value);
}

/**
 * fu_quectel_record_to_string:
 * @self: a #FuQuectelRecord
 * @error: (nullable): optional return location for an error
 *
 * Returns: (transfer full): the record as a key file, or %NULL if it is incomplete
 **/
gchar *
fu_quectel_record_to_string(const FuQuectelRecord *self, GError **error)
{
	g_autoptr(FuQuectelRevision) rev = NULL;
	g_autoptr(GKeyFile) kf = g_key_file_new();

	if (!fu_quectel_record_check(self, error))
		return NULL;
	rev = fu_quectel_revision_parse(self->revision, error);
	if (rev == NULL)
		return NULL;
	fu_quectel_record_set_optional(kf, "Imei", self->imei);
	fu_quectel_record_set_optional(kf, "Model", self->model);
	fu_quectel_record_set_optional(kf, "Revision", self->revision);
	fu_quectel_record_set_optional(kf, "Variant", rev->variant);
	g_key_file_set_uint64(kf, FU_QUECTEL_RECORD_GROUP_MODULE, "FlashGbit", rev->flash_gbit);
	fu_quectel_record_set_optional(kf, "FullVersion", self->full_version);
	fu_quectel_record_set_optional(kf, "PhysicalId", self->physical_id);
	fu_quectel_record_set_optional(kf, "VersionInstalling", self->version_installing);
	if (self->has_chip) {
		g_autofree gchar *serial = g_strdup_printf("0x%08x", self->chip_serial);
		g_autofree gchar *hw_id =
		    g_strdup_printf("0x%016" G_GINT64_MODIFIER "x", self->msm_hw_id);
		g_key_file_set_string(kf, FU_QUECTEL_RECORD_GROUP_CHIP, "Serial", serial);
		g_key_file_set_string(kf, FU_QUECTEL_RECORD_GROUP_CHIP, "MsmHwId", hw_id);
		g_key_file_set_string(kf,
				      FU_QUECTEL_RECORD_GROUP_CHIP,
				      "OemPkHash",
				      self->oem_pk_hash);
	}
	return g_key_file_to_data(kf, NULL, error);
}

static gchar *
fu_quectel_record_get_optional(GKeyFile *kf, const gchar *key)
{
	return g_key_file_get_string(kf, FU_QUECTEL_RECORD_GROUP_MODULE, key, NULL);
}

static gboolean
fu_quectel_record_parse_hex(GKeyFile *kf,
			    const gchar *key,
			    guint64 max,
			    guint64 *value,
			    GError **error)
{
	g_autofree gchar *str = g_key_file_get_string(kf, FU_QUECTEL_RECORD_GROUP_CHIP, key, NULL);
	if (str == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "record has a chip but no %s",
			    key);
		return FALSE;
	}
	if (!fu_strtoull(str, value, 0, max, FU_INTEGER_BASE_16, error)) {
		g_prefix_error(error, "invalid record %s: ", key);
		return FALSE;
	}
	return TRUE;
}

/**
 * fu_quectel_record_parse:
 * @data: a key file
 * @datasz: its size
 * @error: (nullable): optional return location for an error
 *
 * Returns: (transfer full): the record, or %NULL if the file is not a complete record
 **/
FuQuectelRecord *
fu_quectel_record_parse(const gchar *data, gsize datasz, GError **error)
{
	g_autoptr(FuQuectelRecord) self = fu_quectel_record_new();
	g_autoptr(GKeyFile) kf = g_key_file_new();

	if (datasz > FU_QUECTEL_RECORD_SIZE_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "record of %u bytes, at most %u",
			    (guint)datasz,
			    (guint)FU_QUECTEL_RECORD_SIZE_MAX);
		return NULL;
	}
	if (!g_key_file_load_from_data(kf, data, datasz, G_KEY_FILE_NONE, error)) {
		fwupd_error_convert(error);
		g_prefix_error_literal(error, "invalid record: ");
		return NULL;
	}
	self->imei = fu_quectel_record_get_optional(kf, "Imei");
	self->model = fu_quectel_record_get_optional(kf, "Model");
	self->revision = fu_quectel_record_get_optional(kf, "Revision");
	self->full_version = fu_quectel_record_get_optional(kf, "FullVersion");
	self->physical_id = fu_quectel_record_get_optional(kf, "PhysicalId");
	self->version_installing = fu_quectel_record_get_optional(kf, "VersionInstalling");
	if (g_key_file_has_group(kf, FU_QUECTEL_RECORD_GROUP_CHIP)) {
		guint64 serial = 0;
		if (!fu_quectel_record_parse_hex(kf, "Serial", G_MAXUINT32, &serial, error))
			return NULL;
		if (!fu_quectel_record_parse_hex(kf,
						 "MsmHwId",
						 G_MAXUINT64,
						 &self->msm_hw_id,
						 error))
			return NULL;
		self->chip_serial = (guint32)serial;
		self->oem_pk_hash =
		    g_key_file_get_string(kf, FU_QUECTEL_RECORD_GROUP_CHIP, "OemPkHash", NULL);
		self->has_chip = TRUE;
	}
	if (!fu_quectel_record_check(self, error))
		return NULL;
	return g_steal_pointer(&self);
}

/**
 * fu_quectel_record_get_basename:
 * @self: a #FuQuectelRecord
 *
 * Returns: (transfer full): the record's file name: by IMEI, or by USB port without one
 **/
gchar *
fu_quectel_record_get_basename(const FuQuectelRecord *self)
{
	if (self->imei != NULL)
		return g_strdup_printf("imei-%s.conf", self->imei);
	return g_strdup_printf("port-%s.conf", self->physical_id);
}

/**
 * fu_quectel_record_get_instance_ids:
 * @self: a #FuQuectelRecord
 * @error: (nullable): optional return location for an error
 *
 * Returns: (transfer container) (element-type utf8): the variant instance IDs of the recorded
 * revision, the ones a cabinet for this module provides
 **/
GPtrArray *
fu_quectel_record_get_instance_ids(const FuQuectelRecord *self, GError **error)
{
	g_autoptr(FuQuectelRevision) rev = fu_quectel_revision_parse(self->revision, error);
	if (rev == NULL)
		return NULL;
	return fu_quectel_revision_get_instance_ids(rev);
}

/**
 * fu_quectel_record_matches_chip:
 * @self: a #FuQuectelRecord
 * @chip_serial: the serial number read in EDL
 * @msm_hw_id: the MSM HW ID read in EDL
 *
 * Returns: %TRUE if the record is of this chip
 **/
gboolean
fu_quectel_record_matches_chip(const FuQuectelRecord *self, guint32 chip_serial, guint64 msm_hw_id)
{
	return self->has_chip && self->chip_serial == chip_serial && self->msm_hw_id == msm_hw_id;
}

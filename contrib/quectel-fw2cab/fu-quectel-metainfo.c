/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "fu-quectel-metainfo.h"

/* what the plugin supports, and the first fwupd that has it */
#define FU_QUECTEL_METAINFO_PROTOCOL	  "com.qualcomm.firehose"
#define FU_QUECTEL_METAINFO_FWUPD_ID	  "org.freedesktop.fwupd"
#define FU_QUECTEL_METAINFO_FWUPD_VERSION FWUPD_VERSION_BUILT
#define FU_QUECTEL_METAINFO_CATEGORY	  "X-NetworkInterface"
#define FU_QUECTEL_METAINFO_HOMEPAGE	  "https://www.quectel.com/"
#define FU_QUECTEL_METAINFO_DATE_LEN	  10

/**
 * fu_quectel_metainfo_get_component_id:
 * @revision: a parsed firmware version
 *
 * Returns: (transfer full): one reverse-DNS ID per variant and flash size, e.g.
 * `com.quectel.ec25efa_m4g.firmware`
 **/
gchar *
fu_quectel_metainfo_get_component_id(const FuQuectelRevision *revision)
{
	g_autofree gchar *variant = fu_quectel_revision_get_variant_id(revision);
	g_autofree gchar *flash = fu_quectel_revision_get_flash_id(revision);
	g_autofree gchar *id = g_strdup_printf("com.quectel.%s_%s.firmware", variant, flash);
	return g_ascii_strdown(id, -1);
}

/**
 * fu_quectel_metainfo_get_guid:
 * @revision: a parsed firmware version
 *
 * Returns: (transfer full): the GUID of the most specific instance ID the plugin adds to a
 * module of this variant and flash size, e.g. that of `QUECTEL\VARIANT_EC25EFA&FLASH_M4G`
 **/
gchar *
fu_quectel_metainfo_get_guid(const FuQuectelRevision *revision)
{
	g_autoptr(GPtrArray) ids = fu_quectel_revision_get_instance_ids(revision);
	const gchar *id = g_ptr_array_index(ids, ids->len - 1);
	return fwupd_guid_hash_string(id);
}

/**
 * fu_quectel_metainfo_check_urgency:
 * @urgency: e.g. `medium`
 * @error: (nullable): optional return location for an error
 *
 * Returns: %TRUE if it is an AppStream release urgency
 **/
gboolean
fu_quectel_metainfo_check_urgency(const gchar *urgency, GError **error)
{
	const gchar *valid[] = {"low", "medium", "high", "critical"};
	for (guint i = 0; i < G_N_ELEMENTS(valid); i++) {
		if (g_strcmp0(urgency, valid[i]) == 0)
			return TRUE;
	}
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_INVALID_DATA,
		    "invalid urgency '%s', expected low, medium, high or critical",
		    urgency);
	return FALSE;
}

/**
 * fu_quectel_metainfo_check_date:
 * @date: e.g. `2026-01-31`
 * @error: (nullable): optional return location for an error
 *
 * Returns: %TRUE if it is a valid date as YYYY-MM-DD
 **/
gboolean
fu_quectel_metainfo_check_date(const gchar *date, GError **error)
{
	g_autofree gchar *iso = g_strdup_printf("%sT00:00:00Z", date);
	g_autoptr(GDateTime) dt = NULL;
	g_autofree gchar *str = NULL;

	if (strlen(date) == FU_QUECTEL_METAINFO_DATE_LEN)
		dt = g_date_time_new_from_iso8601(iso, NULL);
	if (dt != NULL)
		str = g_date_time_format(dt, "%Y-%m-%d");
	if (g_strcmp0(str, date) != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "invalid date '%s', expected YYYY-MM-DD",
			    date);
		return FALSE;
	}
	return TRUE;
}

/* plain text to <description><p>…</p></description>, one paragraph per blank-line block */
static void
fu_quectel_metainfo_add_description(XbBuilderNode *parent, const gchar *text)
{
	g_autoptr(XbBuilderNode) description = xb_builder_node_insert(parent, "description", NULL);
	g_auto(GStrv) paragraphs = g_strsplit(text, "\n\n", -1);
	for (guint i = 0; paragraphs[i] != NULL; i++) {
		g_autofree gchar *para = g_strstrip(g_strdup(paragraphs[i]));
		g_strdelimit(para, "\n", ' ');
		if (para[0] == '\0')
			continue;
		xb_builder_node_insert_text(description, "p", para, NULL);
	}
}

/**
 * fu_quectel_metainfo_to_bytes:
 * @self: a #FuQuectelMetainfo
 * @error: (nullable): optional return location for an error
 *
 * Builds the AppStream metainfo of the release, as the LVFS and fwupd's FuCabinet expect
 * it; every text is escaped.
 *
 * Returns: (transfer full): the XML, or %NULL
 **/
GBytes *
fu_quectel_metainfo_to_bytes(const FuQuectelMetainfo *self, GError **error)
{
	const FuQuectelRevision *rev = self->revision;
	gsize len;
	g_autofree gchar *id = fu_quectel_metainfo_get_component_id(rev);
	g_autofree gchar *guid = fu_quectel_metainfo_get_guid(rev);
	g_autofree gchar *variant = fu_quectel_revision_get_variant_id(rev);
	g_autofree gchar *flash = fu_quectel_revision_get_flash_id(rev);
	g_autofree gchar *baseline = fu_quectel_revision_get_baseline_prefix(rev);
	g_autofree gchar *baseline_escaped = g_regex_escape_string(baseline, -1);
	g_autofree gchar *baseline_regex = g_strdup_printf("^%s", baseline_escaped);
	g_autofree gchar *name = g_strdup_printf("%s (%s, %s)", rev->model, rev->variant, flash);
	g_autofree gchar *summary = NULL;
	g_autofree gchar *description = NULL;
	g_autofree gchar *size = g_strdup_printf("%" G_GUINT64_FORMAT, self->payload_size);
	g_autofree gchar *duration = g_strdup_printf("%u", self->install_duration);
	g_autofree gchar *xml = NULL;
	g_autoptr(XbBuilderNode) component = xb_builder_node_new("component");
	g_autoptr(XbBuilderNode) provides = NULL;
	g_autoptr(XbBuilderNode) releases = NULL;
	g_autoptr(XbBuilderNode) release = NULL;
	g_autoptr(XbBuilderNode) requires = NULL;
	g_autoptr(XbBuilderNode) categories = NULL;
	g_autoptr(XbBuilderNode) keywords = NULL;
	g_autoptr(XbBuilderNode) custom = NULL;

	summary = g_strdup_printf("Firmware for the Quectel %s LTE module, %s variant with %u Gbit "
				  "NAND flash",
				  rev->model,
				  rev->variant,
				  rev->flash_gbit);
	description = g_strdup_printf(
	    "Quectel firmware %s for the %s LTE module, variant %s with %s (%u Gbit, %s) NAND "
	    "flash, installed through the Qualcomm emergency download mode (Sahara and "
	    "Firehose).\n\nThe update keeps the module's own EFS2 (RF calibration, IMEI, NV), "
	    "sys_rev and RAWDATA partitions. It is offered only to modules already running "
	    "%s firmware: Quectel does not allow flashing across baselines.",
	    rev->revision,
	    rev->model,
	    rev->variant,
	    flash,
	    rev->flash_gbit,
	    self->geometry,
	    baseline);

	xb_builder_node_set_attr(component, "type", "firmware");
	xb_builder_node_insert_text(component, "id", id, NULL);
	xb_builder_node_insert_text(component, "name", name, NULL);
	xb_builder_node_insert_text(component, "summary", summary, NULL);
	fu_quectel_metainfo_add_description(component, description);
	provides = xb_builder_node_insert(component, "provides", NULL);
	xb_builder_node_insert_text(provides, "firmware", guid, "type", "flashed", NULL);
	xb_builder_node_insert_text(component,
				    "url",
				    FU_QUECTEL_METAINFO_HOMEPAGE,
				    "type",
				    "homepage",
				    NULL);
	xb_builder_node_insert_text(component, "metadata_license", "CC0-1.0", NULL);
	xb_builder_node_insert_text(component, "project_license", "proprietary", NULL);
	xb_builder_node_insert_text(component, "developer_name", "Quectel", NULL);

	/* the release */
	releases = xb_builder_node_insert(component, "releases", NULL);
	release = xb_builder_node_insert(releases,
					 "release",
					 "version",
					 rev->revision,
					 "date",
					 self->release_date,
					 "urgency",
					 self->urgency,
					 "install_duration",
					 duration,
					 NULL);
	xb_builder_node_insert_text(release,
				    "checksum",
				    self->payload_sha256,
				    "type",
				    "sha256",
				    "filename",
				    self->payload_filename,
				    "target",
				    "content",
				    NULL);
	xb_builder_node_insert_text(release, "size", size, "type", "installed", NULL);
	fu_quectel_metainfo_add_description(release,
					    self->description != NULL ? self->description
								      : description);

	/* only the same baseline, never across: Quectel forbids it */
	requires = xb_builder_node_insert(component, "requires", NULL);
	xb_builder_node_insert_text(requires,
				    "id",
				    FU_QUECTEL_METAINFO_FWUPD_ID,
				    "compare",
				    "ge",
				    "version",
				    FU_QUECTEL_METAINFO_FWUPD_VERSION,
				    NULL);
	xb_builder_node_insert_text(requires,
				    "firmware",
				    NULL,
				    "compare",
				    "regex",
				    "version",
				    baseline_regex,
				    NULL);

	categories = xb_builder_node_insert(component, "categories", NULL);
	xb_builder_node_insert_text(categories, "category", FU_QUECTEL_METAINFO_CATEGORY, NULL);
	keywords = xb_builder_node_insert(component, "keywords", NULL);
	xb_builder_node_insert_text(keywords, "keyword", "quectel", NULL);
	xb_builder_node_insert_text(keywords, "keyword", rev->model, NULL);
	xb_builder_node_insert_text(keywords, "keyword", variant, NULL);
	custom = xb_builder_node_insert(component, "custom", NULL);
	xb_builder_node_insert_text(custom, "value", "plain", "key", "LVFS::VersionFormat", NULL);
	xb_builder_node_insert_text(custom,
				    "value",
				    FU_QUECTEL_METAINFO_PROTOCOL,
				    "key",
				    "LVFS::UpdateProtocol",
				    NULL);

	xml = xb_builder_node_export(
	    component,
	    XB_NODE_EXPORT_FLAG_ADD_HEADER | XB_NODE_EXPORT_FLAG_FORMAT_MULTILINE |
		XB_NODE_EXPORT_FLAG_FORMAT_INDENT | XB_NODE_EXPORT_FLAG_COLLAPSE_EMPTY,
	    error);
	if (xml == NULL) {
		fwupd_error_convert(error);
		return NULL;
	}
	len = strlen(xml);
	return g_bytes_new_take(g_steal_pointer(&xml), len);
}

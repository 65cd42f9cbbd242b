/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Which file of an update payload is which, written once for the plugin (the files of the
 * payload zip) and the converter (the files of update/firehose in the vendor folder).
 *
 * Every rawprogram*.xml is a manifest candidate, and there must be exactly one; it must be
 * Quectel's update manifest, rawprogram_nand_p<page>_b<block>_update.xml. Its factory sibling
 * (*_factory.xml) rewrites EFS2 and is refused by the package check before any name is
 * matched here; any other rawprogram is refused as not being an update manifest. Vendor
 * folders come from Windows tools, so names are compared without regard to case.
 */

#include "config.h"

#include "fu-quectel-payload-rules.h"

/* Quectel's update manifests, as opposed to the factory ones */
#define FU_QUECTEL_PAYLOAD_RULES_UPDATE_SUFFIX "_update.xml"

typedef struct {
	FuQuectelPayloadFile kind;
	const gchar *what;   /* for messages: "rawprogram XML" */
	const gchar *globs;  /* comma-separated, lower-case glob patterns of candidates */
	const gchar *suffix; /* what the one candidate must end with, lower-case, or NULL */
	gboolean required;
} FuQuectelPayloadRule;

static FuQuectelPayloadRule
fu_quectel_payload_rules_lookup(FuQuectelPayloadFile kind)
{
	const FuQuectelPayloadRule rules[] = {
	    {FU_QUECTEL_PAYLOAD_FILE_PROGRAMMER,
	     "Firehose programmer",
	     "firehose-prog.mbn,prog_nand*.mbn,prog_*firehose*.mbn",
	     NULL,
	     TRUE},
	    {FU_QUECTEL_PAYLOAD_FILE_RAWPROGRAM,
	     "rawprogram XML",
	     "rawprogram*.xml",
	     FU_QUECTEL_PAYLOAD_RULES_UPDATE_SUFFIX,
	     TRUE},
	    {FU_QUECTEL_PAYLOAD_FILE_PATCH, "patch file", "patch*.xml", NULL, FALSE},
	    {FU_QUECTEL_PAYLOAD_FILE_MIBIB,
	     "MIBIB partition table",
	     "partition_complete*.mbn",
	     NULL,
	     TRUE},
	};
	FuQuectelPayloadRule none = {kind, "unknown file", "", NULL, FALSE};
	for (guint i = 0; i < G_N_ELEMENTS(rules); i++) {
		if (rules[i].kind == kind)
			return rules[i];
	}
	return none;
}

/**
 * fu_quectel_payload_rules_get_what:
 * @kind: a #FuQuectelPayloadFile
 *
 * Returns: what the file is, for messages, e.g. `rawprogram XML`
 **/
const gchar *
fu_quectel_payload_rules_get_what(FuQuectelPayloadFile kind)
{
	return fu_quectel_payload_rules_lookup(kind).what;
}

/**
 * fu_quectel_payload_rules_get_globs:
 * @kind: a #FuQuectelPayloadFile
 *
 * Returns: the comma-separated patterns the file name must match, for messages
 **/
const gchar *
fu_quectel_payload_rules_get_globs(FuQuectelPayloadFile kind)
{
	return fu_quectel_payload_rules_lookup(kind).globs;
}

/**
 * fu_quectel_payload_rules_is_required:
 * @kind: a #FuQuectelPayloadFile
 *
 * Returns: %TRUE if a payload without this file is refused
 **/
gboolean
fu_quectel_payload_rules_is_required(FuQuectelPayloadFile kind)
{
	return fu_quectel_payload_rules_lookup(kind).required;
}

/**
 * fu_quectel_payload_rules_match:
 * @kind: a #FuQuectelPayloadFile
 * @basename: a file name without directory, e.g. `rawprogram_nand_p4K_b256K_update.xml`
 *
 * Returns: %TRUE if @basename is a file of this kind, compared without regard to case
 **/
gboolean
fu_quectel_payload_rules_match(FuQuectelPayloadFile kind, const gchar *basename)
{
	g_auto(GStrv) patterns = g_strsplit(fu_quectel_payload_rules_get_globs(kind), ",", -1);
	g_autofree gchar *lower = g_ascii_strdown(basename, -1);
	for (guint i = 0; patterns[i] != NULL; i++) {
		if (patterns[i][0] != '\0' && g_pattern_match_simple(patterns[i], lower))
			return TRUE;
	}
	return FALSE;
}

/**
 * fu_quectel_payload_rules_check:
 * @kind: a #FuQuectelPayloadFile
 * @basename: the one file that fu_quectel_payload_rules_match() selected
 * @error: (nullable): optional return location for an error
 *
 * Checks that the selected file is one the update may use: the rawprogram must be an update
 * manifest (`*_update.xml`), compared without regard to case.
 *
 * Returns: %TRUE if @basename may be used
 **/
gboolean
fu_quectel_payload_rules_check(FuQuectelPayloadFile kind, const gchar *basename, GError **error)
{
	FuQuectelPayloadRule rule = fu_quectel_payload_rules_lookup(kind);
	g_autofree gchar *lower = g_ascii_strdown(basename, -1);

	if (rule.suffix != NULL && !g_str_has_suffix(lower, rule.suffix)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    "%s: the %s is not an update manifest (*%s)",
			    basename,
			    rule.what,
			    rule.suffix);
		return FALSE;
	}
	return TRUE;
}

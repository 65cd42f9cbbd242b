/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <fwupdplugin.h>

#include <string.h>

#include "fu-quectel-at-response.h"
#include "fu-quectel-diag-frame.h"
#include "fu-quectel-failure.h"
#include "fu-quectel-firehose-command.h"
#include "fu-quectel-firehose-response.h"
#include "fu-quectel-package-check.h"
#include "fu-quectel-package-geometry.h"
#include "fu-quectel-package-mibib.h"
#include "fu-quectel-package-op.h"
#include "fu-quectel-package-partition.h"
#include "fu-quectel-package-patch.h"
#include "fu-quectel-package-rawprogram.h"
#include "fu-quectel-package-text.h"
#include "fu-quectel-package-xml.h"
#include "fu-quectel-payload-rules.h"
#include "fu-quectel-plan.h"
#include "fu-quectel-port-roles.h"
#include "fu-quectel-record.h"
#include "fu-quectel-release.h"
#include "fu-quectel-revision.h"

static void
fu_quectel_revision_check(const gchar *str,
			  const gchar *model,
			  const gchar *variant,
			  guint baseline,
			  guint release,
			  guint flash_gbit,
			  const gchar *subversion,
			  const gchar *baseline_prefix)
{
	g_autofree gchar *prefix = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) ids = NULL;
	g_autoptr(FuQuectelRevision) rev = fu_quectel_revision_parse(str, &error);

	g_assert_no_error(error);
	g_assert_nonnull(rev);
	g_assert_cmpstr(rev->model, ==, model);
	g_assert_cmpstr(rev->variant, ==, variant);
	g_assert_cmpuint(rev->baseline, ==, baseline);
	g_assert_cmpuint(rev->release, ==, release);
	g_assert_cmpuint(rev->flash_gbit, ==, flash_gbit);
	g_assert_cmpstr(rev->subversion, ==, subversion);
	prefix = fu_quectel_revision_get_baseline_prefix(rev);
	g_assert_cmpstr(prefix, ==, baseline_prefix);
	ids = fu_quectel_revision_get_instance_ids(rev);
	g_assert_cmpuint(ids->len, ==, 2);
}

static void
fu_quectel_revision_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(FuQuectelRevision) rev = NULL;
	g_autoptr(GPtrArray) ids = NULL;
	g_autofree gchar *variant = NULL;
	g_autofree gchar *flash = NULL;

	fu_quectel_revision_check("EC25EFAR06A08M4G", "EC25", "EFA", 6, 8, 4, NULL, "EC25EFAR06A");
	fu_quectel_revision_check("EC25AFXGAR07A03M1G",
				  "EC25",
				  "AFXGA",
				  7,
				  3,
				  1,
				  NULL,
				  "EC25AFXGAR07A");
	fu_quectel_revision_check("EG25GGBR07A08M2G", "EG25", "GGB", 7, 8, 2, NULL, "EG25GGBR07A");
	fu_quectel_revision_check("EC25EUXGAR08A15M1G",
				  "EC25",
				  "EUXGA",
				  8,
				  15,
				  1,
				  NULL,
				  "EC25EUXGAR08A");
	fu_quectel_revision_check("EC25EFAR06A08M4G_01.001.01.001",
				  "EC25",
				  "EFA",
				  6,
				  8,
				  4,
				  "01.001.01.001",
				  "EC25EFAR06A");
	fu_quectel_revision_check("EG25GGCR07A02M1G_30.202.30.202",
				  "EG25",
				  "GGC",
				  7,
				  2,
				  1,
				  "30.202.30.202",
				  "EG25GGCR07A");

	/* the GUID scheme */
	rev = fu_quectel_revision_parse("EC25EFAR06A08M4G", &error);
	g_assert_no_error(error);
	variant = fu_quectel_revision_get_variant_id(rev);
	g_assert_cmpstr(variant, ==, "EC25EFA");
	flash = fu_quectel_revision_get_flash_id(rev);
	g_assert_cmpstr(flash, ==, "M4G");
	ids = fu_quectel_revision_get_instance_ids(rev);
	g_assert_cmpstr(g_ptr_array_index(ids, 0), ==, "QUECTEL\\VARIANT_EC25EFA");
	g_assert_cmpstr(g_ptr_array_index(ids, 1), ==, "QUECTEL\\VARIANT_EC25EFA&FLASH_M4G");
}

static void
fu_quectel_revision_invalid_func(void)
{
	const gchar *invalid[] = {
	    "",
	    "EC25",
	    "ec25efar06a08m4g",		  /* lower case */
	    "EC25EFAR06A08M4",		  /* no G */
	    "EC25EFAR06A08MG",		  /* no flash digits */
	    "EC25EFAR06A08X4G",		  /* no M */
	    "EC25EFAR6A08M4G",		  /* one baseline digit */
	    "EC25EFAR06B08M4G",		  /* no A */
	    "EC25R06A08M4G",		  /* no variant */
	    "E125EFAR06A08M4G",		  /* not a model */
	    "EC25EFAR06A08M4G_",	  /* empty sub-version */
	    "EC25EFAR06A08M4G_01..001",	  /* empty field */
	    "EC25EFAR06A08M4G_01.001.",	  /* trailing dot */
	    "EC25EFAR06A08M4G_01.0a1",	  /* not a digit */
	    "EC25EFAR06A08M0G",		  /* zero flash */
	    "EC25EFAR06A08M1234G",	  /* four flash digits */
	    "EC25EF AR06A08M4G",	  /* space */
	    "EC25EFAR06A08M4G - 0501082", /* old ModemManager format */
	    "EC25EFAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAR06A08M4G", /* too long */
	};
	for (guint i = 0; i < G_N_ELEMENTS(invalid); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(FuQuectelRevision) rev = fu_quectel_revision_parse(invalid[i], &error);
		g_assert_error(error, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA);
		g_assert_null(rev);
	}
}

static GPtrArray *
fu_quectel_at_parse_str(const gchar *buf, const gchar *cmd, FuQuectelAtStatus *status)
{
	GPtrArray *lines = NULL;
	g_autoptr(GError) error = NULL;
	gboolean ret = fu_quectel_at_response_parse(buf, strlen(buf), cmd, status, &lines, &error);
	g_assert_no_error(error);
	g_assert_true(ret);
	return lines;
}

static void
fu_quectel_at_response_func(void)
{
	FuQuectelAtStatus status = FU_QUECTEL_AT_STATUS_INCOMPLETE;
	g_autofree gchar *manufacturer = NULL;
	g_autofree gchar *model = NULL;
	g_autofree gchar *revision = NULL;
	g_autofree gchar *full = NULL;
	g_autofree gchar *imei = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) lines = NULL;
	g_autoptr(GPtrArray) lines_err = NULL;
	g_autoptr(GPtrArray) lines_echo = NULL;
	g_autoptr(GPtrArray) lines_qgmr = NULL;
	g_autoptr(GPtrArray) lines_cgsn = NULL;
	g_autoptr(GPtrArray) lines_trunc = NULL;
	g_autoptr(GPtrArray) lines_urc = NULL;

	/* with the echo of the command, as the module answers before ATE0 */
	lines_echo = fu_quectel_at_parse_str(
	    "ATI\r\r\nQuectel\r\nEC25\r\nRevision: EC25EFAR06A08M4G\r\n\r\nOK\r\n",
	    "ATI",
	    &status);
	g_assert_cmpint(status, ==, FU_QUECTEL_AT_STATUS_OK);
	g_assert_cmpuint(lines_echo->len, ==, 3);
	g_assert_true(
	    fu_quectel_at_response_parse_ati(lines_echo, &manufacturer, &model, &revision, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(manufacturer, ==, "Quectel");
	g_assert_cmpstr(model, ==, "EC25");
	g_assert_cmpstr(revision, ==, "EC25EFAR06A08M4G");

	/* without echo */
	lines = fu_quectel_at_parse_str("\r\nOK\r\n", "ATE0", &status);
	g_assert_cmpint(status, ==, FU_QUECTEL_AT_STATUS_OK);
	g_assert_cmpuint(lines->len, ==, 0);

	/* ERROR and +CME ERROR are final, the reason is the last line */
	lines_err = fu_quectel_at_parse_str("\r\n+CME ERROR: 58\r\n", "AT+QGMR", &status);
	g_assert_cmpint(status, ==, FU_QUECTEL_AT_STATUS_ERROR);
	g_assert_cmpstr(g_ptr_array_index(lines_err, lines_err->len - 1), ==, "+CME ERROR: 58");

	/* truncated: a final code without its line end is not final yet */
	lines_trunc =
	    fu_quectel_at_parse_str("\r\nQuectel\r\nEC25\r\nRevision: EC25EF", "ATI", &status);
	g_assert_cmpint(status, ==, FU_QUECTEL_AT_STATUS_INCOMPLETE);
	g_clear_pointer(&lines_trunc, g_ptr_array_unref);
	lines_trunc = fu_quectel_at_parse_str("\r\nEC25EFAR06A08M4G\r\n\r\nOK", "AT+GMR", &status);
	g_assert_cmpint(status, ==, FU_QUECTEL_AT_STATUS_INCOMPLETE);

	/* an unsolicited line before the answer is ignored by the ATI parser */
	lines_urc = fu_quectel_at_parse_str(
	    "\r\nRDY\r\n\r\nQuectel\r\nEG25\r\nRevision: EG25GGBR07A08M2G\r\n\r\nOK\r\n",
	    "ATI",
	    &status);
	g_assert_cmpint(status, ==, FU_QUECTEL_AT_STATUS_OK);
	g_clear_pointer(&model, g_free);
	g_clear_pointer(&manufacturer, g_free);
	g_clear_pointer(&revision, g_free);
	g_assert_true(
	    fu_quectel_at_response_parse_ati(lines_urc, &manufacturer, &model, &revision, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(model, ==, "EG25");
	g_assert_cmpstr(revision, ==, "EG25GGBR07A08M2G");

	/* AT+QGMR and AT+CGSN */
	lines_qgmr = fu_quectel_at_parse_str("\r\nEC25EFAR06A08M4G_01.001.01.001\r\n\r\nOK\r\n",
					     "AT+QGMR",
					     &status);
	full = fu_quectel_at_response_parse_qgmr(lines_qgmr, "EC25EFAR06A08M4G", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(full, ==, "EC25EFAR06A08M4G_01.001.01.001");
	lines_cgsn =
	    fu_quectel_at_parse_str("\r\n867698041234562\r\n\r\nOK\r\n", "AT+CGSN", &status);
	imei = fu_quectel_at_response_parse_imei(lines_cgsn, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(imei, ==, "867698041234562");
}

static void
fu_quectel_at_response_invalid_func(void)
{
	FuQuectelAtStatus status = FU_QUECTEL_AT_STATUS_INCOMPLETE;
	const guint8 garbage[] = {'\r', '\n', 0xF9, 0x00, 0x81, 'O', 'K', '\r', '\n'};
	g_autofree gchar *big = g_strnfill(FU_QUECTEL_AT_RESPONSE_MAX + 1, 'A');
	g_autofree gchar *manufacturer = NULL;
	g_autofree gchar *model = NULL;
	g_autofree gchar *revision = NULL;
	g_autofree gchar *full = NULL;
	g_autofree gchar *imei = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error_big = NULL;
	g_autoptr(GError) error_ati = NULL;
	g_autoptr(GError) error_qgmr = NULL;
	g_autoptr(GError) error_imei = NULL;
	g_autoptr(GPtrArray) lines = NULL;
	g_autoptr(GPtrArray) lines_other = NULL;
	g_autoptr(GPtrArray) lines_qgmr = NULL;
	g_autoptr(GPtrArray) lines_cgsn = NULL;

	/* binary noise */
	g_assert_false(fu_quectel_at_response_parse((const gchar *)garbage,
						    sizeof(garbage),
						    "ATI",
						    &status,
						    &lines,
						    &error));
	g_assert_error(error, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA);
	g_assert_null(lines);

	/* endless text */
	g_assert_false(
	    fu_quectel_at_response_parse(big, strlen(big), "ATI", &status, &lines, &error_big));
	g_assert_error(error_big, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA);

	/* another vendor */
	lines_other = fu_quectel_at_parse_str("\r\nSIMCOM INCORPORATED\r\nSIM7600E\r\n\r\nOK\r\n",
					      "ATI",
					      &status);
	g_assert_false(fu_quectel_at_response_parse_ati(lines_other,
							&manufacturer,
							&model,
							&revision,
							&error_ati));
	g_assert_error(error_ati, FWUPD_ERROR, FWUPD_ERROR_NOT_SUPPORTED);

	/* AT+QGMR of another revision, and a short IMEI */
	lines_qgmr = fu_quectel_at_parse_str("\r\nEC25EFAR06A09M4G_01.001.01.001\r\n\r\nOK\r\n",
					     "AT+QGMR",
					     &status);
	full = fu_quectel_at_response_parse_qgmr(lines_qgmr, "EC25EFAR06A08M4G", &error_qgmr);
	g_assert_error(error_qgmr, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA);
	g_assert_null(full);
	lines_cgsn = fu_quectel_at_parse_str("\r\n86769804123\r\n\r\nOK\r\n", "AT+CGSN", &status);
	imei = fu_quectel_at_response_parse_imei(lines_cgsn, &error_imei);
	g_assert_error(error_imei, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA);
	g_assert_null(imei);
}

/* unsolicited result codes: what modules send at boot and on events, at any time */
static const gchar *fu_quectel_at_urc_burst[] = {
    "RDY",
    "+CPIN: READY",
    "+QUSIM: 1",
    "+CFUN: 1",
    "+QIND: SMS DONE",
    "+QIND: PB DONE",
    "+QIND: \"csq\",20,99",
    "POWERED DOWN",
};

static void
fu_quectel_at_urc_line_func(void)
{
	for (guint i = 0; i < G_N_ELEMENTS(fu_quectel_at_urc_burst); i++)
		g_assert_true(
		    fu_quectel_at_response_line_is_urc(fu_quectel_at_urc_burst[i], "ATI"));

	/* the answer to a command of the same name is not unsolicited */
	g_assert_false(fu_quectel_at_response_line_is_urc("+CPIN: READY", "AT+CPIN?"));
	g_assert_false(fu_quectel_at_response_line_is_urc("+CFUN: 1", "AT+CFUN?"));
	g_assert_true(fu_quectel_at_response_line_is_urc("+CFUN: 1", "AT+CFUNX?"));
	g_assert_false(fu_quectel_at_response_line_is_urc("+CGSN: 867698041234562", "AT+CGSN"));

	/* answers and final result codes */
	g_assert_false(fu_quectel_at_response_line_is_urc("Quectel", "ATI"));
	g_assert_false(fu_quectel_at_response_line_is_urc("EC25", "ATI"));
	g_assert_false(fu_quectel_at_response_line_is_urc("OK", "ATI"));
	g_assert_false(fu_quectel_at_response_line_is_urc("ERROR", "ATI"));
	g_assert_false(fu_quectel_at_response_line_is_urc("+CME ERROR: 58", "AT+QGMR"));
	g_assert_false(fu_quectel_at_response_line_is_urc("RDYX", "ATI"));
	g_assert_false(fu_quectel_at_response_line_is_urc("+QINDX: 1", "ATI"));
}

/* where a burst of URCs goes in a response */
typedef enum {
	FU_QUECTEL_AT_URC_AT_START,	/* before the echo: a burst at boot */
	FU_QUECTEL_AT_URC_AFTER_ECHO,	/* between the command and its answer */
	FU_QUECTEL_AT_URC_AMONG_LINES,	/* after the first information line */
	FU_QUECTEL_AT_URC_BEFORE_FINAL, /* before the final result code */
	FU_QUECTEL_AT_URC_AFTER_FINAL,	/* after it, before the next command */
	FU_QUECTEL_AT_URC_LAST,
} FuQuectelAtUrcPoint;

/* the response to @cmd with @info lines, echoed or not, with @urcs at @point */
static gchar *
fu_quectel_at_urc_response(const gchar *cmd,
			   const gchar *const *info,
			   gboolean echo,
			   const gchar *final,
			   const gchar *const *urcs,
			   guint nurcs,
			   FuQuectelAtUrcPoint point)
{
	GString *str = g_string_new(NULL);
	guint ninfo = g_strv_length((gchar **)info);

#define FU_QUECTEL_AT_URC_APPEND(p)                                                                \
	if (point == (p)) {                                                                        \
		for (guint j = 0; j < nurcs; j++)                                                  \
			g_string_append_printf(str, "\r\n%s\r\n", urcs[j]);                        \
	}
	FU_QUECTEL_AT_URC_APPEND(FU_QUECTEL_AT_URC_AT_START);
	if (echo)
		g_string_append_printf(str, "%s\r", cmd);
	FU_QUECTEL_AT_URC_APPEND(FU_QUECTEL_AT_URC_AFTER_ECHO);
	for (guint i = 0; i < ninfo; i++) {
		g_string_append_printf(str, "\r\n%s\r\n", info[i]);
		if (i == 0)
			FU_QUECTEL_AT_URC_APPEND(FU_QUECTEL_AT_URC_AMONG_LINES);
	}
	FU_QUECTEL_AT_URC_APPEND(FU_QUECTEL_AT_URC_BEFORE_FINAL);
	g_string_append_printf(str, "\r\n%s\r\n", final);
	FU_QUECTEL_AT_URC_APPEND(FU_QUECTEL_AT_URC_AFTER_FINAL);
#undef FU_QUECTEL_AT_URC_APPEND
	return g_string_free(str, FALSE);
}

/* every prefix of @buf is incomplete or the whole answer: never a wrong or short one */
static void
fu_quectel_at_urc_check(const gchar *buf,
			const gchar *cmd,
			const gchar *const *info,
			FuQuectelAtStatus status_expected)
{
	gsize bufsz = strlen(buf);
	guint ninfo = g_strv_length((gchar **)info);
	gboolean complete = FALSE;

	for (gsize sz = 0; sz <= bufsz; sz++) {
		FuQuectelAtStatus status = FU_QUECTEL_AT_STATUS_INCOMPLETE;
		g_autoptr(GPtrArray) lines = NULL;
		g_autoptr(GError) error = NULL;

		g_assert_true(fu_quectel_at_response_parse(buf, sz, cmd, &status, &lines, &error));
		g_assert_no_error(error);
		if (status == FU_QUECTEL_AT_STATUS_INCOMPLETE) {
			g_assert_false(complete);
			continue;
		}
		complete = TRUE;
		g_assert_cmpint(status, ==, status_expected);
		g_assert_cmpuint(lines->len,
				 ==,
				 ninfo + (status == FU_QUECTEL_AT_STATUS_ERROR ? 1 : 0));
		for (guint i = 0; i < ninfo; i++)
			g_assert_cmpstr(g_ptr_array_index(lines, i), ==, info[i]);
	}
	g_assert_true(complete);
}

static void
fu_quectel_at_urc_parse_func(void)
{
	const gchar *ati[] = {"Quectel", "EC25", "Revision: EC25EFAR06A08M4G", NULL};
	const gchar *qgmr[] = {"EC25EFAR06A08M4G_01.001.01.001", NULL};
	const gchar *cgsn[] = {"867698041234562", NULL};
	const gchar *none[] = {NULL};
	struct {
		const gchar *cmd;
		const gchar *const *info;
		const gchar *final;
		FuQuectelAtStatus status;
	} cmds[] = {
	    {"ATE0", none, "OK", FU_QUECTEL_AT_STATUS_OK},
	    {"ATI", ati, "OK", FU_QUECTEL_AT_STATUS_OK},
	    {"AT+QGMR", qgmr, "OK", FU_QUECTEL_AT_STATUS_OK},
	    {"AT+QGMR", none, "ERROR", FU_QUECTEL_AT_STATUS_ERROR},
	    {"AT+CGSN", cgsn, "OK", FU_QUECTEL_AT_STATUS_OK},
	};

	/* every command the plugin sends, echoed or not, one URC or a burst at every point */
	for (guint i = 0; i < G_N_ELEMENTS(cmds); i++) {
		for (guint echo = 0; echo < 2; echo++) {
			for (guint p = 0; p < FU_QUECTEL_AT_URC_LAST; p++) {
				for (guint u = 0; u < G_N_ELEMENTS(fu_quectel_at_urc_burst); u++) {
					g_autofree gchar *one = NULL;
					one =
					    fu_quectel_at_urc_response(cmds[i].cmd,
								       cmds[i].info,
								       echo,
								       cmds[i].final,
								       &fu_quectel_at_urc_burst[u],
								       1,
								       p);
					fu_quectel_at_urc_check(one,
								cmds[i].cmd,
								cmds[i].info,
								cmds[i].status);
				}
				{
					g_autofree gchar *burst = NULL;
					burst = fu_quectel_at_urc_response(
					    cmds[i].cmd,
					    cmds[i].info,
					    echo,
					    cmds[i].final,
					    fu_quectel_at_urc_burst,
					    G_N_ELEMENTS(fu_quectel_at_urc_burst),
					    p);
					fu_quectel_at_urc_check(burst,
								cmds[i].cmd,
								cmds[i].info,
								cmds[i].status);
				}
			}
		}
	}
}

/* the answer parsers pick their line among lines this parser does not know as URCs */
static void
fu_quectel_at_urc_unknown_func(void)
{
	FuQuectelAtStatus status = FU_QUECTEL_AT_STATUS_INCOMPLETE;
	g_autofree gchar *manufacturer = NULL;
	g_autofree gchar *model = NULL;
	g_autofree gchar *revision = NULL;
	g_autofree gchar *full = NULL;
	g_autofree gchar *imei = NULL;
	g_autofree gchar *imei_field = NULL;
	g_autofree gchar *imei_two = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error_two = NULL;
	g_autoptr(GPtrArray) lines_ati = NULL;
	g_autoptr(GPtrArray) lines_qgmr = NULL;
	g_autoptr(GPtrArray) lines_cgsn = NULL;
	g_autoptr(GPtrArray) lines_field = NULL;
	g_autoptr(GPtrArray) lines_two = NULL;

	/* the module from the field: +QIND before the AT+CGSN answer lost the IMEI */
	lines_field = fu_quectel_at_parse_str(
	    "AT+CGSN\r\r\n+QIND: SMS DONE\r\n\r\n867698041234562\r\n\r\nOK\r\n",
	    "AT+CGSN",
	    &status);
	g_assert_cmpint(status, ==, FU_QUECTEL_AT_STATUS_OK);
	imei_field = fu_quectel_at_response_parse_imei(lines_field, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(imei_field, ==, "867698041234562");

	/* URCs of other firmware, not in the table */
	lines_ati = fu_quectel_at_parse_str("\r\nQuectel\r\n+QNEW: 1\r\nEG25\r\n+QNEW: 2\r\n"
					    "Revision: EG25GGBR07A08M2G\r\n\r\nOK\r\n",
					    "ATI",
					    &status);
	g_assert_true(
	    fu_quectel_at_response_parse_ati(lines_ati, &manufacturer, &model, &revision, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(model, ==, "EG25");
	g_assert_cmpstr(revision, ==, "EG25GGBR07A08M2G");
	lines_qgmr = fu_quectel_at_parse_str(
	    "\r\n+QNEW: 1\r\n\r\nEG25GGBR07A08M2G_01.001.01.001\r\n+QNEW: 2\r\n\r\nOK\r\n",
	    "AT+QGMR",
	    &status);
	full = fu_quectel_at_response_parse_qgmr(lines_qgmr, "EG25GGBR07A08M2G", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(full, ==, "EG25GGBR07A08M2G_01.001.01.001");
	lines_cgsn =
	    fu_quectel_at_parse_str("\r\n+QNEW: 1\r\n\r\n+CGSN: \"867698041234562\"\r\n\r\nOK\r\n",
				    "AT+CGSN",
				    &status);
	imei = fu_quectel_at_response_parse_imei(lines_cgsn, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(imei, ==, "867698041234562");

	/* but never a guess between two answers */
	lines_two = fu_quectel_at_parse_str("\r\n867698041234562\r\n867698041234570\r\n\r\nOK\r\n",
					    "AT+CGSN",
					    &status);
	imei_two = fu_quectel_at_response_parse_imei(lines_two, &error_two);
	g_assert_error(error_two, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA);
	g_assert_null(imei_two);
}

/* the revision as ModemManager relays it: AT+CGMR, QMI's form, AT+QGMR in the update settings */
static void
fu_quectel_at_relayed_revision_func(void)
{
	struct {
		const gchar *revision;
		const gchar *firmware_version;
		const gchar *revision_expected;
		const gchar *full_expected;
	} ok[] = {
	    {"EC25EFAR06A08M4G", NULL, "EC25EFAR06A08M4G", "EC25EFAR06A08M4G"},
	    {"EC25EFAR06A08M4G  1  [Oct 10 2019 10:00:00]",
	     NULL,
	     "EC25EFAR06A08M4G",
	     "EC25EFAR06A08M4G"},
	    {"EC25EFAR06A08M4G  1  [Oct 10 2019 10:00:00]",
	     "EC25EFAR06A08M4G_01.001.01.002",
	     "EC25EFAR06A08M4G",
	     "EC25EFAR06A08M4G_01.001.01.002"},
	    {" EG25GGBR07A08M2G_01.001.01.001",
	     NULL,
	     "EG25GGBR07A08M2G",
	     "EG25GGBR07A08M2G_01.001.01.001"},
	    {"EC25EFAR06A08M4G", "EC25EFAR06A08M4G", "EC25EFAR06A08M4G", "EC25EFAR06A08M4G"},
	};
	struct {
		const gchar *revision;
		const gchar *firmware_version;
	} bad[] = {
	    {"", NULL},
	    {"   ", NULL},
	    {"Quectel EC25", NULL},
	    {"EC25EFAR06A08M4G", "EC25EFAR06A09M4G_01.001.01.001"},
	    {"EC25EFAR06A08M4G", "unknown"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(ok); i++) {
		g_autofree gchar *full = NULL;
		g_autofree gchar *revision = NULL;
		g_autoptr(GError) error = NULL;
		revision = fu_quectel_at_response_parse_relayed_revision(ok[i].revision,
									 ok[i].firmware_version,
									 &full,
									 &error);
		g_assert_no_error(error);
		g_assert_cmpstr(revision, ==, ok[i].revision_expected);
		g_assert_cmpstr(full, ==, ok[i].full_expected);
	}
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree gchar *full = NULL;
		g_autofree gchar *revision = NULL;
		g_autoptr(GError) error = NULL;
		revision = fu_quectel_at_response_parse_relayed_revision(bad[i].revision,
									 bad[i].firmware_version,
									 &full,
									 &error);
		g_assert_error(error, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA);
		g_assert_null(revision);
		g_assert_null(full);
	}
}

static void
fu_quectel_port_roles_func(void)
{
	g_autoptr(GArray) roles = NULL;
	g_autoptr(GArray) roles_bad = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error_dup = NULL;

	g_assert_true(fu_quectel_port_roles_parse("dm, nmea,at,modem", &roles, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(roles->len, ==, 4);
	g_assert_cmpint(g_array_index(roles, FuQuectelPortRole, 2), ==, FU_QUECTEL_PORT_ROLE_AT);
	g_assert_false(fu_quectel_port_roles_parse("dm,gps", &roles_bad, &error));
	g_assert_false(fu_quectel_port_roles_parse("dm,at,at", &roles_bad, &error_dup));
	g_assert_error(error_dup, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA);
}

static GBytes *
fu_quectel_package_test_load(const gchar *name)
{
	gboolean ret;
	gsize bufsz = 0;
	gchar *buf = NULL;
	g_autofree gchar *fn = g_build_filename(SRCDIR, "tests", name, NULL);
	g_autoptr(GError) error = NULL;

	ret = g_file_get_contents(fn, &buf, &bufsz, &error);
	g_assert_no_error(error);
	g_assert_true(ret);
	return g_bytes_new_take(buf, bufsz);
}

/* the error is INVALID_DATA and its message contains @needle */
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
fu_quectel_package_test_rawprogram_invalid(const gchar *text, const gchar *needle)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(FuQuectelPackageRawprogram) rp =
	    fu_quectel_package_rawprogram_parse(text, strlen(text), &error);
	g_assert_null(rp);
	fu_quectel_package_test_check_error(error, needle);
}

static void
fu_quectel_package_test_patch_invalid(const gchar *text, const gchar *needle)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) patches = fu_quectel_package_patch_parse(text, strlen(text), &error);
	g_assert_null(patches);
	fu_quectel_package_test_check_error(error, needle);
}

static void
fu_quectel_package_geometry_func(void)
{
	gboolean ret;
	guint32 total_blocks = 0;
	FuQuectelPackageGeometry geometry = {0};
	FuQuectelPackageGeometry geometry4k = {0};
	g_autofree gchar *str = NULL;
	g_autoptr(GError) error = NULL;

	ret = fu_quectel_package_geometry_parse(
	    "update/firehose/rawprogram_nand_p2K_b128K_update.xml",
	    &geometry,
	    &error);
	g_assert_no_error(error);
	g_assert_true(ret);
	g_assert_cmpint(geometry.page_size, ==, 2048);
	g_assert_cmpint(geometry.block_size, ==, 131072);
	g_assert_cmpint(geometry.pages_per_block, ==, 64);
	str = fu_quectel_package_geometry_to_string(&geometry);
	g_assert_cmpstr(str, ==, "p2K_b128K");

	ret =
	    fu_quectel_package_geometry_parse("update\\firehose\\partition_complete_p4K_b256K.mbn",
					      &geometry4k,
					      &error);
	g_assert_no_error(error);
	g_assert_true(ret);
	g_assert_cmpint(geometry4k.page_size, ==, 4096);
	g_assert_cmpint(geometry4k.block_size, ==, 262144);
	g_assert_cmpint(geometry4k.pages_per_block, ==, 64);
	g_assert_false(fu_quectel_package_geometry_equal(&geometry, &geometry4k));

	/* the same token twice is fine */
	ret =
	    fu_quectel_package_geometry_parse("patch_p2K_b128K_p2K_b128K.xml", &geometry4k, &error);
	g_assert_no_error(error);
	g_assert_true(ret);
	g_assert_true(fu_quectel_package_geometry_equal(&geometry, &geometry4k));

	/* rawprogram attributes */
	ret = fu_quectel_package_geometry_check_sector(&geometry, 2048, 64, &error);
	g_assert_no_error(error);
	g_assert_true(ret);
	ret = fu_quectel_package_geometry_check_sector(&geometry, 2048, 0, &error);
	g_assert_no_error(error);
	g_assert_true(ret);
	ret = fu_quectel_package_geometry_check_sector(&geometry, 4096, 64, &error);
	g_assert_false(ret);
	fu_quectel_package_test_check_error(error, "SECTOR_SIZE_IN_BYTES");
	g_clear_error(&error);
	ret = fu_quectel_package_geometry_check_sector(&geometry, 2048, 128, &error);
	g_assert_false(ret);
	fu_quectel_package_test_check_error(error, "PAGES_PER_BLOCK");
	g_clear_error(&error);

	/* M2G: 256 MiB of 128 KiB blocks */
	ret = fu_quectel_package_geometry_get_total_blocks(&geometry, 2, &total_blocks, &error);
	g_assert_no_error(error);
	g_assert_true(ret);
	g_assert_cmpint(total_blocks, ==, 2048);
	ret = fu_quectel_package_geometry_get_total_blocks(&geometry, 0, &total_blocks, &error);
	g_assert_false(ret);
	fu_quectel_package_test_check_error(error, "flash size");
	g_clear_error(&error);

	/* invalid */
	ret = fu_quectel_package_geometry_parse("rawprogram_nand_update.xml", &geometry4k, &error);
	g_assert_false(ret);
	fu_quectel_package_test_check_error(error, "no NAND geometry");
	g_clear_error(&error);
	ret = fu_quectel_package_geometry_parse("rawprogram_p2K_b128K_p4K_b256K.xml",
						&geometry4k,
						&error);
	g_assert_false(ret);
	fu_quectel_package_test_check_error(error, "two different");
	g_clear_error(&error);
	ret = fu_quectel_package_geometry_parse("rawprogram_p3K_b128K.xml", &geometry4k, &error);
	g_assert_false(ret);
	fu_quectel_package_test_check_error(error, "unsupported");
	g_clear_error(&error);
	ret = fu_quectel_package_geometry_parse("rawprogram_p4K_b2K.xml", &geometry4k, &error);
	g_assert_false(ret);
	fu_quectel_package_test_check_error(error, "unsupported");
	g_clear_error(&error);
	ret = fu_quectel_package_geometry_parse("xp2K_b128K.xml", &geometry4k, &error);
	g_assert_false(ret);
	fu_quectel_package_test_check_error(error, "no NAND geometry");
	g_clear_error(&error);
	ret = fu_quectel_package_geometry_parse("p99999999K_b128K.xml", &geometry4k, &error);
	g_assert_false(ret);
	fu_quectel_package_test_check_error(error, "no NAND geometry");
}

static void
fu_quectel_package_rawprogram_func(void)
{
	FuQuectelPackageAttr *attr;
	FuQuectelPackageOp *op;
	FuQuectelPackageGeometry geometry = {0};
	FuQuectelPackageGeometry geometry4k = {0};
	gboolean ret;
	const gchar *vendor =
	    "<data>\n"
	    "  <!-- a comment -->\n"
	    "  <erase PAGES_PER_BLOCK=\"64\" SECTOR_SIZE_IN_BYTES=\"4096\" "
	    "num_partition_sectors=\"640\" physical_partition_number=\"0\" start_sector=\"0\" "
	    "last_sector=\"639\" label=\"sbl\"/>\n"
	    "  <erase a_rawdata_start_sector=\"1234\" b_rawdata_num_sector=\"8\" "
	    "c_project_name=\"EC25\" d_project_type=\"E\" vendor=\"quectel\"/>\n"
	    "  <program SECTOR_SIZE_IN_BYTES=\"4096\" filename=\"\" "
	    "num_partition_sectors=\"0\" physical_partition_number=\"0\" start_sector=\"640\"/>\n"
	    "  <program SECTOR_SIZE_IN_BYTES=\"4096\" filename=\"firehose/a&amp;b.mbn\" "
	    "num_partition_sectors=\"1\" physical_partition_number=\"0\" start_sector=\"640\"/>\n"
	    "</data>\n";
	g_autoptr(GBytes) blob =
	    fu_quectel_package_test_load("rawprogram_nand_p2K_b128K_update.xml");
	g_autoptr(GError) error = NULL;
	g_autoptr(FuQuectelPackageRawprogram) rp = NULL;
	g_autoptr(FuQuectelPackageRawprogram) rp_vendor = NULL;

	ret = fu_quectel_package_geometry_parse("rawprogram_nand_p2K_b128K_update.xml",
						&geometry,
						&error);
	g_assert_no_error(error);
	g_assert_true(ret);
	ret = fu_quectel_package_geometry_parse("p4K_b256K", &geometry4k, &error);
	g_assert_no_error(error);
	g_assert_true(ret);

	rp = fu_quectel_package_rawprogram_parse_bytes(blob, &error);
	g_assert_no_error(error);
	g_assert_nonnull(rp);
	g_assert_cmpint(rp->ops->len, ==, 16);
	g_assert_cmpint(rp->sector_size, ==, 2048);
	g_assert_cmpint(rp->pages_per_block, ==, 64);

	/* the first line programs SBL: document order is kept */
	op = g_ptr_array_index(rp->ops, 0);
	g_assert_cmpint(op->kind, ==, FU_QUECTEL_PACKAGE_OP_KIND_PROGRAM);
	g_assert_cmpint(op->index, ==, 0);
	g_assert_cmpstr(op->filename, ==, "..\\sbl1.mbn");
	g_assert_cmpstr(op->basename, ==, "sbl1.mbn");
	g_assert_null(op->label);
	g_assert_cmpint(op->start_sector, ==, 0);
	g_assert_cmpint(op->num_partition_sectors, ==, 640);
	g_assert_cmpint(op->sector_size, ==, 2048);
	g_assert_cmpint(op->pages_per_block, ==, 64);
	g_assert_cmpint(op->physical_partition_number, ==, 0);
	g_assert_false(op->is_vendor);
	g_assert_false(op->is_empty_filename);

	/* attributes in document order, for verbatim pass-through */
	g_assert_cmpint(op->attrs->len, ==, 6);
	attr = g_ptr_array_index(op->attrs, 0);
	g_assert_cmpstr(attr->name, ==, "PAGES_PER_BLOCK");
	g_assert_cmpstr(attr->value, ==, "64");
	attr = g_ptr_array_index(op->attrs, 5);
	g_assert_cmpstr(attr->name, ==, "start_sector");
	g_assert_cmpstr(fu_quectel_package_op_get_attr(op, "filename"), ==, "..\\sbl1.mbn");
	g_assert_null(fu_quectel_package_op_get_attr(op, "label"));

	/* a bare file name */
	op = g_ptr_array_index(rp->ops, 1);
	g_assert_cmpstr(op->basename, ==, "partition_complete_p2K_b128K.mbn");
	g_assert_cmpint(op->start_sector, ==, 640);

	/* an erase */
	op = g_ptr_array_index(rp->ops, 3);
	g_assert_cmpint(op->kind, ==, FU_QUECTEL_PACKAGE_OP_KIND_ERASE);
	g_assert_cmpstr(fu_quectel_package_op_kind_to_string(op->kind), ==, "erase");
	g_assert_null(op->filename);
	g_assert_null(op->basename);
	g_assert_cmpint(op->start_sector, ==, 13952);
	g_assert_cmpint(op->num_partition_sectors, ==, 576);

	/* geometry */
	ret = fu_quectel_package_rawprogram_check_geometry(rp, &geometry, &error);
	g_assert_no_error(error);
	g_assert_true(ret);
	ret = fu_quectel_package_rawprogram_check_geometry(rp, &geometry4k, &error);
	g_assert_false(ret);
	fu_quectel_package_test_check_error(error, "element #0 <program>: SECTOR_SIZE_IN_BYTES");
	g_clear_error(&error);

	/* vendor line, label, last_sector, empty filename, escaped quotes */
	rp_vendor = fu_quectel_package_rawprogram_parse(vendor, strlen(vendor), &error);
	g_assert_no_error(error);
	g_assert_nonnull(rp_vendor);
	g_assert_cmpint(rp_vendor->ops->len, ==, 4);
	g_assert_cmpint(rp_vendor->sector_size, ==, 4096);
	op = g_ptr_array_index(rp_vendor->ops, 0);
	g_assert_cmpstr(op->label, ==, "sbl");
	op = g_ptr_array_index(rp_vendor->ops, 1);
	g_assert_true(op->is_vendor);
	g_assert_cmpint(op->kind, ==, FU_QUECTEL_PACKAGE_OP_KIND_ERASE);
	g_assert_cmpint(op->sector_size, ==, 0);
	g_assert_cmpint(op->attrs->len, ==, 5);
	attr = g_ptr_array_index(op->attrs, 0);
	g_assert_cmpstr(attr->name, ==, "a_rawdata_start_sector");
	g_assert_cmpstr(attr->value, ==, "1234");
	attr = g_ptr_array_index(op->attrs, 4);
	g_assert_cmpstr(attr->name, ==, "vendor");
	g_assert_cmpstr(attr->value, ==, "quectel");
	op = g_ptr_array_index(rp_vendor->ops, 2);
	g_assert_true(op->is_empty_filename);
	g_assert_cmpstr(op->filename, ==, "");
	g_assert_null(op->basename);
	op = g_ptr_array_index(rp_vendor->ops, 3);
	g_assert_cmpstr(op->basename, ==, "a&b.mbn");
	ret = fu_quectel_package_rawprogram_check_geometry(rp_vendor, &geometry4k, &error);
	g_assert_no_error(error);
	g_assert_true(ret);
}

static void
fu_quectel_package_rawprogram_invalid_func(void)
{
	const gchar *ok = "SECTOR_SIZE_IN_BYTES=\"2048\" physical_partition_number=\"0\"";
	struct {
		const gchar *attrs;
		const gchar *needle;
	} invalid_erase[] = {
	    {"num_partition_sectors=\"640\"", "missing attribute start_sector"},
	    {"start_sector=\"0\"", "missing attribute num_partition_sectors"},
	    {"num_partition_sectors=\"0\" start_sector=\"0\"", "below minimum"},
	    {"num_partition_sectors=\"64\" start_sector=\"abc\"", "expected only decimal digits"},
	    {"num_partition_sectors=\"64\" start_sector=\"-1\"", "expected only decimal digits"},
	    {"num_partition_sectors=\"64\" start_sector=\" 1\"", "expected only decimal digits"},
	    {"num_partition_sectors=\"64\" start_sector=\"\"", "empty number"},
	    {"num_partition_sectors=\"64\" start_sector=\"0x10\"", "expected only decimal digits"},
	    {"num_partition_sectors=\"64\" start_sector=\"99999999999999999999\"", "overflow"},
	    {"num_partition_sectors=\"64\" start_sector=\"999999999999999999999\"",
	     "expected 1 to 20 digits"},
	    {"num_partition_sectors=\"64\" start_sector=\"4294967296\"", "above maximum"},
	    {"num_partition_sectors=\"4294967295\" start_sector=\"1\"", "beyond sector"},
	    {"num_partition_sectors=\"64\" start_sector=\"0\" last_sector=\"64\"",
	     "does not match"},
	    {"num_partition_sectors=\"64\" start_sector=\"0\" PAGES_PER_BLOCK=\"63\"",
	     "not a power of two"},
	    {"num_partition_sectors=\"64\" start_sector=\"0\" PAGES_PER_BLOCK=\"0\"",
	     "below minimum"},
	    {"num_partition_sectors=\"64\" start_sector=\"0\" vendor=\"fibocom\"",
	     "unsupported vendor"},
	};
	struct {
		const gchar *text;
		const gchar *needle;
	} invalid[] = {
	    {"<data><erase num_partition_sectors=\"64\" physical_partition_number=\"0\" "
	     "start_sector=\"0\"/></data>",
	     "missing attribute SECTOR_SIZE_IN_BYTES"},
	    {"<data><erase SECTOR_SIZE_IN_BYTES=\"2000\" num_partition_sectors=\"64\" "
	     "physical_partition_number=\"0\" start_sector=\"0\"/></data>",
	     "not a power of two"},
	    {"<data><erase SECTOR_SIZE_IN_BYTES=\"2048\" num_partition_sectors=\"64\" "
	     "start_sector=\"0\"/></data>",
	     "missing attribute physical_partition_number"},
	    {"<data><erase SECTOR_SIZE_IN_BYTES=\"2048\" num_partition_sectors=\"64\" "
	     "physical_partition_number=\"9\" start_sector=\"0\"/></data>",
	     "above maximum"},
	    {"<data><program SECTOR_SIZE_IN_BYTES=\"2048\" num_partition_sectors=\"64\" "
	     "physical_partition_number=\"0\" start_sector=\"0\"/></data>",
	     "missing attribute filename"},
	    {"<data><program SECTOR_SIZE_IN_BYTES=\"2048\" filename=\"..\x5c\" "
	     "num_partition_sectors=\"64\" physical_partition_number=\"0\" "
	     "start_sector=\"0\"/></data>",
	     "invalid filename"},
	    {"<data><program SECTOR_SIZE_IN_BYTES=\"2048\" filename=\"..\\..\" "
	     "num_partition_sectors=\"64\" physical_partition_number=\"0\" "
	     "start_sector=\"0\"/></data>",
	     "invalid filename"},
	    {"<data><program SECTOR_SIZE_IN_BYTES=\"2048\" filename=\"sbl1.mbn\" "
	     "num_partition_sectors=\"0\" physical_partition_number=\"0\" "
	     "start_sector=\"0\"/></data>",
	     "below minimum"},
	    {"<data><program SECTOR_SIZE_IN_BYTES=\"2048\" filename=\"..\\ sbl1.mbn\" "
	     "num_partition_sectors=\"64\" physical_partition_number=\"0\" "
	     "start_sector=\"0\"/></data>",
	     "invalid filename"},
	    {"<data><program SECTOR_SIZE_IN_BYTES=\"2048\" filename=\"sbl1.mbn.\" "
	     "num_partition_sectors=\"64\" physical_partition_number=\"0\" "
	     "start_sector=\"0\"/></data>",
	     "invalid filename"},
	    {"<data><erase SECTOR_SIZE_IN_BYTES=\"2048\" num_partition_sectors=\"64\" "
	     "physical_partition_number=\"0\" start_sector=\"0\"/><erase "
	     "SECTOR_SIZE_IN_BYTES=\"4096\" num_partition_sectors=\"64\" "
	     "physical_partition_number=\"0\" start_sector=\"64\"/></data>",
	     "element #1 <erase>: SECTOR_SIZE_IN_BYTES 4096 differs"},
	    {"<data><erase PAGES_PER_BLOCK=\"64\" SECTOR_SIZE_IN_BYTES=\"2048\" "
	     "num_partition_sectors=\"64\" physical_partition_number=\"0\" "
	     "start_sector=\"0\"/><erase PAGES_PER_BLOCK=\"32\" SECTOR_SIZE_IN_BYTES=\"2048\" "
	     "num_partition_sectors=\"64\" physical_partition_number=\"0\" "
	     "start_sector=\"64\"/></data>",
	     "PAGES_PER_BLOCK 32 differs"},
	    {"<data><read SECTOR_SIZE_IN_BYTES=\"2048\"/></data>",
	     "element #0 <read>: unexpected element"},
	    {"<data><erase SECTOR_SIZE_IN_BYTES=\"2048\" num_partition_sectors=\"64\" "
	     "physical_partition_number=\"0\" start_sector=\"0\"><x/></erase></data>",
	     "unexpected child element <x>"},
	    {"<data></data>", "no <erase> or <program> elements"},
	    {"<patches/>", "root element is <patches>, expected <data>"},
	    {"<data><erase/></data><data/>", "invalid XML"},
	    {"<data><erase SECTOR_SIZE_IN_BYTES=\"2048\" SECTOR_SIZE_IN_BYTES=\"4096\"/></data>",
	     "invalid XML"},
	    {"<data><erase SECTOR_SIZE_IN_BYTES=\"2048\"", "invalid XML"},
	    {"<data><erase label=\"\xc3\xa9\"/></data>", "non-printable"},
	    {"<data><erase SECTOR_SIZE_IN_BYTES=\"2048\" SECTOR_SIZE_IN_BYTES=\"4096\"/></data>",
	     "has attribute SECTOR_SIZE_IN_BYTES twice"},
	};
	g_autoptr(GString) many_ops = g_string_new("<data>");
	g_autoptr(GString) many_attrs = g_string_new("<data><erase");

	for (guint i = 0; i < G_N_ELEMENTS(invalid_erase); i++) {
		g_autofree gchar *text =
		    g_strdup_printf("<data><erase %s %s/></data>", ok, invalid_erase[i].attrs);
		fu_quectel_package_test_rawprogram_invalid(text, invalid_erase[i].needle);
	}
	for (guint i = 0; i < G_N_ELEMENTS(invalid); i++)
		fu_quectel_package_test_rawprogram_invalid(invalid[i].text, invalid[i].needle);

	/* too many ops */
	for (guint i = 0; i <= FU_QUECTEL_PACKAGE_OPS_MAX; i++) {
		g_string_append_printf(
		    many_ops,
		    "<erase %s num_partition_sectors=\"1\" start_sector=\"%u\"/>",
		    ok,
		    i);
	}
	g_string_append(many_ops, "</data>");
	fu_quectel_package_test_rawprogram_invalid(many_ops->str, "513 elements, the limit is 512");

	/* too many attributes */
	for (guint i = 0; i <= FU_QUECTEL_PACKAGE_ATTRS_MAX; i++)
		g_string_append_printf(many_attrs, " x%u=\"1\"", i);
	g_string_append(many_attrs, "/></data>");
	fu_quectel_package_test_rawprogram_invalid(many_attrs->str, "more than 32 attributes");
}

static void
fu_quectel_package_xml_hostile_func(void)
{
	g_autofree gchar *fn = g_build_filename(SRCDIR, "tests", "patch_p2K_b128K.xml", NULL);
	g_autofree gchar *xxe = g_strdup_printf(
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE data [<!ENTITY xxe SYSTEM \"file://%s\">]>\n"
	    "<data><program SECTOR_SIZE_IN_BYTES=\"2048\" filename=\"&xxe;\" "
	    "num_partition_sectors=\"1\" physical_partition_number=\"0\" start_sector=\"0\"/>"
	    "</data>",
	    fn);
	g_autofree gchar *doctype_system = g_strdup_printf(
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE data SYSTEM \"file://%s\">\n"
	    "<data><erase SECTOR_SIZE_IN_BYTES=\"2048\" num_partition_sectors=\"1\" "
	    "physical_partition_number=\"0\" start_sector=\"0\"/></data>",
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
	const gchar nul[] = "<data><erase SECTOR_SIZE_IN_BYTES=\"2048\"\0/></data>";
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) deep = g_string_new(NULL);
	g_autoptr(GString) large = g_string_new("<data>");
	g_autoptr(FuQuectelPackageRawprogram) rp = NULL;
	g_autoptr(FuQuectelPackageRawprogram) rp_nul = NULL;

	/* an external entity is never resolved: unknown entities are an error */
	fu_quectel_package_test_rawprogram_invalid(xxe, "invalid XML");

	/* a DOCTYPE with an external subset is skipped, never fetched */
	rp = fu_quectel_package_rawprogram_parse(doctype_system, strlen(doctype_system), &error);
	g_assert_no_error(error);
	g_assert_nonnull(rp);
	g_assert_cmpint(rp->ops->len, ==, 1);

	/* internal entities are not expanded, so there is no billion laughs */
	fu_quectel_package_test_rawprogram_invalid(laughs, "invalid XML");

	/* bytes libxmlb would choke on */
	rp_nul = fu_quectel_package_rawprogram_parse(nul, sizeof(nul) - 1, &error);
	g_assert_null(rp_nul);
	fu_quectel_package_test_check_error(error, "NUL byte at offset 0x28");
	g_clear_error(&error);
	fu_quectel_package_test_rawprogram_invalid("<data>\xff\xfe</data>",
						   "invalid UTF-8 at offset 0x6");
	fu_quectel_package_test_rawprogram_invalid("\xEF\xBB\xBF\xEF\xBB\xBF<data/>",
						   "invalid XML");

	/* nesting is bounded by the number of tags */
	for (guint i = 0; i < 8000; i++)
		g_string_append(deep, "<a>");
	for (guint i = 0; i < 8000; i++)
		g_string_append(deep, "</a>");
	fu_quectel_package_test_rawprogram_invalid(deep->str, "more than 8192 tags");
	g_string_truncate(deep, 0);
	for (guint i = 0; i < 4000; i++)
		g_string_append(deep, "<a>");
	for (guint i = 0; i < 4000; i++)
		g_string_append(deep, "</a>");
	fu_quectel_package_test_rawprogram_invalid(deep->str, "elements nested deeper than 16");

	/* size */
	while (large->len <= FU_QUECTEL_PACKAGE_XML_SIZE_MAX)
		g_string_append(large, "<!-- padding padding padding padding padding -->\n");
	g_string_append(large, "</data>");
	fu_quectel_package_test_rawprogram_invalid(large->str, "the limit is 0x100000");

	/* the same protection applies to the patch parser */
	fu_quectel_package_test_patch_invalid(laughs, "patch XML: invalid XML");
}

static void
fu_quectel_package_patch_func(void)
{
	FuQuectelPackagePatch *patch;
	const gchar *disk =
	    "<data><patch SECTOR_SIZE_IN_BYTES=\"512\" byte_offset=\"16\" "
	    "filename=\"DISK\" physical_partition_number=\"0\" size_in_bytes=\"4\" "
	    "start_sector=\"NUM_DISK_SECTORS-33.\" value=\"CRC32(2,4096)\"/></data>";
	g_autoptr(GBytes) blob = fu_quectel_package_test_load("patch_p2K_b128K.xml");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) patches = NULL;
	g_autoptr(GPtrArray) patches_disk = NULL;
	g_autoptr(GPtrArray) patches_empty = NULL;

	patches = fu_quectel_package_patch_parse_bytes(blob, &error);
	g_assert_no_error(error);
	g_assert_nonnull(patches);
	g_assert_cmpint(patches->len, ==, 2);
	patch = g_ptr_array_index(patches, 0);
	g_assert_cmpint(patch->sector_size, ==, 2048);
	g_assert_cmpint(patch->byte_offset, ==, 512);
	g_assert_cmpstr(patch->filename, ==, "partition_complete_p2K_b128K.mbn");
	g_assert_cmpint(patch->physical_partition_number, ==, 0);
	g_assert_cmpint(patch->size_in_bytes, ==, 4);
	g_assert_cmpstr(patch->start_sector, ==, "1");
	g_assert_true(patch->start_sector_is_numeric);
	g_assert_cmpint(patch->start_sector_value, ==, 1);
	g_assert_cmpstr(patch->value, ==, "NUM_DISK_BLOCKS-1476.");
	g_assert_cmpstr(patch->what, ==, "Update MIBIB partition last sector size limit");
	g_assert_false(fu_quectel_package_patch_is_disk(patch));
	patch = g_ptr_array_index(patches, 1);
	g_assert_cmpint(patch->start_sector_value, ==, 3);
	g_assert_cmpstr(patch->value, ==, "CRC32(0,4096)");

	/* a device patch, in a <data> root */
	patches_disk = fu_quectel_package_patch_parse(disk, strlen(disk), &error);
	g_assert_no_error(error);
	g_assert_nonnull(patches_disk);
	g_assert_cmpint(patches_disk->len, ==, 1);
	patch = g_ptr_array_index(patches_disk, 0);
	g_assert_true(fu_quectel_package_patch_is_disk(patch));
	g_assert_false(patch->start_sector_is_numeric);
	g_assert_cmpstr(patch->start_sector, ==, "NUM_DISK_SECTORS-33.");
	g_assert_null(patch->what);

	/* no patches at all */
	patches_empty = fu_quectel_package_patch_parse("<patches/>", 10, &error);
	g_assert_no_error(error);
	g_assert_nonnull(patches_empty);
	g_assert_cmpint(patches_empty->len, ==, 0);
}

static void
fu_quectel_package_patch_invalid_func(void)
{
	const gchar *ok = "SECTOR_SIZE_IN_BYTES=\"2048\" filename=\"p.mbn\" "
			  "physical_partition_number=\"0\" start_sector=\"1\"";
	struct {
		const gchar *attrs;
		const gchar *needle;
	} invalid[] = {
	    {"byte_offset=\"512\" size_in_bytes=\"4\"", "missing attribute value"},
	    {"byte_offset=\"512\" size_in_bytes=\"4\" value=\"\"", "missing attribute value"},
	    {"size_in_bytes=\"4\" value=\"1\"", "missing attribute byte_offset"},
	    {"byte_offset=\"2045\" size_in_bytes=\"4\" value=\"1\"", "above maximum"},
	    {"byte_offset=\"0\" size_in_bytes=\"0\" value=\"1\"", "below minimum"},
	    {"byte_offset=\"0\" size_in_bytes=\"9\" value=\"1\"", "above maximum"},
	    {"byte_offset=\"0\" size_in_bytes=\"four\" value=\"1\"", "decimal digits"},
	    {"byte_offset=\"-4\" size_in_bytes=\"4\" value=\"1\"", "decimal digits"},
	};
	struct {
		const gchar *text;
		const gchar *needle;
	} invalid_other[] = {
	    {"<data><patch SECTOR_SIZE_IN_BYTES=\"2048\" byte_offset=\"0\" filename=\"p.mbn\" "
	     "physical_partition_number=\"0\" size_in_bytes=\"4\" start_sector=\"NUM-1.\" "
	     "value=\"1\"/></data>",
	     "of a file patch is not a number"},
	    {"<data><patch SECTOR_SIZE_IN_BYTES=\"2048\" byte_offset=\"0\" filename=\"DISK\" "
	     "physical_partition_number=\"0\" size_in_bytes=\"4\" start_sector=\"a;b\" "
	     "value=\"1\"/></data>",
	     "invalid start_sector"},
	    {"<data><patch SECTOR_SIZE_IN_BYTES=\"2048\" byte_offset=\"0\" "
	     "physical_partition_number=\"0\" size_in_bytes=\"4\" start_sector=\"1\" "
	     "value=\"1\"/></data>",
	     "missing attribute filename"},
	    {"<data><patch SECTOR_SIZE_IN_BYTES=\"2048\" byte_offset=\"0\" filename=\"p.mbn\" "
	     "physical_partition_number=\"0\" size_in_bytes=\"4\" value=\"1\"/></data>",
	     "missing attribute start_sector"},
	    {"<data><program/></data>", "element #0 <program>: unexpected element"},
	    {"<rawprogram/>", "root element is <rawprogram>"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(invalid); i++) {
		g_autofree gchar *text =
		    g_strdup_printf("<patches><patch %s %s/></patches>", ok, invalid[i].attrs);
		fu_quectel_package_test_patch_invalid(text, invalid[i].needle);
	}
	for (guint i = 0; i < G_N_ELEMENTS(invalid_other); i++)
		fu_quectel_package_test_patch_invalid(invalid_other[i].text,
						      invalid_other[i].needle);
}

/* a partition_complete_p*.mbn as the QPST generator writes it: header page, system table,
 * empty user table page, CRC page; @page_size of 0 writes a bare table */
static GByteArray *
fu_quectel_package_test_mibib_new(GPtrArray *partitions,
				  guint32 page_size,
				  guint32 version,
				  guint32 numparts)
{
	GByteArray *buf = g_byte_array_new();

	if (page_size != 0) {
		fu_byte_array_append_uint32(buf, 0xFE569FAC, G_LITTLE_ENDIAN);
		fu_byte_array_append_uint32(buf, 0xCD7F127A, G_LITTLE_ENDIAN);
		fu_byte_array_append_uint32(buf, 4, G_LITTLE_ENDIAN);
		fu_byte_array_append_uint32(buf, 1, G_LITTLE_ENDIAN);
		fu_byte_array_set_size(buf, page_size, 0xFF);
	}
	fu_byte_array_append_uint32(buf, 0x55EE73AA, G_LITTLE_ENDIAN);
	fu_byte_array_append_uint32(buf, 0xE35EBDDB, G_LITTLE_ENDIAN);
	fu_byte_array_append_uint32(buf, version, G_LITTLE_ENDIAN);
	fu_byte_array_append_uint32(buf, numparts, G_LITTLE_ENDIAN);
	for (guint i = 0; i < partitions->len; i++) {
		FuQuectelPackagePartition *part = g_ptr_array_index(partitions, i);
		gsize namelen = strlen(part->name);
		for (guint j = 0; j < 16; j++)
			fu_byte_array_append_uint8(buf, j < namelen ? (guint8)part->name[j] : 0x0);
		fu_byte_array_append_uint32(buf, part->start_block, G_LITTLE_ENDIAN);
		fu_byte_array_append_uint32(buf,
					    part->num_blocks == 0 ? 0xFFFFFFFF : part->num_blocks,
					    G_LITTLE_ENDIAN);
		fu_byte_array_append_uint8(buf, part->attr1);
		fu_byte_array_append_uint8(buf, part->attr2);
		fu_byte_array_append_uint8(buf, part->attr3);
		fu_byte_array_append_uint8(buf, part->which_flash);
	}
	if (page_size != 0)
		fu_byte_array_set_size(buf, page_size * 4, 0xFF);
	return buf;
}

/* the layout of the converter's partition_nand.xml fixture (2 KiB pages, 128 KiB blocks) */
typedef struct {
	const gchar *name;
	guint32 num_blocks; /* including padding; 0 for the last partition, which grows */
	guint8 attr3;
} FuQuectelPackageTestPartition;

static GPtrArray *
fu_quectel_package_test_partitions_load(guint32 total_blocks)
{
	const FuQuectelPackageTestPartition layout[] = {
	    {"0:SBL", 10, 0x00},
	    {"0:MIBIB", 10, 0xFF},
	    {"0:EFS2", 136, 0xFF},
	    {"0:sys_rev", 40, 0x00},
	    {"0:RAWDATA", 10, 0x00},
	    {"0:TZ", 12, 0x00},
	    {"0:RPM", 9, 0x00},
	    {"0:cust_info", 16, 0x00},
	    {"0:aboot", 12, 0x00},
	    {"0:boot", 62, 0x00},
	    {"0:recovery", 62, 0x00},
	    {"0:modem", 428, 0x00},
	    {"0:misc", 5, 0x00},
	    {"0:recoveryfs", 88, 0x00},
	    {"0:usr_data", 400, 0x00},
	    {"0:data", 172, 0x00},
	    {"0:sec", 4, 0x00},
	    {"0:system", 0, 0x00},
	};
	guint32 start_block = 0;
	g_autoptr(GPtrArray) partitions =
	    g_ptr_array_new_with_free_func((GDestroyNotify)fu_quectel_package_partition_free);

	for (guint i = 0; i < G_N_ELEMENTS(layout); i++) {
		g_autoptr(GError) error = NULL;
		FuQuectelPackagePartition *part = g_new0(FuQuectelPackagePartition, 1);
		part->name = g_strdup(layout[i].name);
		part->start_block = start_block;
		part->num_blocks = layout[i].num_blocks;
		part->attr1 = 0xFF;
		part->attr2 = 0x01;
		part->attr3 = layout[i].attr3;
		if (layout[i].num_blocks == 0) {
			part->grow = TRUE;
			part->num_blocks = total_blocks != 0 ? total_blocks - start_block : 0;
		}
		start_block += part->num_blocks;
		g_assert_true(fu_quectel_package_partition_add(partitions, part, &error));
		g_assert_no_error(error);
	}
	return g_steal_pointer(&partitions);
}

static void
fu_quectel_package_mibib_func(void)
{
	FuQuectelPackagePartition *part;
	gboolean ret;
	g_autoptr(GPtrArray) parts = fu_quectel_package_test_partitions_load(2048);
	g_autoptr(GPtrArray) parts_grow = fu_quectel_package_test_partitions_load(0);
	g_autoptr(GByteArray) buf2k = fu_quectel_package_test_mibib_new(parts, 2048, 4, 18);
	g_autoptr(GByteArray) buf4k = fu_quectel_package_test_mibib_new(parts_grow, 4096, 4, 18);
	g_autoptr(GByteArray) bare = fu_quectel_package_test_mibib_new(parts_grow, 0, 4, 18);
	g_autoptr(GError) error = NULL;
	g_autoptr(FuQuectelPackageMibib) mibib = NULL;
	g_autoptr(FuQuectelPackageMibib) mibib_search = NULL;
	g_autoptr(FuQuectelPackageMibib) mibib4k = NULL;
	g_autoptr(FuQuectelPackageMibib) mibib_bare = NULL;

	/* 2K page, as in partition_complete_p2K_b128K.mbn (8 KiB) */
	g_assert_cmpint(buf2k->len, ==, 8192);
	mibib = fu_quectel_package_mibib_parse(buf2k->data, buf2k->len, 2048, &error);
	g_assert_no_error(error);
	g_assert_nonnull(mibib);
	g_assert_true(mibib->has_header);
	g_assert_cmpint(mibib->header_version, ==, 4);
	g_assert_cmpint(mibib->header_age, ==, 1);
	g_assert_cmpint(mibib->table_offset, ==, 2048);
	g_assert_cmpint(mibib->version, ==, 4);
	g_assert_cmpint(mibib->partitions->len, ==, 18);
	part = g_ptr_array_index(mibib->partitions, 1);
	g_assert_cmpstr(part->name, ==, "0:MIBIB");
	g_assert_cmpint(part->start_block, ==, 10);
	g_assert_cmpint(part->num_blocks, ==, 10);
	g_assert_cmpint(part->attr1, ==, 0xFF);
	g_assert_cmpint(part->attr3, ==, 0xFF);
	part = g_ptr_array_index(mibib->partitions, 17);
	g_assert_cmpstr(part->name, ==, "0:system");
	g_assert_false(part->grow);
	g_assert_cmpint(part->num_blocks, ==, 572);
	ret = fu_quectel_package_mibib_check_partitions(mibib, parts, &error);
	g_assert_no_error(error);
	g_assert_true(ret);
	ret = fu_quectel_package_mibib_check_partitions(mibib, parts_grow, &error);
	g_assert_no_error(error);
	g_assert_true(ret);

	/* the page size is found when not given */
	mibib_search = fu_quectel_package_mibib_parse(buf2k->data, buf2k->len, 0, &error);
	g_assert_no_error(error);
	g_assert_nonnull(mibib_search);
	g_assert_cmpint(mibib_search->table_offset, ==, 2048);

	/* 4K page, last partition 0xFFFFFFFF (16 KiB as on the EC25-E) */
	g_assert_cmpint(buf4k->len, ==, 16384);
	mibib4k = fu_quectel_package_mibib_parse(buf4k->data, buf4k->len, 0, &error);
	g_assert_no_error(error);
	g_assert_nonnull(mibib4k);
	g_assert_cmpint(mibib4k->table_offset, ==, 4096);
	part = g_ptr_array_index(mibib4k->partitions, 17);
	g_assert_true(part->grow);
	g_assert_cmpint(part->num_blocks, ==, 0);
	ret = fu_quectel_package_mibib_check_partitions(mibib4k, parts, &error);
	g_assert_no_error(error);
	g_assert_true(ret);

	/* a bare table at offset 0 */
	mibib_bare = fu_quectel_package_mibib_parse(bare->data, bare->len, 0, &error);
	g_assert_no_error(error);
	g_assert_nonnull(mibib_bare);
	g_assert_false(mibib_bare->has_header);
	g_assert_cmpint(mibib_bare->table_offset, ==, 0);
	g_assert_cmpint(mibib_bare->partitions->len, ==, 18);
}

/* corrupt one little-endian field of a MIBIB under test */
static void
fu_quectel_package_test_set_u32le(GByteArray *buf, gsize offset, guint32 value)
{
	g_assert_cmpint(offset + sizeof(value), <=, buf->len);
	fu_memwrite_uint32(buf->data + offset, value, G_LITTLE_ENDIAN);
}

/* the partition table must cover exactly the flash: the converter's and the device's check */
static void
fu_quectel_package_mibib_total_blocks_func(void)
{
	gboolean ret;
	g_autoptr(GPtrArray) parts = fu_quectel_package_test_partitions_load(2048);
	g_autoptr(GPtrArray) parts_grow = fu_quectel_package_test_partitions_load(0);
	g_autoptr(GByteArray) buf = fu_quectel_package_test_mibib_new(parts, 2048, 4, 18);
	g_autoptr(GByteArray) buf_grow = fu_quectel_package_test_mibib_new(parts_grow, 2048, 4, 18);
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error_small = NULL;
	g_autoptr(GError) error_grow = NULL;
	g_autoptr(FuQuectelPackageMibib) mibib = NULL;
	g_autoptr(FuQuectelPackageMibib) mibib_grow = NULL;

	mibib = fu_quectel_package_mibib_parse(buf->data, buf->len, 2048, &error);
	g_assert_no_error(error);
	g_assert_nonnull(mibib);
	ret = fu_quectel_package_mibib_check_total_blocks(mibib, 2048, &error);
	g_assert_no_error(error);
	g_assert_true(ret);
	ret = fu_quectel_package_mibib_check_total_blocks(mibib, 4096, &error_small);
	g_assert_false(ret);
	fu_quectel_package_test_check_error(error_small,
					    "the partitions end at block 0x800, but the flash has "
					    "0x1000 blocks");

	/* the last partition takes the rest of the flash, which must hold its start */
	mibib_grow = fu_quectel_package_mibib_parse(buf_grow->data, buf_grow->len, 2048, &error);
	g_assert_no_error(error);
	g_assert_nonnull(mibib_grow);
	ret = fu_quectel_package_mibib_check_total_blocks(mibib_grow, 2048, &error);
	g_assert_no_error(error);
	g_assert_true(ret);
	ret = fu_quectel_package_mibib_check_total_blocks(mibib_grow, 1476, &error_grow);
	g_assert_false(ret);
	fu_quectel_package_test_check_error(error_grow, "0:system starts at block 0x5c4");
}

static void
fu_quectel_package_mibib_invalid_check(GByteArray *buf, guint32 page_size, const gchar *needle)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(FuQuectelPackageMibib) mibib =
	    fu_quectel_package_mibib_parse(buf->data, buf->len, page_size, &error);
	g_assert_null(mibib);
	fu_quectel_package_test_check_error(error, needle);
}

static void
fu_quectel_package_mibib_invalid_func(void)
{
	guint32 entry0 = 2048 + 16;
	guint32 entry1 = entry0 + 28;
	g_autoptr(GPtrArray) parts = fu_quectel_package_test_partitions_load(2048);
	g_autoptr(GPtrArray) many = g_ptr_array_new();
	g_autoptr(GByteArray) buf = NULL;
	g_autoptr(GByteArray) tmp = NULL;
	g_autoptr(FuQuectelPackageMibib) mibib = NULL;
	g_autoptr(GError) error = NULL;

	/* empty, or no magic */
	tmp = g_byte_array_new();
	fu_quectel_package_mibib_invalid_check(tmp, 0, "no partition table magic 0x55ee73aa");
	fu_byte_array_set_size(tmp, 8192, 0xFF);
	fu_quectel_package_mibib_invalid_check(tmp, 0, "or MIBIB header magic 0xfe569fac");
	g_byte_array_unref(g_steal_pointer(&tmp));

	/* wrong table magic after a good header */
	buf = fu_quectel_package_test_mibib_new(parts, 2048, 4, 18);
	buf->data[2048] = 0x00;
	fu_quectel_package_mibib_invalid_check(buf,
					       0,
					       "no partition table magic 0x55ee73aa at page 1");
	fu_quectel_package_mibib_invalid_check(buf, 2048, "at page 1 (offset 0x800)");
	buf->data[2048] = 0xAA;

	/* the table is at 0x800, not 0x1000 */
	fu_quectel_package_mibib_invalid_check(buf, 4096, "(offset 0x1000)");
	fu_quectel_package_mibib_invalid_check(buf, 3000, "unsupported page size");

	/* header version */
	buf->data[8] = 9;
	fu_quectel_package_mibib_invalid_check(buf, 0, "MIBIB header version 9");
	buf->data[8] = 4;

	/* table version and count */
	buf->data[2048 + 8] = 5;
	fu_quectel_package_mibib_invalid_check(buf, 0, "partition table version 5");
	buf->data[2048 + 8] = 3;
	fu_quectel_package_mibib_invalid_check(buf,
					       0,
					       "18 partitions at offset 0x800, expected 1 to 16");
	buf->data[2048 + 8] = 4;
	buf->data[2048 + 12] = 0;
	fu_quectel_package_mibib_invalid_check(buf, 0, "0 partitions");
	buf->data[2048 + 12] = 49;
	fu_quectel_package_mibib_invalid_check(buf,
					       0,
					       "49 partitions at offset 0x800, expected 1 to 48");
	buf->data[2048 + 12] = 18;

	/* entries */
	buf->data[entry0 + 2] = 0x01;
	fu_quectel_package_mibib_invalid_check(buf,
					       0,
					       "entry #0 at offset 0x810: invalid byte 0x01");
	buf->data[entry0 + 2] = 0x00;
	fu_quectel_package_mibib_invalid_check(buf,
					       0,
					       "partition name 0: is followed by byte 0x42");
	buf->data[entry0 + 2] = 'S';
	buf->data[entry0 + 0] = 0x00;
	fu_quectel_package_mibib_invalid_check(buf, 0, "entry #0 at offset 0x810: empty");
	buf->data[entry0 + 0] = '0';
	buf->data[entry0 + 15] = 'X';
	fu_quectel_package_mibib_invalid_check(buf, 0, "expected NUL padding");
	buf->data[entry0 + 15] = 0x00;
	fu_quectel_package_test_set_u32le(buf, entry0 + 20, 0);
	fu_quectel_package_mibib_invalid_check(buf, 0, "offset 0x0 and length 0x0 blocks");
	fu_quectel_package_test_set_u32le(buf, entry0 + 20, 0xFFFFFFFF);
	fu_quectel_package_mibib_invalid_check(
	    buf,
	    0,
	    "0:SBL takes the rest of the flash but is not the last");
	fu_quectel_package_test_set_u32le(buf, entry0 + 20, 11);
	fu_quectel_package_mibib_invalid_check(
	    buf,
	    0,
	    "entry #1 at offset 0x82c: partition 0:MIBIB starts at block 0xa, inside 0:SBL");
	fu_quectel_package_test_set_u32le(buf, entry0 + 20, 10);
	fu_quectel_package_test_set_u32le(buf, entry1 + 16, 0xFFFFFFF0);
	fu_quectel_package_mibib_invalid_check(buf, 0, "below block 0x10000");
	fu_quectel_package_test_set_u32le(buf, entry1 + 16, 10);
	buf->data[entry1 + 2] = 'S';
	buf->data[entry1 + 3] = 'B';
	buf->data[entry1 + 4] = 'L';
	buf->data[entry1 + 5] = 0x00;
	buf->data[entry1 + 6] = 0x00;
	fu_quectel_package_mibib_invalid_check(buf, 0, "duplicate partition 0:SBL");
	g_byte_array_unref(g_steal_pointer(&buf));

	/* truncated */
	buf = fu_quectel_package_test_mibib_new(parts, 0, 4, 18);
	g_byte_array_set_size(buf, buf->len - 1);
	fu_quectel_package_mibib_invalid_check(buf, 0, "truncated");
	g_byte_array_set_size(buf, 8);
	fu_quectel_package_mibib_invalid_check(buf, 0, "no partition table magic");
	g_byte_array_unref(g_steal_pointer(&buf));
	buf = fu_quectel_package_test_mibib_new(parts, 2048, 4, 18);
	g_byte_array_set_size(buf, 2048 + 100);
	fu_quectel_package_mibib_invalid_check(buf, 0, "truncated");
	g_byte_array_unref(g_steal_pointer(&buf));

	/* too many entries for the 1K page */
	for (guint i = 0; i < 40; i++)
		g_ptr_array_add(many, g_ptr_array_index(parts, i % parts->len));
	buf = fu_quectel_package_test_mibib_new(many, 1024, 4, 40);
	fu_quectel_package_mibib_invalid_check(buf, 0, "do not fit in the 0x400 byte page");
	g_byte_array_unref(g_steal_pointer(&buf));

	/* too large */
	buf = g_byte_array_new();
	fu_byte_array_set_size(buf, FU_QUECTEL_PACKAGE_MIBIB_SIZE_MAX + 1, 0xFF);
	fu_quectel_package_mibib_invalid_check(buf, 0, "the limit is 0x100000");
	g_byte_array_unref(g_steal_pointer(&buf));

	/* does not match the partition map */
	buf = fu_quectel_package_test_mibib_new(parts, 2048, 4, 18);
	fu_quectel_package_test_set_u32le(buf, entry0 + 28 * 17 + 20, 500);
	mibib = fu_quectel_package_mibib_parse(buf->data, buf->len, 2048, &error);
	g_assert_no_error(error);
	g_assert_nonnull(mibib);
	g_assert_false(fu_quectel_package_mibib_check_partitions(mibib, parts, &error));
	fu_quectel_package_test_check_error(error, "MIBIB entry #17 is 0:system");
	g_clear_error(&error);
	g_ptr_array_set_size(parts, 17);
	g_assert_false(fu_quectel_package_mibib_check_partitions(mibib, parts, &error));
	fu_quectel_package_test_check_error(error, "MIBIB has 18 partitions, expected 17");
}

static void
fu_quectel_package_rawprogram_partitions_invalid_func(void)
{
	FuQuectelPackageGeometry geometry = {
	    .page_size = 2048,
	    .block_size = 131072,
	    .pages_per_block = 64,
	};
	gboolean ret;
	struct {
		const gchar *attrs;
		const gchar *needle;
	} invalid[] = {
	    {"num_partition_sectors=\"640\" start_sector=\"1\"", "not at the start of a 64-page"},
	    {"num_partition_sectors=\"640\" start_sector=\"64\"",
	     "start_sector 64 (block 1) is not the start of any partition"},
	    {"num_partition_sectors=\"64\" start_sector=\"640\"",
	     "num_partition_sectors is 64 but partition 0:MIBIB has 640 sectors"},
	    {"num_partition_sectors=\"40000\" start_sector=\"94464\"",
	     "num_partition_sectors is 40000 but partition 0:system has 36608 sectors"},
	};
	g_autoptr(GPtrArray) parts = fu_quectel_package_test_partitions_load(2048);

	for (guint i = 0; i < G_N_ELEMENTS(invalid); i++) {
		g_autofree gchar *text = g_strdup_printf(
		    "<data><erase SECTOR_SIZE_IN_BYTES=\"2048\" physical_partition_number=\"0\" "
		    "%s/></data>",
		    invalid[i].attrs);
		g_autoptr(GError) error = NULL;
		g_autoptr(FuQuectelPackageRawprogram) rp =
		    fu_quectel_package_rawprogram_parse(text, strlen(text), &error);
		g_assert_no_error(error);
		g_assert_nonnull(rp);
		ret = fu_quectel_package_rawprogram_check_partitions(rp, &geometry, parts, &error);
		g_assert_false(ret);
		fu_quectel_package_test_check_error(error, invalid[i].needle);
	}
}

static void
fu_quectel_diag_frame_func(void)
{
	const guint8 edl[] = {0x4B, 0x65, 0x01, 0x00};
	const guint8 edl_frame[] = {0x4B, 0x65, 0x01, 0x00, 0x54, 0x0F, 0x7E};
	const guint8 esc[] = {0x7E, 0x7D, 0x01};
	g_autoptr(GByteArray) frame = fu_quectel_diag_frame_encode(edl, sizeof(edl));
	g_autoptr(GByteArray) frame_esc = fu_quectel_diag_frame_encode(esc, sizeof(esc));

	/* the EDL command as every host sends it */
	g_assert_cmpmem(frame->data, frame->len, edl_frame, sizeof(edl_frame));

	/* flag and escape bytes are escaped, the final flag is not */
	g_assert_cmpuint(frame_esc->data[0], ==, 0x7D);
	g_assert_cmpuint(frame_esc->data[1], ==, 0x5E);
	g_assert_cmpuint(frame_esc->data[2], ==, 0x7D);
	g_assert_cmpuint(frame_esc->data[3], ==, 0x5D);
	g_assert_cmpuint(frame_esc->data[frame_esc->len - 1], ==, 0x7E);
}

static void
fu_quectel_failure_func(void)
{
	g_autofree gchar *str = fu_quectel_failure_describe(FU_QUECTEL_FAILURE_STATE_SBL_ERASED);
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error_hidden = NULL;
	g_autoptr(GError) error_other = NULL;

	g_assert_cmpstr(str,
			==,
			"the module is in emergency download mode with its boot loader erased "
			"(safe); power-cycle it if needed and run the same command again");

	/* every state names the module's mode and a next step */
	for (guint i = FU_QUECTEL_FAILURE_STATE_NORMAL;
	     i <= FU_QUECTEL_FAILURE_STATE_WRITTEN_NO_RESET;
	     i++) {
		g_assert_nonnull(strstr(fu_quectel_failure_state_to_string(i), "module"));
		g_assert_cmpstr(fu_quectel_failure_state_get_next_step(i), !=, "");
	}

	/* phase and cause first, the code kept */
	g_set_error_literal(&error, FWUPD_ERROR, FWUPD_ERROR_TIMED_OUT, "failed to program x: NAK");
	fu_quectel_failure_add_state(&error, FU_QUECTEL_FAILURE_STATE_WRITTEN_NO_RESET);
	g_assert_error(error, FWUPD_ERROR, FWUPD_ERROR_TIMED_OUT);
	g_assert_cmpstr(error->message,
			==,
			"failed to program x: NAK; the flash is written but the module ignored "
			"the reset and still runs the programmer in emergency download mode; "
			"power-cycle the module to boot the new firmware");

	/* fwupdtool only logs a not-found error: a failed update must be printed */
	g_set_error_literal(&error_hidden, FWUPD_ERROR, FWUPD_ERROR_NOT_FOUND, "gone");
	fu_quectel_failure_add_state_full(&error_hidden, FU_QUECTEL_FAILURE_STATE_NORMAL, NULL);
	g_assert_error(error_hidden, FWUPD_ERROR, FWUPD_ERROR_WRITE);
	g_assert_cmpstr(error_hidden->message,
			==,
			"gone; the module is in normal mode with its firmware unchanged");
	g_set_error_literal(&error_other, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, "hangup");
	fu_quectel_failure_add_state(&error_other, FU_QUECTEL_FAILURE_STATE_EDL_UNCHANGED);
	g_assert_error(error_other, FWUPD_ERROR, FWUPD_ERROR_WRITE);

	/* nothing to add to */
	fu_quectel_failure_add_state(NULL, FU_QUECTEL_FAILURE_STATE_NORMAL);
}

/* a programmer that logs more lines than are kept: the latest stay, the NAK's reason last */
static void
fu_quectel_firehose_response_flood_func(void)
{
	gboolean ret;
	g_autofree gchar *reason = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(FuQuectelFirehoseResponse) rsp = fu_quectel_firehose_response_new();

	for (guint i = 0; i < 1000; i++) {
		g_autofree gchar *doc =
		    g_strdup_printf("<?xml version=\"1.0\" ?><data><log value=\"line %u\"/></data>",
				    i);
		ret = fu_quectel_firehose_response_parse(rsp, doc, strlen(doc), &error);
		g_assert_no_error(error);
		g_assert_true(ret);
	}
	g_assert_cmpuint(rsp->logs->len + rsp->logs_dropped, ==, 1000);
	g_assert_cmpuint(rsp->logs->len, <=, 256);
	reason = fu_quectel_firehose_response_get_reason(rsp);
	g_assert_cmpstr(reason, ==, "line 999");
}

static void
fu_quectel_firehose_response_func(void)
{
	gboolean ret;
	guint64 payload = 0;
	guint64 blocks = 0;
	FuQuectelPackageGeometry geometry = {0};
	const gchar *logs = "<?xml version=\"1.0\" encoding=\"UTF-8\" ?><data><log value=\"INFO: "
			    "Binary build date: Jun 1 2020\"/></data>"
			    "<?xml version=\"1.0\" encoding=\"UTF-8\" ?><data><log value=\"INFO: "
			    "{&quot;storage_info&quot;: {&quot;total_blocks&quot;:2048, "
			    "&quot;block_size&quot;:64, &quot;page_size&quot;:4096}}\"/></data>";
	const gchar *ack = "<?xml version=\"1.0\" ?><data><response value=\"ACK\" "
			   "MaxPayloadSizeToTargetInBytes=\"8192\" rawmode=\"true\" /></data>";
	g_autofree gchar *reason = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(FuQuectelFirehoseResponse) rsp = fu_quectel_firehose_response_new();
	g_autoptr(FuQuectelFirehoseResponse) rsp_ack = fu_quectel_firehose_response_new();

	/* two concatenated documents, as a stream transport delivers them */
	ret = fu_quectel_firehose_response_parse(rsp, logs, strlen(logs), &error);
	g_assert_no_error(error);
	g_assert_true(ret);
	g_assert_cmpuint(rsp->logs->len, ==, 2);
	g_assert_null(rsp->value);
	ret = fu_quectel_firehose_response_get_storage(rsp, &geometry, &blocks, &error);
	g_assert_no_error(error);
	g_assert_true(ret);
	g_assert_cmpuint(geometry.page_size, ==, 4096);
	g_assert_cmpuint(geometry.block_size, ==, 262144);
	g_assert_cmpuint(geometry.pages_per_block, ==, 64);
	g_assert_cmpuint(blocks, ==, 2048);
	reason = fu_quectel_firehose_response_get_reason(rsp);
	g_assert_cmpstr(reason,
			==,
			"INFO: {\"storage_info\": {\"total_blocks\":2048, "
			"\"block_size\":64, \"page_size\":4096}}");

	ret = fu_quectel_firehose_response_parse(rsp_ack, ack, strlen(ack), &error);
	g_assert_no_error(error);
	g_assert_true(ret);
	g_assert_true(fu_quectel_firehose_response_is_ack(rsp_ack));
	g_assert_cmpstr(fu_quectel_firehose_response_get_attr(rsp_ack, "rawmode"), ==, "true");
	ret = fu_quectel_firehose_response_get_attr_u64(rsp_ack,
							"MaxPayloadSizeToTargetInBytes",
							&payload,
							&error);
	g_assert_no_error(error);
	g_assert_true(ret);
	g_assert_cmpuint(payload, ==, 8192);
}

static void
fu_quectel_firehose_response_invalid_func(void)
{
	const gchar *invalid[] = {
	    "garbage<?xml version=\"1.0\" ?><data/>",
	    "<?xml version=\"1.0\" ?><data><log value=\"x\"></data>",
	    "<?xml version=\"1.0\" ?><data><response value=\"ACK\" value=\"NAK\"/></data>",
	    "\x01\x02\x03",
	};
	const gchar nul[] = "<?xml version=\"1.0\" ?><data/>\0<data/>";
	g_autoptr(GError) error_nul = NULL;
	g_autoptr(GError) error_storage = NULL;
	g_autoptr(FuQuectelFirehoseResponse) rsp_nul = fu_quectel_firehose_response_new();
	g_autoptr(FuQuectelFirehoseResponse) rsp_none = fu_quectel_firehose_response_new();
	FuQuectelPackageGeometry geometry = {0};

	for (guint i = 0; i < G_N_ELEMENTS(invalid); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(FuQuectelFirehoseResponse) rsp = fu_quectel_firehose_response_new();
		g_assert_false(fu_quectel_firehose_response_parse(rsp,
								  invalid[i],
								  strlen(invalid[i]),
								  &error));
		g_assert_error(error, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA);
	}
	/* the whole literal but its terminator: the NUL is inside the response */
	g_assert_false(
	    fu_quectel_firehose_response_parse(rsp_nul, nul, sizeof(nul) - 1, &error_nul));
	g_assert_error(error_nul, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error_nul->message, "NUL byte"));

	/* no storage information at all */
	g_assert_false(
	    fu_quectel_firehose_response_get_storage(rsp_none, &geometry, NULL, &error_storage));
	g_assert_error(error_storage, FWUPD_ERROR, FWUPD_ERROR_NOT_SUPPORTED);
}

static void
fu_quectel_firehose_build_func(void)
{
	g_autofree gchar *xml =
	    fu_quectel_firehose_command_build("erase", "start_sector", "0", "label", "a\"<b", NULL);
	g_assert_cmpstr(xml,
			==,
			"<?xml version=\"1.0\" ?><data><erase start_sector=\"0\" "
			"label=\"a&quot;&lt;b\" /></data>");
}

static GHashTable *
fu_quectel_plan_test_sizes(void)
{
	GHashTable *sizes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	const gchar *names[] = {"sbl1.mbn",
				"partition_complete_p4K_b256K.mbn",
				"tz.mbn",
				"NON-HLOS.ubi"};
	const guint64 bytes[] = {223176, 16384, 4097, 409600};
	for (guint i = 0; i < G_N_ELEMENTS(names); i++)
		g_hash_table_insert(sizes,
				    g_strdup(names[i]),
				    g_memdup2(&bytes[i], sizeof(guint64)));
	return sizes;
}

static GPtrArray *
fu_quectel_plan_test_new(const gchar *xml, GError **error)
{
	g_autoptr(GHashTable) sizes = fu_quectel_plan_test_sizes();
	g_autoptr(FuQuectelPackageRawprogram) rawprogram = NULL;

	rawprogram = fu_quectel_package_rawprogram_parse(xml, strlen(xml), error);
	g_assert_no_error(error == NULL ? NULL : *error);
	return fu_quectel_plan_new(rawprogram, NULL, 4096, sizes, error);
}

#define FU_QUECTEL_PLAN_TEST_ATTRS                                                                 \
	"SECTOR_SIZE_IN_BYTES=\"4096\" PAGES_PER_BLOCK=\"64\" physical_partition_number=\"0\" "

static void
fu_quectel_plan_func(void)
{
	const gchar *xml =
	    "<data>"
	    "<program " FU_QUECTEL_PLAN_TEST_ATTRS "filename=\"..\\sbl1.mbn\" label=\"sbl\" "
	    "num_partition_sectors=\"640\" start_sector=\"0\"/>"
	    "<program " FU_QUECTEL_PLAN_TEST_ATTRS "filename=\"partition_complete_p4K_b256K.mbn\" "
	    "label=\"mibib\" num_partition_sectors=\"640\" start_sector=\"640\"/>"
	    "<erase " FU_QUECTEL_PLAN_TEST_ATTRS "num_partition_sectors=\"640\" "
	    "start_sector=\"7040\"/>"
	    "<program " FU_QUECTEL_PLAN_TEST_ATTRS "filename=\"..\\tz.mbn\" label=\"tz\" "
	    "num_partition_sectors=\"640\" start_sector=\"7040\"/>"
	    "<program " FU_QUECTEL_PLAN_TEST_ATTRS "filename=\"\" label=\"empty\" "
	    "num_partition_sectors=\"0\" start_sector=\"7680\"/>"
	    "<erase " FU_QUECTEL_PLAN_TEST_ATTRS "num_partition_sectors=\"3968\" "
	    "start_sector=\"24000\"/>"
	    "<program " FU_QUECTEL_PLAN_TEST_ATTRS "filename=\"..\\NON-HLOS.ubi\" label=\"modem\" "
	    "num_partition_sectors=\"3968\" start_sector=\"24000\"/>"
	    "<erase " FU_QUECTEL_PLAN_TEST_ATTRS "num_partition_sectors=\"640\" "
	    "start_sector=\"640\"/>"
	    "<erase " FU_QUECTEL_PLAN_TEST_ATTRS "num_partition_sectors=\"640\" "
	    "start_sector=\"0\"/>"
	    "<erase vendor=\"quectel\" a_rawdata_start_sector=\"1600\" b_rawdata_num_sector=\"64\" "
	    "c_project_name=\"EC25\" d_project_type=\"E\"/>"
	    "</data>";
	g_autofree gchar *str = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) plan = fu_quectel_plan_test_new(xml, &error);

	g_assert_no_error(error);
	g_assert_nonnull(plan);
	str = fu_quectel_plan_to_string(plan);
	/* SBL erased first, vendor line next, other erases in file order, programs in file
	 * order rounded up to whole pages, SBL programmed last; the empty program is skipped */
	g_assert_cmpstr(str,
			==,
			"erase 0+640\n"
			"vendor\n"
			"erase 7040+640\n"
			"erase 24000+3968\n"
			"erase 640+640\n"
			"program partition_complete_p4K_b256K.mbn 640+4\n"
			"program tz.mbn 7040+2\n"
			"program NON-HLOS.ubi 24000+100\n"
			"program sbl1.mbn 0+55\n");
	g_assert_cmpuint(fu_quectel_plan_get_program_bytes(plan, 4096),
			 ==,
			 (4 + 2 + 100 + 55) * 4096);
}

static void
fu_quectel_plan_invalid_func(void)
{
	struct {
		const gchar *xml;
		const gchar *needle;
	} invalid[] = {
	    {"<data><program " FU_QUECTEL_PLAN_TEST_ATTRS "filename=\"..\\tz.mbn\" label=\"tz\" "
	     "num_partition_sectors=\"640\" start_sector=\"7040\"/></data>",
	     "tz.mbn at page 0x1b80 is not erased"},
	    {"<data><program " FU_QUECTEL_PLAN_TEST_ATTRS "filename=\"..\\sbl1.mbn\" label=\"sbl\" "
	     "num_partition_sectors=\"640\" start_sector=\"0\"/></data>",
	     "the SBL sbl1.mbn is not erased"},
	    {"<data><erase " FU_QUECTEL_PLAN_TEST_ATTRS "num_partition_sectors=\"64\" "
	     "start_sector=\"24000\"/><program " FU_QUECTEL_PLAN_TEST_ATTRS
	     "filename=\"..\\NON-HLOS.ubi\" label=\"modem\" num_partition_sectors=\"64\" "
	     "start_sector=\"24000\"/></data>",
	     "larger than its partition"},
	    {"<data><erase " FU_QUECTEL_PLAN_TEST_ATTRS "num_partition_sectors=\"64\" "
	     "start_sector=\"24000\"/><program " FU_QUECTEL_PLAN_TEST_ATTRS
	     "filename=\"..\\missing.ubi\" label=\"modem\" num_partition_sectors=\"64\" "
	     "start_sector=\"24000\"/></data>",
	     "missing.ubi, which is not in the package"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(invalid); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) plan = fu_quectel_plan_test_new(invalid[i].xml, &error);
		g_assert_null(plan);
		g_assert_nonnull(error);
		g_test_message("expecting '%s' in '%s'", invalid[i].needle, error->message);
		g_assert_nonnull(g_strstr_len(error->message, -1, invalid[i].needle));
	}
}

/* the safety check hands over the plan it built: the same one the planner makes */
static void
fu_quectel_package_check_plan_func(void)
{
	const gchar *images[] = {"sbl1.mbn",
				 "tz.mbn",
				 "rpm.mbn",
				 "appsboot.mbn",
				 "mdm9607-boot.img",
				 "NON-HLOS.ubi",
				 "mdm9607-sysfs.ubi"};
	FuQuectelPackageCheckInput input = {0};
	FuQuectelPackageGeometry geometry = {0};
	g_autofree gchar *str = NULL;
	g_autofree gchar *str_planner = NULL;
	g_autoptr(GBytes) blob_rp =
	    fu_quectel_package_test_load("rawprogram_nand_p2K_b128K_update.xml");
	g_autoptr(GBytes) blob_patch = fu_quectel_package_test_load("patch_p2K_b128K.xml");
	g_autoptr(GPtrArray) parts = fu_quectel_package_test_partitions_load(2048);
	g_autoptr(GByteArray) buf = fu_quectel_package_test_mibib_new(parts, 2048, 4, 18);
	g_autoptr(GHashTable) image_sizes = fu_quectel_package_check_image_sizes_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(FuQuectelPackageRawprogram) rp = NULL;
	g_autoptr(GPtrArray) patches = NULL;
	g_autoptr(FuQuectelPackageMibib) mibib = NULL;
	g_autoptr(GPtrArray) plan = NULL;
	g_autoptr(GPtrArray) plan_planner = NULL;
	g_autoptr(GPtrArray) plan_missing = NULL;

	rp = fu_quectel_package_rawprogram_parse_bytes(blob_rp, &error);
	g_assert_no_error(error);
	patches = fu_quectel_package_patch_parse_bytes(blob_patch, &error);
	g_assert_no_error(error);
	mibib = fu_quectel_package_mibib_parse(buf->data, buf->len, 2048, &error);
	g_assert_no_error(error);
	for (guint i = 0; i < G_N_ELEMENTS(images); i++)
		fu_quectel_package_check_image_sizes_add(image_sizes, images[i], 4096);
	fu_quectel_package_check_image_sizes_add(image_sizes,
						 "partition_complete_p2K_b128K.mbn",
						 buf->len);
	input.programmer_fn = "prog_nand_firehose_9x07.mbn";
	input.rawprogram_fn = "rawprogram_nand_p2K_b128K_update.xml";
	input.rawprogram = rp;
	input.patch_fn = "patch_p2K_b128K.xml";
	input.patches = patches;
	input.mibib_fn = "partition_complete_p2K_b128K.mbn";
	input.mibib = mibib;
	input.image_sizes = image_sizes;

	plan = fu_quectel_package_check_run(&input, &geometry, &error);
	g_assert_no_error(error);
	g_assert_nonnull(plan);
	g_assert_cmpint(geometry.page_size, ==, 2048);
	plan_planner = fu_quectel_plan_new(rp, patches, geometry.page_size, image_sizes, &error);
	g_assert_no_error(error);
	g_assert_nonnull(plan_planner);
	str = fu_quectel_plan_to_string(plan);
	str_planner = fu_quectel_plan_to_string(plan_planner);
	g_assert_cmpstr(str, ==, str_planner);
	g_assert_true(g_str_has_prefix(str, "erase 0+640\n"));

	/* a refused payload has no plan */
	g_hash_table_remove(image_sizes, "tz.mbn");
	plan_missing = fu_quectel_package_check_run(&input, &geometry, &error);
	g_assert_null(plan_missing);
	g_assert_error(error, FWUPD_ERROR, FWUPD_ERROR_NOT_FOUND);
	g_assert_nonnull(strstr(error->message, "missing image: line 7 programs ..\\tz.mbn"));
}

/* one line of tests/payload-names.txt: kind, name, verdict */
static void
fu_quectel_payload_rules_check_line(const gchar *line)
{
	FuQuectelPayloadFile kind = FU_QUECTEL_PAYLOAD_FILE_PROGRAMMER;
	gboolean match;
	gboolean usable;
	g_auto(GStrv) cols = g_strsplit_set(line, " ", -1);
	g_autoptr(GPtrArray) words = g_ptr_array_new();
	g_autoptr(GError) error = NULL;

	for (guint j = 0; cols[j] != NULL; j++) {
		if (cols[j][0] != '\0')
			g_ptr_array_add(words, cols[j]);
	}
	g_assert_cmpint(words->len, ==, 3);
	if (g_strcmp0(g_ptr_array_index(words, 0), "rawprogram") == 0)
		kind = FU_QUECTEL_PAYLOAD_FILE_RAWPROGRAM;
	else if (g_strcmp0(g_ptr_array_index(words, 0), "mibib") == 0)
		kind = FU_QUECTEL_PAYLOAD_FILE_MIBIB;
	else if (g_strcmp0(g_ptr_array_index(words, 0), "patch") == 0)
		kind = FU_QUECTEL_PAYLOAD_FILE_PATCH;
	else
		g_assert_cmpstr(g_ptr_array_index(words, 0), ==, "programmer");
	match = fu_quectel_payload_rules_match(kind, g_ptr_array_index(words, 1));
	usable = match && fu_quectel_payload_rules_check(kind, g_ptr_array_index(words, 1), &error);
	g_test_message("%s: match=%i usable=%i", line, match, usable);
	if (g_strcmp0(g_ptr_array_index(words, 2), "accept") == 0) {
		g_assert_no_error(error);
		g_assert_true(usable);
	} else if (g_strcmp0(g_ptr_array_index(words, 2), "refuse") == 0) {
		g_assert_true(match);
		g_assert_false(usable);
		g_assert_error(error, FWUPD_ERROR, FWUPD_ERROR_INVALID_FILE);
	} else {
		g_assert_cmpstr(g_ptr_array_index(words, 2), ==, "ignore");
		g_assert_false(match);
	}
}

/* the one table of payload names, which the converter tests share */
static void
fu_quectel_payload_rules_func(void)
{
	gboolean ret;
	guint cnt = 0;
	g_autofree gchar *fn = g_build_filename(SRCDIR, "tests", "payload-names.txt", NULL);
	g_autofree gchar *text = NULL;
	g_auto(GStrv) lines = NULL;
	g_autoptr(GError) error = NULL;

	ret = g_file_get_contents(fn, &text, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(ret);
	lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		if (lines[i][0] == '#' || lines[i][0] == '\0')
			continue;
		fu_quectel_payload_rules_check_line(lines[i]);
		cnt++;
	}
	g_assert_cmpint(cnt, >=, 10);
}

/* the record of a module survives EDL: written, read back, and hostile files refused */
static void
fu_quectel_record_func(void)
{
	g_autoptr(FuQuectelRecord) record = fu_quectel_record_new();
	g_autoptr(FuQuectelRecord) record2 = NULL;
	g_autoptr(FuQuectelRecord) record3 = NULL;
	g_autoptr(GPtrArray) ids = NULL;
	g_autofree gchar *data = NULL;
	g_autofree gchar *data2 = NULL;
	g_autofree gchar *basename = NULL;
	g_autoptr(GError) error = NULL;

	record->imei = g_strdup("867698041234562");
	record->model = g_strdup("EC25");
	record->revision = g_strdup("EC25EFAR06A08M4G");
	record->full_version = g_strdup("EC25EFAR06A08M4G_01.001.01.001");
	record->physical_id = g_strdup("1-1");
	record->version_installing = g_strdup("EC25EFAR06A09M4G");
	data = fu_quectel_record_to_string(record, &error);
	g_assert_no_error(error);
	g_assert_nonnull(strstr(data, "Variant=EFA"));
	g_assert_nonnull(strstr(data, "FlashGbit=4"));
	g_assert_null(strstr(data, "[Chip]"));
	record2 = fu_quectel_record_parse(data, strlen(data), &error);
	g_assert_no_error(error);
	g_assert_cmpstr(record2->imei, ==, "867698041234562");
	g_assert_cmpstr(record2->version_installing, ==, "EC25EFAR06A09M4G");
	g_assert_false(record2->has_chip);
	g_assert_false(fu_quectel_record_matches_chip(record2, 0x1234abcd, 0x000480E100000000));
	basename = fu_quectel_record_get_basename(record2);
	g_assert_cmpstr(basename, ==, "imei-867698041234562.conf");
	ids = fu_quectel_record_get_instance_ids(record2, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(ids->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(ids, 1), ==, "QUECTEL\\VARIANT_EC25EFA&FLASH_M4G");

	/* with the chip read in EDL */
	record2->has_chip = TRUE;
	record2->chip_serial = 0x1234abcd;
	record2->msm_hw_id = 0x000480E100000000;
	record2->oem_pk_hash = g_strdup("c0ffee");
	data2 = fu_quectel_record_to_string(record2, &error);
	g_assert_no_error(error);
	g_assert_nonnull(strstr(data2, "Serial=0x1234abcd"));
	g_assert_nonnull(strstr(data2, "MsmHwId=0x000480e100000000"));
	record3 = fu_quectel_record_parse(data2, strlen(data2), &error);
	g_assert_no_error(error);
	g_assert_true(fu_quectel_record_matches_chip(record3, 0x1234abcd, 0x000480E100000000));
	g_assert_false(fu_quectel_record_matches_chip(record3, 0x1234abce, 0x000480E100000000));
}

static void
fu_quectel_record_invalid_func(void)
{
	const gchar *bad[] = {
	    /* not a key file */
	    "\x01\x02",
	    /* no revision */
	    "[Module]\nModel=EC25\nPhysicalId=1-1\n",
	    /* revision of another model */
	    "[Module]\nModel=EG25\nRevision=EC25EFAR06A08M4G\nPhysicalId=1-1\n",
	    /* IMEI that is not 15 digits, or a path */
	    "[Module]\nImei=12345\nModel=EC25\nRevision=EC25EFAR06A08M4G\nPhysicalId=1-1\n",
	    "[Module]\nImei=../../../etc/x\nModel=EC25\nRevision=EC25EFAR06A08M4G\n"
	    "PhysicalId=1-1\n",
	    /* a USB port with a path separator */
	    "[Module]\nModel=EC25\nRevision=EC25EFAR06A08M4G\nPhysicalId=../1-1\n",
	    /* chip without serial, or a serial beyond 32 bits, or a hash that is not hex */
	    "[Module]\nModel=EC25\nRevision=EC25EFAR06A08M4G\nPhysicalId=1-1\n[Chip]\n"
	    "MsmHwId=0x1\nOemPkHash=00\n",
	    "[Module]\nModel=EC25\nRevision=EC25EFAR06A08M4G\nPhysicalId=1-1\n[Chip]\n"
	    "Serial=0x100000000\nMsmHwId=0x1\nOemPkHash=00\n",
	    "[Module]\nModel=EC25\nRevision=EC25EFAR06A08M4G\nPhysicalId=1-1\n[Chip]\n"
	    "Serial=0x1\nMsmHwId=0x1\nOemPkHash=zz\n",
	};
	g_autofree gchar *big = g_strnfill(8192, '#');
	g_autoptr(FuQuectelRecord) record_big = NULL;
	g_autoptr(GError) error_big = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(FuQuectelRecord) record = NULL;
		g_autoptr(GError) error = NULL;
		record = fu_quectel_record_parse(bad[i], strlen(bad[i]), &error);
		g_assert_null(record);
		g_assert_error(error, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA);
	}
	record_big = fu_quectel_record_parse(big, strlen(big), &error_big);
	g_assert_null(record_big);
	g_assert_error(error_big, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA);
}

/* payload: the release manifest and the fit check */
#define FU_QUECTEL_RELEASE_TEST_INI                                                                \
	"[quectel-release]\n"                                                                      \
	"Format=1\n"                                                                               \
	"Version=EC25EFAR06A08M4G\n"                                                               \
	"Subversion=01.001.01.001\n"                                                               \
	"Model=EC25\n"                                                                             \
	"Variant=EFA\n"                                                                            \
	"Baseline=EC25EFAR06A\n"                                                                   \
	"Flash=M4G\n"                                                                              \
	"Geometry=p2K_b128K\n"

static FuQuectelRelease *
fu_quectel_release_test_parse(const gchar *text, GError **error)
{
	return fu_quectel_release_parse((const guint8 *)text, strlen(text), error);
}

static void
fu_quectel_release_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(FuQuectelRelease) release = NULL;
	g_autoptr(FuQuectelRelease) release2 = NULL;
	g_autoptr(GBytes) blob = NULL;

	release = fu_quectel_release_test_parse(FU_QUECTEL_RELEASE_TEST_INI, &error);
	g_assert_no_error(error);
	g_assert_nonnull(release);
	g_assert_cmpstr(release->revision->revision, ==, "EC25EFAR06A08M4G");
	g_assert_cmpstr(release->revision->subversion, ==, "01.001.01.001");
	g_assert_cmpstr(release->revision->variant, ==, "EFA");
	g_assert_cmpint(release->geometry.page_size, ==, 2048);
	g_assert_cmpint(release->geometry.block_size, ==, 131072);

	/* what the converter writes is what the plugin reads */
	release2 = fu_quectel_release_new(release->revision, &release->geometry, &error);
	g_assert_no_error(error);
	blob = fu_quectel_release_to_bytes(release2);
	g_assert_cmpmem(g_bytes_get_data(blob, NULL),
			g_bytes_get_size(blob),
			FU_QUECTEL_RELEASE_TEST_INI,
			strlen(FU_QUECTEL_RELEASE_TEST_INI));
}

static void
fu_quectel_release_invalid_check(const gchar *text, const gchar *needle)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(FuQuectelRelease) release = fu_quectel_release_test_parse(text, &error);
	g_assert_null(release);
	fu_quectel_package_test_check_error(error, needle);
}

static void
fu_quectel_release_invalid_func(void)
{
	g_autoptr(GString) big = g_string_new("[quectel-release]\n");
	g_autoptr(GError) error = NULL;
	g_autoptr(FuQuectelRelease) release = NULL;
	const guint8 nul[] = {'[', 'q', 0x00, ']'};

	fu_quectel_release_invalid_check("", "0x0 bytes");
	fu_quectel_release_invalid_check("Version=EC25EFAR06A08M4G\n", "line 1: expected");
	fu_quectel_release_invalid_check(FU_QUECTEL_RELEASE_TEST_INI "Extra=1\n",
					 "unknown key 'Extra'");
	fu_quectel_release_invalid_check(FU_QUECTEL_RELEASE_TEST_INI "Version=EC25EFAR06A08M4G\n",
					 "Version appears twice");
	fu_quectel_release_invalid_check(FU_QUECTEL_RELEASE_TEST_INI "junk\n", "Key=Value");
	fu_quectel_release_invalid_check("[quectel-release]\r\nFormat=1\n", "byte 0x0d");
	fu_quectel_release_invalid_check("[quectel-release]\nFormat=2\nVersion=EC25EFAR06A08M4G\n",
					 "Format 2 is not supported");
	fu_quectel_release_invalid_check("[quectel-release]\nFormat=1\nVersion=EC25EFAR6A08M4G\n",
					 "invalid firmware revision");
	fu_quectel_release_invalid_check("[quectel-release]\nFormat=1\n"
					 "Version=EC25EFAR06A08M4G_01.001\n",
					 "use the Subversion key");
	fu_quectel_release_invalid_check("[quectel-release]\nFormat=1\n"
					 "Version=EC25EFAR06A08M4G\nSubversion=1..2\n",
					 "sub-version");
	fu_quectel_release_invalid_check("[quectel-release]\nFormat=1\nVersion=EC25EFAR06A08M4G\n"
					 "Model=EC25\nVariant=EUX\nBaseline=EC25EFAR06A\n"
					 "Flash=M4G\nGeometry=p2K_b128K\n",
					 "Variant is EUX but Version EC25EFAR06A08M4G says EFA");
	fu_quectel_release_invalid_check("[quectel-release]\nFormat=1\nVersion=EC25EFAR06A08M4G\n"
					 "Model=EC25\nVariant=EFA\nBaseline=EC25EFAR05A\n"
					 "Flash=M4G\nGeometry=p2K_b128K\n",
					 "Baseline is EC25EFAR05A");
	fu_quectel_release_invalid_check("[quectel-release]\nFormat=1\nVersion=EC25EFAR06A08M4G\n"
					 "Model=EC25\nVariant=EFA\nBaseline=EC25EFAR06A\n"
					 "Flash=M2G\nGeometry=p2K_b128K\n",
					 "Flash is M2G");
	fu_quectel_release_invalid_check("[quectel-release]\nFormat=1\nVersion=EC25EFAR06A08M4G\n"
					 "Model=EC25\nVariant=EFA\nBaseline=EC25EFAR06A\n"
					 "Flash=M4G\n",
					 "no Geometry");
	fu_quectel_release_invalid_check("[quectel-release]\nFormat=1\nVersion=EC25EFAR06A08M4G\n"
					 "Model=EC25\nVariant=EFA\nBaseline=EC25EFAR06A\n"
					 "Flash=M4G\nGeometry=p2k_b128K_x\n",
					 "invalid Geometry");
	fu_quectel_release_invalid_check("[quectel-release]\nFormat=1\nVersion=EC25EFA R06A08M4G\n",
					 "printable characters without spaces");

	/* size cap, NUL */
	while (big->len <= FU_QUECTEL_RELEASE_SIZE_MAX)
		g_string_append(big, "# padding padding padding padding padding padding\n");
	fu_quectel_release_invalid_check(big->str, "expected 1 to 0x1000");
	release = fu_quectel_release_parse(nul, sizeof(nul), &error);
	g_assert_error(error, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA);
	g_assert_null(release);
}

static void
fu_quectel_release_fit_check(const FuQuectelRelease *release,
			     const gchar *module,
			     const gchar *needle1,
			     const gchar *needle2)
{
	g_autoptr(GError) error = NULL;
	gboolean ret = fu_quectel_release_check_fit_version(release, module, &error);
	if (needle1 == NULL) {
		g_assert_no_error(error);
		g_assert_true(ret);
		return;
	}
	g_assert_error(error, FWUPD_ERROR, FWUPD_ERROR_NOT_SUPPORTED);
	g_assert_false(ret);
	g_test_message("%s", error->message);
	g_assert_nonnull(strstr(error->message, needle1));
	g_assert_nonnull(strstr(error->message, needle2));
}

static void
fu_quectel_release_fit_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(FuQuectelRelease) release =
	    fu_quectel_release_test_parse(FU_QUECTEL_RELEASE_TEST_INI, &error);
	g_assert_no_error(error);

	/* same baseline, older, same or newer release; sub-version does not matter */
	fu_quectel_release_fit_check(release, "EC25EFAR06A05M4G", NULL, NULL);
	fu_quectel_release_fit_check(release, "EC25EFAR06A08M4G_01.002.01.002", NULL, NULL);
	fu_quectel_release_fit_check(release, "EC25EFAR06A09M4G", NULL, NULL);

	/* each refusal names both values and what to do */
	fu_quectel_release_fit_check(release, "EG25EFAR06A05M4G", "is for an EC25", "is an EG25");
	fu_quectel_release_fit_check(release, "EC25EUXR06A05M4G", "variant EFA", "variant EUX");
	fu_quectel_release_fit_check(release, "EC25EFAR06A05M2G", "4 Gbit", "built for M2G");
	fu_quectel_release_fit_check(release, "EC25EFAR05A05M4G", "baseline R06", "baseline R05");
	fu_quectel_release_fit_check(release, "EC25EFAR07A01M4G", "forbids crossing", "R07");
	fu_quectel_release_fit_check(release, NULL, "unknown", "EC25EFAR06A08M4G");
	{
		g_autoptr(GError) error_local = NULL;
		g_assert_false(
		    fu_quectel_release_check_fit_version(release, "garbage", &error_local));
		g_assert_error(error_local, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA);
	}
}

static void
fu_quectel_release_flash_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(FuQuectelRelease) release =
	    fu_quectel_release_test_parse(FU_QUECTEL_RELEASE_TEST_INI, &error);
	g_autoptr(GPtrArray) partitions =
	    g_ptr_array_new_with_free_func((GDestroyNotify)fu_quectel_package_partition_free);
	FuQuectelPackagePartition *part = g_new0(FuQuectelPackagePartition, 1);

	/* 4 Gbit of 128 KiB blocks is 0x1000 blocks */
	part->name = g_strdup("0:SYSTEM");
	part->start_block = 0x100;
	part->num_blocks = 0xF00;
	g_ptr_array_add(partitions, part);
	g_assert_true(fu_quectel_release_check_flash(release, partitions, &error));
	g_assert_no_error(error);
	part->num_blocks = 0xF01;
	g_assert_false(fu_quectel_release_check_flash(release, partitions, &error));
	g_assert_error(error, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, "0x1000 blocks of the 4 Gbit flash"));
	g_clear_error(&error);
	part->start_block = 0x1000;
	part->num_blocks = 0;
	part->grow = TRUE;
	g_assert_false(fu_quectel_release_check_flash(release, partitions, &error));
	g_assert_error(error, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA);
}

/* payload: hostile getstorageinfo answers fail with an error, never a CRITICAL */
static void
fu_quectel_firehose_response_storage_hostile_func(void)
{
	const gchar *hostile[] = {
	    /* storage_info not an object */
	    "{\"storage_info\": 5}",
	    "{\"storage_info\": [1, 2]}",
	    "{\"storage_info\": null}",
	    /* members not numbers */
	    "{\"storage_info\": {\"page_size\": {}, \"block_size\": 64, \"total_blocks\": 1}}",
	    "{\"storage_info\": {\"page_size\": [], \"block_size\": 64, \"total_blocks\": 1}}",
	    /* 2 pages of 2 GiB: 4 GiB, which was 0 in 32 bits */
	    "{\"storage_info\": {\"page_size\": 2147483648, \"block_size\": 2, "
	    "\"total_blocks\": 1}}",
	    /* 0x10000 pages of 0x10000 bytes */
	    "{\"storage_info\": {\"page_size\": 65536, \"block_size\": 65535, "
	    "\"total_blocks\": 1}}",
	    /* 4096 pages of 4 KiB */
	    "{\"storage_info\": {\"page_size\": 4096, \"block_size\": 16777216, "
	    "\"total_blocks\": 1}}",
	    /* 2048 pages of 2 KiB */
	    "{\"storage_info\": {\"page_size\": 2048, \"block_size\": 2047, "
	    "\"total_blocks\": 1}}",
	};
	for (guint i = 0; i < G_N_ELEMENTS(hostile); i++) {
		FuQuectelPackageGeometry geometry = {0};
		g_autoptr(GError) error = NULL;
		g_autoptr(FuQuectelFirehoseResponse) rsp = fu_quectel_firehose_response_new();
		g_autofree gchar *escaped = g_markup_escape_text(hostile[i], -1);
		g_autofree gchar *xml =
		    g_strdup_printf("<?xml version=\"1.0\" ?><data><log value=\"INFO: %s\"/>"
				    "<response value=\"ACK\"/></data>",
				    escaped);
		g_assert_true(fu_quectel_firehose_response_parse(rsp, xml, strlen(xml), &error));
		g_assert_no_error(error);
		g_assert_false(
		    fu_quectel_firehose_response_get_storage(rsp, &geometry, NULL, &error));
		g_assert_error(error, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA);
		g_test_message("%s: %s", hostile[i], error->message);
	}
}

/* payload: the growing last partition of a MIBIB is range-checked like the others */
static void
fu_quectel_package_mibib_grow_hostile_func(void)
{
	g_autoptr(GPtrArray) parts = fu_quectel_package_test_partitions_load(0);
	g_autoptr(GByteArray) buf = fu_quectel_package_test_mibib_new(parts, 2048, 4, 18);
	guint32 entry_last = 2048 + 16 + 17 * 28;
	g_autoptr(FuQuectelPackageMibib) mibib = NULL;
	g_autoptr(GError) error = NULL;

	/* the fixture parses, with 0:system growing */
	mibib = fu_quectel_package_mibib_parse(buf->data, buf->len, 2048, &error);
	g_assert_no_error(error);
	g_assert_nonnull(mibib);
	g_clear_pointer(&mibib, fu_quectel_package_mibib_free);

	/* then starts far beyond any flash */
	fu_quectel_package_test_set_u32le(buf, entry_last + 16, 0xFFFFFFF0);
	fu_quectel_package_mibib_invalid_check(buf, 2048, "takes the rest of the flash from block");
	fu_quectel_package_test_set_u32le(buf, entry_last + 16, 0x10000);
	fu_quectel_package_mibib_invalid_check(buf, 2048, "expected a start below block 0x10000");
}

/* payload: vendor lines and DISK patches against the fixture's MIBIB (RAWDATA is sectors
 * 0x3100-0x337f, EFS2 0x500-0x27ff, the flash ends at sector 0x20000) */
static GPtrArray *
fu_quectel_package_check_hostile_run(const gchar *vendor_line,
				     const gchar *patch_xml,
				     GError **error)
{
	const gchar *images[] = {"sbl1.mbn",
				 "tz.mbn",
				 "rpm.mbn",
				 "appsboot.mbn",
				 "mdm9607-boot.img",
				 "NON-HLOS.ubi",
				 "mdm9607-sysfs.ubi"};
	FuQuectelPackageCheckInput input = {0};
	FuQuectelPackageGeometry geometry = {0};
	g_autoptr(GBytes) blob_rp =
	    fu_quectel_package_test_load("rawprogram_nand_p2K_b128K_update.xml");
	g_autoptr(GBytes) blob_patch = fu_quectel_package_test_load("patch_p2K_b128K.xml");
	g_autoptr(GPtrArray) parts = fu_quectel_package_test_partitions_load(2048);
	g_autoptr(GByteArray) buf = fu_quectel_package_test_mibib_new(parts, 2048, 4, 18);
	g_autoptr(GHashTable) image_sizes = fu_quectel_package_check_image_sizes_new();
	g_autoptr(GString) text =
	    g_string_new_len(g_bytes_get_data(blob_rp, NULL), g_bytes_get_size(blob_rp));
	g_autoptr(GError) error_local = NULL;
	g_autoptr(FuQuectelPackageRawprogram) rp = NULL;
	g_autoptr(GPtrArray) patches = NULL;
	g_autoptr(FuQuectelPackageMibib) mibib = NULL;

	if (vendor_line != NULL) {
		g_autofree gchar *repl = g_strdup_printf("%s\n</data>", vendor_line);
		g_assert_cmpint(g_string_replace(text, "</data>", repl, 1), ==, 1);
	}
	rp = fu_quectel_package_rawprogram_parse(text->str, text->len, &error_local);
	g_assert_no_error(error_local);
	if (patch_xml != NULL)
		patches =
		    fu_quectel_package_patch_parse(patch_xml, strlen(patch_xml), &error_local);
	else
		patches = fu_quectel_package_patch_parse_bytes(blob_patch, &error_local);
	g_assert_no_error(error_local);
	mibib = fu_quectel_package_mibib_parse(buf->data, buf->len, 2048, &error_local);
	g_assert_no_error(error_local);
	for (guint i = 0; i < G_N_ELEMENTS(images); i++)
		fu_quectel_package_check_image_sizes_add(image_sizes, images[i], 4096);
	fu_quectel_package_check_image_sizes_add(image_sizes,
						 "partition_complete_p2K_b128K.mbn",
						 buf->len);
	input.programmer_fn = "prog_nand_firehose_9x07.mbn";
	input.rawprogram_fn = "rawprogram_nand_p2K_b128K_update.xml";
	input.rawprogram = rp;
	input.patch_fn = "patch_p2K_b128K.xml";
	input.patches = patches;
	input.mibib_fn = "partition_complete_p2K_b128K.mbn";
	input.mibib = mibib;
	input.image_sizes = image_sizes;
	return fu_quectel_package_check_run(&input, &geometry, error);
}

static void
fu_quectel_package_check_hostile_refused(const gchar *vendor_line,
					 const gchar *patch_xml,
					 const gchar *needle)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) plan =
	    fu_quectel_package_check_hostile_run(vendor_line, patch_xml, &error);
	g_assert_null(plan);
	fu_quectel_package_test_check_error(error, needle);
}

#define FU_QUECTEL_TEST_VENDOR_HEAD "<erase PAGES_PER_BLOCK=\"64\" SECTOR_SIZE_IN_BYTES=\"2048\" "
#define FU_QUECTEL_TEST_VENDOR_TAIL                                                                \
	"c_project_name=\"EG25GGB\" d_project_type=\"STD\" vendor=\"quectel\"/>"
#define FU_QUECTEL_TEST_DISK_PATCH(sector)                                                         \
	"<?xml version=\"1.0\" ?><patches><patch SECTOR_SIZE_IN_BYTES=\"2048\" "                   \
	"byte_offset=\"0\" filename=\"DISK\" physical_partition_number=\"0\" "                     \
	"size_in_bytes=\"4\" start_sector=\"" sector "\" value=\"0\" what=\"x\"/></patches>"

static void
fu_quectel_package_check_hostile_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) plan = NULL;

	/* the vendor line as Quectel writes it, and a DISK patch inside a partition, pass */
	plan = fu_quectel_package_check_hostile_run(
	    FU_QUECTEL_TEST_VENDOR_HEAD "a_rawdata_start_sector=\"12544\" "
					"b_rawdata_num_sector=\"640\" " FU_QUECTEL_TEST_VENDOR_TAIL,
	    FU_QUECTEL_TEST_DISK_PATCH("131071"),
	    &error);
	g_assert_no_error(error);
	g_assert_nonnull(plan);

	/* a vendor line that also says where: EFS2 */
	fu_quectel_package_check_hostile_refused(
	    FU_QUECTEL_TEST_VENDOR_HEAD
	    "a_rawdata_start_sector=\"12544\" b_rawdata_num_sector=\"640\" "
	    "num_partition_sectors=\"8704\" start_sector=\"1280\" " FU_QUECTEL_TEST_VENDOR_TAIL,
	    NULL,
	    "vendor line: line 21: attribute num_partition_sectors=\"8704\" is not one of the "
	    "known vendor attributes");
	fu_quectel_package_check_hostile_refused(
	    FU_QUECTEL_TEST_VENDOR_HEAD
	    "a_rawdata_start_sector=\"12544\" b_rawdata_num_sector=\"640\" "
	    "filename=\"..\\sbl1.mbn\" " FU_QUECTEL_TEST_VENDOR_TAIL,
	    NULL,
	    "attribute filename=");
	/* RAWDATA numbers outside RAWDATA, or missing */
	fu_quectel_package_check_hostile_refused(
	    FU_QUECTEL_TEST_VENDOR_HEAD "a_rawdata_start_sector=\"1280\" "
					"b_rawdata_num_sector=\"640\" " FU_QUECTEL_TEST_VENDOR_TAIL,
	    NULL,
	    "RAWDATA sectors 0x500+0x280 are not inside 0:RAWDATA (sectors 0x3100-0x337f");
	fu_quectel_package_check_hostile_refused(
	    FU_QUECTEL_TEST_VENDOR_HEAD "a_rawdata_start_sector=\"12544\" "
					"b_rawdata_num_sector=\"641\" " FU_QUECTEL_TEST_VENDOR_TAIL,
	    NULL,
	    "are not inside 0:RAWDATA");
	fu_quectel_package_check_hostile_refused(
	    FU_QUECTEL_TEST_VENDOR_HEAD
	    "a_rawdata_start_sector=\"12544\" " FU_QUECTEL_TEST_VENDOR_TAIL,
	    NULL,
	    "no b_rawdata_num_sector");
	fu_quectel_package_check_hostile_refused(
	    FU_QUECTEL_TEST_VENDOR_HEAD "a_rawdata_start_sector=\"0x3100\" "
					"b_rawdata_num_sector=\"640\" " FU_QUECTEL_TEST_VENDOR_TAIL,
	    NULL,
	    "invalid a_rawdata_start_sector");
	/* a vendor <program> */
	fu_quectel_package_check_hostile_refused(
	    "<program PAGES_PER_BLOCK=\"64\" SECTOR_SIZE_IN_BYTES=\"2048\" "
	    "a_rawdata_start_sector=\"12544\" "
	    "b_rawdata_num_sector=\"640\" " FU_QUECTEL_TEST_VENDOR_TAIL,
	    NULL,
	    "only vendor <erase> lines are known");

	/* a numeric DISK patch beyond the flash */
	fu_quectel_package_check_hostile_refused(
	    NULL,
	    FU_QUECTEL_TEST_DISK_PATCH("131072"),
	    "DISK <patch> writes sector 0x20000, which is outside every partition");
	fu_quectel_package_check_hostile_refused(NULL,
						 FU_QUECTEL_TEST_DISK_PATCH("4294967295"),
						 "outside every partition");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/quectel/revision", fu_quectel_revision_func);
	g_test_add_func("/quectel/revision{invalid}", fu_quectel_revision_invalid_func);
	g_test_add_func("/quectel/at-response", fu_quectel_at_response_func);
	g_test_add_func("/quectel/at-response{invalid}", fu_quectel_at_response_invalid_func);
	g_test_add_func("/quectel/at-response/urc{line}", fu_quectel_at_urc_line_func);
	g_test_add_func("/quectel/at-response/urc{parse}", fu_quectel_at_urc_parse_func);
	g_test_add_func("/quectel/at-response/urc{unknown}", fu_quectel_at_urc_unknown_func);
	g_test_add_func("/quectel/at-response/relayed-revision",
			fu_quectel_at_relayed_revision_func);
	g_test_add_func("/quectel/port-roles", fu_quectel_port_roles_func);
	g_test_add_func("/quectel/package/geometry", fu_quectel_package_geometry_func);
	g_test_add_func("/quectel/package/rawprogram", fu_quectel_package_rawprogram_func);
	g_test_add_func("/quectel/package/rawprogram{invalid}",
			fu_quectel_package_rawprogram_invalid_func);
	g_test_add_func("/quectel/package/rawprogram{partitions-invalid}",
			fu_quectel_package_rawprogram_partitions_invalid_func);
	g_test_add_func("/quectel/package/xml{hostile}", fu_quectel_package_xml_hostile_func);
	g_test_add_func("/quectel/package/patch", fu_quectel_package_patch_func);
	g_test_add_func("/quectel/package/patch{invalid}", fu_quectel_package_patch_invalid_func);
	g_test_add_func("/quectel/package/mibib", fu_quectel_package_mibib_func);
	g_test_add_func("/quectel/package/mibib{invalid}", fu_quectel_package_mibib_invalid_func);
	g_test_add_func("/quectel/package/mibib{total-blocks}",
			fu_quectel_package_mibib_total_blocks_func);
	g_test_add_func("/quectel/diag-frame", fu_quectel_diag_frame_func);
	g_test_add_func("/quectel/failure", fu_quectel_failure_func);
	g_test_add_func("/quectel/firehose/response", fu_quectel_firehose_response_func);
	g_test_add_func("/quectel/firehose/response{flood}",
			fu_quectel_firehose_response_flood_func);
	g_test_add_func("/quectel/firehose/response{invalid}",
			fu_quectel_firehose_response_invalid_func);
	g_test_add_func("/quectel/firehose/build", fu_quectel_firehose_build_func);
	g_test_add_func("/quectel/plan", fu_quectel_plan_func);
	g_test_add_func("/quectel/payload-rules", fu_quectel_payload_rules_func);
	g_test_add_func("/quectel/package-check{plan}", fu_quectel_package_check_plan_func);
	g_test_add_func("/quectel/plan{invalid}", fu_quectel_plan_invalid_func);
	g_test_add_func("/quectel/record", fu_quectel_record_func);
	g_test_add_func("/quectel/record{invalid}", fu_quectel_record_invalid_func);
	g_test_add_func("/quectel/release", fu_quectel_release_func);
	g_test_add_func("/quectel/package-check{hostile}", fu_quectel_package_check_hostile_func);
	g_test_add_func("/quectel/package/mibib{grow-hostile}",
			fu_quectel_package_mibib_grow_hostile_func);
	g_test_add_func("/quectel/firehose/response{storage-hostile}",
			fu_quectel_firehose_response_storage_hostile_func);
	g_test_add_func("/quectel/release{invalid}", fu_quectel_release_invalid_func);
	g_test_add_func("/quectel/release{fit}", fu_quectel_release_fit_func);
	g_test_add_func("/quectel/release{flash}", fu_quectel_release_flash_func);
	return g_test_run();
}

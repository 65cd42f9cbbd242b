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
#include "fu-quectel-firehose-common.h"
#include "fu-quectel-package-common.h"
#include "fu-quectel-plan-common.h"
#include "fu-quectel-port-roles.h"
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
fu_quectel_package_test_md5_invalid(const gchar *text, gsize textsz, const gchar *needle)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(FuQuectelPackageMd5) md5 = fu_quectel_package_md5_parse(text, textsz, &error);
	g_assert_null(md5);
	fu_quectel_package_test_check_error(error, needle);
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
	g_autofree gchar *fn = g_build_filename(SRCDIR, "tests", "md5.txt", NULL);
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
	g_autoptr(FuQuectelPackagePartitionNand) nand = NULL;
	g_autoptr(FuQuectelPackagePartitionNand) nand_xxe = NULL;
	FuQuectelPackageGeometry geometry = {
	    .page_size = 2048,
	    .block_size = 131072,
	    .pages_per_block = 64,
	};

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

	/* the same protection applies to every XML parser */
	nand_xxe = fu_quectel_package_partition_nand_parse(xxe, strlen(xxe), &geometry, 0, &error);
	g_assert_null(nand_xxe);
	fu_quectel_package_test_check_error(error, "partition_nand.xml: invalid XML");
	g_clear_error(&error);
	nand =
	    fu_quectel_package_partition_nand_parse(laughs, strlen(laughs), &geometry, 0, &error);
	g_assert_null(nand);
	fu_quectel_package_test_check_error(error, "partition_nand.xml: invalid XML");
	fu_quectel_package_test_patch_invalid(laughs, "patch XML: invalid XML");
	fu_quectel_package_test_contents_invalid(xxe, "contents.xml: invalid XML");
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

static GPtrArray *
fu_quectel_package_test_partitions_load(guint32 total_blocks)
{
	FuQuectelPackageGeometry geometry = {
	    .page_size = 2048,
	    .block_size = 131072,
	    .pages_per_block = 64,
	};
	g_autoptr(GBytes) blob = fu_quectel_package_test_load("partition_nand.xml");
	g_autoptr(GError) error = NULL;
	g_autoptr(FuQuectelPackagePartitionNand) nand = NULL;

	nand = fu_quectel_package_partition_nand_parse_bytes(blob, &geometry, total_blocks, &error);
	g_assert_no_error(error);
	g_assert_nonnull(nand);
	return g_ptr_array_ref(nand->partitions);
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
	    fu_quectel_firehose_build("erase", "start_sector", "0", "label", "a\"<b", NULL);
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
	g_test_add_func("/quectel/package/path", fu_quectel_package_path_func);
	g_test_add_func("/quectel/package/md5", fu_quectel_package_md5_func);
	g_test_add_func("/quectel/package/md5{invalid}", fu_quectel_package_md5_invalid_func);
	g_test_add_func("/quectel/package/contents", fu_quectel_package_contents_func);
	g_test_add_func("/quectel/package/contents{invalid}",
			fu_quectel_package_contents_invalid_func);
	g_test_add_func("/quectel/package/rawprogram", fu_quectel_package_rawprogram_func);
	g_test_add_func("/quectel/package/rawprogram{invalid}",
			fu_quectel_package_rawprogram_invalid_func);
	g_test_add_func("/quectel/package/rawprogram{partitions-invalid}",
			fu_quectel_package_rawprogram_partitions_invalid_func);
	g_test_add_func("/quectel/package/xml{hostile}", fu_quectel_package_xml_hostile_func);
	g_test_add_func("/quectel/package/patch", fu_quectel_package_patch_func);
	g_test_add_func("/quectel/package/patch{invalid}", fu_quectel_package_patch_invalid_func);
	g_test_add_func("/quectel/package/partition-nand", fu_quectel_package_partition_nand_func);
	g_test_add_func("/quectel/package/partition-nand{invalid}",
			fu_quectel_package_partition_nand_invalid_func);
	g_test_add_func("/quectel/package/mibib", fu_quectel_package_mibib_func);
	g_test_add_func("/quectel/package/mibib{invalid}", fu_quectel_package_mibib_invalid_func);
	g_test_add_func("/quectel/diag-frame", fu_quectel_diag_frame_func);
	g_test_add_func("/quectel/firehose/response", fu_quectel_firehose_response_func);
	g_test_add_func("/quectel/firehose/response{invalid}",
			fu_quectel_firehose_response_invalid_func);
	g_test_add_func("/quectel/firehose/build", fu_quectel_firehose_build_func);
	g_test_add_func("/quectel/plan", fu_quectel_plan_func);
	g_test_add_func("/quectel/plan{invalid}", fu_quectel_plan_invalid_func);
	return g_test_run();
}

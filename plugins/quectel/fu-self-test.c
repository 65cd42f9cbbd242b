/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <fwupdplugin.h>

#include <string.h>

#include "fu-quectel-common.h"

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
	    fu_quectel_at_parse_ati(lines_echo, &manufacturer, &model, &revision, &error));
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
	g_assert_true(fu_quectel_at_parse_ati(lines_urc, &manufacturer, &model, &revision, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(model, ==, "EG25");
	g_assert_cmpstr(revision, ==, "EG25GGBR07A08M2G");

	/* AT+QGMR and AT+CGSN */
	lines_qgmr = fu_quectel_at_parse_str("\r\nEC25EFAR06A08M4G_01.001.01.001\r\n\r\nOK\r\n",
					     "AT+QGMR",
					     &status);
	full = fu_quectel_at_parse_qgmr(lines_qgmr, "EC25EFAR06A08M4G", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(full, ==, "EC25EFAR06A08M4G_01.001.01.001");
	lines_cgsn =
	    fu_quectel_at_parse_str("\r\n867698041234562\r\n\r\nOK\r\n", "AT+CGSN", &status);
	imei = fu_quectel_at_parse_imei(lines_cgsn, &error);
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
	g_assert_false(
	    fu_quectel_at_parse_ati(lines_other, &manufacturer, &model, &revision, &error_ati));
	g_assert_error(error_ati, FWUPD_ERROR, FWUPD_ERROR_NOT_SUPPORTED);

	/* AT+QGMR of another revision, and a short IMEI */
	lines_qgmr = fu_quectel_at_parse_str("\r\nEC25EFAR06A09M4G_01.001.01.001\r\n\r\nOK\r\n",
					     "AT+QGMR",
					     &status);
	full = fu_quectel_at_parse_qgmr(lines_qgmr, "EC25EFAR06A08M4G", &error_qgmr);
	g_assert_error(error_qgmr, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA);
	g_assert_null(full);
	lines_cgsn = fu_quectel_at_parse_str("\r\n86769804123\r\n\r\nOK\r\n", "AT+CGSN", &status);
	imei = fu_quectel_at_parse_imei(lines_cgsn, &error_imei);
	g_assert_error(error_imei, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA);
	g_assert_null(imei);
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

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/quectel/revision", fu_quectel_revision_func);
	g_test_add_func("/quectel/revision{invalid}", fu_quectel_revision_invalid_func);
	g_test_add_func("/quectel/at-response", fu_quectel_at_response_func);
	g_test_add_func("/quectel/at-response{invalid}", fu_quectel_at_response_invalid_func);
	g_test_add_func("/quectel/port-roles", fu_quectel_port_roles_func);
	return g_test_run();
}

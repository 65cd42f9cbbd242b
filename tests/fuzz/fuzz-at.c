/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* AT responses: the first byte picks the command whose answer the rest is, then the lines
 * go through the ATI, AT+QGMR and AT+CGSN parsers as the device does */

#include "fu-quectel-at-response.h"
#include "fuzz-common.h"

FUZZ_INIT_FATAL_LOGS

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const gchar *cmds[] = {"ATI", "AT+QGMR", "AT+CGSN", "ATE0"};
	const gchar *cmd;
	FuQuectelAtStatus status = FU_QUECTEL_AT_STATUS_INCOMPLETE;
	g_autoptr(GPtrArray) lines = NULL;
	g_autofree gchar *manufacturer = NULL;
	g_autofree gchar *model = NULL;
	g_autofree gchar *revision = NULL;
	g_autofree gchar *full = NULL;
	g_autofree gchar *imei = NULL;

	if (size < 1)
		return 0;
	cmd = cmds[data[0] % G_N_ELEMENTS(cmds)];
	if (!fu_quectel_at_response_parse((const gchar *)data + 1,
					  size - 1,
					  cmd,
					  &status,
					  &lines,
					  NULL))
		return 0;
	if (lines == NULL || status != FU_QUECTEL_AT_STATUS_OK)
		return 0;
	if (fu_quectel_at_response_parse_ati(lines, &manufacturer, &model, &revision, NULL))
		full = fu_quectel_at_response_parse_qgmr(lines, revision, NULL);
	else
		full = fu_quectel_at_response_parse_qgmr(lines, "EC25EFAR06A08M4G", NULL);
	imei = fu_quectel_at_response_parse_imei(lines, NULL);
	return 0;
}

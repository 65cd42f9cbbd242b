/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Sahara packets from the target: the header, then the packet its command names, as the
 * host classifies them (HELLO, READ_DATA, END_OF_IMAGE, DONE_RESP; MEMORY_DEBUG and RESET_RESP
 * of the dump-mode exit) */

#include "fu-quectel-struct.h"
#include "fuzz-common.h"

FUZZ_INIT_FATAL_LOGS

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(FuStructQuectelSaharaPkt) pkt = NULL;
	FuQuectelSaharaCmd cmd;

	pkt = fu_struct_quectel_sahara_pkt_parse(data, size, 0x0, NULL);
	if (pkt == NULL)
		return 0;
	cmd = fu_struct_quectel_sahara_pkt_get_cmd(pkt);
	(void)fu_quectel_sahara_cmd_to_string(cmd);
	if (fu_struct_quectel_sahara_pkt_get_length(pkt) != size)
		return 0;
	if (cmd == FU_QUECTEL_SAHARA_CMD_HELLO) {
		g_autoptr(FuStructQuectelSaharaHello) st =
		    fu_struct_quectel_sahara_hello_parse(data, size, 0x0, NULL);
		if (st != NULL)
			(void)fu_quectel_sahara_mode_to_string(
			    fu_struct_quectel_sahara_hello_get_mode(st));
	} else if (cmd == FU_QUECTEL_SAHARA_CMD_READ_DATA) {
		g_autoptr(FuStructQuectelSaharaReadData) st =
		    fu_struct_quectel_sahara_read_data_parse(data, size, 0x0, NULL);
		if (st != NULL)
			(void)fu_struct_quectel_sahara_read_data_get_size(st);
	} else if (cmd == FU_QUECTEL_SAHARA_CMD_END_OF_IMAGE) {
		g_autoptr(FuStructQuectelSaharaEndOfImage) st =
		    fu_struct_quectel_sahara_end_of_image_parse(data, size, 0x0, NULL);
		if (st != NULL)
			(void)fu_quectel_sahara_status_to_string(
			    fu_struct_quectel_sahara_end_of_image_get_status(st));
	} else if (cmd == FU_QUECTEL_SAHARA_CMD_MEMORY_DEBUG) {
		g_autoptr(FuStructQuectelSaharaMemoryDebug) st =
		    fu_struct_quectel_sahara_memory_debug_parse(data, size, 0x0, NULL);
		if (st != NULL)
			(void)fu_struct_quectel_sahara_memory_debug_get_table_length(st);
	} else if (cmd == FU_QUECTEL_SAHARA_CMD_RESET_RESP) {
		g_autoptr(FuStructQuectelSaharaResetResp) st =
		    fu_struct_quectel_sahara_reset_resp_parse(data, size, 0x0, NULL);
		(void)st;
	} else if (cmd == FU_QUECTEL_SAHARA_CMD_DONE_RESP) {
		g_autoptr(FuStructQuectelSaharaDoneResp) st =
		    fu_struct_quectel_sahara_done_resp_parse(data, size, 0x0, NULL);
		if (st != NULL)
			(void)fu_quectel_sahara_done_status_to_string(
			    fu_struct_quectel_sahara_done_resp_get_status(st));
	}
	return 0;
}

/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* what a Firehose programmer sends: <log> and <response> documents, the reason of a NAK,
 * numeric attributes and the storage information JSON of <getstorageinfo> */

#include "fu-quectel-firehose-response.h"
#include "fuzz-common.h"

FUZZ_INIT_FATAL_LOGS

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(FuQuectelFirehoseResponse) rsp = fu_quectel_firehose_response_new();
	g_autofree gchar *reason = NULL;
	FuQuectelPackageGeometry geometry = {0};
	guint64 total_blocks = 0;
	guint64 payload = 0;

	if (!fu_quectel_firehose_response_parse(rsp, (const gchar *)data, size, NULL))
		return 0;
	(void)fu_quectel_firehose_response_is_ack(rsp);
	reason = fu_quectel_firehose_response_get_reason(rsp);
	(void)fu_quectel_firehose_response_get_attr(rsp, "rawmode");
	(void)fu_quectel_firehose_response_get_attr_u64(rsp,
							"MaxPayloadSizeToTargetInBytes",
							&payload,
							NULL);
	(void)fu_quectel_firehose_response_get_storage(rsp, &geometry, &total_blocks, NULL);
	return 0;
}

/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* a whole payload as the plugin parses it (FuQuectelFirmware: zip, manifest, rawprogram,
 * patches, MIBIB, the package checks and the update plan they build) */

#include "fu-quectel-firmware.h"
#include "fuzz-common.h"

FUZZ_INIT_FATAL_LOGS

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(FuFirmware) firmware = fu_quectel_firmware_new();
	g_autoptr(GBytes) blob = g_bytes_new_static(data, size);

	(void)fu_firmware_parse_bytes(firmware, blob, 0x0, FU_FIRMWARE_PARSE_FLAG_NONE, NULL);
	return 0;
}

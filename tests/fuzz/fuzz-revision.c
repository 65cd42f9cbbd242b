/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* revision strings (EC25EFAR06A08M4G[_01.001.01.001]) and what is derived from them; the
 * port-role quirk value shares the input */

#include "fu-quectel-port-roles.h"
#include "fu-quectel-revision.h"
#include "fuzz-common.h"

FUZZ_INIT_FATAL_LOGS

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree gchar *str = fuzz_strndup(data, size);
	g_autoptr(FuQuectelRevision) rev = NULL;
	g_autoptr(GArray) roles = NULL;

	rev = fu_quectel_revision_parse(str, NULL);
	if (rev != NULL) {
		g_autofree gchar *variant = fu_quectel_revision_get_variant_id(rev);
		g_autofree gchar *flash = fu_quectel_revision_get_flash_id(rev);
		g_autofree gchar *baseline = fu_quectel_revision_get_baseline_prefix(rev);
		g_autoptr(GPtrArray) ids = fu_quectel_revision_get_instance_ids(rev);
		g_assert_nonnull(variant);
		g_assert_nonnull(ids);
	}
	if (fu_quectel_port_roles_parse(str, &roles, NULL))
		g_assert_nonnull(roles);
	return 0;
}

/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <fwupdplugin.h>

#include "fu-quectel-common.h"

static void
fu_quectel_revision_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(FuQuectelRevision) rev = fu_quectel_revision_parse("EC25EFAR06A08M4G", &error);
	g_assert_no_error(error);
	g_assert_nonnull(rev);
	g_assert_cmpstr(rev->model, ==, "EC25");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/quectel/revision", fu_quectel_revision_func);
	return g_test_run();
}

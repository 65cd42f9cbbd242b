/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * quectel.quirk against the stock plugins' own quirks, as fwupd loads them: the distribution's
 * quirks (here upstream's qc-firehose.quirk and modem-manager.quirk, joined as builtin.quirk)
 * and ours in the same folder, read in name order. The stock plugins must not be offered the
 * module in either mode, and without our file they would be. FWUPD_SOURCE_DIR names the fwupd
 * source tree.
 */

#include "config.h"

#include <fwupdplugin.h>

#include <glib/gstdio.h>

#include "fu-context-private.h"
#include "fu-device-private.h"

#define TEST_ID_EDL    "USB\\VID_05C6&PID_9008"
#define TEST_ID_NORMAL "USB\\VID_2C7C&PID_0125"

typedef struct {
	gchar *datadir;
	gchar *localstatedir;
} TestQuirks;

static void
test_quirks_free(TestQuirks *tq)
{
	const gchar *dirs[] = {tq->datadir, tq->localstatedir};
	for (guint i = 0; i < G_N_ELEMENTS(dirs); i++) {
		g_autoptr(GDir) dir = g_dir_open(dirs[i], 0, NULL);
		const gchar *name;
		while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
			g_autofree gchar *fn = g_build_filename(dirs[i], name, NULL);
			g_remove(fn);
		}
		g_rmdir(dirs[i]);
	}
	g_free(tq->datadir);
	g_free(tq->localstatedir);
	g_free(tq);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TestQuirks, test_quirks_free)

static gchar *
test_read(const gchar *fn)
{
	gchar *data = NULL;
	g_autoptr(GError) error = NULL;

	g_file_get_contents(fn, &data, NULL, &error);
	g_assert_no_error(error);
	return data;
}

/* the distribution's quirks, and ours next to them if @with_ours */
static TestQuirks *
test_quirks_new(gboolean with_ours)
{
	TestQuirks *tq = g_new0(TestQuirks, 1);
	const gchar *fwupd_src = g_getenv("FWUPD_SOURCE_DIR");
	g_autofree gchar *fn_qc = NULL;
	g_autofree gchar *fn_mm = NULL;
	g_autofree gchar *qc = NULL;
	g_autofree gchar *mm = NULL;
	g_autofree gchar *builtin = NULL;
	g_autofree gchar *builtin_fn = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_nonnull(fwupd_src);
	fn_qc = g_build_filename(fwupd_src, "plugins", "qc-firehose", "qc-firehose.quirk", NULL);
	fn_mm =
	    g_build_filename(fwupd_src, "plugins", "modem-manager", "modem-manager.quirk", NULL);
	qc = test_read(fn_qc);
	mm = test_read(fn_mm);
	tq->datadir = g_dir_make_tmp("quectel-quirks-XXXXXX", &error);
	g_assert_no_error(error);
	tq->localstatedir = g_dir_make_tmp("quectel-quirks-XXXXXX", &error);
	g_assert_no_error(error);
	builtin = g_strdup_printf("%s\n%s", qc, mm);
	builtin_fn = g_build_filename(tq->datadir, "builtin.quirk", NULL);
	g_file_set_contents(builtin_fn, builtin, -1, &error);
	g_assert_no_error(error);
	if (with_ours) {
		g_autofree gchar *ours = test_read(SRCDIR "/plugins/quectel/quectel.quirk");
		g_autofree gchar *ours_fn = g_build_filename(tq->datadir, "quectel.quirk", NULL);
		g_file_set_contents(ours_fn, ours, -1, &error);
		g_assert_no_error(error);
	}
	(void)g_setenv("FWUPD_DATADIR_QUIRKS", tq->datadir, TRUE);
	(void)g_setenv("FWUPD_LOCALSTATEDIR_QUIRKS", tq->localstatedir, TRUE);
	return tq;
}

/* the plugins fwupd offers a device with @instance_id to */
static GPtrArray *
test_possible_plugins(gboolean with_ours, const gchar *instance_id)
{
	g_autoptr(TestQuirks) tq = test_quirks_new(with_ours);
	g_autoptr(FuContext) ctx = fu_context_new();
	g_autoptr(FuDevice) device = NULL;
	g_autoptr(GError) error = NULL;

	fu_context_add_quirk_key(ctx, "QuectelSerialPorts");
	fu_context_add_quirk_key(ctx, "QuectelModels");
	fu_context_add_quirk_key(ctx, "ModemManagerBranchAtCommand");
	fu_context_add_quirk_key(ctx, "ModemManagerFirehoseProgFile");
	g_assert_true(fu_context_load_quirks(ctx, FU_QUIRKS_LOAD_FLAG_NO_CACHE, &error));
	g_assert_no_error(error);
	device = fu_device_new(ctx);
	fu_device_add_instance_id(device, instance_id);
	return fu_device_get_possible_plugins(device);
}

static gboolean
test_has(GPtrArray *plugins, const gchar *name)
{
	return g_ptr_array_find_with_equal_func(plugins, name, g_str_equal, NULL);
}

/* in EDL the quectel plugin identifies the chip first; qc_firehose keeps every other chip */
static void
test_quirk_edl(void)
{
	g_autoptr(GPtrArray) stock = test_possible_plugins(FALSE, TEST_ID_EDL);
	g_autoptr(GPtrArray) plugins = test_possible_plugins(TRUE, TEST_ID_EDL);

	g_assert_true(test_has(stock, "qc_firehose"));
	g_assert_cmpuint(plugins->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(plugins, 0), ==, "quectel");
	g_assert_cmpstr(g_ptr_array_index(plugins, 1), ==, "qc_firehose");
}

/* in normal mode ModemManager's device of the module is not given to modem_manager */
static void
test_quirk_normal(void)
{
	g_autoptr(GPtrArray) stock = test_possible_plugins(FALSE, TEST_ID_NORMAL);
	g_autoptr(GPtrArray) plugins = test_possible_plugins(TRUE, TEST_ID_NORMAL);

	g_assert_true(test_has(stock, "modem_manager"));
	g_assert_false(test_has(plugins, "modem_manager"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/quectel-quirk/edl", test_quirk_edl);
	g_test_add_func("/quectel-quirk/normal", test_quirk_normal);
	return g_test_run();
}

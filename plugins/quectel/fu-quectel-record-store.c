/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "fu-quectel-record-store.h"

/*
 * The only file I/O of the records: one key file per module in fwupd's package local-state
 * folder (e.g. /var/lib/fwupd/quectel/), which survives a daemon restart and a host reboot.
 */

#define FU_QUECTEL_RECORD_STORE_SUBDIR "quectel"
#define FU_QUECTEL_RECORD_STORE_SUFFIX ".conf"
#define FU_QUECTEL_RECORD_STORE_MAX    256 /* files read at most: one per module */

static gchar *
fu_quectel_record_store_get_dir(void)
{
	g_autofree gchar *localstatedir = fu_path_from_kind(FU_PATH_KIND_LOCALSTATEDIR_PKG);
	return g_build_filename(localstatedir, FU_QUECTEL_RECORD_STORE_SUBDIR, NULL);
}

static gchar *
fu_quectel_record_store_get_filename(const FuQuectelRecord *record)
{
	g_autofree gchar *dir = fu_quectel_record_store_get_dir();
	g_autofree gchar *basename = fu_quectel_record_get_basename(record);
	return g_build_filename(dir, basename, NULL);
}

/**
 * fu_quectel_record_store_save:
 * @record: a #FuQuectelRecord
 * @error: (nullable): optional return location for an error
 *
 * Writes the record, replacing the module's previous one.
 *
 * Returns: %TRUE for success
 **/
gboolean
fu_quectel_record_store_save(const FuQuectelRecord *record, GError **error)
{
	g_autofree gchar *data = NULL;
	g_autofree gchar *filename = fu_quectel_record_store_get_filename(record);

	data = fu_quectel_record_to_string(record, error);
	if (data == NULL)
		return FALSE;
	if (!fu_path_mkdir_parent(filename, error))
		return FALSE;
	if (!g_file_set_contents(filename, data, -1, error)) {
		fwupd_error_convert(error);
		g_prefix_error(error, "failed to write %s: ", filename);
		return FALSE;
	}
	g_debug("recorded the module in %s", filename);
	return TRUE;
}

/**
 * fu_quectel_record_store_remove:
 * @record: a #FuQuectelRecord
 * @error: (nullable): optional return location for an error
 *
 * Removes the module's record, if there is one.
 *
 * Returns: %TRUE for success
 **/
gboolean
fu_quectel_record_store_remove(const FuQuectelRecord *record, GError **error)
{
	g_autofree gchar *filename = fu_quectel_record_store_get_filename(record);

	if (!g_file_test(filename, G_FILE_TEST_EXISTS))
		return TRUE;
	if (g_unlink(filename) != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_WRITE,
			    "failed to remove %s: %s",
			    filename,
			    fwupd_strerror(errno));
		return FALSE;
	}
	g_debug("removed the record %s", filename);
	return TRUE;
}

/**
 * fu_quectel_record_store_load_all:
 * @error: (nullable): optional return location for an error
 *
 * Reads every record; a file that is not a valid record is skipped with a warning.
 *
 * Returns: (transfer container) (element-type FuQuectelRecord): the records, maybe none
 **/
GPtrArray *
fu_quectel_record_store_load_all(GError **error)
{
	const gchar *name;
	guint count = 0;
	g_autofree gchar *dirname = fu_quectel_record_store_get_dir();
	g_autoptr(GDir) dir = NULL;
	g_autoptr(GPtrArray) records =
	    g_ptr_array_new_with_free_func((GDestroyNotify)fu_quectel_record_free);

	if (!g_file_test(dirname, G_FILE_TEST_IS_DIR))
		return g_steal_pointer(&records);
	dir = g_dir_open(dirname, 0, error);
	if (dir == NULL) {
		fwupd_error_convert(error);
		return NULL;
	}
	while ((name = g_dir_read_name(dir)) != NULL && count < FU_QUECTEL_RECORD_STORE_MAX) {
		gsize datasz = 0;
		g_autofree gchar *data = NULL;
		g_autofree gchar *filename = NULL;
		g_autoptr(FuQuectelRecord) record = NULL;
		g_autoptr(GError) error_local = NULL;

		if (!g_str_has_suffix(name, FU_QUECTEL_RECORD_STORE_SUFFIX))
			continue;
		count++;
		filename = g_build_filename(dirname, name, NULL);
		if (!g_file_get_contents(filename, &data, &datasz, &error_local)) {
			g_warning("ignoring %s: %s", filename, error_local->message);
			continue;
		}
		record = fu_quectel_record_parse(data, datasz, &error_local);
		if (record == NULL) {
			g_warning("ignoring %s: %s", filename, error_local->message);
			continue;
		}
		g_ptr_array_add(records, g_steal_pointer(&record));
	}
	return g_steal_pointer(&records);
}

/* when the plugin last sent a module in Quectel's dump mode Sahara RESET, by USB port */
#define FU_QUECTEL_RECORD_STORE_DUMP_EXITS "dump-exits.ini"
#define FU_QUECTEL_RECORD_STORE_DUMP_KEY   "Time"

static gchar *
fu_quectel_record_store_get_dump_exits_filename(void)
{
	g_autofree gchar *dir = fu_quectel_record_store_get_dir();
	return g_build_filename(dir, FU_QUECTEL_RECORD_STORE_DUMP_EXITS, NULL);
}

static GKeyFile *
fu_quectel_record_store_load_dump_exits(void)
{
	g_autofree gchar *filename = fu_quectel_record_store_get_dump_exits_filename();
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) error_local = NULL;

	if (g_file_test(filename, G_FILE_TEST_EXISTS) &&
	    !g_key_file_load_from_file(kf, filename, G_KEY_FILE_NONE, &error_local))
		g_warning("ignoring %s: %s", filename, error_local->message);
	return g_steal_pointer(&kf);
}

static gboolean
fu_quectel_record_store_save_dump_exits(GKeyFile *kf, GError **error)
{
	g_autofree gchar *filename = fu_quectel_record_store_get_dump_exits_filename();
	if (!fu_path_mkdir_parent(filename, error))
		return FALSE;
	if (!g_key_file_save_to_file(kf, filename, error)) {
		fwupd_error_convert(error);
		g_prefix_error(error, "failed to write %s: ", filename);
		return FALSE;
	}
	return TRUE;
}

/**
 * fu_quectel_record_store_set_dump_exit:
 * @physical_id: the module's USB port
 * @when: the real time of the Sahara RESET in µs, or 0 to forget it
 * @error: (nullable): optional return location for an error
 *
 * Remembers that the module on @physical_id was sent Sahara RESET in dump mode, so that the
 * next enumeration, in this process or the next one, does not reset it again.
 *
 * Returns: %TRUE for success
 **/
gboolean
fu_quectel_record_store_set_dump_exit(const gchar *physical_id, gint64 when, GError **error)
{
	g_autoptr(GKeyFile) kf = fu_quectel_record_store_load_dump_exits();

	if (when == 0) {
		if (!g_key_file_has_group(kf, physical_id))
			return TRUE;
		g_key_file_remove_group(kf, physical_id, NULL);
	} else {
		g_key_file_set_int64(kf, physical_id, FU_QUECTEL_RECORD_STORE_DUMP_KEY, when);
	}
	return fu_quectel_record_store_save_dump_exits(kf, error);
}

/**
 * fu_quectel_record_store_get_dump_exit:
 * @physical_id: the module's USB port
 *
 * Returns: the real time in µs of the last Sahara RESET the module on @physical_id was sent in
 * dump mode, or 0 for none
 **/
gint64
fu_quectel_record_store_get_dump_exit(const gchar *physical_id)
{
	g_autoptr(GKeyFile) kf = fu_quectel_record_store_load_dump_exits();
	g_autoptr(GError) error_local = NULL;
	gint64 when;

	if (!g_key_file_has_group(kf, physical_id))
		return 0;
	when =
	    g_key_file_get_int64(kf, physical_id, FU_QUECTEL_RECORD_STORE_DUMP_KEY, &error_local);
	if (error_local != NULL) {
		g_warning("ignoring the dump-mode reset of %s: %s",
			  physical_id,
			  error_local->message);
		return 0;
	}
	return MAX(when, 0);
}

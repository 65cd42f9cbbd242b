/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>

#include "fu-quectel-package-check.h"
#include "fu-quectel-package-contents.h"
#include "fu-quectel-package-md5.h"
#include "fu-quectel-package-partition-nand.h"
#include "fu-quectel-package-path.h"
#include "fu-quectel-payload-rules.h"
#include "fu-quectel-plan.h"
#include "fu-quectel-vendor-folder.h"

/* how deep and how many files the folder is scanned */
#define FU_QUECTEL_VENDOR_FOLDER_DEPTH_MAX 8
#define FU_QUECTEL_VENDOR_FOLDER_FILES_MAX 1024
/* where Quectel puts the Firehose files, and their names */
#define FU_QUECTEL_VENDOR_FOLDER_FIREHOSE_DIR	    "update/firehose"
#define FU_QUECTEL_VENDOR_FOLDER_MD5_TXT	    "md5.txt"
#define FU_QUECTEL_VENDOR_FOLDER_CONTENTS_XML	    "contents.xml"
#define FU_QUECTEL_VENDOR_FOLDER_PARTITION_NAND	    "update/partition_nand.xml"
#define FU_QUECTEL_VENDOR_FOLDER_CHIPID		    "MDM9607"
#define FU_QUECTEL_VENDOR_FOLDER_COMPARE_CHUNK_SIZE (1024 * 1024)

typedef struct {
	FuQuectelVendorFolder *folder; /* not owned */
	GPtrArray *relpaths;	       /* of utf8: every file found, '/' separators */
	GHashTable *relpaths_lower;    /* lower-case relpath → relpath */
	FuQuectelPackageMd5 *md5;      /* or NULL */
	FuQuectelVendorFolderFile *programmer;
	FuQuectelVendorFolderFile *rawprogram_file;
	FuQuectelVendorFolderFile *patch_file; /* or NULL */
	FuQuectelVendorFolderFile *mibib_file;
	FuQuectelPackageRawprogram *rawprogram;
	GPtrArray *patches; /* or NULL */
	FuQuectelPackageMibib *mibib;
	GHashTable *image_sizes; /* basename → guint64 */
} FuQuectelVendorFolderHelper;

static void
fu_quectel_vendor_folder_file_free(FuQuectelVendorFolderFile *self)
{
	g_free(self->relpath);
	g_free(self->basename);
	g_free(self->path);
	g_free(self->md5);
	g_free(self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelVendorFolderFile, fu_quectel_vendor_folder_file_free)

static void
fu_quectel_vendor_folder_helper_free(FuQuectelVendorFolderHelper *self)
{
	g_ptr_array_unref(self->relpaths);
	g_hash_table_unref(self->relpaths_lower);
	if (self->md5 != NULL)
		fu_quectel_package_md5_free(self->md5);
	if (self->programmer != NULL)
		fu_quectel_vendor_folder_file_free(self->programmer);
	if (self->rawprogram_file != NULL)
		fu_quectel_vendor_folder_file_free(self->rawprogram_file);
	if (self->patch_file != NULL)
		fu_quectel_vendor_folder_file_free(self->patch_file);
	if (self->mibib_file != NULL)
		fu_quectel_vendor_folder_file_free(self->mibib_file);
	if (self->rawprogram != NULL)
		fu_quectel_package_rawprogram_free(self->rawprogram);
	if (self->patches != NULL)
		g_ptr_array_unref(self->patches);
	if (self->mibib != NULL)
		fu_quectel_package_mibib_free(self->mibib);
	g_hash_table_unref(self->image_sizes);
	g_free(self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelVendorFolderHelper, fu_quectel_vendor_folder_helper_free)

void
fu_quectel_vendor_folder_free(FuQuectelVendorFolder *self)
{
	g_free(self->root);
	if (self->revision != NULL)
		fu_quectel_revision_free(self->revision);
	g_ptr_array_unref(self->payload);
	g_ptr_array_unref(self->verify_only);
	g_ptr_array_unref(self->warnings);
	g_free(self);
}

static void
fu_quectel_vendor_folder_warn(FuQuectelVendorFolder *self, const gchar *format, ...)
    G_GNUC_PRINTF(2, 3);

static void
fu_quectel_vendor_folder_warn(FuQuectelVendorFolder *self, const gchar *format, ...)
{
	va_list args;
	va_start(args, format);
	g_ptr_array_add(self->warnings, g_strdup_vprintf(format, args));
	va_end(args);
}

/* every file below @reldir, without following symlinks */
static gboolean
fu_quectel_vendor_folder_scan(FuQuectelVendorFolderHelper *helper,
			      const gchar *reldir,
			      guint depth,
			      GError **error)
{
	const gchar *name;
	g_autofree gchar *dir = g_build_filename(helper->folder->root, reldir, NULL);
	g_autoptr(GDir) gdir = NULL;

	if (depth > FU_QUECTEL_VENDOR_FOLDER_DEPTH_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    "%s: " FU_QUECTEL_VENDOR_FOLDER_RULE_LAYOUT
			    ": folders nested deeper than %u",
			    reldir,
			    (guint)FU_QUECTEL_VENDOR_FOLDER_DEPTH_MAX);
		return FALSE;
	}
	gdir = g_dir_open(dir, 0, error);
	if (gdir == NULL) {
		fwupd_error_convert(error);
		return FALSE;
	}
	while ((name = g_dir_read_name(gdir)) != NULL) {
		GStatBuf st = {0};
		g_autofree gchar *relpath =
		    reldir[0] == '\0' ? g_strdup(name) : g_strdup_printf("%s/%s", reldir, name);
		g_autofree gchar *path = g_build_filename(helper->folder->root, relpath, NULL);

		if (g_lstat(path, &st) != 0) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_READ,
				    "%s: cannot read: %s",
				    relpath,
				    fwupd_strerror(errno));
			return FALSE;
		}
		if (S_ISDIR(st.st_mode)) {
			if (!fu_quectel_vendor_folder_scan(helper, relpath, depth + 1, error))
				return FALSE;
			continue;
		}
		if (helper->relpaths->len >= FU_QUECTEL_VENDOR_FOLDER_FILES_MAX) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_FILE,
				    "%s: " FU_QUECTEL_VENDOR_FOLDER_RULE_LAYOUT
				    ": more than %u files",
				    relpath,
				    (guint)FU_QUECTEL_VENDOR_FOLDER_FILES_MAX);
			return FALSE;
		}
		g_hash_table_insert(helper->relpaths_lower,
				    g_ascii_strdown(relpath, -1),
				    g_strdup(relpath));
		g_ptr_array_add(helper->relpaths, g_steal_pointer(&relpath));
	}
	return TRUE;
}

/* the file as on disk: the exact path, or the only one that differs in case only */
static const gchar *
fu_quectel_vendor_folder_find(FuQuectelVendorFolderHelper *helper, const gchar *relpath)
{
	g_autofree gchar *lower = g_ascii_strdown(relpath, -1);
	for (guint i = 0; i < helper->relpaths->len; i++) {
		const gchar *tmp = g_ptr_array_index(helper->relpaths, i);
		if (g_strcmp0(tmp, relpath) == 0)
			return tmp;
	}
	return g_hash_table_lookup(helper->relpaths_lower, lower);
}

static FuQuectelPackageMd5Entry *
fu_quectel_vendor_folder_md5_find(FuQuectelVendorFolderHelper *helper, const gchar *relpath)
{
	if (helper->md5 == NULL)
		return NULL;
	return fu_quectel_package_md5_find(helper->md5, relpath);
}

/* a file found by the scan, which must really be inside the folder */
static FuQuectelVendorFolderFile *
fu_quectel_vendor_folder_resolve(FuQuectelVendorFolderHelper *helper,
				 const gchar *relpath,
				 GError **error)
{
	GStatBuf st = {0};
	FuQuectelPackageMd5Entry *entry;
	g_autofree gchar *path = g_build_filename(helper->folder->root, relpath, NULL);
	g_autofree gchar *path_real = realpath(path, NULL);
	g_autofree gchar *prefix = g_strdup_printf("%s/", helper->folder->root);
	g_autoptr(FuQuectelVendorFolderFile) file = g_new0(FuQuectelVendorFolderFile, 1);

	if (path_real == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_FOUND,
			    "%s: " FU_QUECTEL_VENDOR_FOLDER_RULE_MISSING ": cannot resolve: %s",
			    relpath,
			    fwupd_strerror(errno));
		return NULL;
	}
	if (!g_str_has_prefix(path_real, prefix)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    "%s: " FU_QUECTEL_VENDOR_FOLDER_RULE_SYMLINK ": it resolves to %s",
			    relpath,
			    path_real);
		return NULL;
	}
	if (g_stat(path_real, &st) != 0 || !S_ISREG(st.st_mode)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    "%s: " FU_QUECTEL_VENDOR_FOLDER_RULE_MISSING ": not a regular file",
			    relpath);
		return NULL;
	}
	file->relpath = g_strdup(relpath);
	file->basename = g_path_get_basename(relpath);
	file->path = g_steal_pointer(&path_real);
	file->size = st.st_size;
	file->compress = g_str_has_suffix(file->basename, ".xml");
	entry = fu_quectel_vendor_folder_md5_find(helper, relpath);
	if (entry != NULL) {
		file->md5 = g_strdup(entry->md5);
		file->md5_line = entry->line;
	}
	return g_steal_pointer(&file);
}

static GBytes *
fu_quectel_vendor_folder_read(FuQuectelVendorFolderFile *file, gsize size_max, GError **error)
{
	gchar *buf = NULL;
	gsize bufsz = 0;

	if (file->size > size_max) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    "%s: file is 0x%x bytes, the limit is 0x%x",
			    file->relpath,
			    (guint)file->size,
			    (guint)size_max);
		return NULL;
	}
	if (!g_file_get_contents(file->path, &buf, &bufsz, error)) {
		fwupd_error_convert(error);
		return NULL;
	}
	return g_bytes_new_take(buf, bufsz);
}

/* the one file of update/firehose of @kind, see fu-quectel-payload-rules.c */
static FuQuectelVendorFolderFile *
fu_quectel_vendor_folder_select(FuQuectelVendorFolderHelper *helper,
				FuQuectelPayloadFile kind,
				GError **error)
{
	const gchar *globs = fu_quectel_payload_rules_get_globs(kind);
	const gchar *what = fu_quectel_payload_rules_get_what(kind);
	gboolean required = fu_quectel_payload_rules_is_required(kind);
	const gchar *found = NULL;
	g_autofree gchar *prefix = g_strdup_printf("%s/", FU_QUECTEL_VENDOR_FOLDER_FIREHOSE_DIR);

	for (guint i = 0; i < helper->relpaths->len; i++) {
		const gchar *relpath = g_ptr_array_index(helper->relpaths, i);
		if (g_ascii_strncasecmp(relpath, prefix, strlen(prefix)) != 0 ||
		    strchr(relpath + strlen(prefix), '/') != NULL ||
		    !fu_quectel_payload_rules_match(kind, relpath + strlen(prefix)))
			continue;

		/* a factory rawprogram is refused as such, not as a second rawprogram */
		if (!fu_quectel_package_check_filename(relpath, error))
			return NULL;
		if (found != NULL) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_FILE,
				    "%s: " FU_QUECTEL_VENDOR_FOLDER_RULE_LAYOUT
				    ": a second %s, already have %s",
				    relpath,
				    what,
				    found);
			return NULL;
		}
		found = relpath;
	}
	if (found != NULL) {
		if (!fu_quectel_payload_rules_check(kind, found + strlen(prefix), error))
			return NULL;
		return fu_quectel_vendor_folder_resolve(helper, found, error);
	}
	if (!required) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_FOUND,
			    "%s: no %s (%s), none is sent",
			    FU_QUECTEL_VENDOR_FOLDER_FIREHOSE_DIR,
			    what,
			    globs);
		return NULL;
	}

	/* listed in md5.txt but deleted? */
	for (guint i = 0; helper->md5 != NULL && i < helper->md5->entries->len; i++) {
		FuQuectelPackageMd5Entry *entry = g_ptr_array_index(helper->md5->entries, i);
		g_autofree gchar *basename = g_path_get_basename(entry->path);
		if (g_ascii_strncasecmp(entry->path, prefix, strlen(prefix)) != 0 ||
		    !fu_quectel_payload_rules_match(kind, basename))
			continue;
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_FOUND,
			    "%s: " FU_QUECTEL_VENDOR_FOLDER_RULE_MISSING
			    ": the %s is listed in md5.txt line %u but absent",
			    entry->path,
			    what,
			    entry->line);
		return NULL;
	}
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_NOT_FOUND,
		    "%s: " FU_QUECTEL_VENDOR_FOLDER_RULE_LAYOUT ": no %s (%s)",
		    FU_QUECTEL_VENDOR_FOLDER_FIREHOSE_DIR,
		    what,
		    globs);
	return NULL;
}

static gboolean
fu_quectel_vendor_folder_load_md5(FuQuectelVendorFolderHelper *helper,
				  gboolean require_md5,
				  GError **error)
{
	const gchar *relpath =
	    fu_quectel_vendor_folder_find(helper, FU_QUECTEL_VENDOR_FOLDER_MD5_TXT);
	g_autoptr(FuQuectelVendorFolderFile) file = NULL;
	g_autoptr(GBytes) blob = NULL;

	if (relpath == NULL) {
		if (require_md5) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_NOT_FOUND,
				    "%s: " FU_QUECTEL_VENDOR_FOLDER_RULE_NO_MD5
				    ": the folder has no md5.txt, so its files cannot be "
				    "verified; pass --no-md5 to convert it anyway",
				    FU_QUECTEL_VENDOR_FOLDER_MD5_TXT);
			return FALSE;
		}
		fu_quectel_vendor_folder_warn(helper->folder,
					      "md5.txt: absent, no file is verified (--no-md5)");
		return TRUE;
	}
	file = fu_quectel_vendor_folder_resolve(helper, relpath, error);
	if (file == NULL)
		return FALSE;
	blob = fu_quectel_vendor_folder_read(file, FU_QUECTEL_PACKAGE_TEXT_SIZE_MAX, error);
	if (blob == NULL)
		return FALSE;
	helper->md5 = fu_quectel_package_md5_parse_bytes(blob, error);
	if (helper->md5 == NULL) {
		g_prefix_error(error, "%s: " FU_QUECTEL_VENDOR_FOLDER_RULE_INVALID ": ", relpath);
		return FALSE;
	}
	return TRUE;
}

static gboolean
fu_quectel_vendor_folder_load_contents(FuQuectelVendorFolderHelper *helper, GError **error)
{
	const gchar *relpath =
	    fu_quectel_vendor_folder_find(helper, FU_QUECTEL_VENDOR_FOLDER_CONTENTS_XML);
	g_autoptr(FuQuectelVendorFolderFile) file = NULL;
	g_autoptr(FuQuectelPackageContents) contents = NULL;
	g_autoptr(GBytes) blob = NULL;

	if (relpath == NULL) {
		fu_quectel_vendor_folder_warn(helper->folder,
					      "contents.xml: absent, the chip is not checked");
		return TRUE;
	}
	file = fu_quectel_vendor_folder_resolve(helper, relpath, error);
	if (file == NULL)
		return FALSE;
	blob = fu_quectel_vendor_folder_read(file, FU_QUECTEL_PACKAGE_XML_SIZE_MAX, error);
	if (blob == NULL)
		return FALSE;
	contents = fu_quectel_package_contents_parse_bytes(blob, error);
	if (contents == NULL) {
		g_prefix_error(error, "%s: " FU_QUECTEL_VENDOR_FOLDER_RULE_INVALID ": ", relpath);
		return FALSE;
	}
	if (!fu_quectel_package_contents_check_chipid(contents,
						      FU_QUECTEL_VENDOR_FOLDER_CHIPID,
						      error)) {
		g_prefix_error(error, "%s: wrong chip: ", relpath);
		return FALSE;
	}
	return TRUE;
}

/* programmer, rawprogram, patch and MIBIB */
static gboolean
fu_quectel_vendor_folder_load_firehose(FuQuectelVendorFolderHelper *helper, GError **error)
{
	g_autoptr(GBytes) blob_rawprogram = NULL;
	g_autoptr(GBytes) blob_mibib = NULL;
	g_autoptr(GError) error_patch = NULL;

	helper->rawprogram_file =
	    fu_quectel_vendor_folder_select(helper, FU_QUECTEL_PAYLOAD_FILE_RAWPROGRAM, error);
	if (helper->rawprogram_file == NULL)
		return FALSE;
	helper->programmer =
	    fu_quectel_vendor_folder_select(helper, FU_QUECTEL_PAYLOAD_FILE_PROGRAMMER, error);
	if (helper->programmer == NULL)
		return FALSE;
	helper->mibib_file =
	    fu_quectel_vendor_folder_select(helper, FU_QUECTEL_PAYLOAD_FILE_MIBIB, error);
	if (helper->mibib_file == NULL)
		return FALSE;
	helper->patch_file =
	    fu_quectel_vendor_folder_select(helper, FU_QUECTEL_PAYLOAD_FILE_PATCH, &error_patch);
	if (helper->patch_file == NULL) {
		if (!g_error_matches(error_patch, FWUPD_ERROR, FWUPD_ERROR_NOT_FOUND)) {
			g_propagate_error(error, g_steal_pointer(&error_patch));
			return FALSE;
		}
		fu_quectel_vendor_folder_warn(helper->folder, "%s", error_patch->message);
	}

	/* parse */
	blob_rawprogram = fu_quectel_vendor_folder_read(helper->rawprogram_file,
							FU_QUECTEL_PACKAGE_XML_SIZE_MAX,
							error);
	if (blob_rawprogram == NULL)
		return FALSE;
	helper->rawprogram = fu_quectel_package_rawprogram_parse_bytes(blob_rawprogram, error);
	if (helper->rawprogram == NULL) {
		g_prefix_error(error,
			       "%s: " FU_QUECTEL_VENDOR_FOLDER_RULE_INVALID ": ",
			       helper->rawprogram_file->relpath);
		return FALSE;
	}
	blob_mibib = fu_quectel_vendor_folder_read(helper->mibib_file,
						   FU_QUECTEL_PACKAGE_MIBIB_SIZE_MAX,
						   error);
	if (blob_mibib == NULL)
		return FALSE;
	helper->mibib = fu_quectel_package_mibib_parse_bytes(blob_mibib, 0, error);
	if (helper->mibib == NULL) {
		g_prefix_error(error,
			       "%s: " FU_QUECTEL_VENDOR_FOLDER_RULE_INVALID ": ",
			       helper->mibib_file->relpath);
		return FALSE;
	}
	if (helper->patch_file != NULL) {
		g_autoptr(GBytes) blob_patch = NULL;
		blob_patch = fu_quectel_vendor_folder_read(helper->patch_file,
							   FU_QUECTEL_PACKAGE_XML_SIZE_MAX,
							   error);
		if (blob_patch == NULL)
			return FALSE;
		helper->patches = fu_quectel_package_patch_parse_bytes(blob_patch, error);
		if (helper->patches == NULL) {
			g_prefix_error(error,
				       "%s: " FU_QUECTEL_VENDOR_FOLDER_RULE_INVALID ": ",
				       helper->patch_file->relpath);
			return FALSE;
		}
	}
	return TRUE;
}

static void
fu_quectel_vendor_folder_check_input(FuQuectelVendorFolderHelper *helper,
				     FuQuectelPackageCheckInput *input,
				     gchar *project)
{
	input->programmer_fn = helper->programmer->relpath;
	input->rawprogram_fn = helper->rawprogram_file->relpath;
	input->rawprogram = helper->rawprogram;
	input->patch_fn = helper->patch_file != NULL ? helper->patch_file->relpath : NULL;
	input->patches = helper->patches;
	input->mibib_fn = helper->mibib_file->relpath;
	input->mibib = helper->mibib;
	input->image_sizes = helper->image_sizes;
	input->project = project;
}

/* the MIBIB must cover exactly the flash the version names, and agree with partition_nand.xml */
static gboolean
fu_quectel_vendor_folder_check_map(FuQuectelVendorFolderHelper *helper, GError **error)
{
	FuQuectelVendorFolder *self = helper->folder;
	guint32 total_blocks = 0;
	const gchar *relpath;
	g_autofree gchar *flash = fu_quectel_revision_get_flash_id(self->revision);
	g_autoptr(FuQuectelVendorFolderFile) file = NULL;
	g_autoptr(FuQuectelPackagePartitionNand) nand = NULL;
	g_autoptr(GBytes) blob = NULL;

	if (!fu_quectel_package_geometry_get_total_blocks(&self->geometry,
							  self->revision->flash_gbit,
							  &total_blocks,
							  error))
		return FALSE;
	if (!fu_quectel_package_mibib_check_total_blocks(helper->mibib, total_blocks, error)) {
		g_prefix_error(error,
			       "%s: " FU_QUECTEL_PACKAGE_CHECK_RULE_MAP
			       ": for the %s flash of %s: ",
			       helper->mibib_file->relpath,
			       flash,
			       self->revision->revision);
		return FALSE;
	}

	/* QPST's view of the same map */
	relpath = fu_quectel_vendor_folder_find(helper, FU_QUECTEL_VENDOR_FOLDER_PARTITION_NAND);
	if (relpath == NULL) {
		fu_quectel_vendor_folder_warn(self,
					      "%s: absent, the MIBIB is not cross-checked",
					      FU_QUECTEL_VENDOR_FOLDER_PARTITION_NAND);
		return TRUE;
	}
	file = fu_quectel_vendor_folder_resolve(helper, relpath, error);
	if (file == NULL)
		return FALSE;
	blob = fu_quectel_vendor_folder_read(file, FU_QUECTEL_PACKAGE_XML_SIZE_MAX, error);
	if (blob == NULL)
		return FALSE;
	nand = fu_quectel_package_partition_nand_parse_bytes(blob,
							     &self->geometry,
							     total_blocks,
							     error);
	if (nand == NULL) {
		g_prefix_error(error, "%s: " FU_QUECTEL_PACKAGE_CHECK_RULE_MAP ": ", relpath);
		return FALSE;
	}
	if (!fu_quectel_package_mibib_check_partitions(helper->mibib, nand->partitions, error)) {
		g_prefix_error(error,
			       "%s: " FU_QUECTEL_PACKAGE_CHECK_RULE_MAP ": differs from %s: ",
			       helper->mibib_file->relpath,
			       relpath);
		return FALSE;
	}
	return TRUE;
}

/* a filename= of the rawprogram, inside the folder */
static FuQuectelVendorFolderFile *
fu_quectel_vendor_folder_resolve_op(FuQuectelVendorFolderHelper *helper,
				    const FuQuectelPackageOp *op,
				    GError **error)
{
	const gchar *rawprogram_fn = helper->rawprogram_file->relpath;
	const gchar *fn = op->filename;
	const gchar *relpath_disk;
	FuQuectelPackageMd5Entry *entry;
	g_autofree gchar *dir = g_path_get_dirname(rawprogram_fn);
	g_autofree gchar *relpath = NULL;
	g_autoptr(GError) error_local = NULL;

	if (fn[0] == '/' || fn[0] == '\\' || (g_ascii_isalpha(fn[0]) && fn[1] == ':')) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    "%s: " FU_QUECTEL_VENDOR_FOLDER_RULE_ABSOLUTE
			    ": line %u: filename %s is not relative to the folder",
			    rawprogram_fn,
			    op->line,
			    fn);
		return NULL;
	}
	relpath = fu_quectel_package_path_join(dir, fn, &error_local);
	if (relpath == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    "%s: " FU_QUECTEL_VENDOR_FOLDER_RULE_ESCAPE ": line %u: %s",
			    rawprogram_fn,
			    op->line,
			    error_local->message);
		return NULL;
	}
	relpath_disk = fu_quectel_vendor_folder_find(helper, relpath);
	if (relpath_disk == NULL) {
		entry = fu_quectel_vendor_folder_md5_find(helper, relpath);
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_FOUND,
			    "%s: " FU_QUECTEL_VENDOR_FOLDER_RULE_MISSING
			    ": programmed by %s line %u but absent%s",
			    relpath,
			    rawprogram_fn,
			    op->line,
			    entry != NULL ? " (listed in md5.txt)" : "");
		return NULL;
	}
	return fu_quectel_vendor_folder_resolve(helper, relpath_disk, error);
}

/* two different files may not become the same entry of the flattened payload */
static gboolean
fu_quectel_vendor_folder_compare(FuQuectelVendorFolderFile *file1,
				 FuQuectelVendorFolderFile *file2,
				 gboolean *same,
				 GError **error)
{
	g_autofree guint8 *buf1 = NULL;
	g_autofree guint8 *buf2 = NULL;
	g_autoptr(GFile) gfile1 = g_file_new_for_path(file1->path);
	g_autoptr(GFile) gfile2 = g_file_new_for_path(file2->path);
	g_autoptr(GFileInputStream) stream1 = NULL;
	g_autoptr(GFileInputStream) stream2 = NULL;
	guint64 done = 0;

	*same = FALSE;
	if (g_strcmp0(file1->path, file2->path) == 0) {
		*same = TRUE;
		return TRUE;
	}
	if (file1->size != file2->size)
		return TRUE;
	stream1 = g_file_read(gfile1, NULL, error);
	if (stream1 == NULL) {
		fwupd_error_convert(error);
		return FALSE;
	}
	stream2 = g_file_read(gfile2, NULL, error);
	if (stream2 == NULL) {
		fwupd_error_convert(error);
		return FALSE;
	}
	buf1 = g_malloc(FU_QUECTEL_VENDOR_FOLDER_COMPARE_CHUNK_SIZE);
	buf2 = g_malloc(FU_QUECTEL_VENDOR_FOLDER_COMPARE_CHUNK_SIZE);
	while (done < file1->size) {
		gsize want = MIN(FU_QUECTEL_VENDOR_FOLDER_COMPARE_CHUNK_SIZE, file1->size - done);
		gsize got1 = 0;
		gsize got2 = 0;
		if (!g_input_stream_read_all(G_INPUT_STREAM(stream1),
					     buf1,
					     want,
					     &got1,
					     NULL,
					     error) ||
		    !g_input_stream_read_all(G_INPUT_STREAM(stream2),
					     buf2,
					     want,
					     &got2,
					     NULL,
					     error)) {
			fwupd_error_convert(error);
			return FALSE;
		}
		if (got1 != want || got2 != want) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_READ,
				    "%s: " FU_QUECTEL_VENDOR_FOLDER_RULE_CHANGED
				    ": shorter than 0x%x bytes",
				    got1 != want ? file1->relpath : file2->relpath,
				    (guint)file1->size);
			return FALSE;
		}
		if (memcmp(buf1, buf2, want) != 0)
			return TRUE;
		done += want;
	}
	*same = TRUE;
	return TRUE;
}

/* add @file to the payload unless it is already there; takes ownership */
static gboolean
fu_quectel_vendor_folder_add_payload(FuQuectelVendorFolderHelper *helper,
				     FuQuectelVendorFolderFile *file,
				     GError **error)
{
	g_autoptr(FuQuectelVendorFolderFile) file_owned = file;
	GPtrArray *payload = helper->folder->payload;

	for (guint i = 0; i < payload->len; i++) {
		FuQuectelVendorFolderFile *file_tmp = g_ptr_array_index(payload, i);
		gboolean same = FALSE;
		if (g_ascii_strcasecmp(file_tmp->basename, file->basename) != 0)
			continue;
		if (g_strcmp0(file_tmp->relpath, file->relpath) == 0)
			return TRUE;
		if (!fu_quectel_vendor_folder_compare(file_tmp, file, &same, error))
			return FALSE;
		if (!same) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_FILE,
				    "%s: " FU_QUECTEL_VENDOR_FOLDER_RULE_DUP
				    ": it and %s would both be %s in the flattened payload, but "
				    "their contents differ",
				    file->relpath,
				    file_tmp->relpath,
				    file->basename);
			return FALSE;
		}
		fu_quectel_vendor_folder_warn(helper->folder,
					      "%s: identical to %s, sent once",
					      file->relpath,
					      file_tmp->relpath);
		return TRUE;
	}
	fu_quectel_package_check_image_sizes_add(helper->image_sizes, file->basename, file->size);
	g_ptr_array_add(payload, g_steal_pointer(&file_owned));
	return TRUE;
}

static gboolean
fu_quectel_vendor_folder_load_payload(FuQuectelVendorFolderHelper *helper, GError **error)
{
	FuQuectelVendorFolderFile *fixed[] = {
	    helper->programmer,
	    helper->rawprogram_file,
	    helper->patch_file,
	    helper->mibib_file,
	};

	/* the Firehose files first, then the images in rawprogram order */
	for (guint i = 0; i < G_N_ELEMENTS(fixed); i++) {
		FuQuectelVendorFolderFile *file = fixed[i];
		FuQuectelVendorFolderFile *copy;
		if (file == NULL)
			continue;
		copy = g_new0(FuQuectelVendorFolderFile, 1);
		copy->relpath = g_strdup(file->relpath);
		copy->basename = g_strdup(file->basename);
		copy->path = g_strdup(file->path);
		copy->size = file->size;
		copy->md5 = g_strdup(file->md5);
		copy->md5_line = file->md5_line;
		copy->compress = file->compress;
		if (!fu_quectel_vendor_folder_add_payload(helper, copy, error))
			return FALSE;
	}
	for (guint i = 0; i < helper->rawprogram->ops->len; i++) {
		FuQuectelPackageOp *op = g_ptr_array_index(helper->rawprogram->ops, i);
		FuQuectelVendorFolderFile *file;
		if (op->kind != FU_QUECTEL_PACKAGE_OP_KIND_PROGRAM || op->basename == NULL)
			continue;
		file = fu_quectel_vendor_folder_resolve_op(helper, op, error);
		if (file == NULL)
			return FALSE;
		if (!fu_quectel_vendor_folder_add_payload(helper, file, error))
			return FALSE;
	}
	return TRUE;
}

/* nothing of a factory package, in the folder or in md5.txt */
static gboolean
fu_quectel_vendor_folder_check_factory(FuQuectelVendorFolderHelper *helper, GError **error)
{
	for (guint i = 0; i < helper->relpaths->len; i++) {
		const gchar *relpath = g_ptr_array_index(helper->relpaths, i);
		if (!fu_quectel_package_check_filename(relpath, error))
			return FALSE;
	}
	for (guint i = 0; helper->md5 != NULL && i < helper->md5->entries->len; i++) {
		FuQuectelPackageMd5Entry *entry = g_ptr_array_index(helper->md5->entries, i);
		if (!fu_quectel_package_check_filename(entry->path, error)) {
			g_prefix_error(error, "md5.txt line %u: ", entry->line);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
fu_quectel_vendor_folder_is_payload(FuQuectelVendorFolder *self, const gchar *relpath)
{
	for (guint i = 0; i < self->payload->len; i++) {
		FuQuectelVendorFolderFile *file = g_ptr_array_index(self->payload, i);
		if (g_ascii_strcasecmp(file->relpath, relpath) == 0)
			return TRUE;
	}
	return FALSE;
}

/* every md5.txt entry that exists is verified; one that does not is only a warning */
static gboolean
fu_quectel_vendor_folder_load_verify_only(FuQuectelVendorFolderHelper *helper, GError **error)
{
	FuQuectelVendorFolder *self = helper->folder;

	for (guint i = 0; i < self->payload->len; i++) {
		FuQuectelVendorFolderFile *file = g_ptr_array_index(self->payload, i);
		if (file->md5 == NULL && helper->md5 != NULL)
			fu_quectel_vendor_folder_warn(self,
						      "%s: not listed in md5.txt, not verified",
						      file->relpath);
	}
	for (guint i = 0; helper->md5 != NULL && i < helper->md5->entries->len; i++) {
		FuQuectelPackageMd5Entry *entry = g_ptr_array_index(helper->md5->entries, i);
		const gchar *relpath = fu_quectel_vendor_folder_find(helper, entry->path);
		FuQuectelVendorFolderFile *file;
		if (relpath == NULL) {
			fu_quectel_vendor_folder_warn(self,
						      "%s: listed in md5.txt line %u but absent; "
						      "the update does not need it",
						      entry->path,
						      entry->line);
			continue;
		}
		if (fu_quectel_vendor_folder_is_payload(self, relpath))
			continue;
		file = fu_quectel_vendor_folder_resolve(helper, relpath, error);
		if (file == NULL)
			return FALSE;
		g_ptr_array_add(self->verify_only, file);
	}
	return TRUE;
}

static gboolean
fu_quectel_vendor_folder_load_version(FuQuectelVendorFolder *self,
				      const gchar *path,
				      const gchar *version,
				      GError **error)
{
	g_autofree gchar *path_safe = g_strdup(path);
	g_autofree gchar *basename = NULL;

	/* "EC25EFAR06A08M4G/" */
	while (strlen(path_safe) > 1 && g_str_has_suffix(path_safe, "/"))
		path_safe[strlen(path_safe) - 1] = '\0';
	basename = g_path_get_basename(path_safe);
	if (version != NULL) {
		self->revision = fu_quectel_revision_parse(version, error);
		if (self->revision == NULL) {
			g_prefix_error_literal(error,
					       "--version: " FU_QUECTEL_VENDOR_FOLDER_RULE_VERSION
					       ": ");
			return FALSE;
		}
		return TRUE;
	}
	self->revision = fu_quectel_revision_parse(basename, error);
	if (self->revision == NULL) {
		g_prefix_error(error,
			       "%s: " FU_QUECTEL_VENDOR_FOLDER_RULE_VERSION
			       ": the folder name is not a firmware version, pass --version: ",
			       basename);
		return FALSE;
	}
	return TRUE;
}

/**
 * fu_quectel_vendor_folder_load:
 * @path: the vendor folder, e.g. `EC25EFAR06A08M4G/`
 * @version: (nullable): the firmware version, or %NULL to take the folder name
 * @require_md5: refuse a folder without md5.txt
 * @error: (nullable): optional return location for an error
 *
 * Reads everything but the images: md5.txt, contents.xml, the update rawprogram, patch,
 * MIBIB and partition_nand.xml, resolves every file the rawprogram programs inside the
 * folder, and applies the safety rules. The MD5 sums are verified later, while the files
 * are streamed into the payload.
 *
 * Returns: (transfer full): the folder, or %NULL if it is refused
 **/
FuQuectelVendorFolder *
fu_quectel_vendor_folder_load(const gchar *path,
			      const gchar *version,
			      gboolean require_md5,
			      GError **error)
{
	FuQuectelPackageCheckInput input = {0};
	GStatBuf st = {0};
	g_autofree gchar *project = NULL;
	g_autoptr(GPtrArray) plan = NULL;
	g_autoptr(FuQuectelVendorFolder) self = g_new0(FuQuectelVendorFolder, 1);
	g_autoptr(FuQuectelVendorFolderHelper) helper = g_new0(FuQuectelVendorFolderHelper, 1);

	self->payload =
	    g_ptr_array_new_with_free_func((GDestroyNotify)fu_quectel_vendor_folder_file_free);
	self->verify_only =
	    g_ptr_array_new_with_free_func((GDestroyNotify)fu_quectel_vendor_folder_file_free);
	self->warnings = g_ptr_array_new_with_free_func(g_free);
	helper->folder = self;
	helper->relpaths = g_ptr_array_new_with_free_func(g_free);
	helper->relpaths_lower = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	helper->image_sizes = fu_quectel_package_check_image_sizes_new();

	/* the folder and the version */
	if (g_stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_FOUND,
			    "%s: " FU_QUECTEL_VENDOR_FOLDER_RULE_LAYOUT ": not a folder",
			    path);
		return NULL;
	}
	self->root = realpath(path, NULL);
	if (self->root == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_FOUND,
			    "%s: cannot resolve: %s",
			    path,
			    fwupd_strerror(errno));
		return NULL;
	}
	if (!fu_quectel_vendor_folder_load_version(self, path, version, error))
		return NULL;
	project = fu_quectel_revision_get_variant_id(self->revision);

	/* what is there */
	if (!fu_quectel_vendor_folder_scan(helper, "", 0, error))
		return NULL;
	g_ptr_array_sort(helper->relpaths, (GCompareFunc)g_strcmp0);
	if (!fu_quectel_vendor_folder_load_md5(helper, require_md5, error))
		return NULL;
	if (!fu_quectel_vendor_folder_load_contents(helper, error))
		return NULL;
	if (!fu_quectel_vendor_folder_load_firehose(helper, error))
		return NULL;

	/* one geometry, then the map it implies */
	fu_quectel_vendor_folder_check_input(helper, &input, project);
	if (!fu_quectel_package_check_geometry(&input, &self->geometry, error))
		return NULL;
	if (!fu_quectel_vendor_folder_check_map(helper, error))
		return NULL;

	/* every file the update sends, inside the folder, then every rule */
	if (!fu_quectel_vendor_folder_load_payload(helper, error))
		return NULL;
	plan = fu_quectel_package_check_run(&input, &self->geometry, error);
	if (plan == NULL)
		return NULL;
	if (!fu_quectel_vendor_folder_check_factory(helper, error))
		return NULL;
	if (!fu_quectel_vendor_folder_load_verify_only(helper, error))
		return NULL;

	/* what the update writes, as the check planned it */
	self->program_bytes = fu_quectel_plan_get_program_bytes(plan, self->geometry.page_size);
	return g_steal_pointer(&self);
}

/**
 * fu_quectel_vendor_folder_get_read_size:
 * @self: a #FuQuectelVendorFolder
 *
 * Returns: the bytes the conversion reads: the payload and the files verified only
 **/
guint64
fu_quectel_vendor_folder_get_read_size(FuQuectelVendorFolder *self)
{
	guint64 total = 0;
	for (guint i = 0; i < self->payload->len; i++) {
		FuQuectelVendorFolderFile *file = g_ptr_array_index(self->payload, i);
		total += file->size;
	}
	for (guint i = 0; i < self->verify_only->len; i++) {
		FuQuectelVendorFolderFile *file = g_ptr_array_index(self->verify_only, i);
		total += file->size;
	}
	return total;
}

/**
 * fu_quectel_vendor_folder_file_check_md5:
 * @file: a file of the folder
 * @md5: the MD5 of what was read of it
 * @bytes_read: how many bytes were read
 * @error: (nullable): optional return location for an error
 *
 * Returns: %TRUE if the file was read whole and matches md5.txt, or is not listed there
 **/
gboolean
fu_quectel_vendor_folder_file_check_md5(FuQuectelVendorFolderFile *file,
					GChecksum *md5,
					guint64 bytes_read,
					GError **error)
{
	const gchar *digest = g_checksum_get_string(md5);

	if (bytes_read != file->size) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_READ,
			    "%s: " FU_QUECTEL_VENDOR_FOLDER_RULE_CHANGED
			    ": read 0x%" G_GINT64_MODIFIER "x bytes, expected 0x%" G_GINT64_MODIFIER
			    "x",
			    file->relpath,
			    bytes_read,
			    file->size);
		return FALSE;
	}
	if (file->md5 == NULL)
		return TRUE;
	if (g_strcmp0(digest, file->md5) != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: " FU_QUECTEL_VENDOR_FOLDER_RULE_MD5
			    ": its MD5 is %s but md5.txt line %u says %s",
			    file->relpath,
			    digest,
			    file->md5_line,
			    file->md5);
		return FALSE;
	}
	return TRUE;
}

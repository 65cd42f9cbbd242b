/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <fwupdplugin.h>

#include <fcntl.h>
#include <gio/gunixoutputstream.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <jcat.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "fu-quectel-cab-writer.h"
#include "fu-quectel-firmware.h"
#include "fu-quectel-metainfo.h"
#include "fu-quectel-vendor-folder.h"
#include "fu-quectel-zip-writer.h"

/* the names in the cabinet */
#define FU_QUECTEL_FW2CAB_PAYLOAD  "firmware.zip"
#define FU_QUECTEL_FW2CAB_METAINFO "firmware.metainfo.xml"
#define FU_QUECTEL_FW2CAB_JCAT	   "firmware.jcat"
/* the install duration: EDL switch, Sahara and reboots, then the flash at Firehose speed */
#define FU_QUECTEL_FW2CAB_RESTART_SECS	   90
#define FU_QUECTEL_FW2CAB_WRITE_BYTES_SECS (3 * 1000 * 1000)
#define FU_QUECTEL_FW2CAB_DURATION_ROUND   10
/* exit codes */
#define FU_QUECTEL_FW2CAB_EXIT_REFUSED 1
#define FU_QUECTEL_FW2CAB_EXIT_USAGE   2
/* progress is redrawn every this many permille */
#define FU_QUECTEL_FW2CAB_PROGRESS_STEP 5
#define FU_QUECTEL_FW2CAB_PROGRESS_FULL 1000
#define FU_QUECTEL_FW2CAB_MB		1e6
/* rw-r--r--, less the umask */
#define FU_QUECTEL_FW2CAB_FILE_MODE 0644

typedef struct {
	gchar *folder;
	gchar *output;
	gchar *version;
	gchar *release_date;
	gchar *urgency;
	gchar *description;
	gchar *sign_cert;
	gchar *sign_key;
	gint install_duration;
	gboolean force;
	gboolean no_md5;
	gboolean quiet;
	/* progress */
	gboolean show_progress;
	const gchar *progress_label;
	guint64 progress_done;
	guint64 progress_total;
	guint progress_last;
	gboolean interrupted;
} FuQuectelFw2cab;

/* a file next to the output, removed unless it is renamed to its final name */
typedef struct {
	gchar *path;
	GOutputStream *ostream;
} FuQuectelFw2cabTemp;

static void
fu_quectel_fw2cab_free(FuQuectelFw2cab *self)
{
	g_free(self->folder);
	g_free(self->output);
	g_free(self->version);
	g_free(self->release_date);
	g_free(self->urgency);
	g_free(self->description);
	g_free(self->sign_cert);
	g_free(self->sign_key);
	g_free(self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelFw2cab, fu_quectel_fw2cab_free)

static void
fu_quectel_fw2cab_temp_free(FuQuectelFw2cabTemp *self)
{
	if (self->ostream != NULL) {
		g_output_stream_close(self->ostream, NULL, NULL);
		g_object_unref(self->ostream);
	}
	if (self->path != NULL)
		g_unlink(self->path);
	g_free(self->path);
	g_free(self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelFw2cabTemp, fu_quectel_fw2cab_temp_free)

static FuQuectelFw2cabTemp *
fu_quectel_fw2cab_temp_new(const gchar *output, const gchar *suffix, GError **error)
{
	gint fd;
	g_autofree gchar *dirname = g_path_get_dirname(output);
	g_autofree gchar *basename = g_path_get_basename(output);
	g_autofree gchar *template = NULL;
	g_autoptr(FuQuectelFw2cabTemp) self = g_new0(FuQuectelFw2cabTemp, 1);

	template = g_strdup_printf("%s/.%s%s-XXXXXX", dirname, basename, suffix);
	fd = g_mkstemp_full(template, O_RDWR | O_CLOEXEC, FU_QUECTEL_FW2CAB_FILE_MODE);
	if (fd < 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_WRITE,
			    "cannot create a temporary file in %s: %s",
			    dirname,
			    fwupd_strerror(errno));
		return NULL;
	}
	self->path = g_steal_pointer(&template);
	self->ostream = g_unix_output_stream_new(fd, TRUE);
	return g_steal_pointer(&self);
}

/* flush to disk and close, keeping the file */
static gboolean
fu_quectel_fw2cab_temp_close(FuQuectelFw2cabTemp *self, GError **error)
{
	if (!g_output_stream_flush(self->ostream, NULL, error))
		return FALSE;
	if (fsync(g_unix_output_stream_get_fd(G_UNIX_OUTPUT_STREAM(self->ostream))) != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_WRITE,
			    "cannot write %s: %s",
			    self->path,
			    fwupd_strerror(errno));
		return FALSE;
	}
	if (!g_output_stream_close(self->ostream, NULL, error))
		return FALSE;
	g_clear_object(&self->ostream);
	return TRUE;
}

static void
fu_quectel_fw2cab_progress_start(FuQuectelFw2cab *self, const gchar *label, guint64 total)
{
	self->progress_label = label;
	self->progress_done = 0;
	self->progress_total = MAX(total, 1);
	self->progress_last = G_MAXUINT;
}

/* also where a signal is noticed: the conversion then stops and cleans up */
static gboolean
fu_quectel_fw2cab_progress_cb(guint64 bytes, gpointer user_data)
{
	FuQuectelFw2cab *self = (FuQuectelFw2cab *)user_data;
	guint permille;

	g_main_context_iteration(NULL, FALSE);
	if (self->interrupted)
		return FALSE;
	self->progress_done += bytes;
	if (!self->show_progress)
		return TRUE;
	permille = (guint)(MIN(self->progress_done, self->progress_total) *
			   FU_QUECTEL_FW2CAB_PROGRESS_FULL / self->progress_total);
	if (self->progress_last != G_MAXUINT &&
	    permille < self->progress_last + FU_QUECTEL_FW2CAB_PROGRESS_STEP &&
	    permille != FU_QUECTEL_FW2CAB_PROGRESS_FULL)
		return TRUE;
	if (permille == self->progress_last)
		return TRUE;
	self->progress_last = permille;
	/* nocheck:print */
	g_printerr("\r%-28s %5.1f%%  %7.1f / %.1f MB",
		   self->progress_label,
		   permille / 10.0,
		   self->progress_done / FU_QUECTEL_FW2CAB_MB,
		   self->progress_total / FU_QUECTEL_FW2CAB_MB);
	if (permille == FU_QUECTEL_FW2CAB_PROGRESS_FULL)
		/* nocheck:print */
		g_printerr("\n");
	return TRUE;
}

static gboolean
fu_quectel_fw2cab_signal_cb(gpointer user_data)
{
	FuQuectelFw2cab *self = (FuQuectelFw2cab *)user_data;
	self->interrupted = TRUE;
	return G_SOURCE_CONTINUE;
}

static GInputStream *
fu_quectel_fw2cab_open(const gchar *path, GError **error)
{
	g_autoptr(GFile) file = g_file_new_for_path(path);
	GFileInputStream *stream = g_file_read(file, NULL, error);
	if (stream == NULL) {
		fwupd_error_convert(error);
		return NULL;
	}
	return G_INPUT_STREAM(stream);
}

/* the release manifest, first and stored, so every entry point knows what it installs */
static gboolean
fu_quectel_fw2cab_write_release(FuQuectelZipWriter *writer,
				FuQuectelVendorFolder *folder,
				GError **error)
{
	guint64 bytes_read = 0;
	g_autoptr(FuQuectelRelease) release = NULL;
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(GInputStream) istream = NULL;

	release = fu_quectel_release_new(folder->revision, &folder->geometry, error);
	if (release == NULL)
		return FALSE;
	blob = fu_quectel_release_to_bytes(release);
	istream = g_memory_input_stream_new_from_bytes(blob);
	return fu_quectel_zip_writer_add(writer,
					 FU_QUECTEL_RELEASE_FILENAME,
					 istream,
					 g_bytes_get_size(blob),
					 FALSE,
					 NULL,
					 &bytes_read,
					 error);
}

/* stream the payload into the zip, verifying each file's MD5 as it is read */
static gboolean
fu_quectel_fw2cab_write_payload(FuQuectelFw2cab *self,
				FuQuectelVendorFolder *folder,
				FuQuectelFw2cabTemp *temp,
				GDateTime *mtime,
				gchar **sha256,
				guint64 *size,
				GError **error)
{
	g_autoptr(FuQuectelZipWriter) writer = NULL;

	fu_quectel_fw2cab_progress_start(self,
					 "verifying and archiving",
					 fu_quectel_vendor_folder_get_read_size(folder));
	writer = fu_quectel_zip_writer_new(temp->ostream,
					   mtime,
					   fu_quectel_fw2cab_progress_cb,
					   self,
					   error);
	if (writer == NULL)
		return FALSE;
	if (!fu_quectel_fw2cab_write_release(writer, folder, error))
		return FALSE;
	for (guint i = 0; i < folder->payload->len; i++) {
		FuQuectelVendorFolderFile *file = g_ptr_array_index(folder->payload, i);
		guint64 bytes_read = 0;
		g_autoptr(GChecksum) md5 = g_checksum_new(G_CHECKSUM_MD5);
		g_autoptr(GInputStream) istream = fu_quectel_fw2cab_open(file->path, error);
		if (istream == NULL)
			return FALSE;
		if (!fu_quectel_zip_writer_add(writer,
					       file->basename,
					       istream,
					       file->size,
					       file->compress,
					       md5,
					       &bytes_read,
					       error))
			return FALSE;
		if (!fu_quectel_vendor_folder_file_check_md5(file, md5, bytes_read, error))
			return FALSE;
	}
	if (!fu_quectel_zip_writer_close(writer, error))
		return FALSE;

	/* every other file md5.txt lists */
	for (guint i = 0; i < folder->verify_only->len; i++) {
		FuQuectelVendorFolderFile *file = g_ptr_array_index(folder->verify_only, i);
		guint64 bytes_read = 0;
		g_autoptr(GChecksum) md5 = g_checksum_new(G_CHECKSUM_MD5);
		g_autoptr(GInputStream) istream = fu_quectel_fw2cab_open(file->path, error);
		if (istream == NULL)
			return FALSE;
		if (!fu_quectel_zip_writer_read_chunks(istream,
						       file->size,
						       md5,
						       fu_quectel_fw2cab_progress_cb,
						       self,
						       &bytes_read,
						       error))
			return FALSE;
		if (!fu_quectel_vendor_folder_file_check_md5(file, md5, bytes_read, error))
			return FALSE;
	}
	*sha256 = g_strdup(fu_quectel_zip_writer_get_sha256(writer));
	*size = fu_quectel_zip_writer_get_size(writer);
	return TRUE;
}

/* the plugin's own parser must accept what was written */
static gboolean
fu_quectel_fw2cab_check_payload(const gchar *path, GError **error)
{
	g_autoptr(FuFirmware) firmware = fu_quectel_firmware_new();
	g_autoptr(GInputStream) istream = fu_quectel_fw2cab_open(path, error);

	if (istream == NULL)
		return FALSE;
	if (!fu_firmware_parse_stream(firmware,
				      istream,
				      0x0,
				      FU_FIRMWARE_PARSE_FLAG_IGNORE_CHECKSUM,
				      error)) {
		g_prefix_error_literal(error, "the written payload does not parse: ");
		return FALSE;
	}
	return TRUE;
}

static gboolean
fu_quectel_fw2cab_jcat_add(FuQuectelFw2cab *self,
			   JcatFile *jcat_file,
			   JcatEngine *engine,
			   GBytes *cert,
			   GBytes *privkey,
			   const gchar *filename,
			   const gchar *sha256,
			   GBytes *blob,
			   gint64 timestamp,
			   GError **error)
{
	g_autoptr(JcatItem) item = jcat_item_new(filename);
	g_autoptr(JcatBlob) blob_sha256 = jcat_blob_new_utf8(JCAT_BLOB_KIND_SHA256, sha256);

	jcat_blob_set_timestamp(blob_sha256, timestamp);
	jcat_item_add_blob(item, blob_sha256);
	if (engine != NULL) {
		g_autoptr(JcatBlob) blob_sig =
		    jcat_engine_pubkey_sign(engine,
					    blob,
					    cert,
					    privkey,
					    JCAT_SIGN_FLAG_ADD_TIMESTAMP | JCAT_SIGN_FLAG_ADD_CERT,
					    error);
		if (blob_sig == NULL) {
			fwupd_error_convert(error);
			g_prefix_error(error, "cannot sign %s: ", filename);
			return FALSE;
		}
		jcat_item_add_blob(item, blob_sig);
	}
	jcat_file_add_item(jcat_file, item);
	return TRUE;
}

/* SHA-256 of both files, and optionally a PKCS#7 signature of each */
static GBytes *
fu_quectel_fw2cab_build_jcat(FuQuectelFw2cab *self,
			     const gchar *payload_path,
			     const gchar *payload_sha256,
			     GBytes *metainfo,
			     gint64 timestamp,
			     GError **error)
{
	g_autofree gchar *metainfo_sha256 = NULL;
	g_autoptr(GBytes) cert = NULL;
	g_autoptr(GBytes) privkey = NULL;
	g_autoptr(GBytes) payload = NULL;
	g_autoptr(GMappedFile) payload_mapped = NULL;
	g_autoptr(GOutputStream) ostream = g_memory_output_stream_new_resizable();
	g_autoptr(JcatContext) context = jcat_context_new();
	g_autoptr(JcatEngine) engine = NULL;
	g_autoptr(JcatFile) jcat_file = jcat_file_new();

	if (self->sign_cert != NULL) {
		cert = fu_bytes_get_contents(self->sign_cert, error);
		if (cert == NULL)
			return NULL;
		privkey = fu_bytes_get_contents(self->sign_key, error);
		if (privkey == NULL)
			return NULL;
		engine = jcat_context_get_engine(context, JCAT_BLOB_KIND_PKCS7, error);
		if (engine == NULL) {
			fwupd_error_convert(error);
			return NULL;
		}
		/* the signature needs the whole payload: map it rather than copy it */
		payload_mapped = g_mapped_file_new(payload_path, FALSE, error);
		if (payload_mapped == NULL) {
			fwupd_error_convert(error);
			return NULL;
		}
		payload = g_mapped_file_get_bytes(payload_mapped);
	}
	if (!fu_quectel_fw2cab_jcat_add(self,
					jcat_file,
					engine,
					cert,
					privkey,
					FU_QUECTEL_FW2CAB_PAYLOAD,
					payload_sha256,
					payload,
					timestamp,
					error))
		return NULL;
	metainfo_sha256 = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, metainfo);
	if (!fu_quectel_fw2cab_jcat_add(self,
					jcat_file,
					engine,
					cert,
					privkey,
					FU_QUECTEL_FW2CAB_METAINFO,
					metainfo_sha256,
					metainfo,
					timestamp,
					error))
		return NULL;
	if (!jcat_file_export_stream(jcat_file, ostream, JCAT_EXPORT_FLAG_NONE, NULL, error) ||
	    !g_output_stream_close(ostream, NULL, error)) {
		fwupd_error_convert(error);
		return NULL;
	}
	return g_memory_output_stream_steal_as_bytes(G_MEMORY_OUTPUT_STREAM(ostream));
}

/* fwupd's own cabinet parser must find the three files, whole */
static gboolean
fu_quectel_fw2cab_check_cab(const gchar *path, guint64 payload_size, GError **error)
{
	g_autoptr(FuFirmware) cab = FU_FIRMWARE(fu_cab_firmware_new());
	g_autoptr(FuFirmware) img = NULL;
	g_autoptr(FuFirmware) img_metainfo = NULL;
	g_autoptr(FuFirmware) img_jcat = NULL;
	g_autoptr(GInputStream) istream = fu_quectel_fw2cab_open(path, error);
	gsize size = 0;

	if (istream == NULL)
		return FALSE;
	if (!fu_firmware_parse_stream(cab,
				      istream,
				      0x0,
				      FU_FIRMWARE_PARSE_FLAG_IGNORE_CHECKSUM,
				      error)) {
		g_prefix_error_literal(error, "the written cabinet does not parse: ");
		return FALSE;
	}
	img_metainfo = fu_firmware_get_image_by_id(cab, FU_QUECTEL_FW2CAB_METAINFO, error);
	if (img_metainfo == NULL)
		return FALSE;
	img_jcat = fu_firmware_get_image_by_id(cab, FU_QUECTEL_FW2CAB_JCAT, error);
	if (img_jcat == NULL)
		return FALSE;
	img = fu_firmware_get_image_by_id(cab, FU_QUECTEL_FW2CAB_PAYLOAD, error);
	if (img == NULL)
		return FALSE;
	size = fu_firmware_get_size(img);
	if (size != payload_size) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INTERNAL,
			    "the written cabinet holds 0x%x bytes of %s, expected 0x%x",
			    (guint)size,
			    FU_QUECTEL_FW2CAB_PAYLOAD,
			    (guint)payload_size);
		return FALSE;
	}
	return TRUE;
}

static guint
fu_quectel_fw2cab_get_install_duration(FuQuectelFw2cab *self, FuQuectelVendorFolder *folder)
{
	guint secs;
	if (self->install_duration > 0)
		return (guint)self->install_duration;
	secs = FU_QUECTEL_FW2CAB_RESTART_SECS +
	       (guint)(folder->program_bytes / FU_QUECTEL_FW2CAB_WRITE_BYTES_SECS);
	return (secs + FU_QUECTEL_FW2CAB_DURATION_ROUND - 1) / FU_QUECTEL_FW2CAB_DURATION_ROUND *
	       FU_QUECTEL_FW2CAB_DURATION_ROUND;
}

static gboolean
fu_quectel_fw2cab_check_args(FuQuectelFw2cab *self, GError **error)
{
	if (self->release_date == NULL) {
		g_autoptr(GDateTime) now = g_date_time_new_now_utc();
		self->release_date = g_date_time_format(now, "%Y-%m-%d");
	}
	if (!fu_quectel_metainfo_check_date(self->release_date, error)) {
		g_prefix_error_literal(error, "--release-date: ");
		return FALSE;
	}
	if (self->urgency == NULL)
		self->urgency = g_strdup("medium");
	if (!fu_quectel_metainfo_check_urgency(self->urgency, error)) {
		g_prefix_error_literal(error, "--urgency: ");
		return FALSE;
	}
	if ((self->sign_cert == NULL) != (self->sign_key == NULL)) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "--sign-cert and --sign-key go together");
		return FALSE;
	}
	if (self->install_duration < 0) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "--install-duration must be positive");
		return FALSE;
	}
	return TRUE;
}

static gboolean
fu_quectel_fw2cab_run(FuQuectelFw2cab *self, GError **error)
{
	guint64 payload_size = 0;
	g_autofree gchar *payload_sha256 = NULL;
	g_autofree gchar *iso = g_strdup_printf("%sT00:00:00Z", self->release_date);
	g_autofree gchar *geometry = NULL;
	g_autofree gchar *guid = NULL;
	g_autofree gchar *baseline = NULL;
	g_autoptr(GDateTime) mtime = g_date_time_new_from_iso8601(iso, NULL);
	g_autoptr(FuQuectelVendorFolder) folder = NULL;
	g_autoptr(FuQuectelFw2cabTemp) temp_zip = NULL;
	g_autoptr(FuQuectelFw2cabTemp) temp_cab = NULL;
	g_autoptr(FuQuectelCabWriter) cab_writer = fu_quectel_cab_writer_new();
	g_autoptr(GBytes) metainfo = NULL;
	g_autoptr(GBytes) jcat = NULL;
	g_autoptr(GInputStream) payload = NULL;
	FuQuectelMetainfo metainfo_input = {0};

	/* everything but the images, and every rule */
	folder = fu_quectel_vendor_folder_load(self->folder, self->version, !self->no_md5, error);
	if (folder == NULL)
		return FALSE;
	for (guint i = 0; i < folder->warnings->len; i++) {
		if (!self->quiet)
			/* nocheck:print */
			g_printerr("quectel-fw2cab: warning: %s\n",
				   (const gchar *)g_ptr_array_index(folder->warnings, i));
	}
	if (self->output == NULL)
		self->output = g_strdup_printf("%s.cab", folder->revision->revision);
	if (!self->force && g_file_test(self->output, G_FILE_TEST_EXISTS)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s already exists, pass --force to replace it",
			    self->output);
		return FALSE;
	}

	/* the payload, verified and hashed as it streams */
	temp_zip = fu_quectel_fw2cab_temp_new(self->output, ".zip", error);
	if (temp_zip == NULL)
		return FALSE;
	if (!fu_quectel_fw2cab_write_payload(self,
					     folder,
					     temp_zip,
					     mtime,
					     &payload_sha256,
					     &payload_size,
					     error))
		return FALSE;
	if (!fu_quectel_fw2cab_temp_close(temp_zip, error))
		return FALSE;
	if (!fu_quectel_fw2cab_check_payload(temp_zip->path, error))
		return FALSE;

	/* the metadata */
	geometry = fu_quectel_package_geometry_to_string(&folder->geometry);
	metainfo_input.revision = folder->revision;
	metainfo_input.payload_filename = FU_QUECTEL_FW2CAB_PAYLOAD;
	metainfo_input.payload_sha256 = payload_sha256;
	metainfo_input.payload_size = payload_size;
	metainfo_input.release_date = self->release_date;
	metainfo_input.urgency = self->urgency;
	metainfo_input.description = self->description;
	metainfo_input.install_duration = fu_quectel_fw2cab_get_install_duration(self, folder);
	metainfo_input.geometry = geometry;
	metainfo = fu_quectel_metainfo_to_bytes(&metainfo_input, error);
	if (metainfo == NULL)
		return FALSE;
	jcat = fu_quectel_fw2cab_build_jcat(self,
					    temp_zip->path,
					    payload_sha256,
					    metainfo,
					    g_date_time_to_unix(mtime),
					    error);
	if (jcat == NULL)
		return FALSE;

	/* the cabinet, next to its final name */
	payload = fu_quectel_fw2cab_open(temp_zip->path, error);
	if (payload == NULL)
		return FALSE;
	fu_quectel_cab_writer_add_stream(cab_writer,
					 FU_QUECTEL_FW2CAB_PAYLOAD,
					 payload,
					 payload_size);
	fu_quectel_cab_writer_add_bytes(cab_writer, FU_QUECTEL_FW2CAB_METAINFO, metainfo);
	fu_quectel_cab_writer_add_bytes(cab_writer, FU_QUECTEL_FW2CAB_JCAT, jcat);
	fu_quectel_cab_writer_set_created(cab_writer, mtime);
	fu_quectel_cab_writer_set_progress_cb(cab_writer, fu_quectel_fw2cab_progress_cb, self);
	fu_quectel_fw2cab_progress_start(self,
					 "writing the cabinet",
					 payload_size + g_bytes_get_size(metainfo) +
					     g_bytes_get_size(jcat));
	temp_cab = fu_quectel_fw2cab_temp_new(self->output, "", error);
	if (temp_cab == NULL)
		return FALSE;
	if (!fu_quectel_cab_writer_write(cab_writer, temp_cab->ostream, error))
		return FALSE;
	if (!fu_quectel_fw2cab_temp_close(temp_cab, error))
		return FALSE;
	if (!fu_quectel_fw2cab_check_cab(temp_cab->path, payload_size, error))
		return FALSE;
	if (g_rename(temp_cab->path, self->output) != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_WRITE,
			    "cannot rename %s to %s: %s",
			    temp_cab->path,
			    self->output,
			    fwupd_strerror(errno));
		return FALSE;
	}
	g_clear_pointer(&temp_cab->path, g_free);
	g_clear_object(&payload);
	g_clear_pointer(&temp_zip, fu_quectel_fw2cab_temp_free);

	/* what was made */
	guid = fu_quectel_metainfo_get_guid(folder->revision);
	baseline = fu_quectel_revision_get_baseline_prefix(folder->revision);
	if (!self->quiet) {
		g_autoptr(GString) str = g_string_new(NULL);
		g_string_append_printf(str, "wrote %s\n", self->output);
		g_string_append_printf(str, "  version   %s (plain)\n", folder->revision->revision);
		g_string_append_printf(str, "  provides  %s\n", guid);
		g_string_append_printf(str, "  requires  firmware matching ^%s\n", baseline);
		g_string_append_printf(str,
				       "  payload   %s: %u files, %s, %" G_GUINT64_FORMAT
				       " bytes, sha256 %s\n",
				       FU_QUECTEL_FW2CAB_PAYLOAD,
				       folder->payload->len,
				       geometry,
				       payload_size,
				       payload_sha256);
		g_string_append_printf(str,
				       "  signed    %s\n",
				       self->sign_cert != NULL ? "PKCS#7" : "no (SHA-256 only)");
		/* nocheck:print */
		g_print("%s", str->str);
	}
	return TRUE;
}

int
main(int argc, char *argv[])
{
	g_autoptr(FuQuectelFw2cab) self = g_new0(FuQuectelFw2cab, 1);
	g_autoptr(GError) error = NULL;
	g_autoptr(GOptionContext) context = NULL;
	g_auto(GStrv) folders = NULL;
	const gint signals[] = {SIGINT, SIGTERM, SIGHUP};
	const GOptionEntry options[] = {
	    {"output",
	     'o',
	     0,
	     G_OPTION_ARG_FILENAME,
	     &self->output,
	     "The cabinet to write (default: VERSION.cab)",
	     "OUT.cab"},
	    {"version",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &self->version,
	     "The firmware version, if the folder is not named after it",
	     "EC25EFAR06A08M4G"},
	    {"release-date",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &self->release_date,
	     "The release date (default: today)",
	     "YYYY-MM-DD"},
	    {"urgency",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &self->urgency,
	     "low, medium (default), high or critical",
	     "URGENCY"},
	    {"description",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &self->description,
	     "The release notes, paragraphs split by blank lines",
	     "TEXT"},
	    {"install-duration",
	     0,
	     0,
	     G_OPTION_ARG_INT,
	     &self->install_duration,
	     "Seconds the update takes (default: estimated from the size)",
	     "SECS"},
	    {"sign-cert",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &self->sign_cert,
	     "Sign firmware.jcat with PKCS#7 using this certificate",
	     "CERT"},
	    {"sign-key",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &self->sign_key,
	     "The private key of --sign-cert",
	     "KEY"},
	    {"force", 0, 0, G_OPTION_ARG_NONE, &self->force, "Replace an existing cabinet", NULL},
	    {"no-md5",
	     0,
	     0,
	     G_OPTION_ARG_NONE,
	     &self->no_md5,
	     "Convert a folder that has no md5.txt",
	     NULL},
	    {"quiet", 'q', 0, G_OPTION_ARG_NONE, &self->quiet, "Print only errors", NULL},
	    {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &folders, NULL, "FOLDER"},
	    {NULL}};

	setlocale(LC_ALL, "");
	context = g_option_context_new(NULL);
	g_option_context_set_summary(
	    context,
	    "Convert a Quectel EC25/EG25 firmware folder into an LVFS-ready cabinet.");
	g_option_context_add_main_entries(context, options, NULL);
	if (!g_option_context_parse(context, &argc, &argv, &error)) {
		/* nocheck:print */
		g_printerr("quectel-fw2cab: %s\n", error->message);
		return FU_QUECTEL_FW2CAB_EXIT_USAGE;
	}
	if (folders == NULL || g_strv_length(folders) != 1) {
		/* nocheck:print */
		g_printerr("quectel-fw2cab: expected exactly one FOLDER, see --help\n");
		return FU_QUECTEL_FW2CAB_EXIT_USAGE;
	}
	self->folder = g_strdup(folders[0]);
	if (!fu_quectel_fw2cab_check_args(self, &error)) {
		/* nocheck:print */
		g_printerr("quectel-fw2cab: %s\n", error->message);
		return FU_QUECTEL_FW2CAB_EXIT_USAGE;
	}
	self->show_progress = !self->quiet && isatty(STDERR_FILENO);
	self->progress_last = G_MAXUINT;

	/* stop cleanly, removing the temporary files, when interrupted or the reader goes */
	signal(SIGPIPE, SIG_IGN);
	for (guint i = 0; i < G_N_ELEMENTS(signals); i++)
		g_unix_signal_add(signals[i], fu_quectel_fw2cab_signal_cb, self);
	if (!fu_quectel_fw2cab_run(self, &error)) {
		if (self->show_progress && self->progress_last != G_MAXUINT &&
		    self->progress_last != FU_QUECTEL_FW2CAB_PROGRESS_FULL)
			/* nocheck:print */
			g_printerr("\n");
		/* nocheck:print */
		g_printerr("quectel-fw2cab: refused: %s\n", error->message);
		/* nocheck:print */
		g_printerr("quectel-fw2cab: nothing was written\n");
		return FU_QUECTEL_FW2CAB_EXIT_REFUSED;
	}
	return EXIT_SUCCESS;
}

/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "fu-quectel-firehose-command.h"
#include "fu-quectel-firehose-response.h"
#include "fu-quectel-firehose.h"
#include "fu-quectel-plan.h"

/* the programmer logs its start-up; MDM9607 needs them read before it takes commands */
#define FU_QUECTEL_FIREHOSE_DRAIN_TIMEOUT_MS 500
#define FU_QUECTEL_FIREHOSE_DRAIN_READS_MAX  64
/* per command: NAND erases and the final ACK of a program can be slow */
#define FU_QUECTEL_FIREHOSE_CMD_TIMEOUT_MS     5000
#define FU_QUECTEL_FIREHOSE_ERASE_TIMEOUT_MS   15000
#define FU_QUECTEL_FIREHOSE_RAW_TIMEOUT_MS     15000
#define FU_QUECTEL_FIREHOSE_WRITE_TIMEOUT_MS   5000
#define FU_QUECTEL_FIREHOSE_RESPONSE_READS_MAX 256
/* what we ask for; NAND programmers answer with what they take, usually 8 KiB */
#define FU_QUECTEL_FIREHOSE_PAYLOAD_WANTED 0x100000
/* the module reboots this long after ACKing the reset, so the logs can be drained */
#define FU_QUECTEL_FIREHOSE_RESET_DELAY_S "1"
/* progress: an erase costs about as much as sending this many bytes */
#define FU_QUECTEL_FIREHOSE_ERASE_COST 0x10000
#define FU_QUECTEL_FIREHOSE_ERASED     0xFF

typedef struct {
	FuQuectelEdlDevice *device;
	const FuQuectelPackageGeometry *geometry;
	FuProgress *progress;
	guint64 payload;
	guint64 cost_done;
	guint64 cost_total;
} FuQuectelFirehoseHelper;

static gboolean
fu_quectel_firehose_send(FuQuectelFirehoseHelper *helper, gchar *xml, GError **error)
{
	g_debug("firehose tx: %s", xml);
	return fu_quectel_edl_device_write(helper->device,
					   (guint8 *)xml,
					   strlen(xml),
					   TRUE,
					   FU_QUECTEL_FIREHOSE_WRITE_TIMEOUT_MS,
					   error);
}

/* read documents until a <response> arrives, keeping the logs */
static FuQuectelFirehoseResponse *
fu_quectel_firehose_wait(FuQuectelFirehoseHelper *helper, guint timeout_ms, GError **error)
{
	g_autoptr(FuQuectelFirehoseResponse) rsp = fu_quectel_firehose_response_new();

	for (guint i = 0; i < FU_QUECTEL_FIREHOSE_RESPONSE_READS_MAX; i++) {
		g_autoptr(GByteArray) buf = NULL;
		buf = fu_quectel_edl_device_read(helper->device, timeout_ms, error);
		if (buf == NULL) {
			if (rsp->logs->len > 0) {
				g_autofree gchar *reason =
				    fu_quectel_firehose_response_get_reason(rsp);
				g_prefix_error(error, /* nocheck:error */
					       "no response after '%s': ",
					       reason);
			}
			return NULL;
		}
		if (!fu_quectel_firehose_response_parse(rsp,
							(const gchar *)buf->data,
							buf->len,
							error))
			return NULL;
		for (guint j = 0; j < rsp->logs->len; j++)
			g_debug("firehose log: %s", (const gchar *)g_ptr_array_index(rsp->logs, j));
		if (rsp->value != NULL)
			return g_steal_pointer(&rsp);
	}
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_INVALID_DATA,
		    "no response within %u documents",
		    (guint)FU_QUECTEL_FIREHOSE_RESPONSE_READS_MAX);
	return NULL;
}

/* send a command and require an ACK; a NAK carries the programmer's reason */
static FuQuectelFirehoseResponse *
fu_quectel_firehose_command(FuQuectelFirehoseHelper *helper,
			    gchar *xml,
			    guint timeout_ms,
			    GError **error)
{
	g_autoptr(FuQuectelFirehoseResponse) rsp = NULL;

	if (!fu_quectel_firehose_send(helper, xml, error))
		return NULL;
	rsp = fu_quectel_firehose_wait(helper, timeout_ms, error);
	if (rsp == NULL)
		return NULL;
	if (!fu_quectel_firehose_response_is_ack(rsp)) {
		g_autofree gchar *reason = fu_quectel_firehose_response_get_reason(rsp);
		g_set_error(error, FWUPD_ERROR, FWUPD_ERROR_WRITE, "NAK: %s", reason);
		return NULL;
	}
	return g_steal_pointer(&rsp);
}

static void
fu_quectel_firehose_drain(FuQuectelFirehoseHelper *helper)
{
	for (guint i = 0; i < FU_QUECTEL_FIREHOSE_DRAIN_READS_MAX; i++) {
		g_autoptr(GByteArray) buf = NULL;
		g_autoptr(GError) error_local = NULL;
		g_autoptr(FuQuectelFirehoseResponse) rsp = fu_quectel_firehose_response_new();

		buf = fu_quectel_edl_device_read(helper->device,
						 FU_QUECTEL_FIREHOSE_DRAIN_TIMEOUT_MS,
						 &error_local);
		if (buf == NULL)
			return;
		if (!fu_quectel_firehose_response_parse(rsp,
							(const gchar *)buf->data,
							buf->len,
							&error_local)) {
			g_debug("ignoring: %s", error_local->message);
			continue;
		}
		for (guint j = 0; j < rsp->logs->len; j++)
			g_debug("firehose log: %s", (const gchar *)g_ptr_array_index(rsp->logs, j));
	}
}

static gboolean
fu_quectel_firehose_configure_payload(FuQuectelFirehoseHelper *helper,
				      guint64 payload,
				      FuQuectelFirehoseResponse **rsp_out,
				      GError **error)
{
	g_autofree gchar *payload_str = g_strdup_printf("%" G_GUINT64_FORMAT, payload);
	g_autofree gchar *xml = fu_quectel_firehose_command_build("configure",
								  "MemoryName",
								  "nand",
								  "MaxPayloadSizeToTargetInBytes",
								  payload_str,
								  "Verbose",
								  "0",
								  "ZlpAwareHost",
								  "1",
								  "AlwaysValidate",
								  "0",
								  "MaxDigestTableSizeInBytes",
								  "2048",
								  "SkipStorageInit",
								  "0",
								  NULL);
	if (!fu_quectel_firehose_send(helper, xml, error))
		return FALSE;
	*rsp_out = fu_quectel_firehose_wait(helper, FU_QUECTEL_FIREHOSE_CMD_TIMEOUT_MS, error);
	return *rsp_out != NULL;
}

/* ask for a large payload and adopt what the programmer takes */
static gboolean
fu_quectel_firehose_configure(FuQuectelFirehoseHelper *helper, GError **error)
{
	guint64 payload = 0;
	g_autoptr(FuQuectelFirehoseResponse) rsp = NULL;
	g_autoptr(FuQuectelFirehoseResponse) rsp2 = NULL;

	if (!fu_quectel_firehose_configure_payload(helper,
						   FU_QUECTEL_FIREHOSE_PAYLOAD_WANTED,
						   &rsp,
						   error))
		return FALSE;
	if (!fu_quectel_firehose_response_get_attr_u64(rsp,
						       "MaxPayloadSizeToTargetInBytes",
						       &payload,
						       error))
		return FALSE;
	if (!fu_quectel_firehose_response_is_ack(rsp)) {
		g_debug("programmer wants a payload of 0x%x bytes", (guint)payload);
		if (!fu_quectel_firehose_configure_payload(helper, payload, &rsp2, error))
			return FALSE;
		if (!fu_quectel_firehose_response_is_ack(rsp2)) {
			g_autofree gchar *reason = fu_quectel_firehose_response_get_reason(rsp2);
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_NOT_SUPPORTED,
				    "configure with a payload of 0x%x bytes was refused: %s",
				    (guint)payload,
				    reason);
			return FALSE;
		}
	}

	/* whole pages per transfer */
	payload = MIN(payload, FU_QUECTEL_FIREHOSE_PAYLOAD_WANTED);
	payload -= payload % helper->geometry->page_size;
	if (payload == 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "the programmer's payload is smaller than a 0x%x byte page",
			    helper->geometry->page_size);
		return FALSE;
	}
	helper->payload = payload;
	g_debug("configured: payload 0x%x bytes", (guint)payload);
	return TRUE;
}

/* never erase anything unless the NAND is the one the package was built for */
static gboolean
fu_quectel_firehose_check_storage(FuQuectelFirehoseHelper *helper, GError **error)
{
	FuQuectelPackageGeometry geometry = {0};
	g_autofree gchar *xml = NULL;
	g_autofree gchar *str_pkg = NULL;
	g_autofree gchar *str_nand = NULL;
	g_autoptr(FuQuectelFirehoseResponse) rsp = NULL;

	xml = fu_quectel_firehose_command_build("getstorageinfo",
						"physical_partition_number",
						"0",
						NULL);
	rsp = fu_quectel_firehose_command(helper, xml, FU_QUECTEL_FIREHOSE_CMD_TIMEOUT_MS, error);
	if (rsp == NULL) {
		g_prefix_error_literal(error, "failed to read the NAND geometry: ");
		return FALSE;
	}
	if (!fu_quectel_firehose_response_get_storage(rsp, &geometry, NULL, error))
		return FALSE;
	if (!fu_quectel_package_geometry_equal(&geometry, helper->geometry)) {
		str_pkg = fu_quectel_package_geometry_to_string(helper->geometry);
		str_nand = fu_quectel_package_geometry_to_string(&geometry);
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "the package is for %s NAND but the module has %s: nothing was erased; "
			    "use the package made for this module",
			    str_pkg,
			    str_nand);
		return FALSE;
	}
	return TRUE;
}

static void
fu_quectel_firehose_progress_add(FuQuectelFirehoseHelper *helper, guint64 cost)
{
	helper->cost_done += cost;
	fu_progress_set_percentage_full(helper->progress,
					MIN(helper->cost_done, helper->cost_total),
					helper->cost_total);
}

/* an erase or program of whole pages of physical partition 0, as the rawprogram spells it */
static gchar *
fu_quectel_firehose_build_step(FuQuectelFirehoseHelper *helper,
			       const gchar *element,
			       FuQuectelPlanStep *step)
{
	g_autofree gchar *sector_size = g_strdup_printf("%u", helper->geometry->page_size);
	g_autofree gchar *ppb = g_strdup_printf("%u", helper->geometry->pages_per_block);
	g_autofree gchar *num = g_strdup_printf("%" G_GUINT64_FORMAT, step->num_sectors);
	g_autofree gchar *start = g_strdup_printf("%" G_GUINT64_FORMAT, step->start_sector);

	if (step->kind == FU_QUECTEL_PLAN_STEP_KIND_PROGRAM) {
		return fu_quectel_firehose_command_build(element,
							 "PAGES_PER_BLOCK",
							 ppb,
							 "SECTOR_SIZE_IN_BYTES",
							 sector_size,
							 "filename",
							 step->basename,
							 "label",
							 step->label != NULL ? step->label : "",
							 "num_partition_sectors",
							 num,
							 "physical_partition_number",
							 "0",
							 "start_sector",
							 start,
							 NULL);
	}
	return fu_quectel_firehose_command_build(element,
						 "PAGES_PER_BLOCK",
						 ppb,
						 "SECTOR_SIZE_IN_BYTES",
						 sector_size,
						 "num_partition_sectors",
						 num,
						 "physical_partition_number",
						 "0",
						 "start_sector",
						 start,
						 NULL);
}

static gboolean
fu_quectel_firehose_erase(FuQuectelFirehoseHelper *helper, FuQuectelPlanStep *step, GError **error)
{
	g_autofree gchar *xml = fu_quectel_firehose_build_step(helper, "erase", step);
	g_autoptr(FuQuectelFirehoseResponse) rsp =
	    fu_quectel_firehose_command(helper, xml, FU_QUECTEL_FIREHOSE_ERASE_TIMEOUT_MS, error);
	if (rsp == NULL) {
		g_prefix_error(error,
			       "failed to erase 0x%x pages at 0x%x: ",
			       (guint)step->num_sectors,
			       (guint)step->start_sector);
		return FALSE;
	}
	fu_quectel_firehose_progress_add(helper, FU_QUECTEL_FIREHOSE_ERASE_COST);
	return TRUE;
}

static gboolean
fu_quectel_firehose_passthrough(FuQuectelFirehoseHelper *helper,
				FuQuectelPlanStep *step,
				GError **error)
{
	const gchar *element = step->kind == FU_QUECTEL_PLAN_STEP_KIND_PATCH ? "patch" : "erase";
	g_autofree gchar *xml = fu_quectel_firehose_command_build_attrs(element, step->attrs);
	g_autoptr(FuQuectelFirehoseResponse) rsp =
	    fu_quectel_firehose_command(helper, xml, FU_QUECTEL_FIREHOSE_ERASE_TIMEOUT_MS, error);
	if (rsp == NULL) {
		g_prefix_error(error,
			       "failed to send the %s line: ",
			       fu_quectel_plan_step_kind_to_string(step->kind));
		return FALSE;
	}
	fu_quectel_firehose_progress_add(helper, FU_QUECTEL_FIREHOSE_ERASE_COST);
	return TRUE;
}

/* one transfer of whole pages; the last one of the image is padded as erased NAND */
static gboolean
fu_quectel_firehose_send_chunk(FuQuectelFirehoseHelper *helper,
			       GInputStream *stream,
			       gsize offset,
			       gsize size,
			       GError **error)
{
	gsize padded = size;
	g_autoptr(GByteArray) buf = NULL;

	buf = fu_input_stream_read_byte_array(stream, offset, size, NULL, error);
	if (buf == NULL)
		return FALSE;
	if (buf->len != size) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_READ,
			    "image ended at 0x%x, expected 0x%x bytes",
			    (guint)(offset + buf->len),
			    (guint)(offset + size));
		return FALSE;
	}
	if (padded % helper->geometry->page_size != 0)
		padded += helper->geometry->page_size - padded % helper->geometry->page_size;
	fu_byte_array_set_size(buf, padded, FU_QUECTEL_FIREHOSE_ERASED);
	return fu_quectel_edl_device_write(helper->device,
					   buf->data,
					   buf->len,
					   TRUE,
					   FU_QUECTEL_FIREHOSE_RAW_TIMEOUT_MS,
					   error);
}

static gboolean
fu_quectel_firehose_program(FuQuectelFirehoseHelper *helper,
			    FuQuectelPlanStep *step,
			    GInputStream *stream,
			    GError **error)
{
	const gchar *rawmode;
	g_autofree gchar *xml = fu_quectel_firehose_build_step(helper, "program", step);
	g_autoptr(FuQuectelFirehoseResponse) rsp = NULL;
	g_autoptr(FuQuectelFirehoseResponse) rsp_done = NULL;

	rsp = fu_quectel_firehose_command(helper, xml, FU_QUECTEL_FIREHOSE_CMD_TIMEOUT_MS, error);
	if (rsp == NULL)
		return FALSE;
	rawmode = fu_quectel_firehose_response_get_attr(rsp, "rawmode");
	if (g_strcmp0(rawmode, "true") != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_WRITE,
			    "the programmer did not enter raw mode (rawmode=%s)",
			    rawmode != NULL ? rawmode : "unset");
		return FALSE;
	}

	/* the image in whole payload-sized transfers */
	for (gsize offset = 0; offset < step->image_size; offset += helper->payload) {
		gsize size = MIN(helper->payload, step->image_size - offset);
		if (!fu_quectel_firehose_send_chunk(helper, stream, offset, size, error)) {
			g_prefix_error(error,
				       "failed to send 0x%x bytes at 0x%x: ",
				       (guint)size,
				       (guint)offset);
			return FALSE;
		}
		fu_quectel_firehose_progress_add(helper, size);
	}

	rsp_done = fu_quectel_firehose_wait(helper, FU_QUECTEL_FIREHOSE_RAW_TIMEOUT_MS, error);
	if (rsp_done == NULL)
		return FALSE;
	if (!fu_quectel_firehose_response_is_ack(rsp_done)) {
		g_autofree gchar *reason = fu_quectel_firehose_response_get_reason(rsp_done);
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_WRITE,
			    "NAK after the data: %s",
			    reason);
		return FALSE;
	}
	return TRUE;
}

static gboolean
fu_quectel_firehose_step(FuQuectelFirehoseHelper *helper,
			 FuQuectelPlanStep *step,
			 FuQuectelFirehoseImageFunc image_func,
			 gpointer user_data,
			 GError **error)
{
	g_autoptr(GInputStream) stream = NULL;

	if (step->kind == FU_QUECTEL_PLAN_STEP_KIND_ERASE)
		return fu_quectel_firehose_erase(helper, step, error);
	if (step->kind != FU_QUECTEL_PLAN_STEP_KIND_PROGRAM)
		return fu_quectel_firehose_passthrough(helper, step, error);
	stream = image_func(step->basename, user_data, error);
	if (stream == NULL)
		return FALSE;
	if (!fu_quectel_firehose_program(helper, step, stream, error)) {
		g_prefix_error(error,
			       "failed to program %s at page 0x%x: ",
			       step->basename,
			       (guint)step->start_sector);
		return FALSE;
	}
	return TRUE;
}

static gboolean
fu_quectel_firehose_reset(FuQuectelFirehoseHelper *helper, GError **error)
{
	g_autofree gchar *xml = fu_quectel_firehose_command_build("power",
								  "value",
								  "reset",
								  "DelayInSeconds",
								  FU_QUECTEL_FIREHOSE_RESET_DELAY_S,
								  NULL);
	g_autoptr(FuQuectelFirehoseResponse) rsp =
	    fu_quectel_firehose_command(helper, xml, FU_QUECTEL_FIREHOSE_CMD_TIMEOUT_MS, error);
	if (rsp == NULL) {
		g_prefix_error_literal(error, "failed to reset the module: ");
		return FALSE;
	}
	/* the module will not reset until its logs were read */
	fu_quectel_firehose_drain(helper);
	return TRUE;
}

/* nothing was erased yet: reboot the module so it comes back in normal mode, untouched */
static void
fu_quectel_firehose_abort(FuQuectelFirehoseHelper *helper)
{
	g_autoptr(GError) error_local = NULL;
	if (!fu_quectel_firehose_reset(helper, &error_local))
		g_debug("module left in EDL: %s", error_local->message);
}

/**
 * fu_quectel_firehose_write:
 * @device: the module in EDL, with the programmer running
 * @plan: (element-type FuQuectelPlanStep): the ordered operations
 * @geometry: the NAND geometry the package was built for
 * @image_func: (scope call): gives the image of a program step
 * @user_data: for @image_func
 * @progress: a #FuProgress
 * @error: (nullable): optional return location for an error
 *
 * Configures the programmer, refuses a NAND of another geometry before erasing anything
 * (and then reboots the module untouched), and runs the plan.
 *
 * Returns: %TRUE for success
 **/
gboolean
fu_quectel_firehose_write(FuQuectelEdlDevice *device,
			  GPtrArray *plan,
			  const FuQuectelPackageGeometry *geometry,
			  FuQuectelFirehoseImageFunc image_func,
			  gpointer user_data,
			  FuProgress *progress,
			  GError **error)
{
	FuQuectelFirehoseHelper helper = {
	    .device = device,
	    .geometry = geometry,
	};

	/* progress */
	fu_progress_set_id(progress, G_STRLOC);
	fu_progress_add_step(progress, FWUPD_STATUS_DEVICE_BUSY, 1, "configure");
	fu_progress_add_step(progress, FWUPD_STATUS_DEVICE_WRITE, 99, "write");

	fu_quectel_firehose_drain(&helper);
	if (!fu_quectel_firehose_configure(&helper, error)) {
		g_prefix_error_literal(error, "failed to configure the programmer: ");
		fu_quectel_firehose_abort(&helper);
		return FALSE;
	}
	if (!fu_quectel_firehose_check_storage(&helper, error)) {
		fu_quectel_firehose_abort(&helper);
		return FALSE;
	}
	fu_progress_step_done(progress);

	/* the plan, weighted by what it sends */
	helper.progress = fu_progress_get_child(progress);
	for (guint i = 0; i < plan->len; i++) {
		FuQuectelPlanStep *step = g_ptr_array_index(plan, i);
		helper.cost_total += step->kind == FU_QUECTEL_PLAN_STEP_KIND_PROGRAM
					 ? step->image_size
					 : FU_QUECTEL_FIREHOSE_ERASE_COST;
	}
	for (guint i = 0; i < plan->len; i++) {
		if (!fu_quectel_firehose_step(&helper,
					      g_ptr_array_index(plan, i),
					      image_func,
					      user_data,
					      error))
			return FALSE;
	}
	fu_progress_step_done(progress);
	return TRUE;
}

/**
 * fu_quectel_firehose_power_reset:
 * @device: the module in EDL, with the programmer running
 * @error: (nullable): optional return location for an error
 *
 * Asks the programmer to reboot the module, and reads its last logs so that it does.
 *
 * Returns: %TRUE if the programmer accepted
 **/
gboolean
fu_quectel_firehose_power_reset(FuQuectelEdlDevice *device, GError **error)
{
	FuQuectelFirehoseHelper helper = {.device = device};
	return fu_quectel_firehose_reset(&helper, error);
}

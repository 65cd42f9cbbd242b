/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "fu-quectel-failure.h"
#include "fu-quectel-firehose-command.h"
#include "fu-quectel-firehose-response.h"
#include "fu-quectel-firehose.h"
#include "fu-quectel-package-mibib.h"
#include "fu-quectel-package-partition.h"
#include "fu-quectel-plan.h"

/* the programmer logs its start-up; MDM9607 needs them read before it takes commands */
#define FU_QUECTEL_FIREHOSE_DRAIN_TIMEOUT_MS 500
#define FU_QUECTEL_FIREHOSE_DRAIN_READS_MAX  64
/* per command: NAND erases and the final ACK of a program can be slow */
#define FU_QUECTEL_FIREHOSE_CMD_TIMEOUT_MS   5000
#define FU_QUECTEL_FIREHOSE_ERASE_TIMEOUT_MS 15000
#define FU_QUECTEL_FIREHOSE_RAW_TIMEOUT_MS   15000
#define FU_QUECTEL_FIREHOSE_WRITE_TIMEOUT_MS 5000
/* documents before the answer: a programmer may log a line per page it handles */
#define FU_QUECTEL_FIREHOSE_RESPONSE_READS_MAX 4096
/* what we ask for; NAND programmers answer with what they take, usually 8 KiB */
#define FU_QUECTEL_FIREHOSE_PAYLOAD_WANTED 0x100000
/* the module reboots this long after ACKing the reset, so the logs can be drained */
#define FU_QUECTEL_FIREHOSE_RESET_DELAY_S "1"
/* after the reset ACK: the programmer is silent this long once the reset is due (the delay
 * above and a margin), then a <nop/> must find it gone */
#define FU_QUECTEL_FIREHOSE_RESET_QUIET_MS 2500
#define FU_QUECTEL_FIREHOSE_NOP_TIMEOUT_MS 1000
/* set on the transport while the flash holds a complete write that no reset followed yet */
#define FU_QUECTEL_FIREHOSE_WRITTEN_KEY "fu-quectel-firehose-written"
/* progress: an erase costs about as much as sending this many bytes */
#define FU_QUECTEL_FIREHOSE_ERASE_COST 0x10000
#define FU_QUECTEL_FIREHOSE_ERASED     0xFF
/* a <read> answers with at most this many transfers: one per page, and zero-length ones */
#define FU_QUECTEL_FIREHOSE_READ_TRANSFERS_MAX 1024

typedef struct {
	FuQuectelEdlTransport *transport;
	const FuQuectelPackageGeometry *geometry;
	guint64 flash_blocks; /* the smallest flash the package fits, in erase blocks */
	FuProgress *progress;
	guint64 payload;
	guint64 cost_done;
	guint64 cost_total;
	gboolean flash_changed; /* an erase or program was sent: the SBL is erased first */
} FuQuectelFirehoseHelper;

static gboolean
fu_quectel_firehose_send(FuQuectelFirehoseHelper *helper, gchar *xml, GError **error)
{
	g_debug("firehose tx: %s", xml);
	return fu_quectel_edl_transport_write(helper->transport,
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
	guint logs_shown = 0;
	g_autoptr(FuQuectelFirehoseResponse) rsp = fu_quectel_firehose_response_new();

	for (guint i = 0; i < FU_QUECTEL_FIREHOSE_RESPONSE_READS_MAX; i++) {
		g_autoptr(GByteArray) buf = NULL;
		buf = fu_quectel_edl_transport_read(helper->transport, timeout_ms, error);
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
		/* the response keeps the latest logs of the command: show each once */
		logs_shown = MAX(logs_shown, rsp->logs_dropped);
		for (; logs_shown < rsp->logs_dropped + rsp->logs->len; logs_shown++) {
			g_debug("firehose log: %s",
				(const gchar *)g_ptr_array_index(rsp->logs,
								 logs_shown - rsp->logs_dropped));
		}
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

/* read logs until the programmer is quiet for @timeout_ms */
static void
fu_quectel_firehose_drain(FuQuectelFirehoseHelper *helper, guint timeout_ms)
{
	for (guint i = 0; i < FU_QUECTEL_FIREHOSE_DRAIN_READS_MAX; i++) {
		g_autoptr(GByteArray) buf = NULL;
		g_autoptr(GError) error_local = NULL;
		g_autoptr(FuQuectelFirehoseResponse) rsp = fu_quectel_firehose_response_new();

		buf = fu_quectel_edl_transport_read(helper->transport, timeout_ms, &error_local);
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

	/* a NAK without a payload hint is a refusal: keep the programmer's reason */
	if (!fu_quectel_firehose_response_is_ack(rsp) &&
	    fu_quectel_firehose_response_get_attr(rsp, "MaxPayloadSizeToTargetInBytes") == NULL) {
		g_autofree gchar *reason = fu_quectel_firehose_response_get_reason(rsp);
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "<configure> was refused without a payload size to use: %s",
			    reason);
		return FALSE;
	}
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

/* the erase blocks the package needs: its partition table, and every page the plan writes */
static guint64
fu_quectel_firehose_get_flash_blocks(GPtrArray *plan,
				     GPtrArray *partitions,
				     const FuQuectelPackageGeometry *geometry)
{
	guint64 blocks = 0;

	for (guint i = 0; partitions != NULL && i < partitions->len; i++) {
		FuQuectelPackagePartition *part = g_ptr_array_index(partitions, i);
		/* a partition that grows takes the rest of the flash, at least one block */
		guint64 num_blocks = part->num_blocks != 0 ? part->num_blocks : 1;
		blocks = MAX(blocks, (guint64)part->start_block + num_blocks);
	}
	for (guint i = 0; i < plan->len; i++) {
		FuQuectelPlanStep *step = g_ptr_array_index(plan, i);
		guint64 end = step->start_sector + step->num_sectors;
		if (step->kind != FU_QUECTEL_PLAN_STEP_KIND_ERASE &&
		    step->kind != FU_QUECTEL_PLAN_STEP_KIND_PROGRAM)
			continue;
		blocks =
		    MAX(blocks, (end + geometry->pages_per_block - 1) / geometry->pages_per_block);
	}
	return blocks;
}

/* never erase anything unless the NAND is the one the package was built for */
static gboolean
fu_quectel_firehose_check_storage(FuQuectelFirehoseHelper *helper, GError **error)
{
	FuQuectelPackageGeometry geometry = {0};
	guint64 total_blocks = 0;
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
	if (!fu_quectel_firehose_response_get_storage(rsp, &geometry, &total_blocks, error))
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
	if (total_blocks < helper->flash_blocks) {
		g_set_error(
		    error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_NOT_SUPPORTED,
		    "the package needs a flash of %" G_GUINT64_FORMAT
		    " erase blocks but the module has %" G_GUINT64_FORMAT
		    ": nothing was erased; use the package made for this module's flash size",
		    helper->flash_blocks,
		    total_blocks);
		return FALSE;
	}
	g_debug("flash: %" G_GUINT64_FORMAT " erase blocks, the package needs %" G_GUINT64_FORMAT,
		total_blocks,
		helper->flash_blocks);
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

/* <read> of @num pages from @start: ACK with rawmode="true", the pages, ACK rawmode="false" */
static GByteArray *
fu_quectel_firehose_read_pages(FuQuectelFirehoseHelper *helper,
			       guint64 start,
			       guint64 num,
			       GError **error)
{
	const gchar *rawmode;
	gsize total = num * helper->geometry->page_size;
	g_autofree gchar *sector_size = g_strdup_printf("%u", helper->geometry->page_size);
	g_autofree gchar *num_str = g_strdup_printf("%" G_GUINT64_FORMAT, num);
	g_autofree gchar *start_str = g_strdup_printf("%" G_GUINT64_FORMAT, start);
	g_autofree gchar *xml = NULL;
	g_autoptr(FuQuectelFirehoseResponse) rsp = NULL;
	g_autoptr(FuQuectelFirehoseResponse) rsp_done = NULL;
	g_autoptr(GByteArray) data = g_byte_array_new();

	xml = fu_quectel_firehose_command_build("read",
						"SECTOR_SIZE_IN_BYTES",
						sector_size,
						"num_partition_sectors",
						num_str,
						"physical_partition_number",
						"0",
						"start_sector",
						start_str,
						NULL);
	rsp = fu_quectel_firehose_command(helper, xml, FU_QUECTEL_FIREHOSE_CMD_TIMEOUT_MS, error);
	if (rsp == NULL)
		return NULL;
	rawmode = fu_quectel_firehose_response_get_attr(rsp, "rawmode");
	if (g_strcmp0(rawmode, "true") != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_READ,
			    "the programmer did not enter raw mode (rawmode=%s)",
			    rawmode != NULL ? rawmode : "unset");
		return NULL;
	}
	for (guint i = 0; i < FU_QUECTEL_FIREHOSE_READ_TRANSFERS_MAX && data->len < total; i++) {
		g_autoptr(GByteArray) chunk = NULL;
		chunk = fu_quectel_edl_transport_read(helper->transport,
						      FU_QUECTEL_FIREHOSE_RAW_TIMEOUT_MS,
						      error);
		if (chunk == NULL) {
			g_prefix_error(error,
				       "no data after 0x%x of 0x%x bytes: ",
				       data->len,
				       (guint)total);
			return NULL;
		}
		if (chunk->len > total - data->len) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "0x%x bytes arrived after 0x%x of 0x%x",
				    chunk->len,
				    data->len,
				    (guint)total);
			return NULL;
		}
		g_byte_array_append(data, chunk->data, chunk->len);
	}
	if (data->len != total) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "only 0x%x of 0x%x bytes in %u transfers",
			    data->len,
			    (guint)total,
			    (guint)FU_QUECTEL_FIREHOSE_READ_TRANSFERS_MAX);
		return NULL;
	}
	rsp_done = fu_quectel_firehose_wait(helper, FU_QUECTEL_FIREHOSE_CMD_TIMEOUT_MS, error);
	if (rsp_done == NULL)
		return NULL;
	if (!fu_quectel_firehose_response_is_ack(rsp_done)) {
		g_autofree gchar *reason = fu_quectel_firehose_response_get_reason(rsp_done);
		g_set_error(error, FWUPD_ERROR, FWUPD_ERROR_READ, "NAK after the data: %s", reason);
		return NULL;
	}
	return g_steal_pointer(&data);
}

/*
 * A module whose identity is unknown: the package's variant is not known to fit it. A MIBIB
 * still on the flash (where the package writes its own) is the module's partition table, and
 * it must be the package's; an erased or unreadable one (an update stopped before it was
 * written) says nothing.
 */
static gboolean
fu_quectel_firehose_check_flash_mibib(FuQuectelFirehoseHelper *helper,
				      GPtrArray *plan,
				      GPtrArray *partitions,
				      GError **error)
{
	FuQuectelPackagePartition *part_mibib;
	guint64 start;
	guint64 num = 0;
	g_autoptr(FuQuectelPackageMibib) mibib = NULL;
	g_autoptr(GByteArray) data = NULL;
	g_autoptr(GError) error_local = NULL;

	part_mibib =
	    fu_quectel_package_partition_find_bare(partitions, FU_QUECTEL_PACKAGE_MIBIB_NAME);
	if (part_mibib == NULL) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "the package's partition table has no MIBIB partition");
		return FALSE;
	}
	start = (guint64)part_mibib->start_block * helper->geometry->pages_per_block;
	for (guint i = 0; i < plan->len; i++) {
		FuQuectelPlanStep *step = g_ptr_array_index(plan, i);
		if (step->kind == FU_QUECTEL_PLAN_STEP_KIND_PROGRAM && step->start_sector == start)
			num = step->num_sectors;
	}
	if (num == 0) {
		g_set_error_literal(
		    error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_INVALID_DATA,
		    "the package writes no partition table to compare with the flash's");
		return FALSE;
	}
	data = fu_quectel_firehose_read_pages(helper, start, num, error);
	if (data == NULL) {
		g_prefix_error(error,
			       "failed to read the partition table at page 0x%x: ",
			       (guint)start);
		return FALSE;
	}
	mibib = fu_quectel_package_mibib_parse(data->data,
					       data->len,
					       helper->geometry->page_size,
					       &error_local);
	if (mibib == NULL) {
		g_info("no partition table on the flash at page 0x%x (%s): nothing to compare",
		       (guint)start,
		       error_local->message);
		return TRUE;
	}
	if (!fu_quectel_package_mibib_check_partitions(mibib, partitions, &error_local)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "the partition table on the module's flash is not the package's (%s): "
			    "the package is for another variant or layout; nothing was erased",
			    error_local->message);
		return FALSE;
	}
	g_debug("the partition table on the flash is the package's");
	return TRUE;
}

static gboolean
fu_quectel_firehose_erase(FuQuectelFirehoseHelper *helper, FuQuectelPlanStep *step, GError **error)
{
	g_autofree gchar *xml = fu_quectel_firehose_build_step(helper, "erase", step);
	g_autoptr(FuQuectelFirehoseResponse) rsp = NULL;

	helper->flash_changed = TRUE;
	rsp = fu_quectel_firehose_command(helper, xml, FU_QUECTEL_FIREHOSE_ERASE_TIMEOUT_MS, error);
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
	g_autoptr(FuQuectelFirehoseResponse) rsp = NULL;

	helper->flash_changed = TRUE;
	rsp = fu_quectel_firehose_command(helper, xml, FU_QUECTEL_FIREHOSE_ERASE_TIMEOUT_MS, error);
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
	return fu_quectel_edl_transport_write(helper->transport,
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

	helper->flash_changed = TRUE;
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
	g_autofree gchar *nop = fu_quectel_firehose_command_build("nop", NULL);
	g_autoptr(FuQuectelFirehoseResponse) rsp = NULL;
	g_autoptr(FuQuectelFirehoseResponse) rsp_nop = NULL;
	g_autoptr(GError) error_nop = NULL;

	rsp = fu_quectel_firehose_command(helper, xml, FU_QUECTEL_FIREHOSE_CMD_TIMEOUT_MS, error);
	if (rsp == NULL) {
		g_prefix_error_literal(error, "failed to reset the module: ");
		return FALSE;
	}

	/* the module will not reset until its logs were read; once the reset is due, a
	 * programmer that still answers <nop/> ignored it (any failure: the module is gone) */
	fu_quectel_firehose_drain(helper, FU_QUECTEL_FIREHOSE_RESET_QUIET_MS);
	if (!fu_quectel_firehose_send(helper, nop, &error_nop)) {
		g_debug("the module reset: %s", error_nop->message);
		return TRUE;
	}
	rsp_nop = fu_quectel_firehose_wait(helper, FU_QUECTEL_FIREHOSE_NOP_TIMEOUT_MS, &error_nop);
	if (rsp_nop == NULL) {
		g_debug("the module reset: %s", error_nop->message);
		return TRUE;
	}
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_WRITE,
		    "failed to reset the module: the programmer ACKed <power value=\"reset\"/> "
		    "but still answers <nop/> %" G_GUINT64_FORMAT " ms later",
		    (guint64)FU_QUECTEL_FIREHOSE_RESET_QUIET_MS);
	return FALSE;
}

/* where a failed step left the module: the plan erases the SBL first and programs it last */
static FuQuectelFailureState
fu_quectel_firehose_get_failure_state(FuQuectelFirehoseHelper *helper, FuQuectelPlanStep *step)
{
	if (!helper->flash_changed)
		return FU_QUECTEL_FAILURE_STATE_EDL_UNCHANGED;
	if (step->kind == FU_QUECTEL_PLAN_STEP_KIND_PROGRAM && step->start_sector == 0)
		return FU_QUECTEL_FAILURE_STATE_SBL_WRITING;
	return FU_QUECTEL_FAILURE_STATE_SBL_ERASED;
}

/* nothing was erased yet: reboot the module so it comes back in normal mode, untouched, and
 * say so in @error_why (transfer full), which becomes @error; @next_step is what the user
 * does then, or %NULL when @error_why says it; always returns FALSE */
static gboolean
fu_quectel_firehose_abort(FuQuectelFirehoseHelper *helper,
			  GError *error_why,
			  const gchar *next_step,
			  GError **error)
{
	g_autoptr(GError) error_local = error_why;
	g_autoptr(GError) error_reset = NULL;

	if (!fu_quectel_firehose_reset(helper, &error_reset)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    error_local->code,
			    "%s; then %s",
			    error_local->message,
			    error_reset->message);
		fu_quectel_failure_add_state_full(
		    error,
		    FU_QUECTEL_FAILURE_STATE_EDL_UNCHANGED,
		    next_step != NULL ? fu_quectel_failure_state_get_next_step(
					    FU_QUECTEL_FAILURE_STATE_EDL_UNCHANGED)
				      : "power-cycle it and it boots its current firmware");
		return FALSE;
	}
	fu_quectel_failure_add_state_full(&error_local,
					  FU_QUECTEL_FAILURE_STATE_RESET_UNCHANGED,
					  next_step);
	g_propagate_error(error, g_steal_pointer(&error_local));
	return FALSE;
}

/**
 * fu_quectel_firehose_write:
 * @transport: the link to the module in EDL, with the programmer running
 * @plan: (element-type FuQuectelPlanStep): the ordered operations
 * @geometry: the NAND geometry the package was built for
 * @partitions: (element-type FuQuectelPackagePartition) (nullable): the partition table the
 * package writes, which sets the smallest flash it fits
 * @image_func: (scope call): gives the image of a program step
 * @user_data: for @image_func
 * @flags: #FuQuectelFirehoseWriteFlags
 * @progress: a #FuProgress
 * @error: (nullable): optional return location for an error
 *
 * Configures the programmer, refuses a NAND of another geometry or a smaller flash than the
 * package needs, or with %FU_QUECTEL_FIREHOSE_WRITE_FLAG_CHECK_FLASH_MIBIB a partition table
 * on the flash that is not the package's, before erasing anything (and then reboots the
 * module untouched), and runs the plan.
 *
 * Returns: %TRUE for success
 **/
gboolean
fu_quectel_firehose_write(FuQuectelEdlTransport *transport,
			  GPtrArray *plan,
			  const FuQuectelPackageGeometry *geometry,
			  GPtrArray *partitions,
			  FuQuectelFirehoseImageFunc image_func,
			  gpointer user_data,
			  FuQuectelFirehoseWriteFlags flags,
			  FuProgress *progress,
			  GError **error)
{
	FuQuectelFirehoseHelper helper = {
	    .transport = transport,
	    .geometry = geometry,
	    .flash_blocks = fu_quectel_firehose_get_flash_blocks(plan, partitions, geometry),
	};
	g_autoptr(GError) error_local = NULL;

	/* progress */
	fu_progress_set_id(progress, G_STRLOC);
	fu_progress_add_step(progress, FWUPD_STATUS_DEVICE_BUSY, 1, "configure");
	fu_progress_add_step(progress, FWUPD_STATUS_DEVICE_WRITE, 99, "write");

	g_object_set_data(G_OBJECT(transport), FU_QUECTEL_FIREHOSE_WRITTEN_KEY, NULL);
	fu_quectel_firehose_drain(&helper, FU_QUECTEL_FIREHOSE_DRAIN_TIMEOUT_MS);
	if (!fu_quectel_firehose_configure(&helper, &error_local)) {
		g_autoptr(GError) error_configure = g_steal_pointer(&error_local);
		g_set_error(&error_local, /* nocheck:error-false-return */
			    FWUPD_ERROR,
			    error_configure->code,
			    "failed to configure the programmer: %s: nothing was erased",
			    error_configure->message);
		return fu_quectel_firehose_abort(&helper,
						 g_steal_pointer(&error_local),
						 fu_quectel_failure_state_get_next_step(
						     FU_QUECTEL_FAILURE_STATE_RESET_UNCHANGED),
						 error);
	}
	/* a refusal names the package to use instead */
	if (!fu_quectel_firehose_check_storage(&helper, &error_local))
		return fu_quectel_firehose_abort(&helper,
						 g_steal_pointer(&error_local),
						 NULL,
						 error);
	if ((flags & FU_QUECTEL_FIREHOSE_WRITE_FLAG_CHECK_FLASH_MIBIB) > 0 && partitions != NULL &&
	    !fu_quectel_firehose_check_flash_mibib(&helper, plan, partitions, &error_local))
		return fu_quectel_firehose_abort(&helper,
						 g_steal_pointer(&error_local),
						 "use the package made for this module's variant",
						 error);
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
		FuQuectelPlanStep *step = g_ptr_array_index(plan, i);
		if (!fu_quectel_firehose_step(&helper, step, image_func, user_data, error)) {
			fu_quectel_failure_add_state(
			    error,
			    fu_quectel_firehose_get_failure_state(&helper, step));
			return FALSE;
		}
	}
	g_object_set_data(G_OBJECT(transport),
			  FU_QUECTEL_FIREHOSE_WRITTEN_KEY,
			  GUINT_TO_POINTER(TRUE));
	fu_progress_step_done(progress);
	return TRUE;
}

/**
 * fu_quectel_firehose_power_reset:
 * @transport: the link to the module in EDL, with the programmer running
 * @error: (nullable): optional return location for an error
 *
 * Asks the programmer to reboot the module, reads its last logs so that it does, and checks
 * it went: a programmer that ACKs the reset but keeps running is reported as such; after a
 * complete fu_quectel_firehose_write() on @transport, with the flash written and a power
 * cycle as the next step.
 *
 * Returns: %TRUE if the module reset
 **/
gboolean
fu_quectel_firehose_power_reset(FuQuectelEdlTransport *transport, GError **error)
{
	FuQuectelFirehoseHelper helper = {.transport = transport};

	if (!fu_quectel_firehose_reset(&helper, error)) {
		/* after a complete write the next step is only a power cycle; else the caller
		 * knows what the module was doing */
		if (g_object_get_data(G_OBJECT(transport), FU_QUECTEL_FIREHOSE_WRITTEN_KEY) != NULL)
			fu_quectel_failure_add_state(error,
						     FU_QUECTEL_FAILURE_STATE_WRITTEN_NO_RESET);
		return FALSE;
	}
	g_object_set_data(G_OBJECT(transport), FU_QUECTEL_FIREHOSE_WRITTEN_KEY, NULL);
	return TRUE;
}

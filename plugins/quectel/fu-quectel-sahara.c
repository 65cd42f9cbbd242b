/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "fu-quectel-sahara.h"
#include "fu-quectel-struct.h"

/* the PBL sends HELLO once; wait long enough, as a slow host controller may delay it */
#define FU_QUECTEL_SAHARA_HELLO_TIMEOUT_MS  5000
#define FU_QUECTEL_SAHARA_PACKET_TIMEOUT_MS 5000
#define FU_QUECTEL_SAHARA_WRITE_TIMEOUT_MS  5000
/* enough for a 1 MiB programmer read 0x1000 bytes at a time, and then some */
#define FU_QUECTEL_SAHARA_PACKETS_MAX 0x1000
/* the largest READ_DATA the host serves in one transfer */
#define FU_QUECTEL_SAHARA_READ_SIZE_MAX 0x100000
/* the largest answer to an identifying EXECUTE: the OEM PK hash is at most a SHA-384 */
#define FU_QUECTEL_SAHARA_EXEC_DATA_MAX 0x40
/* what a running programmer still has to say: its logs and its NAK to a HELLO_RESP */
#define FU_QUECTEL_SAHARA_DRAIN_MAX	   64
#define FU_QUECTEL_SAHARA_DRAIN_TIMEOUT_MS 200
#define FU_QUECTEL_SAHARA_SERIAL_SIZE	   4
#define FU_QUECTEL_SAHARA_HW_ID_SIZE	   8
#define FU_QUECTEL_SAHARA_HW_ID_SHIFT	   32
/* the MSM ID less its silicon revision (the top nibble of the JTAG ID) */
#define FU_QUECTEL_SAHARA_MSM_ID_PART_MASK 0x0FFFFFFF

typedef struct {
	FuQuectelEdlTransport *transport;
	GBytes *programmer;
	FuProgress *progress;
	gboolean hello_resp_sent;
	gboolean reset_sent;
	gsize bytes_served;
} FuQuectelSaharaHelper;

static gboolean
fu_quectel_sahara_send(FuQuectelSaharaHelper *helper, GByteArray *buf, GError **error)
{
	/* no ZLP: some Sahara targets time out on one */
	return fu_quectel_edl_transport_write(helper->transport,
					      buf->data,
					      buf->len,
					      FALSE,
					      FU_QUECTEL_SAHARA_WRITE_TIMEOUT_MS,
					      error);
}

static gboolean
fu_quectel_sahara_send_hello_resp_mode(FuQuectelSaharaHelper *helper,
				       FuQuectelSaharaMode mode,
				       GError **error)
{
	g_autoptr(FuStructQuectelSaharaHelloResp) st = fu_struct_quectel_sahara_hello_resp_new();
	fu_struct_quectel_sahara_hello_resp_set_mode(st, mode);
	if (!fu_quectel_sahara_send(helper, st->buf, error)) {
		g_prefix_error_literal(error, "failed to send HELLO_RESP: ");
		return FALSE;
	}
	helper->hello_resp_sent = TRUE;
	return TRUE;
}

static gboolean
fu_quectel_sahara_send_hello_resp(FuQuectelSaharaHelper *helper, GError **error)
{
	return fu_quectel_sahara_send_hello_resp_mode(helper,
						      FU_QUECTEL_SAHARA_MODE_IMAGE_TX_PENDING,
						      error);
}

/* a reset brings the PBL back to a fresh HELLO: the module stays recoverable in EDL */
static void
fu_quectel_sahara_send_reset(FuQuectelSaharaHelper *helper)
{
	g_autoptr(FuStructQuectelSaharaReset) st = fu_struct_quectel_sahara_reset_new();
	g_autoptr(GError) error_local = NULL;
	if (helper->reset_sent)
		return;
	helper->reset_sent = TRUE;
	if (!fu_quectel_sahara_send(helper, st->buf, &error_local))
		g_debug("failed to send RESET: %s", error_local->message);
}

static gboolean
fu_quectel_sahara_handle_hello(FuQuectelSaharaHelper *helper, GByteArray *pkt, GError **error)
{
	FuQuectelSaharaMode mode;
	g_autoptr(FuStructQuectelSaharaHello) st = NULL;

	st = fu_struct_quectel_sahara_hello_parse(pkt->data, pkt->len, 0x0, error);
	if (st == NULL)
		return FALSE;
	mode = fu_struct_quectel_sahara_hello_get_mode(st);
	g_debug("HELLO version %u (compatible %u), max packet 0x%x, mode %s",
		fu_struct_quectel_sahara_hello_get_version(st),
		fu_struct_quectel_sahara_hello_get_version_compatible(st),
		fu_struct_quectel_sahara_hello_get_max_cmd_packet_len(st),
		fu_quectel_sahara_mode_to_string(mode));
	if (mode != FU_QUECTEL_SAHARA_MODE_IMAGE_TX_PENDING) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "the target is in Sahara mode %s, not waiting for an image: it is not "
			    "the PBL's emergency download",
			    fu_quectel_sahara_mode_to_string(mode));
		return FALSE;
	}
	return fu_quectel_sahara_send_hello_resp(helper, error);
}

static gboolean
fu_quectel_sahara_handle_read_data(FuQuectelSaharaHelper *helper, GByteArray *pkt, GError **error)
{
	guint32 image_id;
	guint32 offset;
	guint32 size;
	gsize programmer_size = g_bytes_get_size(helper->programmer);
	g_autoptr(FuStructQuectelSaharaReadData) st = NULL;
	g_autoptr(GByteArray) chunk = NULL;

	st = fu_struct_quectel_sahara_read_data_parse(pkt->data, pkt->len, 0x0, error);
	if (st == NULL)
		return FALSE;
	image_id = fu_struct_quectel_sahara_read_data_get_image_id(st);
	offset = fu_struct_quectel_sahara_read_data_get_offset(st);
	size = fu_struct_quectel_sahara_read_data_get_size(st);
	if (image_id != FU_QUECTEL_SAHARA_IMAGE_ID_EHOSTDL) {
		fu_quectel_sahara_send_reset(helper);
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "the target asked for image %u, expected the programmer (image %u): it "
			    "is not the MDM9607 PBL",
			    image_id,
			    (guint)FU_QUECTEL_SAHARA_IMAGE_ID_EHOSTDL);
		return FALSE;
	}
	if (size == 0 || size > FU_QUECTEL_SAHARA_READ_SIZE_MAX || offset > programmer_size ||
	    size > programmer_size - offset) {
		fu_quectel_sahara_send_reset(helper);
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "the target asked for 0x%x bytes at 0x%x of a 0x%x byte programmer",
			    size,
			    offset,
			    (guint)programmer_size);
		return FALSE;
	}
	chunk = g_byte_array_new();
	g_byte_array_append(chunk,
			    (const guint8 *)g_bytes_get_data(helper->programmer, NULL) + offset,
			    size);
	if (!fu_quectel_edl_transport_write(helper->transport,
					    chunk->data,
					    chunk->len,
					    FALSE,
					    FU_QUECTEL_SAHARA_WRITE_TIMEOUT_MS,
					    error)) {
		g_prefix_error(error, "failed to send programmer data at 0x%x: ", offset);
		return FALSE;
	}
	helper->bytes_served += size;
	fu_progress_set_percentage_full(helper->progress,
					MIN(helper->bytes_served, programmer_size),
					programmer_size);
	return TRUE;
}

/* END_OF_IMAGE: success ends the upload with DONE, anything else is the PBL's NAK */
static gboolean
fu_quectel_sahara_handle_end_of_image(FuQuectelSaharaHelper *helper,
				      GByteArray *pkt,
				      GError **error)
{
	FuQuectelSaharaStatus status;
	FuQuectelSaharaDoneStatus done_status;
	g_autoptr(FuStructQuectelSaharaEndOfImage) st = NULL;
	g_autoptr(FuStructQuectelSaharaDone) st_done = fu_struct_quectel_sahara_done_new();
	g_autoptr(FuStructQuectelSaharaDoneResp) st_rsp = NULL;
	g_autoptr(GByteArray) rsp = NULL;

	st = fu_struct_quectel_sahara_end_of_image_parse(pkt->data, pkt->len, 0x0, error);
	if (st == NULL)
		return FALSE;
	status = fu_struct_quectel_sahara_end_of_image_get_status(st);
	if (status != FU_QUECTEL_SAHARA_STATUS_SUCCESS) {
		const gchar *name = fu_quectel_sahara_status_to_string(status);
		fu_quectel_sahara_send_reset(helper);
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_WRITE,
			    "the PBL refused the programmer: %s (0x%x)",
			    name != NULL ? name : "unknown status",
			    (guint)status);
		return FALSE;
	}
	if (!fu_quectel_sahara_send(helper, st_done->buf, error)) {
		g_prefix_error_literal(error, "failed to send DONE: ");
		return FALSE;
	}
	rsp = fu_quectel_edl_transport_read(helper->transport,
					    FU_QUECTEL_SAHARA_PACKET_TIMEOUT_MS,
					    error);
	if (rsp == NULL) {
		g_prefix_error_literal(error, "no DONE_RESP: ");
		return FALSE;
	}
	st_rsp = fu_struct_quectel_sahara_done_resp_parse(rsp->data, rsp->len, 0x0, error);
	if (st_rsp == NULL) {
		g_prefix_error_literal(error, "invalid DONE_RESP: ");
		return FALSE;
	}
	/* MDM9607 answers pending after image 13; newer targets say complete */
	done_status = fu_struct_quectel_sahara_done_resp_get_status(st_rsp);
	if (done_status != FU_QUECTEL_SAHARA_DONE_STATUS_PENDING &&
	    done_status != FU_QUECTEL_SAHARA_DONE_STATUS_COMPLETE) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "invalid DONE_RESP status 0x%x",
			    (guint)done_status);
		return FALSE;
	}
	/* the PBL reads only the segments it loads, not every byte of the file */
	fu_progress_set_percentage(helper->progress, 100);
	g_debug("programmer loaded (DONE_RESP %s)",
		fu_quectel_sahara_done_status_to_string(done_status));
	return TRUE;
}

/* the first packet: HELLO, or nothing if another reader took it */
static GByteArray *
fu_quectel_sahara_wait_hello(FuQuectelSaharaHelper *helper, GError **error)
{
	g_autoptr(GByteArray) pkt = NULL;
	g_autoptr(GError) error_local = NULL;

	pkt = fu_quectel_edl_transport_read(helper->transport,
					    FU_QUECTEL_SAHARA_HELLO_TIMEOUT_MS,
					    &error_local);
	if (pkt != NULL)
		return g_steal_pointer(&pkt);
	if (!g_error_matches(error_local, FWUPD_ERROR, FWUPD_ERROR_TIMED_OUT)) {
		g_propagate_prefixed_error(error,
					   g_steal_pointer(&error_local),
					   "failed to read HELLO: ");
		return NULL;
	}

	/* the PBL waits for a HELLO_RESP to the HELLO it already sent: answer it blindly */
	g_debug("no HELLO within %u ms, sending an unsolicited HELLO_RESP",
		(guint)FU_QUECTEL_SAHARA_HELLO_TIMEOUT_MS);
	if (!fu_quectel_sahara_send_hello_resp(helper, error))
		return NULL;
	pkt = fu_quectel_edl_transport_read(helper->transport,
					    FU_QUECTEL_SAHARA_PACKET_TIMEOUT_MS,
					    error);
	if (pkt == NULL) {
		g_prefix_error_literal(error,
				       "no HELLO, and no answer to an unsolicited HELLO_RESP: ");
		return NULL;
	}
	return g_steal_pointer(&pkt);
}

static gboolean
fu_quectel_sahara_handle_packet(FuQuectelSaharaHelper *helper,
				GByteArray *pkt,
				gboolean *done,
				GError **error)
{
	FuQuectelSaharaCmd cmd;
	guint32 length;
	g_autoptr(FuStructQuectelSaharaPkt) st = NULL;

	st = fu_struct_quectel_sahara_pkt_parse(pkt->data, pkt->len, 0x0, error);
	if (st == NULL)
		return FALSE;
	cmd = fu_struct_quectel_sahara_pkt_get_cmd(st);
	length = fu_struct_quectel_sahara_pkt_get_length(st);
	if (length != pkt->len) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "Sahara %s packet says 0x%x bytes but 0x%x arrived",
			    fu_quectel_sahara_cmd_to_string(cmd),
			    length,
			    pkt->len);
		return FALSE;
	}
	switch (cmd) {
	case FU_QUECTEL_SAHARA_CMD_HELLO:
		return fu_quectel_sahara_handle_hello(helper, pkt, error);
	case FU_QUECTEL_SAHARA_CMD_READ_DATA:
		return fu_quectel_sahara_handle_read_data(helper, pkt, error);
	case FU_QUECTEL_SAHARA_CMD_END_OF_IMAGE:
		*done = TRUE;
		return fu_quectel_sahara_handle_end_of_image(helper, pkt, error);
	default:
		break;
	}
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_NOT_SUPPORTED,
		    "unexpected Sahara command %s (0x%x)",
		    fu_quectel_sahara_cmd_to_string(cmd) != NULL
			? fu_quectel_sahara_cmd_to_string(cmd)
			: "unknown",
		    (guint)cmd);
	return FALSE;
}

static gboolean
fu_quectel_sahara_upload_packets(FuQuectelSaharaHelper *helper, GError **error)
{
	g_autoptr(GByteArray) pkt = NULL;

	pkt = fu_quectel_sahara_wait_hello(helper, error);
	if (pkt == NULL)
		return FALSE;
	for (guint i = 0; i < FU_QUECTEL_SAHARA_PACKETS_MAX; i++) {
		gboolean done = FALSE;
		if (!fu_quectel_sahara_handle_packet(helper, pkt, &done, error))
			return FALSE;
		if (done)
			return TRUE;
		g_byte_array_unref(pkt);
		pkt = fu_quectel_edl_transport_read(helper->transport,
						    FU_QUECTEL_SAHARA_PACKET_TIMEOUT_MS,
						    error);
		if (pkt == NULL) {
			g_prefix_error(error,
				       "no Sahara packet after 0x%x bytes of the programmer: ",
				       (guint)helper->bytes_served);
			return FALSE;
		}
	}
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_INVALID_DATA,
		    "the programmer was not complete after %u Sahara packets",
		    (guint)FU_QUECTEL_SAHARA_PACKETS_MAX);
	return FALSE;
}

/**
 * fu_quectel_sahara_upload:
 * @transport: the link to the module in EDL
 * @programmer: the Firehose programmer (`prog_nand_firehose_9x07.mbn`)
 * @progress: a #FuProgress
 * @error: (nullable): optional return location for an error
 *
 * Serves the programmer to the PBL as it asks for it, then starts it. On any failure the PBL
 * is sent RESET.
 *
 * Returns: %TRUE once the PBL accepted and started the programmer
 **/
gboolean
fu_quectel_sahara_upload(FuQuectelEdlTransport *transport,
			 GBytes *programmer,
			 FuProgress *progress,
			 GError **error)
{
	FuQuectelSaharaHelper helper = {
	    .transport = transport,
	    .programmer = programmer,
	    .progress = progress,
	};
	if (!fu_quectel_sahara_upload_packets(&helper, error)) {
		/* whatever went wrong, RESET restarts the PBL: the module boots its flash, or
		 * waits in EDL for a new HELLO_RESP if its boot loader is erased */
		fu_quectel_sahara_send_reset(&helper);
		return FALSE;
	}
	return TRUE;
}

/* --- command mode: who the chip is, without uploading anything ------------------------------ */

void
fu_quectel_sahara_chip_free(FuQuectelSaharaChip *chip)
{
	if (chip == NULL)
		return;
	g_free(chip->oem_pk_hash);
	g_free(chip);
}

/**
 * fu_quectel_sahara_chip_get_msm_id:
 * @chip: a #FuQuectelSaharaChip
 *
 * Returns: the MSM ID, the upper half of the MSM HW ID
 **/
guint32
fu_quectel_sahara_chip_get_msm_id(const FuQuectelSaharaChip *chip)
{
	return (guint32)(chip->msm_hw_id >> FU_QUECTEL_SAHARA_HW_ID_SHIFT);
}

/**
 * fu_quectel_sahara_msm_id_is_mdm9607:
 * @msm_id: an MSM ID such as 0x000480E1
 *
 * The MSM ID is a JTAG ID: silicon revision in the top nibble, part number, manufacturer
 * (0x0E1 = Qualcomm). Every revision of the MDM9607 part is the same family.
 *
 * Returns: %TRUE for the chip of the EC25/EG25
 **/
gboolean
fu_quectel_sahara_msm_id_is_mdm9607(guint32 msm_id)
{
	return (msm_id & FU_QUECTEL_SAHARA_MSM_ID_PART_MASK) == FU_QUECTEL_SAHARA_MSM_ID_MDM9607;
}

/* an answer that is Firehose XML: the programmer runs, the PBL is not listening */
static gboolean
fu_quectel_sahara_is_firehose(GByteArray *pkt)
{
	const gchar *xml = "<?xml";
	return pkt->len >= strlen(xml) && memcmp(pkt->data, xml, strlen(xml)) == 0;
}

/* the rest of what a running programmer says, so the next Firehose command reads its own answer */
static void
fu_quectel_sahara_drain_firehose(FuQuectelSaharaHelper *helper)
{
	for (guint i = 0; i < FU_QUECTEL_SAHARA_DRAIN_MAX; i++) {
		g_autoptr(GByteArray) pkt = NULL;
		pkt = fu_quectel_edl_transport_read(helper->transport,
						    FU_QUECTEL_SAHARA_DRAIN_TIMEOUT_MS,
						    NULL);
		if (pkt == NULL)
			return;
	}
}

static GByteArray *
fu_quectel_sahara_read_cmd(FuQuectelSaharaHelper *helper, GError **error)
{
	g_autoptr(GByteArray) pkt = NULL;

	pkt = fu_quectel_edl_transport_read(helper->transport,
					    FU_QUECTEL_SAHARA_PACKET_TIMEOUT_MS,
					    error);
	if (pkt == NULL)
		return NULL;
	if (fu_quectel_sahara_is_firehose(pkt)) {
		fu_quectel_sahara_drain_firehose(helper);
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_BUSY,
				    "the Firehose programmer is still running, the PBL is not "
				    "listening");
		return NULL;
	}
	return g_steal_pointer(&pkt);
}

/* the PBL answers a command it refuses with END_OF_IMAGE and a NAK code */
static gboolean
fu_quectel_sahara_check_not_nak(GByteArray *pkt, const gchar *what, GError **error)
{
	FuQuectelSaharaStatus status;
	const gchar *name;
	g_autoptr(FuStructQuectelSaharaEndOfImage) st = NULL;

	st = fu_struct_quectel_sahara_end_of_image_parse(pkt->data, pkt->len, 0x0, NULL);
	if (st == NULL)
		return TRUE;
	status = fu_struct_quectel_sahara_end_of_image_get_status(st);
	name = fu_quectel_sahara_status_to_string(status);
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_NOT_SUPPORTED,
		    "the PBL refused %s: %s (0x%x)",
		    what,
		    name != NULL ? name : "unknown status",
		    (guint)status);
	return FALSE;
}

/* HELLO (or, if another reader took it, an unsolicited answer), HELLO_RESP COMMAND, CMD_READY */
static gboolean
fu_quectel_sahara_enter_command_mode(FuQuectelSaharaHelper *helper, GError **error)
{
	g_autoptr(FuStructQuectelSaharaCmdReady) st_ready = NULL;
	g_autoptr(GByteArray) pkt = NULL;
	g_autoptr(GError) error_local = NULL;

	pkt = fu_quectel_edl_transport_read(helper->transport,
					    FU_QUECTEL_SAHARA_HELLO_TIMEOUT_MS,
					    &error_local);
	if (pkt == NULL && !g_error_matches(error_local, FWUPD_ERROR, FWUPD_ERROR_TIMED_OUT)) {
		g_propagate_prefixed_error(error,
					   g_steal_pointer(&error_local),
					   "failed to read HELLO: ");
		return FALSE;
	}
	if (pkt != NULL && fu_quectel_sahara_is_firehose(pkt)) {
		fu_quectel_sahara_drain_firehose(helper);
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_BUSY,
				    "the Firehose programmer is still running, the PBL is not "
				    "listening");
		return FALSE;
	}
	if (pkt != NULL) {
		FuQuectelSaharaMode mode;
		g_autoptr(FuStructQuectelSaharaHello) st = NULL;
		st = fu_struct_quectel_sahara_hello_parse(pkt->data, pkt->len, 0x0, error);
		if (st == NULL) {
			g_prefix_error_literal(error, "invalid HELLO: ");
			return FALSE;
		}
		mode = fu_struct_quectel_sahara_hello_get_mode(st);
		if (mode != FU_QUECTEL_SAHARA_MODE_IMAGE_TX_PENDING) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_NOT_SUPPORTED,
				    "the target is in Sahara mode %s, not the PBL's emergency "
				    "download",
				    fu_quectel_sahara_mode_to_string(mode));
			return FALSE;
		}
	} else {
		g_debug("no HELLO within %u ms, sending an unsolicited HELLO_RESP for command mode",
			(guint)FU_QUECTEL_SAHARA_HELLO_TIMEOUT_MS);
	}
	if (!fu_quectel_sahara_send_hello_resp_mode(helper, FU_QUECTEL_SAHARA_MODE_COMMAND, error))
		return FALSE;
	g_clear_pointer(&pkt, g_byte_array_unref);
	pkt = fu_quectel_sahara_read_cmd(helper, error);
	if (pkt == NULL) {
		g_prefix_error_literal(error, "no CMD_READY: ");
		return FALSE;
	}
	if (!fu_quectel_sahara_check_not_nak(pkt, "command mode", error))
		return FALSE;
	st_ready = fu_struct_quectel_sahara_cmd_ready_parse(pkt->data, pkt->len, 0x0, error);
	if (st_ready == NULL) {
		g_prefix_error_literal(error, "invalid CMD_READY: ");
		return FALSE;
	}
	return TRUE;
}

/* EXECUTE, EXECUTE_RESP with the length, EXECUTE_DATA, then the data as one transfer */
static GByteArray *
fu_quectel_sahara_execute(FuQuectelSaharaHelper *helper,
			  FuQuectelSaharaExec client_cmd,
			  GError **error)
{
	const gchar *name = fu_quectel_sahara_exec_to_string(client_cmd);
	guint32 data_length;
	g_autoptr(FuStructQuectelSaharaExecute) st_exec = fu_struct_quectel_sahara_execute_new();
	g_autoptr(FuStructQuectelSaharaExecuteData) st_data =
	    fu_struct_quectel_sahara_execute_data_new();
	g_autoptr(FuStructQuectelSaharaExecuteResp) st_resp = NULL;
	g_autoptr(GByteArray) pkt = NULL;
	g_autoptr(GByteArray) data = NULL;

	fu_struct_quectel_sahara_execute_set_client_cmd(st_exec, client_cmd);
	if (!fu_quectel_sahara_send(helper, st_exec->buf, error)) {
		g_prefix_error(error, "failed to send EXECUTE %s: ", name);
		return NULL;
	}
	pkt = fu_quectel_sahara_read_cmd(helper, error);
	if (pkt == NULL) {
		g_prefix_error(error, "no answer to EXECUTE %s: ", name);
		return NULL;
	}
	if (!fu_quectel_sahara_check_not_nak(pkt, name, error))
		return NULL;
	st_resp = fu_struct_quectel_sahara_execute_resp_parse(pkt->data, pkt->len, 0x0, error);
	if (st_resp == NULL) {
		g_prefix_error(error, "invalid EXECUTE_RESP to %s: ", name);
		return NULL;
	}
	data_length = fu_struct_quectel_sahara_execute_resp_get_data_length(st_resp);
	if (fu_struct_quectel_sahara_execute_resp_get_client_cmd(st_resp) != client_cmd ||
	    data_length == 0 || data_length > FU_QUECTEL_SAHARA_EXEC_DATA_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "EXECUTE_RESP to %s is for command 0x%x with 0x%x bytes",
			    name,
			    (guint)fu_struct_quectel_sahara_execute_resp_get_client_cmd(st_resp),
			    data_length);
		return NULL;
	}
	fu_struct_quectel_sahara_execute_data_set_client_cmd(st_data, client_cmd);
	if (!fu_quectel_sahara_send(helper, st_data->buf, error)) {
		g_prefix_error(error, "failed to send EXECUTE_DATA %s: ", name);
		return NULL;
	}
	data = fu_quectel_edl_transport_read(helper->transport,
					     FU_QUECTEL_SAHARA_PACKET_TIMEOUT_MS,
					     error);
	if (data == NULL) {
		g_prefix_error(error, "no data for %s: ", name);
		return NULL;
	}
	if (data->len != data_length) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "%s: 0x%x bytes announced, 0x%x arrived",
			    name,
			    data_length,
			    data->len);
		return NULL;
	}
	return g_steal_pointer(&data);
}

static gboolean
fu_quectel_sahara_identify_execute(FuQuectelSaharaHelper *helper,
				   FuQuectelSaharaChip *chip,
				   GError **error)
{
	g_autoptr(GByteArray) serial = NULL;
	g_autoptr(GByteArray) hw_id = NULL;
	g_autoptr(GByteArray) pk_hash = NULL;
	g_autoptr(GString) hex = g_string_new(NULL);

	serial = fu_quectel_sahara_execute(helper, FU_QUECTEL_SAHARA_EXEC_SERIAL_NUM_READ, error);
	if (serial == NULL)
		return FALSE;
	if (!fu_memread_uint32_safe(serial->data,
				    serial->len,
				    0x0,
				    &chip->serial,
				    G_LITTLE_ENDIAN,
				    error))
		return FALSE;
	hw_id = fu_quectel_sahara_execute(helper, FU_QUECTEL_SAHARA_EXEC_MSM_HW_ID_READ, error);
	if (hw_id == NULL)
		return FALSE;
	if (hw_id->len != FU_QUECTEL_SAHARA_HW_ID_SIZE) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "MSM HW ID of 0x%x bytes, expected 0x%x",
			    hw_id->len,
			    (guint)FU_QUECTEL_SAHARA_HW_ID_SIZE);
		return FALSE;
	}
	if (!fu_memread_uint64_safe(hw_id->data,
				    hw_id->len,
				    0x0,
				    &chip->msm_hw_id,
				    G_LITTLE_ENDIAN,
				    error))
		return FALSE;
	pk_hash = fu_quectel_sahara_execute(helper, FU_QUECTEL_SAHARA_EXEC_OEM_PK_HASH_READ, error);
	if (pk_hash == NULL)
		return FALSE;
	for (guint i = 0; i < pk_hash->len; i++)
		g_string_append_printf(hex, "%02x", pk_hash->data[i]);
	chip->oem_pk_hash = g_string_free(g_steal_pointer(&hex), FALSE);
	return TRUE;
}

/**
 * fu_quectel_sahara_identify:
 * @transport: the link to the module in EDL
 * @error: (nullable): optional return location for an error
 *
 * Reads the chip's serial number, MSM HW ID and OEM PK hash through Sahara command mode, then
 * switches the PBL back to image transfer: it sends a new HELLO, which the next upload reads.
 * Nothing is uploaded. A running Firehose programmer fails with %FWUPD_ERROR_BUSY.
 *
 * Returns: (transfer full): the chip's identity, or %NULL
 **/
FuQuectelSaharaChip *
fu_quectel_sahara_identify(FuQuectelEdlTransport *transport, GError **error)
{
	FuQuectelSaharaHelper helper = {
	    .transport = transport,
	};
	g_autoptr(FuQuectelSaharaChip) chip = g_new0(FuQuectelSaharaChip, 1);
	g_autoptr(FuStructQuectelSaharaSwitchMode) st_switch =
	    fu_struct_quectel_sahara_switch_mode_new();

	if (!fu_quectel_sahara_enter_command_mode(&helper, error))
		return NULL;
	if (!fu_quectel_sahara_identify_execute(&helper, chip, error)) {
		/* the PBL waits for a new HELLO_RESP after a reset */
		fu_quectel_sahara_send_reset(&helper);
		return NULL;
	}
	fu_struct_quectel_sahara_switch_mode_set_mode(st_switch,
						      FU_QUECTEL_SAHARA_MODE_IMAGE_TX_PENDING);
	if (!fu_quectel_sahara_send(&helper, st_switch->buf, error)) {
		g_prefix_error_literal(error, "failed to switch back to image transfer: ");
		return NULL;
	}
	g_debug("chip serial 0x%08x, MSM HW ID 0x%016" G_GINT64_MODIFIER "x, OEM PK hash %s",
		chip->serial,
		chip->msm_hw_id,
		chip->oem_pk_hash);
	return g_steal_pointer(&chip);
}

/* dump mode: the SBL's HELLO in memory-debug mode answered in that mode, its MEMORY_DEBUG read */
static void
fu_quectel_sahara_dump_handshake(FuQuectelSaharaHelper *helper)
{
	FuQuectelSaharaMode mode;
	g_autoptr(FuStructQuectelSaharaHello) st = NULL;
	g_autoptr(FuStructQuectelSaharaMemoryDebug) st_debug = NULL;
	g_autoptr(GByteArray) pkt = NULL;
	g_autoptr(GError) error_local = NULL;

	pkt = fu_quectel_edl_transport_read(helper->transport,
					    FU_QUECTEL_SAHARA_HELLO_TIMEOUT_MS,
					    &error_local);
	if (pkt == NULL) {
		g_debug("no HELLO in dump mode (%s): sending RESET", error_local->message);
		return;
	}
	st = fu_struct_quectel_sahara_hello_parse(pkt->data, pkt->len, 0x0, &error_local);
	if (st == NULL) {
		g_debug("not a HELLO in dump mode (%s): sending RESET", error_local->message);
		return;
	}
	mode = fu_struct_quectel_sahara_hello_get_mode(st);
	if (mode != FU_QUECTEL_SAHARA_MODE_MEMORY_DEBUG) {
		/* never serve the SBL an image: that is the vendor path that bricks modules */
		g_debug("HELLO in dump mode asks for mode %s: sending RESET",
			fu_quectel_sahara_mode_to_string(mode));
		return;
	}
	if (!fu_quectel_sahara_send_hello_resp_mode(helper,
						    FU_QUECTEL_SAHARA_MODE_MEMORY_DEBUG,
						    &error_local)) {
		g_debug("%s: sending RESET", error_local->message);
		return;
	}
	g_clear_pointer(&pkt, g_byte_array_unref);
	pkt = fu_quectel_edl_transport_read(helper->transport,
					    FU_QUECTEL_SAHARA_PACKET_TIMEOUT_MS,
					    &error_local);
	if (pkt == NULL) {
		g_debug("no MEMORY_DEBUG (%s): sending RESET", error_local->message);
		return;
	}
	st_debug =
	    fu_struct_quectel_sahara_memory_debug_parse(pkt->data, pkt->len, 0x0, &error_local);
	if (st_debug == NULL) {
		g_debug("not a MEMORY_DEBUG (%s): sending RESET", error_local->message);
		return;
	}
	g_debug("memory debug table of 0x%x bytes at 0x%08x, not read",
		fu_struct_quectel_sahara_memory_debug_get_table_length(st_debug),
		fu_struct_quectel_sahara_memory_debug_get_table_addr(st_debug));
}

/**
 * fu_quectel_sahara_dump_exit:
 * @transport: the link to the module in Quectel's SBL dump mode
 * @error: (nullable): optional return location for an error
 *
 * Leaves the SBL dump mode the safe way: the HELLO is answered in memory-debug mode, as a
 * ramdump tool would, nothing is read, and RESET reboots the module. It comes back in normal
 * mode, or in dump mode again if what put it there persists. The SBL is never served an image.
 *
 * Returns: %TRUE once the target answered RESET_RESP and reboots
 **/
gboolean
fu_quectel_sahara_dump_exit(FuQuectelEdlTransport *transport, GError **error)
{
	FuQuectelSaharaHelper helper = {
	    .transport = transport,
	};
	g_autoptr(FuStructQuectelSaharaReset) st_reset = fu_struct_quectel_sahara_reset_new();
	g_autoptr(FuStructQuectelSaharaResetResp) st_resp = NULL;
	g_autoptr(GByteArray) pkt = NULL;

	fu_quectel_sahara_dump_handshake(&helper);
	if (!fu_quectel_sahara_send(&helper, st_reset->buf, error)) {
		g_prefix_error_literal(error, "failed to send RESET: ");
		return FALSE;
	}
	pkt = fu_quectel_edl_transport_read(transport, FU_QUECTEL_SAHARA_PACKET_TIMEOUT_MS, error);
	if (pkt == NULL) {
		g_prefix_error_literal(error, "no answer to RESET: ");
		return FALSE;
	}
	st_resp = fu_struct_quectel_sahara_reset_resp_parse(pkt->data, pkt->len, 0x0, error);
	if (st_resp == NULL) {
		g_prefix_error_literal(error, "invalid answer to RESET: ");
		return FALSE;
	}
	return TRUE;
}

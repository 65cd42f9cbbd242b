/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "fu-quectel-edl-transport.h"

/* the image the MDM9607 PBL asks for: the Firehose programmer (EHOSTDL) */
#define FU_QUECTEL_SAHARA_IMAGE_ID_EHOSTDL 13

gboolean
fu_quectel_sahara_upload(FuQuectelEdlTransport *transport,
			 GBytes *programmer,
			 FuProgress *progress,
			 GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1, 2, 3);

/* the MSM ID in the upper half of the MSM HW ID of the MDM9607 family (edl: "MDM9207") */
#define FU_QUECTEL_SAHARA_MSM_ID_MDM9607 0x000480E1

/**
 * FuQuectelSaharaChip:
 *
 * What the PBL's Sahara command mode tells about the chip, without anything uploaded.
 **/
typedef struct {
	guint32 serial;	    /* EXECUTE 0x01 */
	guint64 msm_hw_id;  /* EXECUTE 0x02: MSM ID << 32 | OEM ID << 16 | model ID */
	gchar *oem_pk_hash; /* EXECUTE 0x03, in hex */
} FuQuectelSaharaChip;

void
fu_quectel_sahara_chip_free(FuQuectelSaharaChip *chip);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelSaharaChip, fu_quectel_sahara_chip_free)

guint32
fu_quectel_sahara_chip_get_msm_id(const FuQuectelSaharaChip *chip) G_GNUC_NON_NULL(1);
gboolean
fu_quectel_sahara_msm_id_is_mdm9607(guint32 msm_id);
FuQuectelSaharaChip *
fu_quectel_sahara_identify(FuQuectelEdlTransport *transport,
			   GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1);
gboolean
fu_quectel_sahara_dump_exit(FuQuectelEdlTransport *transport,
			    GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1);

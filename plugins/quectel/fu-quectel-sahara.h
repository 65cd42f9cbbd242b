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

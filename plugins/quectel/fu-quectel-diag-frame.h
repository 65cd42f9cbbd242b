/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

/* DIAG's asynchronous HDLC framing */
#define FU_QUECTEL_DIAG_FRAME_FLAG 0x7E

GByteArray *
fu_quectel_diag_frame_encode(const guint8 *buf, gsize bufsz) G_GNUC_NON_NULL(1);

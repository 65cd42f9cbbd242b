/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

#include "ec25-edl.h"

/*
 * The simulator's module model in EDL as a FuQuectelEdlTransport: every write is one bulk OUT
 * transfer handed to ec25_edl_bulk_out(), every read one bulk IN transfer from
 * ec25_edl_bulk_in(). The model answers synchronously, so a read that finds nothing times out
 * at once; the time it would have taken is counted instead of waited for.
 */

#define FU_TYPE_QUECTEL_EDL_MODEL (fu_quectel_edl_model_get_type())
G_DECLARE_FINAL_TYPE(FuQuectelEdlModel, fu_quectel_edl_model, FU, QUECTEL_EDL_MODEL, FuDevice)

FuQuectelEdlModel *
fu_quectel_edl_model_new(Ec25Edl *edl) G_GNUC_NON_NULL(1);
guint64
fu_quectel_edl_model_get_simulated_ms(FuQuectelEdlModel *self) G_GNUC_NON_NULL(1);
guint
fu_quectel_edl_model_get_timeouts(FuQuectelEdlModel *self) G_GNUC_NON_NULL(1);

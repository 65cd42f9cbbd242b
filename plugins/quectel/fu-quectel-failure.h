/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

/* where a failed update left the module, as the engine that failed knows it */
typedef enum {
	/* never left normal mode: the firmware is unchanged */
	FU_QUECTEL_FAILURE_STATE_NORMAL,
	/* in EDL, nothing erased; the PBL or the programmer waits */
	FU_QUECTEL_FAILURE_STATE_EDL_UNCHANGED,
	/* nothing erased and the programmer rebooted the module */
	FU_QUECTEL_FAILURE_STATE_RESET_UNCHANGED,
	/* found in EDL, nothing more erased, and the PBL was reset: it starts EDL again */
	FU_QUECTEL_FAILURE_STATE_EDL_RESET,
	/* the boot loader was erased first: only EDL can start, which is always possible */
	FU_QUECTEL_FAILURE_STATE_SBL_ERASED,
	/* the SBL program itself failed: the boot loader may be partial or complete */
	FU_QUECTEL_FAILURE_STATE_SBL_WRITING,
	/* every image written and the module rebooted, but it reports its previous version */
	FU_QUECTEL_FAILURE_STATE_NORMAL_PREVIOUS,
	/* the module left normal mode for EDL, nothing erased, but it is not on USB */
	FU_QUECTEL_FAILURE_STATE_GONE_UNCHANGED,
	/* every image written and the module reset, but it is not on USB */
	FU_QUECTEL_FAILURE_STATE_WRITTEN_GONE,
	/* every image written, the programmer ACKed the reset but kept running */
	FU_QUECTEL_FAILURE_STATE_WRITTEN_NO_RESET,
} FuQuectelFailureState;

const gchar *
fu_quectel_failure_state_to_string(FuQuectelFailureState state);
const gchar *
fu_quectel_failure_state_get_next_step(FuQuectelFailureState state);
gchar *
fu_quectel_failure_describe(FuQuectelFailureState state) G_GNUC_WARN_UNUSED_RESULT;
void
fu_quectel_failure_add_state(GError **error, FuQuectelFailureState state);
void
fu_quectel_failure_add_state_full(GError **error,
				  FuQuectelFailureState state,
				  const gchar *next_step);

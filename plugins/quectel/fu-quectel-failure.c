/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "fu-quectel-failure.h"

/* the part of every failure message that follows the phase and the cause */
#define FU_QUECTEL_FAILURE_SEPARATOR "; "

/**
 * fu_quectel_failure_state_to_string:
 * @state: a #FuQuectelFailureState
 *
 * Returns: what the module is running and what its flash holds, for a failure message
 **/
const gchar *
fu_quectel_failure_state_to_string(FuQuectelFailureState state)
{
	if (state == FU_QUECTEL_FAILURE_STATE_NORMAL)
		return "the module is in normal mode with its firmware unchanged";
	if (state == FU_QUECTEL_FAILURE_STATE_EDL_UNCHANGED)
		return "the module is in emergency download mode with its flash unchanged (safe)";
	if (state == FU_QUECTEL_FAILURE_STATE_RESET_UNCHANGED)
		return "the module was reset and boots its current firmware";
	if (state == FU_QUECTEL_FAILURE_STATE_EDL_RESET)
		return "the module was reset and starts again in emergency download mode, with "
		       "nothing more erased (safe)";
	if (state == FU_QUECTEL_FAILURE_STATE_SBL_ERASED)
		return "the module is in emergency download mode with its boot loader erased "
		       "(safe)";
	if (state == FU_QUECTEL_FAILURE_STATE_SBL_WRITING)
		return "the module's boot loader, written last, may be incomplete: the module "
		       "starts "
		       "in emergency download mode, or with the new firmware if the boot loader "
		       "was "
		       "complete (safe either way)";
	if (state == FU_QUECTEL_FAILURE_STATE_NORMAL_PREVIOUS)
		return "the module is in normal mode and runs its previous firmware, which it "
		       "booted instead of the written one";
	if (state == FU_QUECTEL_FAILURE_STATE_GONE_UNCHANGED)
		return "the module left normal mode for emergency download mode but is not on USB, "
		       "with its flash unchanged";
	if (state == FU_QUECTEL_FAILURE_STATE_WRITTEN_GONE)
		return "the flash is written and the module was reset but is not on USB";
	if (state == FU_QUECTEL_FAILURE_STATE_WRITTEN_NO_RESET)
		return "the flash is written but the module ignored the reset and still runs the "
		       "programmer in emergency download mode";
	return "the module's state is unknown";
}

/**
 * fu_quectel_failure_state_get_next_step:
 * @state: a #FuQuectelFailureState
 *
 * Returns: what the user does next, for a failure message
 **/
const gchar *
fu_quectel_failure_state_get_next_step(FuQuectelFailureState state)
{
	if (state == FU_QUECTEL_FAILURE_STATE_NORMAL)
		return "run the same command again";
	if (state == FU_QUECTEL_FAILURE_STATE_EDL_UNCHANGED)
		return "power-cycle it if needed and run the same command again";
	if (state == FU_QUECTEL_FAILURE_STATE_RESET_UNCHANGED)
		return "run the same command again";
	if (state == FU_QUECTEL_FAILURE_STATE_EDL_RESET)
		return "power-cycle it if needed and run the same command again";
	if (state == FU_QUECTEL_FAILURE_STATE_SBL_ERASED)
		return "power-cycle it if needed and run the same command again";
	if (state == FU_QUECTEL_FAILURE_STATE_SBL_WRITING)
		return "power-cycle it if needed and run the same command again";
	if (state == FU_QUECTEL_FAILURE_STATE_NORMAL_PREVIOUS)
		return "run the same command again, and if the module again comes back with its "
		       "previous firmware, keep it powered and report the firmware package";
	if (state == FU_QUECTEL_FAILURE_STATE_GONE_UNCHANGED)
		return "power-cycle it and run the same command again";
	if (state == FU_QUECTEL_FAILURE_STATE_WRITTEN_GONE)
		return "power-cycle it: it boots the new firmware, or starts in emergency download "
		       "mode if the boot loader did not take; then run the same command again";
	if (state == FU_QUECTEL_FAILURE_STATE_WRITTEN_NO_RESET)
		return "power-cycle the module to boot the new firmware";
	return "power-cycle the module and run the same command again";
}

/**
 * fu_quectel_failure_describe:
 * @state: a #FuQuectelFailureState
 *
 * Returns: (transfer full): the module's state and the next step, e.g. "the module is in
 * emergency download mode with its boot loader erased (safe); power-cycle it if needed and
 * run the same command again"
 **/
gchar *
fu_quectel_failure_describe(FuQuectelFailureState state)
{
	return g_strconcat(fu_quectel_failure_state_to_string(state),
			   FU_QUECTEL_FAILURE_SEPARATOR,
			   fu_quectel_failure_state_get_next_step(state),
			   NULL);
}

/**
 * fu_quectel_failure_add_state:
 * @error: (nullable): a return location holding the failure's phase and cause
 * @state: where the failure left the module
 *
 * Appends the module's resulting state and the next step to the message of @error.
 *
 * fwupdtool prints the message of a failure, except for the codes it maps to an exit status of
 * its own (not found, nothing to do, not reachable), which it only logs: a failed update is
 * none of those, so such a code becomes a write error and the message is shown.
 **/
void
fu_quectel_failure_add_state(GError **error, FuQuectelFailureState state)
{
	fu_quectel_failure_add_state_full(error,
					  state,
					  fu_quectel_failure_state_get_next_step(state));
}

/**
 * fu_quectel_failure_add_state_full:
 * @error: (nullable): a return location holding the failure's phase and cause
 * @state: where the failure left the module
 * @next_step: (nullable): what the user does next, or %NULL when the cause already says it
 *
 * Appends the module's resulting state and @next_step to the message of @error; see
 * fu_quectel_failure_add_state().
 **/
void
fu_quectel_failure_add_state_full(GError **error,
				  FuQuectelFailureState state,
				  const gchar *next_step)
{
	GError *error_old;
	gint code;
	g_autofree gchar *state_str = NULL;

	if (error == NULL || *error == NULL)
		return;
	error_old = *error;
	code = error_old->code;
	if (error_old->domain != FWUPD_ERROR || code == FWUPD_ERROR_NOT_FOUND ||
	    code == FWUPD_ERROR_NOTHING_TO_DO || code == FWUPD_ERROR_NOT_REACHABLE)
		code = FWUPD_ERROR_WRITE;
	state_str = g_strconcat(fu_quectel_failure_state_to_string(state),
				next_step != NULL ? FU_QUECTEL_FAILURE_SEPARATOR : "",
				next_step,
				NULL);
	*error = g_error_new(FWUPD_ERROR,
			     code,
			     "%s" FU_QUECTEL_FAILURE_SEPARATOR "%s",
			     error_old->message,
			     state_str);
	g_error_free(error_old);
}

/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupd.h>

#include "fu-quectel-package-patch.h"
#include "fu-quectel-package-rawprogram.h"
#include "fu-quectel-package-struct.h"
#include "fu-quectel-package-xml.h"

/**
 * FuQuectelPlanStep:
 *
 * One Firehose operation, in the order the update performs them.
 **/
typedef struct {
	FuQuectelPlanStepKind kind;
	guint64 start_sector; /* in pages */
	guint64 num_sectors;  /* erase: as written; program: the image in whole pages */
	guint64 image_size;   /* program: bytes of the image */
	gchar *basename;      /* program: the image in the payload */
	gchar *label;	      /* or NULL */
	GPtrArray *attrs;     /* vendor and patch: FuQuectelPackageAttr to send verbatim */
} FuQuectelPlanStep;

void
fu_quectel_plan_step_free(FuQuectelPlanStep *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelPlanStep, fu_quectel_plan_step_free)

GPtrArray *
fu_quectel_plan_new(const FuQuectelPackageRawprogram *rawprogram,
		    GPtrArray *patches,
		    guint32 page_size,
		    GHashTable *image_sizes,
		    GError **error) G_GNUC_WARN_UNUSED_RESULT G_GNUC_NON_NULL(1, 4);
gchar *
fu_quectel_plan_to_string(GPtrArray *plan) G_GNUC_NON_NULL(1);
guint64
fu_quectel_plan_get_program_bytes(GPtrArray *plan, guint32 page_size) G_GNUC_NON_NULL(1);
